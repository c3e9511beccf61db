"""roth_rollover_split: refused cases, the RMD-age test, and what the explanation tells the client (issue 11)."""

from __future__ import annotations

import pytest

import xl_rollover as xr


def rules(result) -> str:
    return " | ".join(f"{s.title}: {s.rule}" for s in result.explain())


# --- refused, never guessed: an input says the case is present --------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # Notice 2014-54 Background: annuity distributions use §72(d), not the pro-rata share.
        ({"annuity_payment": True}, r"annuity_payment: .*§72\(b\) and §72\(d\)"),
        # §402A(d)(4): a designated Roth account is a separate contract.
        ({"includes_designated_roth": True}, r"includes_designated_roth: .*§402A\(d\)\(4\)"),
        # §72(e)(8)(D): pre-1987 after-tax contributions may be recovered first.
        ({"pre_1987_basis": True}, r"pre_1987_basis: .*§72\(e\)\(8\)\(D\)"),
        # IRS 'Rollovers of after-tax contributions': the new rule from 2014-09-18; earlier ones had a choice.
        ({"age": ("1960-01-01", "2014-09-17")}, r"before 2014-09-18"),
        # RMD age reached (born 1951-03-01: 73 in 2024) and rmd_amount not given.
        ({"age": ("1951-03-01", "2025-06-01")}, r"rmd_amount: born 1951-03-01.*73 in 2024"),
        # 75 or more in years: every applicable age (70½, 72, 73, 75) is reached.
        ({"age": 75}, r"rmd_amount: at age 75 the participant has reached"),
        # 69 to 74 in years: the year of birth decides, which years alone cannot tell.
        ({"age": 69}, r"rmd_amount: at age 69 whether .* depends on the year of birth"),
        ({"age": 74.5}, r"rmd_amount: at age 74.5 whether"),
    ],
)
def test_refused_cases_raise(kwargs, message):
    with pytest.raises(xr.UnsupportedCase, match=message):
        xr.roth_rollover_split(50000, 10000, 100000, **kwargs)


def test_refusal_is_lifted_by_the_inputs_that_settle_it():
    assert xr.roth_rollover_split(50000, 10000, 100000, age=("1960-01-01", "2014-09-18")).taxable == 0
    assert xr.roth_rollover_split(50000, 10000, 100000, age=75, rmd_amount=0).taxable == 0
    # born 1960-05-01: applicable age 75 (IRC §401(a)(9)(C)(v)(II)), first RMD year 2035; 2026 is not one
    assert xr.roth_rollover_split(50000, 10000, 100000, age=("1960-05-01", "2026-01-10")).taxable == 0
    # born 1951-03-01: first RMD year 2024, so 2023 is not an RMD year
    assert xr.roth_rollover_split(50000, 10000, 100000, age=("1951-03-01", "2023-12-31")).rmd_pretax == 0
    assert xr.roth_rollover_split(50000, 10000, 100000, age=68.9).rmd_pretax == 0


def test_flags_reject_garbage():
    with pytest.raises(xr.InputError, match="separated_age_55 'maybe' must be TRUE or FALSE"):
        xr.roth_rollover_split(100, 0, 100, separated_age_55="maybe")
    with pytest.raises(xr.InputError, match="rmd_amount -1 is negative"):
        xr.roth_rollover_split(100, 0, 100, rmd_amount=-1)


def test_rmd_cannot_be_rolled_within_60_days():
    # 1,000 paid out, all of it the RMD (IRC §402(c)(4)(B)): nothing is left to roll over
    with pytest.raises(
        xr.InputError, match=r"exceed the payment to the participant 0.00 \(the RMD cannot be rolled over\)"
    ):
        xr.roth_rollover_split(1000, 0, 1000, 0, 0, 0, 1000, age=80, rmd_amount=1000)
    with pytest.raises(xr.InputError, match=r"to_roth_ira 1,000.00 exceeds the eligible rollover amount 600.00"):
        xr.roth_rollover_split(1000, 0, 1000, 1000, age=80, rmd_amount=400)


# --- assumed: the code cannot see it, the explanation says so --------------------------------


def test_explanation_states_the_assumptions():
    text = rules(xr.roth_rollover_split(100000, 20000, 100000))
    assert "no required minimum distribution is due from this account this year (age not given)" in text
    assert "on or after 18 September 2014" in text
    assert "separately accounted after-tax sub-account" in text
    assert "not an annuity payment" in text


def test_explanation_of_rmd_zero_says_none_is_due():
    text = rules(xr.roth_rollover_split(100000, 20000, 100000, age=75, rmd_amount=0))
    assert "no required minimum distribution is due for the year" in text
    assert "age not given" not in text


def test_explanation_of_small_payment_states_the_only_distribution_assumption():
    text = rules(xr.roth_rollover_split(150, 0, 150, 0, 0, age=45))
    assert "under 200.00" in text and "the year's only eligible rollover distribution from the plan" in text


def test_explanation_of_basis_above_value():
    r = xr.roth_rollover_split(50000, 60000, 50000)
    assert r.unrecovered_basis == 10000
    assert "left with no account to recover it from" in rules(r)


def test_traditional_ira_basis_feeds_next_years_form_8606():
    r = xr.roth_rollover_split(20500, 20000, 20500, to_roth_ira=10000, to_traditional=10500)
    assert r.traditional_ira_basis == 10000
    assert "Form 8606 line 2" in rules(r)
    # next year: 7,500 converted, 10,500 of traditional IRA at year end (the rolled 10,500), that basis:
    # line 10 = 10,000 / (10,500 + 7,500) = 0.556; nontaxable 7,500 x 0.556 = 4,170.00; taxable 3,330.00
    nxt = xr.form_8606(converted=7500, year_end_value=10500, prior_basis=r.traditional_ira_basis)
    assert nxt.taxable_conversion == 3330
