"""Template 5, Roth IRA withdrawals: ordering and the five-year clocks. Example clients are fictional."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xl_rollover.core.rules import five_year

from ..model import Chart, Grid, Input, Output, Table, Template
from .common import _WITHDRAWAL, _plus, _same, _t, _tm, _ty, _y

# --- 5. Roth IRA withdrawals -----------------------------------------------------------------------------

#: Years after a conversion's year still inside its recapture period (IRC §408A(d)(3)(F); a limits row).
_LAST = five_year.last_year(0, five_year.RECAPTURE)


def _clock(row: int) -> Callable[[dict[str, Any]], Any]:
    """End of the recapture period of the conversion in table row ``row`` (blank row: blank; IRC §408A(d)(3)(F))."""

    def end(v: dict[str, Any]) -> Any:
        year = v["tbl_conversions"][row - 1][0]
        return "" if year in (None, "") else five_year.period_end(int(year), five_year.RECAPTURE)

    return end


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
        "with their taxable and nontaxable parts, the first tax year for which any Roth IRA contribution was made (or of the "
        "first conversion, if earlier), and the planned withdrawal.",
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
                    "First tax year of any Roth IRA contribution or conversion",
                    2019,
                    "year",
                    "the year a contribution was made for (one made by April 15 for last year counts for last year); "
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
                    why="January 1 five years after that first tax year (e.g. 2019 gives 2024); earnings are then tax-free once also 59½, "
                    "disabled or deceased",
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
                    formula=f'IF(INDEX({{tbl_conversions}},{r},1)="","",DATE(INDEX({{tbl_conversions}},{r},1)+{_LAST},12,31))',
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
