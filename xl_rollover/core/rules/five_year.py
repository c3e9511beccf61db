"""Roth five-year periods as data: a period of N taxable years from January 1 of its first year.

Both periods are rows of ``irs_limits.csv``: the qualified-distribution period of a Roth IRA
(IRC §408A(d)(2)(B); Treas. Reg. §1.408A-6 A-2) and the recapture period of a conversion's taxable
amount (IRC §408A(d)(3)(F); Treas. Reg. §1.408A-6 A-5(c); in-plan Roth rollovers: IRC §402A(c)(4)(D),
Notice 2010-84). A period that begins in year Y with N years ends on December 31 of year Y + N - 1.
"""

from __future__ import annotations

import datetime as dt

from .. import limits

QUALIFIED = "roth_ira_qualified_period_years_408Ad2B"
RECAPTURE = "conversion_recapture_period_years_408Ad3F"


def last_year(first_year: int, period: str) -> int:
    """The last taxable year of the five-year ``period`` that begins with ``first_year``."""
    years, _ = limits.value(period, None)
    return first_year + int(years) - 1


def period_end(first_year: int, period: str) -> dt.date:
    """December 31 of the period's last taxable year."""
    return dt.date(last_year(first_year, period), 12, 31)
