"""The worksheet functions called as Excel calls them (floats, None, text, dates, 2-D ranges) against the core."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest
import xlwings

import xl_rollover as core
from xl_rollover.core.registry import Function, Param
from xl_rollover.excel import functions as F
from xl_rollover.excel.functions import SPECS, excel_function

ALL = {name: getattr(F, name) for name in SPECS}


def table(rows: list[list[object]]) -> dict[str, object]:
    return {label: value for label, value in rows}  # type: ignore[misc]


# --- each function against the core ---------------------------------------------------------


def test_split_default_table_matches_core_and_worked_example():
    # W-P02 style: 100,000 account, 20,000 basis, full distribution; after-tax to Roth, pretax to traditional
    rows = F.ROTH_ROLLOVER_SPLIT(100000.0, 20000.0, 100000.0)
    got = table(rows)
    want = core.roth_rollover_split(100000, 20000, 100000)
    assert got["roth_after_tax"] == 20000.0 == float(want.roth_after_tax)
    assert got["traditional_pretax"] == 80000.0
    assert got["taxable"] == 0.0
    assert got["form_1099r_1_box5_employee_contributions"] == 20000.0
    assert got["form_1099r_1_box7_code"] == "G"
    assert [r[0] for r in rows] == list(want.flat())


def test_split_partial_distribution_output_and_cash():
    # Hand-worked: 50,000 of a 200,000 account with 40,000 basis carries 10,000 after-tax, 40,000 pretax.
    # 30,000 direct to a Roth IRA, 20,000 cash: pretax goes first to the direct rollover (Notice 2014-54),
    # so the Roth gets 30,000 pretax (taxed as a conversion) and the cash 10,000 pretax + 10,000 after-tax.
    # Taxable 40,000; withholding 20% of the 10,000 pretax cash = 2,000 (IRC 3405(c)).
    assert F.ROTH_ROLLOVER_SPLIT(50000.0, 40000.0, 200000.0, 30000.0, 0.0, "Taxable") == 40000.0
    assert F.ROTH_ROLLOVER_SPLIT(50000.0, 40000.0, 200000.0, 30000.0, 0.0, "withholding") == 2000.0
    assert F.ROTH_ROLLOVER_SPLIT(50000.0, 40000.0, 200000.0, 30000.0, 0.0, "CASH_AFTER_TAX") == 10000.0
    want = core.roth_rollover_split(50000, 40000, 200000, 30000, 0)
    assert want.taxable == Decimal("40000.00") and want.withholding == Decimal("2000.00")


def test_prorata_matches_worked_example_p08():
    # Pub. 590-B Rose Green (W-P08, tests/cases/form_8606.toml): basis 2,300, year-end value 20,000, 5,000
    # converted: ratio 0.092, nontaxable 460, taxable 4,540 (Form 8606 lines 10, 17, 18)
    assert F.PRORATA_TAXABLE(5000.0, 2300.0, 20000.0) == 4540.0
    assert F.PRORATA_TAXABLE(5000.0, 2300.0, 20000.0, None, None, "ratio") == 0.092
    assert F.PRORATA_TAXABLE(5000.0, 2300.0, 20000.0, None, None, "lines_17") == 460.0


def test_prorata_demo_backdoor_and_ratio_decimals():
    assert F.PRORATA_TAXABLE(7500.0, 7500.0, 1850.0) == 1485.0
    unrounded = F.PRORATA_TAXABLE(7500.0, 7500.0, 1850.0, None, None, None, -1)
    want = core.prorata_taxable(7500, 7500, 1850, ratio_decimals=None)
    assert unrounded == float(want.taxable_conversion) == 1483.96


def test_form_8606_lines_in_form_order():
    rows = F.FORM_8606(7500.0, 0.0, 1850.0, None, 7500.0)
    got = table(rows)
    assert got["lines_1"] == 7500.0 and got["lines_10"] == 0.802 and got["lines_18"] == 1485.0
    assert F.FORM_8606(7500.0, None, 1850.0, None, 7500.0, None, None, "lines_14") == 1485.0


def test_early_penalty_with_exception_code_typed_as_number_and_dates():
    assert F.EARLY_PENALTY(10000.0, 45.0) == 1000.0
    # exception 03 (disability) typed as the number 3 is read as the code "03"
    assert F.EARLY_PENALTY(10000.0, 45.0, None, 3.0) == 0.0
    assert F.EARLY_PENALTY(10000.0, 45.0, None, 3.0, None, None, "form_5329_2_exception_number") == "03"
    # 59½ reached on 2026-01-15 (born 1966-07-15): distribution on that day is exempt
    assert F.EARLY_PENALTY(10000.0, [[dt.datetime(1966, 7, 15), dt.datetime(2026, 1, 15)]]) == 0.0
    # the same dates as Lite passes them: serial numbers (2026-01-14 is 46036)
    born = (dt.date(1966, 7, 15) - dt.date(1899, 12, 30)).days
    assert F.EARLY_PENALTY(10000.0, [[float(born), 46036.0]]) == 1000.0
    assert F.EARLY_PENALTY(10000.0, [[float(born), 46037.0]]) == 0.0
    # SIMPLE IRA within two years: 25%
    assert F.EARLY_PENALTY(10000.0, 45.0, "SIMPLE_IRA", None, None, None, None, True) == 2500.0


def test_roth_ira_distribution_conversions_range_with_header_and_blank_rows():
    conversions = [["Year", "Taxable", "Nontaxable"], [2022.0, 3000.0, 1000.0], [None, None, None]]
    rows = F.ROTH_IRA_DISTRIBUTION(10000.0, 5000.0, conversions, 2026.0, 45.0)
    want = core.roth_ira_distribution(10000, 5000, [(2022, 3000, 1000)], distribution_year=2026, age=45)
    got = table(rows)
    assert got["taxable"] == float(want.taxable) == 1000.0
    assert got["penalty"] == float(want.penalty) == 400.0
    assert got["qualified_from"] == dt.date(2027, 1, 1)
    assert F.ROTH_IRA_DISTRIBUTION(10000.0, 5000.0, conversions, 2026.0, 45.0, None, None, "lines_25a") == 1000.0


def test_roth_penalty_free_stops_at_a_taxable_conversion_inside_its_five_years():
    # Hand-worked: 5,000 regular contributions, a 2024 conversion of 3,000 taxable + 1,000 nontaxable, age 45.
    # 2026: the 2024 taxable part is within its 5 years (2024-2028), so only the 5,000 of contributions is free.
    # 2029: the period has ended; the whole conversion joins: 9,000 (Reg. 1.408A-6 ).
    conversions = [["year", "taxable", "nontaxable"], [2024.0, 3000.0, 1000.0]]
    assert F.ROTH_PENALTY_FREE(5000.0, conversions, 2026.0, 45.0) == 5000.0
    assert F.ROTH_PENALTY_FREE(5000.0, conversions, 2029.0, 45.0) == 9000.0
    assert F.ROTH_PENALTY_FREE(5000.0, conversions, 2026.0, 60.0) == 9000.0  # 59½: no recapture stop
    assert (
        float(core.roth_penalty_free(5000, [(2024, 3000, 1000)], distribution_year=2026, age=45).penalty_free) == 5000.0
    )


def test_room_limits_and_irs_limit_against_the_table():
    want = core.mega_backdoor_room(2026, 24500, 10000)
    assert F.MEGA_BACKDOOR_ROOM(2026.0, 24500.0, 10000.0) == float(want.room)
    annual = core.irs_limit("annual_additions_limit_415c1A", 2026).value
    assert F.IRS_LIMIT("annual_additions_limit_415c1A", 2026.0) == float(annual)
    assert (
        F.IRS_LIMIT("annual_additions_limit_415c1A", 2026.0, None, "source")
        == core.irs_limit("annual_additions_limit_415c1A", 2026).source
    )
    limit = core.roth_ira_contribution_limit(2026, 160000, "SINGLE", 45)
    assert F.ROTH_IRA_LIMIT(2026.0, 160000.0, "single", 45.0) == float(limit.limit)
    ded = core.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 45, True)
    assert F.IRA_DEDUCTION_LIMIT(2026.0, 85000.0, "SINGLE", 45.0, True) == float(ded.limit)


def test_two_dimensional_single_cells_as_xlwings_passes_them_with_ndim_2():
    """xlwings delivers every argument of these functions as a 2-D list (ndim=2): [[value]]."""
    assert F.ROTH_ROLLOVER_SPLIT([[50000.0]], [[40000.0]], [[200000.0]], [[30000.0]], [[0.0]], [["taxable"]]) == 40000.0
    assert F.PRORATA_TAXABLE([[7500.0]], [[7500.0]], [[1850.0]], [[None]], [[None]], [["ratio"]], [[None]]) == 0.802
    assert F.IRS_LIMIT([["annual_additions_limit_415c1A"]], [[2026.0]], [[None]], [["SOURCE"]]).startswith("IRS")
    assert (
        F.PRORATA_TAXABLE(1.0, 1.0, 10.0, None, None, [["a"], ["b"]])
        == "#VALUE! output must be a single cell, got 2x1 cells"
    )


# --- ranges ---------------------------------------------------------------------------------


def test_column_ranges_are_cases_and_scalars_broadcast():
    out = F.PRORATA_TAXABLE([[7500.0], [6000.0], [7000.0]], 7500.0, [[1850.0], [0.0], [None]])
    assert out == [[1485.0], [0.0], ["#VALUE! year_end_value is blank; it is required"]]


def test_table_function_over_a_range_has_header_and_one_row_per_case():
    out = F.EARLY_PENALTY([[10000.0], [20000.0]], [[45.0], [60.0]], None, None, None, None, "explain")
    assert len(out) == 2
    assert out[0][0].startswith("Rate: 10% of the early distribution") and "Age 59½" not in out[0][0]
    assert "Age 59½" in out[1][0]  # the 60-year-old's case applies the age exception
    rows = F.ROTH_ROLLOVER_SPLIT([[100000.0], [50000.0]], 20000.0, 100000.0)
    header = rows[0]
    assert header[:3] == ["after_tax", "pretax", "roth_after_tax"]
    assert rows[1][header.index("after_tax")] == 20000.0
    assert rows[2][header.index("after_tax")] == 10000.0


def test_ranges_of_different_lengths_are_an_error():
    out = F.PRORATA_TAXABLE([[1.0], [2.0]], [[1.0], [2.0], [3.0]], 10.0)
    assert out.startswith("#VALUE! ranges of different lengths")


def test_a_row_range_for_a_case_argument_is_refused():
    out = F.PRORATA_TAXABLE([[1.0, 2.0]], 1.0, 10.0)
    assert out == "#VALUE! converted must be a single cell or one column, not a row of 2 cells"


def test_ten_thousand_rows_in_one_call_equal_the_core_row_by_row():
    column = [[float(1000 + i)] for i in range(10_000)]
    out = F.PRORATA_TAXABLE(column, 500.0, 20000.0)
    assert len(out) == 10_000
    for i in (0, 4321, 9999):
        assert out[i][0] == float(core.prorata_taxable(1000 + i, 500, 20000).taxable_conversion)


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: F.ROTH_ROLLOVER_SPLIT(60000.0, 0.0, 50000.0),
            "#VALUE! distribution 60,000.00 exceeds account_balance 50,000.00",
        ),
        (lambda: F.PRORATA_TAXABLE("lots", 1.0, 1.0), "#VALUE! converted must be a number, not the text 'lots'"),
        (lambda: F.EARLY_PENALTY(-5.0, 45.0), "#VALUE! taxable_amount -5 is negative; amounts must be 0 or more"),
        (lambda: F.EARLY_PENALTY(100.0, 300.0), "#VALUE! age 300.0 is not a plausible age (0 to 125)"),
        (lambda: F.EARLY_PENALTY(100.0, 45.0, None, "99"), "#N/A"),
        (lambda: F.EARLY_PENALTY(100.0, 45.0, None, "bogus"), "#VALUE! exception"),
        (lambda: F.IRS_LIMIT("annual_additions_limit_415c1A", 1999.0), "#VALUE! year 1999 is not in the limits table"),
        (lambda: F.PRORATA_TAXABLE("#DIV/0!", 1.0, 1.0), "#DIV/0! converted is the error value #DIV/0!"),
        (lambda: F.PRORATA_TAXABLE(float("nan"), 1.0, 1.0), "#NUM! converted must be a finite number"),
        (
            lambda: F.PRORATA_TAXABLE(1.0, 1.0, 10.0, None, None, "nonsense"),
            "#VALUE! output 'nonsense' is not a result field; choose one of: explain, lines_5, lines_6",
        ),
    ],
)
def test_classic_errors_are_text_that_starts_with_the_excel_error(call, message):
    out = call()
    assert isinstance(out, str)
    assert out.startswith(message), out
    assert len(out) <= 255


def test_lite_raises_xlwings_error_for_value_and_returns_na(monkeypatch):
    monkeypatch.setenv("XLWINGS_ON_SERVER", "true")
    with pytest.raises(xlwings.XlwingsError, match=r"distribution 60,000\.00 exceeds account_balance"):
        F.ROTH_ROLLOVER_SPLIT(60000.0, 0.0, 50000.0)
    assert F.EARLY_PENALTY(100.0, 45.0, None, "99") == "#N/A"
    assert F.PRORATA_TAXABLE([[1.0], ["x"]], 0.0, 10.0) == [[1.0], ["#VALUE!"]]


def test_unexpected_exceptions_become_error_cells(monkeypatch):
    def boom(**_kwargs):
        raise ZeroDivisionError("boom")

    spec = Function("BOOM", (Param("x", "x", required=True), Param("output", "o", kind="output")), boom, None, "")
    from xl_rollover.excel.adapter import run

    assert run(spec, (1.0, None)) == "#VALUE! unexpected ZeroDivisionError: boom"


# --- help -----------------------------------------------------------------------------------


def test_every_function_has_help_for_exactly_its_arguments():
    for name, f in ALL.items():
        spec = SPECS[name]
        params = list(inspect.signature(f).parameters)
        assert params == [p.name for p in spec.params], name
        assert all(p.help for p in spec.params)
        assert f.__doc__ and len(f.__doc__) <= 255 and "(" in f.__doc__, name  # one sentence citing its rule
        assert all(len(p.help) <= 255 for p in spec.params), name
        # required first, optional after (the PMT pattern), output never required
        flags = [p.required for p in spec.params]
        assert flags == sorted(flags, reverse=True), name
        assert inspect.signature(f).parameters[spec.params[-1].name].default is None or spec.params[-1].required


def test_help_that_names_a_missing_parameter_fails_at_import():
    spec = Function("TWICE", (Param("x", "x"), Param("y", "y")), core.prorata_taxable, None, "")
    with pytest.raises(TypeError, match="does not match its help"):

        @excel_function(spec)
        def TWICE(x, z=None):
            return x
