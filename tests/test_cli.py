"""The command line: each subcommand mirrors the API, --json is exact, errors exit non-zero."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

import xl_rollover as xr
from xl_rollover.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_split_json_matches_the_api(capsys):
    code, out, _ = run(
        capsys,
        "split",
        "10000",
        "0",
        "10000",
        "--to-roth-ira",
        "0",
        "--to-traditional",
        "0",
        "--rolled-60day-traditional",
        "8000",
        "--age",
        "42",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    api = xr.roth_rollover_split(10000, 0, 10000, 0, 0, 0, 8000, 42)
    assert Decimal(data["taxable"]) == api.taxable == Decimal("2000.00")  # IRS Jordan example
    assert data["form_1099r"][0]["box7_code"] == "1"
    assert data["explanation"][0]["citation"].startswith("IRC §72(e)(8)")


def test_split_text_shows_table_and_steps(capsys):
    code, out, _ = run(capsys, "split", "50000", "20000", "100000")
    assert code == 0
    assert "after_tax" in out and "10,000.00" in out  # IRS first example
    assert "How this was worked out" in out and "Notice 2014-54" in out


def test_prorata_ratio_decimals_none(capsys):
    code, out, _ = run(capsys, "prorata", "30000", "20000", "40000", "--ratio-decimals", "none", "--json")
    assert code == 0
    assert Decimal(json.loads(out)["taxable_conversion"]) == Decimal("21428.57")


def test_form_8606_lines(capsys):
    code, out, _ = run(capsys, "form-8606", "--converted", "7000", "--nondeductible-contributions", "7000", "--json")
    assert code == 0
    assert Decimal(json.loads(out)["lines"]["18"]) == 0


def test_penalty_with_dates_and_exception(capsys):
    code, out, _ = run(capsys, "penalty", "15000", "1981-03-01:2026-05-01", "--exception", "9", "--json")
    assert code == 0
    data = json.loads(out)
    assert Decimal(data["penalty"]) == Decimal("500.00")  # W-P12a
    assert data["form_5329"]["2_exception_number"] == "09"


def test_limit(capsys):
    code, out, _ = run(capsys, "limit", "annual_additions_limit_415c1A", "2026", "--json")
    assert code == 0
    assert Decimal(json.loads(out)["value"]) == 72000


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("split", "120000", "0", "100000"), 2, "distribution 120,000.00 exceeds account_balance 100,000.00"),
        (("penalty", "100", "45", "--exception", "99"), 3, "not supported"),
        (("limit", "annual_additions_limit_415c1A", "2027"), 2, "year 2027 is not in the limits table"),
        (("demo", "--marginal-rate", "1.5"), 2, "marginal_rate 1.5 must be a fraction"),
    ],
)
def test_errors_exit_non_zero_with_a_message(capsys, argv, code, message):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert message in err
    assert "Traceback" not in err and out == ""


def test_demo_figures_come_from_the_rules(capsys):
    code, out, _ = run(capsys, "demo", "--json")
    assert code == 0
    data = json.loads(out)
    a, b = data["options"]["A"], data["options"]["B"]
    # option A: 7,500 backdoor with 1,850 left in the traditional IRA: 7,500/9,350 -> 0.802 (Form 8606 line 10)
    assert a["backdoor_form_8606"]["ratio"] == "0.802"
    assert Decimal(a["backdoor_form_8606"]["taxable_conversion"]) == Decimal("1485.00")  # 7,500 - 7,500 x 0.802
    assert Decimal(a["split"]["taxable"]) == 0
    assert Decimal(b["split"]["taxable"]) == Decimal("1850.00")  # the earnings converted
    assert Decimal(b["backdoor_form_8606"]["taxable_conversion"]) == 0
    assert Decimal(a["penalty"]["penalty"]) == Decimal(b["penalty"]["penalty"]) == 0


def test_console_script_demo_runs_end_to_end():
    done = subprocess.run(
        [sys.executable, "-m", "xl_rollover.cli.main", "demo", "--explain"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Option A" in done.stdout and "§408(d)(2)" in done.stdout and "Form 8606" in done.stdout


def test_roth_withdrawal_room_and_limit_subcommands(capsys):
    code, out, _ = run(
        capsys,
        "roth-withdrawal",
        "5000",
        "--conversion",
        "2025:500:20000",
        "--distribution-year",
        "2027",
        "--age",
        "47",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert Decimal(data["penalty"]) == Decimal("50.00")  # W-C11
    assert data["recapture_ends"]["2025"] == "2029-12-31"
    code, out, _ = run(capsys, "room", "2026", "32500", "10000", "--age", "52", "--json")
    assert code == 0 and Decimal(json.loads(out)["room"]) == Decimal("37500.00")
    code, out, _ = run(capsys, "roth-limit", "2026", "160000", "SINGLE", "40", "--json")
    assert code == 0 and Decimal(json.loads(out)["limit"]) == Decimal("4000.00")
    code, out, _ = run(capsys, "ira-deduction", "2026", "85000", "SINGLE", "40", "--active-participant", "--json")
    assert code == 0 and Decimal(json.loads(out)["limit"]) == Decimal("4500.00")
    code, out, _ = run(
        capsys,
        "roth-withdrawal",
        "26000",
        "--roth-401k-rollover",
        "2025:25000:5000:no",
        "--distribution-year",
        "2026",
        "--age",
        "45",
        "--json",
    )
    assert code == 0 and Decimal(json.loads(out)["taxable"]) == Decimal("1000.00")  # W-C15
    code, _, err = run(
        capsys, "roth-withdrawal", "100", "--conversion", "2025:1", "--distribution-year", "2026", "--age", "45"
    )
    assert code == 2 and "--conversion '2025:1' must have 3 parts" in err


def test_lite_writes_reproducible_main_py_and_requirements(tmp_path, capsys):
    from xl_rollover.cli.main import main

    assert main(["lite", str(tmp_path / "a")]) == 0
    assert main(["lite", str(tmp_path / "b")]) == 0
    first = (tmp_path / "a" / "main.py").read_bytes()
    assert first == (tmp_path / "b" / "main.py").read_bytes()
    assert b"from xl_rollover.excel.functions import (  # noqa: E402,F401\n    EARLY_PENALTY,\n    FORM_8606," in first
    assert (tmp_path / "a" / "requirements.txt").read_text().splitlines()[-1] == "xlwings<1.0.0"
    assert "wrote" in capsys.readouterr().out


# --- the function subcommands are made from the registry ------------------------------------------


def _subcommands(parser):
    import argparse

    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_every_registry_function_is_a_subcommand_with_every_argument():
    from xl_rollover.cli.main import build_parser
    from xl_rollover.core.registry import FUNCTIONS

    commands = _subcommands(build_parser())
    assert [f.cli for f in FUNCTIONS.values()] == list(commands)[: len(FUNCTIONS)]
    for entry in FUNCTIONS.values():
        dests = {a.dest for a in commands[entry.cli]._actions}
        assert {p.core or p.name for p in entry.params if p.kind != "output"} <= dests, entry.name
        assert commands[entry.cli].description == entry.description


def test_an_argument_added_to_the_registry_reaches_the_parser_and_the_core():
    import dataclasses

    from xl_rollover.cli.main import build_parser, call_function
    from xl_rollover.core.registry import FUNCTIONS, Param

    seen = {}

    def core(converted, basis, year_end_value, **kwargs):
        seen.update(kwargs, converted=converted)
        return xr.prorata_taxable(converted, basis, year_end_value)

    extra = Param("new_input", "Optional. A new input, in dollars. Default 0.")
    entry = dataclasses.replace(FUNCTIONS["PRORATA_TAXABLE"], params=(*FUNCTIONS["PRORATA_TAXABLE"].params, extra))
    entry = dataclasses.replace(entry, call=core)
    parser = build_parser({entry.name: entry})
    sub = _subcommands(parser)["prorata"]
    assert "--new-input" in sub.format_help() and "A new input, in dollars. Default 0." in sub.format_help()
    args = parser.parse_args(["prorata", "7500", "7500", "1850", "--new-input", "12.50"])
    # 7,500 / 9,350 = 0.80213... -> 0.802 (line 10); 7,500 x 0.802 = 6,015 nontaxable; 1,485 taxable
    assert call_function(args.function_entry, args).taxable_conversion == Decimal("1485.00")
    assert seen == {"new_input": "12.50", "converted": "7500"}  # options left out take the core's defaults
    seen.clear()
    call_function(args.function_entry, parser.parse_args(["prorata", "7500", "7500", "1850"]))
    assert seen == {"converted": "7500"}


def test_help_is_the_worksheet_help_in_the_shells_words(capsys):
    with pytest.raises(SystemExit):
        main(["split", "--help"])
    text = capsys.readouterr().out
    assert "--separated-age-55" in text and "If the participant left the employer" in text
    assert "BIRTH:DATE" in text and "cell" not in text and "TRUE" not in text and "Optional." not in text
    with pytest.raises(SystemExit):
        main(["sepp", "--help"])
    text = capsys.readouterr().out
    assert "(0.05 for 5%)" in text and "--beneficiary-birth-date YYYY-MM-DD" in text
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "roth-penalty-free" in capsys.readouterr().out


def test_roth_penalty_free_subcommand(capsys):
    argv = ["roth-penalty-free", "--regular-contributions", "5000", "--conversion", "2020:1000:2000"]
    code, out, _ = run(capsys, *argv, "--conversion", "2024:3000:500", "--distribution-year", "2026", "--age", "45")
    # Reg. 1.408A-6 A-8 at 45: contributions 5,000, then 2020's conversion (its 5 years ended with 2024) 1,000 +
    # 2,000; 2024's taxable 3,000 is still inside its 5-year period (2024-2028): the free amount stops there
    assert code == 0 and "penalty_free       8,000.00" in out


def test_ratio_decimals_minus_one_is_unrounded_as_in_the_worksheet(capsys):
    code, out, _ = run(capsys, "prorata", "30000", "20000", "40000", "--ratio-decimals", "-1", "--json")
    assert code == 0
    assert out == run(capsys, "prorata", "30000", "20000", "40000", "--ratio-decimals", "none", "--json")[1]


def test_text_output_names_the_function_and_puts_the_answer_first(capsys):
    # Form 8606 lines 5-18 at 7,500 converted, basis 7,500, year-end 1,850: line 10 = 7,500 / 9,350 = 0.802,
    # line 11 = 6,015.00, line 18 = 1,485.00 taxable
    code, out, _ = run(capsys, "prorata", "7500", "7500", "1850", "--no-explain")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "PRORATA_TAXABLE: taxable part of a Roth conversion under the IRA pro-rata rule"
    assert lines[2] == "Answer: taxable_conversion 1,485.00"
    assert [line.split()[-1] for line in lines if line.startswith("Form 8606 line 1")] == [
        "0.802",
        "6,015.00",
        "0.00",
        "6,015.00",
        "1,485.00",
        "0.00",
        "0.00",
        "0.00",
        "7,500.00",
        "6,015.00",
        "1,485.00",
    ]  # lines 10-18 (15a-c between 14 and 16)
    assert "Form8606Result" not in out and "lines 5" not in out
    # W-P12a: 15,000 at 45, first home 10,000 excepted: Form 5329 line 2 carries exception number 09
    code, out, _ = run(capsys, "penalty", "15000", "45", "--exception", "9", "--no-explain")
    assert code == 0 and "Answer: penalty 500.00" in out
    assert "Form 5329 line 2 exception number  09" in out
