"""Inside Pyodide: install the xl-rollover wheel with micropip from a local file, then compute through Lite.

This is what a firm hosting its own wheel gets: ``requirements.txt`` names the wheel, ``main.py`` only
imports the functions (written by the test into /mnt/lite), and every call goes through xlwings' own
custom-function path. micropip (pinned, pure Python, from PyPI) is unpacked first because Pyodide's
package index is not reachable offline; the wheel itself is installed by micropip from the Emscripten
file system (an ``emfs:`` URL).
"""

import json
import os
import sys
import zipfile

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
site = next(p for p in sys.path if p.endswith("site-packages"))
inputs = json.loads(CALLS_JSON)  # noqa: F821 - set by run_lite.mjs
with zipfile.ZipFile(f"/mnt/extra/{inputs['micropip']}") as wheel:
    wheel.extractall(site)

import micropip  # noqa: E402

await micropip.install(f"emfs:/mnt/extra/{inputs['wheel']}")  # noqa: F704

sys.path[:0] = ["/mnt/xlwings", "/mnt/lite"]
import main  # noqa: E402  (only: from xl_rollover.excel.functions import ...)
import xlwings  # noqa: E402
from xlwings.server import custom_functions_call  # noqa: E402


async def _answer():
    answers = []
    for call in inputs["calls"]:
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
        answers.append(await custom_functions_call(payload, main))
    import xl_rollover
    import xl_rollover.excel.functions
    from xl_rollover.excel.lite_script import formula_table

    return json.dumps(
        {
            "installed": [p.name for p in micropip.list().values() if p.name == "xl-rollover"],
            "core_from": xl_rollover.__file__,
            "udfs_from": xl_rollover.excel.functions.__file__,
            "answers": answers,
            "templates": sorted(v["file"] for v in formula_table().values()),
        },
        default=str,
    )


await _answer()  # noqa: F704 - Pyodide runs this file with top-level await
