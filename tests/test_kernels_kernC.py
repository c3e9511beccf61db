"""Kernels and column forms of the limits by year, irs_limit, the RMD and SEPP payments.

Each function's arithmetic is one integer-cent kernel (room_kernel, phaseout_kernel, roth_limit_kernel,
deduction_kernel, rmd_kernel, sepp_kernel) that the scalar function runs on Python ints and the column
runner on numpy arrays, with the values of law looked up once per distinct key. These tests check: the
numpy run equals the run without numpy row for row; batch's column pass equals the scalar core field by
field (digits included) on generated rows, refused and odd rows among them (they are handed back and get
the core's message); hand-worked figures through batch.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.batch import runner as batch
from xl_rollover.core import columns as runner
from xl_rollover.core import life_tables, limits
from xl_rollover.core.rules.contribution_limits import phaseout_kernel, room_kernel
from xl_rollover.core.rules.rmd import rmd_kernel
from xl_rollover.core.rules.sepp import payment_factor, sepp_kernel

# --- cells as a scenario file or a worksheet range holds them -----------------------------------


def mostly(clean: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly cells the core accepts (so the kernels are exercised), some it refuses or reads oddly."""
    return st.one_of(clean, clean, clean, odd)


money = mostly(
    st.integers(0, 10**9).map(lambda c: c / 100),
    st.one_of(
        st.integers(0, 10**6),
        st.sampled_from([0.0, 0.01, 7500.0, 24500.0, 1e10, None, "", " ", "7500", "7,500", "-1", 0.005, -1.0, "abc"]),
    ),
)
small_money = mostly(
    st.integers(0, 4_000_000).map(lambda c: c / 100), st.sampled_from([None, 0, 0.0, 100.0, 8000.0, "x", -5.0])
)
tax_years = mostly(
    st.integers(2018, 2026),
    st.sampled_from([2017, 2027, 2026.0, "2026", " 2025 ", "2025.0", 2025.5, "x", None, True, 1899]),
)
rmd_years = mostly(st.integers(2022, 2026), st.sampled_from([2021, 2027, 2026.0, "2024", 2025.5, None, True]))
ages = mostly(
    st.one_of(st.floats(0, 100), st.integers(18, 80)),
    st.sampled_from([None, 49.999, 50, 59.99, 60, 63.9, 64, 70.5, 130.0, "55", "70.5", "999", -1, True, "x", ""]),
)
statuses = mostly(
    st.sampled_from(["SINGLE", "MFJ", "HOH", "MFS", "QSS", "MFS_APART"]),
    st.sampled_from(["mfj", " hoh ", "mfs apart", "X", None, 1.0, ""]),
)
flags = mostly(st.booleans(), st.sampled_from([0, 1, 1.0, "TRUE", "no", "Yes", " false ", None, "", 2, "x"]))


def dates(first: int, last: int) -> st.SearchStrategy:
    days = st.dates(dt.date(first, 1, 1), dt.date(last, 12, 31))
    return st.one_of(
        days.map(dt.date.isoformat),
        days,
        days.map(lambda d: dt.datetime(d.year, d.month, d.day, 10, 30)),
        days.map(lambda d: float((d - dt.date(1899, 12, 30)).days)),  # a serial number, as Lite passes it
        st.sampled_from(["1949-06-30", "1949-07-01", "1959-05-01", "1960-01-01", "19500101", "1950-02-30", "x", True]),
    )


def rows_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same values and the same digits (Decimal('72000') and Decimal('72000.00') are equal but print apart)."""
    a = a[list(b.columns)]

    def plain(v: object) -> object:
        if isinstance(v, float) and v.is_integer():
            return int(v)  # a whole-number field (a year, an age) the scalar loop's frame made float by a missing row
        return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

    for i in range(len(b)):
        left = [plain(a[c].iloc[i]) for c in b.columns]
        right = [plain(b[c].iloc[i]) for c in b.columns]
        assert left == right, (i, [(c, x, y) for c, x, y in zip(b.columns, left, right, strict=True) if x != y])
        assert [str(v) for v in left] == [str(v) for v in right], i


def both_paths(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    rule = batch.RULES[name]
    assert rule.vectorised is not None, name
    fast = batch.run_vectorised(rule, frame)
    rows_equal(fast, batch.run_scalar(rule, frame))
    return fast


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- batch's column pass equals the core, row by row ---------------------------------------------


@SETTINGS
@given(st.lists(st.tuples(tax_years, money, small_money, money, ages, small_money), min_size=1, max_size=25))
def test_room_columns_equal_the_core(rows):
    columns = ["year", "employee_deferrals", "employer_contributions", "compensation", "age", "after_tax_so_far"]
    both_paths("mega_backdoor_room", pd.DataFrame(rows, columns=columns))


spouse_money = st.one_of(st.none(), st.none(), small_money)


@SETTINGS
@given(
    st.lists(
        st.tuples(tax_years, money, statuses, ages, spouse_money, small_money, spouse_money, spouse_money),
        min_size=1,
        max_size=25,
    )
)
def test_roth_limit_columns_equal_the_core(rows):
    columns = [
        "year",
        "magi",
        "filing_status",
        "age",
        "compensation",
        "traditional_contributions",
        "spouse_compensation",
        "spouse_ira_contributions",
    ]
    both_paths("roth_ira_contribution_limit", pd.DataFrame(rows, columns=columns))


@SETTINGS
@given(
    st.lists(
        st.tuples(tax_years, money, statuses, ages, flags, flags, spouse_money, spouse_money, spouse_money),
        min_size=1,
        max_size=25,
    )
)
def test_deduction_columns_equal_the_core(rows):
    columns = [
        "year",
        "magi",
        "filing_status",
        "age",
        "active_participant",
        "spouse_active_participant",
        "compensation",
        "spouse_compensation",
        "spouse_ira_contributions",
    ]
    both_paths("traditional_ira_deduction_limit", pd.DataFrame(rows, columns=columns))


names = st.one_of(
    st.sampled_from(limits.limit_names()),
    st.sampled_from(["ANNUAL_ADDITIONS_LIMIT_415C1A", " roth_ira_contribution_phaseout_start ", "nope", "", None, 3.0]),
)


@SETTINGS
@given(st.lists(st.tuples(names, tax_years, statuses), min_size=1, max_size=25))
def test_irs_limit_columns_equal_the_core(rows):
    both_paths("irs_limit", pd.DataFrame(rows, columns=["limit_name", "year", "filing_status"]))


@SETTINGS
@given(
    st.lists(
        st.tuples(rmd_years, dates(1918, 1965), money, st.one_of(st.none(), dates(1930, 2000)), flags, flags),
        min_size=1,
        max_size=25,
    )
)
def test_rmd_columns_equal_the_core(rows):
    columns = [
        "year",
        "birth_date",
        "prior_year_end_balance",
        "spouse_birth_date",
        "spouse_sole_beneficiary",
        "inherited",
    ]
    both_paths("required_minimum_distribution", pd.DataFrame(rows, columns=columns))


rates = mostly(
    st.integers(0, 600).map(lambda b: b / 10000),
    st.sampled_from([None, 0.05, 0.045, 0.0, 0.0514, 0.06, 0.99, 1.0, -0.01, "0.05", 0, float("nan")]),
)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            money,
            dates(1940, 2000),
            rmd_years,
            mostly(
                st.sampled_from(["rmd", "amortization"]),
                st.sampled_from(["Fixed Amortization", "annuitization", "x", None]),
            ),
            rates,
            st.sampled_from([None, "single", "uniform", "JOINT", "joint", "x"]),
            st.one_of(st.none(), st.none(), dates(1940, 2010)),
            st.sampled_from([None, None, 0.05, 0.06, 0.04, "0.06", 0.0514]),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_sepp_columns_equal_the_core(rows):
    columns = [
        "balance",
        "birth_date",
        "year",
        "method",
        "interest_rate",
        "life_table",
        "beneficiary_birth_date",
        "rate_cap",
    ]
    both_paths("sepp_payment", pd.DataFrame(rows, columns=columns))


def test_typed_columns_equal_the_core():
    # numeric, logical and datetime columns as Parquet or pandas give them (read at once, not cell by cell)
    n = 6
    frame = pd.DataFrame(
        {
            "year": np.array([2026, 2025, 2021, 2026, 2027, 2024], np.int64),
            "birth_date": pd.to_datetime(["1950-05-05", "1949-06-30", "1951-01-01", "1960-01-01", "1930-02-28", None]),
            "prior_year_end_balance": np.array([500000.0, 123456.78, 1e6, 0.0, 1.005, np.nan]),
            "spouse_birth_date": [None, "1970-01-01", None, None, 25569.0, None],
            "spouse_sole_beneficiary": np.array([False, True, False, False, True, False]),
            "inherited": np.zeros(n, bool),
        }
    )
    both_paths("required_minimum_distribution", frame)
    ira = pd.DataFrame(
        {
            "year": np.array([2026.0, 2026.0, 2019.0, 2026.5, np.nan, 2018.0]),
            "magi": np.arange(n) * 30000.0,
            "filing_status": ["MFJ", "SINGLE", "SINGLE", "MFJ", "HOH", "MFS"],
            "age": np.array([72.0, 50, 71, 45, 30, 49.5]),
            "active_participant": np.array([1, 0, 1, 1, 0, 1]),
            "spouse_active_participant": np.array([1.0, np.nan, 0, 0, 0, 1]),
            "compensation": np.array([np.nan, 5000.0, np.nan, 100.0, 0.0, np.nan]),
        }
    )
    both_paths("traditional_ira_deduction_limit", ira)
    both_paths("roth_ira_contribution_limit", ira.drop(columns=["active_participant", "spouse_active_participant"]))


# --- the numpy run equals the run on Python ints (xlwings Lite without numpy) ----------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(1, 10))
def test_run_columns_without_numpy_equals_with_numpy(data, n):
    draw = data.draw

    def column(cells: st.SearchStrategy) -> list:
        return [draw(cells) for _ in range(n)] if draw(st.booleans()) else [draw(cells)]

    cases = {
        "mega_backdoor_room": {
            "year": column(tax_years),
            "employee_deferrals": column(money),
            "employer_contributions": column(small_money),
            "compensation": column(money),
            "age": column(ages),
        },
        "roth_ira_contribution_limit": {
            "year": column(tax_years),
            "magi": column(money),
            "filing_status": column(statuses),
            "age": column(ages),
            "compensation": column(st.one_of(st.none(), small_money)),
            "spouse_compensation": column(spouse_money),
        },
        "traditional_ira_deduction_limit": {
            "year": column(tax_years),
            "magi": column(money),
            "filing_status": column(statuses),
            "age": column(ages),
            "active_participant": column(flags),
            "spouse_active_participant": column(flags),
        },
        "irs_limit": {"limit_name": column(names), "year": column(tax_years), "filing_status": column(statuses)},
        "required_minimum_distribution": {
            "year": column(rmd_years),
            "birth_date": column(dates(1918, 1965)),
            "prior_year_end_balance": column(money),
            "spouse_birth_date": column(st.one_of(st.none(), dates(1930, 2000))),
            "spouse_sole_beneficiary": column(flags),
        },
        "sepp_payment": {
            "balance": column(money),
            "birth_date": column(dates(1940, 2000)),
            "year": column(rmd_years),
            "method": column(st.sampled_from(["rmd", "amortization", None])),
            "interest_rate": column(rates),
            "life_table": column(st.sampled_from([None, "single", "uniform", "joint"])),
            "beneficiary_birth_date": column(st.one_of(st.none(), dates(1940, 2010))),
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
        assert set(rows) == (set(with_np) if len(failed_rows) < n else set()), fn
        for key, values in rows.items():
            for i in set(range(n)) - set(failed_rows):
                assert values[i] == with_np[key][i], (fn, key, i)
                assert str(values[i]) == str(
                    with_np[key][i].item() if hasattr(with_np[key][i], "item") else with_np[key][i]
                )


# --- the kernels' arithmetic, hand-worked and against exact fractions -------------------------------


def test_room_kernel_figures():
    # 2026: 402(g) 24,500, age-50 catch-up 8,000, 415(c) 72,000 (Notice 2025-67). Deferrals 30,000: 5,500 above
    # 402(g) is catch-up (414(v)(3)(A)), 24,500 counts; cap min(72,000, compensation 60,000) = 60,000 (415(c)(1)(B));
    # room 60,000 - 24,500 - 12,000 employer - 2,000 already = 21,500.
    k = room_kernel(3_000_000, 1_200_000, 200_000, 6_000_000, 7_200_000, 2_450_000, 800_000)
    assert (k["catch_up"], k["counted"], k["cap"], k["room"], k["excess"]) == (
        550_000,
        2_450_000,
        6_000_000,
        2_150_000,
        False,
    )
    assert room_kernel(3_300_000, 0, 0, -1, 7_200_000, 2_450_000, 800_000)["excess"]  # 800,000 cents too many


@settings(max_examples=300, deadline=None)
@given(
    amount=st.integers(0, 900_000),
    start=st.integers(0, 30_000_000),
    width=st.integers(1, 3_000_000),
    magi=st.integers(0, 40_000_000),
)
def test_phaseout_kernel_equals_an_exact_working(amount, start, width, magi):
    # Worksheet 2-2 / 1-2: amount x (end - MAGI) / (end - start) rounded UP to a multiple of $10, at least $200
    # (IRC 219(g)(2)(B)-(C)); the whole amount at or below start, 0 at or above end.
    end = start + width
    if magi <= start:
        want = amount
    elif magi >= end:
        want = 0
    else:
        share = Fraction(amount * (end - magi), end - start)
        steps = -(-share // 1000)
        want = max(int(steps) * 1000, 20_000)
    assert phaseout_kernel(amount, magi, start, end)["limit"] == want
    arrays = phaseout_kernel(
        np.array([amount]), np.array([magi]), np.array([start]), np.array([end]), runner._NumpyOps(np)
    )
    assert int(arrays["limit"][0]) == want


def test_phaseout_rounds_up_exactly_on_a_third():
    # 2026 single 153,000-168,000, MAGI 158,000: 7,500 x 10,000 / 15,000 = 5,000 exactly (a float third would
    # round up to 5,010); MAGI 160,000: 7,500 x 8,000 / 15,000 = 4,000.
    assert phaseout_kernel(750_000, 15_800_000, 15_300_000, 16_800_000)["limit"] == 500_000
    assert xr.roth_ira_contribution_limit(2026, 158000, "SINGLE", 40).limit == Decimal("5000.00")


@settings(max_examples=200, deadline=None)
@given(balance=st.integers(0, 10**14), age=st.integers(72, 125))
def test_rmd_kernel_equals_an_exact_working(balance, age):
    divisor = life_tables.factor("uniform", age)
    want = Fraction(balance) / Fraction(divisor)  # cents over the period, half-up
    assert rmd_kernel(balance, int(divisor * 10)) == int(want + Fraction(1, 2))


@settings(max_examples=200, deadline=None)
@given(
    balance=st.integers(0, 10**14),
    bps=st.integers(1, 1000),
    age=st.integers(0, 120),
)
def test_sepp_factor_gives_the_previous_working(balance, bps, age):
    # Before the kernel the payment was round_cents(balance x r / (1 - (1 + r)^-n)) in 50-digit Decimal; the
    # factor r / (1 - (1 + r)^-n) to 50 digits times the balance, rounded once, gives the same cents.
    rate, life = Decimal(bps) / 10000, life_tables.factor("single", age)
    amount = Decimal(balance) / 100
    with localcontext() as ctx:
        ctx.prec = 50
        before = (amount * rate / (1 - (1 + rate) ** -life)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert sepp_kernel(balance, *payment_factor("fixed_amortization", life, rate)) == int(before * 100)


# --- hand-worked figures through batch --------------------------------------------------------------


def test_hand_worked_figures_through_batch():
    room = both_paths(
        "mega_backdoor_room",
        pd.DataFrame(
            [
                {
                    "year": 2026,
                    "employee_deferrals": 30000.0,
                    "employer_contributions": 12000.0,
                    "compensation": 60000.0,
                    "age": 55,
                    "after_tax_so_far": 2000.0,
                }
            ]
        ),
    )
    assert room.loc[0, "room"] == Decimal("21500.00") and room.loc[0, "catch_up"] == Decimal("5500.00")

    # Roth IRA 2026 MFJ range 242,000-252,000 (Notice 2025-67), MAGI 243,333: 7,500 x 8,667 / 10,000 = 6,500.25,
    # rounded up to 6,510 (Treas. Reg. 1.408A-3 A-3(b)).
    roth = both_paths(
        "roth_ira_contribution_limit",
        pd.DataFrame([{"year": 2026, "magi": 243333.0, "filing_status": "MFJ", "age": 40}]),
    )
    assert roth.loc[0, "limit"] == Decimal("6510.00") and roth.loc[0, "reduced"]

    # Deduction 2026 single, active participant, range 81,000-91,000, age 50 (7,500 + 1,100 = 8,600), MAGI 87,654:
    # 8,600 x 3,346 / 10,000 = 2,877.56 -> 2,880; compensation 2,000 caps it at 2,000 (IRC 219(b)(1)(B)).
    deduction = both_paths(
        "traditional_ira_deduction_limit",
        pd.DataFrame(
            [
                {"year": 2026, "magi": 87654.0, "filing_status": "SINGLE", "age": 50, "active_participant": True},
                {
                    "year": 2026,
                    "magi": 87654.0,
                    "filing_status": "SINGLE",
                    "age": 50,
                    "active_participant": "TRUE",
                    "compensation": 2000.0,
                },
            ]
        ),
    )
    assert list(deduction["limit"]) == [Decimal("2880.00"), Decimal("2000.00")]
    assert deduction.loc[0, "phaseout_start"] == Decimal("81000.00")

    limit = both_paths("irs_limit", pd.DataFrame([{"limit_name": "annual_additions_limit_415c1A", "year": 2026}]))
    assert limit.loc[0, "value"] == 72000 and limit.loc[0, "year"] == 2026  # Notice 2025-67

    # RMD 2026, born 1950-05-05 (age 76 on the 2026 birthday), 500,000 / 23.7 (Uniform Lifetime Table, Treas. Reg.
    # 1.401(a)(9)-9(c)) = 21,097.046... -> 21,097.05 half-up.
    rmd = both_paths(
        "required_minimum_distribution",
        pd.DataFrame([{"year": 2026, "birth_date": "1950-05-05", "prior_year_end_balance": 500000.0}]),
    )
    assert rmd.loc[0, "amount"] == Decimal("21097.05") and rmd.loc[0, "divisor"] == Decimal("23.7")
    assert rmd.loc[0, "deadline"] == dt.date(2026, 12, 31) and rmd.loc[0, "age"] == 76

    # SEPP 2025, born 1980 (45: Single Life Table 41.0, an integer n), 250,000 at 5%: 250,000 x 0.05 x 1.05^41 /
    # (1.05^41 - 1), worked in exact fractions, half-up to the cent (Notice 2022-6 3.01(b)).
    r = Fraction(1, 20)
    growth = (1 + r) ** 41
    want = Fraction(25_000_000) * r * growth / (growth - 1)  # in cents
    sepp = both_paths(
        "sepp_payment",
        pd.DataFrame(
            [
                {
                    "balance": 250000.0,
                    "birth_date": "1980-01-01",
                    "year": 2025,
                    "method": "amortization",
                    "interest_rate": 0.05,
                }
            ]
        ),
    )
    assert sepp.loc[0, "payment"] == Decimal(int(want + Fraction(1, 2))) / 100
    assert sepp.loc[0, "life_expectancy"] == Decimal("41.0")


def test_refused_rows_are_handed_back_with_the_cores_message():
    frame = pd.DataFrame(
        [
            {"year": 2026, "birth_date": "1950-05-05", "prior_year_end_balance": 1000.0, "inherited": True},
            {"year": 2021, "birth_date": "1950-05-05", "prior_year_end_balance": 1000.0},
            {"year": 2026, "birth_date": "1950-05-05", "prior_year_end_balance": 1000.0, "spouse_sole_beneficiary": 1},
        ]
    )
    out = both_paths("required_minimum_distribution", frame)
    assert out["amount"].isna().all()
    assert out.loc[0, "error"].startswith("inherited accounts are not covered")
    assert "before 2022" in out.loc[1, "error"]
    assert "give spouse_birth_date" in out.loc[2, "error"]


def test_a_text_age_above_the_maximum_is_the_cores_error():
    # "999" was read as an age by the column pass (a penalty of 0.00); the core refuses it (0 to 125)
    frame = pd.DataFrame({"taxable_amount": [100.0, 100.0], "age": ["999", "45"]}, dtype=object)
    out = both_paths("early_penalty", frame)
    assert out.loc[0, "error"] == "age 999 is not a plausible age (0 to 125)"
    assert out.loc[1, "penalty"] == Decimal("10.00")


# --- whole-column worksheet calls: the kernel's cells equal the core's, cell by cell ------------------

CELLS = {
    "MEGA_BACKDOOR_ROOM": {
        "year": tax_years,
        "employee_deferrals": money,
        "employer_contributions": small_money,
        "compensation": st.one_of(st.none(), money),
        "age": ages,
        "after_tax_so_far": small_money,
    },
    "ROTH_IRA_LIMIT": {
        "year": tax_years,
        "magi": money,
        "filing_status": statuses,
        "age": ages,
        "compensation": spouse_money,
        "traditional_contributions": small_money,
        "spouse_compensation": spouse_money,
        "spouse_ira_contributions": spouse_money,
    },
    "IRA_DEDUCTION_LIMIT": {
        "year": tax_years,
        "magi": money,
        "filing_status": statuses,
        "age": ages,
        "active_participant": flags,
        "spouse_active_participant": flags,
        "compensation": spouse_money,
        "spouse_compensation": spouse_money,
        "spouse_ira_contributions": spouse_money,
    },
    "IRS_LIMIT": {"limit_name": names, "year": tax_years, "filing_status": statuses},
    "RMD": {
        "year": rmd_years,
        "birth_date": dates(1918, 1965),
        "prior_year_end_balance": money,
        "spouse_birth_date": st.one_of(st.none(), dates(1930, 2000)),
        "spouse_sole_beneficiary": flags,
        "inherited": st.sampled_from([None, False, 0.0, True]),
    },
    "SEPP_PAYMENT": {
        "balance": money,
        "birth_date": dates(1940, 2000),
        "year": rmd_years,
        "method": st.sampled_from(["rmd", "amortization", "amortization", "annuitization", None]),
        "interest_rate": rates,
        "life_table": st.sampled_from([None, "single", "uniform", "joint"]),
        "beneficiary_birth_date": st.one_of(st.none(), st.none(), dates(1940, 2010)),
        "rate_cap": st.sampled_from([None, 0.06]),
    },
}
SAMPLES = {
    "MEGA_BACKDOOR_ROOM": lambda: xr.mega_backdoor_room(2026, 1, 1, 1),
    "ROTH_IRA_LIMIT": lambda: xr.roth_ira_contribution_limit(2026, 1, "SINGLE", 40),
    "IRA_DEDUCTION_LIMIT": lambda: xr.traditional_ira_deduction_limit(2026, 1, "SINGLE", 40, True),
    "IRS_LIMIT": lambda: xr.irs_limit("annual_additions_limit_415c1A", 2026),
    "RMD": lambda: xr.required_minimum_distribution(2026, "1950-01-01", 1),
    "SEPP_PAYMENT": lambda: xr.sepp_payment(1, "1970-01-01", 2026, "amortization", 0.05),
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), n=st.integers(2, 10), function=st.sampled_from(sorted(CELLS)))
def test_whole_column_worksheet_calls_equal_the_core_cell_by_cell(data, n, function):
    from xl_rollover.excel import adapter
    from xl_rollover.excel.functions import SPECS

    spec = SPECS[function]
    assert adapter.column_rule(spec) is not None
    fields = [None, "explain", "nonsense", *SAMPLES[function]().flat()]
    args = []
    for param in spec.params:
        if param.kind == "output":
            args.append(data.draw(st.sampled_from(fields)))
            continue
        cells = CELLS[function][param.name]
        if data.draw(st.booleans()):
            args.append([[data.draw(cells)] for _ in range(n)])
        else:
            args.append(data.draw(cells))
    assert adapter.run(spec, args) == adapter.run(spec, args, whole_columns=False)


def test_long_text_columns_are_read_once_per_distinct_text():
    # 64 rows or more of text only: each distinct text is read once (xl_rollover.core.columns._read_text);
    # the answers must still be the core's, odd texts included
    odd = ["2026", "2026\x00", " 2025 ", "1950-05-05", "1950-05-05\x00", "19500505", "x", "", "  ", "1,000", "7500.5"]
    texts = [odd[i % len(odd)] for i in range(80)]
    dates = [["1950-05-05", "1949-07-01", "1950-02-30", "1950-05-05\x00", " 1951-12-31 "][i % 5] for i in range(80)]
    frame = pd.DataFrame(
        {"year": texts, "birth_date": dates, "prior_year_end_balance": [f"{1000 + i}.5" for i in range(80)]},
        dtype=object,
    )
    out = both_paths("required_minimum_distribution", frame)
    assert out["error"].notna().any() and out["error"].isna().any()
    names = [
        ["annual_additions_limit_415c1A", "ANNUAL_additions_limit_415c1A ", "nope", "x\x00"][i % 4] for i in range(80)
    ]
    both_paths("irs_limit", pd.DataFrame({"limit_name": names, "year": texts}, dtype=object))
    both_paths(
        "prorata_taxable",
        pd.DataFrame({"converted": texts, "basis": texts[::-1], "year_end_value": ["1850"] * 80}, dtype=object),
    )


def test_string_dtype_columns_with_missing_cells_equal_the_core():
    # pandas text columns (StringDtype, missing as NA) reach the runner as Python text and None
    names = [
        ["annual_additions_limit_415c1A", None, "roth_ira_contribution_phaseout_start", "nope"][i % 4]
        for i in range(80)
    ]
    statuses = [[None, "MFJ", "single", " hoh ", None][i % 5] for i in range(80)]
    frame = pd.DataFrame(
        {
            "limit_name": pd.array(names, dtype=pd.StringDtype()),
            "year": [2026] * 80,
            "filing_status": pd.array(statuses, dtype=pd.StringDtype()),
        }
    )
    out = both_paths("irs_limit", frame)
    assert out["value"].notna().any() and out["error"].notna().any()
