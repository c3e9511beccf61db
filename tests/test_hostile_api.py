"""The Python API fed hostile arguments: only the project's errors, each one short line naming the input."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core.errors import InputError, XlRolloverError
from xl_rollover.core.money import SHOWN


class BadStr:
    """An object whose str() and repr() both fail (a caller's broken class)."""

    def __str__(self) -> str:
        raise RuntimeError("str")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


def nested(depth: int) -> list:
    top: list = []
    here = top
    for _ in range(depth):
        inner: list = []
        here.append(inner)
        here = inner
    return top


#: One valid call of each public function (positional, keywords), each argument then replaced in turn.
CALLS = {
    "roth_rollover_split": ((100000, 20000, 200000), {"age": 45}),
    "prorata_taxable": ((10000, 5000, 20000), {}),
    "form_8606": ((), {"converted": 7000, "year_end_value": 1000, "nondeductible_contributions": 7000}),
    "early_penalty": ((10000, 45), {"tax_year": 2025}),
    "mega_backdoor_room": ((2026, 24500, 10000), {"compensation": 200000, "age": 45}),
    "roth_ira_contribution_limit": ((2025, 100000, "single", 45), {"compensation": 100000}),
    "traditional_ira_deduction_limit": ((2025, 100000, "single", 45, True), {"compensation": 100000}),
    "required_minimum_distribution": ((2025, "1950-01-01", 500000), {}),
    "roth_ira_distribution": ((5000, 0, [(2025, 500, 20000)]), {"distribution_year": 2027, "age": 47}),
    "roth_penalty_free": ((0, [(2025, 500, 20000)]), {"distribution_year": 2027, "age": 47}),
    "sepp_payment": ((500000, "1970-01-01", 2025, "amortization"), {"interest_rate": 0.05}),
    "in_plan_roth_rollover": ((10000, 2000, 2025), {}),
    "irs_limit": (("annual_additions_limit_415c1A", 2026), {}),
    "applicable_age": (("1955-01-01",), {}),
    "first_rmd_year": (("1955-01-01",), {}),
}

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**50), max_value=10**50),
    st.sampled_from([10**5000, -(10**400), 2**63, 300, 1000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([5e-324, 1e-300, 1e308]),
    st.text(max_size=20),
    st.sampled_from(["9" * 5000, "²", "１２", "1e400", "nan", "#N/A", "2025-02-30", "9999-12-31", "0001-01-01"]),
    st.sampled_from([Decimal("sNaN"), Decimal("NaN"), Decimal("Infinity"), Decimal("1E+999999")]),
    st.sampled_from([b"12", complex(1, 2), object(), BadStr(), nested(3000), {1: 2}, set(), [], [[1]], (1, 2, 3)]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)


def one_line(error: XlRolloverError) -> str:
    text = str(error)
    assert text and "\n" not in text
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_argument_replaced_by_garbage_is_a_project_error_or_a_result(data):
    name = data.draw(st.sampled_from(sorted(CALLS)))
    function = getattr(xr, name)
    args, kwargs = CALLS[name]
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    arguments[data.draw(st.sampled_from(sorted(arguments)))] = data.draw(garbage)
    try:
        function(**arguments)
    except XlRolloverError as error:
        one_line(error)


@pytest.mark.parametrize(
    "call",
    [
        lambda v: xr.roth_rollover_split(1000, 100, 2000, separated_age_55=v),
        lambda v: xr.early_penalty(1000, 45, "SIMPLE_IRA", simple_first_two_years=v),
        lambda v: xr.required_minimum_distribution(2025, "1950-01-01", 1000, inherited=v),
        lambda v: xr.traditional_ira_deduction_limit(2025, 100000, "single", 45, v),
        lambda v: xr.sepp_payment(1000, "1970-01-01", 2025, v),
        lambda v: xr.early_penalty(1000, 45, v),
        lambda v: xr.roth_ira_distribution(1, distribution_year=2027, age=47, qualifying_event=v),
    ],
)
@pytest.mark.parametrize("value", [10**5000, "x" * 5000, nested(3000), BadStr()], ids=["int", "text", "deep", "bad"])
def test_messages_repeat_an_input_cut_short(call, value):
    with pytest.raises(InputError) as caught:
        call(value)
    assert len(one_line(caught.value)) < 2 * SHOWN + 120


@pytest.mark.parametrize("value", ["TRUE", " yes ", "1", 1, 1.0, True])
def test_every_flag_reads_the_same_words_as_a_batch_cell(value):
    # a batch column read TRUE/YES/1 as yes while the core refused the same text for some flags
    assert xr.early_penalty(1000, 45, "SIMPLE_IRA", simple_first_two_years=value).rate == Decimal("0.25")
    covered = xr.traditional_ira_deduction_limit(2025, 100000, "single", 45, value, compensation=100000)
    assert covered.limit == 0  # 2025 single, covered: phase-out $79,000-$89,000 (Pub. 590-A, Notice 2024-80)
    with pytest.raises(xr.UnsupportedCase):
        xr.required_minimum_distribution(2025, "1950-01-01", 1000, inherited=value)


@pytest.mark.parametrize("value", [None, "", "  ", "FALSE", "no", 0, 0.0, False])
def test_optional_flags_left_blank_or_false_are_no(value):
    assert xr.early_penalty(1000, 45, "SIMPLE_IRA", simple_first_two_years=value).rate == Decimal("0.10")
    spouse = xr.traditional_ira_deduction_limit(
        2025, 100000, "single", 45, False, spouse_active_participant=value, compensation=100000
    )
    assert spouse.limit == 7000  # 2025 limit under 50, not covered (IRC §219(b)(5)(A); Notice 2024-80)


def test_a_required_flag_left_blank_is_named():
    with pytest.raises(InputError, match="active_participant is missing"):
        xr.traditional_ira_deduction_limit(2025, 100000, "single", 45, None)
    with pytest.raises(InputError, match="row 1 qualified is missing"):
        xr.roth_ira_distribution(1, distribution_year=2027, age=47, roth_401k_rollovers=[(2025, 1, 1, None)])


@pytest.mark.parametrize("value", [5.0, 7, "2025:500:20000", {2025: (500, 2000)}, object()])
def test_a_table_given_as_one_value_is_named(value):
    with pytest.raises(InputError, match="conversions must be a list of rows"):
        xr.roth_penalty_free(0, value, distribution_year=2027, age=47)
    with pytest.raises(InputError, match="roth_401k_rollovers must be a list of rows"):
        xr.roth_ira_distribution(1, distribution_year=2027, age=47, roth_401k_rollovers=value)


@pytest.mark.parametrize(
    "value",
    ["9" * 5000, "²", "１２", Decimal("sNaN"), [1], BadStr()],
    ids=["long", "superscript", "fullwidth", "snan", "list", "bad"],
)
def test_odd_exception_codes_are_refused_by_name(value):
    with pytest.raises(InputError, match="exception"):
        xr.early_penalty(1000, 45, exception=value)


def test_exception_codes_still_read_as_numbers():
    assert xr.early_penalty(1000, 45, exception=" 3 ").exception == "disability"
    assert xr.early_penalty(1000, 45, exception=3.0).exception == "disability"


@pytest.mark.parametrize("status", [[1], "banana", 5])
def test_a_filing_status_that_is_no_status_is_refused_even_where_the_limit_ignores_it(status):
    # [1] was a TypeError (the row cache's key); "banana" and 5 were silently ignored by a limit without statuses
    with pytest.raises(InputError, match=r"filing_status .* is not one of SINGLE"):
        xr.irs_limit("annual_additions_limit_415c1A", 2026, status)
    with pytest.raises(InputError, match="filing_status"):
        xr.roth_ira_contribution_limit(2025, 100000, status, 45)
    for ignored in ("MFJ", " ", None):  # a real status (or none) for a limit that does not depend on one
        assert xr.irs_limit("annual_additions_limit_415c1A", 2026, ignored).value == Decimal("72000")


@pytest.mark.parametrize(
    "call",
    [
        lambda: xr.first_rmd_year("9999-12-31"),
        lambda: xr.applicable_age(dt.date(9990, 1, 1)) and xr.first_rmd_year(dt.date(9990, 1, 1)),
        lambda: xr.early_penalty(1000, ("9990-01-01", "9999-12-31")),
    ],
)
def test_dates_near_the_calendars_end_are_refused_not_overflowed(call):
    with pytest.raises(InputError, match="9999-12-31"):
        call()


@pytest.mark.parametrize("rate", [1e-300, "1e-13", 5e-324])
def test_a_rate_too_small_to_work_with_is_refused(rate):
    # 1 + r is 1 at 50 digits: r / (1 - (1 + r)^-n) was 0/0 (decimal.DivisionByZero)
    with pytest.raises(InputError, match=r"interest_rate .* is not 0 but below 1E-12"):
        xr.sepp_payment(500000, "1970-01-01", 2025, "amortization", interest_rate=rate)
    assert xr.sepp_payment(500000, "1970-01-01", 2025, "amortization", interest_rate=0).payment == Decimal("15822.78")


def test_numpy_numbers_from_a_pandas_cell_are_the_same_numbers():
    # np.float64's repr is "np.float64(10000.5)" (numpy 2): Decimal(repr(v)) raised decimal.InvalidOperation;
    # np.int64 was refused as "not a number"
    import numpy as np

    want = xr.prorata_taxable(10000.5, 5000, 20000).taxable_conversion
    assert want == Decimal("8330.42")  # 10,000.50 less 0.167 (line 10, 5,000 / 30,000.50) of it, Form 8606 ln 18
    assert xr.prorata_taxable(np.float64(10000.5), np.int64(5000), np.int32(20000)).taxable_conversion == want
    assert xr.early_penalty(np.float64(1000), np.int64(45)).penalty == Decimal("100.00")
    assert xr.irs_limit("annual_additions_limit_415c1A", np.int64(2026)).value == Decimal("72000")
    with pytest.raises(InputError, match="must be a number, not bool"):
        xr.prorata_taxable(np.bool_(True), 5000, 20000)


@pytest.mark.parametrize("text", ["2025W011", "2025-W01-1", "20250101", "2025-1-1", "２０２５-０１-０１", "2025-02-30"])
def test_a_date_in_another_form_is_refused_in_every_face(text):
    # Python 3.11's date.fromisoformat reads 20250101 and the ISO week date 2025-W01-1 (2024-12-30): the core and
    # the worksheet functions took them as dates though every message asks for YYYY-MM-DD
    from xl_rollover.excel.adapter import CellError, excel_date

    with pytest.raises(InputError, match="is not a date \\(use YYYY-MM-DD\\)"):
        xr.required_minimum_distribution(2025, text, 100000)
    with pytest.raises(CellError, match="is not a date"):
        excel_date(text, "birth_date")
    # age 75 in 2025: Uniform Lifetime Table divisor 24.6 (Reg. §1.401(a)(9)-9(c)); 100,000 / 24.6
    assert xr.required_minimum_distribution(2025, " 1950-01-01 ", 100000).amount == Decimal("4065.04")
