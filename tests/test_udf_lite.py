"""xlwings Lite: the generated main.py inside Pyodide (npm ``pyodide``, under Node, offline).

The real xlwings package (its pure-Python wheel, as Lite installs it) loads main.py, builds the
functions' metadata and answers every call through its own custom-function call path, with
arguments shaped as Office.js sends them (every argument a 2-D matrix, blanks as null, dates as
serial numbers). ``tools/test-setup`` installs Node's Pyodide and the wheel; if they are missing this
test fails rather than skips, because running in Lite is a requirement.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import xl_rollover as core
from xl_rollover.excel import lite
from xl_rollover.excel.functions import SPECS

ROOT = Path(__file__).resolve().parents[1]
LITE_TEST = ROOT / "tests" / "lite"
WHEEL = ROOT / ".cache" / "lite" / "xlwings-0.37.8-py3-none-any.whl"

N = None  # a blank cell as Office.js sends it


def m(*rows):
    """A 2-D matrix argument; a bare value is a 1x1 matrix."""
    return [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows]


CALLS = [
    ("PRORATA_TAXABLE", [m(7500), m(7500), m(1850), m(N), m(N), m(N), m(N)]),
    ("PRORATA_TAXABLE", [m(7500, 6000), m(7500), m(1850, 0), m(N), m(N), m(N), m(N)]),
    ("ROTH_ROLLOVER_SPLIT", [m(50000), m(40000), m(200000), m(30000), m(0), m("taxable"), m(N), m(N), m(N)]),
    ("FORM_8606", [m(7500), m(0), m(1850), m(N), m(7500), m(N), m(N), m("lines_18"), m(N)]),
    # born 1966-07-15 (serial 24303); 2026-01-15 (46037) is the day 59 1/2 is reached
    ("EARLY_PENALTY", [m(10000), m([24303, 46037]), m(N), m(N), m(N), m(N), m(N), m(N)]),
    ("EARLY_PENALTY", [m(10000), m(45), m("SIMPLE_IRA"), m(N), m(N), m(N), m(N), m(True)]),
    (
        "ROTH_IRA_DISTRIBUTION",
        [
            m(10000),
            m(5000),
            [["year", "taxable", "nontaxable"], [2022, 3000, 1000]],
            m(2026),
            m(45),
            m(N),
            m(N),
            m("penalty"),
            m(N),
        ],
    ),
    ("MEGA_BACKDOOR_ROOM", [m(2026), m(24500), m(10000), m(N), m(N), m(N), m(N)]),
    ("ROTH_IRA_LIMIT", [m(2025), m(157500), m("single"), m(40), m(3000), m(N), m(2000), m(N), m(N)]),
    ("IRA_DEDUCTION_LIMIT", [m(2021), m(30000), m("MFJ"), m(30), m(False), m(N), m(0), m(N), m(30000), m(6000)]),
    ("IRS_LIMIT", [m("annual_additions_limit_415c1A"), m(2026), m(N), m(N)]),
    # error paths
    ("ROTH_ROLLOVER_SPLIT", [m(60000), m(0), m(50000), m(N), m(N), m(N), m(N), m(N), m(N)]),
    ("EARLY_PENALTY", [m(100), m(45), m(N), m("99"), m(N), m(N), m(N), m(N)]),
    ("PRORATA_TAXABLE", [m(1, "x"), m(0), m(10), m(N), m(N), m(N), m(N)]),
    ("IRS_LIMIT", [m("annual_additions_limit_415c1A"), m(1999), m(N), m(N)]),
    # RMD and SEPP (appended: the indexes above stay): born 1952-03-10 is serial 19063
    ("RMD", [m(2025), m(19063), m(500000), m(N), m(N), m(N), m(N)]),
    ("SEPP_PAYMENT", [m(400000), m("1973-06-15"), m(2023), m("amortization"), m(0.04), m(N), m(N), m(N), m(N)]),
    ("SEPP_PAYMENT", [m(400000), m("1973-06-15"), m(2023), m("annuitization"), m(0.04), m(N), m(N), m(N), m(N)]),
    # whole columns of the Roth functions: one conversions table for every row (the kernels, without numpy)
    (
        "ROTH_IRA_DISTRIBUTION",
        [
            m(10000, 10000, "x", 2000),
            m(5000),
            [["year", "taxable", "nontaxable"], [2022, 3000, 1000], [2024, 500.5, 0]],
            m(2026),
            m(45, 60, 45, 45),
            m(2020),
            m(N),
            m("penalty"),
            m(N),
            m(N),
        ],
    ),
    ("ROTH_PENALTY_FREE", [m(10000, 2000), [[2022, 3000, 1000], [2024, 500.5, 0]], m(2026), m(45, 60), m(N)]),
]


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    node = shutil.which("node")
    assert node, "Node.js is required for the xlwings Lite test (run tools/test-setup)"
    assert (LITE_TEST / "node_modules" / "pyodide").is_dir(), "npm pyodide missing: run tools/test-setup"
    assert WHEEL.is_file(), f"{WHEEL} missing: run tools/test-setup"
    base = tmp_path_factory.mktemp("lite")
    xlwings_dir = base / "xlwings"
    with zipfile.ZipFile(WHEEL) as wheel:
        wheel.extractall(xlwings_dir)
    lite_dir = base / "workbook"
    lite.write(lite_dir)
    calls = base / "calls.json"
    calls.write_text(json.dumps([{"func_name": name, "args": args} for name, args in CALLS]))
    done = subprocess.run(
        [node, str(LITE_TEST / "run_lite.mjs"), str(xlwings_dir), str(lite_dir), str(calls)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_runs_inside_pyodide_from_the_generated_main_py(pyodide_run):
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["xlwings"] == "0.37.8"
    # the bundle inside main.py, not this checkout
    assert ".zip/xl_rollover/excel/functions.py" in pyodide_run["udfs_from"]


def test_metadata_lists_every_function_with_its_help(pyodide_run):
    functions = {f["name"]: f for f in pyodide_run["meta"]["functions"]}
    assert set(functions) == set(SPECS)
    for name, spec in SPECS.items():
        meta = functions[name]
        assert meta["description"] and len(meta["description"]) <= 255
        assert [p["name"] for p in meta["parameters"]] == [p.name for p in spec.params]
        assert [p["description"] for p in meta["parameters"]] == [p.help for p in spec.params]
        optional = [p.get("optional", False) for p in meta["parameters"]]
        assert optional == [not p.required for p in spec.params], name
        assert all(p["dimensionality"] == "matrix" for p in meta["parameters"])


def test_every_function_answers_through_xlwings_call_path(pyodide_run):
    a = pyodide_run["answers"]
    assert (
        a[0] == {"value": [[float(core.prorata_taxable(7500, 7500, 1850).taxable_conversion)]]} == {"value": [[1485.0]]}
    )
    assert a[1] == {"value": [[1485.0], [0.0]]}
    assert a[2] == {"value": [[float(core.roth_rollover_split(50000, 40000, 200000, 30000, 0).taxable)]]}
    assert a[3] == {"value": [[1485.0]]}
    assert a[4] == {"value": [[0.0]]}
    assert a[5] == {
        "value": [[float(core.early_penalty(10000, 45, "SIMPLE_IRA", simple_first_two_years=True).penalty)]]
    }
    roth = core.roth_ira_distribution(10000, 5000, [(2022, 3000, 1000)], distribution_year=2026, age=45)
    assert a[6] == {"value": [[float(roth.penalty)]]}
    assert a[7] == {"value": [[float(core.mega_backdoor_room(2026, 24500, 10000).room)]]}
    # Pub. 590-A Worksheet 2-2: line 6 = 3,000; line 8 = 3,000 x 7,500 / 15,000 = 1,500; line 10 = 3,000 - 2,000
    assert a[8] == {"value": [[1000.0]]}
    # Pub. 590-A (2021) Kristin and Carl: 6,000 with Carl's 30,000 less his 6,000 (IRC 219(c))
    assert a[9] == {"value": [[6000.0]]}
    assert a[10] == {"value": [[float(core.irs_limit("annual_additions_limit_415c1A", 2026).value)]]}


def test_errors_end_as_excel_errors(pyodide_run):
    a = pyodide_run["answers"]
    # #VALUE! with the message on hover: xlwings' error type raised out of the call
    assert a[11] == {"raised": "XlwingsError", "message": "distribution 60,000.00 exceeds account_balance 50,000.00"}
    # #N/A for a case the rules do not cover: a real error value (Office.js runtime 1.4+)
    assert a[12] == {"value": [[{"type": "Error", "errorType": "NotAvailable"}]]}
    # one bad row of a range: that cell is #VALUE!, the others keep their answers
    assert a[13] == {"value": [[1.0], [{"type": "Error", "errorType": "Value"}]]}
    assert a[14]["raised"] == "XlwingsError" and "year 1999 is not in the limits table" in a[14]["message"]


def test_rmd_and_sepp_answer_inside_pyodide(pyodide_run):
    a = pyodide_run["answers"]
    # 500,000 / 26.5 (Reg. 1.401(a)(9)-9(c), age 73) = 18,867.92; the date arrives as an Office.js serial number
    assert a[15] == {"value": [[float(core.required_minimum_distribution(2025, "1952-03-10", 500000).amount)]]}
    assert a[15] == {"value": [[18867.92]]}
    # 400,000 amortized over 36.2 years at 4% (Notice 2022-6 §3.01(b)) = 21,101.63
    assert a[16] == {"value": [[21101.63]]}
    # fixed annuitization is refused: a real #N/A
    assert a[17] == {"value": [[{"type": "Error", "errorType": "NotAvailable"}]]}


def test_whole_column_roth_calls_answer_inside_pyodide(pyodide_run):
    a = pyodide_run["answers"]
    # tests/test_udf_roth_columns.py, hand-worked: 400.00 at 45 (10% of 499.50 taxable + 3,500.50 recaptured),
    # nothing when qualified at 60 or when 2,000 takes regular contributions only; the text amount is #VALUE!
    assert a[18] == {"value": [[400.0], [0.0], [{"type": "Error", "errorType": "Value"}], [0.0]]}
    # penalty-free: regular only at 45 (2022's taxable part is inside 2022-2026); all basis at 60
    assert a[19] == {"value": [[10000.0], [6500.5]]}
