"""Results explain themselves: ordered steps with rule, citation and numbers; readable str()."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import xl_rollover as xr

CALLS = [
    lambda: xr.roth_rollover_split(
        150000, 50000, 150000, to_roth_ira=0, to_traditional=0, rolled_60day_traditional=100000, age=50
    ),
    lambda: xr.prorata_taxable(30000, 20000, 40000),
    lambda: xr.form_8606(converted=7000, nondeductible_contributions=7000, prior_basis=100),
    lambda: xr.early_penalty(15000, 45, "IRA", "first_home"),
    lambda: xr.irs_limit("annual_additions_limit_415c1A", 2025),
]


@pytest.mark.parametrize("call", CALLS)
def test_every_step_cites_an_authority(call):
    result = call()
    steps = result.explain()
    assert steps
    for step in steps:
        assert step.rule and step.title
        assert any(word in step.citation for word in ("IRC", "Notice", "Form", "Reg.", "Instructions", "IRS")), (
            step.citation
        )


@pytest.mark.parametrize("call", CALLS)
def test_results_are_frozen_and_serialisable(call):
    result = call()
    name = result.field_names()[0]
    with pytest.raises(AttributeError):
        setattr(result, name, Decimal(1))
    data = json.loads(json.dumps(result.as_dict()))
    assert set(result.field_names()) <= set(data)
    assert data["explanation"]
    assert type(result).__name__ in str(result)


def test_split_explanation_follows_the_money():
    steps = xr.roth_rollover_split(
        10000, 0, 10000, to_roth_ira=0, to_traditional=0, rolled_60day_traditional=8000, age=42
    ).explain()
    titles = [s.title for s in steps]
    assert (
        titles.index("Pro-rata share of after-tax basis")
        < titles.index("60-day rollovers")
        < titles.index("Taxable amount")
    )
    withholding = next(s for s in steps if s.title == "Mandatory withholding")
    assert withholding.outputs["withholding"] == Decimal("2000.00")
    assert "§3405(c)" in withholding.citation


def test_form_8606_steps_name_form_lines():
    steps = xr.prorata_taxable(5000, 2300, 20000).explain()
    ratio = next(s for s in steps if s.form_line == "8606 line 10")
    assert ratio.outputs["line 10"] == Decimal("0.092")
    assert "rounded half-up to 3 places" in ratio.rule


def test_cap_at_basis_is_explained():
    steps = xr.prorata_taxable(3000, 2000, 0).explain()
    assert any("capped" in s.rule and "§72(e)(6)" in s.citation for s in steps)


def test_frozen_lines_cannot_be_changed():
    result = xr.prorata_taxable(5000, 2300, 20000)
    with pytest.raises(TypeError):
        result.lines["18"] = Decimal(0)  # type: ignore[index]
