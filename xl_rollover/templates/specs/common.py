"""Helpers the template specs share: money and number helpers, the summary box's text formulas, argument lists and choices in words."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xl_rollover.core.rules.penalty_exceptions import ACCOUNT_TYPES, EXCEPTIONS

from ..model import Output


def _money(x: Any) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def _plus(name: str, k: int) -> Callable[[dict[str, Any]], float]:
    """The value of ``{name}+k``."""
    return lambda v: float(_num(v[name]) + k)


# --- the summary box: text formulas and their Python mirrors ------------------------------------------------


def _t(name: str) -> str:
    """A money figure inside a text formula, as the sheet shows it (1,485.00)."""
    return f"FIXED({{{name}}},2)"  # FIXED, not TEXT: the formulas engine writes TEXT(0,"#,##0.00") as "0,.00"


def _y(name: str, k: int = 0) -> str:
    """A calendar year (a named year plus ``k``) inside a text formula."""
    return f'TEXT({{{name}}}+{k},"0")' if k else f'TEXT({{{name}}},"0")'


def _tm(v: dict[str, Any], name: str) -> str:
    """Excel's FIXED(x, 2): half-up to the cent, thousands separated."""
    return f"{_money(_num(v[name])):,.2f}"


def _ty(v: dict[str, Any], name: str, k: int = 0) -> str:
    return f"{_num(v[name]) + k:.0f}"


def _same(name: str, label: str, ref: str, why: str, cite: str, fmt: str = "money") -> Output:
    """A summary figure: the output ``ref`` shown again in the summary box (a formula, never retyped)."""
    return Output(name, label, formula=f"{{{ref}}}", py=lambda v: v[ref], why=why, cite=cite, fmt=fmt)


def difference(first: str, *rest: str) -> dict[str, Any]:
    """``first`` less each of ``rest``: the plain formula and its Python mirror (exact, half-up to the cent).

    One statement for both, spread into an Output: ``Output(name, label, **difference("a", "b"), ...)``.
    """
    names = (first, *rest)

    def py(v: dict[str, Any]) -> float:
        return _money(Decimal(str(v[first])) - sum((Decimal(str(v[n])) for n in rest), Decimal(0)))

    return {"formula": "-".join(f"{{{n}}}" for n in names), "py": py}


# Argument lists shared by several rows (defined names of the Plan sheet, in the function's order).
#: Option A / B of the separation: the whole balance, Roth gets basis (A) or basis + earnings (B).
#: The age and the RMD due follow the destinations (the output argument, position 6, is filled per row).
_SPLIT_FACTS = (None, None, None, "in_age", "in_rmd")
_SPLIT_A = ("out_balance", "in_basis", "out_balance", "out_a_roth", None, *_SPLIT_FACTS)
_SPLIT_B = ("out_balance", "in_basis", "out_balance", "out_b_roth", None, *_SPLIT_FACTS)
#: Option C: the advisor's own split, the Roth IRA amount typed in, the rest to the traditional destination.
_SPLIT_C = ("out_balance", "in_basis", "out_balance", "in_c_roth", None, *_SPLIT_FACTS)
#: The split with its default destinations: what the RMD takes and what is left, whichever option.
_SPLIT_RMD = ("out_balance", "in_basis", "out_balance", None, None, *_SPLIT_FACTS)
#: One sweep of the after-tax sub-account, all of it to the Roth IRA.
_SWEEP = ("out_sweep_amount", "out_per_sweep", "out_sweep_amount", "out_sweep_amount")
#: Form 8606 after the roll-in what-if.
_AFTER_ROLL_IN = ("in_nondeductible", "in_prior_basis", "out_yev_after", "in_distributions", "in_converted")
#: Form 8606 after the partial roll-in (the third scenario).
_AFTER_PART = ("in_nondeductible", "in_prior_basis", "out_yev_part", "in_distributions", "in_converted")
#: EARLY_PENALTY with the sheet's account type, exception and its amount (output left to the row).
_PENALTY = (
    "in_taxable",
    "tbl_age",
    "out_account",
    "out_exception",
    "in_exception_amount",
    "in_year",
    None,
    "out_simple_2yr",
)
#: The planned Roth IRA withdrawal.
_WITHDRAWAL = ("in_amount", "in_regular", "tbl_conversions", "in_year", "in_age", "in_first_year")
#: MEGA_BACKDOOR_ROOM for the year.
_ROOM = ("in_year", "in_deferrals", "in_employer", "in_comp", "in_age", "in_after_tax")


# --- choices in words and the codes behind them -------------------------------------------------------------

#: Where option A sends the pretax dollars (the sheet's TRUE/FALSE).
_PRETAX_DESTINATION: tuple[tuple[str, Any], ...] = (
    ("Pretax to a traditional IRA", True),
    ("Pretax to a new employer's plan", False),
)
_YES_NO: tuple[tuple[str, Any], ...] = (("Yes", True), ("No", False))
#: The account types of the core's §72(t) table, in words (a test checks every code has words).
ACCOUNT_WORDS: dict[str, str] = {
    "IRA": "Traditional IRA",
    "SEP_IRA": "SEP IRA",
    "SIMPLE_IRA": "SIMPLE IRA",
    "ROTH_IRA": "Roth IRA",
    "401K": "401(k) plan",
    "403B": "403(b) plan",
    "PLAN": "Other qualified employer plan (§401(a), §403(a))",
    "GOV_457B": "Governmental 457(b) plan",
}
_ACCOUNTS: tuple[tuple[str, Any], ...] = tuple((ACCOUNT_WORDS[code], code) for code in ACCOUNT_TYPES)
NO_EXCEPTION = "No exception"


def _exception_words(e: Any) -> str:
    """An exception as the drop-down says it: the core's title, capitalised, with its Form 5329 number."""
    return f"{e.title[0].upper()}{e.title[1:]} ({e.number})"


_EXCEPTIONS: tuple[tuple[str, Any], ...] = (
    (NO_EXCEPTION, "none"),
    *((_exception_words(e), e.number) for e in EXCEPTIONS if e.number),
)
