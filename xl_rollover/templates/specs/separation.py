"""Template 1, the mega backdoor at separation: where the after-tax and pre-tax money goes (Notice 2014-54). Example clients are fictional."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from ..model import Chart, Grid, Input, Output, Template, choice, lookup
from .common import _PRETAX_DESTINATION, _SPLIT_A, _SPLIT_B, _SPLIT_RMD, _money, _num, _plus, _same, _t, _tm, _ty, _y

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
