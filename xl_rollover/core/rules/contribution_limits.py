"""Contribution room: after-tax 401(k) room under §415(c), the Roth IRA limit under §408A(c)(2)-(3)
(Pub. 590-A Worksheet 2-2) and the traditional IRA deduction under §219(b)-(d), (g) (Worksheet 1-2),
each by tax year from the limits table; the statutory constants ($10, $200, the catch-up ages) are
year-less rows of the same table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from .. import limits
from ..age import age_words
from ..errors import InputError, UnsupportedCase, XlRolloverError
from ..explain import Result, Step
from ..money import SCALAR, ZERO, cents, dollars, fmt, to_decimal, to_flag, to_money

#: An optional amount or age not given, as the kernels take it (amounts and ages are never negative).
NOT_GIVEN = -1


def _age_years(age: object) -> Decimal:
    years = to_decimal(age, "age")
    if not 0 <= years <= 125:
        raise InputError(f"age {age} is not a plausible age (0 to 125)")
    return years


def _constant(name: str) -> tuple[Decimal, str]:
    """A statutory constant (a table row with no year) and its authority."""
    return limits.value(name, None)


@cache
def _threshold(name: str) -> float:
    """A constant age or year as a float the kernels compare with (exact: 50, 60, 64, 70.5, 2025)."""
    value, _ = _constant(name)
    if float(value) != value:  # pragma: no cover - the table's ages and years are exact in binary
        raise ValueError(f"{name} {value} is not exact as a binary fraction")
    return float(value)


def _ira_catch_up_age() -> str:
    """The age the IRA catch-up starts, as the explanations write it (IRC §219(b)(5)(B); a limits row)."""
    return age_words(_constant("ira_catchup_age_219b5B")[0])


@cache
def _constant_cents(name: str) -> int:
    """A statutory dollar constant in integer cents."""
    return cents(_constant(name)[0] + ZERO)


@functools.lru_cache(maxsize=4096)  # the tables do not change while running
def _cents(name: str, year: int | None, filing_status: str | None = None) -> tuple[int, str]:
    """A dollar row of the limits table in integer cents, with its authority."""
    value, source = limits.value(name, year, filing_status)
    return cents(value + ZERO), source


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


#: The §414(v) catch-up limit of each catch-up band (see :func:`catch_up_band`); band 0 has none.
CATCH_UP_LIMITS = {1: "catchup_age50_414v2Bi", 2: "catchup_age60_63_414v2Ei"}


def catch_up_band(years: Any, year: Any, ops: Any = SCALAR) -> Any:
    """Which catch-up limit applies: 0 under age 50 (or no age, -1), 1 from 50, 2 at ages 60-63 from 2025 (§414(v)(5)(A), (v)(2)(E)(i)).

    Ages in years (Decimal, float or float arrays; the thresholds are exact in binary), years as ints.
    """
    in_60_63 = (
        (years >= _threshold("catchup_age60_63_first_age_414v2Ei"))
        & (years < _threshold("catchup_age60_63_end_age_414v2Ei"))
        & (year >= _threshold("catchup_age60_63_first_year_414v2Ei"))
    )
    return ops.where(years >= _threshold("catchup_age_414v5A"), ops.where(in_60_63, 2, 1), 0)


@functools.lru_cache(maxsize=1024)
def room_limits(year: int, band: int) -> tuple[tuple[int, str], tuple[int, str], tuple[int, str]]:
    """The year's §415(c) and §402(g) limits and the band's catch-up limit, in cents, with their authorities."""
    catch_age, _ = _constant("catchup_age_414v5A")
    return (
        _cents("annual_additions_limit_415c1A", year),
        _cents("elective_deferral_limit_402g", year),
        _cents(CATCH_UP_LIMITS[band], year)
        if band
        else (0, f"age under {catch_age} (or not given): no catch-up, §414(v)(5)(A)"),
    )


def room_kernel(
    deferrals: Any,
    employer: Any,
    so_far: Any,
    compensation: Any,
    limit_415: Any,
    limit_402g: Any,
    catch_limit: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """After-tax room in integer cents: min(§415(c) limit, compensation) less deferrals counted, employer and after-tax money (§415(c), §414(v)).

    The one statement of the room, run on Python ints by :func:`mega_backdoor_room` and on numpy int64
    arrays by the column runner. Deferrals above the §402(g) limit, up to the catch-up limit, are
    catch-up and not annual additions (§414(v)(3)(A)); ``compensation`` -1 means not given (no 100%
    cap). ``excess`` marks deferrals above §402(g) plus catch-up, which the function refuses.
    """
    catch_up = ops.minimum(ops.maximum(deferrals - limit_402g, 0), catch_limit)
    counted = deferrals - catch_up
    cap = ops.where(compensation >= 0, ops.minimum(limit_415, compensation), limit_415)
    room = ops.maximum(cap - counted - employer - so_far, 0)
    return {"catch_up": catch_up, "counted": counted, "excess": counted > limit_402g, "cap": cap, "room": room}


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
    band = catch_up_band(Decimal(NOT_GIVEN) if years is None else years, y)
    (c415, src_415), (c402g, src_402g), (c_catch, src_catch) = room_limits(y, band)
    k = room_kernel(
        cents(deferrals),
        cents(employer),
        cents(so_far),
        NOT_GIVEN if comp is None else cents(comp),
        c415,
        c402g,
        c_catch,
    )
    limit_415, limit_402g, catch_limit = dollars(c415), dollars(c402g), dollars(c_catch)
    if k["excess"]:
        raise InputError(
            f"employee_deferrals {fmt(deferrals)} exceed the {y} §402(g) limit {fmt(limit_402g)}"
            + (f" plus catch-up {fmt(catch_limit)}" if catch_limit else "")
            + " (excess deferrals must be corrected, §402(g)(2))"
        )
    catch_up, counted, cap, room = (dollars(k[n]) for n in ("catch_up", "counted", "cap", "room"))
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


def ira_catch_up_band(years: Any, ops: Any = SCALAR) -> Any:
    """1 when the age at year end reaches the §219(b)(5)(B) catch-up age (50), else 0."""
    return ops.where(years >= _threshold("ira_catchup_age_219b5B"), 1, 0)


@functools.lru_cache(maxsize=1024)
def ira_dollar_limit(year: int, band: int) -> tuple[int, str]:
    """The §219(b)(5) dollar limit in cents, with the age-50 catch-up for band 1, and its authorities."""
    base, src = _cents("ira_contribution_limit_219b5A", year)
    if band:
        catch, src_c = _cents("ira_catchup_age50_219b5B", year)
        return base + catch, f"{src} | {src_c}"
    return base, src


def phaseout_kernel(amount: Any, magi: Any, start: Any, end: Any, ops: Any = SCALAR) -> dict[str, Any]:
    """An IRA limit after the MAGI phase-out, in integer cents: ``amount × (end − MAGI) / (end − start)``
    rounded up to the next multiple of $10 and not less than $200; the whole amount at or below ``start``,
    0 at or above ``end`` (IRC §219(g)(2)(A)-(C); Treas. Reg. §1.408A-3 A-3(b)).

    The one statement of the phase-out for both IRA limits, on Python ints or numpy int64 arrays.
    Integer cents throughout, so no non-terminating ratio (a 15,000 range) can push an exact multiple of
    $10 up by one step. ``zone`` is 0 at or below the range, 1 inside it, 2 at or above it.
    """
    step, floor = (
        _constant_cents("ira_phaseout_rounding_multiple_219g2C"),
        _constant_cents("ira_phaseout_minimum_219g2B"),
    )
    whole = ops.maximum(end - start, 1)
    part = ops.minimum(ops.maximum(end - magi, 0), whole)  # bounded, so the product stays inside int64
    steps = -(-(amount * part) // (whole * step))  # ceiling division
    shared = ops.maximum(steps * step, floor)
    zone = ops.where(magi <= start, 0, ops.where(magi >= end, 2, 1))
    return {"zone": zone, "limit": ops.where(zone == 0, amount, ops.where(zone == 2, 0, shared))}


def _rounding_words() -> str:
    """The phase-out's rounding rule in words, with the constants from the table."""
    multiple, _ = _constant("ira_phaseout_rounding_multiple_219g2C")
    minimum, _ = _constant("ira_phaseout_minimum_219g2B")
    return f"increased to the next multiple of ${multiple:,.0f}, not less than ${minimum:,.0f}"


def counted_compensation(own: Any, spouse: Any, spouse_paid: Any, ops: Any = SCALAR) -> Any:
    """Compensation that counts, in cents: one's own, or under §219(c) for the lower earner of a joint return one's
    own plus the spouse's less the spouse's own IRA contributions (``spouse`` -1: not given; ``own`` -1: not given)."""
    return ops.where((spouse >= 0) & (own < spouse), own + spouse - spouse_paid, own)


def _spousal_compensation(
    status: str, own: Decimal | None, spouse: object, spouse_contributions: object
) -> tuple[Decimal | None, Step | None]:
    """Compensation that counts for the limit: one's own, or under §219(c) for the lower earner of a joint return
    one's own plus the spouse's compensation less the spouse's own IRA contributions."""
    spouse_comp = to_money(spouse, "spouse_compensation") if spouse is not None else None
    spouse_paid = to_money(spouse_contributions if spouse_contributions is not None else 0, "spouse_ira_contributions")
    if spouse_comp is None:
        if spouse_paid:
            raise InputError(
                f"spouse_ira_contributions {fmt(spouse_paid)} count only with spouse_compensation "
                "(the spousal IRA rule, IRC §219(c)(1)(B)(ii))"
            )
        return own, None
    if status != "MFJ":
        raise InputError(
            f"spouse_compensation counts only on a joint return (MFJ), not {status}: the spousal IRA rule "
            "applies to an individual who files a joint return (IRC §219(c)(2)(A))"
        )
    if own is None:
        raise InputError(
            "spouse_compensation needs compensation too: the spousal IRA rule applies only when your "
            "compensation is less than your spouse's (IRC §219(c)(2)(B))"
        )
    if spouse_paid > spouse_comp:
        raise UnsupportedCase(
            f"spouse_ira_contributions {fmt(spouse_paid)} exceed spouse_compensation {fmt(spouse_comp)}: the spouse "
            "has an excess contribution (IRC §4973), which is not modelled here"
        )
    counted = dollars(counted_compensation(cents(own), cents(spouse_comp), cents(spouse_paid)))
    if own >= spouse_comp:
        how = "your compensation is not less than your spouse's: the spousal rule does not apply, only your own counts"
    else:
        how = "a joint return and your compensation is less than your spouse's: your compensation plus your spouse's, less the spouse's own traditional and Roth IRA contributions for the year"
    step = Step(
        title="Compensation that counts (spousal IRA)",
        rule=how,
        citation="IRC §219(c)(1)-(2) (Kay Bailey Hutchison Spousal IRA); Pub. 590-A, Kay Bailey Hutchison Spousal IRA Limit",
        inputs={"compensation": own, "spouse_compensation": spouse_comp, "spouse_ira_contributions": spouse_paid},
        outputs={"compensation counted": counted},
    )
    return counted, step


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


def _given(amount: Decimal | None) -> int:
    """An optional amount as the kernels take it: cents, or -1 when not given."""
    return NOT_GIVEN if amount is None else cents(amount)


_NO_COMPENSATION = (
    "compensation not given: assumed to be at least the dollar limit (enter it to apply the 100% of compensation cap)"
)

ROTH_PHASEOUT = ("roth_ira_contribution_phaseout_start", "roth_ira_contribution_phaseout_end")


def roth_limit_kernel(
    full: Any, compensation: Any, magi: Any, start: Any, end: Any, other: Any, ops: Any = SCALAR
) -> dict[str, Any]:
    """Pub. 590-A Worksheet 2-2 in integer cents: line 6 = the lesser of the dollar limit and compensation (-1: not
    given), line 8 = line 6 after the phase-out, line 10 = line 6 less other IRA contributions (never below 0), the
    limit = the lesser of lines 8 and 10 (IRC §408A(c)(2)-(3), §219(b)(1), (g)(2))."""
    line6 = ops.where(compensation >= 0, ops.minimum(full, compensation), full)
    phase = phaseout_kernel(line6, magi, start, end, ops)
    line10 = ops.maximum(line6 - other, 0)
    limit = ops.minimum(phase["limit"], line10)
    return {"line6": line6, "zone": phase["zone"], "line8": phase["limit"], "line10": line10, "limit": limit}


def roth_ira_contribution_limit(
    year: object,
    magi: object,
    filing_status: object,
    age: object,
    compensation: object = None,
    traditional_contributions: object = 0,
    spouse_compensation: object = None,
    spouse_ira_contributions: object = 0,
) -> IraLimitResult:
    """Roth IRA limit: the lesser of the dollar limit and compensation, phased out by MAGI, less other IRA contributions (IRC §408A(c)(2)-(3); Pub. 590-A Worksheet 2-2)."""
    y, income, status, years, own = _ira_inputs(year, magi, filing_status, age, compensation)
    other = to_money(
        traditional_contributions if traditional_contributions is not None else 0, "traditional_contributions"
    )
    comp, spousal = _spousal_compensation(status, own, spouse_compensation, spouse_ira_contributions)
    full_cents, src = ira_dollar_limit(y, ira_catch_up_band(years))
    start_cents, src_s = _cents(ROTH_PHASEOUT[0], y, status)
    end_cents, _ = _cents(ROTH_PHASEOUT[1], y, status)
    k = roth_limit_kernel(full_cents, _given(comp), cents(income), start_cents, end_cents, cents(other))
    full, start, end = dollars(full_cents), dollars(start_cents), dollars(end_cents)
    line6, line8, line10, limit = (dollars(k[n]) for n in ("line6", "line8", "line10", "limit"))
    steps = [] if spousal is None else [spousal]
    steps.append(
        Step(
            title="Limit before the phase-out",
            rule=f"the lesser of the dollar limit (plus the catch-up from age {_ira_catch_up_age()}) and taxable "
            "compensation" + ("" if comp is not None else f"; {_NO_COMPENSATION}"),
            citation=f"IRC §408A(c)(2)(A), §219(b)(1), §219(b)(5) | {src}",
            form_line="Pub. 590-A Worksheet 2-2, line 6",
            inputs={"year": y, "age": years, "dollar limit": full, "compensation": comp},
            outputs={"line 6": line6},
        )
    )
    # Line numbers are those of the 2025 Pub. 590-A Worksheet 2-2: line 5 = (MAGI - start) / range, line 7 =
    # line 6 x line 5, line 8 = line 6 - line 7 rounded up to $10 (at least $200; Treas. Reg. §1.408A-3 A-3(b)),
    # line 9 = contributions to other IRAs, line 10 = line 6 - line 9, line 11 = the lesser of lines 8 and 10.
    # Line 8 is computed as line 6 x (end - MAGI) / range in integer cents: the same amount, exactly. Where line 6 is
    # compensation that is not a multiple of $10, rounding the worksheet's remainder up (the regulation and the
    # worksheet) gives up to $10 more than rounding the reduction down to $10 (the wording of §219(g)(2)(C)); the
    # regulation and the worksheet are followed, as the IRS applies them.
    if k["zone"] == 0:
        how = f"MAGI at or below {fmt(start)}: no reduction"
    elif k["zone"] == 2:
        how = f"MAGI at or above {fmt(end)}: no Roth IRA contribution"
    else:
        how = (
            f"line 5 = (MAGI - {fmt(start)}) / {fmt(end - start)} (kept exact: the worksheet asks for at least three "
            f"places); line 8 = line 6 less line 6 times line 5, {_rounding_words()}"
        )
    steps.append(
        Step(
            title="MAGI phase-out",
            rule=f"{status} range {fmt(start)} to {fmt(end)}; {how}",
            citation=f"IRC §408A(c)(3)(A)-(B), §219(g)(2)(B)-(C); Treas. Reg. §1.408A-3 A-3(b) | {src_s}",
            form_line="Pub. 590-A Worksheet 2-2, lines 1-8",
            inputs={"magi": income, "filing_status": status, "line 6": line6},
            outputs={"line 8": line8},
        )
    )
    steps.append(
        Step(
            title="Less contributions to other IRAs",
            rule="line 6 less the year's contributions to traditional IRAs (line 9; not SEP or SIMPLE employer "
            "contributions), never below 0 (line 10); the limit is the lesser of lines 8 and 10 (line 11)",
            citation="IRC §408A(c)(2)(B), §408A(c)(3)(A); Pub. 590-A, Roth IRAs and traditional IRAs",
            form_line="Pub. 590-A Worksheet 2-2, lines 9-11",
            inputs={"line 6": line6, "traditional_contributions": other, "line 8": line8},
            outputs={"line 10": line10, "limit": limit},
        )
    )
    return IraLimitResult(
        limit=limit, full_limit=full, phaseout_start=start, phaseout_end=end, reduced=limit < full, steps=tuple(steps)
    )


#: The phase-out ranges of the deduction, by which spouse is covered (table row names without _start/_end).
ACTIVE_RANGE = "trad_ira_deduction_active_participant_phaseout"
SPOUSE_RANGE = "trad_ira_deduction_spouse_covered_phaseout"


def deduction_range(status: str, covered: bool, spouse_covered: bool) -> tuple[str | None, str]:
    """Which MAGI phase-out range limits the deduction (a table row name, or None for none) and why (§219(g))."""
    if spouse_covered and status in ("SINGLE", "HOH", "QSS"):
        raise InputError(
            f"spouse_active_participant is for married filers (MFJ, MFS, MFS_APART), not {status} (IRC §219(g)(1), (g)(7))"
        )
    if covered:
        return ACTIVE_RANGE, "you are an active participant in a workplace plan (§219(g)(1), (g)(3)(B))"
    if spouse_covered and status == "MFJ":
        return SPOUSE_RANGE, "only your spouse is an active participant (§219(g)(7))"
    if spouse_covered and status == "MFS":
        return (
            ACTIVE_RANGE,
            "only your spouse is an active participant; married filing separately: 0 to 10,000 (§219(g)(7), (g)(3)(B)(iii))",
        )
    if spouse_covered:
        return (
            None,
            "married filing separately and lived apart all year: treated as not married, the spouse's plan does not count (§219(g)(4))",
        )
    return None, "neither you nor a spouse is covered by a workplace plan: no phase-out (§219(g)(1))"


def deduction_kernel(
    full: Any,
    compensation: Any,
    magi: Any,
    start: Any,
    end: Any,
    phased: Any,
    year: Any,
    years: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """Pub. 590-A Worksheet 1-2 in integer cents: the dollar limit after the phase-out when a range applies
    (``phased``), capped at compensation (-1: not given), 0 for a year up to 2019 once age 70½ is reached
    (IRC §219(b)(1), (d)(1) before 2020, (g)). ``unsure`` marks such a year with the whole age just below
    the bar (70): 70½ may or may not have been reached by December 31, so the function refuses it."""
    phase = phaseout_kernel(full, magi, start, end, ops)
    line4 = ops.where(phased, phase["limit"], full)
    capped = ops.where(compensation >= 0, ops.minimum(line4, compensation), line4)
    bar = _threshold("ira_deduction_age_bar_219d1")
    before = year <= _threshold("ira_deduction_age_bar_last_year_219d1")
    barred = before & (years >= bar)
    return {
        "zone": phase["zone"],
        "line4": line4,
        "capped": capped,
        "barred": barred,
        "unsure": before & (years == float(int(bar))) & (bar != int(bar)),
        "limit": ops.where(barred, 0, capped),
    }


def traditional_ira_deduction_limit(
    year: object,
    magi: object,
    filing_status: object,
    age: object,
    active_participant: object,
    spouse_active_participant: object = False,
    compensation: object = None,
    spouse_compensation: object = None,
    spouse_ira_contributions: object = 0,
) -> IraLimitResult:
    """Deductible traditional IRA contribution: the dollar limit phased out by MAGI when covered by a workplace plan, then capped at compensation (IRC §219(b), (c), (g); Pub. 590-A Worksheet 1-2)."""
    y, income, status, years, own = _ira_inputs(year, magi, filing_status, age, compensation)
    covered = to_flag(active_participant, "active_participant", blank=None)
    spouse_covered = to_flag(spouse_active_participant, "spouse_active_participant")
    prefix, which = deduction_range(status, covered, spouse_covered)
    comp, spousal = _spousal_compensation(status, own, spouse_compensation, spouse_ira_contributions)
    full_cents, src = ira_dollar_limit(y, ira_catch_up_band(years))
    start_cents = end_cents = 0
    src_s = ""
    if prefix is not None:
        start_cents, src_s = _cents(f"{prefix}_start", y, status)
        end_cents, _ = _cents(f"{prefix}_end", y, status)
    k = deduction_kernel(full_cents, _given(comp), cents(income), start_cents, end_cents, prefix is not None, y, years)
    if k["unsure"]:
        bar_age, _ = _constant("ira_deduction_age_bar_219d1")
        raise InputError(
            f"age {years.normalize():f} at the end of {y}: whether age {bar_age} was reached by December 31, which bars "
            f"any deduction for {y} (IRC §219(d)(1) before the SECURE Act), depends on the birth date; give the age "
            f"with its fraction (e.g. 70.75), or {bar_age} if it was reached"
        )
    full, line4 = dollars(full_cents), dollars(k["line4"])
    start = end = None
    steps = [] if spousal is None else [spousal]
    if prefix is not None:
        start, end = dollars(start_cents), dollars(end_cents)
        if k["zone"] == 0:
            how = f"MAGI at or below {fmt(start)}: the full dollar limit"
        elif k["zone"] == 2:
            how = f"MAGI at or above {fmt(end)}: no deduction (line 3 is zero or less)"
        else:
            how = (
                f"({fmt(end)} - MAGI) times {fmt(full)} / {fmt(end - start)} (the worksheet's percentage), "
                f"{_rounding_words()}"
            )
        steps.append(
            Step(
                title="MAGI phase-out of the dollar limit",
                rule=f"{which}; {status} range {fmt(start)} to {fmt(end)}; {how}",
                citation=" | ".join(dict.fromkeys(("IRC §219(g)(1)-(3), (g)(7)", src, src_s))),
                form_line="Pub. 590-A Worksheet 1-2, lines 1-4",
                inputs={"year": y, "age": years, "dollar limit": full, "magi": income, "filing_status": status},
                outputs={"line 4": line4},
            )
        )
    else:
        steps.append(
            Step(
                title="Dollar limit",
                rule=f"{which}; the dollar limit (plus the catch-up from age {_ira_catch_up_age()})",
                citation=f"IRC §219(b)(1)(A), §219(b)(5), §219(g)(1) | {src}",
                inputs={"year": y, "age": years, "filing_status": status},
                outputs={"dollar limit": full},
            )
        )
    steps.append(
        Step(
            title="Capped at compensation",
            rule="the smaller of the phased-out limit and taxable compensation"
            + ("" if comp is not None else f"; {_NO_COMPENSATION}"),
            citation="IRC §219(b)(1)(B), §219(c)",
            form_line="Pub. 590-A Worksheet 1-2, lines 5 and 7",
            inputs={"line 4": line4, "compensation": comp},
            outputs={"limit": dollars(k["capped"])},
        )
    )
    if k["barred"]:
        bar_age, src_bar = _constant("ira_deduction_age_bar_219d1")
        last, src_last = _constant("ira_deduction_age_bar_last_year_219d1")
        steps.append(
            Step(
                title=f"Age {age_words(bar_age)} before {last + 1}",
                rule=f"for {y}, no deduction for an individual who reached age {bar_age} by the end of the year "
                f"(the bar was repealed for years after {last})",
                citation=f"{src_bar} | {src_last}",
                inputs={"year": y, "age": years},
                outputs={"limit": ZERO},
            )
        )
    limit = dollars(k["limit"])
    return IraLimitResult(
        limit=limit, full_limit=full, phaseout_start=start, phaseout_end=end, reduced=limit < full, steps=tuple(steps)
    )


# --- whole columns: the kernels above over arrays, the law looked up once per distinct key ----------
# Arguments as the column runner reads them: cents (-1: not given), ages in years (-1.0: not given), tax
# years, filing statuses as positions in limits.STATUS_CODES, flags as 0/1. Each returns the result's flat
# fields and ``defined``: False where the table lacks the year or the core refuses the row (it answers those).


def _unknown(*fields: Any) -> tuple[Any, ...]:
    return (False, *fields)


def room_columns(
    year: Any, deferrals: Any, employer: Any, compensation: Any, years: Any, so_far: Any, ops: Any = SCALAR
) -> dict[str, Any]:
    """:func:`mega_backdoor_room`'s flat fields from :func:`room_kernel`, for whole columns."""
    band = catch_up_band(years, year, ops)

    def law(y: int, b: int) -> tuple[Any, ...]:
        try:
            (c415, _), (c402g, _), (catch, _) = room_limits(y, b)
        except XlRolloverError:
            return _unknown(0, 0, 0)
        return True, c415, c402g, catch

    known, c415, c402g, catch = ops.per_key(law, year, band)
    c415, c402g, catch = ops.ints(c415), ops.ints(c402g), ops.ints(catch)
    k = room_kernel(deferrals, employer, so_far, compensation, c415, c402g, catch, ops)
    (cap,) = ops.per_key(lambda c: (None if c < 0 else dollars(c),), compensation)
    return {
        "defined": ops.where(k["excess"], False, known),
        "room": k["room"],
        "annual_additions_limit": c415,
        "limit_402g": c402g,
        "catch_up_limit": catch,
        "catch_up": k["catch_up"],
        "deferrals_counted": k["counted"],
        "employer_contributions": employer,
        "after_tax_so_far": so_far,
        "compensation_cap": ops.objects(cap),
    }


def _spousal_columns(status: Any, own: Any, spouse: Any, spouse_paid: Any, ops: Any) -> tuple[Any, Any]:
    """Compensation counted (:func:`counted_compensation`) and the rows :func:`_spousal_compensation` accepts."""
    mfj = limits.STATUS_CODES.index("MFJ")
    accepted = ops.where(spouse < 0, spouse_paid == 0, (status == mfj) & (own >= 0) & (spouse_paid <= spouse))
    return counted_compensation(own, spouse, spouse_paid, ops), accepted


def roth_limit_columns(
    year: Any,
    magi: Any,
    status: Any,
    years: Any,
    compensation: Any,
    other: Any,
    spouse: Any,
    spouse_paid: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`roth_ira_contribution_limit`'s flat fields from :func:`roth_limit_kernel`, for whole columns."""

    def law(y: int, band: int, code: int) -> tuple[Any, ...]:
        try:
            full, _ = ira_dollar_limit(y, band)
            start, _ = _cents(ROTH_PHASEOUT[0], y, limits.STATUS_CODES[code])
            end, _ = _cents(ROTH_PHASEOUT[1], y, limits.STATUS_CODES[code])
        except XlRolloverError:
            return _unknown(0, 0, 1)
        return True, full, start, end

    known, full, start, end = ops.per_key(law, year, ira_catch_up_band(years, ops), status)
    full, start, end = ops.ints(full), ops.ints(start), ops.ints(end)
    comp, accepted = _spousal_columns(status, compensation, spouse, spouse_paid, ops)
    k = roth_limit_kernel(full, comp, magi, start, end, other, ops)
    return {
        "defined": ops.where(accepted, known, False),
        "limit": k["limit"],
        "full_limit": full,
        "phaseout_start": start,
        "phaseout_end": end,
        "reduced": k["limit"] < full,
    }


def deduction_columns(
    year: Any,
    magi: Any,
    status: Any,
    years: Any,
    covered: Any,
    spouse_covered: Any,
    compensation: Any,
    spouse: Any,
    spouse_paid: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`traditional_ira_deduction_limit`'s flat fields from :func:`deduction_kernel`, for whole columns."""

    def law(y: int, band: int, code: int, own: int, spouse_plan: int) -> tuple[Any, ...]:
        status_key = limits.STATUS_CODES[code]
        try:
            full, _ = ira_dollar_limit(y, band)
            prefix, _ = deduction_range(status_key, bool(own), bool(spouse_plan))
            if prefix is None:
                return True, full, 0, 1, False, None, None
            start, _ = _cents(f"{prefix}_start", y, status_key)
            end, _ = _cents(f"{prefix}_end", y, status_key)
        except XlRolloverError:
            return _unknown(0, 0, 1, False, None, None)
        return True, full, start, end, True, dollars(start), dollars(end)

    known, full, start, end, phased, start_shown, end_shown = ops.per_key(
        law, year, ira_catch_up_band(years, ops), status, covered, spouse_covered
    )
    full = ops.ints(full)
    comp, accepted = _spousal_columns(status, compensation, spouse, spouse_paid, ops)
    k = deduction_kernel(full, comp, magi, ops.ints(start), ops.ints(end), phased, year, years, ops)
    return {
        "defined": ops.where(k["unsure"], False, ops.where(accepted, known, False)),
        "limit": k["limit"],
        "full_limit": full,
        "phaseout_start": ops.objects(start_shown),
        "phaseout_end": ops.objects(end_shown),
        "reduced": k["limit"] < full,
    }
