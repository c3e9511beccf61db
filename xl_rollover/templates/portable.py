"""The portable flavour: the templates with every figure a plain formula of Excel's built-in functions.

``workbooks/portable/<file>`` has the same sheets, cells and defined names as the add-in flavour
(``workbooks/<file>``); each cell that calls an xl-rollover function there holds instead the rule
stated in built-in functions (:mod:`xl_rollover.templates.excel_formulas`), with the same stored value (the core's).
So the file computes in any spreadsheet (Excel, LibreOffice, Google Sheets) with no add-in and no
Python. A figure that plain formulas cannot state is a visible note in that cell (:data:`NOTES`).

calcPr: the same as the add-in flavour (:func:`xl_rollover.engines.ooxml.keep_stored_values`, no ``fullCalcOnLoad``).
A full recalculation on load would be harmless here (no function is missing), but it is not needed:
the stored values are the core's and the formulas give the same figures (tests/test_portable.py), and
without it Excel does not mark an untouched file changed (asking to save on close) and one rule
covers every template file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from xl_rollover.core.serial_dates import serial
from xl_rollover.excel import functions

from . import build, evaluation
from .excel_formulas import EXCEPTION_SHEET, ROOM_LIMITS, STATEMENTS, ExceptionsSheet, LimitsSheet
from .model import NOT_POSSIBLE, Grid, Output, Table, Template

FOLDER = build.HERE / "portable"

#: Templates whose every function call has a plain-formula statement (the others are not built yet).
PORTABLE_FILES = (
    "backdoor_roth_prorata.xlsx",
    "mega_backdoor_separation.xlsx",
    "in_service_after_tax_rollovers.xlsx",
    "mega_backdoor_room.xlsx",
    "early_withdrawal.xlsx",
    "roth_ira_withdrawal.xlsx",
)

#: Cells a plain formula cannot state, by template file: name -> the note shown in that cell's place.
NOTES: dict[str, dict[str, str]] = {}

#: What the Instructions sheet says about recalculation in the portable flavour (replaces the channel steps).
PORTABLE_STEPS = (
    "This is the portable flavour: every figure is a formula of the spreadsheet's own functions, so it recalculates "
    "in Excel, LibreOffice or Google Sheets with no add-in and no Python. Type the client's facts into the yellow "
    "cells and the figures follow.",
    f"Amounts above {build.MAX_AMOUNT:,.0f} are beyond the add-in's range; amounts above 100,000,000 are beyond this "
    "flavour's exact range: such a cell says so in words instead of a figure.",
    "The add-in flavour of this template (same sheets and cells) also explains each figure rule by rule; it needs the "
    "xl-rollover functions (see the project's README, 'Use it in Excel').",
    "Checked on Linux only (LibreOffice and the formulas engine): not yet checked in Microsoft Excel itself.",
)


#: Sheets of law as data a portable file adds after the add-in flavour's sheets, by template file.
LIMITS_SHEETS: dict[str, tuple[LimitsSheet | ExceptionsSheet, ...]] = {
    "mega_backdoor_room.xlsx": (ROOM_LIMITS,),
    "early_withdrawal.xlsx": (EXCEPTION_SHEET,),
}


def write_sheet(wb: Any, table: LimitsSheet | ExceptionsSheet, formats: dict[str, Any] | None = None) -> None:
    """Write one sheet of law as data (:data:`LIMITS_SHEETS`) into ``wb``."""
    if isinstance(table, ExceptionsSheet):
        write_exceptions(wb, table, formats)
    else:
        write_limits(wb, table, formats)


def write_exceptions(wb: Any, table: ExceptionsSheet, formats: dict[str, Any] | None = None) -> None:
    """Write the §72(t)(2) exceptions (Form 5329 line 2 numbers, where each applies, how its amount reads, its
    cap) and the caps and rates by year as a protected sheet, laid out as :class:`ExceptionsSheet` reads it."""
    from xl_rollover.core import limits

    from .excel_formulas import _role

    f = formats or {}
    ws = wb.add_worksheet(table.name)
    ws.write(
        0,
        0,
        "The §72(t)(2) exceptions the formulas read: Form 5329 line 2 number, where each applies (1 = yes), how its "
        "amount reads (part: the part it covers, or all; expenses: the expenses given; capped: up to the cap; balance: "
        "up to the cap or the balance share of the vested balance over the balance floor), then the caps, shares, "
        "floors and rates by year",
        f.get("title"),
    )
    ws.write_row(1, 0, [*table.HEAD, *table.accounts(), "authority"], f.get("table_h"))
    for r, e in enumerate(table.rows(), start=2):
        ws.write_string(r, 0, e.number)
        ws.write_string(r, 1, e.key)
        ws.write_string(r, 2, _role(e))
        names = {"cap": e.cap_parameter, "balance share": e.balance_share_parameter}
        for heading, name in (names | {"balance floor": e.balance_floor_parameter}).items():
            if name:
                ws.write_string(r, table.HEAD.index(heading), name)
        if e.distributions_after is not None:
            ws.write_number(
                r, table.HEAD.index("distributions after"), serial(e.distributions_after), f.get("out_date")
            )
        ws.write_number(r, table.HEAD.index("needs 59½"), 1 if e.needs_age_59_5 else 0)
        for c, account in enumerate(table.accounts(), start=len(table.HEAD)):
            ws.write_number(r, c, 1 if e.applies_to(account) else 0)
        ws.write_string(r, len(table.HEAD) + len(table.accounts()), e.citation)
    top = table.caps_top() - 2  # 0-based row of the caps block's headings
    ws.write_row(top, 0, ["key", "limit", "year", "value", "source"], f.get("table_h"))
    for i, (name, year) in enumerate(table.caps(), start=1):
        row = limits.lookup(name, year)
        ws.write_string(top + i, 0, f"{name}|{year if year is not None else ''}")
        ws.write_string(top + i, 1, name)
        if year is not None:
            ws.write_number(top + i, 2, year)
        ws.write_number(top + i, 3, float(row.value))
        ws.write_string(top + i, 4, row.source)
    ws.set_column(0, 0, 34)
    ws.set_column(1, len(table.HEAD) - 1, 14)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def write_limits(wb: Any, table: LimitsSheet, formats: dict[str, Any] | None = None) -> None:
    """Write ``table`` as a protected sheet of ``wb``: the years' limits with their sources, then the constants,
    laid out as :class:`~xl_rollover.templates.excel_formulas.LimitsSheet` addresses them (values from the core's table)."""
    from xl_rollover.core import limits

    f = formats or {}
    ws = wb.add_worksheet(table.name)
    ws.write(0, 0, "Limits the formulas read, by year (IRS notices; the statute where fixed)", f.get("title"))
    headings = ["year", *(h for _, h in table.columns), "source"]
    ws.write_row(1, 0, headings, f.get("table_h"))
    for r, year in enumerate(table.years(), start=2):
        ws.write_number(r, 0, year)
        sources: list[str] = []
        for c, (name, _) in enumerate(table.columns, start=1):
            if year in limits.years_for(name):
                row = limits.lookup(name, year)
                ws.write_number(r, c, float(row.value))
                sources.append(row.source)
        ws.write_string(r, len(headings) - 1, " | ".join(dict.fromkeys(sources)))
    top = 2 + len(table.years()) + 1
    if table.constants:
        ws.write_row(top, 0, ["constant", "value", "source"], f.get("table_h"))
        for i, (name, label) in enumerate(table.constants, start=1):
            row = limits.lookup(name, None)
            ws.write_string(top + i, 0, label)
            ws.write_number(top + i, 1, float(row.value))
            ws.write_string(top + i, 2, row.source)
    ws.set_column(0, 0, 30)
    ws.set_column(1, len(table.columns), 16)
    ws.set_column(len(headings) - 1, len(headings) - 1, 80)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _extra(file: str) -> Callable[[Any, dict[str, Any]], None] | None:
    """What :func:`xl_rollover.templates.build.write` adds to ``file``: its sheets of limits, if any."""
    tables = LIMITS_SHEETS.get(file, ())

    def add(wb: Any, formats: dict[str, Any]) -> None:
        for table in tables:
            write_sheet(wb, table, formats)

    return add if tables else None


def _ranges(template: Template) -> dict[str, list[list[str | None]]]:
    """Named grid rectangles -> the names of their cells (row by row), so a statement can read each cell."""
    found: dict[str, list[list[str | None]]] = {}
    for _, outs in template.outputs:
        for out in outs:
            if isinstance(out, Grid):
                for name, c0, c1 in out.ranges:
                    found[name] = [[c.name if c else None for c in row[c0 : c1 + 1]] for row in out.rows]
    return found


def _expr(value: Any) -> str | None:
    """An argument as a formula expression: a defined name as ``{name}``, a literal as Excel writes it."""
    if value is None:
        return None
    if isinstance(value, str) and value.startswith(("in_", "out_", "tbl_")):
        return "{" + value + "}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def statement(out: Output, template: Template) -> str:
    """The plain formula (``{name}`` placeholders, no ``=``) for a cell that calls a project function."""
    assert out.function is not None
    params = [p.name for p in functions.SPECS[out.function].params]
    args: dict[str, Any] = {p: _expr(v) for p, v in zip(params, out.args, strict=False)}
    args["_ranges"] = _ranges(template)
    args["_tables"] = {f"tbl_{t.name}": t.height for _, items in template.inputs for t in items if isinstance(t, Table)}
    return STATEMENTS[out.function](args, out.field)


def _note(text: str) -> Output:
    return Output("", "", formula='"' + text.replace('"', '""') + '"', py=lambda v: text, fmt="text")


def portable(template: Template) -> Template:
    """The template with each function call replaced by its plain-formula statement (values still the core's)."""
    notes = NOTES.get(template.file, {})

    def swap(out: Output) -> Output:
        if out.name in notes:
            note = notes[out.name]
            return replace(out, function=None, args=(), field=None, formula=_note(note).formula, py=lambda v: note)
        if not out.function:
            return out
        original = out
        text = statement(out, template)
        read = tuple(dict.fromkeys(re.findall(r"\{(\w+)\}", text)))

        def value(v: dict[str, Any]) -> Any:
            for name in read:  # an error in any cell the statement reads is its value (the refusals read them all)
                if name in v:
                    v[name]
            return evaluation.compute(original, v)

        return replace(out, function=None, args=(), field=None, formula=text, py=value)

    def portable_cell(out: Output) -> Output:
        return gated(swap(out))

    outputs = []
    for group, outs in template.outputs:
        swapped: list[Output | Grid] = []
        for out in outs:
            if isinstance(out, Grid):
                rows = tuple(tuple(portable_cell(c) if c is not None else None for c in row) for row in out.rows)
                swapped.append(replace(out, rows=rows))
            else:
                swapped.append(portable_cell(out))
        outputs.append((group, tuple(swapped)))
    return replace(template, outputs=tuple(outputs), summary=tuple(portable_cell(o) for o in template.summary))


def gated(out: Output) -> Output:
    """A plain-formula cell with its gate written into the formula (``IF({gate}="yes", ..., "not possible")``)."""
    if out.gate is None:
        return out
    assert out.formula is not None and out.py is not None, out.name
    return replace(
        out,
        formula=f'IF({{{out.gate}}}="yes",{out.formula},"{NOT_POSSIBLE}")',
        py=lambda v: evaluation.compute(out, v),
        gate=None,
    )


def templates() -> list[Template]:
    """The portable templates built so far (:data:`PORTABLE_FILES`)."""
    from .specs import TEMPLATES

    return [portable(t) for t in TEMPLATES if t.file in PORTABLE_FILES]


def build_all(folder: Path = FOLDER) -> list[Path]:
    """Write every portable template into ``folder`` (reproducibly, as the add-in flavour)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [build.write(t, folder, steps=PORTABLE_STEPS, extra=_extra(t.file)) for t in templates()]


_CALL = re.compile(r"([A-Z][A-Z0-9.]*)\(")


def function_names(text: str) -> set[str]:
    """The function names a formula calls (outside string literals)."""
    return {m.group(1) for part in text.split('"')[::2] for m in _CALL.finditer(part)}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    for written in build_all(Path(args[0]) if args else FOLDER):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    from xl_rollover.templates.portable import main as package_main

    sys.exit(package_main())
