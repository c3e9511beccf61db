"""The §72(t) exception caps as the Code states them: first-home $10,000 lifetime (§72(t)(8)(B),
§408A(d)(5)), birth or adoption $5,000 per child (§72(t)(2)(H)(ii)(I)); exception 12 at 59½; a plan's
corrective distributions (§402(g)(2)(C), §401(k)(8)(D), §401(m)(7)(A)). Errors and invariants.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core import limits
from xl_rollover.core.rules.penalty_exceptions import EXCEPTIONS

money = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
used_money = st.integers(min_value=0, max_value=1_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=300, deadline=None)
@given(taxable=money, used=used_money, amount=st.none() | money)
def test_first_home_relief_never_exceeds_what_is_left_of_10000(taxable, used, amount):
    r = xr.early_penalty(taxable, 45, "IRA", "first_home", amount, first_home_used=used)
    assert r.excepted_amount <= Decimal(10000) - used
    assert r.excepted_amount <= taxable
    assert r.penalized_amount + r.excepted_amount == taxable


@settings(max_examples=300, deadline=None)
@given(
    amount=money,
    regular=money,
    conv_taxable=money,
    conv_year=st.integers(min_value=2018, max_value=2026),
    first=st.integers(min_value=2015, max_value=2018),
    used=used_money,
    explicit=st.booleans(),
    age=st.integers(min_value=20, max_value=59),
)
def test_roth_first_home_relief_is_one_lifetime_10000(
    amount, regular, conv_taxable, conv_year, first, used, explicit, age
):
    """Line 20 and the §72(t) first-home exception together relieve at most what is left of $10,000:
    against the same distribution with no first-home relief, the 10% tax falls by at most 10% of it."""
    common = dict(distribution_year=2026, age=age, first_roth_year=first)
    layers = [(conv_year, conv_taxable, 0)]
    r = xr.roth_ira_distribution(
        amount,
        regular,
        layers,
        qualifying_event="first_home",
        exception="first_home" if explicit else None,
        first_home_used=used,
        **common,
    )
    none = xr.roth_ira_distribution(amount, regular, layers, **common)
    left = Decimal(10000) - used
    assert r.lines.get("20", Decimal(0)) <= left
    assert none.taxable - r.taxable <= left
    assert none.penalty - r.penalty <= left * Decimal("0.10") + Decimal("0.01")
    assert r.penalty_base - r.penalized_amount <= left


@settings(max_examples=300, deadline=None)
@given(taxable=money, balance=money, year=st.sampled_from([2024, 2025, 2026]))
def test_vested_balance_caps_as_the_code_states_them(taxable, balance, year):
    """§72(t)(2)(K)(ii)(I): the lesser of the year's dollar limit (10,000; 10,300; 10,500) and 50% of the vested
    balance, here half-up to the cent; §72(t)(2)(I)(iii): the lesser of 1,000 and the balance over 1,000."""
    dollar = {2024: 10000, 2025: 10300, 2026: 10500}[year]
    half = (balance / 2).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    abuse = xr.early_penalty(taxable, 40, "IRA", "domestic_abuse", balance, year)
    assert abuse.excepted_amount == min(taxable, dollar, half)
    emergency = xr.early_penalty(taxable, 40, "401K", "emergency", balance, year)
    assert emergency.excepted_amount == min(taxable, 1000, max(balance - 1000, 0))
    assert emergency.penalized_amount + emergency.excepted_amount == taxable


@settings(max_examples=300, deadline=None)
@given(taxable=money, count=st.integers(min_value=1, max_value=20), amount=st.none() | money)
def test_birth_or_adoption_never_exceeds_5000_per_child(taxable, count, amount):
    r = xr.early_penalty(taxable, 30, "401K", "birth_adoption", amount, 2026, exception_count=count)
    assert r.excepted_amount <= Decimal(5000) * count
    assert r.excepted_amount <= taxable
    if amount is None:
        assert r.excepted_amount == min(taxable, Decimal(5000) * count)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: xr.early_penalty(100, 40, "IRA", "first_home", first_home_used=10000.01),
            "first_home_used 10,000.01 exceeds the 10,000.00 lifetime limit (IRC §72(t)(8)(B))",
        ),
        (
            lambda: xr.early_penalty(100, 40, "IRA", "disability", first_home_used=500),
            "first_home_used 500.00 applies only to exception 09 first_home",
        ),
        (lambda: xr.early_penalty(100, 40, "IRA", first_home_used=-1), "first_home_used -1 is negative"),
        (
            lambda: xr.early_penalty(100, 40, "IRA", "03", exception_count=2),
            "exception_count 2 applies only to exception 19 birth_adoption",
        ),
        (
            lambda: xr.early_penalty(100, 40, "IRA", 19, None, 2025, exception_count=0),
            "exception_count 0 must be a whole number of children from 1 to 20",
        ),
        (
            lambda: xr.early_penalty(100, 40, "IRA", 19, None, 2025, exception_count=1.5),
            "exception_count 1.5 must be a whole number",
        ),
        (
            lambda: xr.early_penalty(100, 40, "IRA", 19, None, 2025, exception_count="two"),
            "exception_count must be a number, not the text 'two'",
        ),
        (lambda: xr.early_penalty(100, 40, "IRA", 19, None, 2025, exception_count=True), "exception_count True"),
        (
            lambda: xr.early_penalty(100, 40, "IRA", "corrective"),
            "exception - corrective",
        ),
        (
            lambda: xr.roth_ira_distribution(
                100, 100, distribution_year=2026, age=40, first_roth_year=2018, first_home_used=100
            ),
            "first_home_used 100.00 applies only to a first-home distribution",
        ),
        (
            lambda: xr.roth_ira_distribution(
                100,
                100,
                distribution_year=2026,
                age=40,
                first_roth_year=2018,
                qualifying_event="first_home",
                first_home_used=20000,
            ),
            "first_home_used 20,000.00 exceeds the 10,000.00 lifetime limit",
        ),
    ],
)
def test_bad_new_inputs_are_named(call, message):
    with pytest.raises(xr.InputError) as info:
        call()
    assert message in str(info.value)


def test_corrective_is_for_plans_only_and_21_is_the_ira_case():
    corrective = next(e for e in EXCEPTIONS if e.key == "corrective")
    assert corrective.number is None  # no line 2 number: not an early distribution at all
    assert corrective.applies_to("401K") and corrective.applies_to("403B") and not corrective.applies_to("IRA")
    ira = next(e for e in EXCEPTIONS if e.number == "21")
    assert ira.applies_to("IRA") and not ira.applies_to("401K")


def test_caps_are_table_data_not_branches_on_keys():
    by_key = {e.key: e for e in EXCEPTIONS}
    assert by_key["birth_adoption"].per_count and by_key["first_home"].lifetime
    # the vested-balance caps: a share of the balance over a floor, rows of the limits table with their sources
    abuse, emergency = by_key["domestic_abuse"], by_key["emergency"]
    share_floor = [
        (limits.value(e.balance_share_parameter, 2025)[0], limits.value(e.balance_floor_parameter, 2025)[0])
        for e in (abuse, emergency)
    ]
    assert share_floor == [(Decimal("0.5"), 0), (1, 1000)]  # §72(t)(2)(K)(ii)(I)(bb); §72(t)(2)(I)(iii)(II)
    assert limits.lookup(abuse.balance_share_parameter, None).source.startswith("IRC 72(t)(2)(K)(ii)(I)(bb)")
    import inspect

    from xl_rollover.core.rules import early_penalty as module
    from xl_rollover.templates import excel_formulas

    source = inspect.getsource(module)
    for key in ("birth_adoption", "domestic_abuse", "first_home", "emergency", "half", "over"):
        assert f'"{key}"' not in source, key
    assert '"half"' not in inspect.getsource(excel_formulas) and '"over"' not in inspect.getsource(excel_formulas)


def test_a_changed_balance_row_changes_the_cap(monkeypatch):
    # the rule reads the share and floor from the table: another row, another figure (no branch on the key)
    base = xr.early_penalty(15000, 40, "IRA", "domestic_abuse", 15000, tax_year=2024)
    assert base.excepted_amount == Decimal("7500.00")  # the lesser of 10,000 and 50% of 15,000
    table = limits.value
    rows = {"domestic_abuse_balance_share_72t2K": Decimal("0.25"), "domestic_abuse_balance_floor_72t2K": Decimal(1000)}

    def value(name, year, filing_status=None):
        return (rows[name], "test row") if name in rows else table(name, year, filing_status)

    monkeypatch.setattr(limits, "value", value)
    r = xr.early_penalty(15000, 40, "IRA", "domestic_abuse", 15000, tax_year=2024)
    assert r.excepted_amount == Decimal("3500.00")  # 25% of (15,000 - 1,000)
    assert "25% of the vested balance over 1,000.00 (3,500.00)" in r.steps[-2].rule
    assert r.penalty == Decimal("1150.00")  # 10% of 11,500


def test_status_words_say_why_there_is_no_tax():
    assert xr.early_penalty(5000, 62, "IRA").status == "not subject to the 10% tax: age 59½"
    assert xr.early_penalty(5000, 40, "IRA").status == "subject to the 10% tax"
    assert (
        xr.early_penalty(5000, 40, "401K", "03").status
        == "not subject to the 10% tax: total and permanent disability, Form 5329 exception 03"
    )
    assert (
        xr.early_penalty(15000, 40, "IRA", "09").status
        == "partly subject to the 10% tax: the rest is excepted (qualified first-time homebuyer distribution ($10,000 lifetime), Form 5329 exception 09)"
    )
    assert xr.early_penalty(0, 40, "IRA").status == "nothing includible: no 10% tax"
    r = xr.roth_ira_distribution(5000, 0, [(2020, 5000, 0)], distribution_year=2022, age=62, first_roth_year=2020)
    assert r.penalty_base == Decimal("5000.00") and r.penalized_amount == Decimal("0.00")
    assert r.penalty_status == "not subject to the 10% tax: age 59½"


# --- every face takes the new inputs -----------------------------------------------------------


def test_worksheet_functions_take_the_new_inputs():
    from xl_rollover.excel import functions as F

    # twins: 2 × 5,000 = 10,000 excepted of 12,000; 2,000 × 10% = 200
    assert F.EARLY_PENALTY(12000.0, 33.0, "IRA", 19.0, None, 2025.0, None, None, 2.0) == 200.0
    # first home, 4,000 used earlier: 6,000 excepted of 15,000; 900 (0 used: 500)
    assert F.EARLY_PENALTY(
        [[15000.0], [15000.0]], 45.0, "IRA", "first_home", None, None, None, None, None, [[0.0], [4000.0]]
    ) == [
        [500.0],
        [900.0],
    ]
    # the same first-home case through Form 8606 line 20: 10,000 - 2,500 = 7,500
    assert (
        F.ROTH_IRA_DISTRIBUTION(15000.0, 3000.0, None, 2026.0, 40.0, 2018.0, None, "lines_20", "first_home", 2500.0)
        == 7500.0
    )
    assert F.EARLY_PENALTY(8000.0, 61.0, None, 12.0, None, None, "form_5329_2") == 8000.0


def test_whole_column_sends_the_new_inputs_to_the_core():
    from xl_rollover.excel import adapter
    from xl_rollover.excel.functions import SPECS

    for extra in (
        [None, [[1.0], [2.0], [None]]],  # exception_count without exception 19: the core's error, row by row
        [None, [[0.0], [500.0], [None]]],  # first_home_used without the first-home exception
    ):
        args = [[[10000.0], [10000.0], [10000.0]], 45.0, None, None, None, None, None, None, *extra]
        fast = adapter.run(SPECS["EARLY_PENALTY"], args)
        assert fast == adapter.run(SPECS["EARLY_PENALTY"], args, whole_columns=False)
        assert isinstance(fast[1][0], str) and fast[1][0].startswith("#VALUE!")


def test_cli_takes_the_new_options(capsys):
    from xl_rollover.cli.main import main

    assert (
        main(["penalty", "12000", "33", "--exception", "19", "--tax-year", "2025", "--exception-count", "2", "--json"])
        == 0
    )
    assert '"penalty": "200.00"' in capsys.readouterr().out
    assert main(["penalty", "15000", "45", "--exception", "first_home", "--first-home-used", "4000", "--json"]) == 0
    assert '"penalty": "900.00"' in capsys.readouterr().out
    argv = ["roth-withdrawal", "15000", "--regular-contributions", "3000", "--distribution-year", "2026", "--age", "40"]
    argv += ["--first-roth-year", "2018", "--qualifying-event", "first_home", "--first-home-used", "2500", "--json"]
    assert main(argv) == 0
    assert '"penalty": "450.00"' in capsys.readouterr().out
    assert main(["penalty", "100", "40", "--first-home-used", "5", "--json"]) == 2


def test_batch_does_not_drop_the_new_columns():
    import pandas as pd

    from xl_rollover.batch import runner as batch

    frame = pd.DataFrame(
        {
            "taxable_amount": [12000.0, 15000.0, 10000.0, 10000.0],
            "age": [33, 45, 45, 45],
            "account_type": ["IRA", "IRA", "IRA", "IRA"],
            "exception": ["19", "first_home", None, None],
            "tax_year": [2025, None, None, None],
            "exception_count": [2, None, None, 2],
            "first_home_used": [None, 4000.0, 500.0, None],
        }
    )
    rule = batch.RULES["early_penalty"]
    fast, slow = batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame)
    assert [str(v) for v in fast["penalty"][:2]] == ["200.00", "900.00"]
    assert [str(v) for v in slow["penalty"][:2]] == ["200.00", "900.00"]
    for out in (fast, slow):
        assert "first_home_used 500.00 applies only" in out["error"][2]
        assert "exception_count 2 applies only" in out["error"][3]


def test_roth_first_home_states_the_costs_assumption():
    # IRC §72(t)(8)(A): only the part used for qualified acquisition costs is a first-home distribution;
    # without the costs the explanation says the whole line 20 amount is assumed spent on them
    bare = xr.roth_ira_distribution(
        15000, 3000, distribution_year=2026, age=40, first_roth_year=2018, qualifying_event="first_home"
    )
    text = " | ".join(s.rule for s in bare.explain())
    assert "assumed spent on qualified acquisition costs within 120 days" in text
    costs = xr.roth_ira_distribution(
        15000,
        3000,
        distribution_year=2026,
        age=40,
        first_roth_year=2018,
        qualifying_event="first_home",
        exception=("09", 6000),
    )
    assert "assumed spent" not in " | ".join(s.rule for s in costs.explain())
    assert costs.lines["20"] == 6000 and bare.lines["20"] == 10000
