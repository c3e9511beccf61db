"""Template 6, mega backdoor room: after-tax contribution room under the §415(c) limit. Example clients are fictional."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from ..model import Input, Output, Template
from .common import _ROOM, _num, _same, _t, _tm, _ty, _y

# --- 6. Mega backdoor room -------------------------------------------------------------------------------


def _per_paycheck(v: dict[str, Any]) -> float:
    """IF(paychecks>0, ROUNDDOWN(room/paychecks, 2), 0): the room is read only when there are paychecks left."""
    n = _num(v["in_paychecks"])
    if n <= 0:
        return 0.0
    room = Decimal(str(v["out_room"]))
    return float((room / Decimal(str(n))).quantize(Decimal("0.01"), rounding=ROUND_DOWN))


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
