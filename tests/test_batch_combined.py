"""``combined``: every function's rows as one frame, the same frame pandas' own concat makes (faster)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from xl_rollover.batch import runner as batch


def _reference(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``combined`` as it was written before: ``pd.concat`` of the frames, columns ordered, rows sorted."""
    whole = pd.concat(list(results.values()), sort=False)
    inputs = [c for c in whole.columns if c.startswith(batch.INPUT_PREFIX)]
    fields = [c for c in whole.columns if c not in (batch.ROW, batch.FUNCTION, batch.ERROR) and c not in inputs]
    return whole[[batch.ROW, batch.FUNCTION, *inputs, *fields, batch.ERROR]].sort_values(batch.ROW, kind="stable")


def test_combined_rows_are_what_pandas_concat_makes_with_functions_interleaved():
    frame = pd.DataFrame(
        {
            "function": [
                "prorata_taxable",
                "early_penalty",
                "no_such",
                "prorata_taxable",
                "early_penalty",
                "form_8606",
            ],
            "converted": [7500, None, None, 7600, None, 7500],
            "basis": [7500, None, None, "x", None, None],
            "year_end_value": [1850, None, None, 1850, None, 1850],
            "nondeductible_contributions": [None, None, None, None, None, 7500],
            "taxable_amount": [None, 10000, None, None, 100, None],
            "age": [None, 45, None, None, 60, None],
        }
    )
    results = batch.run(frame)
    assert len(results) == 4  # three functions and the unknown name
    got = batch.combined(results)
    want = _reference(results)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.dtypes) == list(want.dtypes)
    # the figures: 7500 - round(7500 x round(7500/9350, 3)) = 7500 - 7500 x 0.802 = 1485 (Form 8606 lines 10-11);
    # 10% of 10,000 before 59 1/2 = 1,000 (IRC 72(t)(1)); at 60 no tax
    assert [str(v) for v in got["taxable_conversion"].iloc[[0, 5]]] == ["1485.00", "1485.00"]
    assert [str(v) for v in got["penalty"].iloc[[1, 4]]] == ["1000.00", "0.00"]
    assert got[batch.ERROR].iloc[3].startswith("basis") and "unknown" in got[batch.ERROR].iloc[2].lower()


def test_functions_in_blocks_come_out_as_pandas_concat_makes_them_without_reordering():
    # each function's rows are one unbroken run: its frame is a slice of the input, and the joined
    # frame is already in row order (the sort is skipped); the result must be the same frame as ever
    frame = pd.DataFrame(
        {
            "function": ["prorata_taxable"] * 3 + ["early_penalty"] * 2 + ["form_8606"],
            "converted": [7500, 7600, "x", None, None, 7500],
            "basis": [7500, 7500, 7500, None, None, None],
            "year_end_value": [1850, 1850, 1850, None, None, 1850],
            "nondeductible_contributions": [None] * 5 + [7500],
            "taxable_amount": [None, None, None, 10000, 100, None],
            "age": [None, None, None, 45, 60, None],
        },
        index=[10, 11, 12, 13, 14, 15],  # labels other than positions: kept as the input's
    )
    results = batch.run(frame)
    for key, rows in (("prorata_taxable", [1, 2, 3]), ("early_penalty", [4, 5]), ("form_8606", [6])):
        got = results[key]
        assert list(got[batch.ROW]) == rows and list(got.index) == [r + 9 for r in rows]
        one = batch.run_group(key, frame.iloc[[r - 1 for r in rows]], pd.Series(rows).to_numpy())
        pd.testing.assert_frame_equal(got, one, check_exact=True)
    got = batch.combined(results)
    pd.testing.assert_frame_equal(got, _reference(results), check_exact=True)
    assert [str(v) for v in got["taxable_conversion"].iloc[[0, 5]]] == ["1485.00", "1485.00"]  # Form 8606 l. 11
    assert str(got["penalty"].iloc[3]) == "1000.00"  # 10% of 10,000 at 45 (IRC 72(t)(1))
    assert got[batch.ERROR].iloc[2].startswith("converted")


def test_fields_sharing_one_kernel_array_are_separate_columns():
    # Form 8606 line 11 is nontaxable_conversion, line 18 taxable_conversion (one kernel array each, one Arrow
    # array between the two columns): the figures are the same, and changing one column leaves the other as it was
    frame = pd.DataFrame({"converted": [7500.0, 1000.0], "basis": [7500.0, 0.0], "year_end_value": [1850.0, 0.0]})
    out = batch.run_vectorised(batch.RULES["prorata_taxable"], frame)
    # 7,500 x 0.802 = 6,015.00 nontaxable, 1,485.00 taxable; no basis: all 1,000.00 taxable
    assert [str(v) for v in out["lines_11"]] == [str(v) for v in out["nontaxable_conversion"]] == ["6015.00", "0.00"]
    assert [str(v) for v in out["lines_18"]] == [str(v) for v in out["taxable_conversion"]] == ["1485.00", "1000.00"]
    assert [str(v) for v in out["lines_7"]] == [str(v) for v in out["lines_15b"]] == ["0.00", "0.00"]
    out.loc[0, "lines_11"] = Decimal("1.00")
    out["lines_7"] = out["lines_7"].fillna(Decimal("0"))
    out.loc[1, "lines_15b"] = Decimal("2.00")
    assert str(out.loc[0, "nontaxable_conversion"]) == "6015.00" and str(out.loc[0, "lines_11"]) == "1.00"
    assert [str(v) for v in out["lines_7"]] == ["0.00", "0.00"] and str(out.loc[1, "lines_15b"]) == "2.00"


def test_rows_as_text_from_dask_come_out_in_number_order():
    # run_dask gives every value as text (as_text): row "10" must still follow row "9", not row "1"
    frame = pd.DataFrame(
        {
            "function": ["early_penalty", "prorata_taxable"] * 6,
            "taxable_amount": [10000, None] * 6,
            "age": [45, None] * 6,
            "converted": [None, 7500] * 6,
            "basis": [None, 7500] * 6,
            "year_end_value": [None, 1850] * 6,
        }
    )
    results = {key: batch.as_text(part) for key, part in batch.run(frame).items()}
    got = batch.combined(results)
    assert list(got[batch.ROW]) == [str(n) for n in range(1, 13)]
    assert got["penalty"].iloc[0] == "1000.00" and pd.isna(got["penalty"].iloc[1])  # 10% of 10,000 at 45, IRC 72(t)(1)
    assert got["taxable_conversion"].iloc[11] == "1485.00"  # Form 8606 line 18: 7,500 - 6,015.00


def test_chunks_join_to_the_same_frame_as_one_pass(monkeypatch):
    # a function's rows beyond CHUNK run in several passes whose frames are joined: the result, figures
    # and types, must be the one pass's; row 4 fails (text converted) and row 7 is a form_8606 in between
    frame = pd.DataFrame(
        {
            "function": ["prorata_taxable"] * 6 + ["form_8606"] + ["prorata_taxable"] * 3,
            "converted": [7500, 7600, 100, "x", 0, 7500, 7500, 5000, 1, 99999.99],
            "basis": [7500, 7500, 0, 1, 0, 10, None, 5000, 0, 12345.67],
            "year_end_value": [1850, 1850, 0, 1, 0, 0, 1850, 0, 0, 0.01],
            "nondeductible_contributions": [None] * 6 + [7500] + [None] * 3,
        }
    )
    whole = batch.combined(batch.run(frame))
    monkeypatch.setattr(batch, "CHUNK", 3)
    chunked = batch.combined(batch.run(frame))
    pd.testing.assert_frame_equal(chunked, whole, check_exact=True)
    # Form 8606 line 10 to 3 places: 7500 / 9350 = 0.802 -> 7500 - 6015 = 1485 taxable (rows 1 and 7)
    assert [str(v) for v in chunked["taxable_conversion"].iloc[[0, 6]]] == ["1485.00", "1485.00"]
    assert chunked[batch.ERROR].iloc[3].startswith("converted")
