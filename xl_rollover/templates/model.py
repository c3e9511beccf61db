"""The template model: a template is data (inputs, outputs, grids, tables, charts, texts), built by
:mod:`xl_rollover.templates.build` and evaluated by :mod:`xl_rollover.templates.evaluation`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from xl_rollover.core.serial_dates import day_of

FIXED_DATE = dt.datetime(2026, 1, 1)


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
    #: A text cell that says "yes" when this figure can be computed; otherwise the cell shows :data:`NOT_POSSIBLE`
    #: (the formula is ``IF(gate="yes", figure, "not possible")``, e.g. option C when its amount cannot be rolled over).
    gate: str | None = None


#: What a gated cell shows when its gate does not say "yes" (the gate cell itself says why, in words).
NOT_POSSIBLE = "not possible"


@dataclass(frozen=True)
class Table:
    """A small input table (e.g. Roth conversions by year) named ``tbl_<name>``."""

    name: str
    label: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    height: int = 6
    kinds: tuple[str, ...] = ()

    def column_names(self) -> tuple[str, ...]:
        """The defined names of its columns, ``tbl_<name>_1`` on (a formula can SUMIF over one column)."""
        return tuple(f"tbl_{self.name}_{k}" for k in range(1, len(self.columns) + 1))


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
    #: Row labels in words, written in column A before the cells (which then start in column B).
    labels: tuple[str, ...] = ()


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
    #: Plan sheet column widths (characters), when not the builder's default (build.WIDTHS); a fifth column holds
    #: a third scenario side by side (a grid's fifth cell), and ordinary rows then spread their authority (inputs:
    #: their help) over it.
    widths: tuple[int, ...] = ()

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
            "a PNG or JPEG file's path; the client report prints it on every page",
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
    text = day_of(int(day)).isoformat() if isinstance(day, (int, float)) else ""
    return f"Prepared for {v['in_client'] or ''} by {v['in_firm'] or ''}, {text}"


#: The line printed under the title on every page.
PREPARED_LINE = Output(
    "out_prepared",
    "Prepared",
    formula='"Prepared for "&{in_client}&" by "&{in_firm}&", "&TEXT({in_prepared},"yyyy-mm-dd")',
    py=_prepared_text,
    fmt="text",
)
