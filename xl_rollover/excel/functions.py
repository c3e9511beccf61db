"""The xl-rollover worksheet functions: one definition each for classic xlwings and xlwings Lite.

Classic (Windows): put ``xl_rollover.excel.functions`` in the add-in's ``UDF Modules`` setting and Import
Functions. Lite (Mac, web, Windows): ``xl-rollover lite DIR`` writes a ``main.py`` that carries
this module and the core. Every function reads ranges as columns of cases, answers bad input with
an error cell (never a traceback) and explains itself with ``output="explain"``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from xl_rollover.core.columns import run_columns
from xl_rollover.core.registry import FUNCTIONS, Function
from xl_rollover.core.rules import early_penalty as _penalty
from xl_rollover.core.rules import form_8606 as _8606

from .adapter import CellError, Spec, error_of, fail, read_table, run


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

#: Every worksheet function's Spec, by Excel name: the registry's entries with their Excel-side column paths.
SPECS: dict[str, Spec] = {}


def excel_function(spec: Spec) -> Callable[[_F], _F]:
    """Attach the spec's description and argument help, in category xl-rollover, with ranges read as 2-D."""

    def decorate(f: _F) -> _F:
        names = list(f.__code__.co_varnames[: f.__code__.co_argcount])
        declared = [p.name for p in spec.params]
        if names != declared or f.__name__ != spec.name:
            raise TypeError(f"{f.__name__}{names} does not match its help {spec.name}{declared}")
        for param in reversed(spec.params):
            f = arg(param.name, ndim=2, err_to_str=True, doc=param.help)(f)
        f = func(category=CATEGORY)(f)
        SPECS[spec.name] = spec
        return f

    return decorate


# --- whole-column calls: the rule's kernel through the one column runner ------------------------


def _kernel_fast(fn: str) -> Callable[[Mapping[str, Sequence[Any]], int], list[dict[str, Any] | None]]:
    """A Spec's lean path: :func:`xl_rollover.core.columns.run_columns`; rows it hands back (None) go to the core."""

    def fast(columns: Mapping[str, Sequence[Any]], n: int) -> list[dict[str, Any] | None]:
        results, failed = run_columns(fn, columns, n)
        if not results:  # every row handed back (the row-by-row runner without numpy)
            return [None] * n
        keys = list(results)
        values = [v.tolist() if hasattr(v, "tolist") else list(v) for v in results.values()]
        rows: list[dict[str, Any] | None] = [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)]
        for i in failed:
            rows[i] = None
        return rows

    return fast


# --- the worksheet functions, made from the registry ------------------------------------------

#: Whole-column paths, by function: the rule's kernel through the column runner (Spec.fast).
FAST: dict[str, tuple[Any, Mapping[str, int]]] = {
    "PRORATA_TAXABLE": (_kernel_fast("prorata_taxable"), _8606.CENTS_PLACES),
    "EARLY_PENALTY": (_kernel_fast("early_penalty"), _penalty.CENTS_PLACES),
    # limits by year, RMD, SEPP: whole-number fields (years, ages) at 0 places, the rest cents or objects
    "MEGA_BACKDOOR_ROOM": (_kernel_fast("mega_backdoor_room"), {}),
    "ROTH_IRA_LIMIT": (_kernel_fast("roth_ira_contribution_limit"), {}),
    "IRA_DEDUCTION_LIMIT": (_kernel_fast("traditional_ira_deduction_limit"), {}),
    "IRS_LIMIT": (_kernel_fast("irs_limit"), {"year": 0}),
    "RMD": (_kernel_fast("required_minimum_distribution"), {"first_rmd_year": 0, "age": 0}),
    "SEPP_PAYMENT": (_kernel_fast("sepp_payment"), {"age": 0}),
}


def _roth_prepare(by_name: dict[str, Any], extras: dict[str, Any]) -> None:
    extras["conversions"] = read_table(
        by_name["conversions"], "conversions", 3, ("year", "taxable part", "nontaxable part")
    )


#: Arguments read as a whole table before the cases are split, by function.
PREPARE: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {
    "ROTH_IRA_DISTRIBUTION": _roth_prepare,
    "ROTH_PENALTY_FREE": _roth_prepare,
}


def worksheet_function(entry: Function) -> Callable[..., Any]:
    """The registry entry as a worksheet function with a real Python signature (xlwings reads its names).

    Arguments take no default up to the first optional one (Excel's required arguments), ``None`` after.
    """
    fast, places = FAST.get(entry.name, (None, {}))
    spec = Spec(entry.name, entry.params, entry.call, entry.default_output, fast=fast, fast_places=places)
    names = [p.name for p in entry.params]
    if not all(name.isidentifier() for name in names) or not entry.name.isidentifier():
        raise TypeError(f"{entry.name}: argument names must be Python identifiers")
    required = 0
    while required < len(entry.params) and entry.params[required].required:
        required += 1
    signature = ", ".join(names[:required] + [f"{name}=None" for name in names[required:]])
    source = f"def {entry.name}({signature}):\n    return _run(_spec, ({', '.join(names)},), _prepare)\n"
    namespace: dict[str, Any] = {"_run": run, "_spec": spec, "_prepare": PREPARE.get(entry.name)}
    exec(compile(source, f"<worksheet function {entry.name}>", "exec"), namespace)
    f = namespace[entry.name]
    f.__doc__ = entry.description
    f.__module__ = __name__
    return excel_function(spec)(f)


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
