"""Required minimum distributions: the applicable age by birth date and the first distribution year.

IRC §401(a)(9)(C)(i) (for IRAs through §408(a)(6)): distributions must begin by April 1 of the
year after the year the employee attains the "applicable age": 70½ for those who reached 70½
before 2020; 72 after SECURE Act §114 (P.L. 116-94); 73 or 75 after SECURE 2.0 §107 (P.L. 117-328),
§401(a)(9)(C)(v). The ages by birth date are rows of ``data/irs_limits.csv``
(``rmd_applicable_age:born_...``), one per cohort.

The 1959 cohort fits both §401(a)(9)(C)(v)(I) (attains 72 after 2022 and 73 before 2033) and
(v)(II) (attains 74 after 2032); the data carries 73, the age proposed regulations
(REG-103529-23, 89 FR 58644, July 19, 2024) would give; final regulations had not settled it, so
the result for 1959 says that it is provisional.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .. import limits
from ..age import add_months, to_date
from ..errors import InputError, UnknownYear

AGE_PREFIX = "rmd_applicable_age:"
#: The citation shown to clients for the applicable age (primary authority only).
AGE_CITATION = (
    "IRC §401(a)(9)(C)(i), (v), as amended by SECURE Act §114 (P.L. 116-94) and SECURE 2.0 §107 (P.L. 117-328)"
)
PROVISIONAL_NOTE = (
    "born in 1959: the statute's two applicable-age clauses overlap for this year of birth; 73 is the age "
    "proposed regulations give (REG-103529-23, 89 FR 58644); treat it as provisional until final "
    "regulations settle it"
)

_BEFORE = re.compile(r"^born_before_(\d{4}-\d{2}-\d{2})$")
_RANGE = re.compile(r"^born_(\d{4}-\d{2}-\d{2})_to_(\d{4}-\d{2}-\d{2})$")
_YEAR = re.compile(r"^born_(\d{4})$")
_LATER = re.compile(r"^born_(\d{4}-\d{2}-\d{2})_or_later$")


@dataclass(frozen=True)
class AgeBand:
    """One cohort row: birth dates ``first``..``last`` (inclusive; None = open) and their applicable age."""

    first: dt.date | None
    last: dt.date | None
    age: Decimal
    parameter: str
    provisional: bool


@cache
def age_bands() -> tuple[AgeBand, ...]:
    """The applicable-age rows of the limits table, parsed from their names (``born_...``)."""
    bands: list[AgeBand] = []
    for name in limits.limit_names():
        if not name.startswith(AGE_PREFIX):
            continue
        cohort = name[len(AGE_PREFIX) :]
        first: dt.date | None
        last: dt.date | None
        if m := _BEFORE.match(cohort):
            first, last = None, dt.date.fromisoformat(m[1]) - dt.timedelta(days=1)
        elif m := _RANGE.match(cohort):
            first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        elif m := _YEAR.match(cohort):
            first, last = dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
        elif m := _LATER.match(cohort):
            first, last = dt.date.fromisoformat(m[1]), None
        else:  # pragma: no cover - a malformed data row is a packaging defect
            raise ValueError(f"cannot read the birth dates of limits row {name!r}")
        row = limits.lookup(name, None)
        bands.append(AgeBand(first, last, row.value, name, "provisional" in row.source.lower()))
    return tuple(sorted(bands, key=lambda b: b.first or dt.date.min))


def age_band(birth_date: object) -> AgeBand:
    """The cohort row for a birth date (a date, datetime or ``YYYY-MM-DD`` text)."""
    born = to_date(birth_date, "birth_date")
    for band in age_bands():
        if (band.first is None or band.first <= born) and (band.last is None or born <= band.last):
            return band
    raise UnknownYear(f"birth_date {born} is not covered by the applicable-age rows of the limits table")


def applicable_age(birth_date: dt.date | str) -> Decimal:
    """The RMD applicable age for a birth date: 70.5, 72, 73 or 75 (IRC §401(a)(9)(C)(v); SECURE §114, SECURE 2.0 §107).

    For a 1959 birth date the answer (73) is provisional: see the module note.
    """
    return age_band(birth_date).age


def date_attained(birth_date: dt.date | str) -> dt.date:
    """The day the applicable age is attained: the birthday, or for 70½ six calendar months after the 70th.

    Reg. §1.401(a)(9)-2, Q&A-3 (as in force before SECURE): age 70½ is attained six months after the
    70th birthday (Pub. 590-B states the same).
    """
    born = to_date(birth_date, "birth_date")
    age = applicable_age(born)
    whole = int(age)
    months = whole * 12 + (6 if age != whole else 0)
    if age * 2 != int(age * 2):  # pragma: no cover - the data holds whole or half years only
        raise InputError(f"applicable age {age} is not a whole or half year")
    return add_months(born, months)


def first_rmd_year(birth_date: dt.date | str) -> int:
    """The first distribution calendar year: the year the applicable age is attained (IRC §401(a)(9)(C)(i)).

    For 70½ that is the year of the half-birthday; its distribution may wait until April 1 of the
    next year (the required beginning date).
    """
    return date_attained(birth_date).year
