"""Split one plan distribution between a Roth IRA, a traditional IRA or plan, and cash.

§72(e)(8) gives every distribution a pro-rata share of the after-tax basis; Notice 2014-54 then
treats all disbursements scheduled together as one distribution and lets the pretax part go first
to direct rollovers (the participant choosing the traditional destination), then to 60-day
rollovers, so the after-tax part can land in a Roth IRA tax-free.

Decisions stated here (the README's coverage table lists them as refused or assumed):

* Basis above the account's value (a loss): §72(e)(8)(B) excludes the distribution's share of the
  investment in the contract, and an exclusion cannot exceed the amount received (§72(e)(2)(B):
  only the part allocable to investment in the contract is excluded), so the share is capped at the
  amount; the basis in excess of the account's value is reported as ``unrecovered_basis``.
* A required minimum distribution is not an eligible rollover distribution (§402(c)(4)(B)) and the
  first dollars distributed in a distribution calendar year count toward it (Reg. §1.402(c)-2 Q&A-7):
  the RMD part is paid to the participant first with its own pro-rata basis (§72(e)(8)), is never
  rolled and is not under the 20% withholding (§3405(c) reaches eligible rollover distributions only).
  Whether the RMD age is reached is read from ``age``: with birth date and distribution date, the
  distribution year against :func:`rmd.first_rmd_year`; with a number of years, under 69 never (the
  youngest applicable age, 70½, is attained in a year that starts at 69 at the earliest), 75 or more
  always (no applicable age is above 75), both read from the applicable-age rows (:func:`rmd.rmd_years_window`), in between the birth date decides, so the case is refused
  unless ``rmd_amount`` is given. Without ``age`` the explanation states that no RMD is assumed due.
* Withholding under $200 (Reg. §31.3405(c)-1 Q&A-14): the test is applied to this distribution's
  whole eligible rollover amount, assumed to be the year's only eligible rollover distribution from
  the plan (the regulation aggregates a year's distributions under the same plan).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import limits
from ..age import HALF_59, Age, parse_age
from ..errors import InputError, UnsupportedCase
from ..explain import Result, Step
from ..money import SCALAR, cents, dollars, fmt, half_up_div, money_cents, to_flag
from .rmd import applicable_age, first_rmd_year, rmd_years_window

#: IRC §3405(c)(1)(B): 20% of an eligible rollover distribution not paid in a direct rollover (a data row).
WITHHOLDING_RATE_PARAMETER = "mandatory_withholding_rate_3405c1"
#: Treas. Reg. §31.3405(c)-1 Q&A-14: no mandatory withholding on eligible rollover distributions under this.
WITHHOLDING_FLOOR_PARAMETER = "mandatory_withholding_floor_31_3405c_q14"
#: Notice 2014-54's allocation is mandatory for distributions on or after this day (Notice 2014-54 §VI,
#: transition rules); before it a reasonable interpretation may be applied (from 18 September 2014 the
#: Notice's rule, earlier ones too per the IRS page 'Rollovers of after-tax contributions'), so every
#: earlier distribution is a choice between it and the per-destination rule (Notice 2009-68): refused.
#: (Before review it was 2014-09-18, which applied the Notice silently to Sept.-Dec. 2014 distributions.)
NOTICE_2014_54_FROM = dt.date(2015, 1, 1)


@dataclass(frozen=True)
class Form1099R:
    """One Form 1099-R the plan should issue (boxes 1, 2a, 4, 5 and 7)."""

    destination: str
    box1_gross: Decimal
    box2a_taxable: Decimal
    box4_withheld: Decimal
    box5_employee_contributions: Decimal
    box7_code: str | None

    def __str__(self) -> str:
        return (
            f"{self.destination}: box 1 {fmt(self.box1_gross)}, 2a {fmt(self.box2a_taxable)}, "
            f"4 {fmt(self.box4_withheld)}, 5 {fmt(self.box5_employee_contributions)}, 7 {self.box7_code or '?'}"
        )


@dataclass(frozen=True, kw_only=True)
class SplitResult(Result):
    """Where each pretax and after-tax dollar of one distribution lands, and what it costs."""

    after_tax: Decimal
    pretax: Decimal
    roth_after_tax: Decimal
    roth_pretax: Decimal
    traditional_after_tax: Decimal
    traditional_pretax: Decimal
    cash_after_tax: Decimal
    cash_pretax: Decimal
    rolled_60day_after_tax: Decimal
    rolled_60day_pretax: Decimal
    kept_after_tax: Decimal
    kept_pretax: Decimal
    taxable: Decimal
    withholding: Decimal
    penalty_base: Decimal
    remaining_balance: Decimal
    remaining_basis: Decimal
    unrecovered_basis: Decimal
    rmd_after_tax: Decimal
    rmd_pretax: Decimal
    traditional_ira_basis: Decimal
    form_1099r: tuple[Form1099R, ...]


def _refuse_cases(annuity: bool, designated_roth: bool, pre_1987: bool, who: Age | None) -> None:
    """Cases an input says are present and the rules here do not cover: UnsupportedCase, never a guess."""
    if annuity:
        raise UnsupportedCase(
            "annuity_payment: a payment made as an annuity recovers basis under IRC §72(b) and §72(d) "
            "(exclusion ratio or simplified method), not by the pro-rata share of Notice 2014-54 §II; not covered here"
        )
    if designated_roth:
        raise UnsupportedCase(
            "includes_designated_roth: a designated Roth account is a separate contract (IRC §402A(d)(4)); "
            "split its distribution separately (its own basis, 1099-R code B or H); not covered here"
        )
    if pre_1987:
        raise UnsupportedCase(
            "pre_1987_basis: after-tax contributions made before 1987 may be recovered before the pro-rata "
            "rule (IRC §72(e)(8)(D)); that recovery is not covered here"
        )
    if who is not None and who.on_date is not None and who.on_date < NOTICE_2014_54_FROM:
        raise UnsupportedCase(
            f"age: the distribution date {who.on_date.isoformat()} is before {NOTICE_2014_54_FROM.isoformat()}; "
            "Notice 2014-54's allocation is mandatory only from that day (Notice 2014-54 §VI), so such a distribution "
            "could use either it or the earlier per-destination rule (Notice 2009-68), a choice not modelled here"
        )


def _rmd_due(who: Age | None, rmd_given: bool) -> tuple[str, dict[str, object], bool | None]:
    """Whether the distribution year is an RMD year for the participant, or why it cannot be told.

    Returns a phrase for the explanation, its inputs, and True/False/None (an RMD year / not / cannot
    tell); raises UnsupportedCase when the year is (or may be) an RMD year and ``rmd_amount`` was not given.
    """
    advice = "give rmd_amount: the RMD still due for the year (0 if none is due, e.g. still working and not a 5% owner)"
    if who is None:
        return "age not given: no required minimum distribution is assumed due this year", {}, None
    if who.birth_date is not None and who.on_date is not None:
        first = first_rmd_year(who.birth_date)
        age = applicable_age(who.birth_date)
        facts: dict[str, object] = {"applicable_age": age, "first_rmd_year": first, "year": who.on_date.year}
        if who.on_date.year < first:
            return f"the distribution year {who.on_date.year} is before the first RMD year {first}", facts, False
        if not rmd_given:
            raise UnsupportedCase(
                f"rmd_amount: born {who.birth_date.isoformat()}, the participant reaches the RMD applicable age "
                f"{age.normalize():f} in {first}, so a required minimum distribution may be due for "
                f"{who.on_date.year}, and an RMD cannot be rolled over (IRC §401(a)(9)(C), §402(c)(4)(B)); {advice}"
            )
        return f"{who.on_date.year} is an RMD year (first RMD year {first})", facts, True
    facts = {"age": who.years}
    never_below, always_from = rmd_years_window()
    if who.years < never_below:
        return f"at age {who.years.normalize():f} no RMD applicable age is reached in the year", facts, False
    if not rmd_given:
        if who.years >= always_from:
            raise UnsupportedCase(
                f"rmd_amount: at age {who.years.normalize():f} the participant has reached the RMD applicable age "
                f"(70½, 72, 73 or 75 by year of birth), and an RMD cannot be rolled over "
                f"(IRC §401(a)(9)(C), §402(c)(4)(B)); {advice}"
            )
        raise UnsupportedCase(
            f"rmd_amount: at age {who.years.normalize():f} whether a required minimum distribution is due this year "
            "depends on the year of birth (applicable age 70½, 72, 73 or 75: IRC §401(a)(9)(C)); give age as birth "
            f"date and distribution date, or {advice}"
        )
    reached = True if who.years >= always_from else None
    return f"age {who.years.normalize():f}: an RMD may be due; rmd_amount says how much", facts, reached


# --- the rule in integer cents: the one statement, for one case (Python ints) or whole columns --------

#: An amount argument left blank (``to_roth_ira``, ``to_traditional``): the kernel applies the rule's default.
DEFAULT = -1
#: The 1099-R destinations, in the order the forms are listed (Instructions for Forms 1099-R and 5498).
ROTH_FORM, TRADITIONAL_FORM, PAID_FORM = (
    "direct rollover to Roth IRA",
    "direct rollover to traditional IRA or plan",
    "payment to participant",
)
#: Which fields of a Form 1099-R (:data:`FORM_FIELDS`) are cents.
FORM_UNITS = (False, True, True, True, True, False)
#: Fields of each Form 1099-R, as :meth:`Result.flat` spells them after ``form_1099r_<n>_``.
FORM_FIELDS = (
    "destination",
    "box1_gross",
    "box2a_taxable",
    "box4_withheld",
    "box5_employee_contributions",
    "box7_code",
)


def share_kernel(distribution: Any, basis: Any, balance: Any, rmd_due: Any, ops: Any = SCALAR) -> dict[str, Any]:
    """The distribution's pro-rata share of after-tax basis, and the RMD part paid first with its own share (§72(e)(8)).

    In integer cents. Each amount carries amount × basis ÷ balance of after-tax money, rounded half-up
    to the cent and never more than the amount (§72(e)(8), §72(e)(2)(B)); a full distribution carries
    all the basis, up to the amount. The first ``rmd_due`` dollars (at most the distribution) are the
    required minimum distribution (Treas. Reg. §1.402(c)-2 Q&A-7), the rest is the eligible rollover
    amount. Defined for 0 < distribution <= balance; on int64 arrays while distribution × basis < 2^62.
    """
    safe = ops.where(balance > 0, balance, 1)
    full = distribution == balance
    after_tax = ops.where(
        full, ops.minimum(basis, distribution), ops.minimum(distribution, half_up_div(distribution * basis, safe))
    )
    rmd = ops.minimum(rmd_due, distribution)
    rmd_share = ops.where(rmd == distribution, after_tax, ops.minimum(rmd, half_up_div(rmd * basis, safe)))
    eligible = distribution - rmd
    eligible_after_tax = ops.minimum(after_tax - rmd_share, eligible)
    rmd_after_tax = after_tax - eligible_after_tax
    return {
        "full": full,
        "after_tax": after_tax,
        "pretax": distribution - after_tax,
        "unrecovered_basis": ops.where(basis > balance, basis - balance, 0),
        "rmd": rmd,
        "rmd_after_tax": rmd_after_tax,
        "rmd_pretax": rmd - rmd_after_tax,
        "eligible": eligible,
        "eligible_after_tax": eligible_after_tax,
        "eligible_pretax": eligible - eligible_after_tax,
        "remaining_balance": balance - distribution,
        "remaining_basis": basis - after_tax,
    }


def destination_kernel(
    share: dict[str, Any],
    to_roth_ira: Any,
    to_traditional: Any,
    rolled_60day_roth: Any,
    rolled_60day_traditional: Any,
    age_given: Any,
    at_59_5: Any,
    separated: Any,
    rate: tuple[int, int],
    floor: int,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """Where the eligible amount's pretax and after-tax dollars land, the tax, withholding and Forms 1099-R (cents).

    Notice 2014-54 §III: the Roth IRA gets the after-tax share and the traditional destination the
    rest unless the amounts are given (:data:`DEFAULT`); pretax goes first to direct rollovers, the
    traditional destination first, then to 60-day rollovers out of the payment, traditional first
    (IRC §402(c)(2)). Taxable: pretax landing in a Roth IRA or kept, the RMD's included (IRC §402(a),
    §408A(d)(3)(A)(i)); withholding ``rate`` (numerator, denominator) of the pretax paid, half-up to
    the cent, none when the eligible amount is under ``floor`` cents (IRC §3405(c)(1); Treas. Reg.
    §31.3405(c)-1 Q&A-14); the §72(t) base is the pretax kept. Forms 1099-R are listed Roth, traditional,
    payment, each only when its amount is more than 0 (``ops.pack``); the payment's code is 7 at 59½,
    else 2 when ``separated``, else 1, and none when the age is not given. Defined when the destinations
    fit the eligible amount and the 60-day rollovers fit the payment (see ``fits``).
    """
    eligible, eligible_pretax = share["eligible"], share["eligible_pretax"]
    rmd, rmd_pretax, rmd_after_tax = share["rmd"], share["rmd_pretax"], share["rmd_after_tax"]
    roth = ops.where(to_roth_ira == DEFAULT, share["eligible_after_tax"], to_roth_ira)
    trad = ops.where(to_traditional == DEFAULT, eligible - roth, to_traditional)
    cash = eligible - roth - trad
    r60_roth, r60_trad = rolled_60day_roth, rolled_60day_traditional
    # pretax to direct rollovers first, the traditional destination first (the participant's election)
    pre_trad = ops.minimum(eligible_pretax, trad)
    pre_roth = ops.minimum(eligible_pretax - pre_trad, roth)
    cash_pretax = eligible_pretax - pre_trad - pre_roth
    cash_after_tax = cash - cash_pretax
    # 60-day rollovers out of the payment: pretax first again, traditional first
    r60_trad_pre = ops.minimum(cash_pretax, r60_trad)
    r60_roth_pre = ops.minimum(cash_pretax - r60_trad_pre, r60_roth)
    rolled_pretax = r60_trad_pre + r60_roth_pre
    rolled_after_tax = r60_roth + r60_trad - rolled_pretax
    kept_pretax = cash_pretax - rolled_pretax
    roth_pretax = pre_roth + r60_roth_pre
    trad_after_tax = (trad - pre_trad) + (r60_trad - r60_trad_pre)
    top, bottom = rate
    withholding = ops.where(eligible < floor, 0, half_up_div(cash_pretax * top, bottom))
    paid = cash + rmd
    code = ops.where(age_given, ops.where(at_59_5, "7", ops.where(separated, "2", "1")), None)
    forms = ops.pack(
        [roth > 0, trad > 0, paid > 0],
        [
            (ROTH_FORM, roth, pre_roth, 0, roth - pre_roth, "G"),
            (TRADITIONAL_FORM, trad, 0, 0, trad - pre_trad, "G"),
            (PAID_FORM, paid, cash_pretax + rmd_pretax, withholding, cash_after_tax + rmd_after_tax, code),
        ],
        FORM_UNITS,
    )
    out = {
        "roth": roth,
        "trad": trad,
        "cash": cash,
        "fits": (roth <= eligible) & (roth + trad <= eligible) & (r60_roth + r60_trad <= cash),
        "traditional_pretax_direct": pre_trad,
        "roth_pretax_direct": pre_roth,
        "after_tax": share["after_tax"],
        "pretax": share["pretax"],
        "roth_after_tax": (roth - pre_roth) + (r60_roth - r60_roth_pre),
        "roth_pretax": roth_pretax,
        "traditional_after_tax": trad_after_tax,
        "traditional_pretax": pre_trad + r60_trad_pre,
        "cash_after_tax": cash_after_tax,
        "cash_pretax": cash_pretax,
        "rolled_60day_after_tax": rolled_after_tax,
        "rolled_60day_pretax": rolled_pretax,
        "kept_after_tax": cash_after_tax - rolled_after_tax,
        "kept_pretax": kept_pretax,
        "taxable": roth_pretax + kept_pretax + rmd_pretax,
        "withholding": withholding,
        "penalty_base": kept_pretax + rmd_pretax,
        "remaining_balance": share["remaining_balance"],
        "remaining_basis": share["remaining_basis"],
        "unrecovered_basis": share["unrecovered_basis"],
        "rmd_after_tax": rmd_after_tax,
        "rmd_pretax": rmd_pretax,
        "traditional_ira_basis": trad_after_tax,
    }
    out["forms"] = forms
    return out


def numbered_forms(forms: Any) -> dict[str, Any]:
    """The issued Forms 1099-R (:func:`destination_kernel`'s ``forms``) as :meth:`Result.flat` numbers them."""
    return {
        f"form_1099r_{n}_{name}": value
        for n, form in enumerate(forms, 1)
        for name, value in zip(FORM_FIELDS, form, strict=True)
    }


#: :func:`share_kernel`'s amounts the scalar core shows (converted to Decimal once).
_SHARE_FIELDS = (
    "after_tax",
    "pretax",
    "unrecovered_basis",
    "rmd",
    "rmd_after_tax",
    "rmd_pretax",
    "eligible",
    "eligible_pretax",
    "remaining_balance",
    "remaining_basis",
)
#: The amount fields of :class:`SplitResult`, in order.
AMOUNT_FIELDS = (
    "after_tax",
    "pretax",
    "roth_after_tax",
    "roth_pretax",
    "traditional_after_tax",
    "traditional_pretax",
    "cash_after_tax",
    "cash_pretax",
    "rolled_60day_after_tax",
    "rolled_60day_pretax",
    "kept_after_tax",
    "kept_pretax",
    "taxable",
    "withholding",
    "penalty_base",
    "remaining_balance",
    "remaining_basis",
    "unrecovered_basis",
    "rmd_after_tax",
    "rmd_pretax",
    "traditional_ira_basis",
)
#: Result fields of :func:`split_columns`: the keys of :meth:`SplitResult.flat` with all three forms.
SPLIT_FIELDS = (*AMOUNT_FIELDS, *(f"form_1099r_{n}_{name}" for n in (1, 2, 3) for name in FORM_FIELDS))


@functools.cache  # the limits table is read once and never changes while running
def withholding_law() -> tuple[tuple[int, int], int, Decimal]:
    """The §3405(c)(1)(B) rate as an integer fraction and the Q&A-14 floor in cents, from the limits table
    (and the rate as the table writes it, for explanations)."""
    rate, _ = limits.value(WITHHOLDING_RATE_PARAMETER, None)
    floor, _ = limits.value(WITHHOLDING_FLOOR_PARAMETER, None)
    return rate.as_integer_ratio(), cents(floor), rate


def split_columns(
    distribution: Any,
    basis: Any,
    balance: Any,
    to_roth_ira: Any,
    to_traditional: Any,
    rolled_60day_roth: Any,
    rolled_60day_traditional: Any,
    rmd_amount: Any,
    age_years: Any,
    separated: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`roth_rollover_split`'s flat fields from the two kernels, for whole columns, plus ``defined``.

    Amounts in integer cents (:data:`DEFAULT` for a blank ``to_roth_ira``, ``to_traditional`` or
    ``rmd_amount``: the default destinations, no RMD), the age in years as a float (-1 when not given;
    59.5 is exact in binary, so the comparison is :attr:`Age.is_59_5_or_over`'s), ``separated`` 1 or 0; a
    Form 1099-R that is not issued is missing (``ops.pack``). ``defined``: the rows whose destinations
    and 60-day rollovers fit (``fits``), which the core accepts.
    """
    share = share_kernel(distribution, basis, balance, ops.where(rmd_amount == DEFAULT, 0, rmd_amount), ops)
    rate, floor, _ = withholding_law()
    age_given = age_years >= 0  # -1: not given
    k = destination_kernel(
        share,
        to_roth_ira,
        to_traditional,
        rolled_60day_roth,
        rolled_60day_traditional,
        age_given,
        age_years >= float(HALF_59),
        separated,
        rate,
        floor,
        ops,
    )
    return {"defined": k["fits"], **{name: k[name] for name in AMOUNT_FIELDS}, **numbered_forms(k["forms"])}


def roth_rollover_split(
    distribution: object,
    after_tax_basis: object,
    account_balance: object,
    to_roth_ira: object = None,
    to_traditional: object = None,
    rolled_60day_roth: object = 0,
    rolled_60day_traditional: object = 0,
    age: object = None,
    rmd_amount: object = None,
    separated_age_55: object = False,
    annuity_payment: object = False,
    includes_designated_roth: object = False,
    pre_1987_basis: object = False,
) -> SplitResult:
    """Allocate a plan distribution's pretax and after-tax parts among destinations (§72(e)(8); Notice 2014-54)."""
    d, d_cents = money_cents(distribution, "distribution")
    basis, basis_cents = money_cents(after_tax_basis, "after_tax_basis")
    balance, balance_cents = money_cents(account_balance, "account_balance")
    r60_roth, r60_roth_cents = money_cents(
        rolled_60day_roth if rolled_60day_roth is not None else 0, "rolled_60day_roth"
    )
    r60_trad, r60_trad_cents = money_cents(
        rolled_60day_traditional if rolled_60day_traditional is not None else 0, "rolled_60day_traditional"
    )
    who: Age | None = parse_age(age) if age is not None else None
    rmd_due, rmd_cents = (None, 0) if rmd_amount is None else money_cents(rmd_amount, "rmd_amount")
    separated = to_flag(separated_age_55, "separated_age_55")
    _refuse_cases(
        to_flag(annuity_payment, "annuity_payment"),
        to_flag(includes_designated_roth, "includes_designated_roth"),
        to_flag(pre_1987_basis, "pre_1987_basis"),
        who,
    )

    if balance == 0:
        raise InputError("account_balance is 0; a distribution needs a balance to come from")
    if d == 0:
        raise InputError("distribution is 0; nothing to split")
    if d > balance:
        raise InputError(f"distribution {fmt(d)} exceeds account_balance {fmt(balance)}")
    rmd_phrase, rmd_facts, rmd_year = _rmd_due(who, rmd_due is not None)
    if rmd_due and rmd_year is False:
        raise InputError(
            f"rmd_amount {fmt(rmd_due)} is given, but {rmd_phrase}, so no required minimum distribution is due "
            "(IRC §401(a)(9)(C)); use 0 or leave it blank"
        )

    steps: list[Step] = []
    share = share_kernel(d_cents, basis_cents, balance_cents, rmd_cents)

    # 1. §72(e)(8): pro-rata share of basis in each distribution, never more than the amount.
    full = bool(share["full"])
    shared = {name: dollars(share[name]) for name in _SHARE_FIELDS}  # each converted once
    after_tax, pretax, unrecovered = shared["after_tax"], shared["pretax"], shared["unrecovered_basis"]
    if unrecovered:
        basis_rule = (
            "the after-tax basis exceeds the account's value, so the whole distribution is basis and nothing in it "
            "is taxable; the basis above the account's value is not recovered by this distribution"
            + (" and is left with no account to recover it from" if full else " and stays with the account")
        )
    elif full:
        basis_rule = "a full distribution carries all the basis"
    else:
        basis_rule = (
            "each distribution carries distribution × basis / balance of after-tax money, rounded half-up to the cent"
        )
    steps.append(
        Step(
            title="Pro-rata share of after-tax basis",
            rule=basis_rule,
            citation="IRC §72(e)(8)" + (", §72(e)(2)(B)" if unrecovered else "") + "; Notice 2014-54 §II",
            inputs={"distribution": d, "after_tax_basis": basis, "account_balance": balance},
            outputs={"after_tax": after_tax, "pretax": pretax}
            | ({"unrecovered_basis": unrecovered} if unrecovered else {}),
        )
    )

    # 2. A required minimum distribution comes first and is never rolled over.
    rmd, rmd_after_tax, rmd_pretax, eligible = (shared[n] for n in ("rmd", "rmd_after_tax", "rmd_pretax", "eligible"))
    if rmd_due is not None or rmd_facts:
        if rmd_due is None:
            rmd_rule = rmd_phrase + ", so none of the distribution is a required minimum distribution"
        elif rmd_due == 0:
            rmd_rule = (
                rmd_phrase + "; the caller states that no required minimum distribution is due for the year "
                "(e.g. still working and not a 5% owner, or the year's RMD already taken), so all of it is eligible"
            )
        else:
            rmd_rule = (
                rmd_phrase + "; the first dollars distributed in the year count toward the year's required minimum "
                "distribution; that part is paid to the participant with its pro-rata share of basis, cannot be "
                "rolled over and is not under the 20% withholding"
                + (f"; {fmt(rmd_due - rmd)} of the RMD is still due this year" if rmd_due > d else "")
            )
        steps.append(
            Step(
                title="Required minimum distribution",
                rule=rmd_rule,
                citation="IRC §401(a)(9)(C), §402(c)(4)(B); Treas. Reg. §1.402(c)-2 Q&A-7; IRC §72(e)(8)",
                inputs=dict(rmd_facts) | {"rmd_amount": rmd_due},
                outputs={"rmd_after_tax": rmd_after_tax, "rmd_pretax": rmd_pretax, "eligible": eligible},
            )
        )

    # 3. Destinations of the single distribution (its eligible rollover part).
    roth_given, roth_cents = (None, DEFAULT) if to_roth_ira is None else money_cents(to_roth_ira, "to_roth_ira")
    what = (
        f"distribution {fmt(d)}" if not rmd else f"the eligible rollover amount {fmt(eligible)} (distribution less RMD)"
    )
    if roth_given is not None and roth_given > eligible:
        raise InputError(f"to_roth_ira {fmt(roth_given)} exceeds {what}")
    trad_cents = DEFAULT if to_traditional is None else money_cents(to_traditional, "to_traditional")[1]
    rate, floor_cents, rate_shown = withholding_law()
    k = destination_kernel(
        share,
        roth_cents,
        trad_cents,
        r60_roth_cents,
        r60_trad_cents,
        who is not None,
        who is not None and who.is_59_5_or_over,
        separated,
        rate,
        floor_cents,
    )
    roth, trad, cash = dollars(k["roth"]), dollars(k["trad"]), dollars(k["cash"])
    if roth + trad > eligible:
        raise InputError(
            f"to_roth_ira {fmt(roth)} plus to_traditional {fmt(trad)} is {fmt(roth + trad)}, which exceeds {what}"
        )
    if r60_roth + r60_trad > cash:
        raise InputError(
            f"60-day rollovers {fmt(r60_roth + r60_trad)} (rolled_60day_roth {fmt(r60_roth)} + "
            f"rolled_60day_traditional {fmt(r60_trad)}) exceed the payment to the participant {fmt(cash)}"
            + (" (the RMD cannot be rolled over)" if rmd else "")
        )
    f = {name: shared[name] if name in shared else dollars(k[name]) for name in AMOUNT_FIELDS}
    steps.append(
        Step(
            title="Destinations",
            rule=(
                "all disbursements scheduled together are one distribution; "
                + ("Roth IRA gets the after-tax share (default); " if to_roth_ira is None else "")
                + ("traditional gets everything not sent to the Roth IRA (default); " if to_traditional is None else "")
                + "the rest is paid to the participant"
            ),
            citation="Notice 2014-54 §III (single-distribution rule); Treas. Reg. §1.402(c)-2",
            inputs={"to_roth_ira": roth, "to_traditional": trad},
            outputs={"direct_roth": roth, "direct_traditional": trad, "cash": cash},
        )
    )

    # 4. Pretax to direct rollovers first, traditional destination first (participant's election).
    pre_trad, pre_roth = dollars(k["traditional_pretax_direct"]), dollars(k["roth_pretax_direct"])
    cash_pretax, cash_after_tax = f["cash_pretax"], f["cash_after_tax"]
    steps.append(
        Step(
            title="Pretax to direct rollovers",
            rule=(
                "pretax goes first to direct rollovers, the traditional destination first (the participant's "
                "election); after-tax fills the rest"
            ),
            citation="Notice 2014-54 §III; IRC §402(c)(2) (rolled amount treated as taxable part first)",
            inputs={"pretax": shared["eligible_pretax"], "direct_traditional": trad, "direct_roth": roth},
            outputs={
                "traditional_pretax_direct": pre_trad,
                "roth_pretax_direct": pre_roth,
                "cash_pretax": cash_pretax,
                "cash_after_tax": cash_after_tax,
            },
        )
    )

    # 5. 60-day rollovers out of the payment: pretax first again, traditional first.
    if r60_roth or r60_trad:
        steps.append(
            Step(
                title="60-day rollovers",
                rule=(
                    "of the payment, the amount rolled within 60 days is pretax first (traditional destination "
                    "first); withheld tax made up from other funds counts as rolled"
                ),
                citation="IRC §402(c)(2) and (3); Notice 2014-54 §III",
                inputs={
                    "rolled_60day_traditional": r60_trad,
                    "rolled_60day_roth": r60_roth,
                    "cash_pretax": cash_pretax,
                },
                outputs={
                    "rolled_60day_pretax": f["rolled_60day_pretax"],
                    "rolled_60day_after_tax": f["rolled_60day_after_tax"],
                },
            )
        )

    # 6. Income: pretax converted to a Roth IRA, plus pretax kept (the RMD's pretax included).
    steps.append(
        Step(
            title="Taxable amount",
            rule=(
                "pretax landing in a Roth IRA is includible (a taxable rollover to a Roth IRA); pretax kept "
                + ("(the RMD's included) " if rmd else "")
                + "is includible; pretax rolled to a traditional IRA or plan and all after-tax money are not"
            ),
            citation="IRC §402(a), §402(c)(1), §408A(d)(3)(A)(i), §408A(e)",
            inputs={"roth_pretax": f["roth_pretax"], "kept_pretax": f["kept_pretax"]}
            | ({"rmd_pretax": rmd_pretax} if rmd else {}),
            outputs={"taxable": f["taxable"]},
        )
    )

    # 7. Mandatory withholding on the pretax paid to the participant (the RMD is not under it).
    floor, withholding = dollars(floor_cents), f["withholding"]
    under_floor = eligible < floor
    if cash or rmd:
        if under_floor:
            rule = (
                f"no mandatory withholding: the eligible rollover distribution {fmt(eligible)} is under "
                f"{fmt(floor)}; this assumes it is the year's only eligible rollover distribution from the plan "
                "(the year's distributions from the same plan are added together for this test)"
            )
        else:
            rule = (
                "20% of the taxable part paid to the participant, even if it is later rolled over within 60 days; "
                "none on a direct rollover; rounded half-up to the cent"
            )
        if rmd:
            rule += (
                "; the required minimum distribution is not an eligible rollover distribution, so the 20% does not "
                "apply to it (the voluntary withholding that may apply to it is not computed here)"
            )
        steps.append(
            Step(
                title="Mandatory withholding",
                rule=rule,
                citation="IRC §3405(c)(1); Treas. Reg. §31.3405(c)-1 Q&A-1, Q&A-11"
                + (", Q&A-14" if under_floor else "")
                + ("; IRC §3405(b)" if rmd else ""),
                inputs={"cash_pretax": cash_pretax, "rate": rate_shown, "eligible": eligible},
                outputs={"withholding": withholding},
            )
        )

    # 8. What §72(t) can reach.
    penalty_base = f["penalty_base"]
    exception_note = ""
    if separated and penalty_base and not (who is not None and who.is_59_5_or_over):
        exception_note = (
            "; the caller states the participant separated from service in or after the year of reaching 55 "
            "(50 for a qualified public safety employee), so the §72(t)(2)(A)(v) exception (Form 5329 "
            "exception 01) removes the 10% tax from it"
        )
    steps.append(
        Step(
            title="Early-distribution base",
            rule=(
                "only pretax kept by the participant can bear the 10% additional tax: rollovers are not includible "
                "and a rollover to a Roth IRA is exempt from §72(t)" + exception_note
            ),
            citation="IRC §72(t)(1); §408A(d)(3)(A)(ii)" + ("; §72(t)(2)(A)(v), §72(t)(10)" if exception_note else ""),
            inputs={"kept_pretax": f["kept_pretax"]} | ({"rmd_pretax": rmd_pretax} if rmd else {}),
            outputs={"penalty_base": penalty_base},
        )
    )

    # 9. What stays in the plan, and the basis the traditional destination receives.
    ira_basis = f["traditional_ira_basis"]
    if ira_basis:
        steps.append(
            Step(
                title="Basis carried to the traditional IRA",
                rule=(
                    "after-tax dollars rolled to a traditional IRA become basis in it: add them to Form 8606 line 2 "
                    "(total basis in traditional IRAs) on the next Form 8606 filed; if the traditional destination "
                    "is an employer plan instead, that plan keeps them as after-tax contributions"
                ),
                citation="Instructions for Form 8606, line 2; IRC §408(d)(1)-(2), §72(e)(8)",
                inputs={"traditional_after_tax": f["traditional_after_tax"]},
                outputs={"traditional_ira_basis": ira_basis},
            )
        )

    # 10. Forms 1099-R.
    forms = tuple(
        Form1099R(where, dollars(gross), dollars(taxed), dollars(withheld), dollars(basis_back), code)
        for where, gross, taxed, withheld, basis_back, code in k["forms"]
    )
    paid = cash or rmd
    steps.append(
        Step(
            title="Forms 1099-R",
            rule=(
                "a separate form for each direct rollover (code G; for a Roth IRA box 2a shows the taxable "
                "amount, box 5 the basis recovered) and for the payment (code 7 at 59½ or over; before 59½ code 2 "
                "when the participant separated from service in or after the year of reaching 55, or 50 for a "
                "qualified public safety employee, otherwise code 1"
                + ("; age not given, so the code is left open" if who is None and paid else "")
                + ")"
            ),
            citation="Instructions for Forms 1099-R and 5498, 'Direct rollovers' and box 7 codes 1, 2, 7, G",
            inputs={"age": who.describe() if who else None, "separated_age_55": separated},
            outputs={"forms": len(forms)},
        )
    )

    # 11. What the code cannot see: stated for the client.
    assumptions = [
        "the account is the employee's own (not inherited, not an alternate payee's)",
        "the distribution is not an annuity payment, holds no designated Roth money and no pre-1987 after-tax "
        "contributions (each would be refused if said)",
        "apart from any required minimum distribution, the whole distribution is an eligible rollover distribution: "
        "not a hardship distribution, not one of a series of substantially equal periodic payments, not a deemed "
        "loan or a corrective distribution (those cannot be rolled over and are not under the 20% withholding)",
        "account_balance is the contract the basis belongs to (the whole account, or a separately accounted "
        "after-tax sub-account treated as a separate contract)",
        "state income tax withholding is not computed",
    ]
    if who is None or who.on_date is None:
        assumptions.insert(
            0,
            "the distribution was made on or after 1 January 2015 (when Notice 2014-54's allocation became mandatory)",
        )
    if rmd_due is None and not rmd_facts:
        assumptions.insert(0, "no required minimum distribution is due from this account this year (age not given)")
    steps.append(
        Step(
            title="Assumptions",
            rule="; ".join(assumptions),
            citation="IRC §72(e)(8), §72(d)(2), §402A(d)(4), §401(a)(9), §402(c)(4); Notice 2014-54",
        )
    )

    return SplitResult(
        **{name: f[name] for name in AMOUNT_FIELDS},
        form_1099r=forms,
        steps=tuple(steps),
    )
