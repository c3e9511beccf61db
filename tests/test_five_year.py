"""The Roth five-year periods are data rows with primary sources, and the rules read them."""

from __future__ import annotations

import datetime as dt

from xl_rollover.core import limits
from xl_rollover.core.rules.five_year import QUALIFIED, RECAPTURE, last_year, period_end


def test_periods_are_rows_with_their_sections():
    assert limits.value(QUALIFIED, None)[0] == 5 and "408A(d)(2)(B)" in limits.value(QUALIFIED, None)[1]
    assert limits.value(RECAPTURE, None)[0] == 5 and "408A(d)(3)(F)" in limits.value(RECAPTURE, None)[1]


def test_period_ends():
    # Treas. Reg. 1.408A-6 A-5(c): a 2025 conversion's 5-taxable-year period is 2025-2029.
    assert period_end(2025, RECAPTURE) == dt.date(2029, 12, 31)
    # IRC 408A(d)(2)(B): first Roth contribution for 2020 -> the period is 2020-2024; qualified from 2025.
    assert last_year(2020, QUALIFIED) == 2024
