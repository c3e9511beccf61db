"""Template 2, in-service after-tax rollovers: sweeping after-tax contributions to a Roth IRA during the year. Example clients are fictional."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from ..model import Chart, Input, Output, Template
from .common import _SWEEP, _money, _same, _t, _tm, _ty, _y

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
        "IRC §401(a)(9)(C)); the sweeps are your own account, on or after January 1, 2015.",
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
