"""`xl-rollover calc`'s printed summary shows each figure as its cell does: years, ages and counts as whole
numbers, money with two decimals and separators, ratios to three places, rates as percentages, dates as dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from xl_rollover.cli.main import main
from xl_rollover.engines.number_format import shown

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (2025.0, "0", "2025"),  # a year (out_number), never 2,025.00
        (63.0, "0", "63"),  # an age
        (14.0, "0", "14"),  # a count of paychecks
        (41850.0, "#,##0.00", "41,850.00"),  # money
        (-243.0, "#,##0.00", "-243.00"),
        (1234.565, "#,##0.00", "1,234.57"),  # half up on the decimal value, as Excel shows it
        (0.8438, "0.000", "0.844"),  # a Form 8606 line 10 ratio
        (0.24, "0.00%", "24.00%"),  # a rate
        (2.0, "0.##", "2"),
        (2.5, "0.##", "2.5"),
        (1.0, '"TRUE";"TRUE";"FALSE"', "TRUE"),  # a flag's format
        (0.0, '"TRUE";"TRUE";"FALSE"', "FALSE"),
        (2025.0, "General", "2025"),  # General: no money guessed from the name
        (1234.5, "General", "1234.5"),
        (True, "General", "TRUE"),
        (None, "0", ""),
        ("none", "0", "none"),
        (dt.datetime(2026, 1, 1), "yyyy-mm-dd", "2026-01-01"),
    ],
)
def test_a_value_shows_as_its_number_format_shows_it(value, number_format, text):
    assert shown(value, number_format) == text


def test_calc_prints_years_as_years_and_money_as_money(tmp_path, capsys):
    out = tmp_path / "sep.xlsx"
    assert main(["calc", str(ROOT / "workbooks" / "mega_backdoor_separation.xlsx"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()

    def shows(label: str) -> str:
        (line,) = [line for line in printed if line.strip().startswith(label)]
        return line.split()[-1]

    assert shows("out_c_l1_year") == "2025" and shows("out_tl_year_5") == "2031"  # years (were 2,025.00)
    assert shows("Option A: first year anything comes out") == "2026"
    assert shows("Whole balance distributed") == "41,850.00"  # money
    assert shows("Option C (your split) costs more") == "-243.00"
    assert shows("Marginal income-tax rate") == "24.00%"  # a rate
    assert shows("Age at the distribution") == "45"
    years_and_ages = [line for line in printed if re.match(r"\s*out_\w*(year|age)_?\w*\s", line)]
    assert len(years_and_ages) == 18 and not [line for line in years_and_ages if "." in line.split()[-1]]
