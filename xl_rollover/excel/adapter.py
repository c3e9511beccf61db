"""Excel values in, Excel values out: the one place that knows how spreadsheets pass data.

Excel (through xlwings) hands a function floats, ``None`` for blank cells, strings, booleans,
dates (``datetime`` in classic xlwings, serial numbers in xlwings Lite), error values, and 2-D
lists for ranges. This module turns those into the core's arguments, runs the core once per row
(a column range is a column of cases; a single cell is broadcast), and turns results and errors
back into cell values. It imports nothing from xlwings, so it runs (and is tested) anywhere.

Errors never escape as tracebacks:

* xlwings Lite (Office.js custom functions) shows a real ``#VALUE!`` with the message on hover
  when xlwings' error type is raised, and a real ``#N/A`` when the string ``"#N/A"`` is returned;
  inside an array result an error string becomes that error cell.
* Classic xlwings (Windows, VBA/COM) cannot return error values: the cell shows text, so an error
  is the text ``"#VALUE! <message>"`` or ``"#N/A <message>"``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from xl_rollover.core.age import iso_date
from xl_rollover.core.columns import COLUMN_RULES, LAYERS, layers_cell, run_columns
from xl_rollover.core.errors import UnsupportedCase, XlRolloverError
from xl_rollover.core.explain import Result
from xl_rollover.core.money import shown, to_flag
from xl_rollover.core.registry import FUNCTIONS, Function, Param
from xl_rollover.core.serial_dates import END_SERIAL, FIRST_SERIAL, day_of

#: Excel's error values, as xlwings passes them with ``err_to_str=True``.
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)
#: Day 0 of Excel's 1900 date system as used by serial numbers from 1900-03-01 on.
#: Most rows one call accepts: Excel's sheet height.
MAX_ROWS = 1_048_576
#: Longest text Excel keeps in a cell.
MAX_CELL_TEXT = 32_767


def is_lite() -> bool:
    """True inside xlwings Lite (Pyodide) or another Office.js runtime of xlwings."""
    return sys.platform == "emscripten" or os.environ.get("XLWINGS_ON_SERVER") == "true"


class CellError(Exception):
    """An error to show in a cell: the Excel error value and a message for people."""

    def __init__(self, excel_error: str, message: str) -> None:
        super().__init__(message)
        self.excel_error = excel_error
        self.message = message

    def cell_text(self) -> str:
        """Classic xlwings' form: the error name, then the message."""
        return f"{self.excel_error} {self.message}"[:255]


def _excel_error_in(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    return None


# --- reading arguments ---------------------------------------------------------------------


def grid(value: Any) -> list[list[Any]]:
    """Any argument as a 2-D list (a scalar is a 1×1 grid)."""
    if isinstance(value, (list, tuple)):
        if not value:
            return [[None]]
        if all(isinstance(row, (list, tuple)) for row in value):
            rows = [list(row) for row in value]
            width = len(rows[0])
            if width == 0 or any(len(row) != width for row in rows):
                raise CellError("#VALUE!", "a range argument must be rectangular")
            return rows
        if any(isinstance(item, (list, tuple)) for item in value):
            raise CellError("#VALUE!", "a range argument must be rectangular")
        return [list(value)]
    return [[value]]


def is_blank(value: Any) -> bool:
    """An empty cell: None, or text of only spaces."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def cell_scalar(value: Any, name: str) -> Any:
    """A plain Excel cell value as the core expects it: floats, text, dates; blanks as None."""
    err = _excel_error_in(value)
    if err:
        raise CellError(err, f"{name} is the error value {err}")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise CellError("#NUM!", f"{name} must be a finite number")
    if is_blank(value):
        return None
    return value


def excel_date(value: Any, name: str) -> dt.date:
    """A date from a ``datetime``/``date``, an Excel serial number, or ISO text."""
    value = cell_scalar(value, name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        raise CellError("#VALUE!", f"{name} must be a date")
    if isinstance(value, (int, float)):
        if not FIRST_SERIAL <= value < END_SERIAL or value != int(value):
            raise CellError(
                "#VALUE!", f"{name} {value} is not an Excel date serial number (whole days from 1900-03-01)"
            )
        return day_of(int(value))
    if isinstance(value, str):
        day = iso_date(value)
        if day is None:
            raise CellError("#VALUE!", f"{name} {shown(value)} is not a date (use a date cell or YYYY-MM-DD)")
        return day
    raise CellError("#VALUE!", f"{name} must be a date")


#: A cell value that asks for the core's ``None`` explicitly (``ratio_decimals`` -1: no rounding).
UNROUNDED = object()


def _column(value: Any, param: Param) -> list[Any]:
    """The per-case values of one argument: one per row."""
    rows = grid(value)
    if len(rows) > MAX_ROWS:
        raise CellError("#VALUE!", f"{param.name} has {len(rows)} rows; Excel sheets have at most {MAX_ROWS}")
    if param.kind == "age":
        if len(rows[0]) == 1:
            return [r[0] for r in rows]
        if len(rows[0]) == 2:
            return [("__dates__", r[0], r[1]) for r in rows]
        raise CellError(
            "#VALUE!",
            f"age must be one column (years) or two columns (birth date, distribution date), got {len(rows[0])}",
        )
    if len(rows[0]) != 1:
        if len(rows) == 1 and len(rows[0]) > 1:
            raise CellError(
                "#VALUE!", f"{param.name} must be a single cell or one column, not a row of {len(rows[0])} cells"
            )
        raise CellError("#VALUE!", f"{param.name} must be a single cell or one column, got {len(rows[0])} columns")
    return [r[0] for r in rows]


def _read(value: Any, param: Param) -> Any:
    """One case's value of one argument, ready for the core (None means: use the default)."""
    if param.kind == "age" and isinstance(value, tuple) and value and value[0] == "__dates__":
        if is_blank(value[1]) and is_blank(value[2]):
            return None
        return (excel_date(value[1], "age birth date"), excel_date(value[2], "age distribution date"))
    value = cell_scalar(value, param.name)
    if param.kind == "date" and value is not None:
        return excel_date(value, param.name)  # a date cell, a serial number (Lite) or ISO text
    if param.kind == "flag" and value is not None:
        return to_flag(value, param.name)  # the core's one reading (an InputError is #VALUE!)
    if param.kind == "ratio" and isinstance(value, (int, float)) and not isinstance(value, bool) and value == -1:
        return UNROUNDED
    if param.kind == "text" and isinstance(value, float) and value == int(value):
        return str(int(value)).zfill(2)  # exception codes typed as numbers: 2 -> "02"
    return value


def read_table(value: Any, name: str, columns: int, labels: Sequence[str]) -> list[tuple[Any, ...]]:
    """A small table argument (e.g. conversions: year, taxable, nontaxable); blank rows skipped, header row allowed."""
    if value is None:
        return []
    rows = grid(value)
    if len(rows[0]) != columns:
        raise CellError("#VALUE!", f"{name} must have {columns} columns ({', '.join(labels)}), got {len(rows[0])}")
    out: list[tuple[Any, ...]] = []
    for i, row in enumerate(rows):
        cells = [cell_scalar(c, f"{name} row {i + 1}") for c in row]
        if all(c is None for c in cells):
            continue
        if i == 0 and isinstance(cells[0], str) and not cells[0].strip().isdigit():
            continue  # a header row
        if any(c is None for c in cells):
            missing = labels[[c is None for c in cells].index(True)]
            raise CellError("#VALUE!", f"{name} row {i + 1}: {missing} is blank")
        out.append(tuple(cells))
    return out


def case_at(columns: Mapping[str, Sequence[Any]], i: int) -> dict[str, Any]:
    """Case ``i``'s raw values (a single cell is every case's)."""
    return {name: col[i] if len(col) > 1 else col[0] for name, col in columns.items()}


def broadcast(column: Sequence[Any], n: int, read: Callable[[Any], Any]) -> list[Any]:
    """``read`` of each case's value of one argument; a single cell is read once."""
    return [read(column[0])] * n if len(column) == 1 else [read(v) for v in column]


def case_columns(params: Sequence[Param], values: Sequence[Any]) -> tuple[dict[str, list[Any]], int]:
    """The per-case arguments as columns (one value per row, or a single cell for all) and the case count."""
    columns: dict[str, list[Any]] = {}
    for param, value in zip(params, values, strict=True):
        if param.kind in ("table", "output"):
            continue
        columns[param.name] = _column(value, param)
    lengths = {name: len(col) for name, col in columns.items() if len(col) != 1}
    n = max(lengths.values(), default=1)
    wrong = {name: length for name, length in lengths.items() if length != n}
    if wrong:
        detail = ", ".join(f"{name} has {length}" for name, length in {**lengths}.items())
        raise CellError("#VALUE!", f"ranges of different lengths ({detail} rows); use single cells or equal columns")
    return columns, n


def core_kwargs(params: Sequence[Param], case: dict[str, Any]) -> dict[str, Any]:
    """One case's raw values read into core keyword arguments; blank optionals take their defaults."""
    kwargs: dict[str, Any] = {}
    for param in params:
        if param.kind in ("table", "output"):
            continue
        value = _read(case[param.name], param)
        if value is None:
            if param.required:
                raise CellError("#VALUE!", f"{param.name} is blank; it is required")
            if param.default is None:
                continue
            value = param.default
        kwargs[param.core or param.name] = None if value is UNROUNDED else value
    return kwargs


# --- writing results -----------------------------------------------------------------------


def to_excel(value: Any) -> Any:
    """One exact value as a cell value: Decimal as float, dates as dates, None as blank."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str, dt.date)):
        return value
    return str(value)


def explanation(result: Result) -> list[str]:
    """The explanation steps of a result, one text per step."""
    return [str(step)[:MAX_CELL_TEXT] for step in result.explain()]


def single(value: Any, name: str) -> Any:
    """A one-cell argument: a 1x1 range is its value; a bigger range is an error."""
    rows = grid(value)
    if len(rows) != 1 or len(rows[0]) != 1:
        raise CellError("#VALUE!", f"{name} must be a single cell, got {len(rows)}x{len(rows[0])} cells")
    return rows[0][0]


def _output_name(output: Any) -> str | None:
    """The requested output field, normalised (case-insensitive), ``explain``, or None for the default."""
    output = cell_scalar(single(output, "output"), "output")
    if output is None:
        return None
    if not isinstance(output, str):
        raise CellError("#VALUE!", f'output must be a field name or "explain", not {shown(output)}')
    return output.strip().lower().replace(" ", "_").replace("-", "_")


def _value_of(result: Result, field: str) -> tuple[bool, Any]:
    """(found, value) of one field: a top-level field directly, a nested one through flat()."""
    if field in result.field_names():
        value = getattr(result, field)
        if isinstance(value, (Decimal, str, int, float, bool, dt.date)) or value is None:
            return True, value
    flat = result.flat()
    return (field in flat), flat.get(field)


def _check_field(field: str, results: Sequence[Result | CellError]) -> None:
    """Refuse an output name that no result has, listing the names that exist."""
    ok = [r for r in results if not isinstance(r, CellError)]
    if ok and not any(_value_of(r, field)[0] for r in ok):
        names = ", ".join(["explain", *ok[0].flat()])
        raise CellError("#VALUE!", f"output {shown(field)} is not a result field; choose one of: {names}")


def error_of(exc: BaseException) -> CellError:
    """Map any exception from the core to a cell error; unexpected ones keep only their message."""
    if isinstance(exc, CellError):
        return exc
    if isinstance(exc, UnsupportedCase):  # not covered here: Excel's "not available"
        return CellError("#N/A", str(exc))
    if isinstance(exc, XlRolloverError):  # bad input (InputError, UnknownYear)
        return CellError("#VALUE!", str(exc))
    return CellError("#VALUE!", f"unexpected {type(exc).__name__}: {exc}")


def error_cell(err: CellError) -> str:
    """An error inside an array result: an error value in Lite, the error's text in classic."""
    return err.excel_error if is_lite() else err.cell_text()


def fail(err: CellError) -> Any:
    """The whole call's answer for an error: raise for Lite's #VALUE!, else an error value or text."""
    if is_lite():
        if err.excel_error == "#VALUE!":
            raise lite_error(err.message)
        return err.excel_error
    return err.cell_text()


def lite_error(message: str) -> Exception:
    """xlwings' own error type (shown as #VALUE! with the message on hover in Lite)."""
    try:
        from xlwings import XlwingsError
    except ImportError:  # pragma: no cover - Lite always has xlwings
        return ValueError(message)
    return XlwingsError(message)


def column_rule(entry: Function) -> str | None:
    """The core function whose column rule (:data:`xl_rollover.core.columns.COLUMN_RULES`) runs the entry's
    whole-column calls: the registry entry of that name's core function, or None (row by row only)."""
    registered = FUNCTIONS.get(entry.name)
    name = registered.call.__name__ if registered is not None else None
    return name if name in COLUMN_RULES else None


def _kernel_column(fn: str, name: str, columns: Mapping[str, Sequence[Any]], n: int) -> tuple[list[Any], set[int]]:
    """Each case's field ``name`` in integer units from the rule's kernel, and the cases it hands back (all of
    them when the kernel has no such field)."""
    results, failed = run_columns(fn, columns, n)
    values = results.get(name)
    if values is None:  # no such field, or every row handed back (the row-by-row runner without numpy)
        return [None] * n, set(range(n))
    return (values.tolist() if hasattr(values, "tolist") else list(values)), set(failed)


def _table_cells(entry: Function, fn: str, extras: Mapping[str, Any]) -> dict[str, list[Any]] | None:
    """The entry's table arguments (read whole by ``read_table``) as one-cell columns of the column rule's
    reading, the same for every case as a single cell is; None when a table is not one the rule reads (the
    core reads it)."""
    tables: dict[str, list[Any]] = {}
    for param in entry.params:
        if param.kind != "table":
            continue
        cell = (
            layers_cell(extras[param.core or param.name])
            if COLUMN_RULES[fn].readings.get(param.name) == LAYERS
            else None
        )
        if cell is None:
            return None
        tables[param.name] = [cell]
    return tables


def _core_has(entry: Function, name: str, case: dict[str, Any], extras: Mapping[str, Any]) -> bool:
    """Whether the core's result of one case has the field ``name`` (blank or not)."""
    try:
        return _value_of(entry.call(**core_kwargs(entry.params, case), **extras), name)[0]
    except Exception:
        return False


def _fast_column(
    entry: Function,
    fn: str,
    name: str,
    columns: Mapping[str, Sequence[Any]],
    n: int,
    extras: Mapping[str, Any],
) -> list[list[Any]] | None:
    """A whole-column call through the rule's kernel (:func:`column_rule`); cases it hands back go to the core.

    ``extras`` are the table arguments as the core takes them (every case's). None when no case took the
    kernel (the caller then runs the ordinary path, which also checks the output name).
    """
    scale = 10 ** COLUMN_RULES[fn].places.get(name, 2)
    try:
        tables = _table_cells(entry, fn, extras)
        if tables is None:
            return None
        values, slow = _kernel_column(fn, name, {**columns, **tables}, n)
    except Exception:  # a defect in the kernel's column path must not reach the sheet: the core answers instead
        return None
    if len(slow) == n:
        return None
    taken = [i for i in range(n) if i not in slow]
    if all(values[i] is None for i in taken) and not _core_has(entry, name, case_at(columns, taken[0]), extras):
        return None  # a field only handed-back rows have (results of varying shape): the core says which
    column = [[value / scale if type(value) is int else to_excel(value)] for value in values]  # Decimal of law: a float
    for i in sorted(slow):
        try:
            result = entry.call(**core_kwargs(entry.params, case_at(columns, i)), **extras)
        except Exception as exc:
            column[i] = [error_cell(error_of(exc))]
        else:
            column[i] = [to_excel(_value_of(result, name)[1])]
    return column


def table_reader(entry: Function) -> Callable[[dict[str, Any], dict[str, Any]], None] | None:
    """The entry's table arguments (kind "table"), each read whole before the cases are split; None if it has none."""
    tables = [p for p in entry.params if p.kind == "table"]

    def prepare(by_name: dict[str, Any], extras: dict[str, Any]) -> None:
        for p in tables:
            extras[p.core or p.name] = read_table(by_name[p.name], p.name, len(p.columns), p.columns)

    return prepare if tables else None


def run(
    entry: Function,
    values: Sequence[Any],
    prepare: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
    *,
    whole_columns: bool = True,
) -> Any:
    """Evaluate an Excel call of a registry entry, shaped as Excel expects.

    ``prepare`` reads the arguments every case shares (default: the entry's tables, :func:`table_reader`), so a
    table argument is never dropped. Several cases take the rule's kernel over whole columns (unless
    ``whole_columns`` is False); every other case, and every case the kernel hands back, is one core call.
    """
    if prepare is None:
        prepare = table_reader(entry)
    try:
        by_name = dict(zip((p.name for p in entry.params), values, strict=True))
        output = _output_name(by_name.get("output")) if "output" in by_name else None
        columns, n = case_columns(entry.params, values)
        extras: dict[str, Any] = {}
        if prepare is not None:
            prepare(by_name, extras)
    except Exception as exc:
        return fail(error_of(exc))

    field = output or entry.default_output
    fn = column_rule(entry) if whole_columns else None
    if fn is not None and field is not None and field != "explain" and n > 1:
        column = _fast_column(entry, fn, field, columns, n, extras)
        if column is not None:
            return column

    results: list[Result | CellError] = []
    for case in (case_at(columns, i) for i in range(n)):
        try:
            results.append(entry.call(**core_kwargs(entry.params, case), **extras))
        except Exception as exc:
            results.append(error_of(exc))

    if field is not None and field != "explain":
        try:
            _check_field(field, results)
        except CellError as err:
            return fail(err)
    if len(results) == 1:
        only = results[0]
        if isinstance(only, CellError):
            return fail(only)
        if field == "explain":
            return [[text] for text in explanation(only)]
        if field is not None:
            return to_excel(_value_of(only, field)[1])
        return [[name, to_excel(v)] for name, v in only.flat().items()]

    if field == "explain":
        return [
            [error_cell(r)] if isinstance(r, CellError) else ["\n\n".join(explanation(r))[:MAX_CELL_TEXT]]
            for r in results
        ]
    if field is not None:
        return [[error_cell(r)] if isinstance(r, CellError) else [to_excel(_value_of(r, field)[1])] for r in results]
    flats = [None if isinstance(r, CellError) else r.flat() for r in results]
    header: list[str] = []
    for row_flat in flats:
        for key in row_flat or ():
            if key not in header:
                header.append(key)
    header = header or ["error"]
    table: list[list[Any]] = [header]
    for r, row_flat in zip(results, flats, strict=True):
        if row_flat is None:
            assert isinstance(r, CellError)
            table.append([error_cell(r)] * len(header))
        else:
            table.append([to_excel(row_flat.get(key)) for key in header])
    return table
