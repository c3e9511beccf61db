"""The xl-rollover worksheet functions: one definition each for classic xlwings and xlwings Lite.

Classic (Windows): put ``xl_rollover.excel.functions`` in the add-in's ``UDF Modules`` setting and Import
Functions. Lite (Mac, web, Windows): ``xl-rollover lite DIR`` writes a ``main.py`` that carries
this module and the core. Every function reads ranges as columns of cases, answers bad input with
an error cell (never a traceback) and explains itself with ``output="explain"``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

from xl_rollover.core.registry import FUNCTIONS, Function

from .adapter import CellError, error_of, fail, run, table_reader


def _plain_func(f: Any = None, **_kwargs: Any) -> Any:
    return f if f is not None else (lambda g: g)


def _plain_arg(_name: str, *_args: Any, **_kwargs: Any) -> Any:
    return lambda g: g


# xlwings attaches Excel metadata for its two hosts: classic xlwings (Windows, which imports xlwings
# before the UDF module) and Lite (Pyodide). Headless (calc, the LibreOffice bridge, batch on Linux)
# the functions stay plain Python and do not pay xlwings' import (0.7 s: it imports pandas).
func: Any = _plain_func
arg: Any = _plain_arg
if sys.platform in ("win32", "emscripten") or "xlwings" in sys.modules:
    try:
        import xlwings as _xlwings

        func, arg = _xlwings.func, _xlwings.arg
    except ImportError:  # pragma: no cover - exercised where xlwings is absent
        pass


CATEGORY = "xl-rollover"
_F = TypeVar("_F", bound=Callable[..., Any])

#: Every worksheet function's registry entry, by Excel name (whole-column calls: adapter.column_rule).
SPECS: dict[str, Function] = {}


def excel_function(entry: Function) -> Callable[[_F], _F]:
    """Attach the entry's description and argument help, in category xl-rollover, with ranges read as 2-D."""

    def decorate(f: _F) -> _F:
        names = list(f.__code__.co_varnames[: f.__code__.co_argcount])
        declared = [p.name for p in entry.params]
        if names != declared or f.__name__ != entry.name:
            raise TypeError(f"{f.__name__}{names} does not match its help {entry.name}{declared}")
        for param in reversed(entry.params):
            f = arg(param.name, ndim=2, err_to_str=True, doc=param.help)(f)
        f = func(category=CATEGORY)(f)
        SPECS[entry.name] = entry
        return f

    return decorate


# --- the worksheet functions, made from the registry ------------------------------------------


def worksheet_function(entry: Function) -> Callable[..., Any]:
    """The registry entry as a worksheet function with a real Python signature (xlwings reads its names).

    Arguments take no default up to the first optional one (Excel's required arguments), ``None`` after.
    """
    names = [p.name for p in entry.params]
    if not all(name.isidentifier() for name in names) or not entry.name.isidentifier():
        raise TypeError(f"{entry.name}: argument names must be Python identifiers")
    required = 0
    while required < len(entry.params) and entry.params[required].required:
        required += 1
    signature = ", ".join(names[:required] + [f"{name}=None" for name in names[required:]])
    source = f"def {entry.name}({signature}):\n    return _run(_spec, ({', '.join(names)},), _prepare)\n"
    namespace: dict[str, Any] = {"_run": run, "_spec": entry, "_prepare": table_reader(entry)}
    exec(compile(source, f"<worksheet function {entry.name}>", "exec"), namespace)
    f = namespace[entry.name]
    f.__doc__ = entry.description
    f.__module__ = __name__
    return excel_function(entry)(f)


ROTH_ROLLOVER_SPLIT = worksheet_function(FUNCTIONS["ROTH_ROLLOVER_SPLIT"])
PRORATA_TAXABLE = worksheet_function(FUNCTIONS["PRORATA_TAXABLE"])
FORM_8606 = worksheet_function(FUNCTIONS["FORM_8606"])
EARLY_PENALTY = worksheet_function(FUNCTIONS["EARLY_PENALTY"])
ROTH_IRA_DISTRIBUTION = worksheet_function(FUNCTIONS["ROTH_IRA_DISTRIBUTION"])
ROTH_PENALTY_FREE = worksheet_function(FUNCTIONS["ROTH_PENALTY_FREE"])
MEGA_BACKDOOR_ROOM = worksheet_function(FUNCTIONS["MEGA_BACKDOOR_ROOM"])
ROTH_IRA_LIMIT = worksheet_function(FUNCTIONS["ROTH_IRA_LIMIT"])
IRA_DEDUCTION_LIMIT = worksheet_function(FUNCTIONS["IRA_DEDUCTION_LIMIT"])
RMD = worksheet_function(FUNCTIONS["RMD"])
SEPP_PAYMENT = worksheet_function(FUNCTIONS["SEPP_PAYMENT"])
IRS_LIMIT = worksheet_function(FUNCTIONS["IRS_LIMIT"])
if list(SPECS) != list(FUNCTIONS):  # a registry entry without its line above (or the other way round)
    raise TypeError(f"worksheet functions {list(SPECS)} differ from the registry {list(FUNCTIONS)}")


__all__ = [
    "EARLY_PENALTY",
    "FORM_8606",
    "IRA_DEDUCTION_LIMIT",
    "IRS_LIMIT",
    "MEGA_BACKDOOR_ROOM",
    "PRORATA_TAXABLE",
    "RMD",
    "ROTH_IRA_DISTRIBUTION",
    "ROTH_IRA_LIMIT",
    "ROTH_PENALTY_FREE",
    "ROTH_ROLLOVER_SPLIT",
    "SEPP_PAYMENT",
    "SPECS",
    "CellError",
    "error_of",
    "fail",
]
