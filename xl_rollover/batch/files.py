"""Scenario files in and results out for batch runs: strict reading, safe whole-or-nothing writing.

Reading refuses what it cannot read faithfully, with one line naming the file and the reason: an
empty file, a header without rows, text that is not UTF-8 (or UTF-16 with a byte-order mark), a
line with more or fewer fields than the header, a column named twice, a cell longer than a
spreadsheet cell (32,767 characters). Wholly blank lines are not scenarios and are skipped.

Writing goes to a private temporary file in the target's folder (``mkstemp``: exclusive, an
unpredictable name, no symlink followed) that replaces the target only once complete, so a failed,
killed or timed-out run leaves the target as it was. Output text is never a formula: XLSX strings
are written as strings (XlsxWriter's ``strings_to_formulas`` and ``strings_to_urls`` off), and a CSV
cell a spreadsheet would execute (starting with ``= + - @``, tab or carriage return, and not a plain
number) gets a leading ``'`` as OWASP's CSV-injection guidance says.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from xl_rollover.core.errors import InputError
from xl_rollover.core.money import said, shown

from . import runner as batch

#: Output formats by suffix.
FORMATS = (".xlsx", ".csv", ".parquet")
#: Most characters a spreadsheet cell holds (Excel's limit); longer CSV cells are refused.
MAX_CELL = 32_767
#: Most data rows on one XLSX sheet (Excel's 1,048,576 rows less the header).
MAX_SHEET_ROWS = 1_048_575
#: Characters a sheet name may not contain, and its longest length (Excel's rules).
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_LENGTH = 31
#: A plain number: written as a number (XLSX) and never neutralised (CSV).
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Input text shown as a number in XLSX: no leading zeros (so codes like "03" stay text), at most 15 digits.
_PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d{1,10})?")
#: First characters that make a CSV cell a formula in a spreadsheet (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- reading ---------------------------------------------------------------------------------


def read(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A scenario file: CSV (UTF-8, or UTF-16 with a BOM), XLSX (first sheet) or Parquet, one scenario per row."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"{file}: no such file")
    if file.is_dir():
        raise InputError(f"{file}: is a folder; give a .csv, .xlsx or .parquet file")
    if not file.is_file():
        raise InputError(f"{file}: is not a regular file")
    suffix = file.suffix.lower()
    if suffix == ".csv":
        frame = _read_csv(file)
    elif suffix in (".xlsx", ".xlsm"):
        frame = _read_xlsx(file)
    elif suffix == ".parquet":
        frame = _read_parquet(file)
    else:
        raise InputError(f"{file}: input must be .csv, .xlsx or .parquet, not {said(file.suffix or 'no suffix')}")
    if len(frame) == 0:
        raise InputError(f"{file}: has a header but no scenario rows")
    return frame


def _decode(file: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{file}: damaged UTF-16 text at byte {exc.start:,}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{file}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start:,}); "
            "save it as 'CSV UTF-8' (Latin-1 and other encodings are not guessed)"
        ) from None
    if "\x00" in text:
        raise InputError(f"{file}: contains NUL characters (a binary file, or UTF-16 without a byte-order mark)")
    return text


def _header(file: Path, names: list[Any]) -> list[str]:
    header = [("" if n is None or (isinstance(n, float) and n != n) else str(n)).strip() for n in names]
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(s for s in (";", "\t", "|") if s in header[0])
        raise InputError(f"{file}: the header is one column separated by {sep!r}; batch reads comma-separated files")
    return header


def _frame(file: Path, header: list[str], columns: list[list[Any]]) -> pd.DataFrame:
    """Columns by name; an unnamed column must be wholly blank (it is dropped); a name used twice is refused."""
    data: dict[str, list[Any]] = {}
    for position, (name, values) in enumerate(zip(header, columns, strict=True), 1):
        if not name:
            if any(not batch_blank(v) for v in values):
                raise InputError(f"{file}: column {position} has values but no name in the header")
            continue
        if name in data:
            raise InputError(f"{file}: column {shown(name)} appears twice in the header; name each column once")
        data[name] = values
    if not data:
        raise InputError(f"{file}: the header names no columns")
    return pd.DataFrame(data, dtype=object)


def batch_blank(value: Any) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())
    )


def _read_csv(file: Path) -> pd.DataFrame:
    data = file.read_bytes()
    if not data.strip():
        raise InputError(f"{file}: the file is empty; its first line must name the columns")
    text = _decode(file, data)
    old_limit = csv.field_size_limit(MAX_CELL)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header_row = next(reader)
            header = _header(file, header_row)
            width = len(header)
            rows: list[list[str]] = []
            for row in reader:
                if not row or all(not cell.strip() for cell in row):
                    continue  # a blank line is not a scenario
                if len(row) != width:
                    raise InputError(
                        f"{file} line {reader.line_num}: {len(row)} fields, but the header has {width}"
                        " (a ragged file, or a separator other than ',')"
                    )
                rows.append(row)
        except csv.Error as exc:
            raise InputError(f"{file} line {reader.line_num}: {said(str(exc).strip())}") from None
    finally:
        csv.field_size_limit(old_limit)
    columns = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in header]
    return _frame(file, header, columns)


def _read_xlsx(file: Path) -> pd.DataFrame:
    """The first sheet's cells as they are: text is text (pandas' reader made "N/A", "null" or "NA" blank, and an
    error value such as #N/A from a formula blank, so an optional input fell back to its default), an error value
    is its text (#N/A), which the worksheet functions' reading refuses by name."""
    from openpyxl import load_workbook

    from xl_rollover.engines.safe_xlsx import vet  # the same checks as `calc` for a workbook from outside

    uncalculated = vet(file).uncalculated
    if uncalculated:  # read as blank, an optional input would silently take its default
        raise InputError(
            f"{file}: {uncalculated:,} formula cell(s) saved without a calculated value (a program that does not "
            "calculate wrote it); open and save it in Excel or LibreOffice, or run `xl-rollover calc` on it first"
        )
    try:
        book = load_workbook(file, read_only=True, data_only=True, keep_links=False)
        try:
            rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except MemoryError:
        raise
    except Exception as exc:
        raise InputError(
            f"{file}: cannot read as an .xlsx workbook: {type(exc).__name__}: {said(str(exc).strip())}"
        ) from None
    rows = [row for row in rows if not all(batch_blank(v) for v in row)] if rows else rows
    if not rows:
        raise InputError(f"{file}: the first sheet is empty; its first row must name the columns")
    width = max(len(row) for row in rows)
    rows = [row + [None] * (width - len(row)) for row in rows]
    header = _header(file, rows[0])
    return _frame(file, header, [list(column) for column in zip(*rows[1:], strict=True)] or [[] for _ in header])


def _read_parquet(file: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(file).names  # the footer only: the names are checked before any data is read
        seen: set[str] = set()
        for position, name in enumerate(names, 1):
            if not name.strip():
                raise InputError(f"{file}: column {position} has no name; name every column")
            if name.strip() in seen:
                raise InputError(f"{file}: column {shown(name)} appears twice; name each column once")
            seen.add(name.strip())
        frame = pd.read_parquet(file)
    except (MemoryError, InputError):
        raise
    except Exception as exc:
        raise InputError(f"{file}: cannot read as Parquet: {type(exc).__name__}: {said(str(exc).strip())}") from None
    if len(frame.columns) == 0:
        raise InputError(f"{file}: the Parquet file has no columns")
    return frame


# --- the target ------------------------------------------------------------------------------


def output_kind(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: output must be .xlsx, .csv or .parquet")
    return suffix


def check_target(target: str | os.PathLike[str], source: str | os.PathLike[str] | None, overwrite: bool) -> None:
    """Refuse an output path that cannot or must not be replaced, before any work is done."""
    path = Path(target)
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        output_kind(path)
        return
    if stat.S_ISDIR(found.st_mode):
        raise InputError(f"{path}: is a folder; give a file name for the results")
    output_kind(path)
    if stat.S_ISLNK(found.st_mode):
        raise InputError(f"{path}: is a symbolic link; give the real path (links are never followed)")
    if not stat.S_ISREG(found.st_mode):
        raise InputError(f"{path}: is not a regular file (a device, pipe or socket); it is never replaced")
    if source is not None:
        with contextlib.suppress(OSError):
            original = os.stat(source)
            if (original.st_dev, original.st_ino) == (found.st_dev, found.st_ino):
                raise InputError(f"{path}: is the input file itself (the same file); write the results elsewhere")
    if not overwrite:
        raise InputError(f"{path} exists; choose another name or pass --overwrite")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def whole_or_nothing(
    target: str | os.PathLike[str], source: str | os.PathLike[str] | None = None, overwrite: bool = False
) -> Iterator[IO[bytes]]:
    """A private temporary file beside ``target``, moved over it only when the block completes."""
    path = Path(target)
    check_target(path, source, overwrite)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        check_target(path, source, overwrite)  # again: the target may have changed while we worked
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if the name was taken meanwhile: never replaces
            except FileExistsError:
                raise InputError(f"{path} exists; choose another name or pass --overwrite") from None
            os.unlink(temp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# --- writing ---------------------------------------------------------------------------------


def write(
    results: dict[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the results whole or not at all: XLSX (one sheet per function), CSV or Parquet (one table)."""
    kind = output_kind(path)
    if kind == ".xlsx":
        for name, frame in results.items():
            if len(frame) > MAX_SHEET_ROWS:
                raise InputError(
                    f"{path}: {name} has {len(frame):,} rows, more than an XLSX sheet holds; write .csv or .parquet"
                )
    with whole_or_nothing(path, source, overwrite) as handle:
        if kind == ".xlsx":
            _write_xlsx(results, handle, progress)
        elif kind == ".csv":
            _write_csv(batch.combined(results), handle, progress)
        else:
            _write_parquet(batch.combined(results), handle)


def _text(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value
    return str(value)


def _text_column(series: pd.Series, neutralised: bool) -> Any:
    """One column as an Arrow string array of exact text (null for blanks); no Python call per plain text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(series.dtype, pd.ArrowDtype):
        array = pa.array(series.array).cast(pa.string())
    else:
        values = series.to_numpy(dtype=object)
        try:
            array = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # Decimals, dates, mixed types: their exact text
            array = pa.array([_text(v) for v in values], type=pa.string())
    if neutralised:
        risky = pc.fill_null(pc.match_substring_regex(array, r"^[=+\-@\t\r]"), False)
        if pc.any(risky).as_py():
            array = pa.array([neutralise(v) for v in array.to_pylist()], type=pa.string())
    return array


def _arrow_table(frame: pd.DataFrame, neutralised: bool) -> Any:
    """The frame as an Arrow table: plain numbers as they are, everything else as exact text."""
    import pyarrow as pa

    columns = {}
    for col in frame.columns:
        series = frame[col]
        if isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_decimal(series.dtype.pyarrow_dtype):
            columns[col] = pa.array(series.array)  # exact decimals, written as numbers
        elif pd.api.types.is_numeric_dtype(series.dtype) and not isinstance(series.dtype, pd.ArrowDtype):
            columns[col] = pa.array(series.to_numpy(), from_pandas=True)
        else:
            columns[col] = _text_column(series, neutralised)
    return pa.table(columns)


def neutralise(value: Any) -> Any:
    """A CSV cell a spreadsheet would run as a formula, prefixed with ``'`` (OWASP); numbers unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _write_csv(frame: pd.DataFrame, handle: IO[bytes], progress: Callable[[int, int], None] | None) -> None:
    """UTF-8 CSV: every text cell quoted, blanks empty, CRLF rows, cells that would run neutralised."""
    import pyarrow.csv as pcsv

    table = _arrow_table(frame, neutralised=True)
    options = pcsv.WriteOptions(quoting_style="needed", eol="\r\n")
    step = 50_000
    with pcsv.CSVWriter(handle, table.schema, write_options=options) as writer:
        for start in range(0, max(table.num_rows, 1), step):
            writer.write_table(table.slice(start, step))
            if progress is not None:
                progress(min(start + step, table.num_rows), table.num_rows)


def _write_parquet(frame: pd.DataFrame, handle: IO[bytes]) -> None:
    """Parquet: exact decimals and typed columns as they are; mixed or object columns as exact text.

    Dictionary encoding for the text columns only: on the exact-decimal result columns it costs about a
    third of the writing time (1,000,000 rows) for files within 3% of the size; the values are the same.
    No min/max statistics for the exact-decimal columns (every other column keeps them): Parquet compares
    DECIMAL values stored as 16 big-endian bytes one byte at a time, about a quarter of the writing time;
    the values, types (DECIMAL(38, s)) and schema metadata are the same, a reader just cannot skip on them.
    """
    out = frame.copy(deep=False)  # columns are replaced below, never changed in place
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = pd.arrays.ArrowExtensionArray(_text_column(out[col], neutralised=False))
    texts = [col for col in out.columns if not pd.api.types.is_numeric_dtype(out[col].dtype)]
    counted = [col for col in out.columns if not _is_decimal(out[col].dtype)]
    out.to_parquet(handle, index=False, use_dictionary=texts, write_statistics=counted)


def _is_decimal(dtype: Any) -> bool:
    import pyarrow as pa

    return isinstance(dtype, pd.ArrowDtype) and pa.types.is_decimal(dtype.pyarrow_dtype)


def sheet_names(keys: list[str]) -> dict[str, str]:
    """A valid, unique sheet name for each key: forbidden characters replaced, 31 characters, ~2 on a clash."""
    used: set[str] = set()
    names: dict[str, str] = {}
    for key in keys:
        base = _SHEET_FORBIDDEN.sub("_", key).strip("'") or "sheet"
        base = base[:SHEET_NAME_LENGTH]
        if base.casefold() == "history":  # reserved by Excel
            base = base + "_"
        name, number = base, 2
        while name.casefold() in used:  # Excel compares sheet names without case
            suffix = f"~{number}"
            name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
            number += 1
        used.add(name.casefold())
        names[key] = name
    return names


def _column_cells(series: pd.Series, is_input: bool) -> tuple[list[Any], str | None]:
    """A column's cells for XLSX (numbers as numbers) and its number format."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        scale = getattr(dtype.pyarrow_dtype, "scale", None)
        if pa.types.is_decimal(dtype.pyarrow_dtype):
            values = series.astype("float64").to_numpy(na_value=np.nan).tolist()
            return [None if v != v else v for v in values], _places_format(scale)
        return [_text(v) for v in series.tolist()], None
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return [None if isinstance(v, float) and v != v else v for v in series.tolist()], None
    values = series.tolist()
    exponent = next((v.as_tuple().exponent for v in values if isinstance(v, Decimal) and v.is_finite()), None)
    places = -exponent if isinstance(exponent, int) else None
    cells = [_cell(v, is_input) for v in values]
    return cells, _places_format(places if isinstance(places, int) else None)


def _places_format(places: int | None) -> str | None:
    if places == 2:
        return "#,##0.00"
    if places is not None and 0 < places <= 12:
        return "0." + "0" * places
    return None


def _cell(value: Any, is_input: bool) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, (int, np.integer)):
        return int(value) if abs(int(value)) <= 2**53 else str(value)
    if isinstance(value, (float, np.floating)):
        return None if value != value else (float(value) if np.isfinite(value) else str(value))
    if isinstance(value, str):
        if not value:
            return None
        if is_input and _PLAIN_NUMBER.fullmatch(value):
            return float(value) if "." in value else int(value)
        return value
    return str(value)


def _write_xlsx(
    results: dict[str, pd.DataFrame], handle: IO[bytes], progress: Callable[[int, int], None] | None
) -> None:
    import xlsxwriter

    options = {
        "strings_to_formulas": False,  # input text such as =cmd|'/C calc'!A0 stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "constant_memory": True,  # rows are written in order; a big book costs no sheet in memory
        "in_memory": False,
    }
    book = xlsxwriter.Workbook(handle, options)
    bold = book.add_format({"bold": True})
    formats: dict[str, Any] = {}
    total = sum(len(f) for f in results.values())
    done = 0
    names = sheet_names(list(results))
    for key, frame in results.items():
        sheet = book.add_worksheet(names[key])
        columns = list(frame.columns)
        cells_and_formats = [_column_cells(frame[c], c.startswith(batch.INPUT_PREFIX)) for c in columns]
        for j, (_, number_format) in enumerate(cells_and_formats):
            if number_format is not None:
                formats.setdefault(number_format, book.add_format({"num_format": number_format}))
            sheet.set_column(j, j, 16, formats.get(number_format) if number_format else None)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(frame), max(len(columns) - 1, 0))
        for j, name in enumerate(columns):
            sheet.write_string(0, j, name, bold)
        column_cells = [cells for cells, _ in cells_and_formats]
        column_formats = [formats.get(f) if f else None for _, f in cells_and_formats]
        for i in range(len(frame)):
            row = i + 1
            for j, cells in enumerate(column_cells):
                value = cells[i]
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(row, j, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row, j, value, column_formats[j])
                else:
                    sheet.write_string(row, j, value[:MAX_CELL])
            if progress is not None and row % 5000 == 0:
                progress(done + row, total)
        done += len(frame)
        if progress is not None:
            progress(done, total)
    book.close()
