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
        # Notice 2014-54 §VI: mandatory for distributions on or after 2015-01-01; from 2014-09-18 the
        # taxpayer MAY apply it (and earlier a reasonable interpretation), so both sides of 2014-09-18 are a
        # choice between the Notice and the per-destination rule (Notice 2009-68): refused, not guessed.
        ({"age": ("1960-01-01", "2014-09-17")}, r"before 2015-01-01"),
        ({"age": ("1960-01-01", "2014-12-31")}, r"age: the distribution date 2014-12-31 is before 2015-01-01"),
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
    assert xr.roth_rollover_split(50000, 10000, 100000, age=("1960-01-01", "2015-01-01")).taxable == 0
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
    assert "on or after 1 January 2015" in text
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


# --- the same inputs through every face ---------------------------------------------------------


def test_worksheet_function_takes_the_new_arguments():
    import datetime as dt

    from xl_rollover.excel import functions as F

    # rmd-4000-of-50000 (tests/cases/split.toml): born 1951-03-01, paid 2025-06-01, RMD 4,000: 3,200 taxable
    got = F.ROTH_ROLLOVER_SPLIT(
        50000.0,
        20000.0,
        100000.0,
        None,
        None,
        "taxable",
        None,
        None,
        [[dt.datetime(1951, 3, 1), dt.datetime(2025, 6, 1)]],
        4000.0,
    )
    assert got == 3200.0
    # code-2-separated-at-55: the payment's box 7 is 2
    assert (
        F.ROTH_ROLLOVER_SPLIT(10000.0, 0.0, 10000.0, 0.0, 0.0, "form_1099r_1_box7_code", None, None, 56.0, None, True)
        == "2"
    )
    # a refused case is #N/A with the reason (classic xlwings: the text)
    refused = F.ROTH_ROLLOVER_SPLIT(100.0, 0.0, 100.0, None, None, None, None, None, None, None, None, True)
    assert refused.startswith("#N/A annuity_payment")
    assert F.ROTH_ROLLOVER_SPLIT(100.0, 0.0, 100.0, None, None, None, None, None, 80.0).startswith("#N/A rmd_amount")
    # basis above value: unrecovered_basis is an output field
    assert F.ROTH_ROLLOVER_SPLIT(50000.0, 60000.0, 50000.0, None, None, "unrecovered_basis") == 10000.0


def test_cli_split_options(capsys):
    import json

    from xl_rollover.cli.main import main

    argv = ["split", "50000", "20000", "100000", "--age", "1951-03-01:2025-06-01", "--rmd-amount", "4000", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rmd_pretax"] == "3200.00" and data["taxable"] == "3200.00" and data["withholding"] == "0.00"
    argv = ["split", "10000", "0", "10000", "--to-roth-ira", "0", "--to-traditional", "0", "--age", "56"]
    assert main([*argv, "--separated-age-55", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["form_1099r"][0]["box7_code"] == "2"
    assert main([*argv, "--includes-designated-roth"]) == 3
    assert "§402A(d)(4)" in capsys.readouterr().err
    assert main(["split", "100", "0", "100", "--age", "75"]) == 3  # RMD age, no --rmd-amount
    assert "rmd_amount" in capsys.readouterr().err


def test_batch_columns():
    pd = pytest.importorskip("pandas")
    from xl_rollover.batch import runner as batch

    frame = pd.DataFrame(
        {
            "function": ["roth_rollover_split"] * 3,
            "distribution": ["50000", "150", "100"],
            "after_tax_basis": ["60000", "0", "0"],
            "account_balance": ["50000", "150", "100"],
            "to_roth_ira": [None, "0", None],
            "to_traditional": [None, "0", None],
            "age": [None, "45", "80"],
            "rmd_amount": [None, None, None],
            "pre_1987_basis": [False, False, False],
        }
    )
    out = batch.as_text(batch.run(frame)["roth_rollover_split"])
    assert out.loc[0, "unrecovered_basis"] == "10000.00" and out.loc[0, "taxable"] == "0.00"
    assert out.loc[1, "withholding"] == "0.00" and out.loc[1, "taxable"] == "150.00"
    assert "rmd_amount" in out.loc[2, "error"]


# --- in-plan Roth rollover: partial basis refused, whole-account rollover and the assumption stated ---


def test_in_plan_roth_partial_rollover_with_basis_is_refused():
    # 10,000 of a 20,500 account holding 20,000 basis: how basis follows a partial IRR is not verified
    with pytest.raises(xr.UnsupportedCase, match=r"account_balance: rolling 10,000.00 of an account of 20,500.00"):
        xr.in_plan_roth_rollover(10000, 20000, 2026, account_balance=20500)


def test_in_plan_roth_whole_account_and_assumption():
    # W-C16 facts with the balance given: the whole 20,500 rolled with its 20,000 basis: 500 taxable
    r = xr.in_plan_roth_rollover(20500, 20000, 2026, account_balance=20500)
    assert r.taxable == 500 and "the whole account is rolled" in rules(r)
    # a partial rollover from an account with no basis has nothing to allocate: all 5,000 taxable
    assert xr.in_plan_roth_rollover(5000, 0, 2026, account_balance=20500).taxable == 5000
    assert "basis is the after-tax part of the amount rolled" in rules(xr.in_plan_roth_rollover(20500, 20000, 2026))


def test_rmd_amount_before_the_rmd_age_is_an_input_error():
    # born 1960-05-01: applicable age 75 (IRC §401(a)(9)(C)(v)(II)), first RMD year 2035; none is due in 2026
    with pytest.raises(xr.InputError, match=r"rmd_amount 1,000\.00 is given, but the distribution year 2026 is before"):
        xr.roth_rollover_split(5000, 0, 5000, age=("1960-05-01", "2026-01-10"), rmd_amount=1000)
    with pytest.raises(xr.InputError, match="at age 50 no RMD applicable age is reached"):
        xr.roth_rollover_split(5000, 0, 5000, age=50, rmd_amount=1000)
    assert xr.roth_rollover_split(5000, 0, 5000, age=50, rmd_amount=0).rmd_pretax == 0
