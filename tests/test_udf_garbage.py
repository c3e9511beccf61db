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


#: A valid cell for each required argument (the rest left blank): every call below starts from an answer.
VALID = {
    "distribution": 100000.0,
    "after_tax_basis": 20000.0,
    "account_balance": 200000.0,
    "converted": 10000.0,
    "basis": 5000.0,
    "year_end_value": 20000.0,
    "taxable_amount": 10000.0,
    "age": 45.0,
    "amount": 5000.0,
    "regular_contributions": 0.0,
    "conversions": [[2025.0, 500.0, 20000.0]],
    "distribution_year": 2027.0,
    "year": 2025.0,
    "employee_deferrals": 23500.0,
    "employer_contributions": 10000.0,
    "magi": 100000.0,
    "filing_status": "single",
    "active_participant": True,
    "birth_date": dt.datetime(1950, 1, 1),
    "prior_year_end_balance": 500000.0,
    "balance": 500000.0,
    "method": "rmd",
    "limit_name": "annual_additions_limit_415c1A",
}
long_text = st.sampled_from(["x" * 32767, "9" * 300, "TRUE" * 1000])


def valid_call(name):
    return {p.name: [[VALID[p.name]]] if p.required else [[None]] for p in SPECS[name].params}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_argument_of_a_valid_call_replaced_gives_a_short_error_or_an_answer(data):
    # from a valid call, so the garbage reaches each argument's own reading (not the first required blank)
    name = data.draw(st.sampled_from(sorted(SPECS)))
    args = valid_call(name)
    args[data.draw(st.sampled_from(sorted(args)))] = data.draw(shaped(st.one_of(cell, long_text)))
    lite = data.draw(st.booleans())
    import os

    if lite:
        os.environ["XLWINGS_ON_SERVER"] = "true"
    try:
        out = getattr(F, name)(**args)
    except xlwings.XlwingsError as exc:
        assert lite and "Traceback" not in str(exc) and "xxxxxxxxxx" * 10 not in str(exc)
        return
    finally:
        os.environ.pop("XLWINGS_ON_SERVER", None)
    for v in [v for row in out for v in row] if isinstance(out, list) else [out]:
        assert is_cell_value(v)
        assert not (isinstance(v, str) and "xxxxxxxxxx" * 10 in v)  # an input is repeated cut short


def test_a_flag_cell_reads_as_the_core_reads_it():
    args = valid_call("EARLY_PENALTY")
    args["account_type"] = [["SIMPLE_IRA"]]
    args["output"] = [["rate"]]
    for text in ("TRUE", " yes ", "1"):
        args["simple_first_two_years"] = [[text]]
        assert F.EARLY_PENALTY(**args) == 0.25
    args["simple_first_two_years"] = [["maybe"]]
    assert F.EARLY_PENALTY(**args) == "#VALUE! simple_first_two_years 'maybe' must be TRUE or FALSE"
