"""Build the template workbooks reproducibly: ``python -m workbooks.build [DIR]`` (default: workbooks/).

Each template is data (:mod:`workbooks.specs`): grouped inputs (yellow cells, validated, each a
defined name) and outputs, each a formula that calls a project function (or a plain Excel formula
over other named cells) with its value computed here by the same Python functions and stored beside
the formula, so the workbook shows correct figures where the add-in is not installed. Every output
row says why (the rule in words) and on what authority. XlsxWriter writes the files (it can store a
value with a formula; openpyxl cannot): no macros, formula cells locked, sheets protected without a
password, print set-up on one page wide, fixed document dates so the same code gives the same files.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from udfs import functions
from xl_rollover.age import MAX_AGE
from xl_rollover.money import MAX_AMOUNT

HERE = Path(__file__).resolve().parent
FIXED_DATE = dt.datetime(2026, 1, 1)
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Input:
    """One yellow input cell: a defined name, a label, the example client's value and its validation."""

    name: str
    label: str
    value: Any
    kind: str = "money"  # money | number | year | age | rate | date | text | list | flag | count
    help: str = ""
    choices: tuple[str, ...] = ()
    list_source: str | None = None  # a formula for a dependent drop-down, e.g. =INDIRECT("codes_"&in_account)


@dataclass(frozen=True)
class Output:
    """One computed row: a project function call (or a plain formula), its format and its reason."""

    name: str
    label: str
    function: str | None = None  # Excel name of a project function
    args: tuple[Any, ...] = ()  # defined names (str starting with in_/out_/tbl_), literals, or None for omitted
    field: str | None = None
    formula: str | None = None  # a plain Excel formula with {name} placeholders
    py: Callable[[dict[str, Any]], Any] | None = None  # its value, for a plain formula
    why: str = ""
    cite: str = ""
    fmt: str = "money"  # money | ratio | text | date | flag | number


@dataclass(frozen=True)
class Table:
    """A small input table (e.g. Roth conversions by year) named ``tbl_<name>``."""

    name: str
    label: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    height: int = 6
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart over output cells: categories are labels, series are lists of output names."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[str, ...]], ...]
    kind: str = "column"
    y_title: str = "dollars"


@dataclass
class Template:
    """A whole template: texts, input groups, output groups, sources, an optional chart."""

    file: str
    title: str
    purpose: str
    how: tuple[str, ...]
    not_covered: tuple[str, ...]
    inputs: tuple[tuple[str, tuple[Input | Table, ...]], ...]
    outputs: tuple[tuple[str, tuple[Output, ...]], ...]
    sources: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # extra defined names (e.g. drop-down lists)
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()  # named lists written on the Lists sheet


# --- evaluation (the cached values) ---------------------------------------------------------------


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
        arity = len(functions.SPECS[out.function].params)
        args = [_arg(a, values) for a in out.args] + [None] * (arity - len(out.args))
        output_index = [p.name for p in functions.SPECS[out.function].params].index("output")
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
        params = [p.name for p in functions.SPECS[out.function].params]
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
    names += [o.name for _, outs in template.outputs for o in outs]
    return names


# --- writing ----------------------------------------------------------------------------------------

NAVY = "#1F3864"
#: Plan sheet column widths (characters): input label, value, help, gap, output label, value, why, authority.
WIDTHS = (32, 14, 30, 2, 34, 14, 44, 28)


def _height(*texts_and_widths: tuple[str, int]) -> float:
    """Row height (points) that shows wrapped text in full: 12.75 points a line at 10 pt."""
    lines = max(max(1, -(-len(text) // max(width - 2, 1))) for text, width in texts_and_widths)
    return 12.75 * lines


YELLOW = "#FFF2CC"


def write(template: Template, folder: Path) -> Path:
    """Write one template into ``folder``; returns its path."""
    path = folder / template.file
    values = evaluate(template)
    evaluate_cache[template.file] = values
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties(
        {
            "title": template.title,
            "subject": "xl-rollover template",
            "author": "xl-rollover",
            "company": "xl-rollover (open source, MIT)",
            "comments": "Generated by workbooks/build.py; regenerate rather than edit.",
            "created": FIXED_DATE,
        }
    )
    wb.set_calc_mode("auto")
    f = _formats(wb)
    instructions = wb.add_worksheet("Instructions")
    plan = wb.add_worksheet("Plan")
    sources = wb.add_worksheet("Sources")
    lists = wb.add_worksheet("Lists")
    conf = wb.add_worksheet("xlwings.conf")
    _instructions(instructions, template, f)
    cells, bottom = _plan(wb, plan, template, values, f, lists)
    for chart in template.charts:
        bottom = _chart(wb, plan, chart, cells, template, f, bottom)
    plan.print_area(0, 0, bottom, 7)
    _sources(sources, template, f)
    conf.write_row(0, 0, ["UDF Modules", "udfs.functions"])
    conf.set_column(0, 1, 24)
    conf.hide()
    plan.activate()
    wb.close()
    return path


def _formats(wb: Any) -> dict[str, Any]:
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
    make = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
    return {
        "title": make(bold=True, font_size=14, font_color=NAVY),
        "subtitle": make(italic=True, font_color="#595959", text_wrap=True),
        "h": make(bold=True, font_color="white", bg_color=NAVY, border=1),
        "label": make(text_wrap=True, border=1, border_color="#BFBFBF"),
        "help": make(italic=True, font_color="#595959", text_wrap=True, border=1, border_color="#BFBFBF"),
        "text": make(text_wrap=True),
        "bold": make(bold=True),
        "in_money": make(num_format="#,##0.00", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_number": make(num_format="0.##", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_year": make(num_format="0", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_count": make(num_format="0", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_age": make(num_format="0.0", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_rate": make(num_format="0.00%", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_date": make(num_format="yyyy-mm-dd", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_text": make(bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_list": make(bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
        "in_flag": make(
            bg_color=YELLOW,
            locked=False,
            border=1,
            border_color="#BF9000",
            align="center",
            num_format='"TRUE";"TRUE";"FALSE"',
        ),
        "out_money": make(num_format="#,##0.00", bold=True, border=1, border_color="#BFBFBF"),
        "out_ratio": make(num_format="0.000", bold=True, border=1, border_color="#BFBFBF"),
        "out_number": make(num_format="0", bold=True, border=1, border_color="#BFBFBF"),
        "out_text": make(bold=True, border=1, border_color="#BFBFBF", text_wrap=True),
        "out_date": make(num_format="yyyy-mm-dd", bold=True, border=1, border_color="#BFBFBF"),
        "out_flag": make(bold=True, border=1, border_color="#BFBFBF", align="center"),
        "cite": make(font_color="#2F5597", text_wrap=True, font_size=9, border=1, border_color="#BFBFBF"),
        "table_h": make(bold=True, bg_color="#D9E1F2", border=1),
    }


def _instructions(ws: Any, t: Template, f: dict[str, Any]) -> None:
    ws.set_column(0, 0, 96)
    ws.write(0, 0, t.title, f["title"])
    ws.write(1, 0, t.purpose, f["subtitle"])
    ws.set_row(1, _height((t.purpose, 100)))
    row = 3
    blocks = (
        (
            "How to use it",
            (
                *t.how,
                "Type the client's figures into the yellow cells on the Plan sheet; everything else is computed and locked "
                "(Review > Unprotect Sheet, no password, to change the layout).",
                "Each figure's row says which rule produced it and on what authority; the Sources sheet lists them.",
            ),
        ),
        (
            "What it does not cover",
            (
                *t.not_covered,
                "It is not tax or legal advice: the figures follow the cited rules; a professional checks the facts.",
            ),
        ),
        (
            "Making the formulas calculate",
            (
                "The values shown were computed when the template was built and stay visible without any add-in.",
                "Windows, classic xlwings: install xl-rollover and xlwings, run `xlwings addin install`; this workbook's hidden "
                "sheet 'xlwings.conf' sets UDF Modules = udfs.functions; click Import Functions on the xlwings tab.",
                "Mac / Excel on the web, xlwings Lite: run `xl-rollover lite DIR`, paste main.py and requirements.txt into the "
                "xlwings Lite editor, then re-enter one formula (select it, F2, Enter) or press Ctrl+Alt+F9 if a cell shows a name error.",
                "Without Excel: `xl-rollover calc THIS.xlsx -o RESULT.xlsx` recalculates it headless.",
            ),
        ),
    )
    for heading, lines in blocks:
        ws.write(row, 0, heading, f["h"])
        row += 1
        for line in lines:
            ws.write(row, 0, line, f["text"])
            ws.set_row(row, _height((line, 100)))
            row += 1
        row += 1
    ws.print_area(0, 0, row, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_paper(1)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _plan(
    wb: Any, ws: Any, t: Template, values: dict[str, Any], f: dict[str, Any], lists_ws: Any
) -> tuple[dict[str, tuple[int, int]], int]:
    """Inputs in columns A-C, outputs in E-H. Returns name -> (row, col) of each value cell, and the next free row."""
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.write(0, 0, t.title, f["title"])
    ws.merge_range(
        1,
        0,
        1,
        7,
        "Yellow cells are the client's figures; every other figure is a formula, explained on its row.",
        f["subtitle"],
    )
    cells: dict[str, tuple[int, int]] = {}
    # named lists (drop-downs)
    for col, (list_name, entries) in enumerate(t.lists):
        lists_ws.write(0, col, list_name, f["bold"])
        for i, entry in enumerate(entries):
            lists_ws.write(i + 1, col, entry)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        wb.define_name(list_name, f"=Lists!${letter}$2:${letter}${len(entries) + 1}")
    lists_ws.hide()
    for name, ref in t.names.items():
        wb.define_name(name, ref)
    row = 3
    for group, items in t.inputs:
        ws.merge_range(row, 0, row, 2, group, f["h"])
        row += 1
        for item in items:
            if isinstance(item, Table):
                ws.write(row, 0, item.label, f["bold"])
                row += 1
                for c, heading in enumerate(item.columns):
                    ws.write(row, c, heading, f["table_h"])
                row += 1
                first = row
                kinds = item.kinds or ("number",) * len(item.columns)
                for r in range(item.height):
                    data = item.rows[r] if r < len(item.rows) else ()
                    for c in range(len(item.columns)):
                        v = data[c] if c < len(data) else None
                        fmt = f[f"in_{kinds[c]}"]
                        if v is None:
                            ws.write_blank(row, c, None, fmt)
                        else:
                            ws.write(row, c, v, fmt)
                        ws.data_validation(row, c, row, c, _validation(kinds[c], item.columns[c]))
                    row += 1
                last_col = xlsxwriter.utility.xl_col_to_name(len(item.columns) - 1)
                wb.define_name(f"tbl_{item.name}", f"=Plan!$A${first + 1}:${last_col}${row}")
                cells[f"tbl_{item.name}"] = (first, 0)
                continue
            ws.write(row, 0, item.label, f["label"])
            fmt = f[f"in_{item.kind}"]
            value = item.value
            if item.kind == "flag":
                ws.write_boolean(row, 1, bool(value), fmt)
            elif item.kind == "date":
                ws.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), fmt)
            elif value is None:
                ws.write_blank(row, 1, None, fmt)
            else:
                ws.write(row, 1, value, fmt)
            ws.write(row, 2, item.help, f["help"])
            ws.set_row(row, _height((item.label, WIDTHS[0]), (item.help, WIDTHS[2])))
            ws.data_validation(row, 1, row, 1, _validation(item.kind, item.label, item.choices, item.list_source))
            wb.define_name(item.name, f"=Plan!$B${row + 1}")
            cells[item.name] = (row, 1)
            row += 1
        row += 1
    input_end = row
    row = 3
    for group, outs in t.outputs:
        ws.merge_range(row, 4, row, 7, group, f["h"])
        row += 1
        ws.write_row(row, 4, ["", "value", "why", "authority"], f["table_h"])
        row += 1
        for out in outs:
            ws.write(row, 4, out.label, f["label"])
            value = values[out.name]
            ws.write_formula(row, 5, formula(out, t), f[f"out_{out.fmt}"], _cached(value))
            ws.write(row, 6, out.why, f["help"])
            ws.write(row, 7, out.cite, f["cite"])
            ws.set_row(row, _height((out.label, WIDTHS[4]), (out.why, WIDTHS[6]), (out.cite, int(WIDTHS[7] * 1.1))))
            wb.define_name(out.name, f"=Plan!$F${row + 1}")
            cells[out.name] = (row, 5)
            row += 1
        row += 1
    ws.set_landscape()
    ws.set_paper(1)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, 1)
    ws.set_footer("&L&8xl-rollover template &C&8&A &R&8page &P of &N")
    ws.freeze_panes(3, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    return cells, max(row, input_end) + 1


def _cached(value: Any) -> Any:
    if isinstance(value, dt.date):
        return (value - EXCEL_EPOCH).days
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if value is None:
        return ""
    return value


def _validation(kind: str, label: str, choices: Sequence[str] = (), source: str | None = None) -> dict[str, Any]:
    if kind in ("list", "text") and (choices or source):
        return {"validate": "list", "source": source or list(choices), "error_message": f"Pick {label} from the list."}
    if kind == "flag":
        return {"validate": "list", "source": ["TRUE", "FALSE"], "error_message": "TRUE or FALSE."}
    rule = _RANGES.get(kind)
    if rule is None:
        return {"validate": "any"}
    validate, low, high, message = rule
    return {"validate": validate, "criteria": "between", "minimum": low, "maximum": high, "error_message": message}


#: Excel data validation of numeric inputs by kind: type, lowest, highest, message. Ages and amounts
#: take the core's own limits (what the functions would refuse), so the sheet refuses them first.
_RANGES: dict[str, tuple[str, Any, Any, str]] = {
    "date": ("date", dt.date(1900, 1, 1), dt.date(2150, 12, 31), "A date (YYYY-MM-DD)."),
    "year": ("integer", 1975, 2100, "A tax year, e.g. 2026."),
    "age": ("decimal", 0, int(MAX_AGE), f"An age in years (0-{int(MAX_AGE)})."),
    "rate": ("decimal", 0, 1, "A rate from 0% to 100%."),
    "count": ("integer", 0, 1000, "A whole number."),
    "money": ("decimal", 0, float(MAX_AMOUNT), "A dollar amount of 0 or more."),
    "number": ("decimal", 0, float(MAX_AMOUNT), "A dollar amount of 0 or more."),
}


def _sources(ws: Any, t: Template, f: dict[str, Any]) -> None:
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 100)
    ws.write(0, 0, "Sources", f["title"])
    ws.write_row(2, 0, ["authority", "what it says here"], f["h"])
    for i, (authority, text) in enumerate(t.sources):
        ws.write(3 + i, 0, authority, f["label"])
        ws.write(3 + i, 1, text, f["help"])
    ws.write(
        4 + len(t.sources),
        0,
        "Annual limits: xl_rollover/data/irs_limits.csv (each value with its IRS source).",
        f["text"],
    )
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _chart(
    wb: Any, ws: Any, chart: Chart, cells: dict[str, tuple[int, int]], t: Template, f: dict[str, Any], top: int
) -> int:
    """A small data block (labels + formulas pointing at the outputs) under the plan, and a chart over it."""
    ws.write(top, 4, chart.title + " (chart data)", f["bold"])
    ws.write_row(top + 1, 4, ["", *[name for name, _ in chart.series]], f["table_h"])
    values = evaluate_cache.get(t.file, {})
    for i, category in enumerate(chart.categories):
        ws.write(top + 2 + i, 4, category, f["label"])
        for j, (_, outs) in enumerate(chart.series):
            ws.write_formula(top + 2 + i, 5 + j, f"={outs[i]}", f["out_money"], _cached(values.get(outs[i])))
    c = wb.add_chart({"type": chart.kind})
    first, last = top + 2, top + 1 + len(chart.categories)
    for j, (_name, _) in enumerate(chart.series):
        col = 5 + j
        c.add_series(
            {
                "name": ["Plan", top + 1, col],
                "categories": ["Plan", first, 4, last, 4],
                "values": ["Plan", first, col, last, col],
                "data_labels": {"value": True, "num_format": "#,##0"},
            }
        )
    c.set_title({"name": chart.title, "name_font": {"size": 11}})
    c.set_y_axis(
        {
            "name": chart.y_title,
            "num_format": "#,##0",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    c.set_legend({"position": "bottom"})
    c.set_size({"width": 640, "height": 300})
    ws.insert_chart(top + 3 + len(chart.categories), 4, c)
    return top + 3 + len(chart.categories) + 16


#: Values computed while writing a template (the chart data block needs them).
evaluate_cache: dict[str, dict[str, Any]] = {}


def build_all(folder: Path = HERE) -> list[Path]:
    """Write every template into ``folder``."""
    from .specs import TEMPLATES

    folder.mkdir(parents=True, exist_ok=True)
    return [write(t, folder) for t in TEMPLATES]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else HERE
    for written in build_all(target):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    # run as `python -m workbooks.build`: use the package's module so the spec classes are the same objects
    from workbooks.build import main as package_main

    sys.exit(package_main())
