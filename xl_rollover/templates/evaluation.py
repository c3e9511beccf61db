"""Template evaluation: the value each output cell stores (computed by the functions Excel calls) and its formula."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xl_rollover.core.registry import FUNCTIONS
from xl_rollover.excel import functions

from .model import EXCEL_EPOCH, PREPARED_LINE, Grid, Input, Output, Table, Template, output_cells


def excel_value(value: Any, kind: str) -> Any:
    """An input as Excel passes it to a function: dates as serial numbers, everything else as is."""
    if kind == "date" and isinstance(value, dt.date):
        return float((value - EXCEL_EPOCH).days)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    return value


def evaluate(template: Template, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every named value: inputs (as Excel passes them) and outputs computed by the project's functions."""
    values: dict[str, Any] = {}
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
                        [values[c.name] if c is not None else None for c in row[c0 : c1 + 1]] for row in out.rows
                    ]
            else:
                values[out.name] = compute(out, values)
    for out in (*template.summary[1:], *template.summary[:1], PREPARED_LINE):  # the sentence reads the figures
        values[out.name] = compute(out, values)
    return values


def _arg(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith(("in_", "out_", "tbl_")):
        return values[value]
    if isinstance(value, tuple):  # an age pair (birth date, distribution date) of names
        return [[_arg(v, values) for v in value]]
    return value


def compute(out: Output, values: dict[str, Any]) -> Any:
    """The value the formula gives (the same Python function Excel calls)."""
    if out.function:
        udf = getattr(functions, out.function)
        arity = len(FUNCTIONS[out.function].params)
        args = [_arg(a, values) for a in out.args] + [None] * (arity - len(out.args))
        output_index = [p.name for p in FUNCTIONS[out.function].params].index("output")
        args[output_index] = out.field
        return udf(*args)
    assert out.py is not None, out.name
    import re

    for name in re.findall(r"\{(\w+)\}", out.formula or ""):
        value = values.get(name)
        if isinstance(value, str) and value.startswith("#"):
            return value.split(" ", 1)[0]  # an error in a referenced cell propagates, as in Excel
    return out.py(values)


def formula(out: Output, template: Template) -> str:
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
