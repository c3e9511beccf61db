"""The split's and Form 8606's kernels: one statement, equal on Python ints and numpy, equal to the core.

``roth_rollover_split`` runs :func:`share_kernel` and :func:`destination_kernel`, ``form_8606`` runs
:func:`form_8606_kernel`, in the scalar core and (through :mod:`xl_rollover.columns`) over whole columns
in batch. These tests check the numpy run against the Python-int run row for row, the column runner
without numpy against it with numpy, batch's vector pass against the scalar loop field by field on
generated rows (refused and edge rows included: they are handed back and give the core's message),
the worked examples through the kernel, and hand-worked figures through batch.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_rollover.batch import runner as batch
from xl_rollover.core import columns
from xl_rollover.core.money import SCALAR
from xl_rollover.core.rules import form_8606, split

from .conftest import load_cases
from .test_batch import rows_equal

NUMPY = columns._NumpyOps(np)

cents = st.one_of(st.integers(0, 10**7), st.integers(0, 10**11), st.sampled_from([0, 1, 5000000, 20000000]))


def plain(value: object) -> object:
    """A kernel value as a Python value (masked -> None) for comparing runs."""
    if value is np.ma.masked or value is None:
        return None
    return value.item() if isinstance(value, np.generic) else value


# --- numpy equals Python ints ----------------------------------------------------------------------

split_rows = st.lists(
    st.tuples(
        cents,  # distribution
        cents,  # basis
        cents,  # balance
        st.one_of(st.just(split.DEFAULT), cents),  # to_roth_ira
        st.one_of(st.just(split.DEFAULT), cents),  # to_traditional
        cents,  # 60-day roth
        cents,  # 60-day traditional
        st.one_of(st.just(split.DEFAULT), cents),  # rmd_amount
        st.one_of(st.just(-1.0), st.floats(0, 125)),  # age in years (-1: not given)
        st.integers(0, 1),  # separated
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=100, deadline=None)
@given(split_rows)
def test_split_kernels_on_arrays_equal_python_ints(rows):
    rows = [r for r in rows if 0 < r[0] <= r[2]]  # the kernels' domain: a distribution from a balance it fits
    if not rows:
        return
    cols = list(zip(*rows, strict=True))
    arrays = [np.array(c, dtype=float if i == 8 else np.int64) for i, c in enumerate(cols)]
    on_arrays = split.split_columns(*arrays, NUMPY)
    for i, row in enumerate(rows):
        one = split.split_columns(*row, SCALAR)  # only this row's forms; the arrays' further forms are empty
        assert set(one) <= set(on_arrays)
        for key, column in on_arrays.items():
            assert plain(column[i]) == plain(one.get(key)), (key, i, row)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(*([cents] * 7)), min_size=1, max_size=25))
def test_form_8606_kernel_on_arrays_equals_python_ints(rows):
    cols = [np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)]
    on_arrays = form_8606.form_8606_columns(*cols, NUMPY)
    for i, row in enumerate(rows):
        one = form_8606.form_8606_columns(*row, SCALAR)
        assert {k: int(np.broadcast_to(v, (len(rows),))[i]) for k, v in on_arrays.items()} == {
            k: int(v) for k, v in one.items()
        }


# --- the column runner: with and without numpy ------------------------------------------------------

money_cells = st.one_of(
    st.integers(0, 10**7).map(lambda c: c / 100),
    st.integers(0, 10**5),
    st.sampled_from([None, "", "7500", "7,500", "-1", "0.005", 0.005, -1.0, True, float("nan"), "abc", "200000"]),
)
age_cells = st.one_of(
    st.floats(0, 130),
    st.sampled_from([None, "45", "59.5", 59.5, 69, 74.9, 75, "999", -1, "x", True, ("1960-01-01", "2025-06-01")]),
)
flag_cells = st.sampled_from([None, "", True, False, 0, 1, 1.0, "TRUE", " yes ", "no", "0", 2, "maybe"])


def split_columns_drawn(draw, n):
    return {
        "distribution": [draw(money_cells) for _ in range(n)],
        "after_tax_basis": [draw(money_cells)],  # one cell for every row
        "account_balance": [draw(st.one_of(money_cells, st.just(200000))) for _ in range(n)],
        "to_roth_ira": [draw(money_cells) for _ in range(n)],
        "to_traditional": [draw(st.one_of(st.none(), money_cells)) for _ in range(n)],
        "rolled_60day_roth": [draw(st.one_of(st.none(), money_cells)) for _ in range(n)],
        "age": [draw(age_cells) for _ in range(n)],
        "rmd_amount": [draw(st.one_of(st.none(), money_cells)) for _ in range(n)],
        "separated_age_55": [draw(flag_cells) for _ in range(n)],
        "annuity_payment": [draw(flag_cells) for _ in range(n)],
    }


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 12))
def test_run_columns_without_numpy_equals_with_numpy(data, n):
    draw = data.draw
    cases = {
        "roth_rollover_split": split_columns_drawn(draw, n),
        "form_8606": {
            "nondeductible_contributions": [draw(money_cells) for _ in range(n)],
            "prior_basis": [draw(money_cells)],
            "year_end_value": [draw(money_cells) for _ in range(n)],
            "converted": [draw(money_cells) for _ in range(n)],
            "distributions": [draw(money_cells) for _ in range(n)],
            "late_contributions": [draw(st.one_of(st.none(), money_cells)) for _ in range(n)],
            "ratio_decimals": [draw(st.sampled_from([None, 3, "3", 4, "x"])) for _ in range(n)],
        },
    }
    for fn, cols in cases.items():
        with_np, failed_np = columns.run_columns(fn, cols, n)
        original = columns._numpy
        columns._numpy = lambda: None
        try:
            rows, failed_rows = columns.run_columns(fn, cols, n)
        finally:
            columns._numpy = original
        assert failed_np == failed_rows, fn
        for key, column in rows.items():
            for i in set(range(n)) - set(failed_rows):
                assert plain(column[i]) == plain(with_np[key][i]), (fn, key, i)


# --- batch's vector pass equals the scalar loop, field by field --------------------------------------

money = st.one_of(
    st.integers(0, 10**9).map(lambda c: c / 100),
    st.sampled_from([0.0, 0.01, 100.0, 199.99, 200.0, 50000.0, 200000.0, 1e10, 1e12]),
    st.sampled_from([-1.0, float("nan"), "abc", "", 0.001, "1,000", "50000"]),
)
maybe = st.one_of(st.none(), money)
ages = st.one_of(
    st.sampled_from([None, 0, 45, 54.9, 59.4999, 59.5, 68.99, 69, 72, 75, 90, 125, 126, -1, "x", "60"]),
    st.floats(0, 125),
    st.sampled_from(["1960-05-01:2025-06-01", "1950-01-01:2014-06-01"]),  # dates: the core reads them
)
flags = st.sampled_from([None, True, False, 0, 1, "TRUE", "no", "maybe"])
no_flags = st.sampled_from([None, False, 0, "FALSE", True, "maybe"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(money, money, money, maybe, maybe, maybe, maybe, ages, maybe, flags, no_flags),
        min_size=1,
        max_size=40,
    )
)
def test_split_vectorised_equals_scalar(rows):
    names = [
        "distribution",
        "after_tax_basis",
        "account_balance",
        "to_roth_ira",
        "to_traditional",
        "rolled_60day_roth",
        "rolled_60day_traditional",
        "age",
        "rmd_amount",
        "separated_age_55",
        "includes_designated_roth",
    ]
    frame = pd.DataFrame(rows, columns=names)
    rule = batch.RULES["roth_rollover_split"]
    rows_equal(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(maybe, maybe, maybe, maybe, maybe, maybe, st.sampled_from([None, 3, 4, -1])), max_size=40))
def test_form_8606_vectorised_equals_scalar(rows):
    if not rows:
        return
    names = [
        "nondeductible_contributions",
        "prior_basis",
        "year_end_value",
        "distributions",
        "converted",
        "late_contributions",
        "ratio_decimals",
    ]
    frame = pd.DataFrame(rows, columns=names)
    rule = batch.RULES["form_8606"]
    rows_equal(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))


def test_typical_rows_take_the_kernel_and_refused_rows_the_core():
    frame = pd.DataFrame(
        {
            "distribution": [50000, 50000, 50000, 50000, 50000, 50000, 300000],
            "after_tax_basis": [40000] * 7,
            "account_balance": [200000] * 7,
            "age": [45, 70, 70, "1960-05-01:2025-06-01", 45, 45, 45],
            "rmd_amount": [None, None, 5000, None, None, 100, None],
            "annuity_payment": [None, None, None, None, True, None, None],
        }
    )
    _, ok = batch.RULES["roth_rollover_split"].vectorised(frame)
    assert ok.tolist() == [True, False, True, False, False, False, False]
    out = batch.run_vectorised(batch.RULES["roth_rollover_split"], frame)
    assert out.loc[1, "error"].startswith("rmd_amount: at age 70 whether a required minimum distribution")
    assert out.loc[4, "error"].startswith("annuity_payment: a payment made as an annuity")
    assert out.loc[5, "error"].startswith("rmd_amount 100.00 is given, but at age 45")
    assert out.loc[6, "error"] == "distribution 300,000.00 exceeds account_balance 200,000.00"
    # by dates, through the core: two direct rollovers, no payment, so no third form
    assert pd.isna(out.loc[3, "error"]) and out.loc[3, "form_1099r_2_box7_code"] == "G"
    assert pd.isna(out.loc[3, "form_1099r_3_destination"]) and pd.isna(out.loc[3, "form_1099r_3_box1_gross"])


def test_text_ages_out_of_range_go_to_the_core():
    # "999" is plain digits but no age: the core refuses it (it once reached the §72(t) kernel as 999 years)
    _, failed = columns.run_columns("early_penalty", {"taxable_amount": [100, 100], "age": ["999", "45"]}, 2)
    assert failed == [0]
    _, failed = columns.run_columns(
        "roth_rollover_split",
        {"distribution": [1], "after_tax_basis": [1], "account_balance": [2], "age": ["126", "45"]},
        2,
    )
    assert failed == [0]


# --- worked examples and hand-worked figures through the kernel ----------------------------------------


def test_worked_examples_are_answered_by_the_kernels():
    # tests/test_front_ends.py checks every example's cents through batch's vector pass; this checks that
    # pass really takes them (rather than handing them all to the core)
    for name, function in (("split", "roth_rollover_split"), ("form_8606", "form_8606")):
        cases = [
            c
            for c in load_cases(name)
            if c.get("function", function) == function
            and not c.get("raises")
            and all(isinstance(v, (str, int, float)) or v is None for v in c["args"].values())
        ]
        frame = pd.DataFrame([c["args"] for c in cases])
        _, ok = batch.RULES[function].vectorised(frame)
        taken = [c["id"] for c, took in zip(cases, ok, strict=True) if took]
        assert len(taken) >= len(cases) // 2, (function, taken)


def test_split_hand_worked_figures_through_batch():
    frame = pd.DataFrame(
        {
            "function": "roth_rollover_split",
            "distribution": [50000, 10000, 100, 200000],
            "after_tax_basis": [40000, 10000, 50, 40000],
            "account_balance": [200000, 200000, 200000, 200000],
            "to_roth_ira": [None, 5000, None, None],
            "to_traditional": [None, 0, None, None],
            "rolled_60day_roth": [None, 1000, None, None],
            "age": [45, None, 50, 80],
            "rmd_amount": [None, None, None, 10000],
        }
    )
    out = batch.run(frame)["roth_rollover_split"]
    assert out["error"].isna().all()

    def row(i: int, *fields: str) -> list[str]:
        return [str(out.loc[i, f]) for f in fields]

    # 50,000 x 40,000 / 200,000 = 10,000 after-tax to the Roth IRA, 40,000 pretax to the traditional IRA
    # (Notice 2014-54 §III defaults); nothing taxable; two forms, code G; no payment form
    assert row(0, "after_tax", "pretax", "roth_after_tax", "traditional_pretax", "taxable") == [
        "10000.00",
        "40000.00",
        "10000.00",
        "40000.00",
        "0.00",
    ]
    assert row(0, "form_1099r_1_box1_gross", "form_1099r_2_box1_gross", "form_1099r_3_box1_gross") == [
        "10000.00",
        "40000.00",
        "<NA>",
    ]
    # 10,000 x 10,000 / 200,000 = 500 after-tax, 9,500 pretax. Roth IRA 5,000 direct: all pretax (no
    # traditional rollover to take it first). Paid 5,000 = 4,500 pretax + 500 after-tax; 1,000 rolled to a
    # Roth IRA in 60 days is pretax first. Taxable = 5,000 + 1,000 (Roth) + 3,500 kept = 9,500;
    # withholding 20% x 4,500 = 900.00 (eligible 10,000 >= 200); the payment's code open (no age).
    assert row(1, "roth_pretax", "kept_pretax", "taxable", "withholding", "penalty_base") == [
        "6000.00",
        "3500.00",
        "9500.00",
        "900.00",
        "3500.00",
    ]
    assert row(1, "form_1099r_2_destination", "form_1099r_2_box2a_taxable", "form_1099r_2_box4_withheld") == [
        "payment to participant",
        "4500.00",
        "900.00",
    ]
    assert pd.isna(out.loc[1, "form_1099r_2_box7_code"])
    # 100 x 50 / 200,000 = 0.025 after-tax -> 0.03 half-up
    assert row(2, "after_tax", "pretax", "remaining_basis") == ["0.03", "99.97", "49.97"]
    # full distribution at 80 with 10,000 RMD: all 40,000 basis; RMD share 10,000 x 40,000 / 200,000 = 2,000;
    # 38,000 after-tax to the Roth IRA, 152,000 to the traditional; taxable = the RMD's 8,000 pretax;
    # the payment (form 3) 10,000, box 2a 8,000, box 5 2,000, code 7 (59½ or over)
    assert row(3, "rmd_after_tax", "rmd_pretax", "roth_after_tax", "traditional_pretax", "taxable") == [
        "2000.00",
        "8000.00",
        "38000.00",
        "152000.00",
        "8000.00",
    ]
    assert row(3, "form_1099r_3_box1_gross", "form_1099r_3_box2a_taxable", "form_1099r_3_box7_code") == [
        "10000.00",
        "8000.00",
        "7",
    ]


def test_form_8606_hand_worked_figures_through_batch():
    frame = pd.DataFrame(
        {
            "function": "FORM_8606",
            "nondeductible_contributions": [7500, 6000],
            "prior_basis": [None, 4000],
            "late_contributions": [None, 1000],
            "year_end_value": [1850, 40000],
            "distributions": [None, 5000],
            "converted": [7500, 5000],
        }
    )
    out = batch.run(frame)["form_8606"]
    assert out["error"].isna().all()
    # seed case: line 9 = 1,850 + 7,500 = 9,350; line 10 = 7,500 / 9,350 = 0.80214 -> 0.802;
    # line 11 = 7,500 x 0.802 = 6,015.00; line 18 = 1,485.00; line 14 = 7,500 - 6,015 = 1,485.00
    assert out.loc[0, "lines_10"] == Decimal("0.802")
    assert [out.loc[0, f] for f in ("lines_11", "lines_14", "lines_18")] == [
        Decimal("6015.00"),
        Decimal("1485.00"),
        Decimal("1485.00"),
    ]
    # line 3 = 6,000 + 4,000 = 10,000; line 5 = 10,000 - 1,000 (line 4) = 9,000; line 9 = 40,000 + 5,000 +
    # 5,000 = 50,000; line 10 = 0.180; lines 11 and 12 = 5,000 x 0.18 = 900.00; line 14 = 10,000 - 1,800 =
    # 8,200.00; lines 15a and 18 = 4,100.00
    assert [str(out.loc[1, f]) for f in ("lines_3", "lines_5", "lines_9", "lines_10", "lines_13")] == [
        "10000.00",
        "9000.00",
        "50000.00",
        "0.180",
        "1800.00",
    ]
    assert [str(out.loc[1, f]) for f in ("lines_14", "lines_15c", "lines_18")] == ["8200.00", "4100.00", "4100.00"]


# --- whole-column worksheet calls: the kernel path equals the core cell by cell ----------------------

cell_money = st.one_of(
    st.integers(0, 10**9).map(lambda c: c / 100),
    st.sampled_from([0.0, 100.0, 50000.0, 200000.0, 0.005, 1234.5600000000001, -1.0, 1e12, float("nan")]),
    st.sampled_from([None, "", "1,500", "abc", "#N/A", True]),
)
cell_age = st.one_of(
    st.sampled_from([None, 30.0, 59.5, 68.9, 70.0, 80.0, 126.0, "45", "#VALUE!", True]),
    st.just([["1966-07-01", "2026-03-01"]]),
)
SPLIT_OUTPUTS = [
    None,
    "explain",
    "nonsense",
    *(f for f in split.SPLIT_FIELDS if not f.startswith("form_1099r_3")),
    "form_1099r_3_box1_gross",
    "form_1099r_3_destination",
]


def whole(draw, values, n):
    """A column of ``n`` cells drawn from ``values``, or one cell for every row."""
    return draw(st.one_of(values, st.just([[draw(values)] for _ in range(n)])))


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 10), data=st.data())
def test_split_whole_column_equals_the_core_cell_by_cell(n, data):
    from xl_rollover.excel import adapter
    from xl_rollover.excel.functions import SPECS

    draw = data.draw
    blank_or = st.one_of(st.none(), cell_money)
    args = [
        [[draw(cell_money)] for _ in range(n)],  # distribution
        whole(draw, cell_money, n),  # after_tax_basis
        whole(draw, st.one_of(st.just(200000.0), cell_money), n),  # account_balance
        whole(draw, blank_or, n),  # to_roth_ira
        whole(draw, blank_or, n),  # to_traditional
        draw(st.sampled_from(SPLIT_OUTPUTS)),
        whole(draw, blank_or, n),  # rolled_60day_roth
        draw(blank_or),  # rolled_60day_traditional
        whole(draw, cell_age, n) if draw(st.booleans()) else draw(cell_age),
        whole(draw, blank_or, n),  # rmd_amount
        whole(draw, st.sampled_from([None, True, False, 1, "yes", "x"]), n),  # separated_age_55
        draw(st.sampled_from([None, False, True])),  # annuity_payment
        None,
        None,
    ]
    spec = SPECS["ROTH_ROLLOVER_SPLIT"]
    assert adapter.run(spec, args) == adapter.run(spec, args, whole_columns=False)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(2, 10), data=st.data())
def test_form_8606_whole_column_equals_the_core_cell_by_cell(n, data):
    import xl_rollover as xr
    from xl_rollover.excel import adapter
    from xl_rollover.excel.functions import SPECS

    draw = data.draw
    blank_or = st.one_of(st.none(), cell_money)
    fields = [None, "explain", "lines_1", "lines_4", "ratio", *xr.form_8606(converted=1, year_end_value=1).flat()]
    args = [
        whole(draw, blank_or, n),  # nondeductible_contributions
        whole(draw, blank_or, n),  # prior_basis
        [[draw(blank_or)] for _ in range(n)],  # year_end_value
        whole(draw, blank_or, n),  # distributions
        [[draw(blank_or)] for _ in range(n)],  # converted
        whole(draw, blank_or, n),  # late_contributions
        draw(blank_or),  # outstanding_rollovers
        draw(st.sampled_from(fields)),
        draw(st.sampled_from([None, 3.0, 4.0, -1.0, "3"])),
    ]
    spec = SPECS["FORM_8606"]
    assert adapter.run(spec, args) == adapter.run(spec, args, whole_columns=False)
