"""Template 3, the backdoor Roth and the Form 8606 pro-rata rule. Example clients are fictional."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from ..model import Chart, Grid, Input, Output, Template
from .common import _AFTER_PART, _AFTER_ROLL_IN, _money, _num, _plus, _same, _t, _tm, difference

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
                    **difference("out_now_l18", "out_after_l18"),
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
                    **difference("out_kept_total", "out_rolled_total"),
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
