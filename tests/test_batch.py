"""Batch runs: the vectorised pass equals the scalar core to the cent; bad rows get messages; files round-trip."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_rollover.batch import runner as batch
from xl_rollover.cli.main import main

money = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(lambda c: c / 100),
    st.sampled_from([0.0, 0.01, 1850.0, 7500.0, 1e10]),
    st.sampled_from([-1.0, float("nan"), "abc", "", 0.001]),
)


def rows_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a[list(b.columns)]

    def plain(v: object) -> object:
        return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

    for i in range(len(b)):
        left = [plain(a[c].iloc[i]) for c in b.columns]
        right = [plain(b[c].iloc[i]) for c in b.columns]
        assert left == right, (i, list(zip(b.columns, left, right, strict=True)))
        # same digits too (Decimal('0.802') and Decimal('0.8020') are equal but print differently)
        assert [str(v) for v in left] == [str(v) for v in right], i


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(money, money, money, money, st.sampled_from([None, 3, 4])), min_size=1, max_size=40))
def test_prorata_vectorised_equals_scalar(rows):
    frame = pd.DataFrame(rows, columns=["converted", "basis", "year_end_value", "distributions", "ratio_decimals"])
    rule = batch.RULES["prorata_taxable"]
    rows_equal(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))


ages = st.one_of(st.sampled_from([0, 30, 45, 59, 59.4, 59.5, 60, 125, 126, -1, "x"]), st.floats(0, 125))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            money,
            ages,
            st.sampled_from([None, "IRA", "401K", "SIMPLE_IRA", "ROTH_IRA"]),
            st.sampled_from([None, "03", "12"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_penalty_vectorised_equals_scalar(rows):
    frame = pd.DataFrame(rows, columns=["taxable_amount", "age", "account_type", "exception"])
    rule = batch.RULES["early_penalty"]
    rows_equal(batch.run_vectorised(rule, frame), batch.run_scalar(rule, frame))


def test_known_figures_through_the_vector_path():
    frame = pd.DataFrame({"converted": [7500.0], "basis": [7500.0], "year_end_value": [1850.0]})
    out = batch.run_vectorised(batch.RULES["prorata_taxable"], frame)
    assert out.loc[0, "taxable_conversion"] == Decimal("1485.00") and out.loc[0, "ratio"] == Decimal("0.802")
    pen = batch.run_vectorised(batch.RULES["early_penalty"], pd.DataFrame({"taxable_amount": [10000.05], "age": [45]}))
    assert pen.loc[0, "penalty"] == Decimal("1000.01")  # 1,000.005 rounds half-up


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_cli_batch_writes_results_and_counts_failures(tmp_path, suffix, capsys):
    src = tmp_path / "in.csv"
    src.write_text(
        "function,converted,basis,year_end_value,taxable_amount,age\n"
        "prorata_taxable,7500,7500,1850,,\n"
        "prorata_taxable,abc,7500,1850,,\n"
        "early_penalty,,,,10000,45\n"
        "nonsense,,,,,\n"
    )
    out = tmp_path / f"out{suffix}"
    assert main(["batch", str(src), "-o", str(out)]) == 1  # some rows failed
    captured = capsys.readouterr()
    assert "4 scenario(s), 2 failed" in captured.out
    assert "converted must be a number, not the text 'abc'" in captured.err
    assert "unknown function 'nonsense'" in captured.err
    if suffix == ".xlsx":
        sheets = pd.read_excel(out, sheet_name=None)
        assert list(sheets) == ["prorata_taxable", "early_penalty", "errors"] and batch.UNKNOWN == "errors"
        # Form 8606 seed case: 7,500 x 0.802 (7,500 / 9,350) = 6,015.00 nontaxable, 1,485.00 taxable
        assert sheets["prorata_taxable"].loc[0, "taxable_conversion"] == 1485.0
        assert sheets["early_penalty"].loc[0, "penalty"] == 1000.0  # 10% of 10,000 at 45 (§72(t)(1))
        assert list(sheets["prorata_taxable"]["row"]) == [1, 2]
    else:
        frame = pd.read_csv(out, dtype=str) if suffix == ".csv" else pd.read_parquet(out)
        assert [int(r) for r in frame["row"]] == [1, 2, 3, 4]  # input order, every row once
        assert str(frame.loc[0, "taxable_conversion"]) == "1485.00"
        assert str(frame.loc[2, "penalty"]) == "1000.00"
    assert main(["batch", str(src), "-o", str(out)]) == 2  # exists: refused (input error exit code)
    assert "exists" in capsys.readouterr().err


def test_dask_local_cluster_gives_the_same_results_as_local(tmp_path):
    from distributed import Client, LocalCluster

    frame = pd.DataFrame(
        {
            "function": ["prorata_taxable", "early_penalty", "prorata_taxable", "roth_rollover_split", "early_penalty"]
            * 8,
            "converted": ["7500", None, "abc", None, None] * 8,
            "basis": ["7500", None, "1", None, None] * 8,
            "year_end_value": ["1850", None, "1", None, None] * 8,
            "taxable_amount": [None, "10000.05", None, None, "10"] * 8,
            "age": [None, "45", None, "45", "60"] * 8,
            "distribution": [None, None, None, "50000", None] * 8,
            "after_tax_basis": [None, None, None, "40000", None] * 8,
            "account_balance": [None, None, None, "200000", None] * 8,
        }
    )
    local = {k: batch.as_text(v) for k, v in batch.run(frame).items()}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False) as cluster, Client(cluster) as client:
        spread = batch.run_dask(frame, client=client, partitions=5)
    assert set(spread) == set(local) == {"prorata_taxable", "early_penalty", "roth_rollover_split"}
    for name, want in local.items():
        got = spread[name].loc[want.index, list(want.columns)]
        assert got.equals(want), name
    assert local["early_penalty"].loc[1, "penalty"] == "1000.01"  # 1,000.005 half-up
    assert local["roth_rollover_split"].loc[3, "taxable"] == "0.00"
