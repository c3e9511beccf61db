"""Template evaluation: the value each output cell stores (computed by the functions Excel calls) and its formula.

A plain formula's value is its Python mirror (``Output.py``), read as Excel reads the formula: an error value in a
cell the formula always reads is the formula's value; a cell read only inside a branch of IF, CHOOSE or IFERROR
(or under ISERROR and its kind) stops the mirror only if the mirror reads it, so a branch Excel does not take
passes no error on (``IF(paychecks>0, room/paychecks, 0)`` is 0 with 0 paychecks, whatever the room).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xl_rollover.core.registry import FUNCTIONS
from xl_rollover.core.serial_dates import serial
from xl_rollover.excel import functions

from .model import NOT_POSSIBLE, PREPARED_LINE, Grid, Input, Output, Table, Template, output_cells


def excel_value(value: Any, kind: str) -> Any:
    """An input as Excel passes it to a function: dates as serial numbers, everything else as is."""
    if kind == "date" and isinstance(value, dt.date):
        return float(serial(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    return value


def _error(value: Any) -> str | None:
    """The Excel error code a value holds (the functions give it with their reason after a space), or None."""
    return value.split(" ", 1)[0] if isinstance(value, str) and value.startswith("#") else None


class ErrorValue(Exception):
    """A plain formula's mirror read a cell holding an error value: the formula's value is that error."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Cells(dict[str, Any]):
    """The named values as a plain formula's mirror reads them: reading an error value raises :class:`ErrorValue`
    (Excel's formula then has that error), reading any other value gives it. :meth:`raw` reads without stopping."""

    def __getitem__(self, name: str) -> Any:
        value = dict.__getitem__(self, name)
        code = _error(value)
        if code is not None:
            raise ErrorValue(code)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def raw(self, name: str) -> Any:
        return dict.__getitem__(self, name)


#: Excel functions that evaluate an argument only when its branch is taken (from this argument on), or that
#: catch an error value in it: a cell read there does not make the formula an error by itself.
_LAZY_FROM = {"IF": 1, "CHOOSE": 1, "IFERROR": 0, "IFNA": 0}
_LAZY_FROM |= dict.fromkeys(("ISERROR", "ISERR", "ISNA", "ISNUMBER", "ISTEXT", "ISBLANK", "ISLOGICAL"), 0)
_TOKEN = re.compile(r'"(?:[^"]|"")*"|\{(\w+)\}|([A-Z][A-Z0-9.]*)\(|\(|\)|,')


def always_read(formula: str) -> list[str]:
    """The names a plain formula (``{name}`` placeholders) reads whichever way its IFs go, in the formula's order."""
    frames: list[list[Any]] = []  # [function name, argument index] of each open parenthesis
    found: dict[str, None] = {}
    for m in _TOKEN.finditer(formula):
        token = m.group(0)
        if m.group(1):
            if not any(f[0] in _LAZY_FROM and f[1] >= _LAZY_FROM[f[0]] for f in frames):
                found[m.group(1)] = None
        elif m.group(2) or token == "(":
            frames.append([m.group(2) or "", 0])
        elif token == ")" and frames:
            frames.pop()
        elif token == "," and frames:
            frames[-1][1] += 1
    return list(found)


def evaluate(template: Template, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every named value: inputs (as Excel passes them) and outputs computed by the project's functions."""
    values = Cells()
    for _, items in template.inputs:
        for item in items:
            if isinstance(item, Table):
                rows = [list(r) + [None] * (len(item.columns) - len(r)) for r in item.rows]
                rows += [[None] * len(item.columns)] * (item.height - len(rows))
                table = [
                    [excel_value(v, (item.kinds or ("number",) * len(item.columns))[i]) for i, v in enumerate(r)]
                    for r in rows
                ]
                values[f"tbl_{item.name}"] = (overrides or {}).get(f"tbl_{item.name}", table)
            else:
                raw = (overrides or {}).get(item.name, item.value)
                values[item.name] = excel_value(raw, item.kind)
    for _, outs in template.outputs:
        for out in outs:
            if isinstance(out, Grid):
                for row in out.rows:
                    for cell in row:
                        if cell is not None:
                            values[cell.name] = compute(cell, values)
                for name, c0, c1 in out.ranges:
                    values[name] = [
                        [values.raw(c.name) if c is not None else None for c in row[c0 : c1 + 1]] for row in out.rows
                    ]
            else:
                values[out.name] = compute(out, values)
    for out in (*template.summary[1:], *template.summary[:1], PREPARED_LINE):  # the sentence reads the figures
        values[out.name] = compute(out, values)
    return dict(values.items())


def _arg(value: Any, values: Cells) -> Any:
    if isinstance(value, str) and value.startswith(("in_", "out_", "tbl_")):
        return values.raw(value)  # Excel passes a function its argument's value, an error value too
    if isinstance(value, tuple):  # an age pair (birth date, distribution date) of names
        return [[_arg(v, values) for v in value]]
    return value


def compute(out: Output, values: dict[str, Any]) -> Any:
    """The value the formula gives (the same Python function Excel calls; a plain formula's mirror, read lazily)."""
    cells = values if isinstance(values, Cells) else Cells(values)
    if out.gate is not None:
        try:
            if cells[out.gate] != "yes":
                return NOT_POSSIBLE
        except ErrorValue as error:
            return error.code
    if out.function:
        udf = getattr(functions, out.function)
        arity = len(FUNCTIONS[out.function].params)
        args = [_arg(a, cells) for a in out.args] + [None] * (arity - len(out.args))
        output_index = [p.name for p in FUNCTIONS[out.function].params].index("output")
        args[output_index] = out.field
        return udf(*args)
    assert out.py is not None, out.name
    try:
        for name in always_read(out.formula or ""):
            if name in cells:
                cells[name]  # an error in a cell the formula always reads is the formula's value, as in Excel
        return out.py(cells)
    except ErrorValue as error:
        return error.code


def formula(out: Output, template: Template) -> str:
    """The cell's formula as written in the workbook (``=...``, defined names for the placeholders)."""
    text = _formula(out, template)
    return f'=IF({out.gate}="yes",{text[1:]},"{NOT_POSSIBLE}")' if out.gate else text


def _formula(out: Output, template: Template) -> str:
    if out.function:
        params = [p.name for p in FUNCTIONS[out.function].params]
        args: list[str] = []
        given = list(out.args) + [None] * (len(params) - len(out.args))
        given[params.index("output")] = out.field
        for value in given:
            if value is None:
                args.append("")
            elif isinstance(value, tuple):
                raise ValueError("age pairs are passed as a named 2-cell range")
            elif isinstance(value, str) and value.startswith(("in_", "out_", "tbl_")):
                args.append(value)
            elif isinstance(value, str):
                args.append('"' + value.replace('"', '""') + '"')
            elif isinstance(value, bool):
                args.append("TRUE" if value else "FALSE")
            else:
                args.append(repr(value))
        while args and args[-1] == "":
            args.pop()
        return f"={out.function}({','.join(args)})"
    assert out.formula is not None
    return "=" + out.formula.format(**{k: k for k in _all_names(template)})


def _all_names(template: Template) -> list[str]:
    names = [i.name for _, items in template.inputs for i in items if isinstance(i, Input)]
    names += [f"tbl_{t.name}" for _, items in template.inputs for t in items if isinstance(t, Table)]
    names += [c for _, items in template.inputs for t in items if isinstance(t, Table) for c in t.column_names()]
    names += [o.name for o in output_cells(template)]
    names += [name for _, outs in template.outputs for g in outs if isinstance(g, Grid) for name, _, _ in g.ranges]
    return names
