"""Inside Pyodide: run main.py's "Write template formulas" script through xlwings' own script call path.

xlwings Lite builds the open workbook as ``xw.Book(json=...)`` from Office.js (sheets, values, names),
calls ``custom_scripts_call(main, name, typehint_to_value={xw.Book: book})`` and applies the actions of
``book.json()`` in Excel. Each input here is one template's sheets, with its title in Instructions!A1.
The licence key only unlocks that path inside this test sandbox (see harness.py).
"""

import json
import os
import sys

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path[:0] = ["/mnt/xlwings", "/mnt/lite"]

import main  # noqa: E402  (the file `xl-rollover lite` wrote)
import xlwings as xw  # noqa: E402
from xlwings.server import custom_scripts_call, custom_scripts_meta  # noqa: E402


def _book(template):
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": template["file"], "active_sheet_index": 1, "selection": "A1"},
        "names": [],
        "sheets": [
            {
                "name": name,
                "values": [[template["title"]]] if name == "Instructions" else [[None]],
                "pictures": [],
                "tables": [],
            }
            for name in template["sheets"]
        ],
    }


async def _answer():
    runs = []
    for template in json.loads(CALLS_JSON):  # noqa: F821 - set by run_lite.mjs
        book = xw.Book(json=_book(template))
        try:
            result = await custom_scripts_call(main, "write_template_formulas", typehint_to_value={xw.Book: book})
            runs.append({"actions": result.json()["actions"]})
        except Exception as exc:  # what Lite shows in its output pane
            runs.append({"raised": type(exc).__name__, "message": str(exc)})
    return json.dumps({"scripts": custom_scripts_meta(main), "runs": runs}, default=str)


await _answer()  # noqa: F704 - Pyodide runs this file with top-level await
