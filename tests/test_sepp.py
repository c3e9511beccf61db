"""SEPP payments under Notice 2022-6: refusals, rate limit, invariants (the worked cases are in cases/sepp.toml)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core.errors import InputError, UnknownYear, UnsupportedCase

BORN = "1973-06-15"  # age 50 in 2023: Single Life Table 36.2 (Treas. Reg. §1.401(a)(9)-9(b))


def test_rate_above_5_percent_needs_the_mid_term_figure():
    # Notice 2022-6 §3.02(c): 5% is always allowed; more only up to 120% of the federal mid-term rate.
    with pytest.raises(UnsupportedCase, match="5%"):
        xr.sepp_payment(400000, BORN, 2023, "amortization", "0.051")
    with pytest.raises(UnsupportedCase, match=r"0\.0514"):
        xr.sepp_payment(400000, BORN, 2023, "amortization", "0.052", rate_cap="0.0514")
    # a 120% figure below 5% still leaves the 5% floor: 5% allowed
    assert xr.sepp_payment(400000, BORN, 2023, "amortization", "0.05", rate_cap="0.043").rate_cap == Decimal("0.05")


def test_fixed_annuitization_is_refused():
    with pytest.raises(UnsupportedCase, match="mortality"):
        xr.sepp_payment(400000, BORN, 2023, "fixed_annuitization", "0.04")


def test_joint_life_table():
    # Owner 50 and beneficiary 48 in 2023: Reg. §1.401(a)(9)-9(d) prints 43.3 (both ways round).
    # 400,000 / 43.3 = 9,237.8752... -> 9,237.88
    result = xr.sepp_payment(400000, BORN, 2023, "rmd", life_table="joint", beneficiary_birth_date="1975-01-01")
    assert (result.life_expectancy, result.payment) == (Decimal("43.3"), Decimal("9237.88"))
    # the one pair the printed table gives two figures for (ages 5 and 2) is refused
    with pytest.raises(UnsupportedCase, match="two different figures"):
        xr.sepp_payment(1000, "2018-01-01", 2023, "rmd", life_table="joint", beneficiary_birth_date="2021-06-01")


def test_tables_not_carried_are_refused():
    # The Uniform Lifetime Table below 72 is in Notice 2022-6 Appendix A, not carried.
    with pytest.raises(UnsupportedCase, match="Appendix A"):
        xr.sepp_payment(400000, BORN, 2023, "rmd", life_table="uniform")


def test_uniform_table_from_72():
    # Treas. Reg. §1.401(a)(9)-9(c): 27.4 at 72; 100,000 / 27.4 = 3,649.6350... -> 3,649.64
    assert xr.sepp_payment(100000, "1951-01-01", 2023, "rmd", life_table="uniform").payment == Decimal("3649.64")


def test_zero_rate_is_straight_division():
    # 0%: 400,000 / 36.2 = 11,049.72 (the amortization limit as r -> 0)
    assert xr.sepp_payment(400000, BORN, 2023, "amortization", 0).payment == Decimal("11049.72")


def test_bad_inputs():
    with pytest.raises(UnknownYear):
        xr.sepp_payment(400000, BORN, 2021, "rmd")
    with pytest.raises(InputError, match="method"):
        xr.sepp_payment(400000, BORN, 2023, "guess")
    with pytest.raises(InputError, match="interest_rate"):
        xr.sepp_payment(400000, BORN, 2023, "amortization")
    with pytest.raises(InputError, match="fraction"):
        xr.sepp_payment(400000, BORN, 2023, "amortization", 4)
    with pytest.raises(InputError, match="beneficiary_birth_date"):
        xr.sepp_payment(400000, BORN, 2023, "rmd", life_table="joint")
    with pytest.raises(InputError, match="life_table"):
        xr.sepp_payment(400000, BORN, 2023, "rmd", life_table="triple")


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(100, 10**13),
    age=st.integers(0, 125),
    low=st.integers(1, 499),
    step=st.integers(1, 100),
)
def test_payment_is_positive_and_falls_as_the_rate_falls(cents, age, low, step):
    balance = Decimal(cents) / 100
    born = f"{2030 - age:04d}-03-01"
    r_low, r_high = Decimal(low) / 10000, Decimal(min(low + step, 500)) / 10000
    lower = xr.sepp_payment(balance, born, 2030, "amortization", r_low).payment
    higher = xr.sepp_payment(balance, born, 2030, "amortization", r_high).payment
    assert Decimal(0) < lower <= higher
    assert lower <= balance or age >= 118  # a life expectancy under 1 year pays out more than the balance


@pytest.mark.parametrize(
    ("balance", "rate", "years", "expected"),
    [
        # Notice 89-25, Q&A-12 (the fixed amortization method Notice 2022-6 §3.01(b) keeps): a 50-year-old with a
        # life expectancy of 33.1, 100,000 at 8%: "$8,679 annually". 8,000 / (1 - 1.08^-33.1) = 8,679.4643 -> 8,679.46
        ("100000", "0.08", "33.1", "8679.46"),
        # Kulzer v. Commissioner, Tax Court summary opinion (2008), the court's own amortization: 286,000 at 8% over 36 years
        # = 24,408.58 and over 27 years = 26,154.16 (one payment a year, at the year's end)
        ("286000", "0.08", "36", "24408.58"),
        ("286000", "0.08", "27", "26154.16"),
    ],
)
def test_amortization_formula_matches_the_published_examples(monkeypatch, balance, rate, years, expected):
    # The examples predate T.D. 9930's tables, so their life expectancy is put in place of the table's: what is
    # checked is the payment formula (level payments in arrears over a fractional number of years), which an
    # annuity-due or whole-year reading would miss (8,679.46 / 1.08 = 8,036.54).
    from xl_rollover.core.rules import sepp

    monkeypatch.setattr(sepp.life_tables, "factor", lambda table, age: Decimal(years))
    result = xr.sepp_payment(balance, BORN, 2023, "amortization", rate, rate_cap="0.08")
    assert result.payment == Decimal(expected)


def test_amortization_explanation_says_it_is_figured_once_for_the_first_year():
    # Notice 2022-6 §3.01(b): a fixed amount, from the age in the year of the first distribution; refiguring it later
    # is a change of the series (IRC §72(t)(4)). The explanation says so in words a client reads.
    step = next(
        s for s in xr.sepp_payment(400000, BORN, 2023, "amortization", "0.04").explain() if "amortization" in s.title
    )
    assert "the year given must be the year of the first payment" in step.rule
