"""The registry of public functions: one declaration each, from which every face is made.

A :class:`Function` names the function (its Excel name), the core callable it runs, its parameters
(name, help, kind, default, core keyword) in the order the worksheet function takes them, its default
output field and a one-sentence description citing the rule. The worksheet functions (classic xlwings
and Lite, :mod:`xl_rollover.excel.functions`), batch's list of functions, the LibreOffice add-in's interface,
the templates' argument lists and the command line's subcommands (:mod:`xl_rollover.cli.main`) are all
built from :data:`FUNCTIONS`: adding an argument is one edit here. A function's column form (its
integer-cent kernel over whole columns) is :data:`xl_rollover.core.columns.COLUMN_RULES`, keyed by the
core callable's name; every function here has one (tests/test_column_rules.py). Declarations only: this
module imports the core and nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import life_tables, limits
from .explain import Result
from .rules.contribution_limits import (
    mega_backdoor_room,
    roth_ira_contribution_limit,
    traditional_ira_deduction_limit,
)
from .rules.early_penalty import early_penalty
from .rules.form_8606 import LINE10_PLACES, form_8606, prorata_taxable
from .rules.rmd import required_minimum_distribution
from .rules.roth_ordering import roth_ira_distribution, roth_penalty_free
from .rules.sepp import sepp_payment
from .rules.split import roth_rollover_split


@dataclass(frozen=True)
class Param:
    """One argument: its name, help text, how a cell or flag is read, its default and its core keyword."""

    name: str
    help: str
    kind: str = "value"  # value | age | date | table | text | flag | ratio | output
    required: bool = False
    default: Any = None
    core: str | None = None  # core keyword when it differs from the Excel name
    #: The command-line spelling when it is not the usual one (a required argument is positional, an
    #: optional one ``--name-with-dashes``): e.g. ``"--conversion"``, repeated once per table row.
    cli: str | None = None
    #: A table's columns, in order (kind "table"): the range's columns, the CLI's ``A:B:C`` parts.
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Function:
    """One public function: its Excel name, parameters, core callable, default output and description."""

    name: str
    params: tuple[Param, ...]
    call: Callable[..., Result]
    default_output: str | None  # a field name, or None for the label/value table
    description: str  # one sentence citing the rule (the Excel function wizard shows it)
    cli: str | None = None  # the ``xl-rollover`` subcommand, e.g. "roth-withdrawal"
    summary: str = ""  # a short line for ``xl-rollover --help``


OUTPUT_HELP = 'Optional. One result field to return (e.g. "taxable"), or "explain" for the rule-by-rule explanation.'

# --- ROTH_ROLLOVER_SPLIT -------------------------------------------------------------------

SPLIT = Function(
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
    "Splits a 401(k) distribution's pretax and after-tax dollars among Roth IRA, traditional and cash (IRC 72(e)(8); Notice 2014-54) with taxable amount, withholding and 1099-R boxes.",
    cli="split",
    summary="split a plan distribution between Roth IRA, traditional IRA and cash",
)


# --- PRORATA_TAXABLE / FORM_8606 -----------------------------------------------------------

RATIO_HELP = (
    f"Optional. Decimal places of the Form 8606 line 10 ratio (default {LINE10_PLACES}, as the form says); "
    "-1 for no rounding."
)


PRORATA = Function(
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
        Param("ratio_decimals", RATIO_HELP, kind="ratio", default=LINE10_PLACES),
    ),
    prorata_taxable,
    "taxable_conversion",
    "Taxable part of a Roth conversion under the pro-rata rule (IRC 408(d)(2), 72(e); Form 8606 lines 6-18).",
    cli="prorata",
    summary="taxable part of a Roth conversion under the IRA pro-rata rule",
)


FORM_8606_SPEC = Function(
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
        Param("ratio_decimals", RATIO_HELP, kind="ratio", default=LINE10_PLACES),
    ),
    form_8606,
    None,
    "Form 8606 Parts I and II line by line: basis, nontaxable share and taxable conversion (IRC 408(d)(2), 408A(d)(3); Form 8606 instructions).",
    cli="form-8606",
    summary="Form 8606 Parts I and II line by line",
)


# --- EARLY_PENALTY -------------------------------------------------------------------------

#: Shared by EARLY_PENALTY and ROTH_IRA_DISTRIBUTION: the first-home $10,000 is a lifetime limit.
FIRST_HOME_USED = Param(
    "first_home_used",
    "Optional. First-home amounts already used in earlier years, in dollars (of the $10,000 lifetime limit, "
    "IRC 72(t)(8)(B)). Default 0.",
)

PENALTY = Function(
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
    "Additional 10% tax on an early distribution, after the Form 5329 line 2 exception (IRC 72(t); 25% for SIMPLE IRAs, 72(t)(6)).",
    cli="penalty",
    summary="the §72(t) additional tax on an early distribution",
)


# --- ROTH_IRA_DISTRIBUTION -----------------------------------------------------------------

#: Arguments ROTH_IRA_DISTRIBUTION and ROTH_PENALTY_FREE share (the Roth IRA's layers).
REGULAR_CONTRIBUTIONS = Param(
    "regular_contributions",
    "Regular Roth IRA contributions ever made, less earlier distributions of them, in dollars.",
    required=True,
    cli="--regular-contributions",
)
CONVERSIONS = Param(
    "conversions",
    "Range of 3 columns: year, taxable part, nontaxable part of each conversion or rollover in. Blank rows and a header row are skipped; a blank cell means none.",
    kind="table",
    required=True,
    cli="--conversion",
    columns=("year", "taxable part", "nontaxable part"),
)

ROTH = Function(
    "ROTH_IRA_DISTRIBUTION",
    (
        Param("amount", "Roth IRA distributions this year, in dollars (Form 8606 line 19).", required=True),
        REGULAR_CONTRIBUTIONS,
        CONVERSIONS,
        Param(
            "distribution_year", "Tax year of the distribution, e.g. 2026.", required=True, cli="--distribution-year"
        ),
        Param(
            "age",
            "Age in years at the distribution, or two cells: birth date, distribution date.",
            kind="age",
            required=True,
            cli="--age",
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
    "Tax and 10% penalty on Roth IRA distributions under the ordering rules and both 5-year clocks (IRC 408A(d); Reg. 1.408A-6; Form 8606 Part III).",
    cli="roth-withdrawal",
    summary="tax and penalty on a year's Roth IRA distributions (ordering, clocks)",
)


PENALTY_FREE = Function(
    "ROTH_PENALTY_FREE",
    (
        REGULAR_CONTRIBUTIONS,
        CONVERSIONS,
        Param(
            "distribution_year",
            "Tax year of the planned withdrawal, e.g. 2027.",
            required=True,
            cli="--distribution-year",
        ),
        Param(
            "age",
            "Age in years at the withdrawal, or two cells: birth date, withdrawal date.",
            kind="age",
            required=True,
            cli="--age",
        ),
        Param("output", OUTPUT_HELP + " Default: penalty_free.", kind="output"),
    ),
    roth_penalty_free,
    "penalty_free",
    "Most of the Roth IRA basis a year's withdrawal can take with no income tax and no 10% tax (IRC 408A(d)(4); Reg. 1.408A-6 A-8).",
    cli="roth-penalty-free",
    summary="most a Roth IRA withdrawal can take free of income tax and the 10% tax",
)


# --- MEGA_BACKDOOR_ROOM / ROTH_IRA_LIMIT / IRA_DEDUCTION_LIMIT -----------------------------

ROOM = Function(
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
    "After-tax contribution room left under the annual additions limit (IRC 415(c)(1); catch-up excluded, 414(v)).",
    cli="room",
    summary="after-tax (mega backdoor) room left under §415(c)",
)


#: Arguments the two IRA limit functions share (one declaration each).
IRA_YEAR = Param("year", "Tax year, e.g. 2026.", required=True)
IRA_AGE = Param("age", "Age at the end of the year (50+ adds the catch-up).", kind="age", required=True)
SPOUSAL_IRA = (
    Param(
        "spouse_compensation",
        "Optional, MFJ only. Spouse's taxable compensation, in dollars (spousal IRA rule, 219(c)). Needs compensation.",
    ),
    Param(
        "spouse_ira_contributions",
        "Optional, with spouse_compensation. Spouse's own traditional and Roth IRA contributions for the year. Default 0.",
    ),
)


ROTH_LIMIT = Function(
    "ROTH_IRA_LIMIT",
    (
        IRA_YEAR,
        Param("magi", "Modified AGI for Roth IRA purposes, in dollars.", required=True),
        Param(
            "filing_status",
            "SINGLE, HOH, MFJ, QSS, MFS or MFS_APART (married filing separately, lived apart all year).",
            kind="text",
            required=True,
        ),
        IRA_AGE,
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
        *SPOUSAL_IRA,
    ),
    roth_ira_contribution_limit,
    "limit",
    "Most a person can contribute to Roth IRAs for the year after the MAGI phase-out (IRC 408A(c)(2)-(3); Pub. 590-A Worksheet 2-2).",
    cli="roth-limit",
    summary="Roth IRA contribution limit after the MAGI phase-out",
)


DEDUCTION = Function(
    "IRA_DEDUCTION_LIMIT",
    (
        IRA_YEAR,
        Param("magi", "Modified AGI for IRA deduction purposes, in dollars.", required=True),
        Param("filing_status", "SINGLE, HOH, MFJ, QSS, MFS or MFS_APART.", kind="text", required=True),
        IRA_AGE,
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
        *SPOUSAL_IRA,
    ),
    traditional_ira_deduction_limit,
    "limit",
    "Deductible traditional IRA contribution after the active-participant phase-out (IRC 219(b), (c), (g); Pub. 590-A Worksheet 1-2).",
    cli="ira-deduction",
    summary="deductible traditional IRA contribution after the §219(g) phase-out",
)


# --- RMD / SEPP_PAYMENT --------------------------------------------------------------------

RMD_SPEC = Function(
    "RMD",
    (
        Param("year", f"Distribution calendar year, e.g. 2026 ({life_tables.FIRST_YEAR} or later).", required=True),
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
    "Required minimum distribution for the year: prior year-end balance over the Uniform Lifetime divisor (IRC 401(a)(9); Reg. 1.401(a)(9)-5, -9).",
    cli="rmd",
    summary="required minimum distribution for a year (Uniform Lifetime Table)",
)


SEPP_SPEC = Function(
    "SEPP_PAYMENT",
    (
        Param("balance", "The account balance the series is figured on, in dollars.", required=True),
        Param(
            "birth_date", "The account owner's date of birth (a date cell or YYYY-MM-DD).", kind="date", required=True
        ),
        Param(
            "year",
            f"The distribution year, e.g. 2026 ({life_tables.FIRST_YEAR} or later); the age is the age on that year's "
            "birthday.",
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
    "Annual payment in a series of substantially equal periodic payments, RMD or fixed amortization method (IRC 72(t)(2)(A)(iv); Notice 2022-6).",
    cli="sepp",
    summary="annual payment of a §72(t) SEPP series (Notice 2022-6)",
)


# --- IRS_LIMIT -----------------------------------------------------------------------------


IRS_LIMIT_SPEC = Function(
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
    "An annual IRS dollar limit or phase-out threshold for a tax year, with its source (IRS notices; irs_limits.csv).",
    cli="limit",
    summary="an annual limit from the shipped table, with its source",
)


#: Every public function, by Excel name, in the order the Excel reference lists them.
FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        SPLIT,
        PRORATA,
        FORM_8606_SPEC,
        PENALTY,
        ROTH,
        PENALTY_FREE,
        ROOM,
        ROTH_LIMIT,
        DEDUCTION,
        RMD_SPEC,
        SEPP_SPEC,
        IRS_LIMIT_SPEC,
    )
}
