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
