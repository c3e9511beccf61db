"""The template workbooks: reproducible, recalculated headless equal to the core, readable in LibreOffice."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_rollover.core.serial_dates import day_of, serial
from xl_rollover.engines.recalc import calculate
from xl_rollover.templates.evaluation import evaluate
from xl_rollover.templates.model import Input, Table, output_cells
from xl_rollover.templates.rebuild import build_all
from xl_rollover.templates.specs import TEMPLATES, VARIANTS

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks"
ARTIFACTS = ROOT / "artifacts" / "templates"
BY_FILE = {t.file: t for t in TEMPLATES}


def test_six_templates_are_shipped():
    assert sorted(p.name for p in SHIPPED.glob("*.xlsx")) == sorted(BY_FILE) and len(BY_FILE) == 6


def test_committed_templates_are_what_the_code_builds(tmp_path):
    build_all(tmp_path)
    for name in BY_FILE:
        with zipfile.ZipFile(SHIPPED / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), name
            for part in a.namelist():
                if part == "docProps/core.xml":  # creation/modification timestamps
                    continue
                assert a.read(part) == b.read(part), (
                    f"{name}: {part} differs; run `python -m xl_rollover.templates.build`"
                )


def _defined_cells(path: Path) -> dict[str, tuple[str, str]]:
    book = openpyxl.load_workbook(path)
    out = {}
    for name, defined in book.defined_names.items():
        for sheet, ref in defined.destinations:
            out[name] = (sheet, ref.replace("$", ""))
    return out


def _expected(value: object) -> object:
    if isinstance(value, dt.date):
        return float(serial(value))
    return value


def _same(got: object, want: object) -> bool:
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return round(got, 2) == round(want, 2)
    if want in ("", None):
        return got in ("", None)
    return got == want


def _set_inputs(source: Path, target: Path, overrides: dict[str, object]) -> None:
    """An advisor's edit: type new figures into the yellow cells of a copy (openpyxl, so cached values go)."""
    book = openpyxl.load_workbook(source)
    names = {n: d for n, d in book.defined_names.items()}
    for name, value in overrides.items():
        sheet, ref = next(iter(names[name].destinations))
        ws = book[sheet]
        ref = ref.replace("$", "")
        if name.startswith("tbl_"):
            start = ref.split(":")[0]
            cell = ws[start]
            for r, row in enumerate(value):  # type: ignore[arg-type]
                for c, v in enumerate(row):
                    target_cell = ws.cell(row=cell.row + r, column=cell.column + c)
                    if isinstance(v, float) and target_cell.number_format.startswith("yyyy"):
                        v = dt.datetime.combine(day_of(int(v)), dt.time())
                    target_cell.value = v
        else:
            ws[ref].value = value
    book.save(target)


def _outputs(template) -> list[str]:
    return [o.name for o in output_cells(template)]


@pytest.mark.parametrize("name", sorted(BY_FILE))
def test_template_recalculates_to_the_cores_figures_for_four_clients(name, tmp_path):
    template = BY_FILE[name]
    cells = _defined_cells(SHIPPED / name)
    cases = [({}, SHIPPED / name)]
    for i, overrides in enumerate(VARIANTS[name]):
        copy = tmp_path / f"client{i}.xlsx"
        _set_inputs(SHIPPED / name, copy, overrides)
        cases.append((overrides, copy))
    seen_outputs = []
    for overrides, path in cases:
        want = evaluate(template, overrides)
        result = calculate(path)
        assert result.errors == {}, (name, overrides, result.errors, result.messages)
        got = {}
        for out in _outputs(template):
            sheet, ref = cells[out]
            got[out] = result.values[f"{sheet}!{ref}"]
            assert _same(got[out], _expected(want[out])), (name, overrides, out, got[out], want[out])
        seen_outputs.append(got)
    # the other clients really change the figures (no stale cached values)
    assert all(seen_outputs[0] != other for other in seen_outputs[1:]), name


def test_example_clients_figures():
    """Hand-checked headline figures of the example clients."""
    sep = evaluate(BY_FILE["mega_backdoor_separation.xlsx"])
    # Dana (the demo's client): A puts 1,850 of earnings in a traditional IRA, so next year's 7,500 backdoor is
    # 1,485 taxable (ratio 7,500 / 9,350 = 0.802); B pays tax on 1,850 now and keeps the backdoor clean.
    assert (sep["out_a_taxable"], sep["out_a_backdoor_taxable"], sep["out_a_cost"]) == (0.0, 1485.0, 356.4)
    assert (sep["out_b_taxable"], sep["out_b_backdoor_taxable"], sep["out_b_cost"], sep["out_b_minus_a"]) == (
        1850.0,
        0.0,
        444.0,
        87.6,
    )
    backdoor = evaluate(BY_FILE["backdoor_roth_prorata.xlsx"])
    # 7,500 / (42,000 + 7,500) = 0.1515 -> 0.152; 7,500 x 0.152 = 1,140 nontaxable; 6,360 taxable; 0 after roll-in
    assert (backdoor["out_now_l10"], backdoor["out_now_l18"], backdoor["out_after_l18"]) == (0.152, 6360.0, 0.0)
    early = evaluate(BY_FILE["early_withdrawal.xlsx"])
    assert (early["out_l2"], early["out_l4"], early["out_simple"]) == (12500.0, 750.0, 5000.0)
    roth = evaluate(BY_FILE["roth_ira_withdrawal.xlsx"])
    # 20,000 = 14,000 contributions + 6,000 of the 2024 conversion's taxable part (inside 2024-2028): 600 tax
    assert (roth["out_penalty_base"], roth["out_penalty"], roth["out_free_0"], roth["out_free_2"]) == (
        6000.0,
        600.0,
        14000.0,
        21500.0,
    )
    room = evaluate(BY_FILE["mega_backdoor_room.xlsx"])
    # 2026: 72,000 - (32,500 - 8,000 catch-up) - 9,250 - 6,000 = 32,250; over 14 paychecks 2,303.57
    assert (room["out_room"], room["out_per_paycheck"]) == (32250.0, 2303.57)
    sweeps = evaluate(BY_FILE["in_service_after_tax_rollovers.xlsx"])
    # 30,000 / 12 = 2,500 a month; 2,500 x 7% / 12 / 2 = 7.29 a sweep; 87.48 a year
    assert (sweeps["out_sweep_taxable"], sweeps["out_year_taxable"], sweeps["out_quarterly"]) == (7.29, 87.48, 262.52)


def test_templates_have_instructions_sources_validation_names_and_protection():
    for name, template in BY_FILE.items():
        book = openpyxl.load_workbook(SHIPPED / name)
        assert book.sheetnames[:3] == ["Instructions", "Plan", "Sources"], name
        plan = book["Plan"]
        assert plan.protection.sheet, name
        assert plan.data_validations.dataValidation, name
        inputs = [i for _, items in template.inputs for i in items if isinstance(i, Input)]
        for item in inputs:
            sheet, ref = _defined_cells(SHIPPED / name)[item.name]
            assert not book[sheet][ref].protection.locked, (name, item.name)
        for out in _outputs(template):
            sheet, ref = _defined_cells(SHIPPED / name)[out]
            assert book[sheet][ref].protection.locked and str(book[sheet][ref].value).startswith("="), (name, out)
        assert not any(p.endswith("vbaProject.bin") for p in zipfile.ZipFile(SHIPPED / name).namelist())
        assert (
            book["xlwings.conf"]["A1"].value == "UDF Modules"
            and book["xlwings.conf"]["B1"].value == "xl_rollover.excel.functions"
        )
        assert any(isinstance(i, Table) for _, items in template.inputs for i in items) or inputs


@pytest.mark.parametrize("name", sorted(BY_FILE))
def test_libreoffice_engine_gives_each_template_the_formulas_engines_figures(name):
    """Every formula cell of every template: both engines agree (floats to 1e-9, binary noise aside)."""
    formulas_engine = calculate(SHIPPED / name)
    office = calculate(SHIPPED / name, engine="libreoffice")
    assert office.errors == {} == formulas_engine.errors
    assert office.values.keys() == formulas_engine.values.keys()
    for cell, value in formulas_engine.values.items():
        other = office.values[cell]
        if isinstance(value, float) and isinstance(other, (int, float)) and not isinstance(other, bool):
            assert other == pytest.approx(value, rel=1e-9, abs=1e-9), (name, cell)
        else:
            assert other == value, (name, cell, value, other)
