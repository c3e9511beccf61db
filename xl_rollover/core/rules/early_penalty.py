"""The §72(t) additional tax: 10% of the includible part of an early distribution, 25% for a
SIMPLE IRA in its first two years, less whatever a §72(t)(2) exception covers (Form 5329 Part I).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from .. import limits
from ..age import HALF_59, parse_age
from ..errors import InputError
from ..explain import Result, Step, frozen_map
from ..money import SCALAR, ZERO, cents, fmt, half_up_div, to_decimal, to_flag, to_money
from ..money import dollars as amount_of
from .penalty_exceptions import PenaltyException, parse_account_type, parse_exception

RATE_PARAMETER = "early_distribution_additional_tax_rate_72t1"
SIMPLE_RATE_PARAMETER = "simple_ira_first_2yr_additional_tax_rate_72t6"
#: The most children one birth-or-adoption claim takes (a bound on bad input, not a rule).
MAX_COUNT = 20


@dataclass(frozen=True, kw_only=True)
class PenaltyResult(Result):
    """The additional tax on one early distribution and the Form 5329 Part I lines behind it."""

    LINE_LABELS: ClassVar[Mapping[str, str]] = MappingProxyType({"form_5329": "Form 5329 line"})

    penalty: Decimal
    rate: Decimal
    penalized_amount: Decimal
    excepted_amount: Decimal
    exception: str | None
    status: str  # in words: subject to the 10% tax or not, and why not
    form_5329: Mapping[str, Decimal | str | None]


def _cap(
    exc: PenaltyException, amount: Decimal | None, taxable: Decimal, year: int | None, count: int, used: Decimal
) -> tuple[Decimal, str]:
    """How much of ``taxable`` the exception can cover, and how that was found (the cap read from the table)."""
    if exc.amount_role == "part":
        if amount is None:
            return taxable, "covers the whole distribution"
        return amount, f"covers exception_amount {fmt(amount)}"
    if amount is None and exc.amount_role in ("expenses", "vested_balance"):
        raise InputError(f"exception {exc.number} {exc.key} needs exception_amount: {exc.amount_help}")
    if exc.amount_role == "expenses":
        assert amount is not None
        return amount, f"covered up to the qualifying amount {fmt(amount)}"
    assert exc.cap_parameter
    if year is None and limits.years_for(exc.cap_parameter):
        raise InputError(
            f"exception {exc.number or '-'} {exc.key} needs tax_year: its dollar limit is indexed each year"
        )
    dollars, _ = limits.value(exc.cap_parameter, year)
    dollars = dollars + ZERO
    if exc.amount_role == "vested_balance":
        assert amount is not None and exc.balance_share_parameter and exc.balance_floor_parameter
        share, _ = limits.value(exc.balance_share_parameter, year)
        floor, _ = limits.value(exc.balance_floor_parameter, year)
        part = amount_of(balance_cap_kernel(cents(amount), cents(floor + ZERO), rate_units(share)))
        covered = min(dollars, part)
        dated = f" for {year}" if limits.years_for(exc.cap_parameter) else ""
        base = "the vested balance" + (f" over {fmt(floor + ZERO)}" if floor else "")
        of = base if share == 1 else f"{(share * 100).normalize():f}% of {base}"
        return covered, f"lesser of {fmt(dollars)}{dated} and {of} ({fmt(part)})"
    # capped: per child, less what earlier years used of a lifetime limit
    limit, words = dollars, f"limit {fmt(dollars)}"
    if exc.per_count:
        limit = dollars * count
        words = f"limit {fmt(dollars)} per child × {count} = {fmt(limit)}"
    if exc.lifetime:
        limit = dollars - used
        words = f"lifetime limit {fmt(dollars)} less {fmt(used)} already used (earlier years, or Form 8606 line 20) = {fmt(limit)}"
    if amount is None:
        return limit, words
    return min(amount, limit), f"lesser of exception_amount {fmt(amount)} and the {words}"


def _count(value: object) -> int:
    """``exception_count``: a whole number of children, 1 or more (blank: 1)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, bool):
        raise InputError(f"exception_count {value} must be a whole number of children, 1 or more")
    number = to_decimal(value, "exception_count")
    if number != number.to_integral_value() or not 1 <= number <= MAX_COUNT:
        raise InputError(f"exception_count {value} must be a whole number of children from 1 to {MAX_COUNT}")
    return int(number)


def status_words(penalized: Decimal | int, taxable: Decimal | int, reason: str | None) -> str:
    """What a client reads about the 10% tax: whether the distribution is subject to it, and why not."""
    if not taxable:
        return "nothing includible: no 10% tax"
    if not penalized:
        return f"not subject to the 10% tax: {reason}"
    if penalized == taxable:
        return "subject to the 10% tax"
    return f"partly subject to the 10% tax: the rest is excepted ({reason})"


def early_penalty(
    taxable_amount: object,
    age: object,
    account_type: object = "IRA",
    exception: object = None,
    exception_amount: object = None,
    tax_year: object = None,
    simple_first_two_years: object = False,
    exception_count: object = 1,
    first_home_used: object = 0,
) -> PenaltyResult:
    """10% additional tax on the includible part of a distribution before age 59½, less exceptions (§72(t))."""
    taxable = to_money(taxable_amount, "taxable_amount")
    who = parse_age(age)
    kind = parse_account_type(account_type)
    exc = parse_exception(exception)
    amount = to_money(exception_amount, "exception_amount") if exception_amount is not None else None
    year = limits.parse_year(tax_year, "tax_year") if tax_year is not None else None
    count = _count(exception_count)
    used = to_money(first_home_used if first_home_used is not None else 0, "first_home_used")
    simple_first_two_years = to_flag(simple_first_two_years, "simple_first_two_years")
    if simple_first_two_years and kind != "SIMPLE_IRA":
        raise InputError(f"simple_first_two_years applies only to account_type SIMPLE_IRA, not {kind} (IRC §72(t)(6))")
    if count != 1 and (exc is None or not exc.per_count):
        raise InputError(
            f"exception_count {count} applies only to exception 19 birth_adoption ($5,000 per child, IRC §72(t)(2)(H))"
        )
    if used and (exc is None or not exc.lifetime):
        raise InputError(
            f"first_home_used {fmt(used)} applies only to exception 09 first_home (the $10,000 lifetime limit, "
            "IRC §72(t)(8)(B))"
        )
    if exc is not None and exc.lifetime:
        assert exc.cap_parameter
        lifetime, _ = limits.value(exc.cap_parameter, year)
        if used > lifetime:
            raise InputError(
                f"first_home_used {fmt(used)} exceeds the {fmt(lifetime + ZERO)} lifetime limit (IRC §72(t)(8)(B))"
            )
    if exc is not None and not exc.applies_to(kind):
        raise InputError(
            f"exception {exc.number or '-'} {exc.key} ({exc.title}) does not apply to account_type {kind}: "
            f"it applies to {exc.where()} ({exc.citation})"
        )
    if exc is not None and exc.distributions_after is not None:
        if year is None:
            raise InputError(
                f"exception {exc.number or '-'} {exc.key} needs tax_year: it applies only to distributions after "
                f"{exc.distributions_after.isoformat()}"
            )
        if dt.date(year, 12, 31) <= exc.distributions_after:
            raise InputError(
                f"exception {exc.number or '-'} {exc.key} applies only to distributions after "
                f"{exc.distributions_after.isoformat()}, not to tax_year {year}"
            )
    if exc is not None and exc.needs_age_59_5 and not who.is_59_5_or_over:
        raise InputError(f"exception 12 age_59_5 needs age 59½ or older; age is {who.describe()}")

    rate_name = SIMPLE_RATE_PARAMETER if simple_first_two_years else RATE_PARAMETER
    rate, rate_source = limits.value(rate_name, year)
    steps = [
        Step(
            title="Rate",
            rule=(
                "25% for a SIMPLE IRA distribution within 2 years of first participation"
                if simple_first_two_years
                else "10% of the early distribution includible in income"
            ),
            citation=rate_source,
            inputs={"account_type": kind, "simple_first_two_years": bool(simple_first_two_years)},
            outputs={"rate": rate},
        )
    ]

    exception_key: str | None
    form_number: str | None = None
    reason: str | None = None
    # what the kernel needs: the most the exception covers, and how Form 5329 lines 1-2 show it
    covered, off_form, rest_only = ZERO, False, False
    if who.is_59_5_or_over:
        covered, exception_key, reason = taxable, "age_59_5", "age 59½"
        shown_as_early = exc is not None and exc.needs_age_59_5
        if shown_as_early:
            # box 7 shows code 1, J or S: line 1 carries the amount so the return matches the 1099-R,
            # and line 2 takes it out again with exception 12
            form_number = "12"
            rule = (
                "a distribution made on or after the date the owner attains age 59½ is not early; shown as early on "
                "Form 1099-R (code 1, J or S), it goes on Form 5329 line 1 and out again on line 2 with exception 12"
            )
            citation = "IRC §72(t)(2)(A)(i); Pub. 590-B (59½ is six months after the 59th birthday); Instructions for Form 5329, line 2, exception 12"
        else:
            off_form = True
            rule = (
                "a distribution made on or after the date the owner attains age 59½ is not early: nothing goes on "
                "Form 5329 Part I (if Form 1099-R box 7 shows code 1, J or S, give exception 12 so lines 1 and 2 "
                "match it)"
            )
            citation = "IRC §72(t)(2)(A)(i); Pub. 590-B (59½ is six months after the 59th birthday)"
        steps.append(
            Step(
                title="Age 59½",
                rule=rule,
                citation=citation,
                inputs={"age": who.describe(), "exception": exc.key if exc is not None else None},
                outputs={"excepted_amount": taxable},
            )
        )
    elif kind == "GOV_457B":
        covered, exception_key, form_number = taxable, "gov_457b", "13"
        reason = "governmental §457(b) plan (exception 13)"
        steps.append(
            Step(
                title="Governmental 457(b)",
                rule=(
                    "a governmental §457(b) plan is not a qualified retirement plan for §72(t) except for amounts "
                    "attributable to rollovers from other plan types or IRAs (compute those with the source account type)"
                ),
                citation="IRC §72(t)(1), §4974(c), §72(t)(9); Instructions for Form 5329, line 2, exception 13",
                inputs={"account_type": kind},
                outputs={"excepted_amount": taxable},
            )
        )
    elif exc is None:
        exception_key = None
    else:
        covered, how = _cap(exc, amount, taxable, year, count, used)
        exception_key, form_number = exc.key, exc.number
        reason = f"{exc.title}, Form 5329 exception {exc.number}" if exc.number else exc.title
        inputs: dict[str, object] = {"taxable_amount": taxable, "exception_amount": amount, "tax_year": year}
        if exc.per_count:
            inputs["exception_count"] = count
        if exc.lifetime:
            inputs["first_home_used"] = used
        steps.append(
            Step(
                title=f"Exception {exc.number}: {exc.key}" if exc.number else f"Not subject to §72(t): {exc.key}",
                rule=f"{exc.title}; {how}"
                + (f"; reported on {exc.reported}, not on Form 5329 line 1" if exc.number is None else ""),
                citation=exc.citation,
                inputs=inputs,
                outputs={"excepted_amount": min(taxable, covered)},
            )
        )
        # amounts reported elsewhere (Form 8915-F; a plan's corrective distribution) are left off Form 5329 line 1
        rest_only = exc.number is None

    k = penalty_kernel(cents(taxable), cents(covered), off_form, rest_only, form_number is not None, rate_units(rate))
    excepted, penalized, penalty = (amount_of(k[n]) for n in ("excepted", "penalized", "penalty"))
    line2 = amount_of(k["line2"])
    form = {
        "1": amount_of(k["line1"]),
        "2": line2,
        "2_exception_number": form_number if line2 else None,
        "3": amount_of(k["line3"]),
        "4": amount_of(k["line4"]),
    }
    status = status_words(penalized, taxable, reason)
    steps.append(
        Step(
            title="Additional tax",
            rule="rate × (includible amount less the excepted amount), rounded half-up to the cent: " + status,
            citation="IRC §72(t)(1); Form 5329 Part I lines 1-4",
            inputs={"taxable_amount": taxable, "excepted_amount": excepted, "rate": rate},
            outputs={"penalized_amount": penalized, "penalty": penalty},
            form_line="5329 line 4",
        )
    )
    return PenaltyResult(
        penalty=penalty,
        rate=rate,
        penalized_amount=penalized,
        excepted_amount=excepted,
        exception=exception_key,
        status=status,
        form_5329=frozen_map(form),
        steps=tuple(steps),
    )


#: Account types on which an early distribution with no exception owes exactly the §72(t)(1) rate
#: (not SIMPLE IRAs, whose first two years can owe 25%, nor 457(b) plans or Roth IRAs).
TEN_PERCENT_ACCOUNTS = frozenset({"IRA", "TRADITIONAL_IRA", "SEP_IRA", "401K", "403B", "PLAN"})
_AGE_STATUS = status_words(0, 1, "age 59½")
#: Decimal places of :func:`penalty_columns` fields that are not cents: the rate in hundredths.
CENTS_PLACES: dict[str, int] = {"rate": 2}


def rate_units(rate: Decimal) -> tuple[int, int]:
    """A rate from the limits table as an exact integer fraction (``0.10`` -> ``(1, 10)``) for the kernel."""
    return rate.as_integer_ratio()


def balance_cap_kernel(balance: Any, floor: Any, share: tuple[int, int], ops: Any = SCALAR) -> Any:
    """What a vested-balance exception can cover, before its dollar limit, in integer cents: ``share`` (numerator,
    denominator) of the vested balance over ``floor``, half-up to the cent, never below 0.

    The one statement of the balance part of the §72(t)(2)(I)(iii) and §72(t)(2)(K)(ii)(I) caps (the
    exception's share and floor are rows of the limits table: 50% of the whole balance; all of it over
    $1,000); the cap is the lesser of this and the dollar limit.
    """
    top, bottom = share
    return half_up_div(ops.maximum(balance - floor, 0) * top, bottom)


def penalty_kernel(
    taxable: Any, covered: Any, off_form: Any, rest_only: Any, on_line2: Any, rate: tuple[int, int], ops: Any = SCALAR
) -> dict[str, Any]:
    """The §72(t)(1) additional tax in integer cents: rate × (includible amount less the excepted part), half-up.

    The one statement of the tax and of Form 5329 Part I lines 1-4, run on Python ints by
    :func:`early_penalty` and on numpy arrays (``ops`` numpy's ``where``/``minimum``) by the column
    paths. The excepted part is the lesser of the amount and ``covered`` (all of it at age 59½,
    §72(t)(2)(A)(i)). Line 1: 0 when ``off_form`` (not early and not shown as early), only the part not
    excepted when ``rest_only`` (reported elsewhere, e.g. Form 8915-F), else the whole amount; line 2:
    the excepted part when ``on_line2`` (an exception number) and line 1 is not 0. ``rate`` is
    (numerator, denominator).
    """
    top, bottom = rate
    excepted = ops.minimum(taxable, covered)
    penalized = taxable - excepted
    line1 = ops.where(off_form, 0, ops.where(rest_only, penalized, taxable))
    line2 = ops.where(on_line2 & (line1 != 0), excepted, 0)
    line3 = line1 - line2
    return {
        "excepted": excepted,
        "penalized": penalized,
        "penalty": half_up_div(penalized * top, bottom),
        "line1": line1,
        "line2": line2,
        "line3": line3,
        "line4": half_up_div(line3 * top, bottom),
    }


def penalty_columns(taxable: Any, age_years: Any, ops: Any = SCALAR) -> dict[str, Any]:
    """:func:`early_penalty`'s flat fields with no exception, from :func:`penalty_kernel`, for whole columns.

    For the account types in :data:`TEN_PERCENT_ACCOUNTS` and no exception, amount or tax year. Cents
    as ints or numpy arrays, the age in years as a float or float array (59.5 is exact in binary, so the
    comparison is :attr:`Age.is_59_5_or_over`'s); the rate in hundredths; keys are :meth:`Result.flat`'s.
    """
    at_least_59_5 = age_years >= float(HALF_59)
    rate, _ = limits.value(RATE_PARAMETER, None)
    hundredths = rate * 100
    if hundredths != hundredths.to_integral_value():  # pragma: no cover - the table's rate is 0.10
        raise ValueError(f"rate {rate} is not a whole number of hundredths")
    k = penalty_kernel(
        taxable, ops.where(at_least_59_5, taxable, 0), at_least_59_5, False, False, rate_units(rate), ops
    )
    return {
        "penalty": k["penalty"],
        "rate": int(hundredths),
        "penalized_amount": k["penalized"],
        "excepted_amount": k["excepted"],
        "exception": ops.where(at_least_59_5, "age_59_5", None),
        "status": ops.where(
            taxable == 0, status_words(0, 0, None), ops.where(at_least_59_5, _AGE_STATUS, status_words(1, 1, None))
        ),
        "form_5329_1": k["line1"],
        "form_5329_2": 0,
        "form_5329_2_exception_number": None,
        "form_5329_3": k["line3"],
        "form_5329_4": k["line4"],
    }
