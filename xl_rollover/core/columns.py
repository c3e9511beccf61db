"""The one column runner: whole columns of raw cells through a rule's integer-cent kernel.

``run_columns(fn, columns, n)`` reads each argument column as the core would (cents of a plain amount,
an age in years, a blank optional) and runs the function's kernel once over all rows: on numpy int64
arrays when numpy is installed (batch, classic Excel), else row by row on Python ints (xlwings Lite
without numpy). A row whose values are not certain without the core (text with signs or separators,
fractions of a cent, dates, an exception code, any branch the kernel does not state) is handed back in
``failed`` for the caller's scalar path, which answers it or explains the error; so both paths accept
and refuse the same rows with the same messages (hypothesis tests in test_batch, test_hostile_batch and
test_udf_fast prove it). numpy is imported only when a run needs it: the core stays standard library.

Columns hold raw cell values, one per row or a single value for every row: lists (``None`` or text of
only spaces is blank; a float NaN in a list is not blank: Excel passes no NaN, the core refuses it), or
numpy arrays from a table (a NaN in a float array is a missing value, blank), or a table's text column as
:class:`Coded` (its distinct cells and each row's position among them: each distinct cell is read once).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import limits
from .age import ISO_DATE, MAX_AGE
from .money import FLAG_WORDS, MAX_AMOUNT, MAX_CENTS, SCALAR, plain_cents
from .registry import FUNCTIONS
from .rules import contribution_limits, early_penalty, form_8606, rmd, roth_ordering, sepp, split
from .serial_dates import END_SERIAL, FIRST_SERIAL, NO_DATE, serial

# how a column is read
MONEY, MONEY_OR_BLANK, YEARS, BLANK, THREE_OR_BLANK, TEN_PERCENT_ACCOUNT = (
    "money",
    "money_or_blank",
    "years",
    "blank",
    "three_or_blank",
    "ten_percent_account",
)

_VALUED = frozenset({MONEY, MONEY_OR_BLANK, YEARS})  # readings whose values the kernel uses (others: checks)
_FLOATS = frozenset({YEARS})  # valued readings held as float64 (the others as int64)


@dataclass(frozen=True)
class ColumnRule:
    """A public function's column form: how each argument column is read, the kernel, its units."""

    readings: Mapping[str, str]  # argument name -> reading (missing columns are blank)
    #: parsed columns, ops -> flat fields; a ``defined`` field (bool per row), if any, hands back the rows
    #: where it is False (a value of law the table lacks for that row, a case the core refuses)
    kernel: Callable[[Mapping[str, Any], Any], dict[str, Any]]
    defined: Callable[[Mapping[str, Any]], Any] | None = None  # rows the kernel states (others: the core)
    places: Mapping[str, int] = field(default_factory=dict)  # places of fields that are not cents


# --- limits by year, RMD and SEPP: readings of years, codes from closed lists, flags, dates, rates -----
# (read cell by cell by CELL_READERS, numpy columns by ARRAY_READERS, at the end of this module)
YEAR, MONEY_OR_NONE, YEARS_OR_NONE, FLAG, FLAG_OR_FALSE, DATE, DATE_OR_NONE, RATE_OR_NONE = (
    "year",  # a tax year, as limits.parse_year reads it
    "money_or_none",  # cents; blank: -1 (not given)
    "years_or_none",  # an age in years; blank: -1.0 (not given)
    "flag",  # TRUE/FALSE as 1/0, as the worksheet functions read a flag
    "flag_or_false",  # the same, blank: 0
    "date",  # a date as its serial number (a date, a serial number or YYYY-MM-DD, as the worksheet reads it)
    "date_or_none",  # the same, blank: serial_dates.NO_DATE
    "rate_or_none",  # a rate given as a float (float64); blank: NaN
)
FILING_STATUS, FILING_STATUS_OR_BLANK, LIMIT_NAME, SEPP_METHOD, LIFE_TABLE = (
    "filing_status",  # a position in limits.STATUS_CODES
    "filing_status_or_blank",  # the same, blank: -1
    "limit_name",  # a position in limits.limit_names()
    "sepp_method",  # a position in sepp.METHOD_CODES
    "life_table",  # a position in sepp.TABLE_CODES; blank: single
)
_VALUED |= {YEAR, MONEY_OR_NONE, YEARS_OR_NONE, FLAG, FLAG_OR_FALSE, DATE, DATE_OR_NONE, RATE_OR_NONE}
_VALUED |= {FILING_STATUS, FILING_STATUS_OR_BLANK, LIMIT_NAME, SEPP_METHOD, LIFE_TABLE}
_FLOATS |= {YEARS_OR_NONE, RATE_OR_NONE}

# --- Roth IRA ordering: a tax year or blank (0), a table of conversion layers (read by _layer_arrays) ----
YEAR_OR_BLANK, LAYERS = "year_or_blank", "layers"
_VALUED |= {YEAR_OR_BLANK}
#: Most conversion layers (distinct years) a row takes through the column path: every row costs the widest
#: row's layers, so a row of more goes to the core.
MAX_LAYERS = 24
#: The distribution's fields that are tax years, not cents: the year of every piece a row can have (regular
#: contributions, two parts a layer, earnings) and of every layer left.
_LAYER_YEARS = {
    **{f"layers_out_{i}_year": 0 for i in range(1, 2 * MAX_LAYERS + 3)},
    **{f"layers_left_conversions_{i}_year": 0 for i in range(1, MAX_LAYERS + 1)},
}


#: A parameter's reading when its registry kind and requiredness say it: (kind, required) -> reading.
#: Text parameters (codes from closed lists), tax years, rates and the amounts whose blank means "not
#: given" rather than 0 are read otherwise: each rule below names those (``differ``) with the reason.
_BY_KIND = {
    ("value", True): MONEY,
    ("value", False): MONEY_OR_BLANK,
    ("age", True): YEARS,
    ("age", False): YEARS_OR_NONE,  # blank: -1.0 (not given); an age as two dates goes to the core
    ("flag", True): FLAG,
    ("flag", False): FLAG_OR_FALSE,
    ("date", True): DATE,
    ("date", False): DATE_OR_NONE,
    ("table", True): LAYERS,
    ("ratio", False): THREE_OR_BLANK,  # line 10 at form_8606.LINE10_PLACES (int64 bound: see the kernel)
}
_BY_CORE = {f.call.__name__: f for f in FUNCTIONS.values()}


def _readings(core: str, **differ: str) -> dict[str, str]:
    """The readings of ``core``'s registry parameters (output aside), in their order: by kind, or ``differ``."""
    params = [p for p in _BY_CORE[core].params if p.kind != "output"]
    unknown = set(differ) - {p.name for p in params}
    if unknown:  # pragma: no cover - a defect in COLUMN_RULES
        raise ValueError(f"{core}: no parameter {sorted(unknown)}")
    return {p.name: differ.get(p.name) or _BY_KIND[(p.kind, p.required)] for p in params}


def _in_order(
    columns: Callable[..., dict[str, Any]], readings: Mapping[str, str], *skip: str
) -> Callable[[Mapping[str, Any], Any], dict[str, Any]]:
    """A kernel taking the parsed columns whose values count (not checks only), in parameter order, then ops."""
    names = [n for n, r in readings.items() if (r in _VALUED or r == LAYERS) and n not in skip]
    return lambda c, ops: columns(*[c[n] for n in names], ops)


def _rule(core: str, columns: Callable[..., dict[str, Any]], *skip: str, **kw: Any) -> ColumnRule:
    """A column form whose kernel takes its valued columns in the registry's parameter order."""
    readings = kw.pop("readings")
    return ColumnRule(readings=readings, kernel=_in_order(columns, readings, *skip), **kw)


_YEAR = {"year": YEAR}  # a tax year, not an amount
_IRA_LIMIT = {
    **_YEAR,
    "filing_status": FILING_STATUS,
    "compensation": MONEY_OR_NONE,  # blank: not given (the MAGI-only case), not 0
    "spouse_compensation": MONEY_OR_NONE,
}
#: The exceptions and their details go to the core; the column form states only rows without them.
_NO_EXCEPTION = ("exception", "exception_amount", "tax_year", "simple_first_two_years", "exception_count")


#: The functions with a column form, by the core's name.
COLUMN_RULES: dict[str, ColumnRule] = {
    "prorata_taxable": _rule(
        "prorata_taxable",
        form_8606.prorata_columns,
        readings=_readings("prorata_taxable"),
        defined=lambda c: c["converted"] + c["distributions"] > 0,  # else the core: nothing to prorate
        places=form_8606.CENTS_PLACES,
    ),
    "early_penalty": _rule(
        "early_penalty",
        early_penalty.penalty_columns,
        readings=_readings(
            "early_penalty",
            account_type=TEN_PERCENT_ACCOUNT,  # the plain 10% accounts only (else the core)
            **dict.fromkeys((*_NO_EXCEPTION, "first_home_used"), BLANK),
        ),
        places=early_penalty.CENTS_PLACES,
    ),
    "mega_backdoor_room": _rule(
        "mega_backdoor_room",
        contribution_limits.room_columns,
        readings=_readings("mega_backdoor_room", **_YEAR, compensation=MONEY_OR_NONE),
    ),
    "roth_ira_contribution_limit": _rule(
        "roth_ira_contribution_limit",
        contribution_limits.roth_limit_columns,
        readings=_readings("roth_ira_contribution_limit", **_IRA_LIMIT),
    ),
    "traditional_ira_deduction_limit": _rule(
        "traditional_ira_deduction_limit",
        contribution_limits.deduction_columns,
        readings=_readings("traditional_ira_deduction_limit", **_IRA_LIMIT),
    ),
    "irs_limit": _rule(
        "irs_limit",
        limits.irs_limit_columns,
        readings=_readings(
            "irs_limit", limit_name=LIMIT_NAME, **_YEAR, filing_status=FILING_STATUS_OR_BLANK
        ),  # codes from closed lists
        places={"year": 0},
    ),
    "required_minimum_distribution": _rule(
        "required_minimum_distribution",
        rmd.rmd_columns,
        readings=_readings("required_minimum_distribution", **_YEAR),
        places={"first_rmd_year": 0, "age": 0},
    ),
    "sepp_payment": _rule(
        "sepp_payment",
        sepp.sepp_columns,
        readings=_readings(
            "sepp_payment",
            **_YEAR,
            method=SEPP_METHOD,  # codes from closed lists
            life_table=LIFE_TABLE,
            interest_rate=RATE_OR_NONE,  # rates, not amounts
            rate_cap=RATE_OR_NONE,
        ),
        places={"age": 0},
    ),
    # --- Roth IRA ordering ---
    "roth_ira_distribution": _rule(
        "roth_ira_distribution",
        roth_ordering.distribution_columns,
        "first_home_used",  # read for ``defined`` only (the kernel states rows without the exception)
        readings=_readings(
            "roth_ira_distribution",
            distribution_year=YEAR,
            first_roth_year=YEAR_OR_BLANK,  # tax years
            exception=BLANK,  # exceptions go to the core
            qualifying_event=BLANK,
        ),
        defined=lambda c: roth_ordering.distribution_defined(
            c["conversions"], c["distribution_year"], c["age"], c["first_roth_year"], c["first_home_used"]
        ),
        places=_LAYER_YEARS,
    ),
    "roth_penalty_free": _rule(
        "roth_penalty_free",
        roth_ordering.penalty_free_columns,
        readings=_readings("roth_penalty_free", distribution_year=YEAR),
        places={"distribution_year": 0},
    ),
}


# --- reading one cell (lists) ----------------------------------------------------------------

_PLAIN_MONEY = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")
_PLAIN_YEARS = re.compile(r"[0-9]{1,3}(\.[0-9]{1,6})?")


def is_blank(value: object) -> bool:
    """An empty cell: None, or text of only spaces."""
    return value is None or (type(value) is str and not value.strip())


@functools.lru_cache(maxsize=4096)
def _text_cents(text: str) -> int | None:
    if not _PLAIN_MONEY.fullmatch(text):
        return None
    whole, _, frac = text.partition(".")
    cents = int(whole) * 100 + int(frac.ljust(2, "0"))
    return cents if cents <= MAX_CENTS else None


def cell_cents(value: object) -> int | None:
    """The cents ``to_money`` gives a cell when certain without Decimal (plain digits, whole cents), else None."""
    return _text_cents(value) if type(value) is str else plain_cents(value)


def cell_years(value: object) -> float | None:
    """An age in years, 0 to the core's maximum, given as a number or plain digits; else None."""
    if type(value) is str:
        if not _PLAIN_YEARS.fullmatch(value):
            return None
        value = float(value)  # then the range, as for a number ("999" is refused by the core)
    if type(value) is int or type(value) is float:
        years = float(value)
        return years if 0.0 <= years <= float(MAX_AGE) else None
    return None


def _read_cell(value: object, reading: str) -> tuple[Any, bool]:
    """One cell: (value for the kernel, certain)."""
    if reading == MONEY:
        cents = cell_cents(value)
        return (cents or 0, cents is not None)
    if reading == MONEY_OR_BLANK:
        if is_blank(value):
            return 0, True
        cents = cell_cents(value)
        return (cents or 0, cents is not None)
    if reading == YEARS:
        years = cell_years(value)
        return (years or 0.0, years is not None)
    if reading == BLANK:
        return None, is_blank(value)
    if reading == THREE_OR_BLANK:
        places = form_8606.LINE10_PLACES  # the column pass runs line 10 at the form's places only
        three = (type(value) in (int, float) and value == places) or (type(value) is str and value == str(places))
        return None, is_blank(value) or three
    if reading == TEN_PERCENT_ACCOUNT:
        plain = type(value) is str and value.strip().upper() in early_penalty.TEN_PERCENT_ACCOUNTS
        return None, is_blank(value) or plain
    if reading == LAYERS:
        layers = cell_layers(value)
        return (layers or ([], [], []), layers is not None)
    read = CELL_READERS.get(reading)
    if read is not None:
        return read(value)
    raise ValueError(f"unknown reading {reading}")  # pragma: no cover - a defect in COLUMN_RULES


# --- reading a numpy column at once ------------------------------------------------------------


def _read_array(np: Any, column: Any, reading: str, n: int) -> tuple[Any, Any] | None:
    """A numeric numpy column read at once: (values, certain), or None to read it cell by cell."""
    kind = column.dtype.kind
    if reading == LAYERS:
        return None  # _layer_arrays
    if reading in ARRAY_READERS:
        return ARRAY_READERS[reading](np, column, n)
    if kind == "b":
        return np.zeros(n, np.int64), np.zeros(n, bool)  # logical values are never amounts or ages
    if kind not in "iuf":
        return None
    values = column.astype("float64")
    with np.errstate(invalid="ignore", over="ignore"):
        missing = np.isnan(values)
        if reading in (MONEY, MONEY_OR_BLANK):
            if kind in "iu":
                ok = (values >= 0) & (values <= float(MAX_AMOUNT))
                cents = np.where(ok, column, 0).astype(np.int64) * 100
            else:
                scaled = np.round(values * 100)
                ok = np.isfinite(values) & (scaled >= 0) & (scaled <= MAX_CENTS) & (scaled / 100 == values)
                cents = np.where(ok, scaled, 0).astype(np.int64)
            if reading == MONEY_OR_BLANK:
                return np.where(missing, 0, cents), ok | missing
            return cents, ok
        if reading == YEARS:
            ok = np.isfinite(values) & (values >= 0) & (values <= float(MAX_AGE))
            return np.where(ok, values, 0.0), ok
        if reading == BLANK:
            return None, missing
        if reading == THREE_OR_BLANK:
            return None, missing | (values == form_8606.LINE10_PLACES)
        if reading == TEN_PERCENT_ACCOUNT:
            return None, missing
    raise ValueError(f"unknown reading {reading}")  # pragma: no cover


class Coded(NamedTuple):
    """A result column spread from a few distinct values: ``values[codes]`` (``run_columns(coded=True)``)."""

    values: Any  # the distinct values, an object array
    codes: Any  # each row's position in ``values``


class _NumpyOps:
    """numpy's element operations for the kernels (see :class:`xl_rollover.core.money.ScalarOps`).

    Object columns it spreads from distinct values (a value of law per key, a text per branch, a packed
    piece's plain value) are remembered with their codes, so a caller building text columns converts each
    distinct value once (:meth:`coded`); the columns themselves are ordinary arrays.
    """

    def __init__(self, np: Any) -> None:
        self.minimum = np.minimum
        self.maximum = np.maximum
        self._np = np
        self._spread: dict[int, tuple[Any, Any, Any]] = {}  # id(column) -> (column, distinct values, codes)

    def _spread_column(self, values: Any, codes: Any) -> Any:
        """``values[codes]`` (an object column), remembered with its codes."""
        column = values[codes]
        self._spread[id(column)] = (column, values, codes)
        return column

    def _codes_of(self, value: Any) -> tuple[Any, Any] | None:
        """(distinct values, codes) of a remembered column or a text/None scalar (one value), else None."""
        if value is None or type(value) is str:
            one = self._np.empty(1, object)
            one[0] = value
            return one, 0
        entry = self._spread.get(id(value))
        return (entry[1], entry[2]) if entry is not None and entry[0] is value else None

    def coded(self, column: Any) -> Any:
        """A result column as :class:`Coded` when spread from distinct values, else the column itself."""
        entry = self._spread.get(id(column))
        return Coded(entry[1], entry[2]) if entry is not None and entry[0] is column else column

    def where(self, condition: Any, a: Any, b: Any) -> Any:
        """``np.where``; text (or None) in both branches stays objects, spread from the branches' values."""
        np = self._np
        left, right = self._codes_of(a), self._codes_of(b)
        if left is None or right is None or np.ndim(condition) == 0:
            return np.where(condition, a, b)
        codes = np.where(condition, left[1], np.asarray(right[1]) + len(left[0]))
        return self._spread_column(np.concatenate([left[0], right[0]]), codes)

    def per_key(self, fn: Callable[..., tuple[Any, ...]], *keys: Any) -> tuple[Any, ...]:
        """``fn`` called once per distinct combination of the key columns; its values spread back to every row.

        Each of ``fn``'s results becomes a column: bool or int64 when every value is one, else objects.
        """
        np = self._np
        arrays = [np.ravel(a) for a in np.broadcast_arrays(*(np.asarray(k) for k in keys))]
        n = len(arrays[0])
        if n == 0:
            empty = fn(*(a.dtype.type(0).item() for a in arrays))
            return tuple(np.empty(0, object) for _ in empty)
        code, size = np.zeros(n, np.int64), 1
        for array in arrays:
            count, inverse, _ = _factorize(np, array)
            code, size = code * count + inverse, size * count
            if size > 2**40:  # keep the combined code small: number the combinations seen so far
                size, code, _ = _factorize(np, code)
        _, inverse, first = _factorize(np, code)
        rows = [fn(*key) for key in zip(*(a[first].tolist() for a in arrays), strict=True)]
        distinct = [_as_column(np, [row[j] for row in rows]) for j in range(len(rows[0]))]
        return tuple(self._spread_column(d, inverse) if d.dtype == object else d[inverse] for d in distinct)

    def ints(self, values: Any) -> Any:
        """Values as int64 for arithmetic (from an object column of Python ints)."""
        return self._np.asarray(values).astype(self._np.int64)

    def objects(self, values: Any) -> Any:
        """Values as Python objects (ints stay ints in a batch result, not cents)."""
        np = self._np
        array = np.asarray(values)
        if array.dtype.kind in "iu" and array.ndim == 1 and len(array):  # whole numbers (years): looked up
            return _python_ints(np, array, np.zeros(len(array), bool))
        return np.asarray(values, dtype=object)  # no copy when already objects

    def blank_where(self, condition: Any, values: Any) -> Any:
        np = self._np
        shape = np.broadcast_shapes(np.shape(condition), np.shape(values))
        return np.ma.masked_array(np.broadcast_to(values, shape), mask=np.broadcast_to(condition, shape))

    def pack(
        self, present: Sequence[Any], pieces: Sequence[tuple[Any, ...]], units: Sequence[bool]
    ) -> list[tuple[Any, ...]]:
        np = self._np
        n = max((np.size(p) for p in present), default=0)
        filled = np.zeros(n, np.intp)  # pieces kept so far in each row
        blocks = []  # per piece: the rows keeping it, and its place among each row's kept pieces
        for here in present:
            rows = np.flatnonzero(np.broadcast_to(here, (n,)))
            blocks.append((filled[rows], rows))
            filled[rows] += 1
        width = int(filled.max()) if n else 0
        kept = np.arange(width)[:, None] < filled  # place by row: a piece is there
        fields = []
        for values, exact in zip(zip(*pieces, strict=True), units, strict=True):
            if not exact and not any(isinstance(v, np.ndarray) for v in values):  # one value a piece: look it up
                lookup = np.empty(len(values) + 1, object)
                lookup[:-1] = values
                codes = np.full((width, n), len(values), np.intp)  # the last entry, None, where no piece is left
                for j, (place, rows) in enumerate(blocks):
                    codes[place, rows] = j
                fields.append([self._spread_column(lookup, codes[k]) for k in range(width)])
                continue
            whole = exact or all(v is None or isinstance(v, (int, np.ndarray)) for v in values)  # ints or None
            if whole:
                columns = [np.broadcast_to(NONE_INT if v is None else v, (n,)) for v in values]
                packed = np.zeros((width, n), np.result_type(*columns))
            else:
                columns = []
                for v in values:
                    columns.append(np.empty(n, object))
                    columns[-1][:] = v
                packed = np.full((width, n), None, object)
            for (place, rows), column in zip(blocks, columns, strict=True):
                packed[place, rows] = column[rows]
            if exact:
                fields.append([np.ma.masked_array(packed[k], mask=~kept[k]) for k in range(width)])
                continue
            blank = ~kept | (packed == NONE_INT) if whole else ~kept
            packed = _python_ints(np, packed, blank) if whole else packed
            packed[blank] = None
            fields.append([packed[k] for k in range(width)])
        return [tuple(column[k] for column in fields) for k in range(width)]

    def distinct(self, columns: Sequence[Any]) -> list[int]:
        np = self._np
        if not len(columns):
            return []
        return [int(v) for v in np.unique(np.concatenate([np.ravel(c) for c in columns])) if v]


#: A plain-value piece field that is None where the others are ints (years), held as ints meanwhile.
NONE_INT = -(2**63)


def _python_ints(np: Any, grid: Any, blank: Any) -> Any:
    """An int64 grid as Python ints (an object grid): looked up when the values span a short range (years)."""
    values = grid[~blank]
    low, high = (int(values.min()), int(values.max())) if values.size else (0, 0)
    if high - low > 4 * grid.size + 1024:
        return grid.astype(object)
    lookup = np.empty(high - low + 1, object)
    lookup[:] = range(low, high + 1)
    return lookup[np.where(blank, 0, grid - low)]  # blank cells are set to None after


def _factorize(np: Any, array: Any) -> tuple[int, Any, Any]:
    """(number of distinct values, each row's value number, a row holding each value) of a 1-D column.

    Whole numbers in a short range are counted without sorting; other columns go through ``np.unique``.
    """
    if array.dtype.kind in "iub" and len(array):
        low, high = int(array.min()), int(array.max())
        if high - low < 4 * len(array) + 1024:
            offset = array.astype(np.int64) - low
            present = np.zeros(high - low + 1, bool)
            present[offset] = True
            number = np.cumsum(present) - 1
            holder = np.zeros(high - low + 1, np.int64)
            holder[offset] = np.arange(len(array))
            return int(number[-1]) + 1, number[offset], holder[present]
    _, first, inverse = np.unique(array, return_index=True, return_inverse=True)
    return len(first), inverse.reshape(-1), first


def _as_column(np: Any, values: list[Any]) -> Any:
    """A list as a numpy column: bool or int64 when every value is one, else objects (no text dtype)."""
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return np.array(values, bool)
    if kinds == {int} and all(-(2**63) <= v < 2**63 for v in values):
        return np.array(values, np.int64)
    column = np.empty(len(values), object)
    column[:] = values
    return column


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # xlwings Lite without numpy: the same kernel, row by row
        return None
    return numpy


def run_columns(
    fn: str, columns: Mapping[str, Sequence[Any]], n: int, *, coded: bool = False
) -> tuple[dict[str, Any], list[int]]:
    """Run ``fn``'s kernel over ``n`` rows of raw argument columns: (flat result columns, rows handed back).

    Result columns hold integer units (cents; :attr:`ColumnRule.places` for the others) as numpy
    arrays, or lists without numpy; a handed-back row's values are meaningless there. With ``coded``,
    an object column spread from a few distinct values comes as :class:`Coded` (numpy only). An argument
    column may also be :class:`Coded` (numpy only): text as its distinct cells, each read once.
    """
    rule = COLUMN_RULES[fn]
    np = _numpy()
    if np is None:
        return _run_rows(rule, columns, n)
    parsed: dict[str, Any] = {}
    ok = np.ones(n, bool)
    for name, reading in rule.readings.items():
        column = columns.get(name)
        if column is None:
            column = [None]
        if isinstance(column, Coded):  # text given as its distinct cells (a table's column): each read once
            if reading != LAYERS:
                parsed[name], certain = _read_distinct(np, column.values.tolist(), column.codes, reading)
                ok &= certain
                continue
            column = column.values[column.codes]
        read = _read_array(np, column, reading, len(column)) if isinstance(column, np.ndarray) else None
        if read is None and reading == LAYERS:
            read = _layer_arrays(np, column)
        if read is None and isinstance(column, np.ndarray):
            read = _read_text(np, column, reading)
        if read is None:
            read_one = CELL_READERS.get(reading) or functools.partial(_read_cell, reading=reading)
            cells = list(map(read_one, column[:1] if len(column) == 1 else column))
            dtype = np.float64 if reading in _FLOATS else np.int64
            kept = np.array([v for v, _ in cells], dtype=dtype) if reading in _VALUED else None
            read = (kept, np.array([c for _, c in cells], bool))
        values, certain = read
        if len(certain) == 1 and n != 1:
            certain = np.broadcast_to(certain, (n,))
            if reading == LAYERS:
                values = tuple([np.broadcast_to(c, (n,)) for c in part] for part in values)
            elif values is not None:
                values = np.broadcast_to(values, (n,))
        ok &= certain
        parsed[name] = values
    if rule.defined is not None:
        ok &= np.asarray(rule.defined(parsed), bool)
    ops = _NumpyOps(np)
    results = rule.kernel(parsed, ops)
    if "defined" in results:
        ok &= np.asarray(results.pop("defined"), bool)
    results = {k: (np.broadcast_to(v, (n,)) if np.ndim(v) == 0 else v) for k, v in results.items()}
    if coded:
        results = {k: ops.coded(v) for k, v in results.items()}
    return results, np.flatnonzero(~ok).tolist()


def _read_text(np: Any, column: Any, reading: str) -> tuple[Any, Any] | None:
    """An object column holding only text and blanks (None): each distinct cell read once.

    Text never equals None or another type's value, so a dict numbers the distinct cells exactly.
    """
    if len(column) < 64 or column.dtype != object:
        return None
    try:
        distinct = dict.fromkeys(column)
    except TypeError:  # an unhashable cell: not text
        return None
    if not set(map(type, distinct)) <= {str, type(None)}:  # a cell of another type is a distinct cell of its own
        return None
    index = {cell: i for i, cell in enumerate(distinct)}
    inverse = np.fromiter(map(index.__getitem__, column), np.int64, len(column))
    return _read_distinct(np, list(index), inverse, reading)


def _read_distinct(np: Any, cells: Sequence[Any], codes: Any, reading: str) -> tuple[Any, Any]:
    """A column given as its distinct cells and each row's position among them: each cell read once."""
    read_one = CELL_READERS.get(reading) or functools.partial(_read_cell, reading=reading)
    read = [read_one(cell) for cell in cells]
    certain = np.array([c for _, c in read], bool)[codes]
    if reading not in _VALUED:
        return None, certain
    dtype = np.float64 if reading in _FLOATS else np.int64
    return np.array([v for v, _ in read], dtype=dtype)[codes], certain


def _run_rows(rule: ColumnRule, columns: Mapping[str, Sequence[Any]], n: int) -> tuple[dict[str, Any], list[int]]:
    """Without numpy: each row's cells read (a single cell once, for every row) and the kernel run on Python ints."""
    results: dict[str, list[Any]] = {}
    failed: list[int] = []
    whole = {name: columns.get(name) or [None] for name in rule.readings}
    once = {name: _read_cell(column[0], rule.readings[name]) for name, column in whole.items() if len(column) == 1}
    for i in range(n):
        row: dict[str, Any] = {}
        certain = True
        for name, reading in rule.readings.items():
            value, ok = once[name] if name in once else _read_cell(whole[name][i], reading)
            row[name] = value
            certain = certain and ok
        flat: dict[str, Any] = {}
        if certain and (rule.defined is None or rule.defined(row)):
            flat = rule.kernel(row, SCALAR)
            if not flat.pop("defined", True):  # the kernel hands the row back (see ColumnRule.kernel)
                flat = {}
        if not flat:
            failed.append(i)
        for key, value in flat.items():
            out = results.get(key)
            if out is None:  # made once per field (setdefault would build a list of n for every row)
                out = results[key] = [None] * n
            out[i] = value
    return results, failed


# --- readings of years, codes, flags, dates and rates (limits by year, RMD, SEPP) ----------------------
# Each gives (value, certain) for one cell exactly as the worksheet functions' reading and the core take
# it (xl_rollover.excel.adapter._read, then the core's parser); anything else is not certain, and the
# core answers it. Results are cached per distinct cell (typed: True, 1 and 1.0 are different cells).

_NOT_CERTAIN = (0, False)


def _cached(read: Callable[[object], tuple[Any, bool]]) -> Callable[[object], tuple[Any, bool]]:
    cached = functools.lru_cache(maxsize=1 << 16, typed=True)(read)

    def reading(value: object) -> tuple[Any, bool]:
        try:
            return cached(value)
        except TypeError:  # unhashable: not a cell value these readings take
            return _NOT_CERTAIN

    return reading


@_cached
def _cell_year(value: object) -> tuple[Any, bool]:
    if isinstance(value, int) and type(value) is int:
        year = value
    elif isinstance(value, float) and type(value) is float and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and type(value) is str:
        whole, dot, zeros = value.strip().partition(".")
        if not (1 <= len(whole) <= 4 and whole.isascii() and whole.isdigit() and (not dot or set(zeros) <= {"0"})):
            return _NOT_CERTAIN
        year = int(whole)
    else:
        return _NOT_CERTAIN
    low, high = limits.YEAR_RANGE
    return (year, True) if low <= year <= high else _NOT_CERTAIN


def _cell_money_or_none(value: object) -> tuple[Any, bool]:
    if is_blank(value):
        return -1, True
    cents = cell_cents(value)
    return (cents or 0, cents is not None)


def _cell_years_or_none(value: object) -> tuple[Any, bool]:
    if is_blank(value):
        return -1.0, True
    years = cell_years(value)
    return (years or 0.0, years is not None)


def _code(options: Mapping[str, int], value: object, normal: Callable[[str], str]) -> tuple[Any, bool]:
    if not isinstance(value, str) or type(value) is not str:
        return _NOT_CERTAIN
    code = options.get(normal(value))
    return _NOT_CERTAIN if code is None else (code, True)


_STATUS = {status: i for i, status in enumerate(limits.STATUS_CODES)}
_METHOD = {key: sepp.METHOD_CODES.index(method) for key, method in sepp.METHODS.items()}
_TABLE = {key: sepp.TABLE_CODES.index(table) for key, table in sepp.TABLES.items()}


@_cached
def _cell_status(value: object) -> tuple[Any, bool]:
    return _code(_STATUS, value, lambda text: text.strip().upper().replace(" ", "_"))


def _cell_status_or_blank(value: object) -> tuple[Any, bool]:
    return (-1, True) if is_blank(value) else _cell_status(value)


@_cached
def _cell_limit_name(value: object) -> tuple[Any, bool]:
    names = {name.lower(): i for i, name in enumerate(limits.limit_names())}
    return _code(names, value, lambda text: text.strip().lower())


@_cached
def _cell_method(value: object) -> tuple[Any, bool]:
    return _code(_METHOD, value, lambda text: text.strip().lower().replace(" ", "_"))


@_cached
def _cell_life_table(value: object) -> tuple[Any, bool]:
    if is_blank(value):
        return sepp.TABLE_CODES.index("single"), True
    return _code(_TABLE, value, lambda text: text.strip().lower().replace(" ", "_"))


@_cached
def _cell_flag(value: object) -> tuple[Any, bool]:
    if isinstance(value, bool):
        return int(value), True
    if isinstance(value, (int, float)) and type(value) in (int, float) and value in (0, 1):
        return int(value), True
    if isinstance(value, str) and type(value) is str and value.strip().upper() in FLAG_WORDS:
        return int(FLAG_WORDS[value.strip().upper()]), True
    return _NOT_CERTAIN


def _cell_flag_or_false(value: object) -> tuple[Any, bool]:
    return (0, True) if is_blank(value) else _cell_flag(value)


@_cached
def _cell_date(value: object) -> tuple[Any, bool]:
    if isinstance(value, dt.datetime):
        day = value.date()
        return (serial(day), True) if type(day) is dt.date else _NOT_CERTAIN
    if isinstance(value, dt.date):
        return serial(value), True
    if isinstance(value, (int, float)) and type(value) in (int, float):
        ok = FIRST_SERIAL <= value < END_SERIAL and value == int(value)
        return (int(value), True) if ok else _NOT_CERTAIN
    if isinstance(value, str) and type(value) is str and ISO_DATE.fullmatch(text := value.strip()):
        try:
            return serial(dt.date.fromisoformat(text)), True
        except ValueError:
            return _NOT_CERTAIN
    return _NOT_CERTAIN


def _cell_date_or_none(value: object) -> tuple[Any, bool]:
    return (NO_DATE, True) if is_blank(value) else _cell_date(value)


def _cell_rate_or_none(value: object) -> tuple[Any, bool]:
    if is_blank(value):
        return float("nan"), True
    if (
        isinstance(value, float) and type(value) is float and math.isfinite(value)
    ):  # text and whole numbers: the core (their digits count)
        return value, True
    return _NOT_CERTAIN


def _cell_year_or_blank(value: object) -> tuple[Any, bool]:
    return (0, True) if is_blank(value) else _cell_year(value)


CELL_READERS: dict[str, Callable[[object], tuple[Any, bool]]] = {
    YEAR: _cell_year,
    YEAR_OR_BLANK: _cell_year_or_blank,
    MONEY_OR_NONE: _cell_money_or_none,
    YEARS_OR_NONE: _cell_years_or_none,
    FLAG: _cell_flag,
    FLAG_OR_FALSE: _cell_flag_or_false,
    DATE: _cell_date,
    DATE_OR_NONE: _cell_date_or_none,
    RATE_OR_NONE: _cell_rate_or_none,
    FILING_STATUS: _cell_status,
    FILING_STATUS_OR_BLANK: _cell_status_or_blank,
    LIMIT_NAME: _cell_limit_name,
    SEPP_METHOD: _cell_method,
    LIFE_TABLE: _cell_life_table,
}


def _numbers(np: Any, column: Any, n: int, reading: str) -> tuple[Any, Any, Any] | None:
    """A numeric numpy column as (float64 values, missing, bool column or None); None for text/object columns."""
    kind = column.dtype.kind
    if kind == "b":
        return np.zeros(n), np.zeros(n, bool), column
    if kind not in "iuf":
        return None
    values = column.astype("float64")
    return values, np.isnan(values), None


def _array_year(np: Any, column: Any, n: int) -> tuple[Any, Any] | None:
    read = _numbers(np, column, n, YEAR)
    if read is None:
        return None
    values, _, logical = read
    low, high = limits.YEAR_RANGE
    with np.errstate(invalid="ignore"):
        ok = (values >= low) & (values <= high) & (values == np.floor(values)) & (logical is None)
    return np.where(ok, values, 0).astype(np.int64), ok


def _array_or_none(reading: str, none: Any) -> Callable[[Any, Any, int], tuple[Any, Any] | None]:
    """A numeric column of the ``reading``, a missing value (NaN) read as ``none``."""

    def read(np: Any, column: Any, n: int) -> tuple[Any, Any] | None:
        if column.dtype.kind not in "iuf":
            return None if column.dtype.kind != "b" else (np.zeros(n, np.int64), np.zeros(n, bool))
        read = _read_array(np, column, reading, n)
        assert read is not None  # a numeric column
        values, ok = read
        missing = np.isnan(column.astype("float64"))
        return np.where(missing, none, values), ok | missing

    return read


def _array_flag(blank: Any) -> Callable[[Any, Any, int], tuple[Any, Any] | None]:
    def read(np: Any, column: Any, n: int) -> tuple[Any, Any] | None:
        numbers = _numbers(np, column, n, FLAG)
        if numbers is None:
            return None
        values, missing, logical = numbers
        if logical is not None:
            return logical.astype(np.int64), np.ones(n, bool)
        ok = (values == 0) | (values == 1)
        if blank is not None:
            return np.where(missing, blank, np.where(ok, values, 0)).astype(np.int64), ok | missing
        return np.where(ok, values, 0).astype(np.int64), ok

    return read


def _array_date(blank: Any) -> Callable[[Any, Any, int], tuple[Any, Any] | None]:
    def read(np: Any, column: Any, n: int) -> tuple[Any, Any] | None:
        numbers = _numbers(np, column, n, DATE)
        if numbers is None:
            return None
        values, missing, logical = numbers
        low, high = FIRST_SERIAL, END_SERIAL
        with np.errstate(invalid="ignore"):
            ok = (values >= low) & (values < high) & (values == np.floor(values)) & (logical is None)
        serials = np.where(ok, values, 0).astype(np.int64)
        if blank is not None:
            return np.where(missing, blank, serials), ok | missing
        return serials, ok

    return read


def _array_blank_only(blank: Any) -> Callable[[Any, Any, int], tuple[Any, Any] | None]:
    """A text reading given a numeric column: only missing values are certain (read as ``blank``, if any)."""

    def read(np: Any, column: Any, n: int) -> tuple[Any, Any] | None:
        numbers = _numbers(np, column, n, LIMIT_NAME)
        if numbers is None:
            return None
        _, missing, _ = numbers
        if blank is None:
            return np.zeros(n, np.int64), np.zeros(n, bool)
        return np.full(n, blank, np.int64), missing

    return read


def _array_rate(np: Any, column: Any, n: int) -> tuple[Any, Any] | None:
    kind = column.dtype.kind
    if kind == "f":  # NaN: blank; the rest finite or not, as the core reads a float cell
        values = column.astype("float64")
        return values, np.isnan(values) | np.isfinite(values)
    if kind in "iub":
        return np.zeros(n), np.zeros(n, bool)  # whole numbers and logical values: the core
    return None


ARRAY_READERS: dict[str, Callable[[Any, Any, int], tuple[Any, Any] | None]] = {
    YEAR: _array_year,
    YEAR_OR_BLANK: _array_or_none(YEAR, 0),
    MONEY_OR_NONE: _array_or_none(MONEY, -1),
    YEARS_OR_NONE: _array_or_none(YEARS, -1.0),
    FLAG: _array_flag(None),
    FLAG_OR_FALSE: _array_flag(0),
    DATE: _array_date(None),
    DATE_OR_NONE: _array_date(NO_DATE),
    RATE_OR_NONE: _array_rate,
    FILING_STATUS: _array_blank_only(None),
    FILING_STATUS_OR_BLANK: _array_blank_only(-1),
    LIMIT_NAME: _array_blank_only(None),
    SEPP_METHOD: _array_blank_only(None),
    LIFE_TABLE: _array_blank_only(sepp.TABLE_CODES.index("single")),
}


# --- conversion layers (Roth IRA ordering) ------------------------------------------------------------

#: A conversions cell the column path reads itself: entries ``YEAR:TAXABLE:NONTAXABLE`` of plain digits
#: separated by ``;`` (spaces around parts, empty entries skipped, as batch's reading does); amounts of
#: more than 13 digits fail the MAX_CENTS check below.
_AMOUNT = r"[0-9]++(?:\.[0-9][0-9]?+)?+"  # possessive: no backtracking (the grammar needs none)
_PIECE = rf" *+(?:[0-9][0-9][0-9][0-9] *+: *+{_AMOUNT} *+: *+{_AMOUNT} *+)?+"
_LAYERS_CELL = re.compile(rf"{_PIECE}(?:;{_PIECE})*+")
_LAYERS_COLUMN = re.compile(rf"{_LAYERS_CELL.pattern}(?:\n{_LAYERS_CELL.pattern})*+")  # cells joined by newlines
#: The same grammar for a column with no space at all (pieces between ``;`` and newlines): about twice as fast.
_TIGHT_PIECE = rf"(?:[0-9][0-9][0-9][0-9]:{_AMOUNT}:{_AMOUNT})?+"
_TIGHT_COLUMN = re.compile(rf"{_TIGHT_PIECE}(?:[;\n]{_TIGHT_PIECE})*+")
_TO_SPACES = str.maketrans(":;\n", "   ")


def cell_layers(value: object) -> tuple[list[int], list[int], list[int]] | None:
    """A conversions cell as batch writes it (``YEAR:TAXABLE:NONTAXABLE;...``), one layer a year oldest first
    (:func:`~xl_rollover.core.rules.roth_ordering.one_layer_a_year`): years, taxable and nontaxable cents;
    None when not certain (anything but plain years and plain amounts of whole cents)."""
    if value is None:
        return [], [], []
    if type(value) is not str or not _LAYERS_CELL.fullmatch(value):
        return None
    layers = []
    low, high = limits.YEAR_RANGE
    for entry in value.split(";"):
        if not entry.strip():
            continue
        year, taxable, nontaxable = (part.strip() for part in entry.split(":"))
        t, n = _text_cents(taxable), _text_cents(nontaxable)
        if not low <= int(year) <= high or t is None or n is None:
            return None
        layers.append((int(year), t, n))
    merged = roth_ordering.one_layer_a_year(layers)
    if len(merged) > MAX_LAYERS:
        return None
    return [y for y, _, _ in merged], [t for _, t, _ in merged], [n for _, _, n in merged]


def layers_cell(rows: Iterable[Sequence[object]]) -> str | None:
    """A conversions table as the worksheet functions read it (rows of year, taxable part and nontaxable part
    cells) as the one conversions cell :func:`cell_layers` reads, so that a whole-column call gives every row
    the same layers; None when a cell is not certain (a year or amount only the core reads: it answers or
    explains the table)."""
    entries = []
    for year, taxable, nontaxable in rows:
        y, certain = _cell_year(year)
        t, n = cell_cents(taxable), cell_cents(nontaxable)
        if not certain or t is None or n is None:
            return None
        entries.append(f"{y}:{t // 100}.{t % 100:02d}:{n // 100}.{n % 100:02d}")
    return ";".join(entries)


def _layer_arrays(np: Any, column: Any) -> tuple[Any, Any]:
    """A conversions column read at once: per layer, a column of years, taxable and nontaxable cents, and
    which rows are certain. Layers are one a year, oldest first, as ``roth_ordering.one_layer_a_year``
    makes them (entries of one year summed); shorter rows are padded with zero layers, which take nothing."""
    n = len(column)
    if isinstance(column, np.ndarray) and column.dtype.kind in "fiub":  # numbers: only a missing value (NaN) is blank
        missing = np.isnan(column) if column.dtype.kind == "f" else np.zeros(n, bool)
        return ([], [], []), missing
    cells = column.tolist() if isinstance(column, np.ndarray) else list(column)
    blanks = False  # whether a cell may be None (blank: certain, no layers)
    try:  # every cell text (the common case): joined as it is
        joined = "\n".join(cells)
        text, texts = np.ones(n, bool), cells
    except TypeError:
        blanks = True  # blanks (None) or other values: those cells joined as empty
        text = np.fromiter(map(isinstance, cells, itertools.repeat(str, n)), bool, n)
        texts = [v if t else "" for v, t in zip(cells, text.tolist(), strict=True)]
        joined = "\n".join(texts)
    grammar = _LAYERS_COLUMN if " " in joined else _TIGHT_COLUMN
    if joined.count("\n") == max(n - 1, 0) and grammar.fullmatch(joined):  # every text cell plain
        plain = text
    else:  # find the cells that are not: the core reads them
        plain = np.fromiter(map(_LAYERS_CELL.fullmatch, texts), bool, n) & text
        texts = [t if p else "" for t, p in zip(texts, plain.tolist(), strict=True)]
        joined = "\n".join(texts)
    certain = (
        plain | np.fromiter(map(operator.is_, cells, itertools.repeat(None, n)), bool, n) if blanks else plain.copy()
    )
    low, high = limits.YEAR_RANGE
    tight = _tight_entries(np, joined) if " " not in joined else None
    if tight is not None:
        rows, years, taxable, nontaxable = tight
        bad = (years < low) | (years > high) | (taxable > MAX_CENTS) | (nontaxable > MAX_CENTS)
        years, taxable, nontaxable = (np.where(bad, 0, v) for v in (years, taxable, nontaxable))
    else:
        counts = np.fromiter(map(str.count, texts, ":" * n), np.int64, n) // 2
        # every number of the certain cells at once; whole cents of at most 13 + 2 digits are exact in float64
        # (below 2**53) and the amounts checked against MAX_CENTS, so rounding the cents is exact
        total = 3 * int(counts.sum())
        numbers = np.fromstring(joined.translate(_TO_SPACES), dtype=np.float64, sep=" ") if total else np.zeros(0)
        numbers = numbers.reshape(-1, 3)
        rows = np.repeat(np.arange(n), counts)
        largest = float(MAX_AMOUNT)  # checked before any cast to int64 (a long digit string is a huge float)
        bad = (numbers[:, 0] < low) | (numbers[:, 0] > high) | (numbers[:, 1] > largest) | (numbers[:, 2] > largest)
        numbers[bad] = 0
        years = numbers[:, 0].astype(np.int64)
        taxable, nontaxable = (np.round(numbers[:, k] * 100).astype(np.int64) for k in (1, 2))
    certain[rows[bad]] = False
    keep = certain[rows]
    keys = rows[keep] * 10_000 + years[keep]  # (row, year)
    if np.all(keys[1:] > keys[:-1]):  # each row's years ascending, one entry a year: already the layers
        sums = np.stack([taxable[keep], nontaxable[keep]])
    else:  # entries of one year summed, years sorted
        keys, where = np.unique(keys, return_inverse=True)
        sums = np.zeros((2, len(keys)), np.int64)
        np.add.at(sums[0], where, taxable[keep])
        np.add.at(sums[1], where, nontaxable[keep])
    row_of = keys // 10_000
    first = np.flatnonzero(np.diff(row_of, prepend=-1))  # where each row's layers start
    position = np.arange(len(keys)) - np.repeat(first, np.diff(first, append=len(keys)))
    certain[row_of[position >= MAX_LAYERS]] = False  # a row of many layers: the core (the grid stays small)
    kept = certain[row_of]
    row_of, position, keys, sums = row_of[kept], position[kept], keys[kept], sums[:, kept]
    width = int(position.max()) + 1 if len(keys) else 0
    grid = np.zeros((3, n, width), np.int64)
    grid[0, row_of, position] = keys % 10_000
    grid[1, row_of, position] = sums[0]
    grid[2, row_of, position] = sums[1]
    return tuple(list(grid[part].T) for part in range(3)), certain


def _tight_entries(np: Any, joined: str) -> tuple[Any, Any, Any, Any] | None:
    """The entries of plain cells with no space (``YYYY:AMOUNT:AMOUNT``, joined by ``;`` and newlines), read
    from the text's bytes in whole cents: each entry's row, year, taxable and nontaxable cents, in text order.

    The grammar is already checked, so an entry's year is the four digits before its first colon and an
    amount the digits from a colon to the next colon or separator (a point before its last one or two
    digits). None when an amount has more than 13 digits before the point (fromstring's path reads those).
    """
    text = np.frombuffer(joined.encode("ascii"), np.uint8)
    colons = np.flatnonzero(text == ord(":"))
    first, second = colons[0::2], colons[1::2]
    ends = np.append(np.flatnonzero((text == ord(";")) | (text == ord("\n"))), len(text))
    rows = np.searchsorted(np.flatnonzero(text == ord("\n")), first)  # the newlines before each entry

    def digit(at: Any) -> Any:  # the digits' values at positions ``at``
        return text[at].astype(np.int64) - ord("0")

    years = sum(digit(first - 4 + k) * 10 ** (3 - k) for k in range(4))
    cents = []
    for start, end in ((first + 1, second), (second + 1, ends[np.searchsorted(ends, second)])):
        # the byte before an amount is a colon and the one before that a digit: never a point
        two, one = text[end - 3] == ord("."), text[end - 2] == ord(".")
        fraction = np.where(two, digit(end - 2) * 10 + digit(end - 1), np.where(one, digit(end - 1) * 10, 0))
        whole_end = end - np.where(two, 3, np.where(one, 2, 0))
        length = whole_end - start
        longest = int(length.max()) if len(length) else 0
        if longest > 13:
            return None
        dollars = np.zeros(len(start), np.int64)
        for k in range(longest):
            here = k < length
            dollars += np.where(here, digit(np.where(here, whole_end - 1 - k, 0)), 0) * 10**k
        cents.append(dollars * 100 + fraction)
    return rows, years, cents[0], cents[1]


# --- the Roth rollover split and the whole Form 8606 -------------------------------------------------


# The split's and Form 8606's kernels take their columns in another order than the worksheet's
# arguments (and not every valued one), so these two name them.
def _split(c: Mapping[str, Any], ops: Any) -> dict[str, Any]:
    return split.split_columns(
        c["distribution"],
        c["after_tax_basis"],
        c["account_balance"],
        c["to_roth_ira"],
        c["to_traditional"],
        c["rolled_60day_roth"],
        c["rolled_60day_traditional"],
        c["rmd_amount"],
        c["age"],
        c["separated_age_55"],
        ops,
    )


#: Below this, distribution × basis and its doubling stay inside int64 (2^63) in the split's share.
_SPLIT_PRODUCT_BOUND = float(2**61)


def _split_defined(c: Mapping[str, Any]) -> Any:
    """Rows the split's kernels state: a distribution from a balance it fits, no flag the core refuses, and
    no RMD question left open.

    The core refuses an age that may reach the RMD age without ``rmd_amount``, and an ``rmd_amount``
    before it (:func:`rmd.rmd_years_window`); ages given as dates go to the core.
    """
    d, basis, balance, age, rmd_due = (
        c[k] for k in ("distribution", "after_tax_basis", "account_balance", "age", "rmd_amount")
    )
    never = float(rmd.rmd_years_window()[0])
    rmd_ok = (age < 0) | ((age >= never) & (rmd_due >= 0)) | ((age < never) & (rmd_due <= 0))
    refused = c["annuity_payment"] + c["includes_designated_roth"] + c["pre_1987_basis"]  # 1 = yes: refused
    return (d > 0) & (d <= balance) & (d * 1.0 * basis < _SPLIT_PRODUCT_BOUND) & rmd_ok & (refused == 0)


def _form_8606(c: Mapping[str, Any], ops: Any) -> dict[str, Any]:
    return form_8606.form_8606_columns(
        c["converted"],
        c["year_end_value"],
        c["distributions"],
        c["nondeductible_contributions"],
        c["prior_basis"],
        c["late_contributions"],
        c["outstanding_rollovers"],
        ops,
    )


COLUMN_RULES["roth_rollover_split"] = ColumnRule(
    readings=_readings(
        "roth_rollover_split",
        to_roth_ira=MONEY_OR_NONE,  # blank: -1, the kernel's split.DEFAULT (the after-tax share)
        to_traditional=MONEY_OR_NONE,  # blank: the rest
        rmd_amount=MONEY_OR_NONE,  # blank: none given
    ),  # the refusing flags read as FLAG_OR_FALSE: yes is refused by the core (UnsupportedCase)
    kernel=_split,  # its "defined": the destinations and 60-day rollovers fit (else the core's message)
    defined=_split_defined,
)
COLUMN_RULES["form_8606"] = ColumnRule(
    readings=_readings("form_8606"),
    kernel=_form_8606,
    # else the core: no conversion (Part I stops at line 3), or line 4 above line 1 (refused)
    defined=lambda c: (
        (c["converted"] + c["distributions"] > 0) & (c["late_contributions"] <= c["nondeductible_contributions"])
    ),
    places=form_8606.CENTS_PLACES,
)
