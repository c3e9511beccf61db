"""Whole-column calls take a lean integer-cent path; it must give exactly what the core gives, cell by cell.

The lean path (the rule's kernel through ``run_columns``: :func:`prorata_columns`, :func:`penalty_columns`) answers cases with clean
numbers; every other case goes to the core. These tests feed mixed columns (clean money, fractions of a
cent, binary noise, text, blanks, negatives, error values, exception codes, date pairs) and compare
each output cell with the same call run through the core alone.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xl_rollover as core
from xl_rollover.excel import adapter
from xl_rollover.excel.functions import SPECS

clean = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(lambda c: c / 100),  # dollars and cents, as Excel passes them
    st.integers(min_value=0, max_value=10**14).map(lambda c: c / 100),
    st.integers(min_value=0, max_value=10**6),
)
messy = st.one_of(
    st.sampled_from([0.0, 0.005, 0.125, 1234.5600000000001, -1.0, 1e12, 1e12 + 0.01, 1e16, float("nan")]),
    st.sampled_from([None, "", " ", "1,500", "abc", "#N/A", True]),
)
money = st.one_of(clean, clean, clean, messy)
age = st.one_of(
    st.sampled_from([0.0, 30.0, 45.0, 59.0, 59.4999, 59.5, 60.0, 125.0, 125.5, -1.0, 40, 70]),
    st.floats(min_value=0, max_value=130),
    st.sampled_from([None, "45", "#VALUE!", True]),
    st.just([["1966-07-01", "2026-03-01"]]),  # a birth date and distribution date pair
)


def slow_run(name: str, args: list) -> object:
    """The call with every case through the core (no whole-column kernel)."""
    return adapter.run(SPECS[name], args, whole_columns=False)


def column(values: list) -> list[list]:
    return [[v] for v in values]


FIELDS_8606 = [None, "lines_1", "explain", *core.prorata_taxable(1, 1, 1, 1).flat()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=2, max_value=12),
    data=st.data(),
)
def test_prorata_whole_column_equals_the_core_cell_by_cell(n, data):
    draw = data.draw
    args = [
        column([draw(money) for _ in range(n)]),  # converted
        draw(st.one_of(money, st.just(column([draw(money) for _ in range(n)])))),  # basis
        column([draw(money) for _ in range(n)]),  # year_end_value
        draw(st.one_of(st.none(), money, st.just(column([draw(money) for _ in range(n)])))),  # distributions
        draw(st.one_of(st.none(), st.just(0.0), money)),  # outstanding rollovers
        draw(st.sampled_from(FIELDS_8606)),  # output
        draw(st.sampled_from([None, 3.0, 3, 4.0, -1.0, "3"])),  # ratio_decimals
    ]
    spec = SPECS["PRORATA_TAXABLE"]
    assert adapter.run(spec, args) == slow_run("PRORATA_TAXABLE", args)


FIELDS_PENALTY = [None, "nonsense", *core.early_penalty(1, 45).flat()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(min_value=2, max_value=12), data=st.data())
def test_early_penalty_whole_column_equals_the_core_cell_by_cell(n, data):
    draw = data.draw
    args = [
        column([draw(money) for _ in range(n)]),
        draw(st.one_of(age, st.just(column([draw(age) for _ in range(n)])))),
        draw(st.sampled_from([None, None, "", "IRA", "401k", " sep_ira ", "SIMPLE_IRA", "GOV_457B", "ROTH_IRA", "x"])),
        draw(st.sampled_from([None, None, None, "", "12", 1.0, "first_home", "#N/A"])),
        draw(st.one_of(st.none(), st.none(), money)),
        draw(st.sampled_from([None, None, 2026.0, 2019.0])),
        draw(st.sampled_from(FIELDS_PENALTY)),
        draw(st.sampled_from([None, False, 0.0, True])),
    ]
    assert adapter.run(SPECS["EARLY_PENALTY"], args) == slow_run("EARLY_PENALTY", args)


def test_lean_path_figures_by_hand():
    """Hand-worked: basis 7,500, year end 1,850, conversions 7,500 and 7,500.50; penalties at 45 and 60."""
    from xl_rollover.excel import functions as F

    # line 9 = 1,850 + 7,500 = 9,350; 7,500 / 9,350 = 0.80214 -> 0.802; 7,500 x 0.802 = 6,015 nontaxable
    # -> taxable 1,485.00. Second row: line 9 = 9,350.50, ratio 0.80209 -> 0.802, 7,500.50 x 0.802 =
    # 6,015.401 -> 6,015.40, taxable 1,485.10.
    out = F.PRORATA_TAXABLE([[7500.0], [7500.5]], 7500.0, 1850.0)
    assert out == [[1485.0], [1485.1]]
    assert F.PRORATA_TAXABLE([[7500.0], [7500.5]], 7500.0, 1850.0, None, None, "ratio") == [[0.802], [0.802]]
    # 10% of 12,345.67 = 1,234.567 -> 1,234.57 before 59½; nothing at 60
    assert F.EARLY_PENALTY([[12345.67], [12345.67]], [[45.0], [60.0]]) == [[1234.57], [0.0]]


@pytest.mark.parametrize("name", ["PRORATA_TAXABLE", "EARLY_PENALTY"])
def test_the_lean_path_is_taken_for_clean_columns(name, monkeypatch):
    """A clean column must not reach the core (otherwise the fast path silently stopped working)."""
    spec = SPECS[name]

    def refuse(**_kwargs):
        raise AssertionError("the core was called")

    monkeypatch.setitem(SPECS, name, spec)
    lean = dataclasses.replace(spec, call=refuse)
    args = (
        [[[1000.0], [2000.0]], 500.0, 10000.0, None, None, None, None]
        if name == "PRORATA_TAXABLE"
        else [[[1000.0], [2000.0]], 45.0, None, None, None, None, None, None]
    )
    assert adapter.run(lean, args) == adapter.run(spec, args)


def test_a_defect_in_the_lean_rule_falls_back_to_the_core(monkeypatch):
    def broken(_fn, _columns, _n):
        raise ZeroDivisionError("lean rule defect")

    monkeypatch.setattr(adapter, "run_columns", broken)
    spec = SPECS["PRORATA_TAXABLE"]
    args = [[[7500.0], [7600.0]], 7500.0, 1850.0, None, None, None, None]
    assert adapter.run(spec, args) == [[1485.0], [1565.6]]  # the core's figures (test_recalc, hand-checked)
