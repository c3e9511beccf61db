"""Roth IRA ordering kernels (issue 12): one statement each, equal on Python ints, numpy and the core.

``ordering_kernel`` (Reg. §1.408A-6 A-4, A-5(c), A-8, A-9; Form 8606 lines 19-25a) and
``penalty_free_kernel`` run on Python ints in the scalar API and on per-layer int64 columns in batch.
These tests check the numpy run against the Python-int run row for row, batch against the core field
by field (refused and edge rows handed back and answered with the core's message), and hand-worked
figures through batch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.batch import runner as batch
from xl_rollover.core import columns as runner
from xl_rollover.core.money import SCALAR
from xl_rollover.core.rules.roth_ordering import (
    ordering_kernel,
    penalty_free_kernel,
    recapture_years,
)

OPS = runner._NumpyOps(np)

cents = st.one_of(st.integers(0, 10**7), st.integers(0, 10**14), st.sampled_from([0, 1, 50000, 2000000]))
layer = st.tuples(st.integers(2010, 2030), cents, cents)
case = st.tuples(
    cents,  # total
    cents,  # home (qualified first-home amount)
    cents,  # regular contributions
    st.lists(layer, max_size=5, unique_by=lambda x: x[0]).map(sorted),
    st.integers(2015, 2032),  # distribution year
    st.booleans(),  # qualified
)


def _padded(rows: list[tuple], width: int) -> tuple[list, list, list]:
    """Per-layer int64 columns, shorter rows padded with zero layers (as the column reading pads them)."""
    grid = np.zeros((3, len(rows), width), np.int64)
    for i, layers in enumerate(rows):
        for j, values in enumerate(layers):
            grid[:, i, j] = values
    return tuple(list(grid[k].T) for k in range(3))  # type: ignore[return-value]


@settings(max_examples=100, deadline=None)
@given(st.lists(case, min_size=1, max_size=25))
def test_ordering_kernel_on_arrays_equals_python_ints(rows):
    width = max(len(r[3]) for r in rows)
    years, taxable, nontaxable = _padded([r[3] for r in rows], width)
    total, home, regular, year, qualified = (np.array([r[k] for r in rows]) for k in (0, 1, 2, 4, 5))
    arrays = ordering_kernel(total, home, regular, years, taxable, nontaxable, year, recapture_years(), qualified, OPS)
    for i, (t, h, r, layers, y, q) in enumerate(rows):
        one = ordering_kernel(
            t, h, r, [x[0] for x in layers], [x[1] for x in layers], [x[2] for x in layers], y, 5, q, SCALAR
        )
        for key, value in one.items():
            if isinstance(value, list):  # per layer; the padding layers take nothing
                got = [int(column[i]) for column in arrays[key]]
                assert got == [int(v) for v in value] + [0] * (width - len(value)), key
            else:
                assert int(np.broadcast_to(arrays[key], (len(rows),))[i]) == int(value), key


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(cents, case.map(lambda c: c[3]), st.integers(2015, 2032), st.booleans()), min_size=1))
def test_penalty_free_kernel_on_arrays_equals_python_ints(rows):
    width = max(len(r[1]) for r in rows)
    years, taxable, nontaxable = _padded([r[1] for r in rows], width)
    regular, year, before = (np.array([r[k] for r in rows]) for k in (0, 2, 3))
    arrays = penalty_free_kernel(regular, years, taxable, nontaxable, year, 5, before, OPS)
    for i, (r, layers, y, b) in enumerate(rows):
        one = penalty_free_kernel(r, [x[0] for x in layers], [x[1] for x in layers], [x[2] for x in layers], y, 5, b)
        assert int(arrays["penalty_free"][i]) == one["penalty_free"]


# --- batch against the core, field by field -------------------------------------------------------

money = st.one_of(
    st.integers(0, 10**8).map(lambda c: c / 100),
    st.integers(0, 10**6),
    st.sampled_from([None, 0.0, "7500", "7,500", "-1", 0.005, -1.0, "abc", True, 1e13]),
)
entry = st.one_of(
    st.tuples(st.integers(2012, 2030), st.integers(0, 10**7), st.integers(0, 10**7)).map(
        lambda e: f"{e[0]}:{e[1] / 100:.2f}:{e[2] // 100}"
    ),
    st.sampled_from([" 2024 : 100 : 200 ", "2024:0:0", "", "  ", "2024:1,000:5", "2024:5", "x:1:2", "2024:0.001:1"]),
)
conversions = st.one_of(
    st.lists(entry, max_size=5).map(";".join),
    st.sampled_from(
        [
            None,
            2024,
            2024.0,
            "2024:10000000000000:0",
            "2024:1000000000000:0.01",
            "2024:99999999999999999999999999:0",
            "1800:1:1",
            "2024:500:20000;\n2025:1:1",
        ]
    ),
)
years = st.one_of(st.integers(2014, 2030), st.sampled_from([None, 2026.0, "2026", "2026.0", 2026.5, "x", 1850, True]))
ages = st.one_of(
    st.floats(0, 100),
    st.sampled_from([None, 59.5, "59.5", "45", 40, 70, "1966-08-31:2026-02-28", "1980-01-01:2026-06-01", -1, "x"]),
)
first_years = st.one_of(st.just(None), st.integers(2010, 2030), st.sampled_from(["2015", 2016.0, "x", 0]))
rows = st.lists(
    st.tuples(
        money,
        money,
        conversions,
        years,
        ages,
        first_years,
        st.sampled_from([None, None, None, "", "03", "first_home"]),
        st.sampled_from([None, None, None, "", "disability", "first_home", "x"]),
        st.sampled_from([None, None, 0, 0.0, 5000, "x"]),
    ),
    min_size=1,
    max_size=25,
)
COLUMNS = [
    "amount",
    "regular_contributions",
    "conversions",
    "distribution_year",
    "age",
    "first_roth_year",
    "exception",
    "qualifying_event",
    "first_home_used",
]


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def same_as_the_core(name: str, frame: pd.DataFrame) -> int:
    """Batch's run (kernel and fallback) equals the core row by row, field by field, value and type; the rows
    the kernel took."""
    rule = batch.rule_for(name)
    out = batch.run_vectorised(rule, frame)
    for i, row in enumerate(frame.to_dict("records")):
        want = batch.scalar_row(rule, row)
        got = {k: v for k, v in out.iloc[i].items() if not _blank(v)}
        want = {k: v for k, v in want.items() if not _blank(v)}
        assert got == want, (i, row, {k: (got.get(k), want.get(k)) for k in got.keys() | want.keys()})
        for key, value in want.items():
            assert type(got[key]) is type(value) and str(got[key]) == str(value), (i, key, got[key], value)
    columns = {a: batch._raw_column(frame[a]) for a in runner.COLUMN_RULES[rule.name].readings if a in frame}
    return len(frame) - len(runner.run_columns(rule.name, columns, len(frame))[1])


@settings(max_examples=120, deadline=None)
@given(rows)
def test_roth_ira_distribution_batch_equals_the_core(data):
    same_as_the_core("roth_ira_distribution", pd.DataFrame(data, columns=COLUMNS, dtype=object))


@settings(max_examples=120, deadline=None)
@given(rows)
def test_roth_penalty_free_batch_equals_the_core(data):
    frame = pd.DataFrame(data, columns=COLUMNS, dtype=object)
    same_as_the_core("roth_penalty_free", frame[["regular_contributions", "conversions", "distribution_year", "age"]])


clean = st.lists(
    st.tuples(
        st.integers(0, 10**7).map(lambda c: c / 100),
        st.integers(0, 10**7).map(lambda c: c / 100),
        st.lists(st.tuples(st.integers(2012, 2020), st.integers(0, 10**6), st.integers(0, 10**6)), max_size=4).map(
            lambda ls: ";".join(f"{y}:{t / 100}:{n / 100}" for y, t, n in ls)
        ),
        st.integers(2020, 2030),
        st.sampled_from([30.0, 45.5, 59.4, 59.5, 62.0, 75.0]),
        st.sampled_from([2010, 2011]),  # given (at 59½ the core needs a clock; the others test it blank)
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(clean)
def test_clean_rows_run_through_the_kernels(data):
    # rows the core accepts with nothing the kernels do not state: every one taken by the kernel, equal to the core
    frame = pd.DataFrame(data, columns=COLUMNS[:6])
    assert same_as_the_core("roth_ira_distribution", frame) == len(frame)
    free = frame[["regular_contributions", "conversions", "distribution_year", "age"]]
    assert same_as_the_core("roth_penalty_free", free) == len(frame)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_run_columns_without_numpy_equals_with_numpy(data):
    # xlwings Lite may run without numpy: the runner reads cell by cell and runs the same kernels on ints
    frame = pd.DataFrame(data, columns=COLUMNS, dtype=object)
    for fn in ("roth_ira_distribution", "roth_penalty_free"):
        cols = {a: list(frame[a]) for a in runner.COLUMN_RULES[fn].readings if a in frame}
        with_np, failed_np = runner.run_columns(fn, cols, len(frame))
        original = runner._numpy
        runner._numpy = lambda: None
        try:
            by_row, failed_rows = runner.run_columns(fn, cols, len(frame))
        finally:
            runner._numpy = original
        assert failed_np == failed_rows, fn
        for i in set(range(len(frame))) - set(failed_rows):
            for key, column in with_np.items():
                value = column[i]
                value = None if value is np.ma.masked else value
                assert by_row.get(key, [None] * len(frame))[i] == value, (fn, key, i)


# --- hand-worked figures through batch ----------------------------------------------------------


def _one(name: str, **row: object) -> dict:
    frame = pd.DataFrame([row])
    assert same_as_the_core(name, frame) == 1  # taken by the kernel
    out = batch.run(frame, function=name)[batch.rule_for(name).name]
    return {k: v for k, v in out.iloc[0].items() if not _blank(v)}


def test_hand_worked_distribution_through_batch():
    # README CLI example: 5,000 out in 2027 at 47, no regular contributions, 2025 conversion 500 taxable +
    # 20,000 nontaxable. Ordering (Reg. §1.408A-6 ): 500 of the 2025 taxable part, then 4,500 of its
    # nontaxable part. Line 23 = 5,000 - 0 = 5,000; line 24 = 20,500; line 25a = 0. The 500 is
    # withdrawn in 2027, inside 2025-2029 (§408A(d)(3)(F)): recaptured, 10% = 50.00 (§72(t)(1)).
    got = _one(
        "roth_ira_distribution",
        amount=5000,
        regular_contributions=0,
        conversions="2025:500:20000",
        distribution_year=2027,
        age=47,
    )
    assert (got["taxable"], got["penalty_base"], got["penalty"]) == (
        Decimal("0.00"),
        Decimal("500.00"),
        Decimal("50.00"),
    )
    assert (got["lines_23"], got["lines_24"], got["lines_25a"]) == (
        Decimal("5000.00"),
        Decimal("20500.00"),
        Decimal("0.00"),
    )
    assert (got["layers_out_1_part"], got["layers_out_1_penalised"]) == ("taxable", Decimal("500.00"))
    assert (got["layers_out_2_part"], got["layers_out_2_amount"]) == ("nontaxable", Decimal("4500.00"))
    assert got["layers_left_conversions_1_nontaxable"] == Decimal("15500.00")
    assert got["recapture_ends_2025"] == dt.date(2029, 12, 31)
    assert got["qualified_from"] == dt.date(2030, 1, 1) and got["qualified"] is False


def test_hand_worked_qualified_distribution_through_batch():
    # First Roth year 2015, 60 in 2026: the five years 2015-2019 are over and 59½ is reached, so the
    # distribution is qualified (§408A(d)(2)(A)(i), Reg. §1.408A-6 A-1): no tax, no 10% tax, no Part III lines.
    got = _one(
        "roth_ira_distribution",
        amount=80000,
        regular_contributions=30000,
        distribution_year=2026,
        age=60,
        first_roth_year=2015,
    )
    assert got["qualified"] is True and got["taxable"] == Decimal("0.00") and got["penalty"] == Decimal("0.00")
    assert got["penalty_status"] == "not subject to the 10% tax: qualified distribution"
    assert not [k for k in got if k.startswith("lines_")]
    assert (got["layers_out_2_layer"], got["layers_out_2_amount"]) == ("earnings", Decimal("50000.00"))


def test_hand_worked_penalty_free_through_batch():
    # Regular 5,000; 2022 layer 3,000 taxable + 1,000; 2024 layer 500 + 7,000; age 45. In 2026 the 2022
    # taxable part is inside 2022-2026 (§408A(d)(3)(F)): only the 5,000 of regular contributions is free.
    # In 2027 the 2022 layer is past its period: 5,000 + 4,000 = 9,000; the 2024 taxable part (to 2028) stops it.
    args = {"regular_contributions": 5000, "conversions": "2022:3000:1000;2024:500:7000", "age": 45}
    assert _one("roth_penalty_free", **args, distribution_year=2026)["penalty_free"] == Decimal("5000.00")
    assert _one("roth_penalty_free", **args, distribution_year=2027)["penalty_free"] == Decimal("9000.00")
    assert xr.roth_penalty_free_amount(
        5000, [(2022, 3000, 1000), (2024, 500, 7000)], distribution_year=2027, age=45
    ) == (Decimal("9000.00"))


def test_refused_rows_are_handed_back_with_the_core_message():
    frame = pd.DataFrame(
        {
            "amount": [1000, 1000, 1000, 1000],
            "regular_contributions": [0, 0, 0, 0],
            "conversions": ["2027:1:1", None, "2020:1:1", "2020:1:1"],
            "distribution_year": [2026, 2026, 2026, 2026],
            "age": [45, 65, 45, 45],
            "first_roth_year": [None, None, 2021, None],
            "first_home_used": [None, None, None, 5000],
        }
    )
    rule = batch.rule_for("roth_ira_distribution")
    out = batch.run_vectorised(rule, frame)
    assert "conversion year 2027 is after distribution_year 2026" in out["error"][0]
    assert "first_roth_year is required" in out["error"][1]
    assert "first_roth_year 2021 is after the first conversion year 2020" in out["error"][2]
    assert "first_home_used" in out["error"][3]
    assert same_as_the_core("roth_ira_distribution", frame) == 0


def test_a_row_of_many_layers_goes_to_the_core():
    # every row of a column costs the widest row's layers: more than MAX_LAYERS distinct years go to the core
    many = ";".join(f"{year}:100:200" for year in range(1990, 1990 + runner.MAX_LAYERS + 1))
    frame = pd.DataFrame(
        {
            "amount": [5000, 5000, 5000],
            "regular_contributions": [0, 0, 0],
            "conversions": [many, many.rsplit(";", 1)[0], "2020:1:2;2020:3:4"],
            "distribution_year": [2026, 2026, 2026],
            "age": [45, 45, 45],
        }
    )
    rule = batch.rule_for("roth_ira_distribution")
    columns = {a: batch._raw_column(frame[a]) for a in runner.COLUMN_RULES[rule.name].readings if a in frame}
    assert runner.run_columns(rule.name, columns, 3)[1] == [0]
    assert runner.cell_layers(many) is None and len(runner.cell_layers(many.rsplit(";", 1)[0])[0]) == 24
    assert runner.cell_layers("2020:1:2;2020:3:4") == ([2020], [400], [600])  # one layer a year
    assert same_as_the_core("roth_ira_distribution", frame) == 2
