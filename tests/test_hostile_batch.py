"""Hostile input to ``xl-rollover batch`` and the number parsers (issue 15, batch side; issue 12 point 7).

Every attack runs as a small generated fixture and checks: no traceback, one clear line, the
documented exit code (0 all rows done, 1 some rows failed, 2 bad input or arguments, 4 the system
failed), the input's bytes unchanged, and no file left at the target when the run fails.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.batch import files as batch_io
from xl_rollover.batch import runner as batch
from xl_rollover.cli.main import main
from xl_rollover.core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
HEADER = "function,converted,basis,year_end_value,taxable_amount,age\n"
SEED = HEADER + "prorata_taxable,7500,7500,1850,,\nearly_penalty,,,,10000,45\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def attack(tmp_path, capsys, content: bytes | str, argv_tail=(), code=2, text="", suffix=".csv", out_name="out.csv"):
    """Run batch on ``content``; return stderr. Checks the exit code, one line, input unchanged, no output."""
    src = tmp_path / f"in{suffix}"
    src.write_bytes(content.encode() if isinstance(content, str) else content)
    before = src.read_bytes()
    out = tmp_path / out_name
    existed = out.exists()
    rc = main(["batch", str(src), "-o", str(out), *argv_tail])
    captured = capsys.readouterr()
    err = captured.err
    assert rc == code, err
    assert "Traceback" not in err
    assert src.read_bytes() == before
    if code >= 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("xl-rollover: "), err
        assert text in lines[0], err
        assert out.exists() == existed and leftovers(tmp_path) == []
    return captured.out + err


# --- 9. tracebacks -> one clear message -------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (HEADER.encode(), "a header but no scenario rows"),
        (b"function;converted;basis\nprorata_taxable;1;2\n", "separated by ';'"),
        (HEADER.encode() + b"prorata_taxable,1,2,3,,,9,9\n", "line 2: 8 fields, but the header has 6"),
        (HEADER.encode() + b"prorata_taxable,1\n", "line 2: 2 fields, but the header has 6"),
        ("function,converted\nprorata_taxable,caf\u00e9\n".encode("latin-1"), "not UTF-8 text (byte 0xe9"),
        (b"function,converted,converted\nprorata_taxable,1,2\n", "column 'converted' appears twice"),
        (b"function,,converted\nprorata_taxable,x,1\n", "column 2 has values but no name"),
        (b"function,converted\nprorata_taxable,\x001\n", "NUL characters"),
        (b'function,converted\nprorata_taxable,"' + b"9" * 40_000 + b'"\n', "field larger than field limit"),
        (b"converted,basis\n1,2\n", "no 'function' column"),
    ],
)
def test_unreadable_csv_is_one_clear_line(tmp_path, capsys, content, text):
    attack(tmp_path, capsys, content, text=text)


def test_utf16_with_bom_and_crlf_are_read(tmp_path, capsys):
    attack(tmp_path, capsys, SEED.replace("\n", "\r\n").encode("utf-16"), code=0)
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert list(frame["taxable_conversion"].fillna("")) == ["1485.00", ""]  # Form 8606 seed case


def test_missing_input_directory_input_and_wrong_suffix(tmp_path, capsys):
    for source, text in [
        (tmp_path / "nope.csv", "no such file"),
        (tmp_path, "is a folder"),
        (tmp_path / "in.txt", "input must be .csv, .xlsx or .parquet"),
    ]:
        if source.name == "in.txt":
            source.write_text(SEED)
        rc = main(["batch", str(source), "-o", str(tmp_path / "out.csv")])
        err = capsys.readouterr().err.strip().splitlines()
        assert rc == 2 and len(err) == 1 and text in err[0]
        assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("out_name", "text"),
    [
        ("missing/out.csv", "does not exist"),
        ("sub", "is a folder"),
        ("out.txt", "output must be .xlsx, .csv or .parquet"),
    ],
)
def test_bad_output_paths(tmp_path, capsys, out_name, text):
    (tmp_path / "sub").mkdir()
    attack(tmp_path, capsys, SEED, ("--overwrite",), text=text, out_name=out_name)


def test_bad_xlsx_and_parquet_inputs(tmp_path, capsys):
    attack(tmp_path, capsys, b"not a zip at all", text="in.xlsx", suffix=".xlsx")
    attack(tmp_path, capsys, b"PAR1 broken", text="cannot read as Parquet", suffix=".parquet")


def test_bad_scheduler_is_one_line(tmp_path, capsys):
    attack(
        tmp_path, capsys, SEED, ("--engine", "dask", "--scheduler", "nonsense://nowhere"), text="cannot reach the Dask"
    )


def test_unknown_function_option_is_refused_before_work(tmp_path, capsys):
    attack(tmp_path, capsys, SEED, ("--function", "no_such_rule"), text="--function 'no_such_rule' is not a known")


def test_out_of_memory_is_exit_4_and_no_output(tmp_path, capsys, monkeypatch):
    def boom(*_args, **_kwargs):
        raise MemoryError

    monkeypatch.setattr(batch, "run", boom)
    attack(tmp_path, capsys, SEED, code=4, text="out of memory")


# --- 2. no silent wrong or missing results ---------------------------------------------------


def test_input_columns_never_shadow_results(tmp_path, capsys):
    content = (
        "function,taxable_amount,age,penalty,rate,error,row,input.penalty\nearly_penalty,10000,45,1,0.99,fake,77,x\n"
    )
    attack(tmp_path, capsys, content, code=0)
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str)
    row = frame.iloc[0]
    # §72(t)(1): 10% of 10,000 before 59½ = 1,000.00; the input's 'penalty' and 'rate' stay inputs
    assert row["penalty"] == "1000.00" and row["rate"] == "0.10" and pd.isna(row["error"]) and row["row"] == "1"
    assert row["input.penalty"] == "1" and row["input.rate"] == "0.99" and row["input.error"] == "fake"
    assert row["input.row"] == "77" and row["input.input.penalty"] == "x"


def test_function_names_normalised_and_every_row_accounted_for(tmp_path, capsys):
    names = ["early_penalty", " Early_Penalty ", "EARLY_PENALTY", "", "nonsense", "early penalty", "PRORATA_TAXABLE"]
    lines = [f"{n},10000,45,7500,7500,1850" for n in names]
    content = "function,taxable_amount,age,converted,basis,year_end_value\n" + "\n".join(lines) + "\n"
    said = attack(tmp_path, capsys, content, code=1)
    assert "7 scenario(s), 3 failed" in said  # the count is in the summary line
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert list(frame["row"].astype(int)) == list(range(1, 8))  # rows in = rows out, input order
    assert list(frame["penalty"].fillna("-")) == ["1000.00"] * 3 + ["-"] * 4
    assert frame.loc[6, "taxable_conversion"] == "1485.00"
    errors = frame["error"].fillna("")
    assert errors[3].startswith("the function name is blank")
    assert errors[4].startswith("unknown function 'nonsense'") and errors[5].startswith(
        "unknown function 'early penalty'"
    )
    main(["batch", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.xlsx")])
    assert "7 scenario(s), 3 failed" in capsys.readouterr().out
    sheets = pd.read_excel(tmp_path / "out.xlsx", sheet_name=None)
    assert list(sheets) == ["early_penalty", "errors", "prorata_taxable"]
    assert sum(len(s) for s in sheets.values()) == 7


def test_every_public_worksheet_function_runs_in_batch():
    from xl_rollover.excel.functions import SPECS

    assert {spec.call.__name__ for spec in SPECS.values()} == set(batch.RULES)
    for spec in SPECS.values():
        assert batch.rule_for(spec.name.lower()).spec.params is spec.params  # one declaration: the registry's
    frame = pd.DataFrame(
        {
            "function": ["ROTH_IRA_DISTRIBUTION", "irs_limit", "MEGA_BACKDOOR_ROOM", "roth_penalty_free"],
            "amount": ["5000", None, None, None],
            "regular_contributions": ["0", None, None, "0"],
            "conversions": ["2025:500:20000", None, None, "2025:500:20000"],
            "distribution_year": ["2027", None, None, "2027"],
            "age": ["47", None, "45", "47"],
            "limit_name": [None, "annual_additions_limit_415c1A", None, None],
            "year": [None, "2026", "2026", None],
            "employee_deferrals": [None, None, "24500", None],
            "employer_contributions": [None, None, "10000", None],
        }
    )
    out = batch.combined(batch.run(frame))
    assert out["error"].isna().all(), out["error"].tolist()
    # README CLI example: roth-withdrawal 5000 --conversion 2025:500:20000 --distribution-year 2027 --age 47
    want = xr.roth_ira_distribution(5000, 0, [(2025, 500, 20000)], distribution_year=2027, age=47)
    assert out.loc[0, "taxable"] == want.taxable and out.loc[0, "penalty"] == want.penalty
    assert out.loc[1, "value"] == Decimal("72000")  # 2026 §415(c)(1)(A) limit (Notice 2025-67)
    assert out.loc[2, "room"] == xr.mega_backdoor_room(2026, 24500, 10000).room


def test_sheet_names_unique_and_valid():
    keys = ["a" * 31 + "x", "a" * 31 + "y", "A" * 31, "bad[]:*?/\\name", "history", "'quoted'", ""]
    names = batch_io.sheet_names(keys)
    values = list(names.values())
    assert len({v.casefold() for v in values}) == len(keys)
    for name in values:
        assert 1 <= len(name) <= 31 and not set(name) & set("[]:*?/\\") and not name.startswith("'")
    assert names["bad[]:*?/\\name"] == "bad_______name"


# --- 3. output text is never a formula ------------------------------------------------------

EVIL = ["=cmd|' /C calc'!A0", "+SUM(1,1)", "-2+3", "@SUM(1)", "\tx", "\rx", '=HYPERLINK("http://x")']


def csv_text(rows: list[list[str]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [["function", "taxable_amount", "age"], *rows]
    )
    return buffer.getvalue()


def test_xlsx_strings_are_strings_and_numbers_numbers(tmp_path, capsys):
    rows = [["early_penalty", e, "45"] for e in EVIL] + [["early_penalty", "10000", "45"]]
    attack(tmp_path, capsys, csv_text(rows), code=1, out_name="out.xlsx")
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["early_penalty"]
    header = [c.value for c in ws[1]]
    evil_cells = [ws.cell(row=i + 2, column=header.index("input.taxable_amount") + 1) for i in range(len(EVIL))]
    assert all(c.data_type == "s" for c in evil_cells)
    assert [c.value for c in evil_cells][:4] == EVIL[:4]
    last = len(EVIL) + 2
    penalty = ws.cell(row=last, column=header.index("penalty") + 1)
    given = ws.cell(row=last, column=header.index("input.taxable_amount") + 1)
    assert penalty.data_type == "n" and penalty.value == 1000  # 10% of 10,000 (§72(t)(1)), a number
    assert given.data_type == "n" and given.value == 10000
    assert ws.cell(row=last, column=header.index("row") + 1).value == len(EVIL) + 1


def test_csv_cells_that_would_run_are_neutralised(tmp_path, capsys):
    rows = [["early_penalty", e, "45"] for e in EVIL] + [["prorata_taxable", "-5", "45"]]
    attack(tmp_path, capsys, csv_text(rows), code=1)
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    got = list(frame["input.taxable_amount"])
    assert got[: len(EVIL)] == ["'" + e for e in EVIL]
    assert got[-1] == "-5"  # a number stays a number
    for column in frame.columns:
        for cell in frame[column]:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) and (
                not cell.startswith("-") or batch_io._NUMBER.fullmatch(cell)
            ), (column, cell)


# --- 4. whole or nothing, never the input ------------------------------------------------------


def test_overwrite_refuses_a_hard_link_to_the_input(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(SEED)
    link = tmp_path / "link.csv"
    os.link(src, link)
    rc = main(["batch", str(src), "-o", str(link), "--overwrite"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "is the input file itself" in err[0]
    assert src.read_text() == SEED and link.read_text() == SEED and leftovers(tmp_path) == []


def test_overwrite_refuses_symlinks_and_special_files(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(SEED)
    (tmp_path / "sym.csv").symlink_to(src)
    os.mkfifo(tmp_path / "fifo.csv")
    for name, text in [("sym.csv", "symbolic link"), ("fifo.csv", "not a regular file")]:
        rc = main(["batch", str(src), "-o", str(tmp_path / name), "--overwrite"])
        err = capsys.readouterr().err.strip().splitlines()
        assert rc == 2 and len(err) == 1 and text in err[0]
    assert src.read_text() == SEED and leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_target_as_it_was(tmp_path, capsys, monkeypatch):
    src = tmp_path / "in.csv"
    src.write_text(SEED)
    out = tmp_path / "out.csv"
    out.write_text("previous results\n")

    def half_then_die(frame, handle, progress):
        handle.write(b"row,function\n1,")
        raise SystemExit(143)  # what the SIGTERM handler raises

    monkeypatch.setattr(batch_io, "_write_csv", half_then_die)
    with pytest.raises(SystemExit):
        main(["batch", str(src), "-o", str(out), "--overwrite"])
    assert out.read_text() == "previous results\n" and leftovers(tmp_path) == []
    out.unlink()
    with pytest.raises(SystemExit):
        main(["batch", str(src), "-o", str(out)])
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_no_truncated_target(tmp_path, sig):
    src = tmp_path / "in.csv"
    src.write_text(SEED)
    out = tmp_path / "out.csv"
    # a writer that writes part of the file and then waits: the run is killed mid-write
    child = (
        "import sys, time\n"
        "from xl_rollover.batch import files as batch_io\n"
        "def slow(frame, handle, progress):\n"
        "    handle.write(b'row,function\\n1,'); handle.flush(); print('writing', flush=True); time.sleep(60)\n"
        "batch_io._write_csv = slow\n"
        "from xl_rollover.cli.main import main\n"
        f"sys.exit(main(['batch', {str(src)!r}, '-o', {str(out)!r}]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", child], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"writing"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert not out.exists()  # never a truncated or 0-byte file at the target
    assert b"Traceback" not in err
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and leftovers(tmp_path) == []
    assert src.read_text() == SEED


def test_existing_target_without_overwrite_is_kept(tmp_path, capsys):
    (tmp_path / "out.csv").write_text("keep\n")
    src = tmp_path / "in.csv"
    src.write_text(SEED)
    rc = main(["batch", str(src), "-o", str(tmp_path / "out.csv")])
    assert rc == 2 and "exists" in capsys.readouterr().err
    assert (tmp_path / "out.csv").read_text() == "keep\n"


# --- 5. the vectorised path accepts exactly what the core accepts ---------------------------

ODD = [
    True,
    False,
    1,
    0,
    -1,
    12.5,
    0.001,
    1e-300,
    1234.5600000000001,
    1e15,
    float("nan"),
    float("inf"),
    None,
    "",
    "  ",
    "7500",
    " 7500 ",
    "1e-300",
    "1,23",
    "1,234.50",
    "$5",
    "-0",
    "0007.5",
    "1e3",
    "abc",
    "#N/A",
    "TRUE",
    Decimal("12.34"),
    Decimal("1E+999999"),
    dt.timedelta(days=1),
    pd.Timestamp("2026-01-01"),
    "9" * 5000,
]
cells = st.one_of(
    st.sampled_from(ODD),
    st.integers(0, 10**9).map(lambda c: c / 100),
    st.integers(0, 10**6).map(str),
    st.decimals(0, 10**6, places=3, allow_nan=False).map(str),
)
ages_cells = st.one_of(
    st.sampled_from([*ODD, 59.5, "59.5", "59.4999999999", 125, 126, "45", "1980-01-01:2026-06-01"]),
    st.floats(0, 130),
)


def equal_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    for i in range(len(b)):
        left = [None if pd.isna(v) else str(v) for v in a.iloc[i][list(b.columns)]]
        right = [None if pd.isna(v) else str(v) for v in b.iloc[i]]
        assert left == right, (i, [(c, x, y) for c, x, y in zip(b.columns, left, right, strict=True) if x != y])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells, cells), min_size=1, max_size=30))
def test_prorata_column_path_equals_the_core_row_by_row(rows):
    frame = pd.DataFrame(rows, columns=["converted", "basis", "year_end_value", "distributions"], dtype=object)
    rule = batch.RULES["prorata_taxable"]
    equal_rows(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(cells, ages_cells, st.sampled_from([None, "IRA", " ira ", "401K", 1, True])), max_size=30))
def test_penalty_column_path_equals_the_core_row_by_row(rows):
    frame = pd.DataFrame(rows, columns=["taxable_amount", "age", "account_type"], dtype=object)
    rule = batch.RULES["early_penalty"]
    equal_rows(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**13), st.floats(0, 130)),
        min_size=1,
        max_size=30,
    )
)
def test_numeric_dtype_columns_equal_the_core_row_by_row(rows):
    frame = pd.DataFrame(rows, columns=["converted", "basis", "year_end_value"])  # float64, int64, float64
    rule = batch.RULES["prorata_taxable"]
    equal_rows(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))
    penalty = pd.DataFrame({"taxable_amount": frame["converted"], "age": frame["year_end_value"]})
    rule = batch.RULES["early_penalty"]
    equal_rows(batch.run_vectorised(rule, penalty), batch.run_scalar(rule, penalty))


def test_typed_columns_are_not_numbers_the_core_refuses():
    frame = pd.DataFrame(
        {
            "taxable_amount": pd.to_timedelta([1, 2], unit="D"),
            "age": [45, 45],
        }
    )
    out = batch.run_vectorised(batch.RULES["early_penalty"], frame)
    assert out["penalty"].isna().all()  # not 8,640,000,000.00 from nanoseconds
    assert out["error"].str.contains("taxable_amount must be a number").all()
    bools = batch.run_vectorised(
        batch.RULES["early_penalty"], pd.DataFrame({"taxable_amount": [True, False], "age": [45, 45]})
    )
    assert bools["error"].str.contains("not the logical value").all()  # True is not 1
    text = batch.run_vectorised(
        batch.RULES["early_penalty"], pd.DataFrame({"taxable_amount": ["1e-300", "1,23"], "age": ["45", "45"]})
    )
    assert list(text["error"]) == [
        "taxable_amount 1e-300 has fractions of a cent; give dollars and cents",
        "taxable_amount '1,23' is not a number: a comma may only separate thousands (1,234.56); "
        "a decimal comma is not accepted",
    ]


# --- 6. small inputs, huge costs ----------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: xr.irs_limit("annual_additions_limit_415c1A", "1e99999999"), "out of range"),
        (lambda: xr.prorata_taxable("1e999999999", 1, 1), "out of range"),
        (lambda: xr.irs_limit("annual_additions_limit_415c1A", "9" * 5000), "text of 5,000 characters"),
        (lambda: xr.irs_limit("annual_additions_limit_415c1A", 10**5000), "an integer of about 5,000 digits"),
        (lambda: xr.irs_limit("annual_additions_limit_415c1A", Decimal("1e999999999")), "out of range"),
        (lambda: xr.prorata_taxable(Decimal("1." + "1" * 500), 1, 1), "more than 60 digits"),
        (lambda: xr.early_penalty(100, "4" * 10**6), "text of 1,000,000 characters"),
        (lambda: xr.early_penalty(100, ("1" * 10**6, "2026-01-01")), "is not a date"),
        (lambda: xr.roth_ira_contribution_limit(2026, 1, "y" * 10**6, 40), "is not one of"),
        (lambda: xr.prorata_taxable("1,23", 1, 1), "a decimal comma is not accepted"),
        (lambda: xr.irs_limit("annual_additions_limit_415c1A", "2026.5"), "is not a whole year"),
    ],
)
def test_huge_or_odd_numbers_are_short_input_errors(call, text):
    with pytest.raises(InputError) as info:
        call()
    message = str(info.value)
    assert text in message and len(message) < 200


def test_thousands_separators_as_documented():
    assert xr.prorata_taxable("1,234.50", 0, 1000).taxable_conversion == Decimal("1234.50")  # no basis: all taxable
    assert xr.irs_limit("annual_additions_limit_415c1A", " 2026 ").value == Decimal("72000")
    assert xr.irs_limit("annual_additions_limit_415c1A", "2026.0").value == Decimal("72000")


@pytest.mark.parametrize(
    "argv",
    [
        ["prorata", "1", "1", "1", "--ratio-decimals", "9" * 5000],
        ["limit", "annual_additions_limit_415c1A", "1e99999999"],
        ["penalty", "9" * 5000, "45"],
        ["split", "1e999999999", "0", "1"],
    ],
)
def test_cli_number_options_share_the_bounded_parsers(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("xl-rollover: error:") and len(err[0]) < 250


def test_worksheet_functions_share_the_bounded_parsers():
    from xl_rollover.excel import functions as F

    cell = F.IRS_LIMIT("annual_additions_limit_415c1A", "1e99999999")
    assert isinstance(cell, str) and "out of range" in cell and len(cell) < 200


# --- 11 / 12.7: exit codes, numbers, progress ---------------------------------------------


def test_exit_zero_when_every_row_succeeded(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(SEED)
    assert main(["batch", str(src), "-o", str(tmp_path / "out.parquet")]) == 0
    assert "2 scenario(s), 0 failed" in capsys.readouterr().out
    frame = pd.read_parquet(tmp_path / "out.parquet")
    assert str(frame.loc[0, "taxable_conversion"]) == "1485.00" and str(frame.loc[1, "penalty"]) == "1000.00"


def test_exit_one_whatever_the_number_of_failed_rows(tmp_path, capsys):
    rows = "".join("prorata_taxable,abc,1,1,,\n" for _ in range(300))
    said = attack(tmp_path, capsys, HEADER + rows, code=1)
    assert "300 scenario(s), 300 failed" in said  # not exit 300 (or 44 = 300 mod 256)


def test_progress_is_reported_every_few_hundred_rows():
    # "50,000" (a thousands separator) is read by the core, row by row: the path that reports as it goes
    frame = pd.DataFrame({"function": "roth_rollover_split", "distribution": ["50,000"] * 1000})
    frame["after_tax_basis"], frame["account_balance"] = "40000", "200000"
    seen: list[tuple[int, int]] = []
    batch.run(frame, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 1000 // batch.TICK and seen[-1] == (1000, 1000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_progress_bar_thread_redraws_without_reports(capsys):
    from xl_rollover.cli.main import _ProgressBar

    # no wall time: the bar's clock and its wait between redraws are injected; each wait advances the clock
    now, waits = [100.0], []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        now[0] += seconds
        return len(waits) > 4  # then the bar is closed

    bar = _ProgressBar(clock=lambda: now[0], wait=wait)
    bar._thread.join(timeout=10)
    bar(5, 10)
    bar.close()
    err = capsys.readouterr().err
    assert len(waits) == 5 and all(0 < s <= 1 for s in waits)  # it moves at least once a second
    draws = err.split("\r")[1:]
    assert len(draws) == 5  # 4 redraws while nothing reported, then the last on close
    shown = [int(d.split(" rows")[1].split()[0]) for d in draws]
    assert shown == sorted(shown) and shown[-1] == round(sum(waits)) and shown[-1] > shown[0]
    assert "0/0 rows" in draws[0] and "5/10 rows" in draws[-1]


def test_missing_required_column_is_an_error_on_each_row(tmp_path, capsys):
    said = attack(tmp_path, capsys, "function,converted,basis\nprorata_taxable,7500,7500\n", code=1)
    assert "1 scenario(s), 1 failed" in said
    assert "the input has no column 'year_end_value', required by prorata_taxable" in said


def test_xlsx_and_parquet_inputs_keep_types_the_core_refuses(tmp_path, capsys):
    import xlsxwriter

    book = xlsxwriter.Workbook(tmp_path / "in.xlsx")
    sheet = book.add_worksheet("scenarios")
    sheet.write_row(0, 0, ["function", "taxable_amount", "age"])
    sheet.write_row(1, 0, ["Early_Penalty", 10000, 45])
    sheet.write_string(2, 0, "early_penalty")
    sheet.write_boolean(2, 1, True)
    sheet.write_number(2, 2, 45)
    book.close()
    before = (tmp_path / "in.xlsx").read_bytes()
    assert main(["batch", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.csv")]) == 1
    assert (tmp_path / "in.xlsx").read_bytes() == before
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert frame.loc[0, "penalty"] == "1000.00"  # 10% of 10,000 at 45 (§72(t)(1))
    assert "not the logical value True" in frame.loc[1, "error"]
    pd.DataFrame(
        {"function": ["early_penalty"] * 2, "taxable_amount": pd.to_timedelta([1, 2], unit="D"), "age": [45, 45]}
    ).to_parquet(tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet")]) == 1
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["penalty"].isna().all() and out["error"].str.contains("taxable_amount must be a number").all()
    capsys.readouterr()
