"""Template 1, the mega backdoor at separation: where the after-tax and pre-tax money goes (Notice 2014-54). Example clients are fictional."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xl_rollover.core.rules import five_year

from ..model import Chart, Grid, Input, Output, Template, choice, lookup
from .common import (
    _PRETAX_DESTINATION,
    _SPLIT_A,
    _SPLIT_B,
    _SPLIT_C,
    _SPLIT_RMD,
    _money,
    _num,
    _plus,
    _same,
    _t,
    _tm,
    _ty,
    _y,
    difference,
)

# --- 1. Mega backdoor at separation ----------------------------------------------------------------------

#: Years after a conversion's year still inside its recapture period (IRC §408A(d)(3)(F); a limits row).
_RECAPTURE_LAST = five_year.last_year(0, five_year.RECAPTURE)
#: Years of the penalty-free withdrawal timeline after the distribution year (the demo's 2026-2031).
_TIMELINE_YEARS = 6


def _layers(option: str, split: tuple[Any, ...]) -> Grid:
    """What the option leaves in the Roth IRA: the rollover layer and next year's backdoor conversion layer."""
    o = option.lower()

    def clock(year: str, taxable: str) -> Output:
        return Output(
            f"{taxable}_clock",
            "",
            # +0: a refusal in words (the portable flavour's) is an error here too, never a year
            formula=f'IF({{{taxable}}}+0>0,{{{year}}}+{_RECAPTURE_LAST},"none")',
            py=lambda v: _num(v[year]) + _RECAPTURE_LAST if _num(v[taxable]) > 0 else "none",
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
            **difference("in_backdoor", f"out_{o}_backdoor_taxable"),
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
            for o in "abc"
        )
        rows.append((year, age, *free))
    return Grid(
        "out_timeline",
        (
            "year (nothing taken before)",
            "age",
            "option A: free of tax and 10% tax",
            "option B: free of tax and 10% tax",
            "option C: free of tax and 10% tax",
        ),
        tuple(rows),
        ranges=(("out_a_free", 2, 2), ("out_b_free", 3, 3), ("out_c_free", 4, 4)),
    )


#: The options side by side: a row label and the output each option's column shows (a formula pointing at it).
_SIDE_BY_SIDE = (
    ("cmp_roth", "To the Roth IRA", ("{out_a_roth}", "{out_b_roth}", "{out_c_roth_pretax}+{out_c_roth_basis}")),
    (
        "cmp_trad",
        "To traditional (where option A sends the pretax dollars)",
        ("{out_eligible}-{out_a_roth}", "{out_b_trad}", "{out_c_trad_pretax}+{out_c_trad_basis}"),
    ),
    ("cmp_taxable", "Taxable now", ("{out_a_taxable}", "{out_b_taxable}", "{out_c_taxable}")),
    (
        "cmp_backdoor",
        "Backdoor next year: taxable conversion",
        ("{out_a_backdoor_taxable}", "{out_b_backdoor_taxable}", "{out_c_backdoor_taxable}"),
    ),
    ("cmp_cost", "Tax cost, both years", ("{out_a_cost}", "{out_b_cost}", "{out_c_cost}")),
)


def _sum_of(formula: str) -> Callable[[dict[str, Any]], float]:
    """The value of a formula that adds and subtracts named cells and whole numbers, exact to the cent."""
    terms = re.findall(r"([+-]?)(\{\w+\}|\d+)", formula)

    def value(v: dict[str, Any]) -> float:
        total = Decimal(0)
        for sign, term in terms:
            x = Decimal(str(_num(v[term[1:-1]]))) if term.startswith("{") else Decimal(term)
            total += -x if sign == "-" else x
        return _money(total)

    return value


def _side_by_side() -> Grid:
    """Options A, B and C in three columns: where the money goes, what is taxed, what it costs."""
    rows = tuple(
        tuple(Output(f"out_{key}_{o}", "", formula=f, py=_sum_of(f)) for o, f in zip("abc", formulas, strict=True))
        for key, _, formulas in _SIDE_BY_SIDE
    )
    return Grid(
        "out_side_by_side",
        ("", "option A", "option B", "option C (your split)"),
        rows,
        labels=tuple(label for _, label, _ in _SIDE_BY_SIDE),
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


#: Why option C cannot be done, in words: the Roth IRA amount typed in is more than what can be rolled over.
_C_TOO_MUCH = (" is more than the ", " that can be rolled over")


def _option_c_check(v: dict[str, Any]) -> str:
    roth, eligible = (Decimal(str(_num(v[n]))).quantize(Decimal("0.01"), ROUND_HALF_UP) for n in _C_CHECKED)
    if roth <= eligible:
        return "yes"
    return f"no: {_tm(v, 'in_c_roth')}{_C_TOO_MUCH[0]}{_tm(v, 'out_eligible')}{_C_TOO_MUCH[1]}"


_C_CHECKED = ("in_c_roth", "out_eligible")
#: The summary sentence's words around the check's reason.
_C_SAYS, _C_BALANCE = "its Roth IRA amount ", " (the whole balance less any required minimum distribution)"
_C_WORDS = f'{_t("in_c_roth")}&"{_C_TOO_MUCH[0]}"&{_t("out_eligible")}&"{_C_TOO_MUCH[1]}"'

#: Whether option C can be done (the gate of every option C cell): the Roth IRA amount typed in is part of one
#: direct rollover, so at most the eligible rollover distribution; if not, why, in words, in this one cell.
_C_CHECK = Output(
    "out_c_check",
    "Option C: can it be done?",
    formula=f'IF(ROUND({{in_c_roth}},2)<=ROUND({{out_eligible}},2),"yes","no: "&{_C_WORDS})',
    py=_option_c_check,
    fmt="text",
    why=(
        "the Roth IRA amount is part of the direct rollovers, so at most the eligible rollover distribution (the "
        "whole balance less the RMD); when it is more, each option C figure says not possible and options A and B stand"
    ),
    cite="IRC §402(c)(1), §402(c)(4); Notice 2014-54 §III.B",
)


def _option_c_sentence(v: dict[str, Any]) -> str:
    if v["out_c_check"] != "yes":
        return f"Option C, your own split, cannot be done: {_C_SAYS}{v['out_c_check'][4:]}{_C_BALANCE}."
    d = _num(v["out_c_minus_a"])
    if d > 0:
        cost = f"Option C, your own split, costs {_tm(v, 'out_c_minus_a')} more tax than A"
    elif d < 0:
        cost = f"Option C, your own split, saves {_money(-d):,.2f} of tax against A"
    else:
        cost = "Option C, your own split, costs the same tax as A"
    if _num(v["out_c_free_0"]) > 0:
        when = (
            f"under option C {_tm(v, 'out_c_free_0')} can come out of the Roth IRA free of tax and the 10% tax in "
            f"{_ty(v, 'in_year', 1)}"
        )
    else:
        when = f"under option C nothing can before {_ty(v, 'out_sum_c_first')}"
    return f"{cost}; {when}."


def _separation_sentence(v: dict[str, Any]) -> str:
    return f"{_options_ab_sentence(v)} {_option_c_sentence(v)}"


def _options_ab_sentence(v: dict[str, Any]) -> str:
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


_OPTION_C_COST = (
    'IF({out_c_minus_a}>0,"Option C, your own split, costs "&' + _t("out_c_minus_a") + '&" more tax than A",'
    'IF({out_c_minus_a}<0,"Option C, your own split, saves "&FIXED(-{out_c_minus_a},2)&" of tax against A",'
    '"Option C, your own split, costs the same tax as A"))'
)


_SEPARATION_SUMMARY = (
    Output(
        "out_sum_sentence",
        "In short",
        formula=(
            f'IF({{out_b_minus_a}}>0,"Option A saves "&{_t("out_b_minus_a")}&" of tax over the two years",'
            f'IF({{out_b_minus_a}}<0,"Option B saves "&FIXED(-{{out_b_minus_a}},2)&" of tax over the two years",'
            f'"Both options cost the same tax over the two years"))&"; "&{_separation_clause("a")}&", "&'
            f'{_separation_clause("b")}&". "&IF({{out_c_check}}="yes",{_OPTION_C_COST}&"; "&{_separation_clause("c")},'
            f'"Option C, your own split, cannot be done: {_C_SAYS}"&{_C_WORDS}&"{_C_BALANCE}")&"."'
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
    _same(
        "out_sum_c_minus_a",
        "Option C (your split) costs more (+) or less (-) in tax than A, both years",
        "out_c_minus_a",
        "tax now and on next year's backdoor at the marginal rate entered",
        "IRC §408A(d)(3)(A); §408(d)(2); Form 8606 line 18",
    ),
    _first_free("c"),
)


SEPARATION = Template(
    file="mega_backdoor_separation.xlsx",
    title="Leaving the employer with after-tax 401(k) money: options A, B and C",
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
        "distribution (§402A(d)(4)); a distribution before January 1, 2015, when Notice 2014-54 was still optional "
        "(Notice 2014-54).",
        "Assumed: the account is your own (not inherited, not received in a divorce); the balances entered are the "
        "whole account the after-tax contributions belong to; the distribution is on or after January 1, 2015.",
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
        (
            "Option C: a split you choose",
            (
                Input(
                    "in_c_roth",
                    "Option C: to the Roth IRA",
                    20000,
                    "money",
                    "the rest goes to traditional, where option A sends the pretax dollars (pretax dollars first)",
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
                    **difference("out_balance", "out_req_after_tax", "out_req_pretax"),
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
                    **difference("in_basis", "out_req_after_tax"),
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
                    **difference("out_eligible", "out_b_roth"),
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
                    **difference("out_b_cost", "out_a_cost"),
                    why="difference of the two estimates; B also keeps the earnings' future growth tax-free",
                    cite="estimate",
                ),
            ),
        ),
        (
            "Option C: your own split",
            (
                _C_CHECK,
                Output(
                    "out_c_roth_pretax",
                    "To the Roth IRA: pretax dollars (taxable)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_C,
                    "roth_pretax",
                    why="pretax dollars go first to the traditional destination; any left over go to the Roth IRA",
                    cite="Notice 2014-54 §III.B; IRC §408A(d)(3)(A)",
                ),
                Output(
                    "out_c_roth_basis",
                    "To the Roth IRA: after-tax dollars",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_C,
                    "roth_after_tax",
                    why="the after-tax contributions the Roth IRA receives: not taxed",
                    cite="Notice 2014-54 §III.B; IRC §402(c)(2)",
                ),
                Output(
                    "out_c_trad_pretax",
                    "To traditional: pretax dollars",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_C,
                    "traditional_pretax",
                    why="direct rollover of pretax dollars: not taxed now",
                    cite="IRC §402(c); Form 1099-R instructions, box 7 code G",
                ),
                Output(
                    "out_c_trad_basis",
                    "To traditional: after-tax dollars (its basis next year)",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_C,
                    "traditional_ira_basis",
                    why="after-tax money rolled to a traditional IRA is nondeductible basis there",
                    cite="IRC §408(d)(2); Instructions for Form 8606, line 2",
                ),
                Output(
                    "out_c_taxable",
                    "Taxable now",
                    "ROTH_ROLLOVER_SPLIT",
                    _SPLIT_C,
                    "taxable",
                    why="pretax dollars to the Roth IRA are converted: taxable, with no 10% tax (and the RMD's taxable part)",
                    cite="IRC §408A(d)(3)(A); §402(a)",
                ),
                Output(
                    "out_c_yev",
                    "Traditional IRA balances at Dec 31 next year",
                    # IF(...)*(...), not IF(..., x, 0): a refused option C stays an error either way
                    formula="{in_other_ira}+IF({out_pretax_to_ira},1,0)*({out_c_trad_pretax}+{out_c_trad_basis})",
                    py=lambda v: _money(
                        Decimal(str(_num(v["in_other_ira"])))
                        + (
                            Decimal(str(v["out_c_trad_pretax"])) + Decimal(str(v["out_c_trad_basis"]))
                            if v["out_pretax_to_ira"] is True
                            else 0
                        )
                    ),
                    why="other IRAs, plus what option C rolls to traditional if it goes to an IRA",
                    cite="IRC §408(d)(2); Form 8606 line 6",
                ),
                Output(
                    "out_c_backdoor_basis",
                    "Backdoor next year: basis (nondeductible contribution plus the rolled after-tax dollars)",
                    formula="{in_backdoor}+IF({out_pretax_to_ira},1,0)*{out_c_trad_basis}",
                    py=lambda v: _money(
                        Decimal(str(_num(v["in_backdoor"])))
                        + (Decimal(str(v["out_c_trad_basis"])) if v["out_pretax_to_ira"] is True else 0)
                    ),
                    why="next year's contribution plus the basis carried in the traditional IRA",
                    cite="Form 8606 lines 1-3; Instructions for Form 8606, line 2",
                ),
                Output(
                    "out_c_backdoor_taxable",
                    "Backdoor next year: taxable conversion",
                    "PRORATA_TAXABLE",
                    ("in_backdoor", "out_c_backdoor_basis", "out_c_yev"),
                    why="the pro-rata rule over all traditional IRA money, with the basis carried",
                    cite="IRC §408(d)(2); §72(e); Form 8606 lines 6-18",
                ),
                Output(
                    "out_c_cost",
                    "Option C: tax cost (now + backdoor next year)",
                    formula="ROUND(({out_c_taxable}+{out_c_backdoor_taxable})*{in_rate},2)",
                    py=lambda v: _money(
                        (Decimal(str(v["out_c_taxable"])) + Decimal(str(v["out_c_backdoor_taxable"])))
                        * Decimal(str(v["in_rate"]))
                    ),
                    why="taxable amounts × the marginal rate",
                    cite="estimate; not a form line",
                ),
                Output(
                    "out_c_minus_a",
                    "Option C costs more (+) or less (-) than A",
                    **difference("out_c_cost", "out_a_cost"),
                    why="difference of the two estimates",
                    cite="estimate",
                ),
            ),
        ),
        ("Options A, B and C side by side", (_side_by_side(),)),
        ("Option A: what the Roth IRA holds (rollover and backdoor conversion layers)", (_layers("A", _SPLIT_A),)),
        ("Option B: what the Roth IRA holds (rollover and backdoor conversion layers)", (_layers("B", _SPLIT_B),)),
        ("Option C: what the Roth IRA holds (rollover and backdoor conversion layers)", (_layers("C", _SPLIT_C),)),
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
                ("Option C", ("out_c_taxable", "out_c_backdoor_taxable")),
            ),
        ),
        Chart(
            "Free of tax and the 10% tax from the Roth IRA, by year",
            tuple(f"out_tl_year_{k}" for k in range(_TIMELINE_YEARS)),
            (
                ("Option A", tuple(f"out_a_free_{k}" for k in range(_TIMELINE_YEARS))),
                ("Option B", tuple(f"out_b_free_{k}" for k in range(_TIMELINE_YEARS))),
                ("Option C", tuple(f"out_c_free_{k}" for k in range(_TIMELINE_YEARS))),
            ),
        ),
    ),
    summary=_SEPARATION_SUMMARY,
    maps=(("pretax_destination", _PRETAX_DESTINATION),),
    #: a fifth column for option C beside A and B; the why column gives up what it needs
    widths=(32, 13, 34, 24, 14),
)


def _prefix_options(template: Template) -> None:
    """Label option A, B and C rows 'A: ...' so they read alone (printouts, `xl-rollover calc`)."""
    groups = []
    for title, outs in template.outputs:
        renamed = []
        for out in outs:
            option = out.name[4:5].upper() if out.name.startswith(("out_a_", "out_b_", "out_c_")) else ""
            if isinstance(out, Output) and option and not out.label.startswith("Option"):
                out = replace(out, label=f"{option}: {out.label}")
            renamed.append(out)
        groups.append((title, tuple(renamed)))
    template.outputs = tuple(groups)


_prefix_options(SEPARATION)


def _gate_option_c(template: Template) -> None:
    """Every option C figure says "not possible" when option C cannot be done (:data:`_C_CHECK` says why), so
    options A and B, the charts and the report still compute and print (the layers' calendar years stay)."""

    def gate(out: Output) -> Output:
        option_c = re.match(r"out_(c_|cmp_\w+_c$|sum_c_)", out.name) and not out.name.endswith(("_check", "_year"))
        return replace(out, gate=_C_CHECK.name) if option_c else out

    groups = []
    for title, outs in template.outputs:
        gated = [
            replace(out, rows=tuple(tuple(c and gate(c) for c in row) for row in out.rows))
            if isinstance(out, Grid)
            else gate(out)
            for out in outs
        ]
        groups.append((title, tuple(gated)))
    template.outputs = tuple(groups)
    template.summary = tuple(gate(out) for out in template.summary)


_gate_option_c(SEPARATION)
