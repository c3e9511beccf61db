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
numpy arrays from a table (a NaN in a float array is a missing value, blank).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .age import MAX_AGE
from .money import MAX_AMOUNT, MAX_CENTS, SCALAR, plain_cents
from .rules import early_penalty, form_8606

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


@dataclass(frozen=True)
class ColumnRule:
    """A public function's column form: how each argument column is read, the kernel, its units."""

    readings: Mapping[str, str]  # argument name -> reading (missing columns are blank)
    kernel: Callable[[Mapping[str, Any], Any], dict[str, Any]]  # parsed columns, ops -> flat fields
    defined: Callable[[Mapping[str, Any]], Any] | None = None  # rows the kernel states (others: the core)
    places: Mapping[str, int] = field(default_factory=dict)  # places of fields that are not cents


def _prorata(c: Mapping[str, Any], ops: Any) -> dict[str, Any]:
    return form_8606.prorata_columns(
        c["converted"], c["basis"], c["year_end_value"], c["distributions"], c["outstanding_rollovers"], ops
    )


def _penalty(c: Mapping[str, Any], ops: Any) -> dict[str, Any]:
    return early_penalty.penalty_columns(c["taxable_amount"], c["age"], ops)


#: The functions with a column form, by the core's name.
COLUMN_RULES: dict[str, ColumnRule] = {
    "prorata_taxable": ColumnRule(
        readings={
            "converted": MONEY,
            "basis": MONEY,
            "year_end_value": MONEY,
            "distributions": MONEY_OR_BLANK,
            "outstanding_rollovers": MONEY_OR_BLANK,
            "ratio_decimals": THREE_OR_BLANK,  # line 10 at Form 8606's 3 places (int64 bound: see the kernel)
        },
        kernel=_prorata,
        defined=lambda c: c["converted"] + c["distributions"] > 0,  # else the core: nothing to prorate
        places=form_8606.CENTS_PLACES,
    ),
    "early_penalty": ColumnRule(
        readings={
            "taxable_amount": MONEY,
            "age": YEARS,
            "account_type": TEN_PERCENT_ACCOUNT,
            **dict.fromkeys(
                (
                    "exception",
                    "exception_amount",
                    "tax_year",
                    "simple_first_two_years",
                    "exception_count",
                    "first_home_used",
                ),
                BLANK,
            ),
        },
        kernel=_penalty,
        places=early_penalty.CENTS_PLACES,
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
        return float(value) if _PLAIN_YEARS.fullmatch(value) else None
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
        three = (type(value) in (int, float) and value == 3) or (type(value) is str and value == "3")
        return None, is_blank(value) or three
    if reading == TEN_PERCENT_ACCOUNT:
        plain = type(value) is str and value.strip().upper() in early_penalty.TEN_PERCENT_ACCOUNTS
        return None, is_blank(value) or plain
    raise ValueError(f"unknown reading {reading}")  # pragma: no cover - a defect in COLUMN_RULES


# --- reading a numpy column at once ------------------------------------------------------------


def _read_array(np: Any, column: Any, reading: str, n: int) -> tuple[Any, Any] | None:
    """A numeric numpy column read at once: (values, certain), or None to read it cell by cell."""
    kind = column.dtype.kind
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
            return None, missing | (values == 3)
        if reading == TEN_PERCENT_ACCOUNT:
            return None, missing
    raise ValueError(f"unknown reading {reading}")  # pragma: no cover


class _NumpyOps:
    """numpy's element operations for the kernels (see :class:`xl_rollover.core.money.ScalarOps`)."""

    def __init__(self, np: Any) -> None:
        self.where = np.where
        self.minimum = np.minimum


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # xlwings Lite without numpy: the same kernel, row by row
        return None
    return numpy


def run_columns(fn: str, columns: Mapping[str, Sequence[Any]], n: int) -> tuple[dict[str, Any], list[int]]:
    """Run ``fn``'s kernel over ``n`` rows of raw argument columns: (flat result columns, rows handed back).

    Result columns hold integer units (cents; :attr:`ColumnRule.places` for the others) as numpy
    arrays, or lists without numpy; a handed-back row's values are meaningless there.
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
        read = _read_array(np, column, reading, len(column)) if isinstance(column, np.ndarray) else None
        if read is None:
            cells = [_read_cell(v, reading) for v in (column[:1] if len(column) == 1 else column)]
            kept = [v for v, _ in cells]
            certain = np.fromiter((c for _, c in cells), bool, len(cells))
            dtype = np.float64 if reading == YEARS else np.int64
            read = (np.array(kept, dtype=dtype) if reading in _VALUED else None, certain)
        values, certain = read
        if len(certain) == 1 and n != 1:
            certain = np.broadcast_to(certain, (n,))
            values = None if values is None else np.broadcast_to(values, (n,))
        ok &= certain
        parsed[name] = values
    if rule.defined is not None:
        ok &= np.asarray(rule.defined(parsed), bool)
    results = rule.kernel(parsed, _NumpyOps(np))
    results = {k: (np.broadcast_to(v, (n,)) if np.ndim(v) == 0 else v) for k, v in results.items()}
    return results, np.flatnonzero(~ok).tolist()


def _run_rows(rule: ColumnRule, columns: Mapping[str, Sequence[Any]], n: int) -> tuple[dict[str, Any], list[int]]:
    """Without numpy: each row's cells read and the kernel run on Python ints."""
    results: dict[str, list[Any]] = {}
    failed: list[int] = []
    for i in range(n):
        row: dict[str, Any] = {}
        certain = True
        for name, reading in rule.readings.items():
            column = columns.get(name) or [None]
            value, ok = _read_cell(column[0] if len(column) == 1 else column[i], reading)
            row[name] = value
            certain = certain and ok
        if certain and (rule.defined is None or rule.defined(row)):
            flat = rule.kernel(row, SCALAR)
        else:
            failed.append(i)
            flat = {}
        for key, value in flat.items():
            results.setdefault(key, [None] * n)[i] = value
    return results, failed
