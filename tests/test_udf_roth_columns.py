"""Whole-column ROTH_IRA_DISTRIBUTION and ROTH_PENALTY_FREE calls run the Roth ordering kernels (issue 12).

The conversions argument is one table for every row of the call (broadcast, as a single cell is): read
whole by ``read_table``, given to the column runner as one conversions cell of batch's form
(:func:`xl_rollover.core.columns.layers_cell`), or to the core when a cell of it is not certain. Every
output cell must be the one the core gives row by row, with numpy and without it (xlwings Lite's and
LibreOffice's Python may have none), refused rows, blanks, error values and hostile tables included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core import columns as runner
from xl_rollover.excel import adapter
from xl_rollover.excel import functions as F
from xl_rollover.excel.functions import SPECS

clean_money = st.one_of(
    st.integers(0, 10**7).map(lambda c: c / 100), st.integers(0, 10**5), st.integers(0, 10**14).map(lambda c: c / 100)
)
money = st.one_of(
    clean_money,
    clean_money,
    st.sampled_from([None, "", " ", "7500", "7,500", "-1", 0.005, -1.0, True, float("nan"), "#N/A", "abc"]),
)
ages = st.one_of(
    st.sampled_from([30.0, 45.0, 59.4999, 59.5, 62.0, 75.0]),
    st.floats(0, 130),
    st.sampled_from([125.5, -1.0, None, "45", "x", True, "#VALUE!", [["1966-07-01", "2026-03-01"]]]),
)  # the last: a birth date and distribution date pair
years = st.one_of(
    st.integers(2018, 2032).map(float),
    st.integers(2018, 2032).map(float),
    st.sampled_from([2026, "2026", 1899.0, 2026.5, None, "x", "#REF!", True]),
)
clean_layer = st.tuples(
    st.integers(2010, 2030).map(float), st.integers(0, 10**7).map(lambda c: c / 100), st.integers(0, 10**6)
)
odd_cell = st.sampled_from(
    [None, "", "2020", " 2020 ", "2020.0", 1899.0, 2201.0, 2020.5, True, "x", "-5", "1,000", 0.001, -3.0, 1e13, "#N/A",
     float("nan"), dt.date(2020, 1, 1), 10**12]
)  # fmt: skip
hostile_layer = st.tuples(
    st.one_of(st.integers(2010, 2030).map(float), odd_cell),
    st.one_of(st.integers(0, 10**6).map(lambda c: c / 100), odd_cell),
    st.one_of(st.integers(0, 10**6), odd_cell),
)
tables = st.one_of(
    st.lists(clean_layer, max_size=5).map(lambda rows: [list(r) for r in rows] or None),
    st.lists(clean_layer, max_size=5).map(lambda rows: [list(r) for r in rows] or None),
    st.lists(clean_layer, min_size=1, max_size=4).map(
        lambda rows: [["year", "taxable", "nontaxable"], *map(list, rows)]
    ),
    st.lists(hostile_layer, min_size=1, max_size=4).map(lambda rows: [list(r) for r in rows]),
    st.sampled_from(
        [
            None,
            [[None, None, None]],  # a blank table
            [[None, None, None], [2020.0, 100.0, 200.0], [None, None, None]],
            [["year", "taxable", "nontaxable"]],  # a header only
            [[2020.0, 100.0]],  # two columns
            [[2020.0, 100.0, 200.0, 1.0]],  # four
            [[2020.0, None, 5.0]],  # a blank cell in a row
            [[2020.0, "#DIV/0!", 5.0]],  # an error value
            [[2020.0, 1.0, 2.0], [2020.0, 3.0, 4.0]],  # one layer a year (Reg. 1.408A-6 A-9)
            [[float(y), 100.0, 200.0] for y in range(1990, 1990 + runner.MAX_LAYERS + 1)],  # more than MAX_LAYERS
            [[2020.0, 1e12, 1e12], [2021.0, 1e12 + 0.01, 0.0]],  # the largest amounts and one beyond
            2020.0,  # one cell
        ]
    ),
)


def column(draw, cells, n):
    """A column of ``n`` drawn cells, or one drawn cell for every row."""
    if draw(st.booleans()):
        return [[draw(cells)] for _ in range(n)]
    return draw(cells)


def both_paths(name: str, args: list) -> tuple[object, object]:
    """(whole-column answer, the core's answer row by row) of one worksheet call."""
    spec = SPECS[name]
    prepare = adapter.table_reader(spec)
    return adapter.run(spec, args, prepare), adapter.run(spec, args, prepare, whole_columns=False)


def without_numpy(monkeypatch):
    monkeypatch.setattr(runner, "_numpy", lambda: None)


SAMPLE = xr.roth_ira_distribution(9000, 1000, [(2020, 3000, 1000), (2022, 500, 0)], distribution_year=2026, age=45)
DISTRIBUTION_FIELDS = [None, "explain", "nonsense", "layers_out_4_amount", "recapture_ends_2020", *SAMPLE.flat()]


def distribution_args(draw, n):
    return [
        [[draw(money)] for _ in range(n)],  # amount
        column(draw, money, n),  # regular_contributions
        draw(tables),  # conversions
        column(draw, years, n),  # distribution_year
        column(draw, ages, n),
        column(draw, st.one_of(st.none(), st.none(), years), n),  # first_roth_year
        column(draw, st.sampled_from([None] * 6 + ["", "12", "first_home", 3.0]), n),  # exception
        draw(st.sampled_from(DISTRIBUTION_FIELDS)),
        column(draw, st.sampled_from([None] * 6 + ["", "death", "first_home", "x"]), n),  # qualifying_event
        column(draw, st.sampled_from([None] * 6 + [0.0, 0, 2500.0, 20000.0, "x"]), n),  # first_home_used
    ]


def penalty_free_args(draw, n):
    return [
        [[draw(money)] for _ in range(n)],  # regular_contributions
        draw(tables),
        column(draw, years, n),
        column(draw, ages, n),
        draw(st.sampled_from([None, "penalty_free", "distribution_year", "explain", "nonsense"])),
    ]


ARGUMENTS = {"ROTH_IRA_DISTRIBUTION": distribution_args, "ROTH_PENALTY_FREE": penalty_free_args}


@pytest.mark.parametrize("numpy", [True, False], ids=["numpy", "no-numpy"])
@pytest.mark.parametrize("name", sorted(ARGUMENTS))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), n=st.integers(2, 9))
def test_whole_column_calls_equal_the_core_row_by_row(name, numpy, monkeypatch, data, n):
    if not numpy:
        without_numpy(monkeypatch)
    fast, slow = both_paths(name, ARGUMENTS[name](data.draw, n))
    assert fast == slow


CONVERSIONS = [["year", "taxable", "nontaxable"], [2022.0, 3000.0, 1000.0], [2024.0, 500.5, 0.0]]


@pytest.mark.parametrize("numpy", [True, False], ids=["numpy", "no-numpy"])
def test_hand_worked_whole_columns(numpy, monkeypatch):
    if not numpy:
        without_numpy(monkeypatch)
    # 10,000 out in 2026 at 45 with 5,000 regular contributions and the table above; first_roth_year 2020.
    # Ordering (Reg. 1.408A-6 A-8, A-9): regular 5,000, then 2022's 3,000 taxable and 1,000 nontaxable, then
    # 2024's 500.50 taxable, then 499.50 of earnings. Line 23 = 10,000 - 5,000 = 5,000; line 24 = 4,500.50;
    # line 25a = 499.50 taxable (A-4). Recaptured: 3,000 (2022-2026) + 500.50 (2024-2028) (IRC 408A(d)(3)(F)).
    # 10% of 499.50 + 3,500.50 = 4,000.00 is 400.00 (IRC 72(t)(1)). At 60 the distribution is qualified
    # (the clock from 2020 ended 2024, IRC 408A(d)(2)(B)): nothing taxed or penalised.
    amounts, ages_ = [[10000.0], [10000.0], [2000.0]], [[45.0], [60.0], [45.0]]
    args = (amounts, 5000.0, CONVERSIONS, 2026.0, ages_, 2020.0, None)
    assert F.ROTH_IRA_DISTRIBUTION(*args, "penalty") == [[400.0], [0.0], [0.0]]
    assert F.ROTH_IRA_DISTRIBUTION(*args, "taxable") == [[499.5], [0.0], [0.0]]
    # the third piece out is 2022's nontaxable part, qualified or not; 2,000 takes regular contributions only
    assert F.ROTH_IRA_DISTRIBUTION(*args, "layers_out_3_year") == [[2022.0], [2022.0], [None]]
    assert F.ROTH_IRA_DISTRIBUTION(*args, "qualified_from") == [[dt.date(2025, 1, 1)]] * 3
    # penalty-free (A-5(c), A-8): at 45 regular only (2022's taxable part is inside 2022-2026); at 60 all basis:
    # 2,000 + 3,000 + 1,000 + 500.50 = 6,500.50
    assert F.ROTH_PENALTY_FREE([[10000.0], [2000.0]], CONVERSIONS, 2026.0, [[45.0], [60.0]]) == [[10000.0], [6500.5]]


def test_the_adapter_reads_a_table_argument_without_being_told():
    # adapter.run with no `prepare` reads the entry's tables itself (it once dropped them silently): the
    # same 400.00 as the worksheet function above (10% of 499.50 + 3,500.50 recaptured, IRC 72(t)(1))
    spec = F.SPECS["ROTH_IRA_DISTRIBUTION"]
    args = [[[10000.0], [2000.0]], 5000.0, CONVERSIONS, 2026.0, 45.0, 2020.0, None, "penalty", None, None]
    assert adapter.run(spec, args) == [[400.0], [0.0]] == adapter.run(spec, args, adapter.table_reader(spec))
    assert adapter.run(spec, args, whole_columns=False) == [[400.0], [0.0]]


@pytest.mark.parametrize("numpy", [True, False], ids=["numpy", "no-numpy"])
@pytest.mark.parametrize("name", ["ROTH_IRA_DISTRIBUTION", "ROTH_PENALTY_FREE"])
def test_clean_columns_take_the_kernel(name, numpy, monkeypatch):
    """A clean whole-column call must not reach the core (else the kernel path silently stopped working)."""
    if not numpy:
        without_numpy(monkeypatch)
    spec = SPECS[name]

    def refuse(**_kwargs):
        raise AssertionError("the core was called")

    lean = dataclasses.replace(spec, call=refuse)
    amounts = [[1000.0 * i] for i in range(1, 6)]
    if name == "ROTH_IRA_DISTRIBUTION":
        args = [amounts, 5000.0, CONVERSIONS, 2026.0, 45.0, None, None, "penalty", None, None]
    else:
        args = [amounts, CONVERSIONS, 2026.0, 45.0, None]
    assert adapter.run(lean, args, adapter.table_reader(spec)) == adapter.run(
        spec, args, adapter.table_reader(spec), whole_columns=False
    )


def test_a_table_cell_only_the_core_reads_sends_the_call_to_the_core(monkeypatch):
    calls = []
    spec = SPECS["ROTH_PENALTY_FREE"]
    counted = dataclasses.replace(spec, call=lambda **kw: calls.append(1) or spec.call(**kw))
    table = [[2020.0, "1,000", 0.0]]  # text with a separator: the core's reading (an error it explains)
    args = [[[1.0], [2.0]], table, 2026.0, 45.0, None]
    out = adapter.run(counted, args, adapter.table_reader(spec))
    assert len(calls) == 2 and out == adapter.run(spec, args, adapter.table_reader(spec), whole_columns=False)
    assert runner.layers_cell([(2020.0, "1,000", 0.0)]) is None
    assert runner.layers_cell([(2020.0, 1000.5, 0), ("2021", "7", 0.25)]) == "2020:1000.50:0.00;2021:7.00:0.25"
    assert runner.layers_cell([]) == ""


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_whole_column_roth_calls_in_the_recalculation_engines(tmp_path, engine):
    """The hand-worked column above as sheet formulas: one conversions range for every row, a text amount in row 3."""
    import openpyxl
    import xlsxwriter

    from xl_rollover.engines.recalc import calculate

    wb = xlsxwriter.Workbook(tmp_path / "roth.xlsx")
    ws = wb.add_worksheet("S")
    ws.write_column("A1", [10000, 10000, "lots", 2000])
    ws.write_column("B1", [45, 60, 45, 45])
    for r, row in enumerate(CONVERSIONS):
        ws.write_row(r, 4, row)  # E1:G3, a header row first
    ws.write_dynamic_array_formula("C1:C4", '=ROTH_IRA_DISTRIBUTION(A1:A4,5000,E1:G3,2026,B1:B4,2020,,"penalty")')
    ws.write_dynamic_array_formula("D1:D4", "=ROTH_PENALTY_FREE(A1:A4,E1:G3,2026,B1:B4)")
    wb.close()
    out = tmp_path / "out.xlsx"
    result = calculate(tmp_path / "roth.xlsx", out, engine=engine)
    assert result.errors == {"S!C3": "#VALUE!", "S!D3": "#VALUE!"}
    values = openpyxl.load_workbook(out, data_only=True)["S"]
    assert [values[f"C{r}"].value for r in (1, 2, 4)] == [400.0, 0.0, 0.0]
    # penalty-free with regular contributions A: 10,000 at 45; 10,000 + 4,500.50 of basis at 60; 2,000 at 45
    assert [values[f"D{r}"].value for r in (1, 2, 4)] == [10000.0, 14500.5, 2000.0]
