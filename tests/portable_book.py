"""Generated clients of a portable template in one workbook, one client a row, and the check against the core.

For the portable templates with input tables (an age pair, conversion layers) and sheets of limits: each
client's tables sit in a block of their own on a Tables sheet (so ``INDEX(tbl,r,c)`` and per-column
ranges read them as on the Plan sheet), and the portable file's limits sheets are written as the build
writes them (:func:`xl_rollover.templates.portable.write_limits`). The core's answer for each client is
:func:`xl_rollover.templates.evaluation.evaluate` (the same functions Excel calls); what the portable flavour says in
words instead (a year its Limits sheet lacks) is mapped by :func:`portable_expected`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import xlsxwriter

from tests.test_portable import _order, _same
from xl_rollover.core.serial_dates import serial
from xl_rollover.engines import recalc
from xl_rollover.templates import evaluation, portable
from xl_rollover.templates.excel_formulas import NO_YEAR, TOO_LARGE
from xl_rollover.templates.model import Grid, Input, Output, Table, Template, output_cells

#: Where the core's UnknownYear message starts (``xl_rollover.core.limits.lookup``): the portable cell says NO_YEAR.
UNKNOWN_YEAR = re.compile(r"^#VALUE! year \d+ is not in the limits table")


def _cell(ws: Any, r: int, c: int, value: Any, kind: str, blank_format: Any = None) -> None:
    if value is None:
        if blank_format is not None:  # a blank cell that exists (the formulas engine reads past the used range badly)
            ws.write_blank(r, c, None, blank_format)
        return
    if isinstance(value, dt.date):
        ws.write_number(r, c, serial(value))
    elif kind == "date" and isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    else:
        ws.write(r, c, value)


def clients_book(t: Template, clients: list[dict[str, Any]], path: Path) -> dict[str, int]:
    """Write the portable formulas of ``t`` for every client (row 1 on) into ``path``; returns name -> column."""
    p = portable.portable(t)
    inputs = [i for _, items in t.inputs for i in items]
    singles = [i for i in inputs if isinstance(i, Input)]
    tables = [i for i in inputs if isinstance(i, Table)]
    outs = _order(p)
    columns = {i.name: c for c, i in enumerate(singles)}
    columns.update({o.name: len(singles) + c for c, o in enumerate(outs)})
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Clients")
    lists = wb.add_worksheet("Lists")
    store = wb.add_worksheet("Tables")
    blank = wb.add_format({"bg_color": "#FFF2CC"})
    col = 0
    for name, entries in t.lists:
        for r, entry in enumerate(entries):
            lists.write_string(r, col, entry)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        wb.define_name(name, f"=Lists!${letter}$1:${letter}${len(entries)}")
        col += 1
    for map_name, pairs in t.maps:
        for r, (words, code) in enumerate(pairs):
            lists.write_string(r, col, words)
            lists.write(r, col + 1, code) if isinstance(code, bool) else lists.write_string(r, col + 1, str(code))
        a, b = (xlsxwriter.utility.xl_col_to_name(c) for c in (col, col + 1))
        wb.define_name(f"map_{map_name}", f"=Lists!${a}$1:${b}${len(pairs)}")
        col += 2
    for table in portable.LIMITS_SHEETS.get(t.file, ()):
        portable.write_sheet(wb, table)
    block = max((tb.height for tb in tables), default=0)
    for r, client in enumerate(clients, start=1):
        refs = {name: xlsxwriter.utility.xl_rowcol_to_cell(r, c) for name, c in columns.items()}
        for name, cells in _grid_ranges(p).items():
            refs[name] = f"{refs[cells[0]]}:{refs[cells[-1]]}"
        left = 0
        top = (r - 1) * block
        values = evaluation.evaluate(t, client)  # the tables as Excel passes them (blank rows filled in)
        for tb in tables:
            rows = values[f"tbl_{tb.name}"]
            kinds = tb.kinds or ("number",) * len(tb.columns)
            for i in range(tb.height):
                row = rows[i] if i < len(rows) else [None] * len(tb.columns)
                for j, v in enumerate(row):
                    _cell(store, top + i, left + j, v, kinds[j], blank)
            first = xlsxwriter.utility.xl_rowcol_to_cell(top, left, True, True)
            last = xlsxwriter.utility.xl_rowcol_to_cell(top + tb.height - 1, left + len(tb.columns) - 1, True, True)
            refs[f"tbl_{tb.name}"] = f"Tables!{first}:{last}"
            for j, column in enumerate(tb.column_names()):
                a = xlsxwriter.utility.xl_rowcol_to_cell(top, left + j, True, True)
                b = xlsxwriter.utility.xl_rowcol_to_cell(top + tb.height - 1, left + j, True, True)
                refs[column] = f"Tables!{a}:{b}"
            left += len(tb.columns) + 1
        for i in singles:
            value = client.get(i.name, i.value)
            _cell(ws, r, columns[i.name], evaluation.excel_value(value, i.kind), i.kind)
        for o in outs:
            assert o.formula is not None
            ws.write_formula(r, columns[o.name], "=" + o.formula.format(**refs), None, 0)
    wb.close()
    return columns


def _grid_ranges(t: Template) -> dict[str, list[str]]:
    found = {}
    for _, outs in t.outputs:
        for out in outs:
            if isinstance(out, Grid):
                for name, c0, c1 in out.ranges:
                    found[name] = [c.name for row in out.rows for c in row[c0 : c1 + 1] if c is not None]
    return found


def portable_expected(t: Template, core: dict[str, Any]) -> dict[str, Any]:
    """What each portable cell shows for the core's values ``core``: the same figure, error value or text,
    except that a year the Limits sheet lacks is said in words (:data:`NO_YEAR`) by the cells that state a
    rule and by plain references to them (other formulas over such words give Excel's ``#VALUE!``)."""
    expected: dict[str, Any] = {}
    for o in output_cells(t):
        value = core[o.name]
        if o.function and isinstance(value, str) and UNKNOWN_YEAR.match(value):
            value = NO_YEAR
        elif not o.function and isinstance(o.formula, str) and re.fullmatch(r"\{(\w+)\}", o.formula):
            ref = o.formula[1:-1]
            value = expected.get(ref, value)
        elif isinstance(value, str) and value.startswith("#"):
            value = value.split(" ", 1)[0]
        elif isinstance(value, dt.date):  # a date as the sheet holds it
            value = float(serial(value))
        expected[o.name] = value
    return expected


def check_clients(t: Template, clients: list[dict[str, Any]], tmp_path: Path, engine: str) -> int:
    """Recalculate the clients' book with ``engine``; every cell equals :func:`portable_expected`. Returns the count."""
    path = tmp_path / f"clients_{engine}.xlsx"
    columns = clients_book(t, clients, path)
    result = recalc.calculate(path, engine=engine, timeout=600)
    checked = 0
    for r, client in enumerate(clients, start=1):
        expected = portable_expected(t, evaluation.evaluate(t, client))
        for o in output_cells(t):
            cell = xlsxwriter.utility.xl_rowcol_to_cell(r, columns[o.name])
            got = result.values[f"Clients!{cell}"]
            if expected[o.name] in ("", None):  # an empty text: the engines give "" or nothing
                assert got in ("", None), (r, client, o.name, got)
                checked += 1
                continue
            assert _same(expected[o.name], got), (r, client, o.name, expected[o.name], got)
            checked += 1
    return checked


def output(t: Template, name: str) -> Output:
    return next(o for o in output_cells(t) if o.name == name)


def beyond_the_range_in_words(t: Template, client: dict[str, Any], names: tuple[str, ...], tmp_path: Path) -> None:
    """An amount above PORTABLE_MAX: the named cells say so in words (the core still answers with a figure)."""
    core = evaluation.evaluate(t, client)
    path = tmp_path / "big.xlsx"
    columns = clients_book(t, [client], path)
    result = recalc.calculate(path, engine="formulas")
    for name in names:
        assert not (isinstance(core[name], str) and core[name].startswith("#")), (name, core[name])
        got = result.values[f"Clients!{xlsxwriter.utility.xl_rowcol_to_cell(1, columns[name])}"]
        assert got == TOO_LARGE, (name, got)
