"""Required minimum distributions: applicable age, first year (IRC §401(a)(9)(C), SECURE §114, SECURE 2.0 §107)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from xl_rollover.errors import InputError
from xl_rollover.rules import rmd


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


def test_bad_birth_date_is_an_input_error():
    with pytest.raises(InputError, match="birth_date"):
        rmd.applicable_age("1959-13-01")
    with pytest.raises(InputError, match="birth_date"):
        rmd.first_rmd_year(1959)  # type: ignore[arg-type]
