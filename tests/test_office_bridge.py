"""The conversions between LibreOffice Calc and the worksheet functions (run here in plain Python)."""

from __future__ import annotations

import datetime as dt

import xl_rollover as core
from xl_rollover.engines import libreoffice
from xl_rollover.engines.office_bridge import call, call_matrix
from xl_rollover.excel.functions import SPECS


def test_ranges_arrive_as_tuples_and_blanks_as_empty_text():
    # Calc passes a column range as a tuple of row tuples; "" and None are blank cells
    out = call("PRORATA_TAXABLE", (((7500.0,), (7600.0,)), 7500.0, 1850.0, "", None, "", ""))
    want = [float(core.prorata_taxable(c, 7500, 1850).taxable_conversion) for c in (7500, 7600)]
    assert out == ((want[0],), (want[1],)) == ((1485.0,), (1565.6,))


def test_errors_come_back_as_text_never_raised():
    assert call("EARLY_PENALTY", (1000.0, "abc", "", "", "", "", "", "")).startswith(
        "#VALUE! age must be a number, not the text 'abc'"
    )
    assert (
        call("NO_SUCH_FUNCTION", ())
        == "#VALUE! bridge: AttributeError: module 'xl_rollover.excel.functions' has no attribute 'NO_SUCH_FUNCTION'"
    )
    assert call_matrix("PRORATA_TAXABLE", ())[0][0].startswith("#VALUE! bridge: TypeError")


def test_add_in_results_are_always_rows_of_cells_with_booleans_as_numbers():
    # a 2026 single filer at MAGI 100,000 is below the Roth phase-out (IRC 408A(c)(3)): not reduced
    assert call("ROTH_IRA_LIMIT", (2026.0, 100000.0, "SINGLE", 45.0, "", "reduced")) is False
    assert call_matrix("ROTH_IRA_LIMIT", (2026.0, 100000.0, "SINGLE", 45.0, "", "reduced")) == ((0.0,),)
    assert call_matrix("ROTH_IRA_LIMIT", (2026.0, ((100000.0,), (200000.0,)), "SINGLE", 45.0, "", "reduced")) == (
        (0.0,),
        (1.0,),
    )


def test_dates_go_back_as_serial_numbers():
    from xl_rollover.engines.office_bridge import _cell_out

    assert _cell_out(dt.date(2026, 1, 1)) == 46023.0  # Excel/Calc serial of 2026-01-01
    assert _cell_out(None) == ""


def test_add_in_declares_every_function_with_its_arguments():
    idl = libreoffice._idl()
    source = libreoffice._addin(libreoffice.Path("/nowhere"))
    compile(source, "xl_rollover_addin.py", "exec")  # the generated component is valid Python
    for name, spec in SPECS.items():
        args = ", ".join(f"[in] any a{i}" for i in range(len(spec.params)))
        assert f"sequence< sequence< any > > {name}({args});" in idl
        assert f"Functions.{name} = _{name}" in source


def test_the_engines_fixed_files_ship_in_the_wheel_and_are_found_when_installed(tmp_path):
    """The LibreOffice engine's Basic, XML and add-in files are package data a wheel install finds."""
    import shutil
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(root / name, source / name)
    leave_out = shutil.ignore_patterns("__pycache__", "batch", "cli", "templates")
    shutil.copytree(root / "xl_rollover", source / "xl_rollover", ignore=leave_out)
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w"]
    done = subprocess.run([*build, str(tmp_path / "dist"), str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    fixed = sorted(p.name for p in (root / "xl_rollover/engines/lo_addin").iterdir() if p.name != "__pycache__")
    assert fixed == [
        "__init__.py",
        "addin.py",
        "driver.py",
        "forward.bas",
        "module.xba",
        "registrymodifications.xcu",
        "unorc",
        "xl_rollover.components",
    ]
    with zipfile.ZipFile(wheel) as archive:
        assert {f"xl_rollover/engines/lo_addin/{name}" for name in fixed} <= set(archive.namelist())
    site = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site)]
    done = subprocess.run([*install, str(wheel)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    # a fresh interpreter that sees only the installed wheel (and the standard library)
    script = (
        f"import sys; sys.path.insert(0, {str(site)!r}); import json; from xl_rollover.engines import libreoffice as lo; "
        "assert lo.__file__.startswith(sys.path[0]), lo.__file__; "
        f"print(json.dumps([lo._basic_module(), lo._fixed('driver.py'), lo._fixed('registrymodifications.xcu'), "
        "lo._filled('unorc', services='s', types='t')]))"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    import json

    assert json.loads(done.stdout) == [
        libreoffice._basic_module(),
        libreoffice._fixed("driver.py"),
        libreoffice._fixed("registrymodifications.xcu"),
        "[Bootstrap]\nUNO_SERVICES=s\nUNO_TYPES=t\n",
    ]
    assert "createUnoService(&quot;org.xlrollover.Functions&quot;)" in libreoffice._basic_module()


def test_cell_formulas_call_the_add_in_by_its_full_name_outside_quotes():
    """The engine's copy: our calls renamed for the add-in; text, sheet names and longer names left alone."""
    to_addin = libreoffice._to_addin
    assert to_addin("PRORATA_TAXABLE(A1,B1,C1)") == "ORG.XLROLLOVER.FUNCTIONS.PRORATA_TAXABLE(A1,B1,C1)"
    assert (
        to_addin('early_penalty (D1,45)+IF(A1="PRORATA_TAXABLE(",1,2)')
        == 'ORG.XLROLLOVER.FUNCTIONS.EARLY_PENALTY(D1,45)+IF(A1="PRORATA_TAXABLE(",1,2)'
    )
    kept = "'PRORATA_TAXABLE(1)'!A1+X.EARLY_PENALTY(1)+_xldudf_RMD(1)+MY_RMD(2)+SUM(A1:A3)"
    assert to_addin(kept) == kept


def test_the_engines_copy_changes_only_formulas_that_call_our_functions(tmp_path):
    import zipfile

    import xlsxwriter

    source = tmp_path / "in.xlsx"
    wb = xlsxwriter.Workbook(source)
    ws = wb.add_worksheet("S")
    ws.write_formula("A1", '=PRORATA_TAXABLE(7500,7500,1850)&"<PRORATA_TAXABLE(>"')
    ws.write_formula("A2", "=SUM(B1:B3)")
    wb.close()
    copy = tmp_path / "copy.xlsx"
    libreoffice._addin_copy(source, copy)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(copy) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "xl/worksheets/sheet1.xml":
                assert a.read(name) == b.read(name), name
        before, after = a.read("xl/worksheets/sheet1.xml").decode(), b.read("xl/worksheets/sheet1.xml").decode()
    assert '<f>PRORATA_TAXABLE(7500,7500,1850)&amp;"&lt;PRORATA_TAXABLE(&gt;"</f>' in before
    assert after == before.replace("<f>PRORATA_TAXABLE(", "<f>ORG.XLROLLOVER.FUNCTIONS.PRORATA_TAXABLE(")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook\n")
    libreoffice._addin_copy(text, tmp_path / "notes-copy.xlsx")  # copied as it is: LibreOffice says why not
    assert (tmp_path / "notes-copy.xlsx").read_text() == "not a workbook\n"
