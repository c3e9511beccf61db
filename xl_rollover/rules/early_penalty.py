"""The §72(t) additional tax: 10% of the includible part of an early distribution, 25% for a
SIMPLE IRA in its first two years, less whatever a §72(t)(2) exception covers (Form 5329 Part I).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import limits
from ..age import HALF_59, parse_age
from ..errors import InputError
from ..explain import Result, Step, frozen_map
from ..money import SCALAR, ZERO, fmt, half_up_div, times, to_money
from .penalty_exceptions import PenaltyException, parse_account_type, parse_exception

RATE_PARAMETER = "early_distribution_additional_tax_rate_72t1"
SIMPLE_RATE_PARAMETER = "simple_ira_first_2yr_additional_tax_rate_72t6"


@dataclass(frozen=True, kw_only=True)
class PenaltyResult(Result):
    """The additional tax on one early distribution and the Form 5329 Part I lines behind it."""

    penalty: Decimal
    rate: Decimal
    penalized_amount: Decimal
    excepted_amount: Decimal
    exception: str | None
    form_5329: Mapping[str, Decimal | str | None]


def _cap(exc: PenaltyException, amount: Decimal | None, taxable: Decimal, year: int | None) -> tuple[Decimal, str]:
    """How much of ``taxable`` the exception can cover, and how that was found."""
    if exc.amount_role == "expenses":
        if amount is None:
            raise InputError(f"exception {exc.number} {exc.key} needs exception_amount: {exc.amount_help}")
        return amount, f"covered up to the qualifying amount {fmt(amount)}"
    if exc.amount_role == "capped":
        assert exc.cap_parameter
        cap, _ = limits.value(exc.cap_parameter, year)
        cap = cap + ZERO
        if amount is None:
            return cap, f"limit {fmt(cap)}"
        if exc.key == "birth_adoption":
            return amount, f"designated amount {fmt(amount)} ({fmt(cap)} per child)"
        return min(amount, cap), f"lesser of exception_amount {fmt(amount)} and the limit {fmt(cap)}"
    if exc.amount_role == "vested_balance":
        if amount is None:
            raise InputError(f"exception {exc.number} {exc.key} needs exception_amount: {exc.amount_help}")
        assert exc.cap_parameter
        if exc.key == "domestic_abuse":
            if year is None:
                raise InputError("exception 22 domestic_abuse needs tax_year: its dollar limit is indexed each year")
            dollars, _ = limits.value(exc.cap_parameter, year)
            half = times(amount, Decimal("0.5"))
            return min(
                dollars + ZERO, half
            ), f"lesser of {fmt(dollars + ZERO)} for {year} and 50% of the vested balance ({fmt(half)})"
        dollars, _ = limits.value(exc.cap_parameter, year)
        over = max(amount - dollars, ZERO)
        return min(
            dollars + ZERO, over
        ), f"lesser of {fmt(dollars + ZERO)} and the vested balance over {fmt(dollars + ZERO)} ({fmt(over)})"
    if amount is None:
        return taxable, "covers the whole distribution"
    return amount, f"covers exception_amount {fmt(amount)}"


def early_penalty(
    taxable_amount: object,
    age: object,
    account_type: object = "IRA",
    exception: object = None,
    exception_amount: object = None,
    tax_year: object = None,
    simple_first_two_years: object = False,
) -> PenaltyResult:
    """10% additional tax on the includible part of a distribution before age 59½, less exceptions (§72(t))."""
    taxable = to_money(taxable_amount, "taxable_amount")
    who = parse_age(age)
    kind = parse_account_type(account_type)
    exc = parse_exception(exception)
    amount = to_money(exception_amount, "exception_amount") if exception_amount is not None else None
    year = limits.parse_year(tax_year, "tax_year") if tax_year is not None else None
    if not isinstance(simple_first_two_years, bool):
        if simple_first_two_years in (0, 1, 0.0, 1.0):
            simple_first_two_years = bool(simple_first_two_years)
        else:
            raise InputError(f"simple_first_two_years {simple_first_two_years!r} must be TRUE or FALSE")
    if simple_first_two_years and kind != "SIMPLE_IRA":
        raise InputError(f"simple_first_two_years applies only to account_type SIMPLE_IRA, not {kind} (IRC §72(t)(6))")
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
    if who.is_59_5_or_over:
        excepted, exception_key = taxable, "age_59_5"
        steps.append(
            Step(
                title="Age 59½",
                rule="a distribution made on or after the date the owner attains age 59½ is not early",
                citation="IRC §72(t)(2)(A)(i); Pub. 590-B (59½ is six months after the 59th birthday)",
                inputs={"age": who.describe()},
                outputs={"excepted_amount": excepted},
            )
        )
        line1 = ZERO
    elif kind == "GOV_457B":
        excepted, exception_key, form_number = taxable, "gov_457b", "13"
        steps.append(
            Step(
                title="Governmental 457(b)",
                rule=(
                    "a governmental §457(b) plan is not a qualified retirement plan for §72(t) except for amounts "
                    "attributable to rollovers from other plan types or IRAs (compute those with the source account type)"
                ),
                citation="IRC §72(t)(1), §4974(c), §72(t)(9); Form 5329 line 2 exception 13",
                inputs={"account_type": kind},
                outputs={"excepted_amount": excepted},
            )
        )
        line1 = taxable
    elif exc is None:
        excepted, exception_key = ZERO, None
        line1 = taxable
    else:
        cap, how = _cap(exc, amount, taxable, year)
        excepted = min(taxable, cap)
        exception_key, form_number = exc.key, exc.number
        steps.append(
            Step(
                title=f"Exception {exc.number or '(Form 8915-F)'}: {exc.key}",
                rule=f"{exc.title}; {how}",
                citation=exc.citation,
                inputs={"taxable_amount": taxable, "exception_amount": amount, "tax_year": year},
                outputs={"excepted_amount": excepted},
            )
        )
        # qualified disaster recovery distributions are left off Form 5329 line 1 (reported on Form 8915-F)
        line1 = taxable - excepted if exc.number is None else taxable

    penalized = taxable - excepted
    penalty = times(penalized, rate)
    line2 = ZERO if who.is_59_5_or_over or form_number is None else excepted
    line3 = line1 - line2
    form = {
        "1": line1,
        "2": line2,
        "2_exception_number": form_number if line2 else None,
        "3": line3,
        "4": times(line3, rate),
    }
    steps.append(
        Step(
            title="Additional tax",
            rule="rate × (includible amount less the excepted amount), rounded half-up to the cent",
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
        form_5329=frozen_map(form),
        steps=tuple(steps),
    )


#: Account types on which an early distribution with no exception owes exactly the §72(t)(1) rate
#: (not SIMPLE IRAs, whose first two years can owe 25%, nor 457(b) plans or Roth IRAs).
TEN_PERCENT_ACCOUNTS = frozenset({"IRA", "TRADITIONAL_IRA", "SEP_IRA", "401K", "403B", "PLAN"})
#: Decimal places of :func:`penalty_cents` fields that are not cents: the rate in hundredths.
CENTS_PLACES: dict[str, int] = {"rate": 2}


def penalty_cents(taxable: Any, age_years: Any, ops: Any = SCALAR) -> dict[str, Any]:
    """:func:`early_penalty` with no exception in integer cents, for one case or whole columns.

    The §72(t)(1) rate (from the limits table, as the core takes it) on the taxable amount unless
    age 59½ is attained (§72(t)(2)(A)(i)), rounded half-up to the cent; for the account types in
    :data:`TEN_PERCENT_ACCOUNTS` and no exception, amount or tax year. Cents as ints or numpy
    arrays (``ops`` numpy's ``where``), the age in years as a float or float array (59.5 is exact
    in binary, so the comparison is :attr:`Age.is_59_5_or_over`'s); keys are :meth:`Result.flat`'s.
    Tests prove it equal to the core.
    """
    at_least_59_5 = age_years >= float(HALF_59)
    rate, _ = limits.value(RATE_PARAMETER, None)
    hundredths = int(rate * 100)
    penalized = ops.where(at_least_59_5, 0, taxable)
    penalty = half_up_div(penalized * hundredths, 100)
    return {
        "penalty": penalty,
        "rate": hundredths,
        "penalized_amount": penalized,
        "excepted_amount": ops.where(at_least_59_5, taxable, 0),
        "exception": ops.where(at_least_59_5, "age_59_5", None),
        "form_5329_1": penalized,
        "form_5329_2": 0,
        "form_5329_2_exception_number": None,
        "form_5329_3": penalized,
        "form_5329_4": penalty,
    }
