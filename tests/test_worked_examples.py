"""Every worked example for the core functions, as data (tests/cases/*.toml), exact to the cent."""

from __future__ import annotations

import pytest

import xl_rollover as xr

from .conftest import check, load_cases


@pytest.mark.parametrize("case", load_cases("split"), ids=lambda c: c["id"])
def test_split_case(case):
    check(xr.roth_rollover_split(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize("case", load_cases("form_8606"), ids=lambda c: c["id"])
def test_form_8606_case(case):
    function = getattr(xr, case["function"])
    check(function(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize("case", load_cases("early_penalty"), ids=lambda c: c["id"])
def test_early_penalty_case(case):
    check(xr.early_penalty(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize("case", load_cases("roth_ira"), ids=lambda c: c["id"])
def test_roth_ira_distribution_case(case):
    check(xr.roth_ira_distribution(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize("case", load_cases("contribution_limits"), ids=lambda c: c["id"])
def test_contribution_limit_case(case):
    check(getattr(xr, case["function"])(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize("case", load_cases("rmd"), ids=lambda c: c["id"])
def test_rmd_case(case):
    check(xr.required_minimum_distribution(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize("case", load_cases("sepp"), ids=lambda c: c["id"])
def test_sepp_case(case):
    check(xr.sepp_payment(**case["args"]), case["expected"], case["id"])


@pytest.mark.parametrize(
    ("case_id", "kwargs", "message"),
    [
        # W-P05 (IRS 'Rollovers of After-Tax Contributions', 'Prior distribution rules': each destination 80/20)
        # and W-S04 'Sarah' (Choate p.113, a 2010 distribution under Notice 2009-68: 16,000 taxable in the Roth
        # leg): before 2015-01-01 either rule may apply (Notice 2014-54 §VI), so the legacy figure is refused.
        (
            "W-P05/W-S04-sarah-legacy",
            {"to_roth_ira": 20000, "to_traditional": 80000, "age": ("1960-01-01", "2010-06-01")},
            r"before 2015-01-01",
        ),
        # W-P07 (IRS 'Designated Roth account', Joe: 14,000 nonqualified, 11,000 basis, 7,000 rolled in 60 days):
        # a designated Roth account is a separate contract (§402A(d)(4)); its split is not covered.
        ("W-P07", {"to_roth_ira": 0, "to_traditional": 0, "includes_designated_roth": True}, r"§402A\(d\)\(4\)"),
    ],
)
def test_worked_examples_outside_the_rules_are_refused(case_id, kwargs, message):
    distribution, basis = (14000, 11000) if case_id == "W-P07" else (100000, 20000)
    with pytest.raises(xr.UnsupportedCase, match=message):
        xr.roth_rollover_split(distribution, basis, distribution, **kwargs)
