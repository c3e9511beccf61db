"""Every worksheet function fed Excel-shaped garbage: no traceback, every answer a value or an error cell."""

from __future__ import annotations

import datetime as dt
import inspect

import xlwings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_rollover.excel import functions as F
from xl_rollover.excel.adapter import EXCEL_ERRORS
from xl_rollover.excel.functions import SPECS

cell = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e15, max_value=1e15),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0.0, 1.0, 45.0, 59.5, 2025.0, 2026.0, 1e300, -1.0, 46037.0]),
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "abc", "12", "SINGLE", "MFJ", "IRA", "401K", "explain", "taxable", "lines_14", "99", "TRUE"]
    ),
    st.sampled_from(list(EXCEL_ERRORS)),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


def shaped(values: st.SearchStrategy) -> st.SearchStrategy:
    """A single value, a 1x1 grid, a column, a row, a rectangle or a ragged (mis-shaped) range."""
    return st.one_of(
        values,
        values.map(lambda v: [[v]]),
        st.lists(values, min_size=1, max_size=4).map(lambda col: [[v] for v in col]),
        st.lists(values, min_size=2, max_size=3).map(lambda row: [row]),
        st.lists(st.lists(values, min_size=2, max_size=3), min_size=1, max_size=3),
        st.just([]),
        st.just([[1.0], [2.0, 3.0]]),
    )


def is_cell_value(value: object) -> bool:
    return value is None or isinstance(value, (bool, int, float, str, dt.date))


def is_error_text(value: object) -> bool:
    return isinstance(value, str) and any(value.startswith(e) for e in EXCEL_ERRORS)


FUNCTIONS = [getattr(F, name) for name in sorted(SPECS)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_classic_garbage_gives_values_or_error_text(data):
    f = data.draw(st.sampled_from(FUNCTIONS))
    arity = len(inspect.signature(f).parameters)
    args = [data.draw(shaped(cell)) for _ in range(arity)]
    out = f(*args)  # must not raise
    if isinstance(out, list):
        assert out and all(isinstance(row, list) and row for row in out)
        width = len(out[0])
        for row in out:
            assert len(row) == width
            assert all(is_cell_value(v) for v in row)
            assert not any(isinstance(v, float) and v != v for v in row)  # never NaN
    else:
        assert is_cell_value(out)
        if isinstance(out, str):
            # garbage never asks for a text field by name, so a text answer is an error
            assert is_error_text(out), out
        if isinstance(out, float):
            assert out == out and abs(out) < 1e13


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lite_garbage_gives_values_error_values_or_xlwings_error(data):
    import os

    os.environ["XLWINGS_ON_SERVER"] = "true"
    try:
        f = data.draw(st.sampled_from(FUNCTIONS))
        arity = len(inspect.signature(f).parameters)
        args = [data.draw(shaped(cell)) for _ in range(arity)]
        try:
            out = f(*args)
        except xlwings.XlwingsError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            return
        cells = [v for row in out for v in row] if isinstance(out, list) else [out]
        for v in cells:
            assert is_cell_value(v)
            if isinstance(v, str) and v.startswith("#"):
                # in Lite an error inside a result is the bare error value, which Excel shows as that error
                assert v in EXCEL_ERRORS or not any(v.startswith(e + " ") for e in EXCEL_ERRORS)
    finally:
        del os.environ["XLWINGS_ON_SERVER"]
