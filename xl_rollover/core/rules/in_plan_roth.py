"""In-plan Roth rollover (IRR) of the after-tax sub-account into the plan's designated Roth account.

The amount rolled less its basis is income in the year of the rollover, and the 10% additional tax
does not apply to it (IRS 'Retirement topics - Designated Roth account'); the rollover's taxable
amount is recaptured under §72(t) if withdrawn from the designated Roth account within five
taxable years (same page; Notice 2010-84, Notice 2013-74). How a later withdrawal is allocated to
an IRR inside the designated Roth account is not settled by the sources gathered here, so
``drac_withdrawal_recapture`` refuses rather than guesses. Likewise, how basis is allocated to an
IRR of only part of an account holding both after-tax basis and pretax money was not verified
here: given ``account_balance`` showing such a partial rollover, ``in_plan_roth_rollover``
refuses; without it, ``basis`` is taken as the basis in the amount rolled, which the explanation
states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .. import limits
from ..errors import InputError, UnsupportedCase
from ..explain import Result, Step
from ..money import ZERO, fmt, to_money
from .five_year import RECAPTURE, period_end


@dataclass(frozen=True, kw_only=True)
class InPlanRothResult(Result):
    taxable: Decimal
    nontaxable: Decimal
    penalty: Decimal
    recapture_base: Decimal
    recapture_ends: dt.date


def in_plan_roth_rollover(
    amount: object, basis: object, year: object, account_balance: object = None
) -> InPlanRothResult:
    """Taxable amount of an in-plan Roth rollover = amount rolled less basis; no §72(t) at the rollover (§402A(c)(4))."""
    rolled = to_money(amount, "amount")
    b = to_money(basis, "basis")
    y = limits.parse_year(year)
    if account_balance is not None:
        balance = to_money(account_balance, "account_balance")
        if rolled > balance:
            raise InputError(f"amount {fmt(rolled)} exceeds account_balance {fmt(balance)}")
        if rolled < balance and 0 < b < balance:
            raise UnsupportedCase(
                f"account_balance: rolling {fmt(rolled)} of an account of {fmt(balance)} holding {fmt(b)} of basis is "
                "a partial in-plan Roth rollover; how basis is allocated to it (IRC §72(e)(8), Notice 2014-54, "
                "Notice 2013-74) was not verified for this project, so the case is refused; give the basis in the "
                "amount rolled as the plan reports it, without account_balance"
            )
        if b > balance:
            raise InputError(
                f"basis {fmt(b)} exceeds account_balance {fmt(balance)}: an account worth less than its basis is "
                "not covered for an in-plan Roth rollover"
            )
    if b > rolled:
        raise InputError(f"basis {fmt(b)} exceeds amount {fmt(rolled)} rolled")
    taxable = rolled - b
    ends = period_end(y, RECAPTURE)
    assumption = (
        "the whole account is rolled, so all its basis goes with it"
        if account_balance is not None
        else "basis is the after-tax part of the amount rolled, as the plan reports it (all of it when the whole "
        "after-tax account is rolled)"
    )
    steps = (
        Step(
            title="In-plan Roth rollover",
            rule="the amount rolled less any basis is includible in the year of the rollover; the 10% additional tax does "
            "not apply to it; withdrawn from the designated Roth account within five taxable years, the taxable amount is "
            "subject to the 10% tax",
            citation="IRC §402A(c)(4); Notice 2010-84",
            inputs={"amount": rolled, "basis": b, "year": y},
            outputs={"taxable": taxable, "penalty": ZERO, "recapture_ends": ends},
        ),
        Step(title="Assumptions", rule=assumption, citation="IRC §72(e)(8), §402A(c)(4)"),
    )
    return InPlanRothResult(
        taxable=taxable, nontaxable=b, penalty=ZERO, recapture_base=taxable, recapture_ends=ends, steps=steps
    )


def drac_withdrawal_recapture(*_args: object, **_kwargs: object) -> None:
    """Refused: the allocation of a designated Roth withdrawal to earlier IRRs (Notice 2010-84, 2013-74) is unverified."""
    raise UnsupportedCase(
        "recapture on a withdrawal from a designated Roth account holding an in-plan Roth rollover depends on how the "
        "withdrawal is allocated among the account's contracts and rollovers (Notice 2010-84, Notice 2013-74); those "
        "rules were not verified for this project, so the case is refused"
    )
