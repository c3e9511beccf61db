"""Invariants of the Roth IRA ordering (hypothesis) and the new functions' errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr

cents = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))
layer = st.tuples(st.integers(min_value=2000, max_value=2026), cents, cents)


@settings(max_examples=400)
@given(
    cents,
    cents,
    st.lists(layer, max_size=4),
    st.integers(min_value=2000, max_value=2040),
    st.decimals(min_value=0, max_value=100, places=1),
    st.sampled_from([None, 1998, 2000]),
    st.sampled_from([None, "death", "disability", "first_home"]),
)
def test_ordering_invariants(amount, regular, layers, year, age, first, event):
    layers = [(min(y, year), t, n) for y, t, n in layers]
    if first is None and not layers and (age >= Decimal("59.5") or event):
        first = 1998
    r = xr.roth_ira_distribution(
        amount, regular, layers, distribution_year=year, age=age, first_roth_year=first, qualifying_event=event
    )
    assert sum(o.amount for o in r.layers_out) == amount, "what came out must equal the withdrawal"
    for o in r.layers_out:
        assert o.amount > 0 and o.taxed >= 0 and o.penalised >= 0
    left = r.layers_left
    assert left.regular_contributions >= 0
    assert all(c.taxable >= 0 and c.nontaxable >= 0 for c in left.conversions)
    basis_in = regular + sum((t + n for _, t, n in layers), Decimal(0))
    basis_left = left.regular_contributions + sum((c.taxable + c.nontaxable for c in left.conversions), Decimal(0))
    assert basis_in - basis_left == sum((o.amount for o in r.layers_out if o.layer != "earnings"), Decimal(0))
    assert 0 <= r.taxable <= amount
    assert 0 <= r.penalty_base <= amount
    assert r.penalty <= (r.penalty_base * Decimal("0.10")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    if r.qualified:
        assert r.taxable == 0 and r.penalty == 0


def test_chaining_years_uses_layers_left():
    first = xr.roth_ira_distribution(5000, 0, [(2025, 500, 20000)], distribution_year=2027, age=47)
    second = xr.roth_ira_distribution(5000, distribution_year=2028, age=48, **first.layers_left.as_args())
    # the 2025 taxable part left in 2027; 2028 takes 5,000 of basis: no tax, no penalty (W-C11 continued)
    assert second.penalty == 0 and second.taxable == 0
    assert second.layers_left.conversions[0].nontaxable == Decimal("10500.00")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: xr.roth_ira_distribution(100, conversions=[(2030, 1, 1)], distribution_year=2026, age=40),
            "conversion year 2030 is after distribution_year 2026",
        ),
        (
            lambda: xr.roth_ira_distribution(100, conversions=[(2020, 1)], distribution_year=2026, age=40),
            "conversions row 1 must be (year, taxable part, nontaxable part)",
        ),
        (lambda: xr.roth_ira_distribution(100, 100, distribution_year=2026, age=62), "first_roth_year is required"),
        (
            lambda: xr.roth_ira_distribution(
                100, conversions=[(2020, 1, 1)], distribution_year=2026, age=40, first_roth_year=2021
            ),
            "first_roth_year 2021 is after the first conversion year 2020",
        ),
        (
            lambda: xr.roth_ira_distribution(100, distribution_year=2026, age=40, qualifying_event="wedding"),
            "qualifying_event 'wedding' is not one of death, disability, first_home",
        ),
        (
            lambda: xr.roth_ira_distribution(100, distribution_year=2026, age=("1980-01-01", "2025-06-01")),
            "outside distribution_year 2026",
        ),
        (
            lambda: xr.mega_backdoor_room(2026, 40000, 0, age=40),
            "employee_deferrals 40,000.00 exceed the 2026 §402(g) limit 24,500.00",
        ),
        (lambda: xr.mega_backdoor_room(2027, 1000, 0), "year 2027 is not in the limits table"),
        (lambda: xr.mega_backdoor_room(2026, 1000, 0, age=300), "age 300 is not a plausible age"),
        (lambda: xr.roth_ira_contribution_limit(2026, 1000, "MARRIED", 40), "filing_status 'MARRIED' is not one of"),
        (lambda: xr.roth_ira_contribution_limit(2027, 1000, "SINGLE", 40), "year 2027 is not in the limits table"),
        (
            lambda: xr.traditional_ira_deduction_limit(2026, 1000, "SINGLE", 40, "maybe"),
            "active_participant 'maybe' must be TRUE or FALSE",
        ),
        (lambda: xr.in_plan_roth_rollover(100, 200, 2026), "basis 200.00 exceeds amount 100.00 rolled"),
    ],
)
def test_errors(call, message):
    with pytest.raises(xr.InputError) as info:
        call()
    assert message in str(info.value)


def test_in_plan_roth_rollover_w_c16():
    # W-C16 (IRS 'Designated Roth account' page): 20,500 rolled with 20,000 basis at 45: 500 income, no 10% now,
    # 500 recaptured if withdrawn within five years
    r = xr.in_plan_roth_rollover(20500, 20000, 2026)
    assert (r.taxable, r.penalty, r.recapture_base) == (Decimal("500.00"), 0, Decimal("500.00"))
    assert r.recapture_ends.isoformat() == "2030-12-31"
    with pytest.raises(xr.UnsupportedCase, match="Notice 2010-84"):
        xr.drac_withdrawal_recapture(1000)


@pytest.mark.parametrize("option", ["A", "B"])
def test_demo_penalty_free_schedule_is_exact(option):
    from xl_rollover.core import demo

    chosen = {o.name: o for o in demo.run().options}[option]
    for year in range(2026, 2032):
        age = 45 + year - 2025
        free = chosen.penalty_free(year)
        at = xr.roth_ira_distribution(free, 0, chosen.roth_layers, distribution_year=year, age=age)
        assert at.penalty == 0 and at.taxable == 0
        over = xr.roth_ira_distribution(free + Decimal("0.10"), 0, chosen.roth_layers, distribution_year=year, age=age)
        assert over.penalty > 0 or over.taxable > 0, f"{option} {year}: one more dime should cost something"


def test_demo_option_b_blocked_until_2030():
    # W-C11's rule applied to the seed case: the 1,850 converted in 2025 comes out first and is penalised until 2029
    from xl_rollover.core import demo

    b = demo.run().options[1]
    assert b.penalty_free(2029) == 0
    assert b.penalty_free(2030) == Decimal("49350.00")  # 41,850 rolled in 2025 + 7,500 backdoor in 2026


@settings(max_examples=300)
@given(
    cents,
    st.lists(layer, max_size=4),
    st.integers(min_value=2000, max_value=2040),
    st.decimals(min_value=0, max_value=Decimal("59.4"), places=1),
)
def test_penalty_free_amount_is_exactly_where_tax_or_the_10_percent_begins(regular, layers, year, age):
    # Two statements of the ordering agree (Reg. §1.408A-6 A-5(c), A-8): before 59½, withdrawing the
    # penalty-free amount costs nothing; one cent more is under §72(t): a recaptured conversion part (not
    # income) or, once all basis is out, earnings (income too, A-4).
    layers = [(min(y, year), t, n) for y, t, n in layers]
    free = xr.roth_penalty_free(regular, layers, distribution_year=year, age=age).penalty_free
    at = xr.roth_ira_distribution(free, regular, layers, distribution_year=year, age=age)
    assert (at.taxable, at.penalty_base, at.penalty) == (0, 0, 0)
    over = xr.roth_ira_distribution(free + Decimal("0.01"), regular, layers, distribution_year=year, age=age)
    assert over.penalty_base == Decimal("0.01") and over.taxable in (0, Decimal("0.01"))
