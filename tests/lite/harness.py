"""Inside Pyodide: load main.py the way xlwings Lite does and answer calls through xlwings' own path.

xlwings Lite sets XLWINGS_ON_SERVER before xlwings is imported, reads the functions' metadata with
custom_functions_meta(main) and runs each cell's call with custom_functions_call(payload, main),
every argument arriving as a 2-D matrix. The licence key below only unlocks xlwings' Office.js call
path inside this test sandbox (the free noncommercial key, as xlwings' own Pyodide prototypes use);
xl-rollover itself never needs a key.
"""

import json
import os
import sys

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path[:0] = ["/mnt/xlwings", "/mnt/lite"]

import main  # noqa: E402  (the file `xl-rollover lite` wrote)
import xlwings  # noqa: E402
from xlwings.server import custom_functions_call, custom_functions_meta  # noqa: E402


async def _answer():
    meta = custom_functions_meta(main)
    answers = []
    for call in json.loads(CALLS_JSON):  # noqa: F821 - set by run_lite.mjs
        payload = {
            "func_name": call["func_name"],
            "args": call["args"],
            "caller_address": "Sheet1!A1",
            "version": xlwings.__version__,
            "client": "Office.js",
            "runtime": "1.4",
            "culture_info_name": "en-US",
            "date_format": None,
        }
        try:
            answers.append({"value": await custom_functions_call(payload, main)})
        except Exception as exc:  # an error xlwings Lite shows as #VALUE! with this message
            answers.append({"raised": type(exc).__name__, "message": str(exc)})
    return json.dumps(
        {
            "python": sys.version,
            "platform": sys.platform,
            "xlwings": xlwings.__version__,
            "udfs_from": sys.modules["xl_rollover.excel.functions"].__file__,
            "meta": meta,
            "answers": answers,
        },
        default=str,
    )


await _answer()  # noqa: F704 - Pyodide runs this file with top-level await
