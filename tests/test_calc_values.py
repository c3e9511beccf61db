"""calc keeps error values and text apart (issue 15): a text that spells an error code stays text.

ECMA-376 Part 1 §18.18.11 (ST_CellType): an error cell is ``t="e"``, a formula's text result ``t="str"``.
A formula such as ``="#N/A"`` returns the text "#N/A", which Excel stores as text; ``=NA()`` returns the
error. Both engines must write each as what it is, and the error summary counts only real errors.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from xl_rollover.cli.main import main
from xl_rollover.engines.office_bridge import ERROR_MARK, call_addin
from xl_rollover.engines.recalc import ExcelError, calculate, stored_values, tag_errors, untag_errors

#: Formulas whose result is text that spells an error code, next to formulas whose result is the error.
TEXTS = {"B1": ('="#N/A"', "#N/A"), "B2": ('=T("#DIV/0!")', "#DIV/0!"), "B3": ('=IF(TRUE,"#NUM!")', "#NUM!")}
TEXTS["B4"] = ("=A1", "#REF!")  # a constant text "#REF!" in A1, read through a reference
ERRORS = {"C1": ("=NA()", "#N/A"), "C2": ("=1/0", "#DIV/0!")}


def spelled_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    ws = wb.add_worksheet("S")
    ws.write_string("A1", "#REF!")
    for cell, (formula, _) in {**TEXTS, **ERRORS}.items():
        ws.write_formula(cell, formula)
    ws.write_formula("C3", "=ISERROR(B1)")  # the engine itself sees B1 as text: FALSE
    wb.close()
    return path


def cell_types(path: Path) -> dict[str, tuple[str, str]]:
    """Cell -> (t attribute, <v> text) of sheet 1 as written."""
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode("utf-8")
    found = {}
    for m in re.finditer(r'<c\b[^>]*\br="([A-Z]+\d+)"([^>]*)>(.*?)</c>', xml, re.DOTALL):
        kind = re.search(r'\bt="([^"]*)"', m.group(0).split(">", 1)[0])
        value = re.search(r"<v>(.*?)</v>", m.group(3), re.DOTALL)
        found[m.group(1)] = (kind.group(1) if kind else "n", value.group(1) if value else "")
    return found


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_text_that_spells_an_error_stays_text_and_errors_stay_errors(tmp_path, engine):
    out = tmp_path / "out.xlsx"
    result = calculate(spelled_book(tmp_path / "spelled.xlsx"), out, engine=engine)
    for cell, (_, text) in TEXTS.items():
        value = result.values[f"S!{cell}"]
        assert value == text and not isinstance(value, ExcelError), cell
    for cell, (_, code) in ERRORS.items():
        value = result.values[f"S!{cell}"]
        assert value == code and isinstance(value, ExcelError), cell
    assert result.values["S!C3"] is False
    assert result.errors == {"S!C1": "#N/A", "S!C2": "#DIV/0!"}
    written = cell_types(out)
    assert {cell: written[cell] for cell in TEXTS} == {cell: ("str", text) for cell, (_, text) in TEXTS.items()}
    assert {cell: written[cell] for cell in ERRORS} == {cell: ("e", code) for cell, (_, code) in ERRORS.items()}
    assert written["C3"] == ("b", "0")
    # read back from the file: texts as str, errors as ExcelError
    back = stored_values(out.read_bytes())
    assert [type(back[f"S!{c}"]) for c in [*TEXTS, *ERRORS]] == [str] * len(TEXTS) + [ExcelError] * len(ERRORS)


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_the_error_summary_counts_only_real_errors(tmp_path, capsys, engine):
    source = spelled_book(tmp_path / "spelled.xlsx")
    assert main(["calc", str(source), "-o", str(tmp_path / "out.xlsx"), "--engine", engine]) == 1
    err = capsys.readouterr().err
    assert "xl-rollover: 2 formula cell(s) ended in an error" in err
    assert sorted(re.findall(r"xl-rollover: (S!\w+): ", err)) == ["S!C1", "S!C2"]


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_our_functions_errors_are_errors_and_carry_on_through_other_formulas(tmp_path, engine):
    """EARLY_PENALTY with the text "abc" for an age is #VALUE! with its message, once; =D1 and ="x"&D1 too."""
    wb = xlsxwriter.Workbook(tmp_path / "ours.xlsx")
    ws = wb.add_worksheet("S")
    ws.write_formula("D1", '=EARLY_PENALTY(1000,"abc")')
    ws.write_formula("D2", "=D1")
    ws.write_formula("D3", '="x"&D1')
    ws.write_formula("D4", '="#VALUE! is text"')
    wb.close()
    out = tmp_path / "out.xlsx"
    result = calculate(tmp_path / "ours.xlsx", out, engine=engine)
    assert result.errors == {"S!D1": "#VALUE!", "S!D2": "#VALUE!", "S!D3": "#VALUE!"}
    assert [m.endswith("age must be a number, not the text 'abc'") for m in result.messages] == [True]
    assert result.values["S!D4"] == "#VALUE! is text" and not isinstance(result.values["S!D4"], ExcelError)
    written = cell_types(out)
    assert [written[c] for c in ("D1", "D2", "D3", "D4")] == [("e", "#VALUE!")] * 3 + [("str", "#VALUE! is text")]


def test_errors_cross_the_formulas_child_as_tagged_json():
    values = {"S!A1": [[ExcelError("#N/A"), "#N/A", 1.5, None, True]]}
    wire = json.loads(json.dumps(tag_errors(values)))
    assert wire == {"S!A1": [[{"error": "#N/A"}, "#N/A", 1.5, None, True]]}
    back = untag_errors(wire)
    assert back == values
    assert [type(v) for v in back["S!A1"][0][:2]] == [ExcelError, str]


def test_the_add_in_marks_errors_and_leaves_figures_alone():
    # a 2026 single filer at MAGI 100,000 is below the Roth phase-out (IRC 408A(c)(3)): not reduced (0)
    assert call_addin("ROTH_IRA_LIMIT", (2026.0, 100000.0, "SINGLE", 45.0, "", "reduced")) == ((0.0,),)
    bad = call_addin("EARLY_PENALTY", (1000.0, "abc", "", "", "", "", "", ""))[0][0]
    assert bad.startswith(ERROR_MARK + "#VALUE! age must be a number, not the text 'abc'")
    assert call_addin("NO_SUCH_FUNCTION", ())[0][0].startswith(ERROR_MARK + "#VALUE! bridge: AttributeError")


def test_scan_and_map_keep_error_values_in_the_formulas_engine(tmp_path):
    """formulas 1.3's SCAN and MAP built their arrays as text, so an error came out as its code's text."""
    wb = xlsxwriter.Workbook(tmp_path / "lambda.xlsx", {"use_future_functions": True})
    ws = wb.add_worksheet("S")
    ws.write_dynamic_array_formula("A1:B1", '=MAP({1,2}, LAMBDA(a,IF(a=1,"#N/A",1/0)))')
    ws.write_dynamic_array_formula("C1:C2", "=SCAN(1, {1;0}, LAMBDA(a,b,a/b))")  # 1/1 = 1, then 1/0
    wb.close()
    out = tmp_path / "out.xlsx"
    result = calculate(tmp_path / "lambda.xlsx", out, engine="formulas")
    assert result.errors == {"S!B1": "#DIV/0!", "S!C2": "#DIV/0!"}
    written = cell_types(out)
    assert [written[c] for c in ("A1", "B1", "C1", "C2")] == [
        ("str", "#N/A"),
        ("e", "#DIV/0!"),
        ("n", "1.0"),
        ("e", "#DIV/0!"),
    ]


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_an_irr_that_does_not_converge_is_num_not_a_circular_reference(tmp_path, engine):
    """IRR of 7, 2, -1, 4, -3, 7, 2, -1, 4, 4 from a guess of 3: Excel stores #NUM! (the formulas test
    workbook's FINANCIAL!R26, guess in C26).

    LibreOffice marks it Err:523 ("does not converge"), which calc once took for a circular reference.
    """
    wb = xlsxwriter.Workbook(tmp_path / "irr.xlsx")
    ws = wb.add_worksheet("S")
    ws.write_formula("A1", "=IRR({7,2,-1,4,-3;7,2,-1,4,4},3)")
    wb.close()
    result = calculate(tmp_path / "irr.xlsx", tmp_path / "out.xlsx", engine=engine)
    assert result.errors == {"S!A1": "#NUM!"}
    assert cell_types(tmp_path / "out.xlsx")["A1"] == ("e", "#NUM!")
