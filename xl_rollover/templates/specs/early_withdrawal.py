"""Template 4, an early withdrawal and the §72(t) additional tax with its exceptions. Example clients are fictional."""

from __future__ import annotations

import datetime as dt

from xl_rollover.core.rules.penalty_exceptions import ACCOUNT_TYPES, EXCEPTIONS

from ..model import Input, Output, Table, Template, choice, lookup
from .common import (
    _ACCOUNTS,
    _EXCEPTIONS,
    _PENALTY,
    _YES_NO,
    ACCOUNT_WORDS,
    NO_EXCEPTION,
    _exception_words,
    _num,
    _same,
    _t,
    _tm,
)

# --- 4. Early withdrawal and §72(t) ----------------------------------------------------------------------


def _codes(account: str) -> tuple[str, ...]:
    """The exceptions open to ``account``, in words (the drop-down after the account type is chosen)."""
    return (NO_EXCEPTION, *(_exception_words(e) for e in EXCEPTIONS if e.number and e.applies_to(account)))


EARLY = Template(
    file="early_withdrawal.xlsx",
    title="Early withdrawal: the 10% additional tax and its exceptions (Form 5329 Part I)",
    purpose=(
        "A distribution before age 59½ owes an additional 10% tax on its taxable part unless an exception applies; "
        "SIMPLE IRA money taken in the first two years of participation owes 25%."
    ),
    how=(
        "Choose the account type first: the exception drop-down then lists only the Form 5329 codes valid for it.",
        "Give the birth date and the distribution date: age 59½ is then exact to the day.",
        "For exceptions limited to expenses or a dollar cap, enter the amount it covers.",
    ),
    not_covered=(
        "Exception 99 (several exceptions at once: split the distribution), 16 (annuity contracts, the part "
        "allocable to investment before August 14, 1982: not these account types), qualified disaster recovery "
        "distributions (Form 8915-F), state penalties, Roth IRA ordering (see roth_ira_withdrawal).",
    ),
    inputs=(
        (
            "The distribution",
            (
                Input("in_taxable", "Taxable amount (Form 5329 line 1)", 20000, "money"),
                choice("in_account", "Account type", "account", ACCOUNT_WORDS["IRA"], "the exceptions depend on it"),
                Table(
                    "age",
                    "Age: birth date and distribution date (59½ is checked to the day)",
                    ("birth date", "distribution date"),
                    ((dt.date(1978, 3, 14), dt.date(2026, 5, 1)),),
                    height=1,
                    kinds=("date", "date"),
                ),
                Input("in_year", "Tax year", 2026, "year"),
            ),
        ),
        (
            "Exception",
            (
                Input(
                    "in_exception",
                    "Exception (Form 5329 line 2)",
                    _exception_words(next(e for e in EXCEPTIONS if e.number == "08")),
                    "list",
                    "only the exceptions open to the account type are listed",
                    list_source='=INDIRECT("codes_"&out_account)',
                ),
                Input(
                    "in_exception_amount",
                    "Amount the exception covers",
                    12500,
                    "money",
                    "expenses or the capped amount; blank = all of it",
                ),
                choice("in_simple_2yr", "SIMPLE IRA within 2 years of first participation", "yes_no", "No"),
            ),
        ),
    ),
    outputs=(
        (
            "Form 5329 Part I",
            (
                lookup("out_account", "Account type code", "in_account", _ACCOUNTS, "account"),
                lookup("out_exception_code", "Exception number", "in_exception", _EXCEPTIONS, "exception"),
                lookup("out_simple_2yr", "SIMPLE IRA in its first two years", "in_simple_2yr", _YES_NO, "yes_no"),
                Output(
                    "out_exception",
                    "Exception applied",
                    formula='IF({out_exception_code}="none","",{out_exception_code})',
                    py=lambda v: "" if v["out_exception_code"] == "none" else v["out_exception_code"],
                    fmt="text",
                    why="blank when none",
                    cite="Form 5329 line 2",
                ),
                Output(
                    "out_l1",
                    "Line 1: early distributions in income",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_1",
                    why="taxable part of the early distribution",
                    cite="Form 5329 line 1",
                ),
                Output(
                    "out_l2",
                    "Line 2: not subject to the additional tax",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_2",
                    why="the part the exception covers (within its cap)",
                    cite="Form 5329 line 2; IRC §72(t)(2)",
                ),
                Output(
                    "out_l3",
                    "Line 3: subject to the additional tax",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_3",
                    why="line 1 less line 2",
                    cite="Form 5329 line 3",
                ),
                Output(
                    "out_l4",
                    "Line 4: additional tax",
                    "EARLY_PENALTY",
                    _PENALTY,
                    "form_5329_4",
                    why="10% of line 3 (25% for SIMPLE within 2 years)",
                    cite="IRC §72(t)(1), (6); Form 5329 line 4",
                ),
            ),
        ),
        (
            "If it were SIMPLE IRA money in the first two years",
            (
                Output(
                    "out_simple",
                    "Additional tax at 25%",
                    "EARLY_PENALTY",
                    ("in_taxable", "tbl_age", "SIMPLE_IRA", None, None, "in_year", None, True),
                    why="no exception, 25% rate",
                    cite="IRC §72(t)(6)",
                ),
            ),
        ),
    ),
    sources=(
        ("IRC §72(t)(1)", "10% additional tax on early distributions' taxable part"),
        (
            "IRC §72(t)(2)",
            "the exceptions (age 59½, death, disability, SEPP, medical, education, first home, birth/adoption, ...)",
        ),
        ("IRC §72(t)(6)", "25% for SIMPLE IRA distributions in the first two years"),
        ("Form 5329 instructions, line 2", "exception numbers 01-23"),
    ),
    lists=tuple((f"codes_{a}", _codes(a)) for a in ACCOUNT_TYPES),
    maps=(("account", _ACCOUNTS), ("exception", _EXCEPTIONS), ("yes_no", _YES_NO)),
    summary=(
        Output(
            "out_sum_sentence",
            "In short",
            formula=(
                f'"The additional tax is "&{_t("out_l4")}&" on "&{_t("out_l1")}&" of early distributions"&'
                f'IF({{out_l2}}>0,"; the exception covers "&{_t("out_l2")},"; no exception applies")&"."'
            ),
            py=lambda v: (
                f"The additional tax is {_tm(v, 'out_l4')} on {_tm(v, 'out_l1')} of early distributions"
                + (f"; the exception covers {_tm(v, 'out_l2')}" if _num(v["out_l2"]) > 0 else "; no exception applies")
                + "."
            ),
            fmt="text",
        ),
        _same(
            "out_sum_l4",
            "Additional tax (Form 5329 line 4)",
            "out_l4",
            "10% of line 3",
            "IRC §72(t)(1); Form 5329 line 4",
        ),
        _same(
            "out_sum_l2",
            "Not subject to it (line 2)",
            "out_l2",
            "the part the exception covers",
            "IRC §72(t)(2); Form 5329 line 2",
        ),
    ),
)
