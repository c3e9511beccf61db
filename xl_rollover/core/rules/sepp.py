"""Substantially equal periodic payments (IRC §72(t)(2)(A)(iv)) under Notice 2022-6: the annual payment.

Two of the notice's three methods are computed (§3.01(a) required minimum distribution, §3.01(b)
fixed amortization); fixed annuitization (§3.01(c)) needs the mortality rates of Treas. Reg.
§1.401(a)(9)-9(e), which are not carried, so it is refused. Life expectancy comes from the tables
of §1.401(a)(9)-9 (Notice 2022-6 §3.02(a)): the Single Life and Joint and Last Survivor Tables are
carried for every age; the Uniform Lifetime Table only from age 72 (its younger ages are in the
notice's Appendix A, not carried). A case needing what is not carried is refused. The interest rate is the caller's: at most the greater of 5% and 120% of the federal
mid-term rate for either of the two months before the first payment (Notice 2022-6 §3.02(c)).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from .. import life_tables, limits
from ..age import MAX_AGE, to_date
from ..errors import InputError, UnknownYear, UnsupportedCase, XlRolloverError
from ..explain import Result, Step
from ..money import PRECISION, SCALAR, cents, dollars, half_up_div, said, shown, to_decimal, to_money
from ..serial_dates import NO_DATE, day_of

NOTICE = "Notice 2022-6"
#: The rate a fixed amortization may always use, whatever 120% of the federal mid-term rate is (a limits row).
FLOOR_RATE_PARAMETER = "sepp_interest_rate_floor_notice_2022_6"
METHODS = {
    "rmd": "required_minimum_distribution",
    "required_minimum_distribution": "required_minimum_distribution",
    "amortization": "fixed_amortization",
    "fixed_amortization": "fixed_amortization",
    "annuitization": "fixed_annuitization",
    "fixed_annuitization": "fixed_annuitization",
}
TABLES = {"single": "single", "uniform": "uniform", "joint": "joint"}
#: The methods and tables in a fixed order: a column of them is read as positions in these tuples.
METHOD_CODES = ("required_minimum_distribution", "fixed_amortization", "fixed_annuitization")
TABLE_CODES = ("single", "uniform", "joint")
TABLE_NAMES = {
    "single": "Single Life Table",
    "uniform": "Uniform Lifetime Table",
    "joint": "Joint and Last Survivor Table",
}


@dataclass(frozen=True, kw_only=True)
class SeppResult(Result):
    """The year's payment in a series of substantially equal periodic payments, and how it was found."""

    payment: Decimal
    method: str
    age: int
    life_table: str
    life_expectancy: Decimal
    interest_rate: Decimal | None
    rate_cap: Decimal | None


def _choice(value: object, name: str, options: dict[str, str]) -> str:
    if not isinstance(value, str) or value.strip().lower().replace(" ", "_") not in options:
        raise InputError(f"{name} {shown(value)} is not one of {', '.join(sorted(set(options)))}")
    return options[value.strip().lower().replace(" ", "_")]


#: The smallest rate other than 0 taken (an input bound, not law): far below any published rate, far above the
#: 50-digit working precision of :func:`payment_factor`.
SMALLEST_RATE = Decimal("1E-12")


def _rate(value: object, name: str) -> Decimal:
    rate = to_decimal(value, name)
    if rate < 0:
        raise InputError(f"{name} {value} is negative")
    if 0 < rate < SMALLEST_RATE:  # 1 + rate would be 1 at the working precision: r / (1 - (1 + r)^-n) is 0/0
        raise InputError(f"{name} {said(value)} is not 0 but below {SMALLEST_RATE}; give 0 or a rate such as 0.05")
    if rate >= 1:
        raise InputError(f"{name} {value} is 100% or more; give the rate as a fraction (0.05 for 5%)")
    return rate


@functools.lru_cache(maxsize=4096)  # a Decimal power to 50 digits: once per (method, life expectancy, rate)
def payment_factor(method: str, life_expectancy: Decimal, rate: Decimal | None) -> tuple[int, int]:
    """The payment per dollar of balance as an exact fraction (numerator, denominator): 1 / life expectancy for
    the RMD method (and amortization at 0%), else r / (1 − (1 + r)^−n) worked to 50 significant digits
    (Notice 2022-6 §3.01(a), (b)); it depends only on the method, rate and life expectancy."""
    if method == "required_minimum_distribution" or not rate:
        top, bottom = life_expectancy.as_integer_ratio()
        return bottom, top
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return (rate / (1 - (1 + rate) ** -life_expectancy)).as_integer_ratio()


def sepp_kernel(balance: Any, numerator: Any, denominator: Any) -> Any:
    """The year's payment in integer cents: the balance times the payment factor, rounded half-up to the cent
    (the project's rounding). Exact on Python ints, and on numpy object columns where the factor's 50 digits
    exceed int64."""
    return half_up_div(balance * numerator, denominator)


def sepp_payment(
    balance: object,
    birth_date: object,
    year: object,
    method: object,
    interest_rate: object = None,
    life_table: object = "single",
    beneficiary_birth_date: object = None,
    rate_cap: object = None,
) -> SeppResult:
    """The annual SEPP payment by Notice 2022-6's RMD or fixed amortization method, half-up to the cent (§3.01(a), (b)).

    ``rate_cap`` is 120% of the federal mid-term rate for the better of the two months before the first
    payment; the cap applied is the greater of it and 5% (Notice 2022-6 §3.02(c)).
    """
    amount = to_money(balance, "balance")
    born = to_date(birth_date, "birth_date")
    y = limits.parse_year(year)
    how = _choice(method, "method", METHODS)
    table = _choice(life_table if life_table not in (None, "") else "single", "life_table", TABLES)
    if y < life_tables.FIRST_YEAR:
        raise UnknownYear(
            f"year {y} is before {life_tables.FIRST_YEAR}: Notice 2022-6 and the tables of Treas. Reg. "
            "§1.401(a)(9)-9 as amended by T.D. 9930 apply from 2022; the earlier guidance (Rev. Rul. 2002-62) is not carried"
        )
    if born.year > y:
        raise InputError(f"birth_date {born} is after the year {y}")
    age = y - born.year
    if age > MAX_AGE:
        raise InputError(f"birth_date {born}: {age} years old in {y}; ages above {MAX_AGE} are not plausible")
    beneficiary = None
    if beneficiary_birth_date not in (None, ""):
        beneficiary = to_date(beneficiary_birth_date, "beneficiary_birth_date")
    if table == "joint" and beneficiary is None:
        raise InputError("life_table joint needs beneficiary_birth_date (the designated beneficiary's birth date)")
    if table != "joint" and beneficiary is not None:
        raise InputError(f"beneficiary_birth_date is used only with life_table joint, not {table}")
    if how == "fixed_annuitization":
        raise UnsupportedCase(
            "the fixed annuitization method (Notice 2022-6 §3.01(c)) needs the mortality rates of Treas. Reg. "
            "§1.401(a)(9)-9(e), which are not carried here; use the required minimum distribution or fixed "
            "amortization method"
        )
    if table == "joint":
        assert beneficiary is not None
        other = y - beneficiary.year
        if other < 0:
            raise InputError(f"beneficiary_birth_date {beneficiary} is after the year {y}")
        factor = life_tables.joint(age, other)
    else:
        factor = life_tables.factor(table, age)
    steps = [
        Step(
            title="Life expectancy",
            rule=f"the {TABLE_NAMES[table]} figure for age {age}"
            + (f" and the beneficiary's age {y - beneficiary.year}" if beneficiary is not None else "")
            + f" (ages on the {y} birthdays"
            + (f", the table's {life_tables.top_age()}+ row" if age >= life_tables.top_age() else "")
            + ")",
            citation=f"{NOTICE}, §3.02(a); {life_tables.TABLE_CITATIONS[table]}",
            inputs={"birth_date": born, "year": y, "life_table": table},
            outputs={"age": age, "life_expectancy": factor},
        )
    ]
    rate: Decimal | None = None
    cap: Decimal | None = None
    if how == "required_minimum_distribution":
        payment = dollars(sepp_kernel(cents(amount), *payment_factor(how, factor, None)))
        steps.append(
            Step(
                title="Required minimum distribution method",
                rule="the account balance divided by the life expectancy for the year, rounded half-up to the cent "
                "(the project's rounding); redetermined each year with that year's balance and age"
                + ("; the interest rate given is not used by this method" if interest_rate not in (None, "") else ""),
                citation=f"{NOTICE}, §3.01(a)",
                inputs={"balance": amount, "life_expectancy": factor},
                outputs={"payment": payment},
            )
        )
    else:
        if interest_rate in (None, ""):
            raise InputError("interest_rate is required for the fixed amortization method (0.05 for 5%)")
        rate = _rate(interest_rate, "interest_rate")
        given_cap = None if rate_cap in (None, "") else _rate(rate_cap, "rate_cap")
        floor, _ = limits.value(FLOOR_RATE_PARAMETER, y)
        pct = f"{(floor * 100).normalize():f}%"
        cap = floor if given_cap is None else max(floor, given_cap)
        if rate > cap:
            raise UnsupportedCase(
                f"interest_rate {rate} exceeds the most Notice 2022-6 §3.02(c) allows, {cap}: the greater of {pct} and "
                "120% of the federal mid-term rate for either of the two months before the first payment"
                + ("" if given_cap is not None else f" (give rate_cap, that 120% figure, to allow more than {pct})")
            )
        steps.append(
            Step(
                title="Interest rate within the limit",
                rule=f"the rate may be any rate not more than the greater of {pct} and 120% of the federal mid-term "
                "rate (IRC §1274(d)) for either of the two months before the month the payments begin",
                citation=f"{NOTICE}, §3.02(c)",
                inputs={"interest_rate": rate, "rate_cap": given_cap},
                outputs={"limit": cap},
            )
        )
        payment = dollars(sepp_kernel(cents(amount), *payment_factor(how, factor, rate)))
        if rate == 0:
            working = "at 0% the payment is the balance divided by the life expectancy"
        else:
            working = "payment = balance × r / (1 − (1 + r)^−n), n the life expectancy in years"
        steps.append(
            Step(
                title="Fixed amortization method",
                rule=f"the balance amortized over the life expectancy at the chosen rate, one payment a year at the "
                f"year's end ({working}), rounded half-up to the cent (the project's rounding); the same amount "
                "every year of the series, so it is figured once: the year given must be the year of the first "
                "payment and the balance that of its valuation date (a later year's age or balance would change "
                "the series)",
                citation=f"{NOTICE}, §3.01(b)",
                inputs={"balance": amount, "interest_rate": rate, "life_expectancy": factor},
                outputs={"payment": payment},
            )
        )
    steps.append(
        Step(
            title="Assumptions",
            rule="the balance is that of the one account the series is paid from, valued as Notice 2022-6 §3.02(d) allows; "
            "from an employer plan, the payments begin after separation from service; the series continues unmodified "
            "until the later of five years from the first payment and age 59½, or the 10% tax avoided is recaptured "
            "with interest",
            citation=f"IRC §72(t)(2)(A)(iv), (t)(3)(B), (t)(4); {NOTICE}, §3.02(d), (e)",
        )
    )
    return SeppResult(
        payment=payment,
        method=how,
        age=age,
        life_table=table,
        life_expectancy=factor,
        interest_rate=rate,
        rate_cap=cap,
        steps=tuple(steps),
    )


__all__ = ["SeppResult", "sepp_payment"]


def _series(
    year: int, age: int, method: int, table: int, beneficiary_age: int, rate: float, cap: float
) -> tuple[Any, ...]:
    """Everything but the balance, once per distinct key (see :func:`_series_of`); rates NaN: blank."""
    return _series_of(
        year, age, method, table, beneficiary_age, None if math.isnan(rate) else rate, None if math.isnan(cap) else cap
    )


@functools.lru_cache(maxsize=1 << 14)  # a pure function of the key and the static tables: cached across runs
def _series_of(
    year: int, age: int, method: int, table: int, beneficiary_age: int, rate: float | None, cap: float | None
) -> tuple[Any, ...]:
    """The core's own checks and figures for a key (run on a balance of 0 and birth dates in the same years: only
    the years count), and the payment factor. ``beneficiary_age`` :data:`NO_DATE`: no beneficiary."""
    try:
        shown = sepp_payment(
            0,
            dt.date(year - age, 1, 1),
            year,
            METHOD_CODES[method],
            rate,
            TABLE_CODES[table],
            None if beneficiary_age == NO_DATE else dt.date(year - beneficiary_age, 1, 1),
            cap,
        )
        factor = payment_factor(shown.method, shown.life_expectancy, shown.interest_rate)
    except (XlRolloverError, ValueError, OverflowError):
        return False, None, None, None, None, None, 0, 1
    return (True, shown.method, shown.life_table, shown.life_expectancy, shown.interest_rate, shown.rate_cap, *factor)


def sepp_columns(
    balance: Any,
    birth: Any,
    year: Any,
    method: Any,
    rate: Any,
    table: Any,
    beneficiary_birth: Any,
    cap: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`sepp_payment`'s flat fields for whole columns: :func:`sepp_kernel` per row, the rest once per distinct
    (year, age, method, table, beneficiary's age, rate, cap).

    Dates as serial numbers (:data:`NO_DATE` when blank), the method and table as positions in
    :data:`METHOD_CODES` and :data:`TABLE_CODES`, rates as floats (NaN: blank), the balance in cents.
    """
    (born_year,) = ops.per_key(lambda serial: (day_of(serial).year,), birth)
    (beneficiary_year,) = ops.per_key(
        lambda serial: (NO_DATE if serial == NO_DATE else day_of(serial).year,), beneficiary_birth
    )
    age = year - ops.ints(born_year)
    beneficiary_age = ops.where(beneficiary_birth == NO_DATE, NO_DATE, year - ops.ints(beneficiary_year))
    known, how, life_table, life, interest, limit, numerator, denominator = ops.per_key(
        _series, year, age, method, table, beneficiary_age, rate, cap
    )
    return {
        "defined": known,
        # the factor's numerator as Python ints: balance × numerator may pass 2^63 (exact, never floats)
        "payment": ops.ints(sepp_kernel(balance, ops.objects(numerator), denominator)),
        "method": ops.objects(how),
        "age": ops.objects(age),
        "life_table": ops.objects(life_table),
        "life_expectancy": ops.objects(life),
        "interest_rate": ops.objects(interest),
        "rate_cap": ops.objects(limit),
    }
