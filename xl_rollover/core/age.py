"""Age for §72(t): a number of years, or the exact day 59½ is reached from a birth date.

IRC §72(t)(2)(A)(i) exempts distributions "made on or after the date on which the employee
attains age 59½"; Pub. 590-B: age 59½ is reached six months after the 59th birthday. A birthday
that does not exist in the target month (the 31st, or 29 February) falls on that month's last day
(a project convention, stated in the README).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from . import limits
from .errors import InputError
from .money import said, shown, to_decimal

MAX_AGE = Decimal(125)
#: Age 59½ (IRC §72(t)(2)(A)(i); §408A(d)(2)(A)(i)), a row of the limits table.
AGE_59_5_PARAMETER = "early_distribution_age_72t2Ai"
HALF_59 = limits.value(AGE_59_5_PARAMETER, None)[0]


def age_words(years: Decimal) -> str:
    """An age from the tables as people write it: ``70.5`` as 70½, ``50`` as 50."""
    whole = int(years)
    return f"{whole}½" if years - whole == Decimal("0.5") else f"{years.normalize():f}"


@dataclass(frozen=True)
class Age:
    """An age as given: years (exact decimal), or a birth date and a distribution date."""

    years: Decimal
    birth_date: dt.date | None = None
    on_date: dt.date | None = None
    reached_59_5_on: dt.date | None = None

    @property
    def is_59_5_or_over(self) -> bool:
        """True once age 59½ is attained (on the date itself counts: 'on or after')."""
        if self.on_date is not None and self.reached_59_5_on is not None:
            return self.on_date >= self.reached_59_5_on
        return self.years >= HALF_59

    def describe(self) -> str:
        if self.birth_date is not None:
            return (
                f"born {self.birth_date.isoformat()}, distribution {self.on_date.isoformat() if self.on_date else '?'}"
                f" (59½ reached {self.reached_59_5_on.isoformat() if self.reached_59_5_on else '?'})"
            )
        return f"{self.years.normalize():f} years"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, a missing day clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InputError(f"{day.isoformat()} plus {months} months is past the last date handled, 9999-12-31")
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def date_59_5(birth_date: dt.date) -> dt.date:
    """The date age 59½ is attained: six months after the 59th birthday (Pub. 590-B)."""
    return add_months(birth_date, int(HALF_59 * 12))  # 59½ years: 714 months


#: The one text form of a date taken: YYYY-MM-DD (Python 3.11's fromisoformat also reads 20250101 and the week
#: date 2025-W01-1, which is 2024-12-30; neither is taken).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` (spaces around it allowed) as a date; None for any other text or an impossible date."""
    text = text.strip()
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # 2025-02-30, 0000-01-01
        return None


def to_date(value: object, name: str) -> dt.date:
    """A date given as ``date``, ``datetime`` or text ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        day = iso_date(value)
        if day is None:
            raise InputError(f"{name} {shown(value)} is not a date (use YYYY-MM-DD)")
        return day
    raise InputError(f"{name} must be a date, not {type(value).__name__} {shown(value)}")


def parse_age(value: object, name: str = "age") -> Age:
    """Parse years (0 to 125) or a (birth date, distribution date) pair."""
    if isinstance(value, Age):
        return value
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise InputError(f"{name} as dates must be a pair (birth date, distribution date), got {len(value)} values")
        birth = to_date(value[0], f"{name} birth date")
        on = to_date(value[1], f"{name} distribution date")
        if on < birth:
            raise InputError(f"{name}: distribution date {on} is before birth date {birth}")
        years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        if years > MAX_AGE:
            raise InputError(f"{name}: born {birth}, {years} years old on {on}; ages above {MAX_AGE} are not plausible")
        half = date_59_5(birth)
        exact = Decimal(years) + (Decimal("0.5") if on >= add_months(birth, years * 12 + 6) else 0)
        return Age(years=exact, birth_date=birth, on_date=on, reached_59_5_on=half)
    years_value = to_decimal(value, name)
    if years_value < 0:
        raise InputError(f"{name} {said(value)} is negative")
    if years_value > MAX_AGE:
        raise InputError(f"{name} {said(value)} is not a plausible age (0 to {MAX_AGE})")
    return Age(years=years_value)
