"""Split one plan distribution between a Roth IRA, a traditional IRA or plan, and cash.

§72(e)(8) gives every distribution a pro-rata share of the after-tax basis; Notice 2014-54 then
treats all disbursements scheduled together as one distribution and lets the pretax part go first
to direct rollovers (the participant choosing the traditional destination), then to 60-day
rollovers, so the after-tax part can land in a Roth IRA tax-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..age import Age, parse_age
from ..errors import InputError
from ..explain import Result, Step
from ..money import ZERO, fmt, share, times, to_money

WITHHOLDING_RATE = Decimal("0.20")  # IRC §3405(c)(1): 20% of an eligible rollover distribution not directly rolled over


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
    form_1099r: tuple[Form1099R, ...]


def _first(amount: Decimal, room: Decimal) -> Decimal:
    """How much of ``amount`` fits in ``room``."""
    return min(amount, room)


def roth_rollover_split(
    distribution: object,
    after_tax_basis: object,
    account_balance: object,
    to_roth_ira: object = None,
    to_traditional: object = None,
    rolled_60day_roth: object = 0,
    rolled_60day_traditional: object = 0,
    age: object = None,
) -> SplitResult:
    """Allocate a plan distribution's pretax and after-tax parts among destinations (§72(e)(8); Notice 2014-54)."""
    d = to_money(distribution, "distribution")
    basis = to_money(after_tax_basis, "after_tax_basis")
    balance = to_money(account_balance, "account_balance")
    r60_roth = to_money(rolled_60day_roth if rolled_60day_roth is not None else 0, "rolled_60day_roth")
    r60_trad = to_money(
        rolled_60day_traditional if rolled_60day_traditional is not None else 0, "rolled_60day_traditional"
    )
    who: Age | None = parse_age(age) if age is not None else None

    if balance == 0:
        raise InputError("account_balance is 0; a distribution needs a balance to come from")
    if d == 0:
        raise InputError("distribution is 0; nothing to split")
    if d > balance:
        raise InputError(f"distribution {fmt(d)} exceeds account_balance {fmt(balance)}")
    if basis > balance:
        raise InputError(f"after_tax_basis {fmt(basis)} exceeds account_balance {fmt(balance)}")

    steps: list[Step] = []

    # 1. §72(e)(8): pro-rata share of basis in each distribution.
    full = d == balance
    after_tax = basis if full else share(d, basis, balance)
    pretax = d - after_tax
    steps.append(
        Step(
            title="Pro-rata share of after-tax basis",
            rule=(
                "a full distribution carries all the basis"
                if full
                else "each distribution carries distribution × basis / balance of after-tax money, rounded half-up to the cent"
            ),
            citation="IRC §72(e)(8); Notice 2014-54 §II",
            inputs={"distribution": d, "after_tax_basis": basis, "account_balance": balance},
            outputs={"after_tax": after_tax, "pretax": pretax},
        )
    )

    # 2. Destinations of the single distribution.
    roth = after_tax if to_roth_ira is None else to_money(to_roth_ira, "to_roth_ira")
    if roth > d:
        raise InputError(f"to_roth_ira {fmt(roth)} exceeds distribution {fmt(d)}")
    trad = d - roth if to_traditional is None else to_money(to_traditional, "to_traditional")
    if roth + trad > d:
        raise InputError(
            f"to_roth_ira {fmt(roth)} plus to_traditional {fmt(trad)} is {fmt(roth + trad)}, "
            f"which exceeds distribution {fmt(d)}"
        )
    cash = d - roth - trad
    if r60_roth + r60_trad > cash:
        raise InputError(
            f"60-day rollovers {fmt(r60_roth + r60_trad)} (rolled_60day_roth {fmt(r60_roth)} + "
            f"rolled_60day_traditional {fmt(r60_trad)}) exceed the payment to the participant {fmt(cash)}"
        )
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

    # 3. Pretax to direct rollovers first, traditional destination first (participant's election).
    pre_trad = _first(pretax, trad)
    pre_roth = _first(pretax - pre_trad, roth)
    cash_pretax = pretax - pre_trad - pre_roth
    cash_after_tax = cash - cash_pretax
    steps.append(
        Step(
            title="Pretax to direct rollovers",
            rule=(
                "pretax goes first to direct rollovers, the traditional destination first (the participant's "
                "election); after-tax fills the rest"
            ),
            citation="Notice 2014-54 §III; IRC §402(c)(2) (rolled amount treated as taxable part first)",
            inputs={"pretax": pretax, "direct_traditional": trad, "direct_roth": roth},
            outputs={
                "traditional_pretax_direct": pre_trad,
                "roth_pretax_direct": pre_roth,
                "cash_pretax": cash_pretax,
                "cash_after_tax": cash_after_tax,
            },
        )
    )

    # 4. 60-day rollovers out of the payment: pretax first again, traditional first.
    r60_trad_pre = _first(cash_pretax, r60_trad)
    r60_roth_pre = _first(cash_pretax - r60_trad_pre, r60_roth)
    rolled_pretax = r60_trad_pre + r60_roth_pre
    rolled_after_tax = r60_roth + r60_trad - rolled_pretax
    kept_pretax = cash_pretax - rolled_pretax
    kept_after_tax = cash_after_tax - rolled_after_tax
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
                outputs={"rolled_60day_pretax": rolled_pretax, "rolled_60day_after_tax": rolled_after_tax},
            )
        )

    roth_pretax = pre_roth + r60_roth_pre
    roth_after_tax = (roth - pre_roth) + (r60_roth - r60_roth_pre)
    trad_pretax = pre_trad + r60_trad_pre
    trad_after_tax = (trad - pre_trad) + (r60_trad - r60_trad_pre)

    # 5. Income: pretax converted to a Roth IRA, plus pretax kept.
    taxable = roth_pretax + kept_pretax
    steps.append(
        Step(
            title="Taxable amount",
            rule=(
                "pretax landing in a Roth IRA is includible (a taxable rollover to a Roth IRA); pretax kept is "
                "includible; pretax rolled to a traditional IRA or plan and all after-tax money are not"
            ),
            citation="IRC §402(a), §402(c)(1), §408A(d)(3)(A)(i), §408A(e)",
            inputs={"roth_pretax": roth_pretax, "kept_pretax": kept_pretax},
            outputs={"taxable": taxable},
        )
    )

    # 6. Mandatory withholding on the pretax paid to the participant.
    withholding = times(cash_pretax, WITHHOLDING_RATE)
    if cash:
        steps.append(
            Step(
                title="Mandatory withholding",
                rule=(
                    "20% of the taxable part paid to the participant, even if it is later rolled over within 60 "
                    "days; none on a direct rollover; rounded half-up to the cent"
                ),
                citation="IRC §3405(c)(1); Treas. Reg. §31.3405(c)-1 Q&A-1, Q&A-11",
                inputs={"cash_pretax": cash_pretax, "rate": WITHHOLDING_RATE},
                outputs={"withholding": withholding},
            )
        )

    # 7. What §72(t) can reach.
    penalty_base = kept_pretax
    steps.append(
        Step(
            title="Early-distribution base",
            rule=(
                "only pretax kept by the participant can bear the 10% additional tax: rollovers are not includible "
                "and a rollover to a Roth IRA is exempt from §72(t)"
            ),
            citation="IRC §72(t)(1); §408A(d)(3)(A)(ii)",
            inputs={"kept_pretax": kept_pretax},
            outputs={"penalty_base": penalty_base},
        )
    )

    # 8. What stays in the plan.
    remaining_balance = balance - d
    remaining_basis = basis - after_tax

    # 9. Forms 1099-R.
    forms: list[Form1099R] = []
    if roth:
        forms.append(Form1099R("direct rollover to Roth IRA", roth, pre_roth, ZERO, roth - pre_roth, "G"))
    if trad:
        forms.append(Form1099R("direct rollover to traditional IRA or plan", trad, ZERO, ZERO, trad - pre_trad, "G"))
    if cash:
        code = None if who is None else ("7" if who.is_59_5_or_over else "1")
        forms.append(Form1099R("payment to participant", cash, cash_pretax, withholding, cash_after_tax, code))
    steps.append(
        Step(
            title="Forms 1099-R",
            rule=(
                "a separate form for each direct rollover (code G; for a Roth IRA box 2a shows the taxable "
                "amount, box 5 the basis recovered) and for the payment (code 1 before age 59½, 7 after"
                + ("; age not given, so the code is left open" if who is None and cash else "")
                + ")"
            ),
            citation="Instructions for Forms 1099-R and 5498, 'Direct rollovers' and box 7 codes",
            inputs={"age": who.describe() if who else None},
            outputs={"forms": len(forms)},
        )
    )

    return SplitResult(
        after_tax=after_tax,
        pretax=pretax,
        roth_after_tax=roth_after_tax,
        roth_pretax=roth_pretax,
        traditional_after_tax=trad_after_tax,
        traditional_pretax=trad_pretax,
        cash_after_tax=cash_after_tax,
        cash_pretax=cash_pretax,
        rolled_60day_after_tax=rolled_after_tax,
        rolled_60day_pretax=rolled_pretax,
        kept_after_tax=kept_after_tax,
        kept_pretax=kept_pretax,
        taxable=taxable,
        withholding=withholding,
        penalty_base=penalty_base,
        remaining_balance=remaining_balance,
        remaining_basis=remaining_basis,
        form_1099r=tuple(forms),
        steps=tuple(steps),
    )
