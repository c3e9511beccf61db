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
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from .. import life_tables, limits
from ..age import MAX_AGE, add_months, age_words, to_date
from ..errors import InputError, UnknownYear, UnsupportedCase, XlRolloverError
from ..explain import Result, Step
from ..money import SCALAR, ZERO, cents, dollars, half_up_div, to_flag, to_money
from ..serial_dates import NO_DATE, day_of

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


@cache
def rmd_years_window() -> tuple[Decimal, Decimal]:
    """Ages in whole years below which no distribution year is an RMD year, and from which every one is.

    Read from the applicable-age rows (IRC §401(a)(9)(C)(v); SECURE 2.0 §107): an age ``a`` is attained in a
    year that starts at ``floor(a) - 1`` completed years at the earliest (70½: 69), and whoever has
    completed the oldest applicable age (75) has reached every cohort's.
    """
    ages = [band.age for band in age_bands()]
    return Decimal(int(min(ages)) - 1), Decimal(-int(-max(ages)))


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
    return _attained(born, applicable_age(born))


def _attained(born: dt.date, age: Decimal) -> dt.date:
    """The day a whole or half-year age is attained (see :func:`date_attained`)."""
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


# --- the year's required minimum distribution ---------------------------------------------------

RMD_CITATION = "IRC §401(a)(9)(A), (C); Treas. Reg. §1.401(a)(9)-5"
RBD_CITATION = "IRC §401(a)(9)(C)(i); Treas. Reg. §1.401(a)(9)-2; IRC §408(a)(6) for IRAs"
#: The first year's amount paid in the second year, and the balance the second year's amount is figured on.
SECOND_YEAR_CITATION = (
    "Treas. Reg. §1.401(a)(9)-5, Q&A-1(c), Q&A-3(a), (c) (as numbered before the amendment at 89 FR 58907, "
    "July 19, 2024)"
)


def rmd_kernel(balance: Any, divisor_tenths: Any) -> Any:
    """The year's RMD in integer cents: the balance over the distribution period (given in tenths of a year),
    rounded half-up to the cent (IRC §401(a)(9)(A); Treas. Reg. §1.401(a)(9)-5; the rounding is the project's).

    The one statement of the division, on Python ints (:func:`required_minimum_distribution`) or numpy int64
    arrays (the column runner); exact, as the table's periods have one decimal.
    """
    return half_up_div(balance * 10, divisor_tenths)


def tenths(period: Decimal) -> int:
    """A distribution period in tenths of a year (the tables print one decimal)."""
    units = period * 10
    if units != units.to_integral_value():  # pragma: no cover - every table figure has one decimal
        raise UnsupportedCase(f"distribution period {period} has more than one decimal")
    return int(units)


#: Years by which a sole spouse beneficiary must be younger for the joint table (limits row, with its source).
SPOUSE_GAP_PARAMETER = "rmd_spouse_joint_table_age_gap_years"


def spouse_gap() -> int:
    """Years a sole spouse beneficiary must be more than younger for the joint period to count (Treas. Reg.
    §1.401(a)(9)-5, Q&A-4(b); Pub. 590-B, Table II), from the limits table."""
    return int(limits.value(SPOUSE_GAP_PARAMETER, None)[0])


def distribution_period(age: int, spouse_age: int | None) -> tuple[str, Decimal, Decimal | None]:
    """The table and divisor for an owner's age: the Uniform Lifetime Table, or for a sole spouse beneficiary more
    than :func:`spouse_gap` years younger (``spouse_age`` given) the longer of it and the joint life expectancy, which is also
    returned (Treas. Reg. §1.401(a)(9)-5; §1.401(a)(9)-9(c), (d))."""
    divisor = life_tables.factor("uniform", age)
    if spouse_age is None or age - spouse_age <= spouse_gap():
        return "uniform", divisor, None
    joint = life_tables.joint(age, spouse_age)
    return ("joint", joint, joint) if joint > divisor else ("uniform", divisor, joint)


#: The required beginning date's month and day in the year after the first distribution year (limits rows).
RBD_PARAMETERS = ("rmd_required_beginning_month_401a9Ci", "rmd_required_beginning_day_401a9Ci")


def required_beginning(year: int) -> dt.date:
    """The required beginning date in ``year`` (April 1, IRC §401(a)(9)(C)(i)), from the limits table."""
    month, day = (int(limits.value(name, None)[0]) for name in RBD_PARAMETERS)
    return dt.date(year, month, day)


#: Month names for explanations, in English whatever the locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _day_words(day: dt.date) -> str:
    """A month and day as the explanations write them, in English whatever the locale: April 1."""
    return f"{_MONTHS[day.month - 1]} {day.day}"


def deadlines(year: int, first: int) -> tuple[dt.date, dt.date | None]:
    """The required beginning date (April 1 after the first distribution year) and the year's deadline: that date
    for the first year, December 31 for later years, none before the first year (IRC §401(a)(9)(C)(i))."""
    rbd = required_beginning(first + 1)
    return rbd, None if year < first else rbd if year == first else dt.date(year, 12, 31)


@dataclass(frozen=True, kw_only=True)
class RmdResult(Result):
    """One distribution year's required minimum distribution for an account owner, with its deadline."""

    amount: Decimal
    applicable_age: Decimal
    first_rmd_year: int
    required_beginning_date: dt.date
    deadline: dt.date | None
    age: int
    table: str | None
    divisor: Decimal | None


def required_minimum_distribution(
    year: object,
    birth_date: object,
    prior_year_end_balance: object,
    spouse_birth_date: object = None,
    spouse_sole_beneficiary: object = False,
    inherited: object = False,
) -> RmdResult:
    """The year's RMD: last year-end balance over the Uniform Lifetime (or joint, spouse >10 years younger) divisor (Reg. §1.401(a)(9)-5).

    Rounded half-up to the cent. Before the first distribution year it is 0, with the reason.
    """
    y = limits.parse_year(year)
    born = to_date(birth_date, "birth_date")
    balance = to_money(prior_year_end_balance, "prior_year_end_balance")
    sole = to_flag(spouse_sole_beneficiary, "spouse_sole_beneficiary")
    if to_flag(inherited, "inherited"):
        raise UnsupportedCase(
            "inherited accounts are not covered: a beneficiary's distributions follow IRC §401(a)(9)(B), (H) and "
            "Treas. Reg. §1.401(a)(9)-3 and -5 (10-year rule, beneficiary life expectancy), not the owner's table"
        )
    if y < life_tables.FIRST_YEAR:
        raise UnknownYear(
            f"year {y} is before {life_tables.FIRST_YEAR}: the life expectancy tables carried here "
            f"(Treas. Reg. §1.401(a)(9)-9 as amended by T.D. 9930) apply from {life_tables.FIRST_YEAR}; earlier tables "
            "are not carried"
        )
    if born.year > y:
        raise InputError(f"birth_date {born} is after the distribution year {y}")
    age = y - born.year  # age as of the birthday in the distribution calendar year
    if age > MAX_AGE:
        raise InputError(f"birth_date {born}: {age} years old in {y}; ages above {MAX_AGE} are not plausible")
    spouse: dt.date | None = None
    if spouse_birth_date is not None and spouse_birth_date != "":
        spouse = to_date(spouse_birth_date, "spouse_birth_date")
        if spouse.year > y:
            raise InputError(f"spouse_birth_date {spouse} is after the distribution year {y}")
    if sole and spouse is None:
        raise InputError(
            "spouse_sole_beneficiary is set: give spouse_birth_date (the table depends on the spouse's age)"
        )
    band = age_band(born)
    first = first_rmd_year(born)
    rbd, deadline = deadlines(y, first)
    steps = [_age_step(born, band, first, rbd)]
    if y < first:
        steps.append(
            Step(
                title="No distribution required this year",
                rule=f"{y} is before the first distribution year {first} (the year age {age_words(band.age)} is "
                "attained): no minimum distribution is required for it",
                citation=RMD_CITATION,
                inputs={"year": y, "first_rmd_year": first},
                outputs={"amount": ZERO},
            )
        )
        return RmdResult(
            amount=ZERO,
            applicable_age=band.age,
            first_rmd_year=first,
            required_beginning_date=rbd,
            deadline=None,
            age=age,
            table=None,
            divisor=None,
            steps=tuple(steps),
        )
    spouse_age = y - spouse.year if sole and spouse is not None else None
    table, divisor, joint = distribution_period(age, spouse_age)
    if spouse_age is not None:
        if joint is not None:
            steps.append(
                Step(
                    title=f"Spouse more than {spouse_gap()} years younger",
                    rule=f"the spouse is the sole designated beneficiary and more than {spouse_gap()} years younger "
                    "(ages on the birthdays in the year): the distribution period is the longer of the Uniform "
                    "Lifetime Table's and the couple's joint and last survivor life expectancy",
                    citation="Treas. Reg. §1.401(a)(9)-5; Treas. Reg. §1.401(a)(9)-9(c), (d)",
                    inputs={"age": age, "spouse_age": spouse_age, "joint_life_expectancy": joint},
                    outputs={"table": "Joint and Last Survivor" if table == "joint" else "Uniform Lifetime"},
                )
            )
        else:
            steps.append(
                Step(
                    title=f"Spouse not more than {spouse_gap()} years younger",
                    rule=f"the spouse is the sole designated beneficiary but not more than {spouse_gap()} years "
                    "younger: the Uniform Lifetime Table applies",
                    citation="Treas. Reg. §1.401(a)(9)-5; Treas. Reg. §1.401(a)(9)-9(c)",
                    inputs={"age": age, "spouse_age": spouse_age},
                    outputs={"table": "Uniform Lifetime"},
                )
            )
    amount = dollars(rmd_kernel(cents(balance), tenths(divisor)))
    steps.append(
        Step(
            title="Required minimum distribution",
            rule=f"the account balance at the end of {y - 1} divided by the distribution period "
            + (
                f"of the Joint and Last Survivor Table for ages {age} and {y - spouse.year}"
                if table == "joint" and spouse is not None
                else f"of the Uniform Lifetime Table for age {age}"
            )
            + f" (ages on the {y} birthdays"
            + (f", the table's {life_tables.top_age()}+ row" if age >= life_tables.top_age() else "")
            + "), rounded half-up to the cent (the project's rounding; the rule states no rounding)",
            citation=f"{RMD_CITATION}; {life_tables.TABLE_CITATIONS[table]}",
            inputs={"prior_year_end_balance": balance, "age": age, "divisor": divisor},
            outputs={"amount": amount},
        )
    )
    if y == first:
        due = (
            f"the first year's distribution may wait until the required beginning date, {_day_words(rbd)}, {first + 1}; "
            f"if it does, the {first + 1} distribution is also due by December 31, {first + 1}"
        )
    elif y == first + 1:
        # The second distribution year: the first year's amount, if deferred, is paid by April 1 of this year on
        # top of this year's; this year's is figured on the December 31 balance of the first year, which only
        # distributions made in that first year (after the valuation date) reduce (Q&A-1(c), Q&A-3(a), (c)).
        due = (
            f"the distribution for {y} is due by December 31, {y}; if the {first} distribution was deferred to the "
            f"required beginning date, it is due by {_day_words(rbd)}, {y} as well (two distributions in {y}), and the "
            f"December 31, {first} balance used here is not reduced by it"
        )
    else:
        due = f"the distribution for {y} is due by December 31, {y}"
    steps.append(
        Step(
            title="Deadline",
            rule=due,
            citation=RBD_CITATION + (f"; {SECOND_YEAR_CITATION}" if y == first + 1 else ""),
            inputs={"year": y},
            outputs={"deadline": deadline},
        )
    )
    steps.append(
        Step(
            title="Assumptions",
            rule="an IRA, or an employer plan participant who is retired or a 5% owner (a plan may let a participant "
            f"still working delay the start until {_day_words(rbd)} after retiring); the balance is the account's value on "
            "December 31 of the prior year as the plan or custodian reports it, adjusted where the regulations require "
            "(e.g. an outstanding rollover); the owner is alive and is the original owner",
            citation="IRC §401(a)(9)(C)(i)(II), (ii); Treas. Reg. §1.401(a)(9)-5",
        )
    )
    return RmdResult(
        amount=amount,
        applicable_age=band.age,
        first_rmd_year=first,
        required_beginning_date=rbd,
        deadline=deadline,
        age=age,
        table=table,
        divisor=divisor,
        steps=tuple(steps),
    )


def _age_step(born: dt.date, band: AgeBand, first: int, rbd: dt.date) -> Step:
    rule = (
        f"born {born.isoformat()}: the applicable age is {age_words(band.age)}, attained in {first}; the required "
        f"beginning date is {_day_words(rbd)} of the next year"
    )
    if band.provisional:
        rule += f" ({PROVISIONAL_NOTE})"
    return Step(
        title="Applicable age and required beginning date",
        rule=rule,
        citation=f"{AGE_CITATION}; Treas. Reg. §1.401(a)(9)-2",
        inputs={"birth_date": born},
        outputs={"applicable_age": band.age, "first_rmd_year": first, "required_beginning_date": rbd},
    )


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the date and the static tables: cached across runs
def _born(serial: int) -> tuple[Any, ...]:
    """What a birth date fixes: its year, the applicable age and the first distribution year (None: not covered)."""
    try:
        born = day_of(serial)
        age = age_band(born).age
        return True, born.year, age, _attained(born, age).year
    except (XlRolloverError, OverflowError, ValueError):
        return False, 0, None, 0


def _period(age: int, spouse_age: int, due: bool) -> tuple[Any, ...]:
    """The table, divisor and divisor in tenths for an age (-1: no sole spouse beneficiary), when an RMD is due."""
    if not due:
        return True, None, None, 10
    try:
        table, divisor, _ = distribution_period(age, None if spouse_age < 0 else spouse_age)
        return True, table, divisor, tenths(divisor)
    except XlRolloverError:
        return False, None, None, 10


def rmd_columns(
    year: Any, birth: Any, balance: Any, spouse_birth: Any, sole: Any, inherited: Any, ops: Any = SCALAR
) -> dict[str, Any]:
    """:func:`required_minimum_distribution`'s flat fields for whole columns: :func:`rmd_kernel` per row, the
    birth date's cohort once per distinct date and the divisor once per distinct age pair.

    Dates as serial numbers (``spouse_birth`` :data:`NO_DATE` when blank), flags as 0/1, the balance in
    cents. ``defined`` is False for every row the function refuses (an inherited account, a year before
    2022, a birth date after the year or not covered, a sole spouse beneficiary with no birth date, an
    age the tables do not carry); the core answers those.
    """
    known, born_year, applicable, first = ops.per_key(_born, birth)
    born_year, first = ops.ints(born_year), ops.ints(first)
    has_spouse = spouse_birth != NO_DATE
    (spouse_year,) = ops.per_key(lambda serial: (-1 if serial == NO_DATE else day_of(serial).year,), spouse_birth)
    spouse_year = ops.ints(spouse_year)
    age = year - born_year
    due = year >= first
    period_known, table, divisor, divisor_tenths = ops.per_key(
        _period, age, ops.where(has_spouse & (sole == 1), year - spouse_year, -1), due
    )
    rbd, deadline = ops.per_key(deadlines, year, first)
    defined = (
        known
        & period_known
        & (inherited == 0)
        & (year >= life_tables.FIRST_YEAR)
        & (born_year <= year)
        & (age <= int(MAX_AGE))
        & ((spouse_birth == NO_DATE) | (spouse_year <= year))
        & ((sole == 0) | has_spouse)
    )
    return {
        "defined": defined,
        "amount": ops.where(due, rmd_kernel(balance, ops.ints(divisor_tenths)), 0),
        "applicable_age": ops.objects(applicable),
        "first_rmd_year": ops.objects(first),
        "required_beginning_date": ops.objects(rbd),
        "deadline": ops.objects(deadline),
        "age": ops.objects(age),
        "table": ops.objects(table),
        "divisor": ops.objects(divisor),
    }
