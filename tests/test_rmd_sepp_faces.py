"""RMD and SEPP_PAYMENT through every face: worksheet functions, CLI, batch (the core figures are in cases/*.toml)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd

import xl_rollover as xr
from xl_rollover.batch import runner as batch
from xl_rollover.cli.main import main
from xl_rollover.excel import functions as F

# Born 1952-03-10, 2025 is the first year (applicable age 73): 500,000 / 26.5 (Reg. §1.401(a)(9)-9(c)) = 18,867.92
RMD_FIGURE = 18867.92
# Born 1973-06-15, age 50 in 2023: 36.2 (Reg. §1.401(a)(9)-9(b)); amortized at 4%: 21,101.63 (cases/sepp.toml)
SEPP_FIGURE = 21101.63


def test_rmd_worksheet_function_with_a_date_cell_a_serial_number_and_text():
    assert F.RMD([[2025.0]], [[dt.datetime(1952, 3, 10)]], [[500000.0]]) == RMD_FIGURE
    # Lite passes dates as serial numbers: 1952-03-10 is 19063 days after 1899-12-30
    assert (dt.date(1899, 12, 30) + dt.timedelta(days=19063)).isoformat() == "1952-03-10"
    assert F.RMD([[2025.0]], [[19063.0]], [[500000.0]]) == RMD_FIGURE
    assert F.RMD([[2025.0]], [["1952-03-10"]], [[500000.0]], None, None, [["required_beginning_date"]]) == dt.date(
        2026, 4, 1
    )
    # a column of years: cases
    assert F.RMD([[2024.0], [2025.0]], [["1952-03-10"]], [[500000.0]]) == [[0.0], [RMD_FIGURE]]


def test_rmd_worksheet_refusals_and_errors():
    # sole spouse 11 years younger: the joint table, 300,000 / 25.3 = 11,857.71
    assert F.RMD([[2026.0]], [["1951-02-01"]], [[300000.0]], [["1962-01-01"]], [[True]]) == 11857.71
    assert F.RMD([[2025.0]], [["1952-03-10"]], [[1.0]], None, None, None, [[True]]).startswith("#N/A inherited")
    assert F.RMD([[2021.0]], [["1952-03-10"]], [[1.0]]).startswith("#VALUE! year 2021")
    assert F.RMD([[2025.0]], [[True]], [[1.0]]).startswith("#VALUE! birth_date")


def test_sepp_worksheet_function():
    assert F.SEPP_PAYMENT(400000.0, "1973-06-15", 2023.0, "amortization", 0.04) == SEPP_FIGURE
    assert F.SEPP_PAYMENT(400000.0, "1973-06-15", 2023.0, "rmd") == 11049.72
    assert F.SEPP_PAYMENT(400000.0, "1973-06-15", 2023.0, "amortization", 0.06).startswith("#N/A interest_rate 0.06")
    assert F.SEPP_PAYMENT(400000.0, "1973-06-15", 2023.0, "annuitization", 0.04).startswith("#N/A")
    explained = F.SEPP_PAYMENT(400000.0, "1973-06-15", 2023.0, "amortization", 0.04, None, None, None, "explain")
    assert any("Notice 2022-6, §3.01(b)" in row[0] for row in explained)


def test_cli_rmd_and_sepp_json(capsys):
    assert main(["rmd", "2025", "1952-03-10", "500000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["amount"] == "18867.92" and data["required_beginning_date"] == "2026-04-01"
    assert main(["sepp", "400000", "1973-06-15", "2023", "amortization", "--interest-rate", "0.04", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["payment"] == "21101.63" and data["explanation"][-1]["title"] == "Assumptions"


def test_cli_refusals_exit_3_and_bad_input_2(capsys):
    assert main(["rmd", "2026", "1951-02-01", "300000", "--inherited"]) == 3
    assert "inherited accounts are not covered" in capsys.readouterr().err
    args = ["rmd", "2026", "1951-02-01", "300000", "--spouse-birth-date", "1962-01-01", "--spouse-sole-beneficiary"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["amount"] == "11857.71"  # 300,000 / 25.3 (joint table)
    assert main(["sepp", "400000", "1973-06-15", "2023", "amortization"]) == 2
    assert "interest_rate is required" in capsys.readouterr().err
    assert main(["rmd", "2026", "1951-02-01", "300000"]) == 0
    assert "How this was worked out" in capsys.readouterr().out


def test_batch_runs_rmd_and_sepp_rows(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(
        "function,year,birth_date,prior_year_end_balance,balance,method,interest_rate\n"
        "required_minimum_distribution,2025,1952-03-10,500000,,,\n"
        "required_minimum_distribution,2020,1952-03-10,500000,,,\n"
        "sepp_payment,2023,1973-06-15,,400000,amortization,0.04\n"
    )
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out)]) == 1
    assert "year 2020 is before 2022" in capsys.readouterr().err
    frame = pd.read_csv(out, dtype=str)
    assert frame.loc[0, "amount"] == "18867.92" and frame.loc[2, "payment"] == "21101.63"
    # the same rows straight through the rules
    rmd = batch.scalar_row(
        batch.RULES["required_minimum_distribution"],
        {"year": 2025, "birth_date": "1952-03-10", "prior_year_end_balance": 500000},
    )
    assert rmd["amount"] == xr.required_minimum_distribution(2025, "1952-03-10", 500000).amount == Decimal("18867.92")
