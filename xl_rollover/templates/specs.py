"""The six client templates as data (see :mod:`xl_rollover.templates.build`). Example clients are fictional."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from xl_rollover.core.rules.penalty_exceptions import ACCOUNT_TYPES, EXCEPTIONS
from xl_rollover.core.serial_dates import serial

from .build import Chart, Grid, Input, Output, Table, Template, choice, lookup


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


# Argument lists shared by several rows (defined names of the Plan sheet, in the function's order).
#: Option A / B of the separation: the whole balance, Roth gets basis (A) or basis + earnings (B).
#: The age and the RMD due follow the destinations (the output argument, position 6, is filled per row).
_SPLIT_FACTS = (None, None, None, "in_age", "in_rmd")
_SPLIT_A = ("out_balance", "in_basis", "out_balance", "out_a_roth", None, *_SPLIT_FACTS)
_SPLIT_B = ("out_balance", "in_basis", "out_balance", "out_b_roth", None, *_SPLIT_FACTS)
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


# --- 1. Mega backdoor at separation ----------------------------------------------------------------------

#: Years of the penalty-free withdrawal timeline after the distribution year (the demo's 2026-2031).
_TIMELINE_YEARS = 6


def _layers(option: str, split: tuple[Any, ...]) -> Grid:
    """What the option leaves in the Roth IRA: the rollover layer and next year's backdoor conversion layer."""
    o = option.lower()

    def clock(year: str, taxable: str) -> Output:
        return Output(
            f"{taxable}_clock",
            "",
            formula=f'IF({{{taxable}}}>0,{{{year}}}+4,"none")',
            py=lambda v: _num(v[year]) + 4 if _num(v[taxable]) > 0 else "none",
            fmt="number",
        )

    rollover = (
        Output(f"out_{o}_l1_year", "", formula="{in_year}", py=lambda v: v["in_year"], fmt="number"),
        Output(f"out_{o}_l1_taxable", "", "ROTH_ROLLOVER_SPLIT", split, "roth_pretax"),
        Output(f"out_{o}_l1_basis", "", "ROTH_ROLLOVER_SPLIT", split, "roth_after_tax"),
    )
    backdoor = (
        Output(f"out_{o}_l2_year", "", formula="{in_year}+1", py=_plus("in_year", 1), fmt="number"),
        Output(
            f"out_{o}_l2_taxable",
            "",
            formula=f"{{out_{o}_backdoor_taxable}}",
            py=lambda v: v[f"out_{o}_backdoor_taxable"],
        ),
        Output(
            f"out_{o}_l2_basis",
            "",
            formula=f"{{in_backdoor}}-{{out_{o}_backdoor_taxable}}",
            py=lambda v: _money(Decimal(str(v["in_backdoor"])) - Decimal(str(v[f"out_{o}_backdoor_taxable"]))),
        ),
    )
    return Grid(
        f"out_{o}_layers_grid",
        ("year in", "taxable part", "after-tax part", "10% tax on the taxable part before 59½ until the end of"),
        tuple((*layer, clock(layer[0].name, layer[1].name)) for layer in (rollover, backdoor)),
        ranges=((f"out_{o}_layers", 0, 2),),
    )


def _timeline() -> Grid:
    """Year by year after the distribution: the most each option's Roth IRA gives free of tax and the 10% tax."""
    rows = []
    for k in range(_TIMELINE_YEARS):
        year = Output(f"out_tl_year_{k}", "", formula=f"{{in_year}}+{k + 1}", py=_plus("in_year", k + 1), fmt="number")
        age = Output(f"out_tl_age_{k}", "", formula=f"{{in_age}}+{k + 1}", py=_plus("in_age", k + 1), fmt="number")
        free = tuple(
            Output(
                f"out_{o}_free_{k}",
                "",
                "ROTH_PENALTY_FREE",
                ("in_roth_regular", f"out_{o}_layers", year.name, age.name),
            )
            for o in "ab"
        )
        rows.append((year, age, *free))
    return Grid(
        "out_timeline",
        (
            "year (nothing taken before)",
            "age",
            "option A: free of tax and 10% tax",
            "option B: free of tax and 10% tax",
        ),
        tuple(rows),
        ranges=(("out_a_free", 2, 2), ("out_b_free", 3, 3)),
    )


def _first_free(o: str) -> Output:
    """The first timeline year in which the option's Roth IRA gives anything free of tax and the 10% tax
    (the amounts only grow with time: clocks run out and the owner ages)."""
    return Output(
        f"out_sum_{o}_first",
        f"Option {o.upper()}: first year anything comes out free of tax and the 10% tax",
        formula=f"{{in_year}}+1+COUNTIF({{out_{o}_free}},0)",
        py=lambda v: _num(v["in_year"]) + 1 + sum(1 for row in v[f"out_{o}_free"] if row[0] == 0),
        fmt="number",
        why=f"{_TIMELINE_YEARS + 1} years after the distribution means: not within the timeline below",
        cite="IRC §408A(d)(3)(F); Reg. §1.408A-6 A-5(c), A-8",
    )


def _separation_sentence(v: dict[str, Any]) -> str:
    d = _num(v["out_b_minus_a"])
    if d > 0:
        cost = f"Option A saves {_tm(v, 'out_b_minus_a')} of tax over the two years"
    elif d < 0:
        cost = f"Option B saves {_money(-d):,.2f} of tax over the two years"
    else:
        cost = "Both options cost the same tax over the two years"
    parts = []
    for o in "ab":
        if _num(v[f"out_{o}_free_0"]) > 0:
            parts.append(
                f"under option {o.upper()} {_tm(v, f'out_{o}_free_0')} can come out of the Roth IRA free of tax "
                f"and the 10% tax in {_ty(v, 'in_year', 1)}"
            )
        else:
            parts.append(f"under option {o.upper()} nothing can before {_ty(v, f'out_sum_{o}_first')}")
    return f"{cost}; {parts[0]}, {parts[1]}."


def _separation_clause(o: str) -> str:
    return (
        f'IF({{out_{o}_free_0}}>0,"under option {o.upper()} "&{_t(f"out_{o}_free_0")}&'
        f'" can come out of the Roth IRA free of tax and the 10% tax in "&{_y("in_year", 1)},'
        f'"under option {o.upper()} nothing can before "&{_y(f"out_sum_{o}_first")})'
    )


_SEPARATION_SUMMARY = (
    Output(
        "out_sum_sentence",
        "In short",
        formula=(
            f'IF({{out_b_minus_a}}>0,"Option A saves "&{_t("out_b_minus_a")}&" of tax over the two years",'
            f'IF({{out_b_minus_a}}<0,"Option B saves "&FIXED(-{{out_b_minus_a}},2)&" of tax over the two years",'
            f'"Both options cost the same tax over the two years"))&"; "&{_separation_clause("a")}&", "&'
            f'{_separation_clause("b")}&"."'
        ),
        py=_separation_sentence,
        fmt="text",
    ),
    _same(
        "out_sum_b_minus_a",
        "Option B costs more (+) or less (-) in tax than A, both years",
        "out_b_minus_a",
        "tax now and on next year's backdoor at the marginal rate entered",
        "IRC §408A(d)(3)(A); §408(d)(2); Form 8606 line 18",
    ),
    _first_free("a"),
    _first_free("b"),
)


SEPARATION = Template(
    file="mega_backdoor_separation.xlsx",
    title="Leaving the employer with after-tax 401(k) money: option A against option B",
    purpose=(
        "A participant separating from service takes the whole 401(k) balance: pretax money, after-tax contributions and "
        "the earnings on them. Option A sends the after-tax contributions to a Roth IRA and every pretax dollar "
        "(including the after-tax earnings) to a traditional IRA or a new employer plan: nothing is taxed now. Option B "
        "sends the after-tax earnings to the Roth IRA too: they are taxed now, but the Roth IRA is clean. The plan also "
        "shows what option A costs on next year's backdoor Roth through the IRA pro-rata rule, and the 1099-R boxes."
    ),
    how=(
        "Enter the plan's statement figures as of the distribution: pretax balance, after-tax contributions (basis) and "
        "their earnings. The distribution is the whole balance, paid as direct rollovers.",
        "Say where the pretax money goes in option A (a traditional IRA, or a new employer's plan that accepts rollovers) "
        "and next year's backdoor Roth amount and other IRA balances.",
    ),
    not_covered=(
        "Partial distributions before separation, 60-day rollovers and cash payouts (use ROTH_ROLLOVER_SPLIT directly).",
        "Not for these cases (ROTH_ROLLOVER_SPLIT refuses them when told): annuity payments (IRC §72(b), §72(d)); "
        "after-tax contributions made before 1987 (§72(e)(8)(D)); designated Roth (Roth 401(k)) money in the "
        "distribution (§402A(d)(4)); a distribution before September 18, 2014 (Notice 2014-54).",
        "Assumed: the account is your own (not inherited, not received in a divorce); the balances entered are the "
        "whole account the after-tax contributions belong to; the distribution is on or after September 18, 2014.",
        "Not computed: voluntary income-tax withholding on the RMD, net unrealized appreciation in employer stock, "
        "state tax.",
    ),
    inputs=(
        (
            "Client",
            (
                Input(
                    "in_age",
                    "Age at the distribution",
                    45,
                    "age",
                    "years; under 59½ the 10% tax can apply to taxable cash",
                ),
                Input("in_year", "Tax year of the distribution", 2025, "year"),
                Input(
                    "in_rmd",
                    "Required minimum distribution (RMD) still due this year from this plan",
                    0,
                    "money",
                    "0 if none is due: under the RMD age (73 for most), or still working there and not a 5% owner; "
                    "paid to you first, never rolled over",
                ),
            ),
        ),
        (
            "401(k) balance at the distribution",
            (
                Input(
                    "in_pretax",
                    "Pretax balance (deferrals, employer money, their earnings)",
                    0,
                    "money",
                    "0 when only the after-tax sub-account is distributed",
                ),
                Input(
                    "in_basis",
                    "After-tax contributions (basis)",
                    40000,
                    "money",
                    "plan statement: after-tax source, contributions",
                ),
                Input(
                    "in_earnings",
                    "Earnings on the after-tax contributions",
                    1850,
                    "money",
                    "pretax money: taxable when converted",
                ),
            ),
        ),
        (
            "Next year",
            (
                choice(
                    "in_pretax_to",
                    "Option A: where the pretax dollars go",
                    "pretax_destination",
                    _PRETAX_DESTINATION[0][0],
                    "money left in a traditional IRA at Dec 31 counts in the pro-rata rule",
                ),
                Input("in_backdoor", "Backdoor Roth next year: nondeductible contribution converted", 7500, "money"),
                Input("in_other_ira", "Other traditional, SEP and SIMPLE IRA balances at Dec 31 next year", 0, "money"),
                Input("in_rate", "Marginal income-tax rate (federal)", 0.24, "rate", "for the dollar cost only"),
                Input(
                    "in_roth_regular",
                    "Regular contributions already in the Roth IRA (less taken out)",
                    0,
                    "money",
                    "they come out first, free of tax and the 10% tax",
                ),
            ),
        ),
    ),
    outputs=(
        (
            "The distribution",
            (
                lookup(
                    "out_pretax_to_ira",
                    "Pretax dollars to a traditional IRA (TRUE) in option A",
                    "in_pretax_to",
                    _PRETAX_DESTINATION,
                    "pretax_destination",
                ),
                Output(
                    "out_balance",
                    "Whole balance distributed",
                    formula="{in_pretax}+{in_basis}+{in_earnings}",
                    py=lambda v: _money(_num(v["in_pretax"]) + _num(v["in_basis"]) + _num(v["in_earnings"])),
                    why="pretax + after-tax contributions + their earnings",
                    cite="plan statement",
                ),
                Output(
                    "out_req_after_tax",
                    "RMD paid to you: after-tax part (not taxable; 1099-R box 5)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_RMD,
                    "rmd_after_tax",
                    why="the first dollars of the year's distributions are the RMD, with their pro-rata share of basis",
                    cite="IRC §401(a)(9)(C), §402(c)(4)(B); Treas. Reg. §1.402(c)-2 Q&A-7; IRC §72(e)(8)",
                ),
                Output(
                    "out_req_pretax",
                    "RMD paid to you: taxable part (1099-R box 2a)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_RMD,
                    "rmd_pretax",
                    why="the RMD's pretax share: taxable, cannot be rolled over, not under the 20% withholding",
                    cite="IRC §402(c)(4)(B); §402(a); Reg. §31.3405(c)-1 Q&A-1",
                ),
                Output(
                    "out_eligible",
                    "Eligible to roll over (the whole balance less the RMD)",
                    formula="{out_balance}-{out_req_after_tax}-{out_req_pretax}",
                    py=lambda v: _money(
                        Decimal(str(v["out_balance"]))
                        - Decimal(str(v["out_req_after_tax"]))
                        - Decimal(str(v["out_req_pretax"]))
                    ),
                    why="an RMD is not an eligible rollover distribution",
                    cite="IRC §402(c)(4)(B)",
                ),
                Output(
                    "out_unrecovered",
                    "After-tax contributions not recovered (basis above the account's value)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_RMD,
                    "unrecovered_basis",
                    why="the exclusion is capped at the distribution: basis above the account's value is not recovered",
                    cite="IRC §72(e)(8); §72(e)(2)(B)",
                ),
            ),
        ),
        (
            "Option A: contributions to the Roth IRA, all pretax dollars to traditional",
            (
                Output(
                    "out_a_roth",
                    "To the Roth IRA",
                    formula="{in_basis}-{out_req_after_tax}",
                    py=lambda v: _money(Decimal(str(v["in_basis"])) - Decimal(str(v["out_req_after_tax"]))),
                    why="exactly the after-tax contributions (less the RMD's share of them, paid to you)",
                    cite="Notice 2014-54 §III.B (allocation by direct rollover)",
                ),
                Output(
                    "out_a_taxable",
                    "Taxable now",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "taxable",
                    why=(
                        "pretax goes first to the traditional destination, so the Roth receives only basis; "
                        "the RMD's taxable part is included"
                    ),
                    cite="IRC §72(e)(8); §402(c)(2); Notice 2014-54",
                ),
                Output(
                    "out_a_withholding",
                    "Withholding",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "withholding",
                    why="none on direct rollovers; 20% of taxable cash otherwise",
                    cite="IRC §3405(c)",
                ),
                Output(
                    "out_a_box1_roth",
                    "1099-R to the Roth IRA: box 1",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "form_1099r_1_box1_gross",
                    why="gross distribution to this destination",
                    cite="Form 1099-R instructions, box 1; code G",
                ),
                Output(
                    "out_a_box2_roth",
                    "1099-R to the Roth IRA: box 2a",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "form_1099r_1_box2a_taxable",
                    why="taxable amount: 0 when only basis goes to the Roth",
                    cite="Form 1099-R instructions, box 2a",
                ),
                Output(
                    "out_a_box5_roth",
                    "1099-R to the Roth IRA: box 5",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "form_1099r_1_box5_employee_contributions",
                    why="employee after-tax contributions recovered",
                    cite="Form 1099-R instructions, box 5",
                ),
                Output(
                    "out_a_box1_trad",
                    "1099-R to traditional: box 1 (box 2a 0, code G)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "form_1099r_2_box1_gross",
                    why="direct rollover of the pretax dollars",
                    cite="Form 1099-R instructions, box 7 code G",
                ),
                Output(
                    "out_a_trad_basis",
                    "After-tax dollars rolled to the traditional IRA: its basis next year",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_A,
                    "traditional_ira_basis",
                    why="after-tax money rolled to a traditional IRA is nondeductible basis (0: all of it goes to Roth)",
                    cite="IRC §408(d)(2); Instructions for Form 8606, line 2",
                ),
                Output(
                    "out_a_yev",
                    "Traditional IRA balances at Dec 31 next year",
                    formula="{in_other_ira}+IF({out_pretax_to_ira},{out_eligible}-{out_a_roth},0)",
                    py=lambda v: _money(
                        Decimal(str(_num(v["in_other_ira"])))
                        + (
                            Decimal(str(v["out_eligible"])) - Decimal(str(v["out_a_roth"]))
                            if v["out_pretax_to_ira"] is True
                            else 0
                        )
                    ),
                    why="Form 8606 line 6 next year: other IRAs, plus the rolled pretax money if it went to an IRA",
                    cite="IRC §408(d)(2); Form 8606 line 6",
                ),
                Output(
                    "out_a_backdoor_taxable",
                    "Backdoor next year: taxable conversion",
                    "PRORATA_TAXABLE",
                    ("in_backdoor", "in_backdoor", "out_a_yev"),
                    why="the nondeductible basis is spread over all traditional IRA money",
                    cite="IRC §408(d)(2); §72(e); Form 8606 lines 6-18",
                ),
                Output(
                    "out_a_cost",
                    "Option A: tax cost (now + backdoor next year)",
                    formula="ROUND(({out_a_taxable}+{out_a_backdoor_taxable})*{in_rate},2)",
                    py=lambda v: _money(
                        (Decimal(str(v["out_a_taxable"])) + Decimal(str(v["out_a_backdoor_taxable"])))
                        * Decimal(str(v["in_rate"]))
                    ),
                    why="taxable amounts × the marginal rate",
                    cite="estimate; not a form line",
                ),
            ),
        ),
        (
            "Option B: contributions and their earnings to the Roth IRA",
            (
                Output(
                    "out_b_roth",
                    "To the Roth IRA",
                    formula="{out_eligible}-MIN({in_pretax},{in_pretax}+{in_earnings}-{out_req_pretax})",
                    py=lambda v: _money(
                        Decimal(str(v["out_eligible"]))
                        - min(
                            Decimal(str(_num(v["in_pretax"]))),
                            Decimal(str(_num(v["in_pretax"])))
                            + Decimal(str(_num(v["in_earnings"])))
                            - Decimal(str(v["out_req_pretax"])),
                        )
                    ),
                    why=(
                        "after-tax contributions and their earnings: all but the pretax balance (less the RMD's "
                        "shares, paid to you)"
                    ),
                    cite="Notice 2014-54 §III.B",
                ),
                Output(
                    "out_b_taxable",
                    "Taxable now",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_B,
                    "taxable",
                    why="the earnings are pretax money converted to Roth: taxable, but no 10% tax on a direct rollover",
                    cite="IRC §408A(d)(3)(A); §402(c)(2)",
                ),
                Output(
                    "out_b_penalty_base",
                    "Taxable cash kept (Form 5329 line 1 before age 59½)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_B,
                    "penalty_base",
                    why="only taxable cash kept is subject to §72(t); a rollover is not",
                    cite="IRC §72(t); §408A(d)(3)(A)(ii)",
                ),
                Output(
                    "out_b_penalty",
                    "10% additional tax",
                    "EARLY_PENALTY",
                    ("out_b_penalty_base", "in_age", "401K"),
                    why="10% of the amount subject to it (nothing for a direct rollover)",
                    cite="IRC §72(t)(1); Form 5329 line 4",
                ),
                Output(
                    "out_b_withholding",
                    "Withholding",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_B,
                    "withholding",
                    why="none on direct rollovers, including the taxable Roth rollover",
                    cite="IRC §3405(c); Reg. §31.3405(c)-1 Q&A-1",
                ),
                Output(
                    "out_b_box1_roth",
                    "1099-R to the Roth IRA: box 1",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_B,
                    "form_1099r_1_box1_gross",
                    why="gross distribution to this destination",
                    cite="Form 1099-R instructions, box 1; code G",
                ),
                Output(
                    "out_b_box2_roth",
                    "1099-R to the Roth IRA: box 2a",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_B,
                    "form_1099r_1_box2a_taxable",
                    why="taxable amount of the direct Roth rollover",
                    cite="Form 1099-R instructions, box 2a",
                ),
                Output(
                    "out_b_trad",
                    "To traditional (1099-R box 1, box 2a 0, code G)",
                    formula="{out_eligible}-{out_b_roth}",
                    py=lambda v: _money(Decimal(str(v["out_eligible"])) - Decimal(str(v["out_b_roth"]))),
                    why="the pretax balance only (what the RMD leaves of it)",
                    cite="Form 1099-R instructions, box 7 code G",
                ),
                Output(
                    "out_b_trad_basis",
                    "After-tax dollars rolled to the traditional IRA: its basis next year",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_B,
                    "traditional_ira_basis",
                    why="after-tax money rolled to a traditional IRA is nondeductible basis (0: all of it goes to Roth)",
                    cite="IRC §408(d)(2); Instructions for Form 8606, line 2",
                ),
                Output(
                    "out_b_yev",
                    "Traditional IRA balances at Dec 31 next year",
                    formula="{in_other_ira}+IF({out_pretax_to_ira},{out_b_trad},0)",
                    py=lambda v: _money(
                        _num(v["in_other_ira"]) + (_num(v["out_b_trad"]) if v["out_pretax_to_ira"] is True else 0)
                    ),
                    why="as option A, without the earnings",
                    cite="Form 8606 line 6",
                ),
                Output(
                    "out_b_backdoor_taxable",
                    "Backdoor next year: taxable conversion",
                    "PRORATA_TAXABLE",
                    ("in_backdoor", "in_backdoor", "out_b_yev"),
                    why="pro-rata rule over the remaining traditional IRA money",
                    cite="IRC §408(d)(2); Form 8606 lines 6-18",
                ),
                Output(
                    "out_b_cost",
                    "Option B: tax cost (now + backdoor next year)",
                    formula="ROUND(({out_b_taxable}+{out_b_backdoor_taxable})*{in_rate},2)",
                    py=lambda v: _money(
                        (Decimal(str(v["out_b_taxable"])) + Decimal(str(v["out_b_backdoor_taxable"])))
                        * Decimal(str(v["in_rate"]))
                    ),
                    why="taxable amounts × the marginal rate",
                    cite="estimate; not a form line",
                ),
                Output(
                    "out_b_minus_a",
                    "Option B costs more (+) or less (-) than A",
                    formula="{out_b_cost}-{out_a_cost}",
                    py=lambda v: _money(Decimal(str(v["out_b_cost"])) - Decimal(str(v["out_a_cost"]))),
                    why="difference of the two estimates; B also keeps the earnings' future growth tax-free",
                    cite="estimate",
                ),
            ),
        ),
        ("Option A: what the Roth IRA holds (rollover and backdoor conversion layers)", (_layers("A", _SPLIT_A),)),
        ("Option B: what the Roth IRA holds (rollover and backdoor conversion layers)", (_layers("B", _SPLIT_B),)),
        (
            "The years ahead: the most that can come out of the Roth IRA free of tax and the 10% tax",
            (_timeline(),),
        ),
    ),
    sources=(
        ("IRC §72(e)(8)", "each distribution carries a pro-rata share of the after-tax basis"),
        (
            "IRS Notice 2014-54",
            "disbursements scheduled together are one distribution; pretax goes first to direct rollovers the participant chooses",
        ),
        (
            "IRC §402(c)(2); §408A(d)(3)",
            "after-tax amounts may roll to a Roth IRA; pretax amounts rolled to a Roth IRA are taxable, without the 10% tax",
        ),
        (
            "IRC §408(d)(2); Form 8606 instructions",
            "all traditional, SEP and SIMPLE IRAs are one contract for the pro-rata rule (year-end value, line 6)",
        ),
        (
            "Form 1099-R instructions",
            "box 1 gross, 2a taxable, 5 employee contributions, 7 code G for a direct rollover",
        ),
    ),
    charts=(
        Chart(
            "Taxable income from each option",
            ("now", "backdoor next year"),
            (
                ("Option A", ("out_a_taxable", "out_a_backdoor_taxable")),
                ("Option B", ("out_b_taxable", "out_b_backdoor_taxable")),
            ),
        ),
        Chart(
            "Free of tax and the 10% tax from the Roth IRA, by year",
            tuple(f"out_tl_year_{k}" for k in range(_TIMELINE_YEARS)),
            (
                ("Option A", tuple(f"out_a_free_{k}" for k in range(_TIMELINE_YEARS))),
                ("Option B", tuple(f"out_b_free_{k}" for k in range(_TIMELINE_YEARS))),
            ),
        ),
    ),
    summary=_SEPARATION_SUMMARY,
    maps=(("pretax_destination", _PRETAX_DESTINATION),),
)


def _prefix_options(template: Template) -> None:
    """Label option A and B rows 'A: ...' and 'B: ...' so they read alone (printouts, `xl-rollover calc`)."""
    groups = []
    for title, outs in template.outputs:
        renamed = []
        for out in outs:
            option = out.name[4:5].upper() if out.name.startswith(("out_a_", "out_b_")) else ""
            if isinstance(out, Output) and option and not out.label.startswith("Option"):
                out = replace(out, label=f"{option}: {out.label}")
            renamed.append(out)
        groups.append((title, tuple(renamed)))
    template.outputs = tuple(groups)


_prefix_options(SEPARATION)


# --- 2. In-service after-tax rollovers -------------------------------------------------------------------


def _sweep_taxable(per_year: int, v: dict[str, Any]) -> float:
    """Hand formula mirrored by the sheet: contributions spread evenly, half a sweep interval of growth."""
    per = Decimal(str(v["in_annual_after_tax"])) / per_year
    return _money(Decimal(str(_money(per * Decimal(str(v["in_return"])) / per_year / 2))) * per_year)


IN_SERVICE = Template(
    file="in_service_after_tax_rollovers.xlsx",
    title="A year of in-service rollovers of the after-tax sub-account",
    purpose=(
        "Plans that allow in-service withdrawals of after-tax money let a participant sweep the after-tax sub-account "
        "to a Roth IRA (or convert in plan) periodically. Each sweep moves the contributions since the last sweep and "
        "the earnings on them; the earnings are taxable. Sweeping more often leaves less time for earnings."
    ),
    how=(
        "Enter the year's after-tax contributions, the expected annual return and the sweep frequency.",
        "The sheet assumes contributions arrive evenly through each sweep interval, so they earn for half an interval "
        "on average before the sweep (simple interest): earnings per sweep = contributions per sweep × return ÷ sweeps ÷ 2.",
    ),
    not_covered=(
        "Market losses (a negative return), plan fees, the plan's own sweep schedule and trade dates.",
        "In-plan Roth conversion reporting (Form 1099-R code G vs. code 2, 7).",
        "Assumed: no required minimum distribution is due in the year (still working there and not a 5% owner, "
        "IRC §401(a)(9)(C)); the sweeps are your own account, after September 18, 2014.",
        "Not for these cases (ROTH_ROLLOVER_SPLIT refuses them when told): annuity payments (IRC §72(b), §72(d)); "
        "after-tax contributions made before 1987 (§72(e)(8)(D)); designated Roth money in a sweep (§402A(d)(4)).",
    ),
    inputs=(
        (
            "The year",
            (
                Input("in_year", "Tax year", 2026, "year"),
                Input(
                    "in_annual_after_tax",
                    "After-tax contributions this year",
                    30000,
                    "money",
                    "see the mega_backdoor_room template for the limit",
                ),
                Input("in_return", "Expected annual return", 0.07, "rate"),
                Input("in_sweeps", "Sweeps per year (12 monthly, 4 quarterly, 26 per paycheck)", 12, "count"),
            ),
        ),
    ),
    outputs=(
        (
            "One sweep",
            (
                Output(
                    "out_per_sweep",
                    "Contributions per sweep",
                    formula="ROUND({in_annual_after_tax}/{in_sweeps},2)",
                    py=lambda v: _money(Decimal(str(v["in_annual_after_tax"])) / Decimal(str(v["in_sweeps"]))),
                    why="the year's after-tax contributions ÷ sweeps",
                    cite="plan terms",
                ),
                Output(
                    "out_earn_per_sweep",
                    "Earnings swept each time",
                    formula="ROUND({in_annual_after_tax}/{in_sweeps}*{in_return}/{in_sweeps}/2,2)",
                    py=lambda v: _money(
                        Decimal(str(v["in_annual_after_tax"]))
                        / Decimal(str(v["in_sweeps"]))
                        * Decimal(str(v["in_return"]))
                        / Decimal(str(v["in_sweeps"]))
                        / 2
                    ),
                    why="half an interval of growth on the contributions, on average",
                    cite="assumption stated on the Instructions sheet",
                ),
                Output(
                    "out_sweep_amount",
                    "Each sweep's distribution",
                    formula="{out_per_sweep}+{out_earn_per_sweep}",
                    py=lambda v: _money(Decimal(str(v["out_per_sweep"])) + Decimal(str(v["out_earn_per_sweep"]))),
                    why="the whole after-tax sub-account: contributions + earnings",
                    cite="Notice 2014-54 (separate accounting)",
                ),
                Output(
                    "out_sweep_taxable",
                    "Taxable per sweep",
                    "ROTH_ROLLOVER_SPLIT",
                    _SWEEP,
                    "taxable",
                    why="the earnings in a full distribution of the sub-account are pretax; all goes to the Roth IRA",
                    cite="IRC §72(e)(8); §402(c)(2); §408A(d)(3)",
                ),
                Output(
                    "out_sweep_box5",
                    "1099-R box 5 per sweep",
                    "ROTH_ROLLOVER_SPLIT",
                    _SWEEP,
                    "form_1099r_1_box5_employee_contributions",
                    why="the after-tax contributions recovered",
                    cite="Form 1099-R instructions, box 5",
                ),
            ),
        ),
        (
            "The year",
            (
                Output(
                    "out_year_taxable",
                    "Taxable for the year",
                    formula="ROUND({out_sweep_taxable}*{in_sweeps},2)",
                    py=lambda v: _money(Decimal(str(v["out_sweep_taxable"])) * Decimal(str(v["in_sweeps"]))),
                    why="taxable per sweep × sweeps",
                    cite="IRC §72(e)(8), each sweep a separate distribution",
                ),
                *(
                    Output(
                        name,
                        label,
                        formula=f"ROUND(ROUND({{in_annual_after_tax}}/{n}*{{in_return}}/{n}/2,2)*{n},2)",
                        py=functools.partial(_sweep_taxable, n),
                        why=f"taxable total at {n} sweeps",
                        cite="same assumption",
                    )
                    for name, label, n in (
                        ("out_monthly", "Same year swept monthly (12)", 12),
                        ("out_quarterly", "Same year swept quarterly (4)", 4),
                        ("out_paycheck", "Same year swept per paycheck (26)", 26),
                    )
                ),
            ),
        ),
    ),
    sources=(
        ("IRC §72(e)(8)", "each distribution of the after-tax sub-account carries its own share of basis"),
        ("IRS Notice 2014-54", "after-tax amounts to a Roth IRA, pretax (the earnings) taxable when converted"),
        ("IRC §402(c)(2); §408A(d)(3)", "rollover of after-tax amounts; conversion of pretax amounts is taxable"),
    ),
    charts=(
        Chart(
            "Taxable earnings for the year by sweep frequency",
            ("quarterly", "monthly", "per paycheck"),
            (("taxable", ("out_quarterly", "out_monthly", "out_paycheck")),),
        ),
    ),
    summary=(
        Output(
            "out_sum_sentence",
            "In short",
            formula=(
                f'"Sweeping "&TEXT({{in_sweeps}},"0")&" times a year makes "&{_t("out_year_taxable")}&'
                f'" of earnings taxable in "&{_y("in_year")}&"; quarterly sweeps would make "&{_t("out_quarterly")}&'
                f'" taxable, sweeps every paycheck "&{_t("out_paycheck")}&"."'
            ),
            py=lambda v: (
                f"Sweeping {_ty(v, 'in_sweeps')} times a year makes {_tm(v, 'out_year_taxable')} of earnings taxable "
                f"in {_ty(v, 'in_year')}; quarterly sweeps would make {_tm(v, 'out_quarterly')} taxable, sweeps every "
                f"paycheck {_tm(v, 'out_paycheck')}."
            ),
            fmt="text",
        ),
        _same(
            "out_sum_year_taxable",
            "Taxable earnings this year",
            "out_year_taxable",
            "taxable per sweep × sweeps",
            "IRC §72(e)(8); §408A(d)(3)",
        ),
        _same(
            "out_sum_quarterly",
            "The same year swept quarterly",
            "out_quarterly",
            "fewer sweeps leave more time for taxable earnings",
            "IRC §72(e)(8); §408A(d)(3)",
        ),
    ),
)


# --- 3. Backdoor Roth and the pro-rata rule ---------------------------------------------------------------

_8606_LINES = (
    ("1", "Line 1: nondeductible contributions for the year"),
    ("2", "Line 2: basis carried from last year"),
    ("3", "Line 3: total basis"),
    ("4", "Line 4: contributions made next year for this year"),
    ("5", "Line 5: basis less line 4"),
    ("6", "Line 6: IRA value at Dec 31 (+ outstanding rollovers)"),
    ("7", "Line 7: other distributions"),
    ("8", "Line 8: converted to Roth"),
    ("9", "Line 9: lines 6 + 7 + 8"),
    ("10", "Line 10: nontaxable ratio"),
    ("11", "Line 11: nontaxable part of the conversion"),
    ("12", "Line 12: nontaxable part of other distributions"),
    ("13", "Line 13: total nontaxable"),
    ("14", "Line 14: basis carried to next year"),
    ("15a", "Line 15a: taxable distributions"),
    ("15b", "Line 15b: qualified disaster part (not modelled)"),
    ("15c", "Line 15c: taxable distributions"),
    ("16", "Line 16: amount converted (Part II)"),
    ("17", "Line 17: basis in the conversion"),
    ("18", "Line 18: taxable conversion"),
)


_8606_WHY = {
    "1": "nondeductible traditional IRA contributions made for the year",
    "2": "total basis from last year's Form 8606 line 14",
    "3": "line 1 + line 2",
    "4": "contributions for this year made between Jan 1 and the due date (none here)",
    "5": "line 3 - line 4",
    "6": "Dec 31 value of every traditional, SEP and SIMPLE IRA, plus outstanding rollovers",
    "7": "distributions not converted and not rolled over",
    "8": "net amount converted to Roth IRAs",
    "9": "line 6 + line 7 + line 8",
    "10": "line 5 / line 9, rounded half-up to 3 places, at most 1.000",
    "11": "line 8 x line 10",
    "12": "line 7 x line 10",
    "13": "line 11 + line 12",
    "14": "line 3 - line 13: basis carried to next year",
    "15a": "line 7 - line 12",
    "15b": "qualified disaster distributions (Form 8915-F): not modelled, 0",
    "15c": "line 15a - line 15b: to Form 1040 line 4b",
    "16": "the amount converted (Part II)",
    "17": "basis in the conversion: line 11",
    "18": "line 16 - line 17: to Form 1040 line 4b",
}


def _8606(prefix: str, yev: str) -> tuple[Output, ...]:
    args = ("in_nondeductible", "in_prior_basis", yev, "in_distributions", "in_converted")
    return tuple(
        Output(
            f"out_{prefix}_l{line}",
            label,
            "FORM_8606",
            args,
            f"lines_{line}",
            fmt="ratio" if line == "10" else "money",
            why=_8606_WHY[line],
            cite=f"Form 8606 line {line}; IRC §408(d)(2)",
        )
        for line, label in _8606_LINES
    )


#: Years of the backdoor template's look ahead (this year and the next four).
_BACKDOOR_YEARS = 5


def _column_total(name: str, v: dict[str, Any]) -> float:
    return _money(sum(Decimal(str(row[0])) for row in v[name]))


def _backdoor_years(key: str, yev: str, first_taxable: str, first_basis: str) -> Grid:
    """This year as entered, then the same nondeductible contribution converted in full each later year with the
    IRA balance of Dec 31 unchanged (no growth assumed): Form 8606 line 18 and the basis carried (line 14)."""
    rows: list[tuple[Output | None, ...]] = [
        (
            Output(f"out_{key}_year_0", "", formula="{in_year}", py=lambda v: v["in_year"], fmt="number"),
            Output(f"out_{key}_taxable_0", "", formula=f"{{{first_taxable}}}", py=lambda v: v[first_taxable]),
            Output(f"out_{key}_basis_0", "", formula=f"{{{first_basis}}}", py=lambda v: v[first_basis]),
            None,
        )
    ]
    for k in range(1, _BACKDOOR_YEARS):
        args = ("in_nondeductible", f"out_{key}_basis_{k - 1}", yev, None, "in_nondeductible")
        rows.append(
            (
                Output(f"out_{key}_year_{k}", "", formula=f"{{in_year}}+{k}", py=_plus("in_year", k), fmt="number"),
                Output(f"out_{key}_taxable_{k}", "", "FORM_8606", args, "lines_18"),
                Output(f"out_{key}_basis_{k}", "", "FORM_8606", args, "lines_14"),
                None,
            )
        )
    return Grid(
        f"out_{key}_years",
        ("year", "taxable conversion (line 18)", "basis carried forward (line 14)", ""),
        tuple(rows),
        ranges=((f"out_{key}_taxable", 1, 1),),
    )


BACKDOOR = Template(
    file="backdoor_roth_prorata.xlsx",
    title="Backdoor Roth: Form 8606 Parts I and II, and the roll-in what-if",
    purpose=(
        "A nondeductible traditional IRA contribution converted to a Roth IRA is tax-free only if the client has no other "
        "pretax IRA money at December 31: the pro-rata rule spreads the basis over every traditional, SEP and SIMPLE IRA. "
        "Rolling pretax IRA money into an employer plan that accepts it before December 31 takes it out of the ratio."
    ),
    how=(
        "Enter the year's nondeductible contribution, the basis from last year's Form 8606 line 14, the conversion, other "
        "distributions, and the value of all traditional, SEP and SIMPLE IRAs at December 31 (after the conversion).",
        "Enter the pretax IRA money that could roll into the 401(k) before December 31 to see the what-if.",
    ),
    not_covered=(
        "Recharacterizations, inherited IRAs, Form 8606 Part III (see roth_ira_withdrawal), disaster distributions (15b).",
    ),
    inputs=(
        (
            "Form 8606 inputs",
            (
                Input("in_year", "Tax year", 2026, "year"),
                Input("in_nondeductible", "Nondeductible contribution for the year (line 1)", 7500, "money"),
                Input("in_prior_basis", "Basis from last year's line 14 (line 2)", 0, "money"),
                Input("in_converted", "Converted to Roth this year (line 8)", 7500, "money"),
                Input("in_distributions", "Other distributions, not rolled over (line 7)", 0, "money"),
                Input(
                    "in_yev",
                    "All traditional, SEP, SIMPLE IRAs at Dec 31 (line 6)",
                    42000,
                    "money",
                    "e.g. an old rollover IRA",
                ),
            ),
        ),
        (
            "What-if",
            (
                Input(
                    "in_roll_in",
                    "Pretax IRA money rolled into the 401(k) before Dec 31",
                    42000,
                    "money",
                    "only pretax money can go; basis cannot (IRC §408(d)(3)(A)(ii))",
                ),
                Input(
                    "in_roll_in_part",
                    "Or only part of it rolled into the 401(k) before Dec 31",
                    21000,
                    "money",
                    "a third choice, e.g. what the plan accepts",
                ),
            ),
        ),
    ),
    outputs=(
        ("As things stand", _8606("now", "in_yev")),
        (
            "After rolling pretax IRA money into the 401(k)",
            (
                Output(
                    "out_yev_after",
                    "Line 6 after the roll-in",
                    formula="MAX(0,{in_yev}-{in_roll_in})",
                    py=lambda v: _money(max(0.0, _num(v["in_yev"]) - _num(v["in_roll_in"]))),
                    why="the rolled money is no longer in an IRA at Dec 31",
                    cite="IRC §408(d)(2); §408(d)(3)(A)(ii)",
                ),
                Output(
                    "out_after_l10",
                    "Line 10 after",
                    "FORM_8606",
                    _AFTER_ROLL_IN,
                    "lines_10",
                    fmt="ratio",
                    why="line 5 ÷ line 9",
                    cite="Form 8606 line 10",
                ),
                Output(
                    "out_after_l18",
                    "Line 18 after: taxable conversion",
                    "FORM_8606",
                    _AFTER_ROLL_IN,
                    "lines_18",
                    why="conversion less its nontaxable part",
                    cite="Form 8606 line 18",
                ),
                Output(
                    "out_saved",
                    "Taxable income avoided by the roll-in",
                    formula="{out_now_l18}-{out_after_l18}",
                    py=lambda v: _money(Decimal(str(v["out_now_l18"])) - Decimal(str(v["out_after_l18"]))),
                    why="line 18 now less line 18 after",
                    cite="Form 8606 line 18",
                ),
                Output(
                    "out_after_l14",
                    "Line 14 after: basis carried to next year",
                    "FORM_8606",
                    _AFTER_ROLL_IN,
                    "lines_14",
                    why="basis not used by this year's conversion",
                    cite="Form 8606 line 14",
                ),
            ),
        ),
        (
            "After rolling only part of it into the 401(k)",
            (
                Output(
                    "out_yev_part",
                    "Line 6 after the partial roll-in",
                    formula="MAX(0,{in_yev}-{in_roll_in_part})",
                    py=lambda v: _money(max(0.0, _num(v["in_yev"]) - _num(v["in_roll_in_part"]))),
                    why="the rolled part is no longer in an IRA at Dec 31",
                    cite="IRC §408(d)(2); §408(d)(3)(A)(ii)",
                ),
                Output(
                    "out_part_l18",
                    "Line 18 after the partial roll-in: taxable conversion",
                    "FORM_8606",
                    _AFTER_PART,
                    "lines_18",
                    why="conversion less its nontaxable part",
                    cite="Form 8606 line 18",
                ),
                Output(
                    "out_part_l14",
                    "Line 14 after the partial roll-in: basis carried to next year",
                    "FORM_8606",
                    _AFTER_PART,
                    "lines_14",
                    why="basis not used by this year's conversion",
                    cite="Form 8606 line 14",
                ),
            ),
        ),
        (
            "The years ahead if the pretax money stays in the IRA (the same backdoor each year, balances unchanged)",
            (_backdoor_years("kept", "in_yev", "out_now_l18", "out_now_l14"),),
        ),
        (
            "The years ahead after rolling it into the 401(k) (the same backdoor each year)",
            (_backdoor_years("rolled", "out_yev_after", "out_after_l18", "out_after_l14"),),
        ),
        (
            "The years ahead after rolling only part of it into the 401(k) (the same backdoor each year)",
            (_backdoor_years("part", "out_yev_part", "out_part_l18", "out_part_l14"),),
        ),
        (
            f"{_BACKDOOR_YEARS} years of backdoor conversions",
            (
                *(
                    Output(
                        f"out_{key}_total",
                        label,
                        formula=f"SUM({{out_{key}_taxable}})",
                        py=functools.partial(_column_total, f"out_{key}_taxable"),
                        why="the taxable conversions of the years above (the same amount is basis carried forward)",
                        cite="Form 8606 line 18",
                    )
                    for key, label in (
                        ("kept", "Taxable if the pretax money stays in the IRA"),
                        ("rolled", "Taxable after rolling it into the 401(k)"),
                        ("part", "Taxable after rolling only part of it into the 401(k)"),
                    )
                ),
                Output(
                    "out_years_saved",
                    "Taxable income the roll-in avoids over these years",
                    formula="{out_kept_total}-{out_rolled_total}",
                    py=lambda v: _money(Decimal(str(v["out_kept_total"])) - Decimal(str(v["out_rolled_total"]))),
                    why="kept less rolled",
                    cite="IRC §408(d)(2); Form 8606 line 18",
                ),
            ),
        ),
    ),
    sources=(
        ("IRC §408(d)(2)", "all IRAs are one contract; values at the end of the year; distributions aggregated"),
        ("IRC §72(e)", "basis recovered pro rata"),
        ("Form 8606 instructions (lines 1-18)", "the line-by-line computation; line 10 rounded to at least 3 places"),
        ("IRC §408(d)(3)(A)(ii)", "only pretax amounts may roll from an IRA to an employer plan"),
    ),
    charts=(
        Chart(
            "Taxable conversion",
            ("as things stand", "after the roll-in", "after the partial roll-in"),
            (("line 18", ("out_now_l18", "out_after_l18", "out_part_l18")),),
        ),
    ),
    summary=(
        Output(
            "out_sum_sentence",
            "In short",
            formula=(
                f'"As things stand "&{_t("out_now_l18")}&" of the "&{_t("in_converted")}&" conversion is taxable '
                f'(Form 8606 line 18); rolling "&{_t("in_roll_in")}&" of pretax IRA money into the 401(k) before '
                f'December 31 makes it "&{_t("out_after_l18")}&", rolling only "&{_t("in_roll_in_part")}&" makes it "&'
                f'{_t("out_part_l18")}&"."'
            ),
            py=lambda v: (
                f"As things stand {_tm(v, 'out_now_l18')} of the {_tm(v, 'in_converted')} conversion is taxable "
                f"(Form 8606 line 18); rolling {_tm(v, 'in_roll_in')} of pretax IRA money into the 401(k) before "
                f"December 31 makes it {_tm(v, 'out_after_l18')}, rolling only {_tm(v, 'in_roll_in_part')} makes it "
                f"{_tm(v, 'out_part_l18')}."
            ),
            fmt="text",
        ),
        _same(
            "out_sum_now", "Taxable conversion as things stand", "out_now_l18", "Form 8606 line 18", "Form 8606 line 18"
        ),
        _same(
            "out_sum_after",
            "Taxable conversion after the roll-in",
            "out_after_l18",
            "the rolled money leaves the December 31 value (line 6)",
            "IRC §408(d)(2); Form 8606 line 18",
        ),
        _same(
            "out_sum_saved",
            "Taxable income avoided",
            "out_saved",
            "line 18 now less line 18 after",
            "Form 8606 line 18",
        ),
        _same(
            "out_sum_years_saved",
            f"Taxable income the roll-in avoids over {_BACKDOOR_YEARS} years of backdoors",
            "out_years_saved",
            "the same backdoor each year, IRA balances unchanged",
            "IRC §408(d)(2); Form 8606 line 18",
        ),
    ),
)


# --- 4. Early withdrawal and §72(t) ----------------------------------------------------------------------


def _codes(account: str) -> tuple[str, ...]:
    """The exceptions open to ``account``, in words (the drop-down after the account type is chosen)."""
    return (NO_EXCEPTION, *(_exception_words(e) for e in EXCEPTIONS if e.number and e.applies_to(account)))


EARLY = Template(
    file="early_withdrawal.xlsx",
    title="Early withdrawal: the 10% additional tax and its exceptions (Form 5329 Part I)",
    purpose=(
        "A distribution before age 59½ owes an additional 10% tax on its taxable part unless an exception applies; "
        "SIMPLE IRA money taken in the first two years of participation owes 25%."
    ),
    how=(
        "Choose the account type first: the exception drop-down then lists only the Form 5329 codes valid for it.",
        "Give the birth date and the distribution date: age 59½ is then exact to the day.",
        "For exceptions limited to expenses or a dollar cap, enter the amount it covers.",
    ),
    not_covered=(
        "Exception 99 (several exceptions at once: split the distribution), 16 (annuity contracts, the part "
        "allocable to investment before August 14, 1982: not these account types), qualified disaster recovery "
        "distributions (Form 8915-F), state penalties, Roth IRA ordering (see roth_ira_withdrawal).",
    ),
    inputs=(
        (
            "The distribution",
            (
                Input("in_taxable", "Taxable amount (Form 5329 line 1)", 20000, "money"),
                choice("in_account", "Account type", "account", ACCOUNT_WORDS["IRA"], "the exceptions depend on it"),
                Table(
                    "age",
                    "Age: birth date and distribution date (59½ is checked to the day)",
                    ("birth date", "distribution date"),
                    ((dt.date(1978, 3, 14), dt.date(2026, 5, 1)),),
                    height=1,
                    kinds=("date", "date"),
                ),
                Input("in_year", "Tax year", 2026, "year"),
            ),
        ),
        (
            "Exception",
            (
                Input(
                    "in_exception",
                    "Exception (Form 5329 line 2)",
                    _exception_words(next(e for e in EXCEPTIONS if e.number == "08")),
                    "list",
                    "only the exceptions open to the account type are listed",
                    list_source='=INDIRECT("codes_"&out_account)',
                ),
                Input(
                    "in_exception_amount",
                    "Amount the exception covers",
                    12500,
                    "money",
                    "expenses or the capped amount; blank = all of it",
                ),
                choice("in_simple_2yr", "SIMPLE IRA within 2 years of first participation", "yes_no", "No"),
            ),
        ),
    ),
    outputs=(
        (
            "Form 5329 Part I",
            (
                lookup("out_account", "Account type code", "in_account", _ACCOUNTS, "account"),
                lookup("out_exception_code", "Exception number", "in_exception", _EXCEPTIONS, "exception"),
                lookup("out_simple_2yr", "SIMPLE IRA in its first two years", "in_simple_2yr", _YES_NO, "yes_no"),
                Output(
                    "out_exception",
                    "Exception applied",
                    formula='IF({out_exception_code}="none","",{out_exception_code})',
                    py=lambda v: "" if v["out_exception_code"] == "none" else v["out_exception_code"],
                    fmt="text",
                    why="blank when none",
                    cite="Form 5329 line 2",
                ),
                Output(
                    "out_l1",
                    "Line 1: early distributions in income",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_1",
                    why="taxable part of the early distribution",
                    cite="Form 5329 line 1",
                ),
                Output(
                    "out_l2",
                    "Line 2: not subject to the additional tax",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_2",
                    why="the part the exception covers (within its cap)",
                    cite="Form 5329 line 2; IRC §72(t)(2)",
                ),
                Output(
                    "out_l3",
                    "Line 3: subject to the additional tax",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_3",
                    why="line 1 less line 2",
                    cite="Form 5329 line 3",
                ),
                Output(
                    "out_l4",
                    "Line 4: additional tax",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_4",
                    why="10% of line 3 (25% for SIMPLE within 2 years)",
                    cite="IRC §72(t)(1), (6); Form 5329 line 4",
                ),
            ),
        ),
        (
            "If it were SIMPLE IRA money in the first two years",
            (
                Output(
                    "out_simple",
                    "Additional tax at 25%",
                    "EARLY_PENALTY",
                    ("in_taxable", "tbl_age", "SIMPLE_IRA", None, None, "in_year", None, True),
                    why="no exception, 25% rate",
                    cite="IRC §72(t)(6)",
                ),
            ),
        ),
    ),
    sources=(
        ("IRC §72(t)(1)", "10% additional tax on early distributions' taxable part"),
        (
            "IRC §72(t)(2)",
            "the exceptions (age 59½, death, disability, SEPP, medical, education, first home, birth/adoption, ...)",
        ),
        ("IRC §72(t)(6)", "25% for SIMPLE IRA distributions in the first two years"),
        ("Form 5329 instructions, line 2", "exception numbers 01-23"),
    ),
    lists=tuple((f"codes_{a}", _codes(a)) for a in ACCOUNT_TYPES),
    maps=(("account", _ACCOUNTS), ("exception", _EXCEPTIONS), ("yes_no", _YES_NO)),
    summary=(
        Output(
            "out_sum_sentence",
            "In short",
            formula=(
                f'"The additional tax is "&{_t("out_l4")}&" on "&{_t("out_l1")}&" of early distributions"&'
                f'IF({{out_l2}}>0,"; the exception covers "&{_t("out_l2")},"; no exception applies")&"."'
            ),
            py=lambda v: (
                f"The additional tax is {_tm(v, 'out_l4')} on {_tm(v, 'out_l1')} of early distributions"
                + (f"; the exception covers {_tm(v, 'out_l2')}" if _num(v["out_l2"]) > 0 else "; no exception applies")
                + "."
            ),
            fmt="text",
        ),
        _same(
            "out_sum_l4",
            "Additional tax (Form 5329 line 4)",
            "out_l4",
            "10% of line 3",
            "IRC §72(t)(1); Form 5329 line 4",
        ),
        _same(
            "out_sum_l2",
            "Not subject to it (line 2)",
            "out_l2",
            "the part the exception covers",
            "IRC §72(t)(2); Form 5329 line 2",
        ),
    ),
)


def _clock(row: int) -> Callable[[dict[str, Any]], Any]:
    """End of the 5-year period of the conversion in table row ``row`` (blank row: blank)."""

    def end(v: dict[str, Any]) -> Any:
        year = v["tbl_conversions"][row - 1][0]
        return "" if year in (None, "") else dt.date(int(year) + 4, 12, 31)

    return end


# --- 5. Roth IRA withdrawals -----------------------------------------------------------------------------

ROTH = Template(
    file="roth_ira_withdrawal.xlsx",
    title="Roth IRA withdrawals: ordering layers, both five-year clocks and a withdrawal plan",
    purpose=(
        "Roth IRA money comes out in a fixed order: regular contributions, then conversions and rollovers oldest first "
        "(taxable part, then nontaxable part), then earnings. Each conversion's taxable part owes the 10% tax if taken "
        "within five years of its year (unless 59½ or an exception), and earnings are tax-free only once the account is "
        "five years old and the owner 59½, disabled or deceased."
    ),
    how=(
        "Enter the regular contributions ever made (less any taken out), each year's conversions or after-tax rollovers "
        "with their taxable and nontaxable parts, the first year any Roth IRA was funded, and the planned withdrawal.",
    ),
    not_covered=(
        "Earnings are not known to the sheet: the plan shows the basis that is free of tax and penalty; "
        "designated Roth 401(k) rollovers and inherited Roth IRAs.",
    ),
    inputs=(
        (
            "Roth IRA history",
            (
                Input("in_regular", "Regular contributions ever made, less taken out", 14000, "money"),
                Table(
                    "conversions",
                    "Conversions and rollovers in (year, taxable part, nontaxable part)",
                    ("year", "taxable part", "nontaxable part"),
                    ((2024, 7500, 0), (2025, 1850, 40000), (2026, 0, 7500)),
                    height=6,
                    kinds=("year", "money", "money"),
                ),
                Input(
                    "in_first_year",
                    "First year any Roth IRA was funded",
                    2019,
                    "year",
                    "starts the 5-year clock for earnings",
                ),
            ),
        ),
        (
            "Planned withdrawal",
            (
                Input("in_amount", "Amount to withdraw", 20000, "money"),
                Input("in_year", "Year of the withdrawal", 2027, "year"),
                Input("in_age", "Age at the withdrawal", 46, "age"),
            ),
        ),
    ),
    outputs=(
        (
            "The planned withdrawal",
            (
                Output(
                    "out_taxable",
                    "Taxable",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "taxable",
                    why="only earnings are taxable, and only in a nonqualified distribution",
                    cite="IRC §408A(d)(4); Reg. §1.408A-6 A-8",
                ),
                Output(
                    "out_penalty_base",
                    "Subject to the 10% tax (after age 59½ and exceptions)",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "penalized_amount",
                    why="taxable earnings plus conversion taxable parts inside their 5 years, less what age 59½ or an "
                    "exception removes",
                    cite="IRC §408A(d)(3)(F); §72(t)",
                ),
                Output(
                    "out_penalty",
                    "10% additional tax",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "penalty",
                    why="10% of the amount subject to it (age 59½ exempts)",
                    cite="IRC §72(t)(1)",
                ),
                Output(
                    "out_qualified_from",
                    "Five-year period for earnings met from",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "qualified_from",
                    fmt="date",
                    why="Jan 1 of the 6th year after the first funded year; earnings are then tax-free once also 59½, disabled or deceased",
                    cite="IRC §408A(d)(2)(B)",
                ),
                Output(
                    "out_regular_left",
                    "Regular contributions left after it",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "layers_left_regular_contributions",
                    why="the first layer, reduced by what came out",
                    cite="Reg. §1.408A-6 A-8",
                ),
                Output(
                    "out_l22",
                    "Form 8606 line 22: basis in regular contributions",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "lines_22",
                    why="regular contributions come out first",
                    cite="Form 8606 line 22",
                ),
                Output(
                    "out_l24",
                    "Form 8606 line 24: basis in conversions",
                    "ROTH_IRA_DISTRIBUTION",
                    _WITHDRAWAL,
                    "lines_24",
                    why="conversions next, oldest first",
                    cite="Form 8606 line 24",
                ),
            ),
        ),
        (
            "Five-year periods of the conversion layers (10% tax on the taxable part until they end)",
            tuple(
                Output(
                    f"out_clock_{r}",
                    f"Conversion row {r}: period ends",
                    formula=f'IF(INDEX(tbl_conversions,{r},1)="","",DATE(INDEX(tbl_conversions,{r},1)+4,12,31))',
                    py=_clock(r),
                    fmt="date",
                    why="the conversion year and the next four tax years",
                    cite="IRC §408A(d)(3)(F); Reg. §1.408A-6 A-5(c)",
                )
                for r in (1, 2, 3)
            ),
        ),
        (
            "The years ahead: basis free of tax and the 10% tax, by calendar year (nothing taken before)",
            (
                Grid(
                    "out_plan",
                    ("year", "age that year", "free of tax and the 10% tax"),
                    tuple(
                        (
                            Output(
                                f"out_plan_year_{k}",
                                "",
                                formula=f"{{in_year}}+{k}",
                                py=_plus("in_year", k),
                                fmt="number",
                            ),
                            Output(
                                f"out_plan_age_{k}",
                                "",
                                formula=f"{{in_age}}+{k}",
                                py=_plus("in_age", k),
                                fmt="number",
                            ),
                            Output(
                                f"out_free_{k}",
                                "",
                                "ROTH_PENALTY_FREE",
                                ("in_regular", "tbl_conversions", f"out_plan_year_{k}", f"out_plan_age_{k}"),
                                why="contributions, then conversions until a taxable part still inside its 5 years",
                                cite="Reg. §1.408A-6 A-5, A-8",
                            ),
                        )
                        for k in range(5)
                    ),
                ),
            ),
        ),
    ),
    sources=(
        ("IRC §408A(d)(4)", "ordering: regular contributions, conversions oldest first (taxable part first), earnings"),
        ("IRC §408A(d)(3)(F)", "10% tax on a conversion's taxable part taken within 5 years"),
        ("IRC §408A(d)(2)", "qualified distributions: 5-year period and 59½, disability, death or first home"),
        (
            "Reg. §1.408A-6 Q&A 5, 8, 9",
            "the five-year periods and the ordering rules; conversions in one year are one layer",
        ),
        ("Form 8606 Part III (lines 19-25)", "reporting a nonqualified Roth IRA distribution"),
    ),
    charts=(
        Chart(
            "Basis available free of tax and penalty",
            tuple(f"out_plan_year_{k}" for k in range(5)),
            (("free", tuple(f"out_free_{k}" for k in range(5))),),
        ),
    ),
    summary=(
        Output(
            "out_sum_sentence",
            "In short",
            formula=(
                f'"Withdrawing "&{_t("in_amount")}&" in "&{_y("in_year")}&" makes "&{_t("out_taxable")}&'
                f'" taxable and costs "&{_t("out_penalty")}&" of 10% tax; "&{_t("out_free_0")}&'
                f'" could come out free of both that year, "&{_t("out_free_4")}&" in "&{_y("in_year", 4)}&"."'
            ),
            py=lambda v: (
                f"Withdrawing {_tm(v, 'in_amount')} in {_ty(v, 'in_year')} makes {_tm(v, 'out_taxable')} taxable and "
                f"costs {_tm(v, 'out_penalty')} of 10% tax; {_tm(v, 'out_free_0')} could come out free of both that "
                f"year, {_tm(v, 'out_free_4')} in {_ty(v, 'in_year', 4)}."
            ),
            fmt="text",
        ),
        _same(
            "out_sum_penalty",
            "10% additional tax on the withdrawal",
            "out_penalty",
            "10% of the amount subject to it",
            "IRC §72(t)(1); §408A(d)(3)(F)",
        ),
        _same(
            "out_sum_free_0",
            "Free of tax and the 10% tax in the withdrawal year",
            "out_free_0",
            "contributions, then conversions until a taxable part still inside its 5 years",
            "Reg. §1.408A-6 A-5, A-8",
        ),
        _same(
            "out_sum_free_4",
            "Free of tax and the 10% tax four years later",
            "out_free_4",
            "as the five-year periods end",
            "IRC §408A(d)(3)(F); Reg. §1.408A-6 A-5(c)",
        ),
    ),
)


# --- 6. Mega backdoor room -------------------------------------------------------------------------------


def _per_paycheck(v: dict[str, Any]) -> float:
    n = _num(v["in_paychecks"])
    room = Decimal(str(v["out_room"]))
    return float((room / Decimal(str(n))).quantize(Decimal("0.01"), rounding=ROUND_DOWN)) if n else 0.0


ROOM = Template(
    file="mega_backdoor_room.xlsx",
    title="Mega backdoor room: after-tax contributions left under the annual additions limit",
    purpose=(
        "Employee deferrals, employer contributions and after-tax contributions together may not exceed the §415(c) "
        "annual additions limit (or 100% of compensation); catch-up contributions do not count. What is left is the "
        "room for after-tax contributions, the first step of a mega backdoor Roth."
    ),
    how=(
        "Enter the year, the client's age at December 31, compensation, the year's deferrals and employer contributions "
        "(expected totals), after-tax contributions already made and the paychecks left.",
    ),
    not_covered=(
        "Plan-specific after-tax limits and ACP testing (highly compensated employees may be capped lower), "
        "multiple plans of one employer (limits are per employer), the 415(c) catch-up interplay beyond §402(g).",
    ),
    inputs=(
        (
            "The year",
            (
                Input("in_year", "Plan (limitation) year", 2026, "year"),
                Input("in_age", "Age at December 31", 52, "age", "50+: catch-up; 60-63: the larger catch-up"),
                Input("in_comp", "Compensation", 185000, "money", "415(c) caps additions at 100% of it"),
            ),
        ),
        (
            "Contributions",
            (
                Input("in_deferrals", "Employee deferrals (pretax + Roth)", 32500, "money", "including catch-up"),
                Input("in_employer", "Employer contributions (match, profit sharing)", 9250, "money"),
                Input("in_after_tax", "After-tax contributions already made", 6000, "money"),
                Input("in_paychecks", "Paychecks left this year", 14, "count"),
            ),
        ),
    ),
    outputs=(
        (
            "Room",
            (
                Output(
                    "out_limit",
                    "Annual additions limit",
                    "MEGA_BACKDOOR_ROOM",
                    _ROOM,
                    "annual_additions_limit",
                    why="the year's §415(c)(1)(A) dollar limit",
                    cite="IRC §415(c)(1)(A); IRS notice for the year",
                ),
                Output(
                    "out_catch_up",
                    "Catch-up not counted",
                    "MEGA_BACKDOOR_ROOM",
                    _ROOM,
                    "catch_up",
                    why="deferrals above the §402(g) limit, up to the catch-up limit for the age",
                    cite="IRC §414(v)(3)(A)",
                ),
                Output(
                    "out_room",
                    "After-tax room left",
                    "MEGA_BACKDOOR_ROOM",
                    _ROOM,
                    "room",
                    why="limit (or compensation) less deferrals counted, employer money and after-tax so far",
                    cite="IRC §415(c)(1)",
                ),
                Output(
                    "out_per_paycheck",
                    "Per paycheck (rounded down)",
                    formula="IF({in_paychecks}>0,ROUNDDOWN({out_room}/{in_paychecks},2),0)",
                    py=_per_paycheck,
                    why="room ÷ paychecks left, rounded down so the limit is not exceeded",
                    cite="arithmetic",
                ),
                Output(
                    "out_402g",
                    "Elective deferral limit for reference",
                    "IRS_LIMIT",
                    ("elective_deferral_limit_402g", "in_year"),
                    "value",
                    why="§402(g) limit of the year",
                    cite="IRC §402(g)(1)(B); the year's IRS cost-of-living notice",
                ),
            ),
        ),
    ),
    sources=(
        ("IRC §415(c)(1)", "annual additions: the lesser of the dollar limit and 100% of compensation"),
        ("IRC §414(v)(3)(A)", "catch-up contributions are not annual additions"),
        ("IRC §402(g)", "the elective deferral limit above which deferrals are catch-up"),
        (
            "IRS annual limits notices",
            "the year's dollar limits (Notice 2025-67 for 2026; each year's own notice before)",
        ),
    ),
    summary=(
        Output(
            "out_sum_sentence",
            "In short",
            formula=(
                f'"In "&{_y("in_year")}&", "&{_t("out_room")}&" of after-tax contributions still fit under the annual '
                f'additions limit: "&{_t("out_per_paycheck")}&" a paycheck over "&TEXT({{in_paychecks}},"0")&" paychecks."'
            ),
            py=lambda v: (
                f"In {_ty(v, 'in_year')}, {_tm(v, 'out_room')} of after-tax contributions still fit under the annual "
                f"additions limit: {_tm(v, 'out_per_paycheck')} a paycheck over {_ty(v, 'in_paychecks')} paychecks."
            ),
            fmt="text",
        ),
        _same(
            "out_sum_room",
            "After-tax room left",
            "out_room",
            "limit less deferrals counted, employer and after-tax money",
            "IRC §415(c)(1)",
        ),
        _same(
            "out_sum_per_paycheck",
            "Per paycheck (rounded down)",
            "out_per_paycheck",
            "room ÷ paychecks left",
            "IRC §415(c)(1)",
        ),
    ),
)


TEMPLATES: tuple[Template, ...] = (SEPARATION, IN_SERVICE, BACKDOOR, EARLY, ROTH, ROOM)


def _serial(day: dt.date) -> float:
    return float(serial(day))


#: Three more clients per template (beyond the example), used by the tests to recalculate each template.
VARIANTS: dict[str, tuple[dict[str, Any], ...]] = {
    SEPARATION.file: (
        {
            "in_pretax": 180000,
            "in_basis": 25000,
            "in_earnings": 4100.55,
            "in_pretax_to": _PRETAX_DESTINATION[1][0],
            "in_other_ira": 15000,
        },
        {"in_pretax": 95000.10, "in_basis": 60000, "in_earnings": 0, "in_backdoor": 8600, "in_rate": 0.32},
        {"in_age": 61, "in_pretax_to": _PRETAX_DESTINATION[0][0], "in_earnings": 12345.67},
        {"in_age": 72, "in_rmd": 4000},
        {"in_age": 75, "in_rmd": 9500, "in_pretax": 100000, "in_pretax_to": _PRETAX_DESTINATION[0][0]},
    ),
    IN_SERVICE.file: (
        {"in_sweeps": 4},
        {"in_sweeps": 26, "in_annual_after_tax": 41000},
        {"in_return": 0.035, "in_annual_after_tax": 12345.67},
    ),
    BACKDOOR.file: (
        {"in_roll_in": 0},
        {"in_yev": 120000, "in_roll_in": 60000, "in_prior_basis": 6500, "in_roll_in_part": 90000},
        {"in_distributions": 5000, "in_converted": 15000, "in_nondeductible": 7000, "in_yev": 8000},
    ),
    EARLY.file: (
        {"in_exception": NO_EXCEPTION},
        {"in_account": ACCOUNT_WORDS["SIMPLE_IRA"], "in_simple_2yr": "Yes", "in_exception": NO_EXCEPTION},
        {
            "in_exception": _exception_words(next(e for e in EXCEPTIONS if e.number == "05")),
            "in_exception_amount": 3000,
            "tbl_age": [[_serial(dt.date(1966, 8, 15)), _serial(dt.date(2026, 2, 14))]],
        },
    ),
    ROTH.file: (
        {"in_amount": 60000},
        {"in_year": 2031, "in_age": 50},
        {
            "in_regular": 0,
            "in_amount": 12000,
            "tbl_conversions": [[2020.0, 10000.0, 0.0], [2023.0, 5000.0, 5000.0]] + [[None, None, None]] * 4,
        },
    ),
    ROOM.file: (
        {"in_age": 45, "in_deferrals": 24500},
        {"in_comp": 50000},
        {"in_paychecks": 0, "in_after_tax": 20000},
    ),
}
