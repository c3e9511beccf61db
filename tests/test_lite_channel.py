"""The xlwings Lite channel: committed main.py/requirements.txt, the formula-writing script, the wheel.

Everything Lite runs is run inside Pyodide (npm ``pyodide`` under Node, offline) with the real
pure-Python xlwings wheel, through xlwings' own call paths, as in ``tests/test_udf_lite.py``.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_rollover.excel import lite
from xl_rollover.excel.functions import SPECS
from xl_rollover.templates.specs import TEMPLATES

ROOT = Path(__file__).resolve().parents[1]
LITE_TEST = ROOT / "tests" / "lite"
CACHE = ROOT / ".cache" / "lite"
XLWINGS_WHEEL = CACHE / "xlwings-0.37.8-py3-none-any.whl"
MICROPIP_WHEEL = CACHE / "micropip-0.11.1-py3-none-any.whl"
COMMITTED = ROOT / "lite"


def test_committed_lite_files_are_the_generators_output(tmp_path):
    assert lite.FORMULAS_FILE.read_text(encoding="utf-8") == lite.formula_table_text(), (
        f"xl_rollover/excel/template_formulas.json is stale (a template changed): run `{lite.REGENERATE}` from the repository "
        "root and commit xl_rollover/excel/template_formulas.json and lite/"
    )
    lite.write(tmp_path)
    for name in ("main.py", "requirements.txt"):
        assert (COMMITTED / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), (
            f"lite/{name} is stale (the core, the functions or a template changed): run `{lite.REGENERATE}` "
            "from the repository root and commit xl_rollover/excel/template_formulas.json and lite/"
        )


def test_bundle_carries_core_and_excel_layer_only():
    with zipfile.ZipFile(io.BytesIO(lite.bundle())) as archive:
        names = set(archive.namelist())
    assert {
        "xl_rollover/__init__.py",
        "xl_rollover/core/data/irs_limits.csv",
        "xl_rollover/excel/functions.py",
    } <= names
    assert {"xl_rollover/excel/adapter.py", "xl_rollover/excel/lite_script.py", lite.FORMULAS} <= names
    left_out = {
        "xl_rollover/batch/runner.py",
        "xl_rollover/cli/main.py",
        "xl_rollover/core/demo.py",
        "xl_rollover/excel/lite.py",
        "xl_rollover/engines/recalc.py",
    }
    assert not names & left_out  # batch, CLI, demo, headless engines, the generator itself
    assert not any("batch" in n or "libreoffice" in n or "recalc" in n or "report" in n for n in names)
    assert {n for n in names if n.endswith(".py")} == lite.lite_modules()


def _all_formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """Every formula cell of a workbook, read independently of xl_rollover.excel.lite (openpyxl)."""
    book = openpyxl.load_workbook(path)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


def _formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """The formula cells that call a project function: the ones Lite must bind."""
    calls = re.compile(rf"(?<![\w.])({'|'.join(SPECS)})\(", re.IGNORECASE)
    return {k: f for k, f in _all_formula_cells(path).items() if calls.search(f)}


def test_formula_table_lists_every_function_call_of_every_template():
    table = lite.template_formulas()
    assert sorted(v["file"] for v in table.values()) == sorted(t.file for t in TEMPLATES)
    for title, entry in table.items():
        path = ROOT / "workbooks" / entry["file"]
        assert openpyxl.load_workbook(path)["Instructions"]["A1"].value == title
        assert {(s, a): f for s, a, f in entry["cells"]} == _formula_cells(path), entry["file"]
        assert {s for s, _, _ in entry["cells"]} == {"Plan"}  # the one sheet the Instructions say to unprotect
        # the formula cells left alone use only Excel's functions and the workbook's names
        # (outside its text strings: "... less the RMD" is words, not the RMD function)
        for formula in set(_all_formula_cells(path).values()) - set(_formula_cells(path).values()):
            code = re.sub(r'"[^"]*"', '""', formula)
            assert not any(name.lower() in code.lower() for name in SPECS), formula


def _node_run(tmp_path: Path, lite_dir: Path, inputs: object, harness: str, extra: Path | None = None) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is required for the xlwings Lite tests (run tools/test-setup)"
    assert (LITE_TEST / "node_modules" / "pyodide").is_dir(), "npm pyodide missing: run tools/test-setup"
    assert XLWINGS_WHEEL.is_file(), f"{XLWINGS_WHEEL} missing: run tools/test-setup"
    xlwings_dir = tmp_path / "xlwings"
    if not xlwings_dir.is_dir():
        with zipfile.ZipFile(XLWINGS_WHEEL) as wheel:
            wheel.extractall(xlwings_dir)
    calls = tmp_path / f"{harness}.json"
    calls.write_text(json.dumps(inputs))
    command = [node, str(LITE_TEST / "run_lite.mjs"), str(xlwings_dir), str(lite_dir), str(calls), harness]
    done = subprocess.run(
        [*command, *([str(extra)] if extra else [])], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def script_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("lite_script")
    books = []
    for t in TEMPLATES:
        book = openpyxl.load_workbook(ROOT / "workbooks" / t.file)
        books.append({"file": t.file, "title": book["Instructions"]["A1"].value, "sheets": book.sheetnames})
    books.append({"file": "other.xlsx", "title": "Quarterly sales", "sheets": ["Instructions", "Data"]})
    return books, _node_run(base, COMMITTED, books, "harness_script.py")


def test_script_is_registered_for_the_lite_pane(script_runs):
    _, answer = script_runs
    assert [s["function_name"] for s in answer["scripts"]] == ["write_template_formulas"]
    assert answer["scripts"][0]["name"] == "Write template formulas"


def _cell(action: dict) -> str:
    column, row = action["start_column"], action["start_row"] + 1
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def test_script_sets_every_function_call_of_each_template(script_runs):
    books, answer = script_runs
    for book, run in zip(books[:-1], answer["runs"][:-1], strict=True):
        assert "actions" in run, run
        want = _formula_cells(ROOT / "workbooks" / book["file"])
        got = {}
        for action in run["actions"]:
            assert action["func"] == "setFormula" and action["row_count"] == action["column_count"] == 1, action
            got[(book["sheets"][action["sheet_position"]], _cell(action))] = action["values"][0][0]
        assert got == want, book["file"]
        assert len(run["actions"]) == len(want) >= 2


def test_script_refuses_a_workbook_that_is_not_a_template(script_runs):
    _, answer = script_runs
    run = answer["runs"][-1]
    assert run["raised"] == "ValueError"
    assert "not an xl-rollover template" in run["message"] and "mega_backdoor_separation.xlsx" in run["message"]


def _build_wheel(target: Path) -> Path:
    """`pip wheel` of a copy of the sources (setuptools builds in the source tree)."""
    source = target / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    # the core and the Excel layer (what Lite needs); the other layers stay out
    leave_out = shutil.ignore_patterns("__pycache__", "batch", "cli", "engines", "templates")
    shutil.copytree(ROOT / "xl_rollover", source / "xl_rollover", ignore=leave_out)
    out = target / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = out.glob("*.whl")
    return wheel


def test_wheel_is_pure_and_holds_core_and_excel_layer(tmp_path):
    wheel = _build_wheel(tmp_path)
    assert wheel.name == "xl_rollover-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("xl_rollover-0.1.0.dist-info/METADATA").decode()
    assert {
        "xl_rollover/core/rules/form_8606.py",
        "xl_rollover/core/data/irs_limits.csv",
        "xl_rollover/excel/functions.py",
    } <= names
    assert {"xl_rollover/excel/lite_script.py", "xl_rollover/excel/template_formulas.json"} <= names
    assert not [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]


def test_wheel_installs_into_pyodide_with_micropip_and_computes(tmp_path):
    assert MICROPIP_WHEEL.is_file(), f"{MICROPIP_WHEEL} missing: run tools/test-setup"
    wheel = _build_wheel(tmp_path)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(wheel, extra / wheel.name)
    shutil.copy(MICROPIP_WHEEL, extra / MICROPIP_WHEEL.name)
    lite_dir = tmp_path / "workbook"
    lite_dir.mkdir()
    # what main.py holds once the wheel is installable: the function imports only
    (lite_dir / "main.py").write_text(
        "from xl_rollover.excel.functions import EARLY_PENALTY, PRORATA_TAXABLE  # noqa: F401\n"
        "from xl_rollover.excel.lite_script import write_template_formulas  # noqa: F401\n"
    )
    n = [[None]]
    inputs = {
        "wheel": wheel.name,
        "micropip": MICROPIP_WHEEL.name,
        "calls": [
            # Form 8606 line 10: 7,500 / (1,850 + 7,500) = 0.802 (3 places); line 11: 7,500 x 0.802 = 6,015.00;
            # line 18: 7,500 - 6,015.00 = 1,485.00 (the README's seed case)
            {"func_name": "PRORATA_TAXABLE", "args": [[[7500]], [[7500]], [[1850]], n, n, n, n]},
            # §72(t)(1): 10% of 10,000 at age 45, no exception = 1,000.00
            {"func_name": "EARLY_PENALTY", "args": [[[10000]], [[45]], n, n, n, n, n, n]},
        ],
    }
    answer = _node_run(tmp_path, lite_dir, inputs, "harness_wheel.py", extra)
    assert answer["installed"] == ["xl-rollover"]
    assert (
        "site-packages/xl_rollover/" in answer["core_from"]
        and "site-packages/xl_rollover/excel/" in answer["udfs_from"]
    )
    assert answer["answers"] == [[[1485.0]], [[1000.0]]]
    assert answer["templates"] == sorted(t.file for t in TEMPLATES)  # the script's table travels in the wheel
