"""The client case this project began with, computed end to end (``xl-rollover demo``).

Dana, 45, leaves her employer in 2025. Her plan keeps after-tax contributions in a separate
sub-account (a separate contract, IRC §72(d)(2)): 40,000 of after-tax contributions and 1,850 of
earnings on them. (Her pretax deferrals go by direct rollover to her new employer's 401(k) and
play no part here.) In 2026 she wants to make a backdoor Roth contribution of the year's IRA limit.

Option A: after-tax contributions to a Roth IRA, earnings to a traditional IRA (no tax now), then
the 2026 backdoor conversion is hit by the pro-rata rule because the traditional IRA is not empty
on December 31. Option B: everything to the Roth IRA, tax on the earnings now, a clean backdoor.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .explain import show
from .limits import irs_limit
from .money import fmt, times
from .rules.early_penalty import PenaltyResult, early_penalty
from .rules.form_8606 import Form8606Result, form_8606
from .rules.roth_ordering import roth_penalty_free_amount
from .rules.split import SplitResult, roth_rollover_split

SEPARATION_YEAR = 2025
BACKDOOR_YEAR = 2026
AGE = 45
AFTER_TAX_CONTRIBUTIONS = Decimal("40000.00")
EARNINGS = Decimal("1850.00")


@dataclass(frozen=True)
class Option:
    """One way of moving the after-tax sub-account, with next year's backdoor Roth."""

    name: str
    description: str
    split: SplitResult
    penalty: PenaltyResult
    backdoor: Form8606Result

    @property
    def roth_layers(self) -> tuple[tuple[int, Decimal, Decimal], ...]:
        """The Roth IRA's conversion/rollover layers: the 2025 rollover and the 2026 backdoor conversion."""
        return (
            (SEPARATION_YEAR, self.split.roth_pretax, self.split.roth_after_tax),
            (BACKDOOR_YEAR, self.backdoor.taxable_conversion, self.backdoor.nontaxable_conversion),
        )

    def penalty_free(self, year: int) -> Decimal:
        """Most she can withdraw in ``year`` with no tax and no 10% tax, nothing withdrawn before."""
        return roth_penalty_free_amount(0, self.roth_layers, distribution_year=year, age=AGE + year - SEPARATION_YEAR)

    @property
    def taxable_total(self) -> Decimal:
        return self.split.taxable + self.backdoor.taxable_conversion


@dataclass(frozen=True)
class Demo:
    options: tuple[Option, Option]
    ira_limit: Decimal
    marginal_rate: Decimal


def run(marginal_rate: Decimal = Decimal("0.24")) -> Demo:
    """Compute both options with the core rules."""
    balance = AFTER_TAX_CONTRIBUTIONS + EARNINGS
    ira_limit = irs_limit("ira_contribution_limit_219b5A", BACKDOOR_YEAR).value + Decimal("0.00")
    options = []
    for name, description, to_roth in (
        ("A", "after-tax contributions to the Roth IRA, earnings to a traditional IRA", None),
        ("B", "everything to the Roth IRA; tax on the earnings now", balance),
    ):
        split = roth_rollover_split(balance, AFTER_TAX_CONTRIBUTIONS, balance, to_roth_ira=to_roth, age=AGE)
        penalty = early_penalty(split.penalty_base, AGE, "401K", tax_year=SEPARATION_YEAR)
        # next year's backdoor: a nondeductible contribution of the IRA limit, converted in the same year;
        # the traditional IRA still holds the earnings on December 31 in option A (no growth assumed)
        backdoor = form_8606(
            converted=ira_limit,
            year_end_value=split.traditional_pretax + split.traditional_after_tax,
            nondeductible_contributions=ira_limit,
        )
        options.append(Option(name, description, split, penalty, backdoor))
    return Demo(options=(options[0], options[1]), ira_limit=ira_limit, marginal_rate=marginal_rate)


def rows(demo: Demo) -> list[tuple[str, Any, Any]]:
    """The side-by-side comparison: label, option A, option B."""
    a, b = demo.options
    rate = demo.marginal_rate

    def both(get: Any) -> tuple[Any, Any]:
        return get(a), get(b)

    table: list[tuple[str, Any, Any]] = [
        ("Roth IRA: after-tax (basis)", *both(lambda o: o.split.roth_after_tax)),
        ("Roth IRA: earnings (taxable conversion)", *both(lambda o: o.split.roth_pretax)),
        ("Traditional IRA: earnings", *both(lambda o: o.split.traditional_pretax)),
        (f"{SEPARATION_YEAR} taxable income from the rollover", *both(lambda o: o.split.taxable)),
        (f"{SEPARATION_YEAR} 10% early-distribution tax", *both(lambda o: o.penalty.penalty)),
        ("20% withholding", *both(lambda o: o.split.withholding)),
        (f"{BACKDOOR_YEAR} backdoor: Form 8606 line 10 ratio", *both(lambda o: o.backdoor.ratio)),
        (f"{BACKDOOR_YEAR} backdoor: taxable conversion (line 18)", *both(lambda o: o.backdoor.taxable_conversion)),
        (f"Basis carried into {BACKDOOR_YEAR + 1} (line 14)", *both(lambda o: o.backdoor.basis_remaining)),
        ("Taxable income, both years", *both(lambda o: o.taxable_total)),
        (f"Income tax at an assumed {rate * 100:.0f}% marginal rate", *both(lambda o: times(o.taxable_total, rate))),
    ]
    return table


def render(demo: Demo) -> str:
    """The demo as text a client can follow."""
    a, b = demo.options
    out = [
        "xl-rollover demo: leaving an employer with after-tax 401(k) money",
        "=" * 66,
        f"Dana is {AGE} and leaves her employer in {SEPARATION_YEAR}. Her after-tax sub-account holds",
        f"{fmt(AFTER_TAX_CONTRIBUTIONS)} of after-tax contributions and {fmt(EARNINGS)} of earnings on them.",
        f"In {BACKDOOR_YEAR} she plans a backdoor Roth: a nondeductible IRA contribution of {fmt(demo.ira_limit)}",
        f"(the {BACKDOOR_YEAR} IRA limit), converted to her Roth IRA the same year.",
        "",
        f"Option A: {a.description}.",
        f"Option B: {b.description}.",
        "",
    ]
    table = rows(demo)
    width = max(len(label) for label, _, _ in table)
    out.append(f"{'':{width}}  {'Option A':>12}  {'Option B':>12}")
    for label, va, vb in table:
        out.append(f"{label:{width}}  {show(va):>12}  {show(vb):>12}")
    out += [
        "",
        "What each step means",
        "--------------------",
        "1. The whole sub-account is one distribution (Notice 2014-54), so its pretax earnings can go to",
        "   the traditional IRA and the after-tax contributions to the Roth IRA, tax-free (option A), or",
        "   all of it to the Roth IRA, where the earnings are a taxable conversion (option B).",
        "2. Neither option pays the 10% early-distribution tax at 45: rollovers are not income, and a",
        "   rollover to a Roth IRA is exempt from §72(t) (§408A(d)(3)(A)(ii)).",
        "3. Nothing is paid to Dana, so the plan withholds nothing (§3405(c) applies only to payments).",
        f"4. In {BACKDOOR_YEAR} all her traditional IRAs count as one on December 31 (§408(d)(2)). In option A",
        f"   the {fmt(EARNINGS)} still there makes {fmt(a.backdoor.taxable_conversion)} of the conversion taxable",
        f"   (Form 8606 line 10 = {show(a.backdoor.ratio)}); the basis not used carries forward on line 14.",
        "   In option B the traditional IRA is empty and the conversion is tax-free.",
        "",
        f"Penalty-free Roth IRA withdrawals, {BACKDOOR_YEAR}-{BACKDOOR_YEAR + 5} (each year on its own, nothing taken before)",
        "-" * 80,
        f"{'year':<6}{'age':>5}  {'Option A':>12}  {'Option B':>12}",
        *[
            f"{y:<6}{AGE + y - SEPARATION_YEAR:>5}  {show(a.penalty_free(y)):>12}  {show(b.penalty_free(y)):>12}"
            for y in range(BACKDOOR_YEAR, BACKDOOR_YEAR + 6)
        ],
        "Regular contributions come out first, then each year's conversion or rollover layer, its taxable part",
        "before its after-tax part (Reg. §1.408A-6 A-8, A-9). A taxable part withdrawn within five years of",
        "its conversion, before 59½, bears the 10% tax though it is not taxed again (A-5(c)). So in option B",
        f"the {fmt(EARNINGS)} of converted earnings stands in front of her after-tax dollars until the end of",
        f"{SEPARATION_YEAR + 4}: 'after-tax money can come out any time' is true only behind it. In option A the",
        f"{BACKDOOR_YEAR} backdoor's taxable part blocks what lies behind it until the end of {BACKDOOR_YEAR + 4}.",
        "Earnings are always taxed and penalised before 59½ unless an exception applies.",
        "",
        "Forms 1099-R the plan should issue",
        "----------------------------------",
    ]
    for option in demo.options:
        for form in option.split.form_1099r:
            out.append(f"Option {option.name}: {form}")
    out += [
        "",
        "The marginal rate is an assumption for illustration (--marginal-rate); the taxable amounts are exact.",
        "Run with --explain for every rule applied and its citation.",
    ]
    return "\n".join(out)


def explain(demo: Demo) -> str:
    """Every step of every calculation behind the demo, with citations."""
    out = []
    for option in demo.options:
        for title, result in (
            ("rollover split", option.split),
            ("early-distribution tax", option.penalty),
            (f"{BACKDOOR_YEAR} Form 8606", option.backdoor),
        ):
            out.append(f"\nOption {option.name}: {title}")
            out += [f"  - {step}" for step in result.explain()]
    return "\n".join(out)


def as_dict(demo: Demo) -> dict[str, Any]:
    return {
        "client": {
            "age": AGE,
            "separation_year": SEPARATION_YEAR,
            "after_tax_contributions": str(AFTER_TAX_CONTRIBUTIONS),
            "earnings": str(EARNINGS),
            "backdoor_year": BACKDOOR_YEAR,
            "ira_limit": str(demo.ira_limit),
            "marginal_rate": str(demo.marginal_rate),
        },
        "options": {
            o.name: {
                "description": o.description,
                "split": o.split.as_dict(),
                "penalty": o.penalty.as_dict(),
                "backdoor_form_8606": o.backdoor.as_dict(),
            }
            for o in demo.options
        },
        "comparison": [{"label": label, "A": str(va), "B": str(vb)} for label, va, vb in rows(demo)],
        "penalty_free_withdrawals": [
            {
                "year": y,
                "age": AGE + y - SEPARATION_YEAR,
                "A": str(demo.options[0].penalty_free(y)),
                "B": str(demo.options[1].penalty_free(y)),
            }
            for y in range(BACKDOOR_YEAR, BACKDOOR_YEAR + 6)
        ],
    }
