"""Values between LibreOffice Calc and the worksheet functions; runs inside LibreOffice's own Python.

Every call from LibreOffice ends here, through the Calc add-in's methods (array formulas call them
directly, cell formulas through a Basic function of the same name). Calc hands ranges over as tuples
of tuples and blank cells as ``""`` (from Basic) or ``None``; the functions take what xlwings passes:
2-D lists and ``None``. Nothing may raise into LibreOffice (an uncaught Python exception in a bridge
can hang the headless process), so any failure comes back as ``#VALUE!`` text; the add-in marks
every error text (:func:`call_addin`), which :mod:`xl_rollover.engines.recalc` reads back as the cell's
error and message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xl_rollover.core.serial_dates import serial


def _arg(value: Any) -> Any:
    """One argument as xlwings would pass it: ranges as 2-D lists, blanks as None."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, tuple):
        return [[_cell_in(v) for v in row] if isinstance(row, tuple) else _cell_in(row) for row in value]
    return value


def _cell_in(value: Any) -> Any:
    return None if isinstance(value, str) and value == "" else value


def _cell_out(value: Any) -> Any:
    """One result value as a Calc cell value: blanks as "", dates as serial numbers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return float(serial(value))
    return value


#: Marks an error going back to Calc, which takes no error value from an add-in: ``"\ue000#N/A message"``
#: (a private-use character, Unicode §23.5), so :mod:`xl_rollover.engines.recalc` tells our functions'
#: errors from a text result that spells an error code.
ERROR_MARK = "\ue000"


def _error(exc: BaseException) -> str:
    return f"#VALUE! bridge: {type(exc).__name__}: {exc}"


def call(name: str, args: tuple[Any, ...]) -> Any:
    """Call worksheet function ``name``: a single value, or a tuple of row tuples for an array result."""
    try:
        from xl_rollover.excel import functions

        result = getattr(functions, name)(*[_arg(v) for v in args])
        if isinstance(result, list):
            return tuple(tuple(_cell_out(v) for v in row) for row in result)
        return _cell_out(result)
    except BaseException as exc:  # never let an exception reach LibreOffice
        return _error(exc)


def _number_for_bool(value: Any) -> Any:
    return float(value) if isinstance(value, bool) else value


def call_matrix(name: str, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], ...]:
    """:func:`call` for the add-in, whose methods return ``sequence<sequence<any>>``: always rows of cells.

    Calc has no boolean cell value and misreads a boolean inside an add-in's array (FALSE came back
    as 1), so TRUE and FALSE come back as 1 and 0, the numbers Calc stores for them.
    """
    result = call(name, args)
    if isinstance(result, tuple):
        return tuple(tuple(_number_for_bool(v) for v in row) for row in result) if result else (("",),)
    return ((_number_for_bool(result),),)


def call_addin(name: str, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], ...]:
    """:func:`call_matrix` as the add-in returns it to Calc: each error text marked with :data:`ERROR_MARK`."""
    try:
        from xl_rollover.excel.adapter import EXCEL_ERRORS

        rows = call_matrix(name, args)
        return tuple(
            tuple(ERROR_MARK + v if isinstance(v, str) and v.split(" ", 1)[0] in EXCEL_ERRORS else v for v in row)
            for row in rows
        )
    except BaseException as exc:  # never let an exception reach LibreOffice
        return ((ERROR_MARK + _error(exc),),)
