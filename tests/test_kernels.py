"""The integer-cent kernels: the one statement of each rule, equal on Python ints and numpy arrays.

The scalar API runs each kernel on Python ints; batch and whole-column worksheet calls run it on int64
arrays. These tests check the kernels against an independent exact working (fractions) and check that
the numpy run gives the Python-int run row for row.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core.rules.early_penalty import penalty_kernel
from xl_rollover.core.rules.form_8606 import prorata_kernel

cents = st.one_of(st.integers(0, 10**6), st.integers(0, 10**14), st.sampled_from([0, 1, 185000, 750000]))


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def reference_taxable_conversion(conv: int, basis: int, yev: int, dist: int, places: int | None) -> int:
    """Form 8606 lines 9-18 worked with exact fractions: line 10 = 5/9 half-up to `places` (1 at most),
    line 11 = line 8 x line 10 and line 12 = line 7 x line 10 half-up to the cent, capped at line 5
    (IRC §72(e)(6)); line 18 = line 8 - line 11."""
    line9 = yev + dist + conv
    share = min(Fraction(basis, line9), Fraction(1))
    if places is not None:
        share = min(Fraction(half_up(share * 10**places), 10**places), Fraction(1))
    line11, line12 = half_up(conv * share), half_up(dist * share)
    if line11 + line12 > basis:
        line11 = min(line11, basis)
    return conv - line11


@settings(max_examples=300, deadline=None)
@given(conv=cents, basis=cents, yev=cents, dist=cents, places=st.sampled_from([3, 4, 6, 12, None]))
def test_scalar_prorata_equals_an_exact_working(conv, basis, yev, dist, places):
    if conv + dist == 0:
        return
    r = xr.prorata_taxable(
        Decimal(conv) / 100, Decimal(basis) / 100, Decimal(yev) / 100, Decimal(dist) / 100, ratio_decimals=places
    )
    assert r.taxable_conversion == Decimal(reference_taxable_conversion(conv, basis, yev, dist, places)) / 100


def test_unrounded_share_is_rounded_once_half_up():
    # basis 0.01 of line 9 = 0.06 + 0.06 = 0.12: line 11 = 0.06 x 1/12 = 0.005 exactly -> 0.01 half-up
    # (project default rounding; Form 8606 line 10 allows more than 3 places), line 18 = 0.05.
    r = xr.prorata_taxable("0.06", "0.01", "0.06", ratio_decimals=None)
    assert (r.nontaxable_conversion, r.taxable_conversion) == (Decimal("0.01"), Decimal("0.05"))


rows = st.lists(st.tuples(cents, cents, cents, cents, cents), min_size=1, max_size=30)


class NumpyOps:
    where = staticmethod(np.where)
    minimum = staticmethod(np.minimum)


@settings(max_examples=100, deadline=None)
@given(rows)
def test_prorata_kernel_on_arrays_equals_python_ints(rows):
    rows = [r for r in rows if r[3] + r[4] > 0]
    if not rows:
        return
    cols = [np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)]
    basis, yev, outst, dist, conv = cols
    arrays = prorata_kernel(basis, 0, yev, outst, dist, conv, 1000, NumpyOps)
    for i, (b, y, o, d, c) in enumerate(rows):
        one = prorata_kernel(b, 0, y, o, d, c, 1000)
        assert {k: int(v[i]) for k, v in arrays.items()} == {k: int(v) for k, v in one.items()}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(cents, cents, st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=30))
def test_penalty_kernel_on_arrays_equals_python_ints(rows):
    taxable, covered, off_form, rest_only, on2 = (np.array(c) for c in zip(*rows, strict=True))
    for rate in ((1, 10), (1, 4)):
        arrays = penalty_kernel(taxable, covered, off_form, rest_only, on2, rate, NumpyOps)
        for i, row in enumerate(rows):
            one = penalty_kernel(*row, rate)
            assert {k: int(v[i]) for k, v in arrays.items()} == {k: int(v) for k, v in one.items()}


def test_penalty_kernel_figures():
    # 10,000.05 at 10% (IRC §72(t)(1)) = 1,000.005 -> 1,000.01 half-up; 15,000 with a first-home
    # exception of 10,000 (§72(t)(2)(F), §72(t)(8)(B)): 5,000 x 10% = 500.00 (README example).
    assert penalty_kernel(1000005, 0, False, False, False, (1, 10))["penalty"] == 100001
    k = penalty_kernel(1500000, 1000000, False, False, True, (1, 10))
    assert (k["excepted"], k["penalty"], k["line1"], k["line2"], k["line4"]) == (
        1000000,
        50000,
        1500000,
        1000000,
        50000,
    )
    assert xr.early_penalty(15000, 45, "IRA", "first_home").penalty == Decimal("500.00")


mixed = st.one_of(
    st.integers(0, 10**6).map(lambda c: c / 100),
    st.integers(0, 10**5),
    st.sampled_from([None, "", " ", "7500", "7,500", "-1", "0.005", 0.005, -1.0, True, float("nan"), "abc"]),
)
ages = st.one_of(st.floats(0, 130), st.sampled_from([None, "45", "59.5", 59.5, 59.4999, -1, "x", True]))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 12))
def test_run_columns_without_numpy_equals_with_numpy(data, n):
    # xlwings Lite may run without numpy: the runner then reads cell by cell and runs the same kernel on ints
    from xl_rollover.core import columns as runner

    draw = data.draw
    cases = {
        "prorata_taxable": {
            "converted": [draw(mixed) for _ in range(n)],
            "basis": [draw(mixed)],  # one cell for every row
            "year_end_value": [draw(mixed) for _ in range(n)],
            "distributions": [draw(mixed) for _ in range(n)],
            "ratio_decimals": [draw(st.sampled_from([None, 3, "3", 4, "x"])) for _ in range(n)],
        },
        "early_penalty": {
            "taxable_amount": [draw(mixed) for _ in range(n)],
            "age": [draw(ages) for _ in range(n)],
            "account_type": [draw(st.sampled_from([None, "IRA", " 401k ", "ROTH_IRA", 3])) for _ in range(n)],
            "exception": [draw(st.sampled_from([None, "", "03"])) for _ in range(n)],
        },
    }
    for fn, cols in cases.items():
        with_np, failed_np = runner.run_columns(fn, cols, n)
        original = runner._numpy
        runner._numpy = lambda: None
        try:
            rows, failed_rows = runner.run_columns(fn, cols, n)
        finally:
            runner._numpy = original
        assert failed_np == failed_rows, fn
        for key, column in rows.items():
            for i in set(range(n)) - set(failed_rows):
                assert column[i] == with_np[key][i], (fn, key, i)
