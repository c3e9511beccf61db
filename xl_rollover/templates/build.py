"""Build the template workbooks reproducibly: ``python -m xl_rollover.templates.build [DIR]`` (default: workbooks/).

Each template is data (:mod:`xl_rollover.templates.specs`): grouped inputs (yellow cells, validated, each a
defined name) and outputs, each a formula that calls a project function (or a plain Excel formula
over other named cells) with its value computed here by the same Python functions and stored beside
the formula, so the workbook shows correct figures where the add-in is not installed. Every output
row says why (the rule in words) and on what authority. XlsxWriter writes the files (it can store a
value with a formula; openpyxl cannot): no macros, formula cells locked, sheets protected without a
password, print set-up on one page wide, fixed document dates so the same code gives the same files.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from xl_rollover.core.age import MAX_AGE
from xl_rollover.core.money import MAX_AMOUNT
from xl_rollover.core.registry import FUNCTIONS
from xl_rollover.core.serial_dates import EPOCH
from xl_rollover.engines.ooxml import keep_stored_values
from xl_rollover.excel import functions

HERE = Path(__file__).resolve().parents[2] / "workbooks"
FIXED_DATE = dt.datetime(2026, 1, 1)
EXCEL_EPOCH = EPOCH  # one statement: xl_rollover.core.serial_dates


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
class Grid:
    """A block of computed cells in columns A-D (e.g. a year-by-year timeline), one Output a cell.

    ``ranges`` names a rectangle of it (name -> first and last column index) so a function can take it
    as a range argument (e.g. the Roth IRA layers a withdrawal timeline reads).
    """

    name: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Output | None, ...], ...]
    ranges: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart over output cells: categories are labels or output names (calendar years), series lists of outputs."""

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
    outputs: tuple[tuple[str, tuple[Output | Grid, ...]], ...]
    sources: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # extra defined names (e.g. drop-down lists)
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()  # named lists written on the Lists sheet
    #: Plain-language choices and the codes the functions take (name -> (words, code) pairs), on the Lists sheet
    #: as ``choices_<name>`` (the words, a drop-down) and ``map_<name>`` (words and code, for VLOOKUP).
    maps: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    #: The answer first: a sentence (text formula) and the two or three figures behind it, over the outputs.
    summary: tuple[Output, ...] = ()
    client: str = "Dana Rivera"  # the example client's name

    def __post_init__(self) -> None:
        """Every template starts with who prepared it for whom, and when (the printed header line)."""
        if not any(group == PREPARED for group, _ in self.inputs):
            self.inputs = ((PREPARED, branding(self.client)), *self.inputs)


PREPARED = "Prepared by and for"
DISCLAIMER = (
    "Not tax or legal advice: the figures follow the cited rules for the facts entered; a tax professional checks "
    "the facts and the return."
)


def branding(client: str) -> tuple[Input, ...]:
    """The firm, its logo, the client and the date prepared: inputs of every template (printed on every page)."""
    return (
        Input("in_firm", "Firm", "Example Wealth Partners", "text", "printed on every page"),
        Input("in_client", "Client", client, "text", "printed on every page"),
        Input("in_prepared", "Date prepared", FIXED_DATE.date(), "date", "printed on every page"),
        Input(
            "in_logo",
            "Logo image file (optional)",
            None,
            "text",
            "a PNG or JPEG path; not printed yet",
        ),
    )


def choice(name: str, label: str, map_name: str, value: str, help: str = "") -> Input:
    """A drop-down of words (``choices_<map_name>``); :func:`lookup` turns the choice into the code."""
    return Input(name, label, value, "list", help, list_source=f"=choices_{map_name}")


def lookup(name: str, label: str, source: str, pairs: Sequence[tuple[str, Any]], map_name: str) -> Output:
    """The code behind a choice in words: VLOOKUP in the Lists sheet's table (an unknown choice: #N/A)."""
    table = dict(pairs)
    return Output(
        name,
        label,
        formula=f"VLOOKUP({{{source}}},map_{map_name},2,FALSE)",
        py=lambda v: table.get(v[source], "#N/A"),
        fmt="text",
        why="the code the functions take for the choice in words (Lists sheet)",
    )


def output_cells(template: Template) -> list[Output]:
    """Every computed cell, in evaluation order: outputs (grid cells row by row), the summary, the header line."""
    cells: list[Output] = []
    for _, outs in template.outputs:
        for out in outs:
            if isinstance(out, Grid):
                cells += [c for row in out.rows for c in row if c is not None]
            else:
                cells.append(out)
    return [*cells, *template.summary[1:], *template.summary[:1], PREPARED_LINE]


def _prepared_text(v: dict[str, Any]) -> str:
    day = v["in_prepared"]
    text = (EXCEL_EPOCH + dt.timedelta(days=int(day))).isoformat() if isinstance(day, (int, float)) else ""
    return f"Prepared for {v['in_client'] or ''} by {v['in_firm'] or ''}, {text}"


#: The line printed under the title on every page.
PREPARED_LINE = Output(
    "out_prepared",
    "Prepared",
    formula='"Prepared for "&{in_client}&" by "&{in_firm}&", "&TEXT({in_prepared},"yyyy-mm-dd")',
    py=_prepared_text,
    fmt="text",
)


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
    names += [o.name for o in output_cells(template)]
    names += [name for _, outs in template.outputs for g in outs if isinstance(g, Grid) for name, _, _ in g.ranges]
    return names


# --- writing ----------------------------------------------------------------------------------------

NAVY = "#1F3864"
#: Plan sheet column widths (characters): label, value, why (or an input's help), authority. At 100% scale
#: they print about 630 pt wide (7 pixels a character + 5, at 96 pixels an inch), inside a landscape Letter
#: page's 720 pt between margins, with room for LibreOffice's wider rendering of the same widths.
WIDTHS = (34, 13, 42, 28)
#: Printable height of a landscape Letter page (8.5 in less 0.6 in margins top and bottom), less the three
#: header rows repeated on every page and a safety margin: what a block of rows may fill before a page break.
PAGE_BODY = 8.5 * 72 - 2 * 0.6 * 72 - 60


def _height(*texts_and_widths: tuple[str, int]) -> float:
    """Row height (points) that shows wrapped text in full: 12.75 points a line at 10 pt."""
    lines = max(max(1, -(-len(text) // max(width - 2, 1))) for text, width in texts_and_widths)
    return 12.75 * lines


YELLOW = "#FFF2CC"


def write(template: Template, folder: Path, steps: Sequence[str] | None = None) -> Path:
    """Write one template into ``folder``; returns its path. ``steps``: the Instructions' recalculation
    block (default :data:`CHANNEL_STEPS`; the portable flavour says its own)."""
    path = folder / template.file
    values = evaluate(template)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties(
        {
            "title": template.title,
            "subject": "xl-rollover template",
            "author": "xl-rollover",
            "company": "xl-rollover (open source, MIT)",
            "comments": "Generated by xl_rollover/templates/build.py; regenerate rather than edit.",
            "created": FIXED_DATE,
        }
    )
    f = _formats(wb)
    instructions = wb.add_worksheet("Instructions")
    plan = wb.add_worksheet("Plan")
    sources = wb.add_worksheet("Sources")
    lists = wb.add_worksheet("Lists")
    conf = wb.add_worksheet("xlwings.conf")
    _instructions(instructions, template, f, values, CHANNEL_STEPS if steps is None else tuple(steps))
    _plan(wb, plan, template, values, f, lists)
    _sources(sources, template, values, f)
    conf.write_row(0, 0, ["UDF Modules", "xl_rollover.excel.functions"])
    conf.set_column(0, 1, 24)
    conf.hide()
    plan.activate()
    wb.close()
    _keep_stored_values(path)
    return path


def _keep_stored_values(path: Path) -> None:
    """Rewrite the written file's ``xl/workbook.xml`` so Excel keeps the stored values on open (xl_rollover.engines.ooxml).

    XlsxWriter 3.3.1 writes ``<calcPr calcId="124519" fullCalcOnLoad="1"/>`` (its ``_write_calc_pr``) and
    has no way to write the calcFeatures extension; ECMA-376 Part 1 §18.2.2 and [MS-XLSX] §2.4.82 are
    cited in :mod:`xl_rollover.engines.ooxml`, which states the rule once for the templates and for ``calc`` outputs.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = keep_stored_values(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    path.write_bytes(buffer.getvalue())


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
        "in_age": make(num_format="0", bg_color=YELLOW, locked=False, border=1, border_color="#BF9000"),
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
        "table_h": make(bold=True, bg_color="#D9E1F2", border=1, text_wrap=True),
        "prepared": make(bold=True, font_color="#404040"),
        "disclaimer": make(italic=True, font_color="#404040", text_wrap=True, font_size=9),
        "answer": make(bold=True, font_size=11, text_wrap=True, bg_color="#E2EFDA", border=1, border_color="#548235"),
        "category_year": make(num_format="0", border=1, border_color="#BFBFBF", align="left"),
    }


#: What an advisor does to make the figures recalculate, per channel, in menu words (the README gives the
#: commands and the reasons; checked against xlwings' docs: udfs.md, addin.md, and the Lite changelog).
CHANNEL_STEPS = (
    "The figures shown were computed when this file was built and stay visible when it opens anywhere: the file "
    "asks no recalculation on load. They change when you edit a yellow cell only where the xl-rollover functions "
    "are loaded, in one of two ways (the README's 'Use it in Excel' says which to pick):",
    "Mac, Excel on the web, or Windows without Python (xlwings Lite): Home > Add-ins, search for xlwings Lite, Add. "
    "Open the xlwings Lite pane; replace the contents of main.py and requirements.txt with the project's lite/main.py "
    "and lite/requirements.txt (your firm or the README gives you the two files), and restart if asked. Then Review > "
    "Unprotect Sheet on the Plan sheet, pick the script 'Write template formulas' in the xlwings Lite pane, click Run, "
    "and Review > Protect Sheet. Save: the code travels inside the workbook.",
    "xlwings Lite since February 2026: a workbook you did not write must be trusted the first time it runs, and the "
    "add-in starts by itself in the background (xlwings Lite menu > Settings > Workbook > Startup Behavior).",
    "Windows with Python (classic xlwings add-in), once per PC: run the two install commands in the README's 'Windows' "
    "steps (xl-rollover with xlwings, then the xlwings add-in); in Excel, File > Options > Trust Center > Trust Center "
    "Settings > Macro Settings, tick 'Trust access to the VBA project object model'.",
    "Then in this workbook: File > Save As, type 'Excel Macro-Enabled Workbook (*.xlsm)'; Alt+F11 opens the VBA "
    "editor, Tools > References, tick xlwings, close the editor; on the xlwings tab click Import Functions, then press "
    "Ctrl+Alt+F9 and save. The hidden sheet 'xlwings.conf' already sets UDF Modules to xl_rollover.excel.functions. With Anaconda or "
    "Miniconda, fill in Conda Path and Conda Env on the xlwings tab and leave Interpreter empty.",
    "Checked on Linux only (LibreOffice, and xlwings Lite's Python runtime): not yet checked in Microsoft Excel itself.",
)


def _instructions(ws: Any, t: Template, f: dict[str, Any], values: dict[str, Any], steps: tuple[str, ...] = ()) -> None:
    """What a client and then an advisor need, in that order; commands and developer notes are in the README.
    The title, who prepared it for whom and when, and the disclaimer head every printed page, as on the Plan."""
    ws.set_column(0, 0, 96)
    ws.write(0, 0, t.title, f["title"])
    ws.write_formula(1, 0, f"={PREPARED_LINE.name}", f["prepared"], _cached(values[PREPARED_LINE.name]))
    ws.write(2, 0, DISCLAIMER, f["disclaimer"])
    ws.set_row(2, _height((DISCLAIMER, 110)))
    ws.write(3, 0, t.purpose, f["subtitle"])
    ws.set_row(3, _height((t.purpose, 100)))
    row = 5
    blocks = (
        (
            "For the client: reading this plan",
            (
                "The Plan sheet holds your figures: the yellow cells are the facts entered for you, every other figure "
                "is computed from them, and each row says in words which tax rule produced it and where that rule is "
                "written (the Sources sheet lists every authority).",
                "It is not tax or legal advice: the figures follow the cited rules for the facts entered; a "
                "professional checks the facts before anyone acts on them.",
            ),
        ),
        ("What it does not cover", t.not_covered),
        (
            "For the advisor: filling it in",
            (
                *t.how,
                "Type the client's figures into the yellow cells on the Plan sheet; everything else is computed and locked "
                "(Review > Unprotect Sheet, no password, to change the layout).",
            ),
        ),
        ("For the advisor: making the figures recalculate", steps or CHANNEL_STEPS),
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
    ws.repeat_rows(0, 2)
    ws.set_footer("&L&9&F&R&9page &P of &N", {"margin": 0.25})
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


class _Sheet:
    """The Plan sheet as it is written: rows, their heights, and the blocks a page break must not split."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.row = 0
        self.heights: dict[int, float] = {}
        self.blocks: list[tuple[int, int]] = []

    def set_height(self, row: int, height: float) -> None:
        self.heights[row] = height
        self.ws.set_row(row, height)

    def page_breaks(self, first: int) -> list[int]:
        """Rows to break before so that each block starts on a page where it fits (a longer one flows on)."""
        breaks: list[int] = []
        used = sum(self.heights.get(r, 15.0) for r in range(first, self.blocks[0][0])) if self.blocks else 0.0
        for start, end in self.blocks:
            height = sum(self.heights.get(r, 15.0) for r in range(start, end + 1))
            if used > 0 and used + height > PAGE_BODY:
                breaks.append(start)
                used = 0.0
            used += height
            while used > PAGE_BODY:
                used -= PAGE_BODY
        return breaks


def _plan(wb: Any, ws: Any, t: Template, values: dict[str, Any], f: dict[str, Any], lists_ws: Any) -> None:
    """The answer first (summary box), then the inputs, the figures with their reasons, the charts: one column
    of blocks, 100% scale (text prints at its own size), each block kept on one page, three header rows
    (title, who prepared it for whom and when, the disclaimer) repeated on every page."""
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    sheet = _Sheet(ws)
    ws.merge_range(0, 0, 0, 3, t.title, f["title"])
    sheet.set_height(0, _height((t.title, 80)) * 1.5)
    ws.merge_range(1, 0, 1, 3, "", f["prepared"])
    ws.write_formula(1, 0, formula(PREPARED_LINE, t), f["prepared"], _cached(values[PREPARED_LINE.name]))
    wb.define_name(PREPARED_LINE.name, "=Plan!$A$2")
    ws.merge_range(2, 0, 2, 3, DISCLAIMER, f["disclaimer"])
    sheet.set_height(2, _height((DISCLAIMER, sum(WIDTHS))))
    cells: dict[str, tuple[int, int]] = {}
    for col, (list_name, entries) in enumerate(t.lists):
        lists_ws.write(0, col, list_name, f["bold"])
        for i, entry in enumerate(entries):
            lists_ws.write(i + 1, col, entry)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        wb.define_name(list_name, f"=Lists!${letter}$2:${letter}${len(entries) + 1}")
    col = len(t.lists)
    for map_name, pairs in t.maps:
        lists_ws.write(0, col, f"choices_{map_name}", f["bold"])
        lists_ws.write(0, col + 1, "code", f["bold"])
        for i, (words, code) in enumerate(pairs):
            lists_ws.write_string(i + 1, col, words)
            if isinstance(code, bool):
                lists_ws.write_boolean(i + 1, col + 1, code)
            else:
                lists_ws.write_string(i + 1, col + 1, str(code))
        a, b = (xlsxwriter.utility.xl_col_to_name(c) for c in (col, col + 1))
        wb.define_name(f"choices_{map_name}", f"=Lists!${a}$2:${a}${len(pairs) + 1}")
        wb.define_name(f"map_{map_name}", f"=Lists!${a}$2:${b}${len(pairs) + 1}")
        col += 2
    lists_ws.hide()
    for name, ref in t.names.items():
        wb.define_name(name, ref)
    sheet.row = 4
    if t.summary:
        _summary(wb, sheet, t, values, f, cells)
    for group, items in t.inputs:
        _input_group(wb, sheet, group, items, f, cells)
    for group, outs in t.outputs:
        _output_group(wb, sheet, group, outs, t, values, f, cells)
    for chart in t.charts:
        _chart(wb, sheet, chart, t, values, f)
    ws.print_area(0, 0, sheet.row, 3)
    ws.set_h_pagebreaks(sheet.page_breaks(4))
    ws.set_landscape()
    ws.set_paper(1)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_print_scale(100)
    ws.repeat_rows(0, 2)
    ws.set_footer("&L&9&F&R&9page &P of &N", {"margin": 0.25})
    ws.freeze_panes(3, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _summary(wb: Any, sheet: _Sheet, t: Template, values: dict[str, Any], f: dict[str, Any], cells: dict) -> None:
    """The box a client reads first: the decision in words (a text formula) and the figures behind it."""
    ws, start = sheet.ws, sheet.row
    ws.merge_range(start, 0, start, 3, "In short", f["h"])
    sentence, *figures = t.summary
    row = start + 1
    ws.merge_range(row, 0, row, 3, "", f["answer"])
    ws.write_formula(row, 0, formula(sentence, t), f["answer"], _cached(values[sentence.name]))
    sheet.set_height(row, 1.2 * _height((str(values[sentence.name]), int(sum(WIDTHS) * 0.85))))
    wb.define_name(sentence.name, f"=Plan!$A${row + 1}")
    cells[sentence.name] = (row, 0)
    row += 1
    for out in figures:
        _output_row(wb, sheet, row, out, t, values, f, cells)
        row += 1
    sheet.blocks.append((start, row))
    sheet.row = row + 1


def _input_group(
    wb: Any, sheet: _Sheet, group: str, items: Sequence[Input | Table], f: dict[str, Any], cells: dict
) -> None:
    ws, start = sheet.ws, sheet.row
    ws.merge_range(start, 0, start, 3, group, f["h"])
    row = start + 1
    for item in items:
        if isinstance(item, Table):
            ws.merge_range(row, 0, row, 3, item.label, f["bold"])
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
                    elif isinstance(v, dt.date):
                        ws.write_datetime(row, c, dt.datetime.combine(v, dt.time()), fmt)
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
        elif item.kind in ("text", "list"):  # words: the value spans B:C, the help sits in D
            ws.merge_range(row, 1, row, 2, "", fmt)
            if value is not None:
                ws.write(row, 1, value, fmt)
        elif value is None:
            ws.write_blank(row, 1, None, fmt)
        else:
            ws.write(row, 1, value, fmt)
        if item.kind in ("text", "list"):
            ws.write(row, 3, item.help, f["help"])
            help_width = WIDTHS[3]
        else:
            ws.merge_range(row, 2, row, 3, item.help, f["help"])
            help_width = WIDTHS[2] + WIDTHS[3]
        sheet.set_height(row, _height((item.label, WIDTHS[0]), (item.help, help_width)))
        ws.data_validation(row, 1, row, 1, _validation(item.kind, item.label, item.choices, item.list_source))
        wb.define_name(item.name, f"=Plan!$B${row + 1}")
        cells[item.name] = (row, 1)
        row += 1
    sheet.blocks.append((start, row))
    sheet.row = row + 1


def _output_row(wb: Any, sheet: _Sheet, row: int, out: Output, t: Template, values: dict, f: dict, cells: dict) -> None:
    ws = sheet.ws
    ws.write(row, 0, out.label, f["label"])
    ws.write_formula(row, 1, formula(out, t), f[f"out_{out.fmt}"], _cached(values[out.name]))
    ws.write(row, 2, out.why, f["help"])
    ws.write(row, 3, out.cite, f["cite"])
    sheet.set_height(row, _height((out.label, WIDTHS[0]), (out.why, WIDTHS[2]), (out.cite, int(WIDTHS[3] * 1.1))))
    wb.define_name(out.name, f"=Plan!$B${row + 1}")
    cells[out.name] = (row, 1)


def _output_group(
    wb: Any,
    sheet: _Sheet,
    group: str,
    outs: Sequence[Output | Grid],
    t: Template,
    values: dict[str, Any],
    f: dict[str, Any],
    cells: dict,
) -> None:
    ws, start = sheet.ws, sheet.row
    ws.merge_range(start, 0, start, 3, group, f["h"])
    row = start + 1
    if not isinstance(outs[0], Grid):
        ws.write_row(row, 0, ["", "value", "why", "authority"], f["table_h"])
        row += 1
    for out in outs:
        if not isinstance(out, Grid):
            _output_row(wb, sheet, row, out, t, values, f, cells)
            row += 1
            continue
        ws.write_row(row, 0, list(out.headings), f["table_h"])
        sheet.set_height(row, max(_height((h, WIDTHS[c])) for c, h in enumerate(out.headings)))
        row += 1
        first = row
        for cells_of_row in out.rows:
            for c, cell in enumerate(cells_of_row):
                if cell is None:
                    ws.write_blank(row, c, None, f["label"])
                    continue
                ws.write_formula(row, c, formula(cell, t), f[f"out_{cell.fmt}"], _cached(values[cell.name]))
                wb.define_name(cell.name, f"=Plan!${xlsxwriter.utility.xl_col_to_name(c)}${row + 1}")
                cells[cell.name] = (row, c)
            row += 1
        for name, c0, c1 in out.ranges:
            a, b = (xlsxwriter.utility.xl_col_to_name(c) for c in (c0, c1))
            wb.define_name(name, f"=Plan!${a}${first + 1}:${b}${row}")
    sheet.blocks.append((start, row))
    sheet.row = row + 1


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
    "age": ("integer", 0, int(MAX_AGE), f"An age in whole years (0-{int(MAX_AGE)})."),
    "rate": ("decimal", 0, 1, "A rate from 0% to 100%."),
    "count": ("integer", 0, 1000, "A whole number."),
    "money": ("decimal", 0, float(MAX_AMOUNT), "A dollar amount of 0 or more."),
    "number": ("decimal", 0, float(MAX_AMOUNT), "A dollar amount of 0 or more."),
}


def _sources(ws: Any, t: Template, values: dict[str, Any], f: dict[str, Any]) -> None:
    """The authorities behind the plan, printed like the Plan sheet: 100% scale, the same three header rows."""
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 80)
    ws.merge_range(0, 0, 0, 1, f"Sources: {t.title}", f["title"])
    ws.set_row(0, _height((t.title, 100)) * 1.5)
    ws.merge_range(1, 0, 1, 1, "", f["prepared"])
    ws.write_formula(1, 0, f"={PREPARED_LINE.name}", f["prepared"], _cached(values[PREPARED_LINE.name]))
    ws.merge_range(2, 0, 2, 1, DISCLAIMER, f["disclaimer"])
    ws.write_row(4, 0, ["authority", "what it says here"], f["h"])
    for i, (authority, text) in enumerate(t.sources):
        ws.write(5 + i, 0, authority, f["label"])
        ws.write(5 + i, 1, text, f["help"])
        ws.set_row(5 + i, _height((authority, 40), (text, 80)))
    ws.write(
        6 + len(t.sources),
        0,
        "Annual dollar limits: the IRS cost-of-living notice of each year, or the statute where the amount is fixed.",
        f["text"],
    )
    ws.set_landscape()
    ws.set_paper(1)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_print_scale(100)
    ws.repeat_rows(0, 2)
    ws.set_footer("&L&9&F&R&9page &P of &N", {"margin": 0.25})
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _chart(wb: Any, sheet: _Sheet, chart: Chart, t: Template, values: dict[str, Any], f: dict[str, Any]) -> None:
    """A small data block (formulas pointing at the outputs) and a chart over it, kept together on one page.

    A category that names an output (a calendar year) is a formula too, so the axis follows the inputs."""
    ws, top = sheet.ws, sheet.row
    ws.merge_range(top, 0, top, 3, chart.title, f["h"])
    ws.write_row(top + 1, 0, ["", *[name for name, _ in chart.series]], f["table_h"])
    for i, category in enumerate(chart.categories):
        r = top + 2 + i
        if category.startswith("out_"):
            ws.write_formula(r, 0, f"={category}", f["category_year"], _cached(values[category]))
        else:
            ws.write(r, 0, category, f["label"])
        for j, (_, outs) in enumerate(chart.series):
            ws.write_formula(r, 1 + j, f"={outs[i]}", f["out_money"], _cached(values[outs[i]]))
    c = wb.add_chart({"type": chart.kind})
    first, last = top + 2, top + 1 + len(chart.categories)
    font = {"size": 10}
    labels = len(chart.categories) <= 3
    for j, (_name, _) in enumerate(chart.series):
        col = 1 + j
        c.add_series(
            {
                "name": ["Plan", top + 1, col],
                "categories": ["Plan", first, 0, last, 0],
                "values": ["Plan", first, col, last, col],
                # figures on the bars only where they cannot collide; the table above the chart has them all
                **({"data_labels": {"value": True, "num_format": "#,##0", "font": font}} if labels else {}),
            }
        )
    c.set_title({"name": chart.title, "name_font": {"size": 12}})
    c.set_x_axis({"num_font": font, "num_format": "0"})
    c.set_y_axis(
        {
            "name": chart.y_title,
            "name_font": font,
            "num_font": font,
            "num_format": "#,##0",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    c.set_legend({"position": "bottom", "font": font})
    c.set_size({"width": 640, "height": 300})
    anchor = last + 2
    ws.insert_chart(anchor, 0, c)
    sheet.row = anchor + 21  # 300 pixels = 225 points: 15 rows of 15 points, and room to spare
    sheet.blocks.append((top, sheet.row - 1))


def build_all(folder: Path = HERE) -> list[Path]:
    """Write every template into ``folder``."""
    from .specs import TEMPLATES

    folder.mkdir(parents=True, exist_ok=True)
    written = [write(t, folder) for t in TEMPLATES]
    from . import portable  # the portable flavour (plain formulas, no add-in) in folder/portable

    return written + portable.build_all(folder / "portable")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else HERE
    for written in build_all(target):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    # run as `python -m xl_rollover.templates.build`: use the package's module so the spec classes are the same objects
    from xl_rollover.templates.build import main as package_main

    sys.exit(package_main())
