"""xlwings Lite script: write an xl-rollover template's formulas into the open workbook.

Excel stores a formula that calls an Office.js custom function (how xlwings Lite registers Python
functions) under the function's internal name, ``_xldudf_...``; a template file holds the plain names,
which may not bind to Lite's functions until each formula is entered again. This script enters every
formula cell that calls one of the functions again through xlwings Lite (``Range.formula``), from the table of
formula cells read out of the shipped templates (``xl_rollover/excel/template_formulas.json``, package data, made by
``python -m xl_rollover.excel.lite``). The template is recognised by its title in Instructions!A1.

Sheet protection: xlwings Lite's Python API (xlwings 0.37.8: the actions of ``xlwings/pro/_xlremote.py``)
has no call to unprotect or protect a sheet, and Excel refuses writes to locked cells of a protected
sheet, so the Plan sheet is unprotected by hand first (Review > Unprotect Sheet, no password) and
protected again afterwards; the Instructions sheet says so.
"""

import json
import pkgutil
import sys
from typing import Any

#: The Instructions cell that names the template.
TITLE_CELL = "A1"

Book: Any = object


def _no_script(**_kwargs: Any) -> Any:
    return lambda f: f


script: Any = _no_script
# Like xl_rollover.excel.functions: xlwings' decorator only where xlwings is the host (Lite runs in Pyodide).
if sys.platform in ("win32", "emscripten") or "xlwings" in sys.modules:
    try:
        import xlwings as _xlwings

        Book, script = _xlwings.Book, _xlwings.script
    except ImportError:  # pragma: no cover - exercised where xlwings is absent
        pass


def formula_table() -> dict[str, dict[str, Any]]:
    """``{title: {"file": ..., "cells": [[sheet, address, formula], ...]}}``, the package's formula table."""
    data = pkgutil.get_data("xl_rollover.excel", "template_formulas.json")
    if data is None:  # pragma: no cover - get_data raises instead for a missing file
        raise FileNotFoundError("template_formulas.json")
    table: dict[str, dict[str, Any]] = json.loads(data.decode("utf-8"))
    return table


def write_formulas(book: Any) -> int:
    """Set every formula cell of the open template through ``book`` (an xlwings Book); returns the count."""
    table = formula_table()
    names = [sheet.name for sheet in book.sheets]
    title = book.sheets["Instructions"][TITLE_CELL].value if "Instructions" in names else None
    entry = table.get(title) if isinstance(title, str) else None
    if entry is None:
        known = "; ".join(sorted(v["file"] for v in table.values()))
        raise ValueError(
            f"this workbook is not an xl-rollover template (Instructions!{TITLE_CELL} is {title!r}); "
            f"the script knows: {known}"
        )
    for sheet, address, formula in entry["cells"]:
        book.sheets[sheet][address].formula = formula
    return len(entry["cells"])


@script(name="Write template formulas")
def write_template_formulas(book: Book) -> None:
    """Write this template's formulas again through xlwings Lite so Excel binds them to the functions."""
    count = write_formulas(book)
    print(f"xl-rollover: wrote {count} formulas; protect the Plan sheet again (Review > Protect Sheet).")
