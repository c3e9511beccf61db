"""The xl-rollover worksheet functions: one definition each for classic xlwings and xlwings Lite.

Classic (Windows): put ``udfs.functions`` in the add-in's ``UDF Modules`` setting and Import
Functions. Lite (Mac, web, Windows): ``xl-rollover lite DIR`` writes a ``main.py`` that carries
this module and the core. Every function reads ranges as columns of cases, answers bad input with
an error cell (never a traceback) and explains itself with ``output="explain"``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from xl_rollover import limits
from xl_rollover.columns import run_columns
from xl_rollover.rules import early_penalty as _penalty
from xl_rollover.rules import form_8606 as _8606
from xl_rollover.rules.contribution_limits import (
    mega_backdoor_room,
    roth_ira_contribution_limit,
    traditional_ira_deduction_limit,
)
from xl_rollover.rules.early_penalty import early_penalty
from xl_rollover.rules.form_8606 import form_8606, prorata_taxable
from xl_rollover.rules.rmd import required_minimum_distribution
from xl_rollover.rules.roth_ordering import roth_ira_distribution, roth_penalty_free
from xl_rollover.rules.sepp import sepp_payment
from xl_rollover.rules.split import roth_rollover_split

from .adapter import CellError, Param, Spec, error_of, fail, read_table, run


def _plain_func(f: Any = None, **_kwargs: Any) -> Any:
    return f if f is not None else (lambda g: g)


def _plain_arg(_name: str, *_args: Any, **_kwargs: Any) -> Any:
    return lambda g: g


# xlwings attaches Excel metadata for its two hosts: classic xlwings (Windows, which imports xlwings
# before the UDF module) and Lite (Pyodide). Headless (calc, the LibreOffice bridge, batch on Linux)
# the functions stay plain Python and do not pay xlwings' import (0.7 s: it imports pandas).
func: Any = _plain_func
arg: Any = _plain_arg
if sys.platform in ("win32", "emscripten") or "xlwings" in sys.modules:
    try:
        import xlwings as _xlwings

        func, arg = _xlwings.func, _xlwings.arg
    except ImportError:  # pragma: no cover - exercised where xlwings is absent
        pass


CATEGORY = "xl-rollover"
_F = TypeVar("_F", bound=Callable[..., Any])

OUTPUT_HELP = 'Optional. One result field to return (e.g. "taxable"), or "explain" for the rule-by-rule explanation.'

#: Every function's Spec, by Excel name (the CLI, the recalculation engines and the tests use this).
SPECS: dict[str, Spec] = {}


def excel_function(spec: Spec) -> Callable[[_F], _F]:
    """Attach the spec's description and argument help, in category xl-rollover, with ranges read as 2-D."""

    def decorate(f: _F) -> _F:
        names = list(f.__code__.co_varnames[: f.__code__.co_argcount])
        declared = [p.name for p in spec.params]
        if names != declared or f.__name__ != spec.name:
            raise TypeError(f"{f.__name__}{names} does not match its help {spec.name}{declared}")
        for param in reversed(spec.params):
            f = arg(param.name, ndim=2, err_to_str=True, doc=param.help)(f)
        f = func(category=CATEGORY)(f)
        SPECS[spec.name] = spec
        return f

    return decorate


# --- whole-column calls: the rule's kernel through the one column runner ------------------------


def _kernel_fast(fn: str) -> Callable[[Mapping[str, Sequence[Any]], int], list[dict[str, Any] | None]]:
    """A Spec's lean path: :func:`xl_rollover.columns.run_columns`; rows it hands back (None) go to the core."""

    def fast(columns: Mapping[str, Sequence[Any]], n: int) -> list[dict[str, Any] | None]:
        results, failed = run_columns(fn, columns, n)
        if not results:  # every row handed back (the row-by-row runner without numpy)
            return [None] * n
        keys = list(results)
        values = [v.tolist() if hasattr(v, "tolist") else list(v) for v in results.values()]
        rows: list[dict[str, Any] | None] = [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)]
        for i in failed:
            rows[i] = None
        return rows

    return fast


# --- ROTH_ROLLOVER_SPLIT -------------------------------------------------------------------

SPLIT = Spec(
    "ROTH_ROLLOVER_SPLIT",
    (
        Param(
            "distribution",
            "Amount distributed from the plan account, in dollars (all disbursements scheduled together).",
            required=True,
        ),
        Param(
            "after_tax_basis",
            "After-tax contributions (basis) in the account before the distribution, in dollars.",
            required=True,
        ),
        Param(
            "account_balance",
            "Whole account balance before the distribution, in dollars (pretax + after-tax + earnings).",
            required=True,
        ),
        Param(
            "to_roth_ira", "Optional. Dollars sent directly to a Roth IRA. Default: the distribution's after-tax share."
        ),
        Param("to_traditional", "Optional. Dollars sent directly to a traditional IRA or plan. Default: the rest."),
        Param("output", OUTPUT_HELP, kind="output"),
        Param(
            "rolled_60day_roth",
            "Optional. Cash paid out and rolled to a Roth IRA within 60 days, in dollars. Default 0.",
        ),
        Param(
            "rolled_60day_traditional",
            "Optional. Cash paid out and rolled to a traditional IRA within 60 days, in dollars. Default 0.",
        ),
        Param(
            "age",
            "Optional. Age in years, or two cells: birth date, distribution date. Sets the 1099-R code and the RMD-age test.",
            kind="age",
        ),
        Param(
            "rmd_amount",
            "Optional. Required minimum distribution still due this year, in dollars (paid first, never rolled); "
            "0 if none is due. Needed once the RMD age may be reached.",
        ),
        Param(
            "separated_age_55",
            "Optional. TRUE if the participant left the employer in or after the year of turning 55 (50 for "
            "qualified public safety employees): 1099-R code 2 before 59½. Default FALSE.",
            kind="flag",
        ),
        Param(
            "annuity_payment",
            "Optional. TRUE if the payment is an annuity payment (refused: IRC 72(b), 72(d)). Default FALSE.",
            kind="flag",
        ),
        Param(
            "includes_designated_roth",
            "Optional. TRUE if the distribution includes designated Roth (Roth 401(k)) money (refused: IRC "
            "402A(d)(4)). Default FALSE.",
            kind="flag",
        ),
        Param(
            "pre_1987_basis",
            "Optional. TRUE if the basis includes after-tax contributions made before 1987 (refused: IRC "
            "72(e)(8)(D)). Default FALSE.",
            kind="flag",
        ),
    ),
    roth_rollover_split,
    None,
)


@excel_function(SPLIT)
def ROTH_ROLLOVER_SPLIT(
    distribution,
    after_tax_basis,
    account_balance,
    to_roth_ira=None,
    to_traditional=None,
    output=None,
    rolled_60day_roth=None,
    rolled_60day_traditional=None,
    age=None,
    rmd_amount=None,
    separated_age_55=None,
    annuity_payment=None,
    includes_designated_roth=None,
    pre_1987_basis=None,
):
    """Splits a 401(k) distribution's pretax and after-tax dollars among Roth IRA, traditional and cash (IRC 72(e)(8); Notice 2014-54) with taxable amount, withholding and 1099-R boxes."""
    return run(
        SPLIT,
        (
            distribution,
            after_tax_basis,
            account_balance,
            to_roth_ira,
            to_traditional,
            output,
            rolled_60day_roth,
            rolled_60day_traditional,
            age,
            rmd_amount,
            separated_age_55,
            annuity_payment,
            includes_designated_roth,
            pre_1987_basis,
        ),
    )


# --- PRORATA_TAXABLE / FORM_8606 -----------------------------------------------------------

RATIO_HELP = (
    "Optional. Decimal places of the Form 8606 line 10 ratio (default 3, as the form says); -1 for no rounding."
)


PRORATA = Spec(
    "PRORATA_TAXABLE",
    (
        Param(
            "converted",
            "Traditional, SEP and SIMPLE IRA money converted to Roth this year, in dollars (Form 8606 line 8).",
            required=True,
        ),
        Param(
            "basis",
            "Total basis in traditional IRAs: nondeductible contributions (Form 8606 line 5 before the ratio).",
            required=True,
        ),
        Param(
            "year_end_value",
            "Value of all traditional, SEP and SIMPLE IRAs on December 31 of the year, in dollars (line 6).",
            required=True,
        ),
        Param(
            "distributions",
            "Optional. Other distributions this year, not converted or rolled over, in dollars (line 7). Default 0.",
        ),
        Param(
            "outstanding_rollovers",
            "Optional. Rollovers out late in the year received back next year, in dollars (line 6 worksheet). Default 0.",
        ),
        Param("output", OUTPUT_HELP + " Default: taxable_conversion.", kind="output"),
        Param("ratio_decimals", RATIO_HELP, kind="ratio", default=3),
    ),
    prorata_taxable,
    "taxable_conversion",
    fast=_kernel_fast("prorata_taxable"),
    fast_places=_8606.CENTS_PLACES,
)


@excel_function(PRORATA)
def PRORATA_TAXABLE(
    converted, basis, year_end_value, distributions=None, outstanding_rollovers=None, output=None, ratio_decimals=None
):
    """Taxable part of a Roth conversion under the pro-rata rule (IRC 408(d)(2), 72(e); Form 8606 lines 6-18)."""
    return run(
        PRORATA,
        (
            converted,
            basis,
            year_end_value,
            distributions,
            outstanding_rollovers,
            output,
            ratio_decimals,
        ),
    )


FORM_8606_SPEC = Spec(
    "FORM_8606",
    (
        Param(
            "nondeductible_contributions",
            "Nondeductible traditional IRA contributions for the year, in dollars (line 1). Blank = 0.",
        ),
        Param("prior_basis", "Total basis from last year's Form 8606 line 14, in dollars (line 2). Blank = 0."),
        Param(
            "year_end_value",
            "Value of all traditional, SEP and SIMPLE IRAs on December 31, in dollars (line 6). Blank = 0.",
        ),
        Param("distributions", "Distributions this year not converted or rolled over, in dollars (line 7). Blank = 0."),
        Param("converted", "Amount converted to Roth IRAs this year, in dollars (line 8). Blank = 0."),
        Param(
            "late_contributions",
            "Optional. Contributions for this year made between Jan 1 and the due date next year (line 4). Default 0.",
        ),
        Param(
            "outstanding_rollovers",
            "Optional. Outstanding rollovers added to line 6 (Pub. 590-B worksheet). Default 0.",
        ),
        Param("output", OUTPUT_HELP + " Default: the line/value table (lines_1 ... lines_18).", kind="output"),
        Param("ratio_decimals", RATIO_HELP, kind="ratio", default=3),
    ),
    form_8606,
    None,
)


@excel_function(FORM_8606_SPEC)
def FORM_8606(
    nondeductible_contributions=None,
    prior_basis=None,
    year_end_value=None,
    distributions=None,
    converted=None,
    late_contributions=None,
    outstanding_rollovers=None,
    output=None,
    ratio_decimals=None,
):
    """Form 8606 Parts I and II line by line: basis, nontaxable share and taxable conversion (IRC 408(d)(2), 408A(d)(3); Form 8606 instructions)."""
    return run(
        FORM_8606_SPEC,
        (
            nondeductible_contributions,
            prior_basis,
            year_end_value,
            distributions,
            converted,
            late_contributions,
            outstanding_rollovers,
            output,
            ratio_decimals,
        ),
    )


# --- EARLY_PENALTY -------------------------------------------------------------------------

#: Shared by EARLY_PENALTY and ROTH_IRA_DISTRIBUTION: the first-home $10,000 is a lifetime limit.
FIRST_HOME_USED = Param(
    "first_home_used",
    "Optional. First-home amounts already used in earlier years, in dollars (of the $10,000 lifetime limit, "
    "IRC 72(t)(8)(B)). Default 0.",
)

PENALTY = Spec(
    "EARLY_PENALTY",
    (
        Param(
            "taxable_amount", "Taxable amount of the early distribution, in dollars (Form 5329 line 1).", required=True
        ),
        Param(
            "age",
            "Age in years on the distribution date, or two cells: birth date, distribution date.",
            kind="age",
            required=True,
        ),
        Param(
            "account_type",
            "Optional. IRA, SEP_IRA, SIMPLE_IRA, ROTH_IRA, 401K, 403B, PLAN or GOV_457B. Default IRA.",
            kind="text",
        ),
        Param(
            "exception",
            'Optional. Form 5329 line 2 exception number (01-23) or name, e.g. 12 or "birth_adoption". Default none.',
            kind="text",
        ),
        Param(
            "exception_amount",
            "Optional. Dollars the exception covers (expenses, or the capped amount). Default: all of it, within the cap.",
        ),
        Param(
            "tax_year",
            "Optional. Tax year, needed for exceptions with a dollar cap (e.g. 2026). Never defaults to today.",
        ),
        Param("output", OUTPUT_HELP + " Default: penalty.", kind="output"),
        Param(
            "simple_first_two_years",
            "Optional. TRUE if a SIMPLE IRA distribution is within 2 years of first participation (25% rate).",
            kind="flag",
        ),
        Param(
            "exception_count",
            "Optional. Exception 19 only: number of children born or adopted ($5,000 each, IRC 72(t)(2)(H)). Default 1.",
        ),
        FIRST_HOME_USED,
    ),
    early_penalty,
    "penalty",
    fast=_kernel_fast("early_penalty"),
    fast_places=_penalty.CENTS_PLACES,
)


@excel_function(PENALTY)
def EARLY_PENALTY(
    taxable_amount,
    age,
    account_type=None,
    exception=None,
    exception_amount=None,
    tax_year=None,
    output=None,
    simple_first_two_years=None,
    exception_count=None,
    first_home_used=None,
):
    """Additional 10% tax on an early distribution, after the Form 5329 line 2 exception (IRC 72(t); 25% for SIMPLE IRAs, 72(t)(6))."""
    return run(
        PENALTY,
        (
            taxable_amount,
            age,
            account_type,
            exception,
            exception_amount,
            tax_year,
            output,
            simple_first_two_years,
            exception_count,
            first_home_used,
        ),
    )


# --- ROTH_IRA_DISTRIBUTION -----------------------------------------------------------------

#: Arguments ROTH_IRA_DISTRIBUTION and ROTH_PENALTY_FREE share (the Roth IRA's layers).
REGULAR_CONTRIBUTIONS = Param(
    "regular_contributions",
    "Regular Roth IRA contributions ever made, less earlier distributions of them, in dollars.",
    required=True,
)
CONVERSIONS = Param(
    "conversions",
    "Range of 3 columns: year, taxable part, nontaxable part of each conversion or rollover in. Blank rows and a header row are skipped; a blank cell means none.",
    kind="table",
    required=True,
)

ROTH = Spec(
    "ROTH_IRA_DISTRIBUTION",
    (
        Param("amount", "Roth IRA distributions this year, in dollars (Form 8606 line 19).", required=True),
        REGULAR_CONTRIBUTIONS,
        CONVERSIONS,
        Param("distribution_year", "Tax year of the distribution, e.g. 2026.", required=True),
        Param(
            "age",
            "Age in years at the distribution, or two cells: birth date, distribution date.",
            kind="age",
            required=True,
        ),
        Param(
            "first_roth_year",
            "Optional. Tax year of the first contribution to any Roth IRA (starts the 5-year clock). Default: earliest conversion.",
        ),
        Param(
            "exception",
            "Optional. Form 5329 exception number or name for the 10% tax on the taxable or recaptured part.",
            kind="text",
        ),
        Param("output", OUTPUT_HELP + " Default: the label/value table.", kind="output"),
        Param(
            "qualifying_event",
            "Optional. disability, death or first_home: the event that can make the distribution qualified.",
            kind="text",
        ),
        FIRST_HOME_USED,
    ),
    roth_ira_distribution,
    None,
)


def _roth_prepare(by_name: dict[str, Any], extras: dict[str, Any]) -> None:
    extras["conversions"] = read_table(
        by_name["conversions"], "conversions", 3, ("year", "taxable part", "nontaxable part")
    )


@excel_function(ROTH)
def ROTH_IRA_DISTRIBUTION(
    amount,
    regular_contributions,
    conversions,
    distribution_year,
    age,
    first_roth_year=None,
    exception=None,
    output=None,
    qualifying_event=None,
    first_home_used=None,
):
    """Tax and 10% penalty on Roth IRA distributions under the ordering rules and both 5-year clocks (IRC 408A(d); Reg. 1.408A-6; Form 8606 Part III)."""
    return run(
        ROTH,
        (
            amount,
            regular_contributions,
            conversions,
            distribution_year,
            age,
            first_roth_year,
            exception,
            output,
            qualifying_event,
            first_home_used,
        ),
        _roth_prepare,
    )


PENALTY_FREE = Spec(
    "ROTH_PENALTY_FREE",
    (
        REGULAR_CONTRIBUTIONS,
        CONVERSIONS,
        Param("distribution_year", "Tax year of the planned withdrawal, e.g. 2027.", required=True),
        Param(
            "age",
            "Age in years at the withdrawal, or two cells: birth date, withdrawal date.",
            kind="age",
            required=True,
        ),
        Param("output", OUTPUT_HELP + " Default: penalty_free.", kind="output"),
    ),
    roth_penalty_free,
    "penalty_free",
)


@excel_function(PENALTY_FREE)
def ROTH_PENALTY_FREE(regular_contributions, conversions, distribution_year, age, output=None):
    """Most of the Roth IRA basis a year's withdrawal can take with no income tax and no 10% tax (IRC 408A(d)(4); Reg. 1.408A-6 A-8)."""
    return run(PENALTY_FREE, (regular_contributions, conversions, distribution_year, age, output), _roth_prepare)


# --- MEGA_BACKDOOR_ROOM / ROTH_IRA_LIMIT / IRA_DEDUCTION_LIMIT -----------------------------

ROOM = Spec(
    "MEGA_BACKDOOR_ROOM",
    (
        Param("year", "Plan (limitation) year, e.g. 2026.", required=True),
        Param("employee_deferrals", "Elective deferrals for the year (pretax + Roth), in dollars.", required=True),
        Param(
            "employer_contributions",
            "Employer contributions for the year (match, profit sharing), in dollars.",
            required=True,
        ),
        Param(
            "compensation",
            "Optional. Compensation for the year, in dollars (415(c) caps additions at 100% of it). Default: not applied.",
        ),
        Param(
            "age",
            "Optional. Age at the end of the year, for catch-up contributions (50+, 60-63). Default: no catch-up.",
            kind="age",
        ),
        Param("after_tax_so_far", "Optional. After-tax contributions already made this year, in dollars. Default 0."),
        Param("output", OUTPUT_HELP + " Default: room.", kind="output"),
    ),
    mega_backdoor_room,
    "room",
)


@excel_function(ROOM)
def MEGA_BACKDOOR_ROOM(
    year, employee_deferrals, employer_contributions, compensation=None, age=None, after_tax_so_far=None, output=None
):
    """After-tax contribution room left under the annual additions limit (IRC 415(c)(1); catch-up excluded, 414(v))."""
    return run(ROOM, (year, employee_deferrals, employer_contributions, compensation, age, after_tax_so_far, output))


ROTH_LIMIT = Spec(
    "ROTH_IRA_LIMIT",
    (
        Param("year", "Tax year, e.g. 2026.", required=True),
        Param("magi", "Modified AGI for Roth IRA purposes, in dollars.", required=True),
        Param(
            "filing_status",
            "SINGLE, HOH, MFJ, QSS, MFS or MFS_APART (married filing separately, lived apart all year).",
            kind="text",
            required=True,
        ),
        Param("age", "Age at the end of the year (50+ adds the catch-up).", kind="age", required=True),
        Param(
            "compensation",
            "Optional. Taxable compensation, in dollars (the limit never exceeds it). Default: not applied.",
        ),
        Param("output", OUTPUT_HELP + " Default: limit.", kind="output"),
        Param(
            "traditional_contributions",
            "Optional. Contributions for the year to traditional IRAs, in dollars (not SEP/SIMPLE employer money); "
            "they come off the Roth limit. Default 0.",
        ),
        Param(
            "spouse_compensation",
            "Optional, MFJ only. Spouse's taxable compensation, in dollars (spousal IRA rule, 219(c)). Needs compensation.",
        ),
        Param(
            "spouse_ira_contributions",
            "Optional, with spouse_compensation. Spouse's own traditional and Roth IRA contributions for the year. Default 0.",
        ),
    ),
    roth_ira_contribution_limit,
    "limit",
)


@excel_function(ROTH_LIMIT)
def ROTH_IRA_LIMIT(
    year,
    magi,
    filing_status,
    age,
    compensation=None,
    output=None,
    traditional_contributions=None,
    spouse_compensation=None,
    spouse_ira_contributions=None,
):
    """Most a person can contribute to Roth IRAs for the year after the MAGI phase-out (IRC 408A(c)(2)-(3); Pub. 590-A Worksheet 2-2)."""
    return run(
        ROTH_LIMIT,
        (
            year,
            magi,
            filing_status,
            age,
            compensation,
            output,
            traditional_contributions,
            spouse_compensation,
            spouse_ira_contributions,
        ),
    )


DEDUCTION = Spec(
    "IRA_DEDUCTION_LIMIT",
    (
        Param("year", "Tax year, e.g. 2026.", required=True),
        Param("magi", "Modified AGI for IRA deduction purposes, in dollars.", required=True),
        Param("filing_status", "SINGLE, HOH, MFJ, QSS, MFS or MFS_APART.", kind="text", required=True),
        Param("age", "Age at the end of the year (50+ adds the catch-up).", kind="age", required=True),
        Param(
            "active_participant",
            "TRUE if covered by a workplace retirement plan this year.",
            kind="flag",
            required=True,
        ),
        Param(
            "spouse_active_participant",
            "Optional. TRUE if the spouse is covered by a workplace plan. Default FALSE.",
            kind="flag",
        ),
        Param("compensation", "Optional. Taxable compensation, in dollars. Default: not applied."),
        Param("output", OUTPUT_HELP + " Default: limit.", kind="output"),
        Param(
            "spouse_compensation",
            "Optional, MFJ only. Spouse's taxable compensation, in dollars (spousal IRA rule, 219(c)). Needs compensation.",
        ),
        Param(
            "spouse_ira_contributions",
            "Optional, with spouse_compensation. Spouse's own traditional and Roth IRA contributions for the year. Default 0.",
        ),
    ),
    traditional_ira_deduction_limit,
    "limit",
)


@excel_function(DEDUCTION)
def IRA_DEDUCTION_LIMIT(
    year,
    magi,
    filing_status,
    age,
    active_participant,
    spouse_active_participant=None,
    compensation=None,
    output=None,
    spouse_compensation=None,
    spouse_ira_contributions=None,
):
    """Deductible traditional IRA contribution after the active-participant phase-out (IRC 219(b), (c), (g); Pub. 590-A Worksheet 1-2)."""
    return run(
        DEDUCTION,
        (
            year,
            magi,
            filing_status,
            age,
            active_participant,
            spouse_active_participant,
            compensation,
            output,
            spouse_compensation,
            spouse_ira_contributions,
        ),
    )


# --- RMD / SEPP_PAYMENT --------------------------------------------------------------------

RMD_SPEC = Spec(
    "RMD",
    (
        Param("year", "Distribution calendar year, e.g. 2026 (2022 or later).", required=True),
        Param(
            "birth_date", "The account owner's date of birth (a date cell or YYYY-MM-DD).", kind="date", required=True
        ),
        Param(
            "prior_year_end_balance",
            "The account balance on December 31 of the year before, in dollars.",
            required=True,
        ),
        Param(
            "spouse_birth_date",
            "Optional. The spouse's date of birth, when the spouse is the sole designated beneficiary.",
            kind="date",
        ),
        Param(
            "spouse_sole_beneficiary",
            "Optional. TRUE if the spouse is the sole designated beneficiary all year. Default FALSE.",
            kind="flag",
        ),
        Param("output", OUTPUT_HELP + " Default: amount.", kind="output"),
        Param(
            "inherited", "Optional. TRUE for an inherited account (refused: not covered). Default FALSE.", kind="flag"
        ),
    ),
    required_minimum_distribution,
    "amount",
)


@excel_function(RMD_SPEC)
def RMD(
    year,
    birth_date,
    prior_year_end_balance,
    spouse_birth_date=None,
    spouse_sole_beneficiary=None,
    output=None,
    inherited=None,
):
    """Required minimum distribution for the year: prior year-end balance over the Uniform Lifetime divisor (IRC 401(a)(9); Reg. 1.401(a)(9)-5, -9)."""
    return run(
        RMD_SPEC,
        (year, birth_date, prior_year_end_balance, spouse_birth_date, spouse_sole_beneficiary, output, inherited),
    )


SEPP_SPEC = Spec(
    "SEPP_PAYMENT",
    (
        Param("balance", "The account balance the series is figured on, in dollars.", required=True),
        Param(
            "birth_date", "The account owner's date of birth (a date cell or YYYY-MM-DD).", kind="date", required=True
        ),
        Param(
            "year",
            "The distribution year, e.g. 2026 (2022 or later); the age is the age on that year's birthday.",
            required=True,
        ),
        Param(
            "method",
            "rmd (required minimum distribution) or amortization (fixed amortization); annuitization is refused.",
            kind="text",
            required=True,
        ),
        Param(
            "interest_rate",
            "Interest rate as a fraction (0.05 for 5%); required for amortization, not used by rmd.",
        ),
        Param(
            "life_table",
            "Optional. single (default), joint (with beneficiary_birth_date), or uniform (from age 72).",
            kind="text",
        ),
        Param(
            "beneficiary_birth_date",
            "Optional. The designated beneficiary's date of birth, for life_table joint.",
            kind="date",
        ),
        Param(
            "rate_cap",
            "Optional. 120% of the federal mid-term rate for either of the 2 months before the first payment; the limit is the greater of it and 5%.",
        ),
        Param("output", OUTPUT_HELP + " Default: payment.", kind="output"),
    ),
    sepp_payment,
    "payment",
)


@excel_function(SEPP_SPEC)
def SEPP_PAYMENT(
    balance,
    birth_date,
    year,
    method,
    interest_rate=None,
    life_table=None,
    beneficiary_birth_date=None,
    rate_cap=None,
    output=None,
):
    """Annual payment in a series of substantially equal periodic payments, RMD or fixed amortization method (IRC 72(t)(2)(A)(iv); Notice 2022-6)."""
    return run(
        SEPP_SPEC,
        (balance, birth_date, year, method, interest_rate, life_table, beneficiary_birth_date, rate_cap, output),
    )


# --- IRS_LIMIT -----------------------------------------------------------------------------


IRS_LIMIT_SPEC = Spec(
    "IRS_LIMIT",
    (
        Param(
            "limit_name",
            'Limit name from the shipped table, e.g. "annual_additions_limit_415c1A" (an unknown name lists the known ones).',
            kind="text",
            required=True,
            core="name",
        ),
        Param(
            "year",
            "Tax year, e.g. 2026. A year the table lacks is an error, never another year's value.",
            required=True,
        ),
        Param(
            "filing_status",
            "Optional. SINGLE, HOH, MFJ, QSS, MFS or MFS_APART, for limits that depend on it.",
            kind="text",
        ),
        Param("output", 'Optional. "value" (default), "source" for the citation, or "explain".', kind="output"),
    ),
    limits.irs_limit,
    "value",
)


@excel_function(IRS_LIMIT_SPEC)
def IRS_LIMIT(limit_name, year, filing_status=None, output=None):
    """An annual IRS dollar limit or phase-out threshold for a tax year, with its source (IRS notices; irs_limits.csv)."""
    return run(IRS_LIMIT_SPEC, (limit_name, year, filing_status, output))


__all__ = [
    "EARLY_PENALTY",
    "FORM_8606",
    "IRA_DEDUCTION_LIMIT",
    "IRS_LIMIT",
    "MEGA_BACKDOOR_ROOM",
    "PRORATA_TAXABLE",
    "RMD",
    "ROTH_IRA_DISTRIBUTION",
    "ROTH_IRA_LIMIT",
    "ROTH_PENALTY_FREE",
    "ROTH_ROLLOVER_SPLIT",
    "SEPP_PAYMENT",
    "SPECS",
    "CellError",
    "error_of",
    "fail",
]
