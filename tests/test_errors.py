"""Every input error names the argument, the value and the rule; unsupported cases are refused."""

from __future__ import annotations

import pytest

import xl_rollover as xr


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: xr.roth_rollover_split(120000, 0, 100000),
            "distribution 120,000.00 exceeds account_balance 100,000.00",
        ),
        (
            lambda: xr.roth_rollover_split(1000, 0, 100000, rmd_amount="lots"),
            "rmd_amount must be a number, not the text 'lots'",
        ),
        (lambda: xr.roth_rollover_split(-5, 0, 100), "distribution -5 is negative"),
        (lambda: xr.roth_rollover_split("abc", 0, 100), "distribution must be a number, not the text 'abc'"),
        (lambda: xr.roth_rollover_split(True, 0, 100), "distribution must be a number, not the logical value True"),
        (lambda: xr.roth_rollover_split(float("nan"), 0, 100), "distribution must be a finite number"),
        (lambda: xr.roth_rollover_split("", 0, 100), "distribution is blank"),
        (lambda: xr.roth_rollover_split(None, 0, 100), "distribution is missing"),
        (lambda: xr.roth_rollover_split("10.005", 0, 100), "distribution 10.005 has fractions of a cent"),
        (lambda: xr.roth_rollover_split(0, 0, 100), "distribution is 0"),
        (lambda: xr.roth_rollover_split(10, 0, 0), "account_balance is 0"),
        (lambda: xr.roth_rollover_split(1e15, 0, 1e15), "exceeds the largest supported amount"),
        (
            lambda: xr.roth_rollover_split(100, 20, 100, to_roth_ira=150),
            "to_roth_ira 150.00 exceeds distribution 100.00",
        ),
        (
            lambda: xr.roth_rollover_split(100, 20, 100, to_roth_ira=60, to_traditional=50),
            "to_roth_ira 60.00 plus to_traditional 50.00 is 110.00, which exceeds distribution 100.00",
        ),
        (
            lambda: xr.roth_rollover_split(100, 20, 100, to_roth_ira=20, to_traditional=0, rolled_60day_roth=90),
            "60-day rollovers 90.00 (rolled_60day_roth 90.00 + rolled_60day_traditional 0.00) exceed the payment to the participant 80.00",
        ),
        (lambda: xr.roth_rollover_split(100, 20, 100, age=300), "age 300 is not a plausible age"),
        (lambda: xr.roth_rollover_split(100, 20, 100, age=-1), "age -1 is negative"),
        (lambda: xr.prorata_taxable(0, 100, 100), "converted and distributions are both 0"),
        (lambda: xr.prorata_taxable(100, -1, 100), "basis -1 is negative"),
        (
            lambda: xr.prorata_taxable(100, 1, 100, ratio_decimals=2),
            "ratio_decimals 2 must be a whole number from 3 to 12",
        ),
        (
            lambda: xr.form_8606(nondeductible_contributions=1000, late_contributions=2000),
            "late_contributions 2,000.00 exceeds nondeductible_contributions 1,000.00",
        ),
        (lambda: xr.early_penalty(100, 45, "CRYPTO"), "account_type 'CRYPTO' is not one of IRA, SEP_IRA"),
        (lambda: xr.early_penalty(100, 45, "IRA", "42"), "exception '42' is not a known §72(t) exception"),
        (lambda: xr.early_penalty(100, 45, "IRA", "lottery"), "exception 'lottery' is not a known §72(t) exception"),
        (
            lambda: xr.early_penalty(40000, 56, "IRA", "01"),
            "exception 01 separation_55 (separation from service in or after the year of reaching age 55 (50 for public "
            "safety employees)) does not apply to account_type IRA: it applies to employer plans only",
        ),
        (
            lambda: xr.early_penalty(15000, 45, "401K", "first_home"),
            "exception 09 first_home (qualified first-time homebuyer distribution ($10,000 lifetime)) does not apply to "
            "account_type 401K: it applies to IRAs only",
        ),
        (lambda: xr.early_penalty(100, 45, "IRA", "05"), "exception 05 medical needs exception_amount"),
        (lambda: xr.early_penalty(100, 45, "IRA", "22", 1000), "exception 22 domestic_abuse needs tax_year"),
        (
            lambda: xr.early_penalty(100, 45, "IRA", "23", 5000, 2023),
            "exception 23 emergency applies only to distributions after 2023-12-31, not to tax_year 2023",
        ),
        (
            lambda: xr.early_penalty(100, 45, "IRA", "22", 5000, 2027),
            "year 2027 is not in the limits table for domestic_abuse_cap_72t2K",
        ),
        (
            lambda: xr.early_penalty(100, 45, "IRA", simple_first_two_years=True),
            "simple_first_two_years applies only to account_type SIMPLE_IRA",
        ),
        (lambda: xr.early_penalty(100, 45, "IRA", "12"), "exception 12 age_59_5 needs age 59½ or older"),
        (
            lambda: xr.early_penalty(100, ("2000-01-01", "1999-01-01")),
            "distribution date 1999-01-01 is before birth date 2000-01-01",
        ),
        (lambda: xr.early_penalty(100, ("2000-13-01", "2020-01-01")), "age birth date '2000-13-01' is not a date"),
        (lambda: xr.early_penalty(100, (1, 2, 3)), "must be a pair (birth date, distribution date), got 3 values"),
        (
            lambda: xr.irs_limit("annual_additions_limit_415c1A", 2027),
            "year 2027 is not in the limits table for annual_additions_limit_415c1A (it holds 2018-2026)",
        ),
        (lambda: xr.irs_limit("no_such_limit", 2025), "name 'no_such_limit' is not in the limits table"),
        (
            lambda: xr.irs_limit("roth_ira_contribution_phaseout_start", 2025),
            "roth_ira_contribution_phaseout_start depends on filing_status",
        ),
        (
            lambda: xr.irs_limit("roth_ira_contribution_phaseout_start", 2025, "WIDOW"),
            "filing_status 'WIDOW' is not one of",
        ),
        (lambda: xr.irs_limit("annual_additions_limit_415c1A", 2025.5), "year 2025.5 is not a whole year"),
    ],
)
def test_input_error_message(call, message):
    with pytest.raises(xr.InputError) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("exception", "message"),
    [
        ("99", "call once for each exception"),
        ("16", "commercial annuity contracts"),
        ("long_term_care", "not yet supported"),
    ],
)
def test_unsupported_exceptions_are_refused(exception, message):
    with pytest.raises(xr.UnsupportedCase, match=message):
        xr.early_penalty(1000, 45, "IRA", exception)


def test_errors_are_one_hierarchy():
    assert issubclass(xr.InputError, xr.XlRolloverError)
    assert issubclass(xr.UnknownYear, xr.InputError)
    assert issubclass(xr.UnsupportedCase, xr.XlRolloverError)
    assert not issubclass(xr.UnsupportedCase, xr.InputError)
