"""Statutory constants are rows of the limits tables, read by the rules: another row, another figure.

Each test swaps one row (``limits.value``, the rules' one way to the tables) for a value the law does not
hold and checks that the result follows it, so a constant copied back into code would fail here. The real
figures are asserted first, from the same sources as the worked examples.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import xl_rollover as xr
from xl_rollover.core import life_tables, limits
from xl_rollover.core.errors import UnsupportedCase


@pytest.fixture
def rows(monkeypatch):
    """Rows to answer in place of the table's: {name: value}."""
    swapped: dict[str, Decimal] = {}
    table = limits.value

    def value(name, year, filing_status=None):
        return (swapped[name], "test row") if name in swapped else table(name, year, filing_status)

    monkeypatch.setattr(limits, "value", value)
    return swapped


def test_the_early_distribution_rate_is_the_tables(rows):
    # IRC §72(t)(1): 10% of 10,000 at 45; a 20% row doubles it
    assert xr.early_penalty(10000, 45).penalty == Decimal("1000.00")
    rows["early_distribution_additional_tax_rate_72t1"] = Decimal("0.20")
    assert xr.early_penalty(10000, 45).penalty == Decimal("2000.00")


def test_the_sepp_interest_rate_floor_is_the_tables(rows):
    # Notice 2022-6 §3.02(c): 5% may always be used; 5.5% only with a rate_cap (120% of the mid-term rate)
    args = (500000, "1975-06-15", 2026, "amortization")
    assert xr.sepp_payment(*args, 0.05).rate_cap == Decimal("0.05")
    with pytest.raises(UnsupportedCase, match="the greater of 5% and 120%"):
        xr.sepp_payment(*args, 0.055)
    rows["sepp_interest_rate_floor_notice_2022_6"] = Decimal("0.06")
    found = xr.sepp_payment(*args, 0.055)
    assert found.rate_cap == Decimal("0.06") and "the greater of 6% and 120%" in found.explain()[1].rule


def test_the_spouse_age_gap_for_the_joint_table_is_the_tables(rows):
    # Owner 75 in 2026, sole spouse 64 (11 years younger): the joint period 25.3 beats the Uniform 24.6
    # (Treas. Reg. §1.401(a)(9)-5 Q&A-4(b); test_rmd.py works the figures)
    args = (2026, "1951-02-01", 300000, "1962-01-01", True)
    assert xr.required_minimum_distribution(*args).table == "joint"
    rows["rmd_spouse_joint_table_age_gap_years"] = Decimal(12)
    found = xr.required_minimum_distribution(*args)
    assert (found.table, found.amount) == ("uniform", Decimal("12195.12"))
    assert any(s.title == "Spouse not more than 12 years younger" for s in found.steps)


def test_the_required_beginning_date_is_the_tables(rows):
    # IRC §401(a)(9)(C)(i): April 1 after the first distribution year (born 1951-02-01: 73 in 2024, RBD 2025-04-01)
    args = (2024, "1951-02-01", 100000)
    found = xr.required_minimum_distribution(*args)
    assert found.required_beginning_date.isoformat() == "2025-04-01" and "April 1, 2025" in found.explain()[-2].rule
    rows["rmd_required_beginning_month_401a9Ci"], rows["rmd_required_beginning_day_401a9Ci"] = Decimal(5), Decimal(15)
    found = xr.required_minimum_distribution(*args)
    assert found.required_beginning_date.isoformat() == "2025-05-15" and "May 15, 2025" in found.explain()[-2].rule


def test_the_life_tables_first_year_is_the_tables():
    # read once at import (as the 59½ age is): the table's row, T.D. 9930's 2022
    assert life_tables.FIRST_YEAR == limits.value("life_tables_first_year_1_401a9_9", None)[0] == 2022
    with pytest.raises(xr.UnknownYear, match="before 2022"):
        xr.required_minimum_distribution(2021, "1945-01-01", 100000)
