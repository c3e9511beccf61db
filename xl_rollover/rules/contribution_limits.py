"""Contribution room: after-tax 401(k) room under §415(c), the Roth IRA limit under §408A(c)(3)
and the traditional IRA deduction under §219(g), each by tax year from the limits table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .. import limits
from ..errors import InputError
from ..explain import Result, Step
from ..money import ZERO, fmt, to_decimal, to_money

TEN = Decimal(10)
FLOOR = Decimal(200)  # IRC §219(g)(2)(B): a reduced limit above 0 is at least $200


def _age_years(age: object) -> Decimal:
    years = to_decimal(age, "age")
    if not 0 <= years <= 125:
        raise InputError(f"age {age} is not a plausible age (0 to 125)")
    return years


@dataclass(frozen=True, kw_only=True)
class RoomResult(Result):
    """After-tax contribution room left for the year under the §415(c) annual-additions limit."""

    room: Decimal
    annual_additions_limit: Decimal
    limit_402g: Decimal
    catch_up_limit: Decimal
    catch_up: Decimal
    deferrals_counted: Decimal
    employer_contributions: Decimal
    after_tax_so_far: Decimal
    compensation_cap: Decimal | None


def mega_backdoor_room(
    year: object,
    employee_deferrals: object,
    employer_contributions: object,
    compensation: object = None,
    age: object = None,
    after_tax_so_far: object = 0,
) -> RoomResult:
    """After-tax room = min(§415(c) limit, compensation) less non-catch-up deferrals, employer and after-tax money (§415(c), §414(v))."""
    y = limits.parse_year(year)
    deferrals = to_money(employee_deferrals, "employee_deferrals")
    employer = to_money(employer_contributions, "employer_contributions")
    so_far = to_money(after_tax_so_far if after_tax_so_far is not None else 0, "after_tax_so_far")
    comp = to_money(compensation, "compensation") if compensation is not None else None
    years = _age_years(age) if age is not None else None
    limit_415, src_415 = limits.value("annual_additions_limit_415c1A", y)
    limit_402g, src_402g = limits.value("elective_deferral_limit_402g", y)
    catch_name = "catchup_age50_414v2Bi"
    if years is not None and 60 <= years <= 63 and y >= 2025:
        catch_name = "catchup_age60_63_414v2Ei"
    catch_limit, src_catch = (
        limits.value(catch_name, y)
        if years is not None and years >= 50
        else (ZERO, "age under 50 (or not given): no catch-up, §414(v)(5)")
    )
    limit_415, limit_402g, catch_limit = limit_415 + ZERO, limit_402g + ZERO, catch_limit + ZERO
    catch_up = min(max(deferrals - limit_402g, ZERO), catch_limit)
    counted = deferrals - catch_up
    if counted > limit_402g:
        raise InputError(
            f"employee_deferrals {fmt(deferrals)} exceed the {y} §402(g) limit {fmt(limit_402g)}"
            + (f" plus catch-up {fmt(catch_limit)}" if catch_limit else "")
            + " (excess deferrals must be corrected, §402(g)(2))"
        )
    cap = limit_415 if comp is None else min(limit_415, comp)
    room = max(cap - counted - employer - so_far, ZERO)
    steps = [
        Step(
            title="Limits for the year",
            rule=f"§415(c) annual additions {fmt(limit_415)}, §402(g) deferrals {fmt(limit_402g)}, catch-up {fmt(catch_limit)}",
            citation=f"{src_415} | {src_402g} | {src_catch}",
            inputs={"year": y, "age at year end": years},
            outputs={"annual_additions_limit": limit_415, "limit_402g": limit_402g, "catch_up_limit": catch_limit},
        ),
        Step(
            title="Catch-up excluded",
            rule="deferrals above the §402(g) limit, up to the catch-up limit, are catch-up contributions and are not annual "
            "additions (a plan may also treat deferrals above §415(c) as catch-up; this reading counts only those above §402(g))",
            citation="IRC §414(v)(1), (v)(2)(E), (v)(3)(A); Treas. Reg. §1.414(v)-1(d)(2)",
            inputs={"employee_deferrals": deferrals},
            outputs={"catch_up": catch_up, "deferrals_counted": counted},
        ),
        Step(
            title="Room left",
            rule="the lesser of the §415(c) dollar limit and 100% of compensation, less deferrals counted, employer "
            "contributions and after-tax contributions already made; never below 0",
            citation="IRC §415(c)(1)(A)-(B), §415(c)(2)",
            inputs={
                "cap": cap,
                "deferrals_counted": counted,
                "employer_contributions": employer,
                "after_tax_so_far": so_far,
            },
            outputs={"room": room},
        ),
    ]
    return RoomResult(
        room=room,
        annual_additions_limit=limit_415,
        limit_402g=limit_402g,
        catch_up_limit=catch_limit,
        catch_up=catch_up,
        deferrals_counted=counted,
        employer_contributions=employer,
        after_tax_so_far=so_far,
        compensation_cap=comp,
        steps=tuple(steps),
    )


@dataclass(frozen=True, kw_only=True)
class IraLimitResult(Result):
    """The year's contribution (or deduction) limit after the income phase-out."""

    limit: Decimal
    full_limit: Decimal
    phaseout_start: Decimal | None
    phaseout_end: Decimal | None
    reduced: bool


def _phase_out(full: Decimal, magi: Decimal, start: Decimal, end: Decimal) -> tuple[Decimal, str]:
    """Reduce ``full`` linearly over [start, end); reduction rounded down to $10 (limit up), $200 floor (§219(g)(2)(B)-(C))."""
    if magi <= start:
        return full, "MAGI at or below the start of the range: full limit"
    if magi >= end:
        return ZERO, "MAGI at or above the end of the range: no contribution"
    reduction = full * (magi - start) / (end - start)
    reduction = (reduction / TEN).to_integral_value(rounding=ROUND_FLOOR) * TEN
    reduced = full - reduction
    reduced = (reduced / TEN).to_integral_value(rounding=ROUND_CEILING) * TEN
    reduced = max(reduced, FLOOR)
    return reduced + ZERO, "reduced in proportion to MAGI within the range, rounded up to the next $10, at least $200"


def _ira_limit(year: int, years: Decimal) -> tuple[Decimal, str]:
    base, src = limits.value("ira_contribution_limit_219b5A", year)
    if years >= 50:
        catch, src_c = limits.value("ira_catchup_age50_219b5B", year)
        return base + catch + ZERO, f"{src} | {src_c}"
    return base + ZERO, src


def _ira_inputs(
    year: object, magi: object, filing_status: object, age: object, compensation: object
) -> tuple[int, Decimal, str, Decimal, Decimal | None]:
    """Parse the arguments the two IRA limits share."""
    return (
        limits.parse_year(year),
        to_money(magi, "magi"),
        limits.parse_filing_status(filing_status),
        _age_years(age),
        to_money(compensation, "compensation") if compensation is not None else None,
    )


def roth_ira_contribution_limit(
    year: object, magi: object, filing_status: object, age: object, compensation: object = None
) -> IraLimitResult:
    """The Roth IRA contribution limit after the §408A(c)(3) MAGI phase-out, and never above compensation."""
    y, income, status, years, comp = _ira_inputs(year, magi, filing_status, age, compensation)
    full, src = _ira_limit(y, years)
    start, src_s = limits.value("roth_ira_contribution_phaseout_start", y, status)
    end, _ = limits.value("roth_ira_contribution_phaseout_end", y, status)
    limit, how = _phase_out(full, income, start, end)
    if comp is not None and comp < limit:
        limit, how = comp, how + f"; capped at compensation {fmt(comp)} (§219(b)(1)(B) via §408A(c)(2))"
    steps = [
        Step(
            title="Roth IRA limit",
            rule=f"IRA limit (with the age-50 catch-up) {fmt(full)}; phase-out {fmt(start + ZERO)} to {fmt(end + ZERO)} for {status}; {how}",
            citation=f"IRC §408A(c)(2)-(3), §219(b)(5); Treas. Reg. §1.408A-3 A-3(b) (round up to $10, $200 floor); Pub. 590-A Worksheet 2-2 | {src} | {src_s}",
            inputs={"year": y, "magi": income, "filing_status": status, "age": years, "compensation": comp},
            outputs={"limit": limit},
        )
    ]
    return IraLimitResult(
        limit=limit,
        full_limit=full,
        phaseout_start=start + ZERO,
        phaseout_end=end + ZERO,
        reduced=limit < full,
        steps=tuple(steps),
    )


def traditional_ira_deduction_limit(
    year: object,
    magi: object,
    filing_status: object,
    age: object,
    active_participant: object,
    spouse_active_participant: object = False,
    compensation: object = None,
) -> IraLimitResult:
    """The deductible traditional IRA contribution after the §219(g) phase-out for active participants (or a covered spouse)."""
    y, income, status, years, comp = _ira_inputs(year, magi, filing_status, age, compensation)
    for name, flag in (
        ("active_participant", active_participant),
        ("spouse_active_participant", spouse_active_participant),
    ):
        if not isinstance(flag, (bool, int, float)) or flag not in (0, 1):
            raise InputError(f"{name} {flag!r} must be TRUE or FALSE")
    full, src = _ira_limit(y, years)
    start = end = None
    if active_participant:
        start, src_s = limits.value("trad_ira_deduction_active_participant_phaseout_start", y, status)
        end, _ = limits.value("trad_ira_deduction_active_participant_phaseout_end", y, status)
        which = "owner is an active participant (§219(g)(1), (g)(3)(B))"
    elif spouse_active_participant and status in ("MFJ", "QSS", "MFS"):
        if status == "MFS":
            start, src_s = limits.value("roth_ira_contribution_phaseout_start", y, "MFS")
            end, _ = limits.value("roth_ira_contribution_phaseout_end", y, "MFS")
        else:
            start, src_s = limits.value("trad_ira_deduction_spouse_covered_phaseout_start", y, "MFJ")
            end, _ = limits.value("trad_ira_deduction_spouse_covered_phaseout_end", y, "MFJ")
        which = "spouse is an active participant (§219(g)(7))"
    else:
        src_s, which = "no phase-out when neither spouse is covered by a workplace plan (§219(g)(1))", "not covered"
    if start is not None and end is not None:
        limit, how = _phase_out(full, income, start, end)
        start, end = start + ZERO, end + ZERO
    else:
        limit, how = full, "full deduction"
    if comp is not None and comp < limit:
        limit, how = comp, how + f"; capped at compensation {fmt(comp)} (§219(b)(1)(B))"
    steps = [
        Step(
            title="Traditional IRA deduction",
            rule=f"{which}; {how}",
            citation=f"IRC §219(b), §219(g); Pub. 590-A Worksheet 1-2 | {src} | {src_s}",
            inputs={"year": y, "magi": income, "filing_status": status, "age": years},
            outputs={"limit": limit},
        )
    ]
    return IraLimitResult(
        limit=limit, full_limit=full, phaseout_start=start, phaseout_end=end, reduced=limit < full, steps=tuple(steps)
    )
