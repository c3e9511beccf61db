"""Required minimum distributions: applicable age, first year (IRC §401(a)(9)(C), SECURE §114, SECURE 2.0 §107)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core.errors import InputError, UnknownYear, UnsupportedCase
from xl_rollover.core.rules import rmd


@pytest.mark.parametrize(
    ("born", "age", "first_year"),
    [
        # 70½ reached before 2020 (SECURE §114(d): the old age for those who attained 70½ before
        # Jan 1, 2020). Born 1949-06-30: 70th birthday 2019-06-30, 70½ six calendar months later
        # on 2019-12-30 (Reg. §1.401(a)(9)-2, Q&A-3 as then in force) -> first year 2019.
        ("1949-06-30", "70.5", 2019),
        # Born 1948-07-01: 70½ on 2019-01-01 -> first year 2019 (the half-birthday's year, not 2018).
        ("1948-07-01", "70.5", 2019),
        # Born 1948-06-30: 70½ on 2018-12-30 -> 2018.
        ("1948-06-30", "70.5", 2018),
        # Born 1949-07-01: 70½ would fall on 2020-01-01, after 2019 -> 72 (SECURE §114), attained 2021.
        ("1949-07-01", "72", 2021),
        # Born 1950-12-31: attains 72 on 2022-12-31, before 2023 -> 72, first year 2022.
        ("1950-12-31", "72", 2022),
        # Born 1951-01-01: attains 72 in 2023 (after 2022) and 73 in 2024 -> 73 (§401(a)(9)(C)(v)(I)).
        ("1951-01-01", "73", 2024),
        ("1958-12-31", "73", 2031),
        # 1959: the overlap of (v)(I) and (v)(II); 73 provisionally (proposed regs), first year 2032.
        ("1959-06-15", "73", 2032),
        # Born 1960-01-01: attains 74 in 2034 (after 2032) -> 75 (§401(a)(9)(C)(v)(II)), attained 2035.
        ("1960-01-01", "75", 2035),
        ("1985-02-28", "75", 2060),
    ],
)
def test_applicable_age_and_first_year(born, age, first_year):
    assert rmd.applicable_age(dt.date.fromisoformat(born)) == Decimal(age)
    assert rmd.first_rmd_year(dt.date.fromisoformat(born)) == first_year


def test_1959_is_marked_provisional():
    assert rmd.age_band(dt.date(1959, 1, 1)).provisional
    assert not rmd.age_band(dt.date(1958, 12, 31)).provisional
    assert not rmd.age_band(dt.date(1960, 1, 1)).provisional


def test_half_birthday_of_a_month_end_birth_date():
    # Born 1948-08-31: 70th birthday 2018-08-31; six calendar months later is February 2019, which
    # has no 31st: the month's last day, 2019-02-28 (the project's convention, as for 59½).
    assert rmd.date_attained(dt.date(1948, 8, 31)) == dt.date(2019, 2, 28)


def test_bands_cover_every_birth_date_without_overlap():
    bands = rmd.age_bands()
    assert bands[0].first is None and bands[-1].last is None
    for before, after in itertools.pairwise(bands):
        assert before.last is not None and after.first == before.last + dt.timedelta(days=1)


def test_rmd_years_window_from_the_applicable_age_rows():
    # Youngest applicable age 70.5: born 1949-06-30 attains 70 on 2019-06-30 and 70.5 on 2019-12-30, so on
    # 2019-01-01 (an RMD year) the completed age is 69 = floor(70.5) - 1. Oldest applicable age 75: whoever
    # has completed 75 years has attained every cohort's age.
    assert rmd.rmd_years_window() == (Decimal(69), Decimal(75))
    assert rmd.first_rmd_year("1949-06-30") == 2019


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(1990, 12, 31)))
def test_rmd_years_window_brackets_every_first_rmd_year(born):
    # Completed age on 1 January of the first RMD year is never below the window, and on 31 December of the
    # year before it never at or above its top (by birth date, per the applicable-age rows).
    never_below, always_from = rmd.rmd_years_window()
    first = rmd.first_rmd_year(born)
    start = dt.date(first, 1, 1)
    age_at_start = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    assert age_at_start >= never_below
    eve = dt.date(first - 1, 12, 31)
    age_on_eve = eve.year - born.year - ((eve.month, eve.day) < (born.month, born.day))
    assert age_on_eve < always_from


def test_bad_birth_date_is_an_input_error():
    with pytest.raises(InputError, match="birth_date"):
        rmd.applicable_age("1959-13-01")
    with pytest.raises(InputError, match="birth_date"):
        rmd.first_rmd_year(1959)  # type: ignore[arg-type]


# --- required_minimum_distribution: refusals, errors, invariants ---------------------------------


def test_year_before_2022_is_unknown():
    # T.D. 9930's tables apply to distribution calendar years from 2022 (Reg. §1.401(a)(9)-9(f)); older ones are not carried.
    with pytest.raises(UnknownYear, match="2021"):
        xr.required_minimum_distribution(2021, "1945-01-01", 100000)


def test_inherited_account_is_refused():
    with pytest.raises(UnsupportedCase, match="inherited"):
        xr.required_minimum_distribution(2025, "1945-01-01", 100000, inherited=True)


def test_spouse_more_than_10_years_younger_uses_the_joint_table():
    # Owner 75 in 2026, spouse 64, sole beneficiary: 11 years younger, so the longer of the Uniform
    # Lifetime divisor (24.6 at 75, Reg. §1.401(a)(9)-9(c)) and the joint and last survivor life
    # expectancy (Reg. §1.401(a)(9)-9(d): ages 75 and 64 -> 25.3, printed the same both ways).
    # 300,000 / 25.3 = 11,857.7075... -> 11,857.71
    result = xr.required_minimum_distribution(2026, "1951-02-01", 300000, "1962-01-01", True)
    assert (result.table, result.divisor, result.amount) == ("joint", Decimal("25.3"), Decimal("11857.71"))
    assert "Joint and Last Survivor Table for ages 75 and 64" in result.explain()[-3].rule
    # The same spouse who is not the sole beneficiary: the Uniform Lifetime Table, 300,000 / 24.6 = 12,195.12.
    assert xr.required_minimum_distribution(2026, "1951-02-01", 300000, "1962-01-01", False).amount == Decimal(
        "12195.12"
    )


def test_joint_table_as_printed():
    from xl_rollover.core import life_tables

    # Reg. §1.401(a)(9)-9(d) as printed: (75, 60) 28.3; (0, 0) 91.9; (120+, 120+) 1.0; ages above 120 use 120+.
    assert life_tables.joint(75, 60) == life_tables.joint(60, 75) == Decimal("28.3")
    assert life_tables.joint(0, 0) == Decimal("91.9")
    assert life_tables.joint(120, 120) == life_tables.joint(125, 130) == Decimal("1.0")
    # (19, 35) is blank in the transcription; (35, 19) prints 68.0
    assert life_tables.joint(19, 35) == Decimal("68.0")
    # the printed table disagrees with itself at ages 2 and 5 (88.5 / 88.6): refused, not chosen
    with pytest.raises(UnsupportedCase, match=r"88\.5 and 88\.6|88\.6 and 88\.5"):
        life_tables.joint(2, 5)
    # every other pair is printed the same both ways, and the Uniform Lifetime Table is the joint
    # figure for an employee and a beneficiary ten years younger at every age it covers (72-120)
    for a in range(121):
        for b in range(121):
            if {a, b} != {2, 5}:
                assert life_tables.joint(a, b) == life_tables.joint(b, a)
    for age in range(72, 121):
        assert life_tables.factor("uniform", age) == life_tables.joint(age, age - 10)


def test_sole_spouse_without_birth_date_is_an_input_error():
    with pytest.raises(InputError, match="spouse_birth_date"):
        xr.required_minimum_distribution(2026, "1951-02-01", 300000, spouse_sole_beneficiary=True)


def test_bad_inputs_are_input_errors():
    with pytest.raises(InputError, match="prior_year_end_balance"):
        xr.required_minimum_distribution(2026, "1951-02-01", "-5")
    with pytest.raises(InputError, match="after the distribution year"):
        xr.required_minimum_distribution(2026, "2030-01-01", 5)
    with pytest.raises(InputError, match="inherited"):
        xr.required_minimum_distribution(2026, "1951-02-01", 5, inherited="maybe")
    with pytest.raises(InputError, match="spouse_birth_date 2030-01-01 is after"):
        xr.required_minimum_distribution(2026, "1951-02-01", 5, "2030-01-01", True)


def test_1959_explanation_says_provisional():
    steps = xr.required_minimum_distribution(2032, "1959-05-05", 100000).explain()
    assert "provisional" in steps[0].rule
    # 73 in 2032: first year; 100,000 / 26.5 = 3,773.5849... -> 3,773.58
    assert xr.required_minimum_distribution(2032, "1959-05-05", 100000).amount == Decimal("3773.58")


def test_every_step_cites_primary_authority_only():
    result = xr.required_minimum_distribution(2025, "1952-03-10", 500000, "1950-01-01", True)
    for step in result.explain():
        assert step.citation and "x-check" not in step.citation and ".com" not in step.citation


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(2022, 2060),
    born=st.dates(dt.date(1900, 1, 1), dt.date(1990, 12, 31)),
    cents=st.integers(0, 10**14),
)
def test_rmd_never_exceeds_the_balance(year, born, cents):
    balance = Decimal(cents) / 100
    if year - born.year > 125:
        return
    result = xr.required_minimum_distribution(year, born, balance)
    assert Decimal(0) <= result.amount <= balance
    if result.divisor is not None:
        # the amount is the balance over the divisor to the cent
        assert abs(result.amount * result.divisor - balance) <= result.divisor / 200


def test_second_year_states_the_deferred_first_year_distribution():
    # Treas. Reg. §1.401(a)(9)-5, Q&A-1(c), Q&A-3(a), (c); IRC §401(a)(9)(C)(i). Born 1952-03-10: first year 2025
    # (age 73), 500,000 / 26.5 = 18,867.92 may wait until April 1, 2026. The 2026 amount is figured on the
    # December 31, 2025 balance (480,000), not reduced by that April 2026 payment: 480,000 / 25.5 = 18,823.53,
    # due by December 31, 2026 -> two distributions in 2026 if the first was deferred.
    first = xr.required_minimum_distribution(2025, "1952-03-10", 500000)
    second = xr.required_minimum_distribution(2026, "1952-03-10", 480000)
    assert (first.amount, first.deadline) == (Decimal("18867.92"), dt.date(2026, 4, 1))
    assert (second.amount, second.deadline) == (Decimal("18823.53"), dt.date(2026, 12, 31))
    deadline = next(s for s in second.explain() if s.title == "Deadline")
    assert "due by April 1, 2026 as well (two distributions in 2026)" in deadline.rule
    assert "December 31, 2025 balance used here is not reduced by it" in deadline.rule
    assert "Q&A-3(a), (c)" in deadline.citation
    # the third year carries no such note
    third = next(
        s for s in xr.required_minimum_distribution(2027, "1952-03-10", 450000).explain() if s.title == "Deadline"
    )
    assert "April 1" not in third.rule
