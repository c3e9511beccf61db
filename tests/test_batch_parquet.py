"""Batch's Parquet output read back: the columns, their types and every figure to the cent, as batch made them."""

from __future__ import annotations

from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from xl_rollover.batch import files as batch_io  # noqa: E402
from xl_rollover.batch import runner as batch  # noqa: E402
from xl_rollover.cli.main import main  # noqa: E402

#: Two functions interleaved, a refused value, an unknown name, a fallback row (10,000.005 goes to the core).
BOOK = pd.DataFrame(
    {
        "function": [
            "prorata_taxable",
            "early_penalty",
            "prorata_taxable",
            "nonsense",
            "early_penalty",
            "early_penalty",
        ],
        "converted": [7500.0, None, 7500.0, None, None, None],
        "basis": [7500.0, None, None, None, None, None],
        "year_end_value": [1850.0, None, 1850.0, None, None, None],
        "taxable_amount": [None, 10000.05, None, None, 10000.0, 250000.0],
        "age": [None, 45.0, None, None, 60.0, 30.0],
    }
)


@pytest.mark.parametrize("order", ["interleaved", "blocks"])
def test_parquet_read_back_has_exact_decimals_to_the_cent(tmp_path, capsys, order):
    book = BOOK if order == "interleaved" else BOOK.sort_values("function", kind="stable").reset_index(drop=True)
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    book.to_parquet(source)
    assert main(["batch", str(source), "-o", str(target)]) == 1  # two rows fail
    assert "6 scenario(s), 2 failed" in capsys.readouterr().out
    want = batch.combined(batch.run(batch.read(str(source))))
    file = pq.ParquetFile(target)
    table = file.read()
    assert table.column_names == list(want.columns)  # row, function, inputs, every result field, error
    types = dict(zip(table.column_names, table.schema.types, strict=True))
    assert types["row"] == pa.int64() and types["input.converted"] == pa.float64()
    for name in ("taxable_conversion", "lines_11", "penalty", "form_5329_4"):
        assert types[name] == pa.decimal128(38, 2), name
    assert types["ratio"] == pa.decimal128(38, 3) and types["rate"] == pa.decimal128(38, 2)
    assert b"pandas" in file.schema_arrow.metadata  # pandas reads the frame back as it was
    frame = table.to_pandas()
    rows = {int(r): i for i, r in enumerate(frame["row"])}
    at = book.index.tolist()
    for position in at:  # input order, every row once
        assert frame["input.function"][rows[position + 1]] == book["function"][position]

    def cell(function_row: int, name: str) -> object:
        return frame[name][rows[function_row]]

    prorata = next(i + 1 for i in at if book["function"][i] == "prorata_taxable" and book["basis"][i] == 7500.0)
    # Form 8606: line 10 = 7,500 / 9,350 = 0.802 (3 places); line 11 = 7,500 x 0.802 = 6,015.00; taxable 1,485.00
    assert cell(prorata, "ratio") == Decimal("0.802") and str(cell(prorata, "ratio")) == "0.802"
    assert str(cell(prorata, "lines_11")) == "6015.00" and str(cell(prorata, "taxable_conversion")) == "1485.00"
    penalties = {book["taxable_amount"][i]: i + 1 for i in at if book["function"][i] == "early_penalty"}
    # IRC 72(t)(1): 10% before 59 1/2, half-up to the cent (1,000.005 -> 1,000.01); none at 60
    assert str(cell(penalties[10000.05], "penalty")) == "1000.01"
    assert str(cell(penalties[10000.0], "penalty")) == "0.00" and str(cell(penalties[10000.0], "rate")) == "0.10"
    assert str(cell(penalties[250000.0], "penalty")) == "25000.00"
    refused = next(i + 1 for i in at if book["function"][i] == "prorata_taxable" and book["basis"][i] != 7500.0)
    assert cell(refused, "error").startswith("basis") and cell(refused, "taxable_conversion") is None
    unknown = next(i + 1 for i in at if book["function"][i] == "nonsense")
    assert "unknown function" in cell(unknown, "error") and pd.isna(cell(unknown, "function"))
    assert pq.read_table(target).equals(_as_pandas_writes_it(want))  # the same table as pandas' own writer


def _as_pandas_writes_it(frame: pd.DataFrame) -> pa.Table:
    """The frame as ``DataFrame.to_parquet`` would store it after batch's text conversion, read back."""
    out = frame.copy(deep=False)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = pd.arrays.ArrowExtensionArray(batch_io._text_column(out[col], neutralised=False))
    sink = pa.BufferOutputStream()
    out.to_parquet(sink, index=False)
    return pq.read_table(pa.BufferReader(sink.getvalue()))


def test_parquet_statistics_kept_except_on_exact_decimal_columns(tmp_path):
    results = batch.run(BOOK)
    target = tmp_path / "out.parquet"
    batch_io.write(results, target)
    chunks = pq.ParquetFile(target).metadata.row_group(0)
    stats = {chunks.column(i).path_in_schema: chunks.column(i) for i in range(chunks.num_columns)}
    assert stats["row"].is_stats_set and stats["row"].statistics.min == 1 and stats["row"].statistics.max == 6
    assert stats["input.taxable_amount"].statistics.max == 250000.0
    assert not stats["penalty"].is_stats_set  # DECIMAL: none (a quarter of the writing time for 1,000,000 rows)
    assert str(stats["penalty"].physical_type) == "FIXED_LEN_BYTE_ARRAY"
    logical = pq.ParquetFile(target).schema.column(list(stats).index("penalty")).logical_type
    assert str(logical) == "Decimal(precision=38, scale=2)"
