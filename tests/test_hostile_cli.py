"""The command line under hostile conditions: a full disk, a closed pipe, a fault of ours; one line, an exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from xl_rollover.cli import main as cli
from xl_rollover.core.money import SHOWN


def command(*argv: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xl_rollover.cli", *argv], stdout=stdout, stderr=subprocess.PIPE, text=True, check=False
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [("demo",), ("demo", "--json"), ("prorata", "10000", "5000", "20000")])
def test_a_full_disk_behind_standard_output_is_one_line_exit_4(argv):
    with open("/dev/full", "w") as full:
        done = command(*argv, stdout=full)
    assert done.returncode == cli.EXIT_SYSTEM
    assert done.stderr == "xl-rollover: error: No space left on device (standard output)\n"


def test_a_reader_that_stopped_early_is_no_traceback():
    read, write = os.pipe()
    os.close(read)  # like `xl-rollover ... | head -1` once head has gone
    try:
        done = command("form-8606", "--converted", "7000", "--json", stdout=write)
    finally:
        os.close(write)
    assert done.returncode == cli.EXIT_PIPE
    assert done.stderr == ""


def test_a_fault_of_ours_is_one_line_exit_70(capsys, monkeypatch):
    def broken(_args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "_run", broken)
    assert cli.main(["demo"]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err == "xl-rollover: internal error (ZeroDivisionError: division by zero); please report it\n"


def test_interrupted_is_one_line_exit_130(capsys, monkeypatch):
    def interrupted(_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert cli.main(["demo"]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "xl-rollover: interrupted; nothing more was written\n"


@pytest.mark.parametrize(
    "argv",
    [
        ("roth-penalty-free", "--distribution-year", "2027", "--age", "47", "--conversion", "9" * 5000),
        ("roth-withdrawal", "1", "--distribution-year", "2027", "--age", "47", "--roth-401k-rollover", "9" * 5000),
    ],
)
def test_a_malformed_table_row_is_repeated_cut_short(capsys, argv):
    assert cli.main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "must have" in err and len(err) < 2 * SHOWN + 80


@pytest.mark.parametrize(("qualified", "taxable"), [("yes", "3500.00"), ("TRUE", "3500.00"), ("no", "4000.00")])
def test_roth_401k_rollover_qualified_is_the_cores_flag(capsys, qualified, taxable):
    # $5,000 out, no other basis; the rollover brought $1,000 contributions and $500 earnings: qualified, all
    # $1,500 is contribution basis (taxable 3,500); not qualified, the $1,000 only (4,000) (Reg. §1.408A-10 A-3)
    argv = ["roth-withdrawal", "5000", "--distribution-year", "2027", "--age", "47", "--json"]
    assert cli.main([*argv, "--roth-401k-rollover", f"2020:1000:500:{qualified}"]) == 0
    assert f'"taxable": "{taxable}"' in capsys.readouterr().out
    assert cli.main([*argv, "--roth-401k-rollover", "2020:1000:500:maybe"]) == 2
    assert "row 1 qualified 'maybe' must be TRUE or FALSE" in capsys.readouterr().err


def parquet(path, names):
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = [pa.array(["prorata_taxable"]), pa.array([10000]), pa.array([5000]), pa.array([20000]), pa.array([1])]
    pq.write_table(pa.Table.from_arrays(columns[: len(names)], names=names), path)
    return path


@pytest.mark.parametrize(
    ("names", "text"),
    [
        (["function", "converted", "converted", "year_end_value"], "column 'converted' appears twice"),
        (["function", "converted", "basis", "year_end_value", " "], "column 5 has no name"),
    ],
)
def test_parquet_column_names_are_checked_like_a_csv_header(tmp_path, capsys, names, text):
    # a name used twice was pyarrow's "ArrowInvalid: Multiple matches for FieldRef.Name(...)"; a blank one ran
    source = parquet(tmp_path / "in.parquet", names)
    assert cli.main(["batch", str(source), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xl-rollover: error: ") and text in err and err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()


def test_a_library_message_with_a_line_break_stays_one_line(tmp_path, capsys):
    # pyarrow's schema reader says "Couldn't deserialize thrift: No more data to read.\n": no empty line after it
    source = tmp_path / "in.parquet"
    source.write_bytes(b"PAR1" + b"\0" * 100 + b"PAR1")
    assert cli.main(["batch", str(source), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "cannot read as Parquet" in err and err.count("\n") == 1


@pytest.mark.parametrize("name", ["two\nlines.csv", "tab\there.csv"])
def test_a_file_name_with_a_line_break_is_written_escaped(tmp_path, capsys, name):
    assert cli.main(["batch", str(tmp_path / name), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def apostrophe_book(path):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("It's")
    sheet.write("A1", 3)
    sheet.write_formula("B1", "=A1*2")
    book.add_worksheet("Main").write_formula("A1", "='It''s'!A1+1")
    book.close()
    return path


def test_an_apostrophe_in_a_sheet_name_is_refused_by_the_formulas_engine(tmp_path, capsys):
    # formulas 1.3.4 gave #REF! for every formula on "It's" and every reference to it (a valid workbook)
    source = apostrophe_book(tmp_path / "in.xlsx")
    assert cli.main(["calc", str(source), "-o", str(tmp_path / "out.xlsx")]) == 2
    err = capsys.readouterr().err
    assert 'sheet "It\'s" has an apostrophe in its name' in err and "--engine libreoffice" in err
    assert not (tmp_path / "out.xlsx").exists()


def test_libreoffice_reads_a_sheet_name_with_an_apostrophe(tmp_path, capsys):
    source = apostrophe_book(tmp_path / "in.xlsx")
    assert cli.main(["calc", str(source), "-o", str(tmp_path / "out.xlsx"), "--engine", "libreoffice", "--json"]) == 0
    values = json.loads(capsys.readouterr().out)["values"]
    assert values == {"It's!B1": 6, "Main!A1": 4}


def test_lite_replaces_a_planted_symlink_and_never_writes_through_it(tmp_path, capsys):
    # main.py was written with Path.write_text, through a symlink and in place (a stop left half a file)
    aim = tmp_path / "elsewhere.txt"
    aim.write_text("kept")
    folder = tmp_path / "lite"
    folder.mkdir()
    (folder / "main.py").symlink_to(aim)
    assert cli.main(["lite", str(folder)]) == 0
    assert not (folder / "main.py").is_symlink() and aim.read_text() == "kept"
    assert (folder / "main.py").read_text(encoding="utf-8").startswith('"""')
    assert sorted(p.name for p in folder.iterdir()) == ["main.py", "requirements.txt"]  # no temporary left


@pytest.mark.parametrize(
    ("make", "code", "text"),
    [
        (lambda d: d.write_text("x") and d, 2, "is a file; give a folder for main.py"),
        (lambda d: "", 2, "DIR is blank"),
        (lambda d: (d / "main.py").mkdir(parents=True) or d, cli.EXIT_SYSTEM, "Is a directory: "),
    ],
)
def test_lite_refuses_a_folder_it_cannot_use_in_one_line(tmp_path, capsys, make, code, text):
    target = make(tmp_path / "lite")
    assert cli.main(["lite", str(target)]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and text in err and ".part" not in err
    assert not list(tmp_path.rglob("*.part"))


# --- every function subcommand, one argument at a time given garbage ------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from xl_rollover.core.registry import FUNCTIONS  # noqa: E402

#: A valid command-line value for each required argument (by core keyword), so each call starts from an answer.
GOOD = {
    "distribution": "100000",
    "after_tax_basis": "20000",
    "account_balance": "200000",
    "converted": "10000",
    "basis": "5000",
    "year_end_value": "20000",
    "taxable_amount": "10000",
    "age": "45",
    "amount": "5000",
    "regular_contributions": "0",
    "conversions": "2025:500:20000",
    "distribution_year": "2027",
    "year": "2025",
    "employee_deferrals": "23500",
    "employer_contributions": "10000",
    "magi": "100000",
    "filing_status": "single",
    "birth_date": "1950-01-01",
    "prior_year_end_balance": "500000",
    "balance": "500000",
    "method": "rmd",
    "name": "annual_additions_limit_415c1A",
}
COMMANDS = {entry.cli: entry for entry in FUNCTIONS.values() if entry.cli}
shell_garbage = st.one_of(
    st.text(max_size=12).filter(lambda t: not t.startswith("-")),
    st.sampled_from(
        ["", " ", "nan", "inf", "1e400", "-1", "9" * 5000, "x" * 5000, "１２", "²", "2025-02-30", "::", "a:b:c"]
    ),
    st.sampled_from(["9990-01-01:9999-12-31", "1970-01-01:", "2025:1:1:1", "none", "full", "0.0000000000001", "300"]),
)


def argv_for(entry, replaced=None, value="", extra=()):
    """The subcommand's argv: each required argument valid (its spelling from the parser), ``replaced`` given ``value``."""
    positional, options = [], []
    for param in entry.params:
        key = cli._core_keyword(param)
        if param.kind == "output" or (not param.required and key != replaced):
            continue
        spelling = cli._option(param)
        if param.kind == "flag":
            options.append(spelling)
            continue
        text = value if key == replaced else GOOD[key]
        if spelling.startswith("--"):
            options += [spelling, text]
        else:
            positional.append(text)
    return [entry.cli, *options, *extra, "--", *positional] if positional else [entry.cli, *options, *extra]


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_subcommand_argument_given_garbage_is_an_answer_or_one_line(capsys, data):
    entry = COMMANDS[data.draw(st.sampled_from(sorted(COMMANDS)))]
    keys = [cli._core_keyword(p) for p in entry.params if p.kind not in ("output", "flag")]
    extra = data.draw(st.sampled_from([(), ("--json",), ("--no-explain",)]))
    argv = argv_for(entry, data.draw(st.sampled_from(keys)), data.draw(shell_garbage), extra)
    try:
        code = cli.main(argv)
    except SystemExit as stop:  # argparse: a usage line and one error line, exit 2
        code = stop.code
    out, err = capsys.readouterr()
    assert code in (0, 2, 3), (argv, err)
    assert "Traceback" not in err and len(err) < 3000
    if code == 0:
        assert out and not err
    else:
        assert err.splitlines()[-1].startswith(("xl-rollover: ", "usage: ", "xl-rollover ")), err


def test_every_subcommand_runs_from_the_valid_arguments(capsys):
    for name, entry in COMMANDS.items():
        assert cli.main(argv_for(entry, extra=("--json",))) == 0, (name, capsys.readouterr().err)
        capsys.readouterr()


def test_xlsx_input_text_and_error_values_are_not_read_as_blank(tmp_path, capsys):
    # pandas' reader made the text N/A, null, NA and an error value (#N/A from =NA()) blank: an optional input then
    # fell back to its default (distributions 0) and the row was computed; a CSV refused the same cells
    import xlsxwriter

    source = tmp_path / "in.xlsx"
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["function", "converted", "basis", "year_end_value", "distributions"])
    for row, distributions in enumerate(["N/A", "null", None, 0], 1):
        sheet.write_row(row, 0, ["prorata_taxable", 10000, 5000, 20000])
        if distributions is None:
            sheet.write_formula(row, 4, "=NA()", None, "#N/A")
        else:
            sheet.write(row, 4, distributions)
    sheet.write_row(5, 0, ["NA", 10000, 5000, 20000])
    book.close()
    assert cli.main(["batch", str(source), "-o", str(tmp_path / "out.csv")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[:3] == [
        "xl-rollover: row 1 (prorata_taxable): distributions must be a number, not the text 'N/A'",
        "xl-rollover: row 2 (prorata_taxable): distributions must be a number, not the text 'null'",
        "xl-rollover: row 3 (prorata_taxable): distributions is the error value #N/A",
    ]
    assert lines[3].startswith("xl-rollover: row 5: unknown function 'NA'; known: ") and len(lines) == 4


def test_xlsx_input_with_formulas_never_calculated_is_refused_then_calc_fixes_it(tmp_path, capsys):
    # openpyxl writes a formula with no value: read as blank, distributions (=1000*2) silently became 0
    import openpyxl

    source = tmp_path / "in.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["function", "converted", "basis", "year_end_value", "distributions"])
    book.active.append(["prorata_taxable", 10000, 5000, 20000, "=1000*2"])
    book.save(source)
    assert cli.main(["batch", str(source), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "1 formula cell(s) saved without a calculated value" in err and "xl-rollover calc" in err
    assert cli.main(["calc", str(source), "-o", str(tmp_path / "calculated.xlsx")]) == 0
    assert cli.main(["batch", str(tmp_path / "calculated.xlsx"), "-o", str(tmp_path / "out.csv")]) == 0
    # line 7 = 2,000; line 9 = 20,000 + 2,000 + 10,000; line 10 = 5,000 / 32,000 = 0.156 (Form 8606)
    assert ",0.156," in (tmp_path / "out.csv").read_text()


def test_an_empty_text_result_is_a_calculated_value(tmp_path):
    # Excel stores a formula that gives "" as t="str" with an empty <v>: calculated, not missing
    import zipfile

    import openpyxl

    from xl_rollover.engines.safe_xlsx import vet

    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        '<c r="A1" t="str"><f>""</f><v></v></c><c r="B1"><f>1+1</f><v></v></c><c r="C1"><f>1+1</f><v>2</v></c>'
        "</row></sheetData></worksheet>"
    )
    book = tmp_path / "book.xlsx"
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(book, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info))
    assert vet(book).uncalculated == 1  # B1 only
