"""Headless recalculation (`xl-rollover calc`): the project's functions inside the formulas engine."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import xl_rollover as core
from xl_rollover.cli.main import main
from xl_rollover.core.errors import InputError
from xl_rollover.engines.recalc import calculate, fill_omitted_arguments


def sheet(path: Path, stale: float = 0) -> Path:
    """A small plan: our functions, a spilled range call, ordinary formulas on top, stale cached values."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Plan")
    ws.write_row(0, 0, ["converted", "basis", "year_end_value", "taxable", "taxable + 1"])
    for i, converted in enumerate((7500, 7600, 7700)):
        ws.write_row(i + 1, 0, [converted, 7500, 1850])
        ws.write_formula(i + 1, 3, f"=PRORATA_TAXABLE(A{i + 2},B{i + 2},C{i + 2})", None, stale)
        ws.write_formula(i + 1, 4, f"=ROUND(D{i + 2}+1,2)", None, stale)
    ws.write_dynamic_array_formula("F2:F4", "=PRORATA_TAXABLE(A2:A4,B2,C2)", None, stale)
    ws.write_formula("G2", "=SUM(F2:F4)", None, stale)
    ws.write_formula("H2", '=ROTH_ROLLOVER_SPLIT(50000,40000,200000,,0,"taxable")', None, stale)
    ws.write_formula("I2", "=EARLY_PENALTY(10000,45,,3)", None, stale)
    wb.define_name("TotalTaxable", "=Plan!$G$2")
    wb.close()
    return path


def test_omitted_arguments_become_blanks_only_in_our_calls():
    assert fill_omitted_arguments("EARLY_PENALTY(1000,45,,99)") == 'EARLY_PENALTY(1000,45,"",99)'
    assert (
        fill_omitted_arguments('EARLY_PENALTY(1, 45, , "a,,b")+SUM(1,,2)')
        == 'EARLY_PENALTY(1, 45, "", "a,,b")+SUM(1,,2)'
    )
    assert fill_omitted_arguments("IF(A1,PRORATA_TAXABLE(A2,A3,A4,),0)") == 'IF(A1,PRORATA_TAXABLE(A2,A3,A4,""),0)'


def test_recalculated_values_equal_the_core_and_input_is_untouched(tmp_path):
    src = sheet(tmp_path / "plan.xlsx")
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out.xlsx"
    result = calculate(src, out)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    want = [core.prorata_taxable(c, 7500, 1850).taxable_conversion for c in (7500, 7600, 7700)]
    assert [result.values[f"Plan!D{r}"] for r in (2, 3, 4)] == [float(w) for w in want] == [1485.0, 1565.6, 1655.5]
    assert result.values["Plan!E3"] == 1566.6
    assert result.values["Plan!G2"] == float(sum(want))
    # omitted to_roth_ira means "the after-tax share" (default), not 0: taxable 40,000 (hand-worked in test_udfs)
    assert result.values["Plan!H2"] == 40000.0
    assert result.values["Plan!I2"] == 0.0
    assert result.errors == {}
    book = openpyxl.load_workbook(out, data_only=True)
    ws = book["Plan"]
    assert [ws[f"F{r}"].value for r in (2, 3, 4)] == [1485.0, 1565.6, 1655.5]
    assert ws["G2"].value == float(sum(want))
    formulas = openpyxl.load_workbook(out)["Plan"]
    assert formulas["D2"].value == "=PRORATA_TAXABLE(A2,B2,C2)"  # formulas kept beside the new values


def test_changing_an_input_changes_the_output(tmp_path):
    src = sheet(tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(src)
    book["Plan"]["C2"] = 0
    book.save(tmp_path / "changed.xlsx")
    result = calculate(tmp_path / "changed.xlsx")
    assert result.values["Plan!D2"] == float(core.prorata_taxable(7500, 7500, 0).taxable_conversion) == 0.0


def test_cli_prints_named_outputs_refuses_overwrite_and_reports_error_cells(tmp_path, capsys, monkeypatch):
    src = sheet(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(src), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "TotalTaxable" in text and "4706.1" in text
    assert main(["calc", str(src), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["calc", str(src), "-o", str(src), "--overwrite"]) == 2
    wb = xlsxwriter.Workbook(tmp_path / "bad.xlsx")
    wb.add_worksheet("S").write_formula("A1", '=EARLY_PENALTY(1000,"abc")')
    wb.close()
    assert main(["calc", str(tmp_path / "bad.xlsx"), "-o", str(tmp_path / "bad.out.xlsx")]) == 1
    err = capsys.readouterr().err
    assert 'S!A1: #VALUE! from =EARLY_PENALTY(1000,"abc")' in err and "age must be a number, not the text 'abc'" in err
    wb = xlsxwriter.Workbook(tmp_path / "unknown.xlsx")
    wb.add_worksheet("S").write_formula("B3", "=NOT_A_FUNCTION(1)")
    wb.close()
    assert main(["calc", str(tmp_path / "unknown.xlsx"), "-o", str(tmp_path / "unknown.out.xlsx")]) == 1
    assert "S!B3: #NAME? from =NOT_A_FUNCTION(1) (a function this engine does not know)" in capsys.readouterr().err


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


BASIC = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"not a workbook") and p, "not an .xlsx workbook"),
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512) and p,
            "encrypted (password-protected)",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04 truncated") and p, "corrupt workbook"),
        (lambda p: _zip(p, {"a.txt": b"x"}), "corrupt workbook (no [Content_Types].xml"),
        (lambda p: _zip(p, {**BASIC, "xl/worksheets/sheet1.xml": b"\0" * (300 * 1024 * 1024)}), "zip bomb"),
        (
            lambda p: _zip(
                p,
                {
                    **BASIC,
                    "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><a>&lol;</a>',
                },
            ),
            "declares a DTD or entities",
        ),
        (lambda p: _zip(p, {**BASIC, "../evil.xml": b"<a/>"}), "unsafe part name"),
    ],
)
def test_hostile_or_corrupt_files_are_refused_with_a_reason(tmp_path, make, message):
    path = make(tmp_path / "in.xlsx")
    with pytest.raises(InputError, match=re.escape(message)):
        calculate(path)


def test_libreoffice_engine_gives_the_same_values(tmp_path):
    src = sheet(tmp_path / "plan.xlsx")
    formulas_engine = calculate(src)
    out = tmp_path / "lo.xlsx"
    office = calculate(src, out, engine="libreoffice")
    assert office.values == formulas_engine.values
    assert office.values["Plan!H2"] == 40000.0  # omitted argument kept as "default", not 0
    ws = openpyxl.load_workbook(out, data_only=True)["Plan"]
    assert [ws[f"F{r}"].value for r in (2, 3, 4)] == [1485.0, 1565.6, 1655.5]
    assert openpyxl.load_workbook(out)["Plan"]["D2"].value == "=PRORATA_TAXABLE(A2,B2,C2)"


def test_libreoffice_errors_carry_the_functions_messages(tmp_path):
    wb = xlsxwriter.Workbook(tmp_path / "bad.xlsx")
    wb.add_worksheet("S").write_formula("A1", '=EARLY_PENALTY(1000,"abc")')
    wb.close()
    result = calculate(tmp_path / "bad.xlsx", engine="libreoffice")
    assert result.errors == {"S!A1": "#VALUE!"}
    assert result.messages == ["age must be a number, not the text 'abc'"]


def test_libreoffice_that_does_not_answer_is_stopped_with_no_orphan(tmp_path, monkeypatch):
    import subprocess
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's LibreOffice only, not others'

    src = sheet(tmp_path / "plan.xlsx")
    with pytest.raises(InputError, match=r"did not answer within 0\.05 s"):
        calculate(src, engine="libreoffice", timeout=0.05)
    left = subprocess.run(["pgrep", "-f", f"{tmp_path}/xlr-lo-"], capture_output=True, text=True, check=False)
    assert left.stdout.strip() == "", left.stdout


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_an_error_inside_a_whole_column_result_is_reported_by_its_cell(tmp_path, engine):
    """Row 3 of a whole-column EARLY_PENALTY has text for an amount: its cell, not the anchor, is named."""
    wb = xlsxwriter.Workbook(tmp_path / "col.xlsx")
    ws = wb.add_worksheet("S")
    ws.write_column("A1", [10000, 2500.5, "lots", 800])
    ws.write_column("B1", [45, 45, 45, 60])
    ws.write_dynamic_array_formula("C1:C4", "=EARLY_PENALTY(A1:A4,B1:B4)")
    wb.close()
    out = tmp_path / "out.xlsx"
    result = calculate(tmp_path / "col.xlsx", out, engine=engine)
    assert result.errors == {"S!C3": "#VALUE!"}
    assert result.formulas["S!C3"] == "EARLY_PENALTY(A1:A4,B1:B4)"
    ws = openpyxl.load_workbook(out, data_only=True)["S"]
    # 10% of 10,000 and of 2,500.50 (250.05) before 59½; nothing at 60
    assert [ws[f"C{r}"].value for r in (1, 2, 4)] == [1000.0, 250.05, 0.0]
    assert ws["C3"].value == "#VALUE!"


def test_stored_values_reads_every_kind_of_cell(tmp_path):
    """Numbers, shared text, booleans, error values and text formula results, as a spreadsheet stores them."""
    from xl_rollover.engines.recalc import stored_values

    wb = xlsxwriter.Workbook(tmp_path / "kinds.xlsx")
    ws = wb.add_worksheet("Kinds & Co")
    ws.write_row(0, 0, [1485, 1565.6, "basis <carried>", True, False, -0.25, 1e20])
    ws.write_formula("A2", "=1/0", None, "#DIV/0!")
    ws.write_formula("B2", '="a"&"b"', None, "ab")
    ws.write_formula("C2", "=1+1", None, 2)
    wb.close()
    values = stored_values((tmp_path / "kinds.xlsx").read_bytes())
    assert values == {
        "KINDS & CO!A1": 1485,
        "KINDS & CO!B1": 1565.6,
        "KINDS & CO!C1": "basis <carried>",
        "KINDS & CO!D1": True,
        "KINDS & CO!E1": False,
        "KINDS & CO!F1": -0.25,
        "KINDS & CO!G1": 1e20,
        "KINDS & CO!A2": "#DIV/0!",
        "KINDS & CO!B2": "ab",
        "KINDS & CO!C2": 2,
    }


def test_a_workbook_libreoffice_cannot_open_is_reported_not_waited_for(tmp_path, monkeypatch):
    """The driver macro reports LibreOffice's own reason through its status file, and LibreOffice quits."""
    import subprocess
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's LibreOffice only, not others'

    from xl_rollover.engines import libreoffice

    text = tmp_path / "notes.xlsx"  # calc would refuse it first; the engine is handed it directly here
    text.write_text("not a workbook\n")
    with pytest.raises(
        InputError, match=r"LibreOffice could not recalculate notes\.xlsx: .*could not open the workbook"
    ):
        libreoffice.recalculate(text, timeout=60)
    left = subprocess.run(["pgrep", "-f", f"{tmp_path}/xlr-lo-"], capture_output=True, text=True, check=False)
    assert left.stdout.strip() == "", left.stdout


def test_names_that_are_formulas_or_other_names_are_listed_or_skipped_not_a_traceback(tmp_path, capsys):
    # Regression (Excel-parity run on formulas' test.xlsx): the named-figure list after `calc` read every
    # defined name's cells with openpyxl's DefinedName.destinations, which raises AttributeError on a name
    # that is a formula over other names ("=h+i") or a union ("=S!$A$1 S!$A$1:$B$1"): the output was written
    # and then a traceback printed. Such names have no single cell and are left out of the list.
    wb = xlsxwriter.Workbook(tmp_path / "names.xlsx")
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, ["Total", 2])
    ws.write_formula("C1", "=B1*3", None, 0)
    wb.define_name("Total", "=S!$C$1")
    wb.define_name("Twice", "=Total*2")
    wb.define_name("Alias", "=Total")
    wb.define_name("Both", "=S!$A$1 S!$A$1:$B$1")
    wb.close()
    assert main(["calc", str(tmp_path / "names.xlsx"), "-o", str(tmp_path / "out.xlsx")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  Total\s+6$", out, re.MULTILINE)  # B1*3 = 2*3 = 6
    assert "Twice" not in out and "Alias" not in out and "Both" not in out


def test_a_reference_inside_a_result_is_written_as_its_value(tmp_path):
    # Regression (Excel-parity run, formulas' test.xlsx LOOKUP!AH52): =INDEX(A1:B3,C1:C2,1) makes the
    # formulas engine return a reference inside an array; calc wrote its text "<Ranges>(...)=[[-2]]".
    # Excel stores -2 there: INDEX's row C1:C2 = {2;3} meets the formula's row 1 at C1 = 2 (implicit
    # intersection), so INDEX(A1:B3,2,1) = A2 = -2.
    wb = xlsxwriter.Workbook(tmp_path / "index.xlsx")
    ws = wb.add_worksheet("S")
    for row, (a, c) in enumerate([(5, 2), (-2, 3), (7, None)]):
        ws.write(row, 0, a)
        if c is not None:
            ws.write(row, 2, c)
    ws.write_formula("D1", "=INDEX(A1:B3,C1:C2,1)", None, 0)
    wb.close()
    result = calculate(tmp_path / "index.xlsx", tmp_path / "out.xlsx")
    assert result.values["S!D1"] == -2
    assert openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)["S"]["D1"].value == -2
