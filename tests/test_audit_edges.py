"""Boundary cases worked by hand from the sources (audit, session 6): the day of 59½, a five-year period's
first and last day, a zero basis, a year-end value of 0, a phase-out at its ends. Each figure is the hand
calculation from the rule cited next to it; the code must give the same cents.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import xl_rollover as xr

D = Decimal


# --- Roth IRA: 59½ and the two five-year clocks --------------------------------------------------------


def test_roth_distribution_is_qualified_from_the_day_of_59_5_not_the_day_before():
    # IRC §408A(d)(2)(A)(i), Reg. §1.408A-6 A-1(b): made on or after the date the owner attains 59½; Pub. 590-B:
    # 59½ is six months after the 59th birthday. Born 1966-08-31: 59th birthday 2025-08-31, 59½ on 2026-02-28
    # (no 31 February). Clock from 2015 (met). 10,000 out with 2,000 of regular contributions.
    on_the_day = xr.roth_ira_distribution(
        "10000", "2000", distribution_year=2026, age=("1966-08-31", "2026-02-28"), first_roth_year=2015
    )
    assert (on_the_day.qualified, on_the_day.taxable, on_the_day.penalty) == (True, D("0.00"), D("0.00"))
    # the day before: nonqualified; 10,000 - 2,000 = 8,000 of earnings taxable, 10% = 800 (§72(t)(1))
    day_before = xr.roth_ira_distribution(
        "10000", "2000", distribution_year=2026, age=("1966-08-31", "2026-02-27"), first_roth_year=2015
    )
    assert (day_before.qualified, day_before.taxable, day_before.penalty) == (False, D("8000.00"), D("800.00"))


def test_qualified_clock_is_met_on_january_1_five_years_on():
    # Reg. §1.408A-6 A-2: the period begins January 1 of the first contribution year (2021) and covers 2021-2025;
    # at 62 a 2025 distribution is nonqualified (40,000 of earnings taxed, no 10% at 59½), a 2026 one qualified.
    late = xr.roth_ira_distribution("50000", "10000", distribution_year=2025, age=62, first_roth_year=2021)
    assert (late.qualified, late.taxable, late.penalty) == (False, D("40000.00"), D("0.00"))
    assert str(late.qualified_from) == "2026-01-01"
    met = xr.roth_ira_distribution("50000", "10000", distribution_year=2026, age=62, first_roth_year=2021)
    assert (met.qualified, met.taxable) == (True, D("0.00"))


@pytest.mark.parametrize(
    ("on", "year", "base", "tax"),
    [
        # IRC §408A(d)(3)(F), Reg. §1.408A-6 A-5(c): a 2021 conversion's period is the taxable years 2021-2025.
        ("2025-12-31", 2025, "5000.00", "500.00"),  # last day inside: 5,000 taxable part, 10% = 500
        ("2026-01-01", 2026, "0.00", "0.00"),  # exactly five years after January 1, 2021: outside
    ],
)
def test_conversion_recapture_ends_with_the_fifth_taxable_year(on, year, base, tax):
    result = xr.roth_ira_distribution(
        "5000", "0", [(2021, "5000", "0")], distribution_year=year, age=("1990-01-01", on)
    )
    assert (result.taxable, result.penalty_base, result.penalty) == (D("0.00"), D(base), D(tax))
    assert str(result.recapture_ends[2021]) == "2025-12-31"


# --- zero basis, zero year-end value ---------------------------------------------------------------------


def test_zero_basis_makes_the_whole_conversion_taxable():
    # Form 8606 lines 5-18: line 5 = 0, line 10 = 0.000, line 11 = 0, line 18 = 10,000.
    r = xr.prorata_taxable(converted="10000", basis="0", year_end_value="0")
    assert (r.ratio, r.nontaxable_conversion, r.taxable_conversion, r.basis_remaining) == (
        D("0.000"),
        D("0.00"),
        D("10000.00"),
        D("0.00"),
    )
    # §72(e)(8): a plan distribution with no basis carries no after-tax dollars; by default all 10,000 goes
    # to the traditional destination (Notice 2014-54 §III), nothing taxable.
    s = xr.roth_rollover_split("10000", "0", "10000")
    assert (s.after_tax, s.roth_after_tax, s.traditional_pretax, s.taxable) == (
        D("0.00"),
        D("0.00"),
        D("10000.00"),
        D("0.00"),
    )


def test_rmd_on_a_zero_year_end_balance_is_zero():
    # Treas. Reg. §1.401(a)(9)-5: the prior year-end balance over the divisor; 0 / 24.6 = 0 (born 1951, age 75).
    r = xr.required_minimum_distribution(2026, "1951-03-01", "0")
    assert (r.amount, r.divisor) == (D("0.00"), D("24.6"))


# --- phase-outs at their ends (IRC §408A(c)(3), §219(g)(2); Reg. §1.408A-3 A-3(b)) -----------------------


@pytest.mark.parametrize(
    ("magi", "limit"),
    [
        ("150000", "7000.00"),  # at the start: no reduction
        ("150001", "7000.00"),  # 7,000 x 14,999/15,000 = 6,999.53, up to the next $10
        ("160000", "2340.00"),  # 7,000 x 5,000/15,000 = 2,333.33, up to 2,340
        ("164999", "200.00"),  # 7,000 x 1/15,000 = 0.47: rounds to 10, not below $200 while above zero
        ("165000", "0.00"),  # at the end of the range: no contribution (Pub. 590-A Worksheet 2-2)
    ],
)
def test_roth_limit_2025_single_at_the_ends_of_the_range(magi, limit):
    # Notice 2024-80: 2025 single range 150,000-165,000; §219(b)(5)(A) limit 7,000 at age 40.
    assert xr.roth_ira_contribution_limit(2025, magi, "SINGLE", 40).limit == D(limit)


@pytest.mark.parametrize(
    ("magi", "limit"),
    [
        ("129000", "8600.00"),  # at the start: 7,500 + 1,100 catch-up (Notice 2025-67)
        ("139000", "4300.00"),  # halfway: 8,600 x 10,000/20,000
        ("148999", "200.00"),  # one dollar short of the end: 0.43 -> $10 -> the $200 floor
        ("149000", "0.00"),  # at the end: no deduction
    ],
)
def test_deduction_2026_joint_active_participant_age_50_at_the_ends(magi, limit):
    # Notice 2025-67: 2026 MFJ active-participant range 129,000-149,000; IRA limit 7,500 and catch-up 1,100.
    assert xr.traditional_ira_deduction_limit(2026, magi, "MFJ", 50, True).limit == D(limit)


def test_60_63_catch_up_starts_in_2025():
    # IRC §414(v)(2)(E)(i) (SECURE 2.0 §109): years beginning after 2024. At 61, 2024: 7,500 (Notice 2023-75);
    # 2025: 11,250 (Notice 2024-80). Deferrals of the limit plus the whole catch-up, employer 10,000:
    # room 2024 = 69,000 - 23,000 - 10,000 = 36,000; 2025 = 70,000 - 23,500 - 10,000 = 36,500.
    r24 = xr.mega_backdoor_room(2024, "30500", "10000", age=61)
    r25 = xr.mega_backdoor_room(2025, "34750", "10000", age=61)
    assert (r24.catch_up, r24.room) == (D("7500.00"), D("36000.00"))
    assert (r25.catch_up, r25.room) == (D("11250.00"), D("36500.00"))
    # 64 at the end of 2025 has attained 64 before the year's close: the age-50 limit, 7,500
    assert xr.mega_backdoor_room(2025, "31000", "10000", age=64).catch_up == D("7500.00")


# --- the age-70½ bar on deductions before 2020 (IRC §219(d)(1) before SECURE Act §107) -----------------


def test_deduction_before_2020_refuses_a_whole_age_of_70():
    # "Age at the end of the year" 70 for 2019 is born in 1949: before July 1 (70½ by 2019-12-30: no deduction)
    # or after (70½ in 2020: a deduction). The whole age cannot tell, so it is refused, never guessed.
    with pytest.raises(xr.InputError, match=r"age 70 at the end of 2019: whether age 70.5 was reached"):
        xr.traditional_ira_deduction_limit(2019, 50000, "SINGLE", 70, False)
    assert xr.traditional_ira_deduction_limit(2019, 50000, "SINGLE", "70.75", False).limit == D("0.00")
    assert xr.traditional_ira_deduction_limit(2019, 50000, "SINGLE", "70.4", False).limit == D("7000.00")
    assert xr.traditional_ira_deduction_limit(2018, 50000, "SINGLE", 69, False).limit == D("6500.00")
    # from 2020 there is no age bar: 70 at the end of 2020 deducts 6,000 + 1,000 catch-up (Notice 2019-59)
    assert xr.traditional_ira_deduction_limit(2020, 50000, "SINGLE", 70, False).limit == D("7000.00")


def test_deduction_age_70_refusal_is_the_same_in_batch_columns():
    import pandas as pd

    from xl_rollover.batch import runner as batch

    frame = pd.DataFrame(
        {"year": [2019, 2019, 2020], "magi": [50000] * 3, "filing_status": ["SINGLE"] * 3, "age": [70, 70.5, 70]}
        | {"active_participant": [False] * 3}
    )
    rule = batch.RULES["traditional_ira_deduction_limit"]
    for out in (batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame)):
        assert "whether age 70.5 was reached" in out.loc[0, "error"]
        assert (str(out.loc[1, "limit"]), str(out.loc[2, "limit"])) == ("0.00", "7000.00")
