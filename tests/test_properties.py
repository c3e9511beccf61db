"""Invariants that must hold to the cent for any input (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import xl_rollover as xr

cents = st.integers(min_value=0, max_value=10**10).map(lambda c: Decimal(c).scaleb(-2))
positive = st.integers(min_value=1, max_value=10**10).map(lambda c: Decimal(c).scaleb(-2))
fractions = st.fractions(min_value=0, max_value=1)


def part(total: Decimal, fraction) -> Decimal:
    """A cent amount between 0 and total."""
    return (total * Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
        Decimal("0.01"), rounding="ROUND_FLOOR"
    )


@st.composite
def split_inputs(draw):
    balance = draw(positive)
    distribution = max(part(balance, draw(fractions)), Decimal("0.01"))
    # basis up to twice the balance: an after-tax sub-account can be worth less than its basis
    basis = part(balance * 2, draw(fractions)) if draw(st.booleans()) else part(balance, draw(fractions))
    rmd = draw(st.none() | fractions.map(lambda f: part(distribution * Decimal("1.2"), f)))
    eligible = distribution - min(rmd or 0, distribution)
    roth = draw(st.none() | fractions.map(lambda f: part(eligible, f)))
    trad = draw(st.none() | fractions.map(lambda f: part(eligible, f)))
    if roth is None:
        trad = None  # the default Roth amount is the after-tax share, which the rule itself computes
    if roth is not None and trad is not None and roth + trad > eligible:
        trad = eligible - roth
    if roth is None or trad is None:
        r60 = (Decimal(0), Decimal(0))
    else:
        cash = eligible - roth - trad
        r60_trad = part(cash, draw(fractions))
        r60_roth = part(cash - r60_trad, draw(fractions))
        r60 = (r60_roth, r60_trad)
    return dict(
        distribution=distribution,
        after_tax_basis=basis,
        account_balance=balance,
        to_roth_ira=roth,
        to_traditional=trad,
        rolled_60day_roth=r60[0],
        rolled_60day_traditional=r60[1],
        rmd_amount=rmd,
    )


@settings(max_examples=400)
@given(split_inputs())
def test_split_parts_sum_to_the_whole(args):
    r = xr.roth_rollover_split(**args)
    d = args["distribution"]
    assert r.after_tax + r.pretax == d
    landed = (
        r.roth_after_tax
        + r.roth_pretax
        + r.traditional_after_tax
        + r.traditional_pretax
        + r.kept_after_tax
        + r.kept_pretax
        + r.rmd_after_tax
        + r.rmd_pretax
    )
    assert landed == d, "money created or lost between destinations"
    assert r.roth_pretax + r.traditional_pretax + r.kept_pretax + r.rmd_pretax == r.pretax
    assert r.roth_after_tax + r.traditional_after_tax + r.kept_after_tax + r.rmd_after_tax == r.after_tax
    # nontaxable never exceeds the basis nor the amount (§72(e)(8); issue 11 defect 3)
    assert r.after_tax <= min(args["after_tax_basis"], d)
    assert r.unrecovered_basis == max(0, args["after_tax_basis"] - args["account_balance"])
    # the RMD part is never rolled: it is exactly min(RMD, distribution), paid to the participant
    assert r.rmd_after_tax + r.rmd_pretax == min(args["rmd_amount"] or 0, d)
    assert r.traditional_ira_basis == r.traditional_after_tax
    assert (
        r.cash_after_tax + r.cash_pretax
        == r.rolled_60day_after_tax + r.rolled_60day_pretax + r.kept_after_tax + r.kept_pretax
    )
    assert r.remaining_balance + d == args["account_balance"]
    assert r.remaining_basis >= 0 and r.remaining_basis + r.after_tax == args["after_tax_basis"]
    for value in (
        r.after_tax,
        r.pretax,
        r.roth_after_tax,
        r.roth_pretax,
        r.traditional_after_tax,
        r.traditional_pretax,
        r.cash_after_tax,
        r.cash_pretax,
        r.kept_after_tax,
        r.kept_pretax,
        r.rmd_after_tax,
        r.rmd_pretax,
        r.unrecovered_basis,
    ):
        assert value >= 0 and value == value.quantize(Decimal("0.01"))


@settings(max_examples=400)
@given(split_inputs())
def test_split_taxable_never_above_pretax_and_after_tax_never_taxed(args):
    r = xr.roth_rollover_split(**args)
    assert 0 <= r.taxable <= r.pretax <= args["distribution"]
    assert r.penalty_base <= r.taxable
    # 20% of the pretax paid out, none on the RMD, none when the eligible rollover distribution is under
    # $200 (IRC §3405(c)(1); Treas. Reg. §31.3405(c)-1 Q&A-14)
    eligible = args["distribution"] - r.rmd_after_tax - r.rmd_pretax
    twenty = (r.cash_pretax * Decimal("0.2")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert r.withholding == (0 if eligible < 200 else twenty)
    # after-tax money never adds to income: raising the basis never raises the taxable amount
    if args["after_tax_basis"] < args["account_balance"] and args["to_roth_ira"] is not None and not args["rmd_amount"]:
        more = dict(args, after_tax_basis=args["account_balance"])
        assert xr.roth_rollover_split(**more).taxable == 0


@settings(max_examples=400)
@given(cents, cents, cents, cents, st.sampled_from([3, 4, 6, None]))
def test_prorata_bounds(converted, basis, year_end, distributions, places):
    assume(converted + distributions > 0)
    r = xr.prorata_taxable(converted, basis, year_end, distributions, ratio_decimals=places)
    assert 0 <= r.nontaxable_conversion + r.nontaxable_distributions <= basis
    assert r.basis_remaining >= 0
    assert r.nontaxable_conversion + r.taxable_conversion == converted
    assert r.nontaxable_distributions + r.taxable_distributions == distributions
    assert 0 <= r.taxable_conversion <= converted
    assert r.basis_remaining + r.nontaxable_conversion + r.nontaxable_distributions == basis
    assert 0 <= r.ratio <= 1


@settings(max_examples=300)
@given(cents, cents, cents, cents, cents, st.sampled_from([3, None]))
def test_form_8606_basis_never_negative(converted, year_end, distributions, contributions, prior, places):
    r = xr.form_8606(converted, year_end, distributions, contributions, prior, ratio_decimals=places)
    assert r.basis_remaining >= 0
    assert r.nontaxable_conversion <= r.lines["3"]
    assert r.taxable_conversion + r.nontaxable_conversion == converted


@settings(max_examples=300)
@given(
    cents,
    st.decimals(min_value=0, max_value=125, places=1),
    st.sampled_from(["IRA", "SEP_IRA", "SIMPLE_IRA", "ROTH_IRA", "401K", "403B", "PLAN", "GOV_457B"]),
    st.booleans(),
)
def test_penalty_never_above_a_quarter(taxable, age, account, first_two):
    first_two = first_two and account == "SIMPLE_IRA"
    r = xr.early_penalty(taxable, age, account, simple_first_two_years=first_two)
    assert 0 <= r.penalty <= (taxable * Decimal("0.25")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    if not first_two:
        assert r.penalty <= (taxable * Decimal("0.10")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert r.penalized_amount + r.excepted_amount == taxable


@settings(max_examples=200)
@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
)
def test_results_do_not_depend_on_argument_types(a, b, c):
    distribution = max(min(a, b), 1)
    balance = max(a, b, distribution)
    basis = min(c, balance)
    as_int = xr.roth_rollover_split(distribution, basis, balance)
    for convert in (str, float, Decimal, lambda n: f"{n:,}"):
        other = xr.roth_rollover_split(convert(distribution), convert(basis), convert(balance))
        assert other == as_int
    cents_value = Decimal(distribution).scaleb(-2)
    assert xr.prorata_taxable(float(cents_value), basis, balance) == xr.prorata_taxable(
        str(cents_value), basis, balance
    )
    assert xr.early_penalty(float(cents_value), 40.0, "IRA") == xr.early_penalty(cents_value, 40, "IRA")
