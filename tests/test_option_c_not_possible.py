"""The separation template's option C when its Roth IRA amount is more than can be rolled over: one cell says why
in words (``out_c_check``), every option C figure says "not possible", options A and B, the charts and the
summary still compute, and ``xl-rollover report`` prints it (the add-in flavour recalculated by the formulas
engine; the portable flavour's clients above the eligible amount are checked by LibreOffice in
tests/test_portable.py through tests/test_portable_separation.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_templates import _defined_cells, _expected, _same, _set_inputs
from xl_rollover.cli.main import main
from xl_rollover.engines.recalc import calculate
from xl_rollover.templates import portable
from xl_rollover.templates.evaluation import evaluate
from xl_rollover.templates.model import NOT_POSSIBLE, output_cells
from xl_rollover.templates.specs import SEPARATION

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks"
ARTIFACTS = ROOT / "artifacts" / "reports"
#: Dana's separation (whole balance 41,850.00, no RMD: all of it can be rolled over) with 50,000.00 typed for C.
TOO_MUCH = {"in_c_roth": 50000}
WHY = "no: 50,000.00 is more than the 41,850.00 that can be rolled over"
SENTENCE_C = (
    "Option C, your own split, cannot be done: its Roth IRA amount 50,000.00 is more than the 41,850.00 that can be "
    "rolled over (the whole balance less any required minimum distribution)."
)
GATED = [o.name for o in output_cells(SEPARATION) if o.gate]


def test_the_gate_covers_every_option_c_figure_and_nothing_else():
    assert set(GATED) == {
        o.name
        for o in output_cells(SEPARATION)
        if o.name.startswith(("out_c_", "out_sum_c_")) or (o.name.startswith("out_cmp_") and o.name.endswith("_c"))
    } - {"out_c_check", "out_c_l1_year", "out_c_l2_year"}
    assert len(GATED) == 29  # 10 rows of option C, 5 side by side, 6 layer cells, 6 timeline years, 2 summary


def test_option_c_above_what_can_be_rolled_over_is_said_in_words():
    example, v = evaluate(SEPARATION), evaluate(SEPARATION, TOO_MUCH)
    assert example["out_c_check"] == "yes"
    assert v["out_c_check"] == WHY
    assert all(v[name] == NOT_POSSIBLE for name in GATED)
    # options A and B stand, figure for figure, and nothing is an error value
    for o in output_cells(SEPARATION):
        if o.name not in GATED and o.name not in ("out_c_check", "out_sum_sentence"):
            assert v[o.name] == example[o.name], o.name
        assert not (isinstance(v[o.name], str) and v[o.name].startswith("#")), o.name
    a_and_b = example["out_sum_sentence"].split(" Option C,")[0]
    assert v["out_sum_sentence"] == f"{a_and_b} {SENTENCE_C}"


def test_the_edge_is_what_can_be_rolled_over_to_the_cent():
    assert evaluate(SEPARATION, {"in_c_roth": 41850.0})["out_c_check"] == "yes"  # all of it: possible
    at_edge = evaluate(SEPARATION, {"in_c_roth": 41850.0})
    assert (at_edge["out_c_roth_pretax"], at_edge["out_c_roth_basis"]) == (1850.0, 40000.0)
    assert evaluate(SEPARATION, {"in_c_roth": 41850.01})["out_c_check"].startswith("no: 41,850.01 is more than")
    # with an RMD due (age 75, 9,500.00 of it paid first), the edge is the balance less the RMD
    rmd = {"in_age": 75, "in_rmd": 9500, "in_pretax": 100000}
    eligible = evaluate(SEPARATION, rmd)["out_eligible"]
    assert eligible == 141850.0 - 9500.0
    assert evaluate(SEPARATION, rmd | {"in_c_roth": eligible})["out_c_check"] == "yes"
    assert evaluate(SEPARATION, rmd | {"in_c_roth": eligible + 0.01})["out_c_check"] == (
        "no: 132,350.01 is more than the 132,350.00 that can be rolled over"
    )


def test_the_workbook_recalculates_to_the_same_words_and_figures(tmp_path):
    """The add-in flavour typed into and recalculated (formulas engine): no error value, every cell as evaluated."""
    copy = tmp_path / "too_much.xlsx"
    _set_inputs(SHIPPED / SEPARATION.file, copy, TOO_MUCH)
    result = calculate(copy)
    assert result.errors == {}, result.messages
    cells, want = _defined_cells(SHIPPED / SEPARATION.file), evaluate(SEPARATION, TOO_MUCH)
    for o in output_cells(SEPARATION):
        sheet, ref = cells[o.name]
        got = result.values[f"{sheet}!{ref}"]
        assert _same(got, _expected(want[o.name])), (o.name, got, want[o.name])


def test_the_portable_cells_are_gated_in_their_formulas():
    t = next(t for t in portable.templates() if t.file == SEPARATION.file)
    for o in output_cells(t):
        assert o.gate is None
        if o.name in GATED:
            assert o.formula.startswith('IF({out_c_check}="yes",') and o.formula.endswith(f',"{NOT_POSSIBLE}")')
    assert evaluate(t, TOO_MUCH) == evaluate(SEPARATION, TOO_MUCH)


def test_report_prints_option_c_as_not_possible(tmp_path):
    copy = tmp_path / "too_much.xlsx"
    _set_inputs(SHIPPED / SEPARATION.file, copy, TOO_MUCH)
    pdf = tmp_path / "option_c_not_possible.pdf"
    assert main(["report", str(copy), "-o", str(pdf)]) == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, ARTIFACTS / pdf.name)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / pdf.stem)], check=True, timeout=120)
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(raw.split())
    assert SENTENCE_C in text
    assert re.search(r"Option C: can it be done\? (value )?" + re.escape(WHY), text)  # (a page's heading between)
    assert text.count(NOT_POSSIBLE) >= len(GATED)
    for bad in ("#NAME?", "#VALUE!", "#N/A", "#REF!", "#DIV/0!", "#NUM!", "Err:", "###"):
        assert bad not in text, bad


@pytest.mark.parametrize("amount", [-1.0])
def test_a_negative_amount_is_still_the_cores_refusal(amount):
    """Below zero is a bad input, not a split that cannot be done: the cells keep the core's #VALUE! and reason."""
    v = evaluate(SEPARATION, {"in_c_roth": amount})
    assert v["out_c_check"] == "yes"
    assert v["out_c_taxable"].startswith("#VALUE! to_roth_ira")
