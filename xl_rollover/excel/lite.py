"""Write the two files an xlwings Lite user pastes into the add-in's editor: main.py, requirements.txt.

xlwings Lite keeps a workbook's Python code in the workbook, so the generated ``main.py`` carries
the core and the Excel layer (the project modules the functions and the Lite script import, and the
data files; not batch, the CLI or the headless engines) as an embedded zip archive: it writes the archive to the
runtime's temporary folder, puts it on ``sys.path`` and imports the functions and the script, whose
``@func``/``@arg``/``@script`` metadata xlwings Lite reads. Every template's formula cells, read from
the workbooks' XML, are package data (``xl_rollover/excel/template_formulas.json``, in the bundle and the wheel) for
the script that writes them through Lite. Nothing is fetched from the network, and the same sources
give the same file (reproducible: fixed timestamps, sorted). ``python -m xl_rollover.excel.lite`` regenerates the
committed copies: the formula table, then ``lite/main.py`` and ``lite/requirements.txt``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import modulefinder
import os
import posixpath
import re
import tempfile
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import xl_rollover
from xl_rollover.core.errors import InputError

PACKAGES = ("xl_rollover",)
#: What Lite imports: the worksheet functions and the script. The bundle holds these and the project
#: modules they import (found by the standard library's modulefinder), so batch, the CLI, the demo and
#: the headless engines stay out, including modules added later.
ENTRY_MODULES = ("xl_rollover.excel.functions", "xl_rollover.excel.lite_script")
#: Pure-Python dependency of the functions inside Lite (xlwings itself; the core needs nothing).
REQUIREMENTS = (
    "# xl-rollover for xlwings Lite: the project travels inside main.py; only xlwings is needed.\nxlwings<1.0.0\n"
)
ROOT = Path(__file__).resolve().parents[2]
#: The shipped templates (a source checkout) and the formula table made from them.
TEMPLATES = ROOT / "workbooks"
FORMULAS = "xl_rollover/excel/template_formulas.json"
FORMULAS_FILE = Path(__file__).with_name("template_formulas.json")
#: The command that regenerates the committed copies, run from the repository root.
REGENERATE = ".venv/bin/python -m xl_rollover.excel.lite"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def lite_modules() -> frozenset[str]:
    """Paths (``pkg/mod.py``) of the project modules :data:`ENTRY_MODULES` import, directly or not."""
    roots = sorted({str(Path(str(resources.files(p))).parent) for p in PACKAGES})
    finder = modulefinder.ModuleFinder(path=roots)
    for entry in ENTRY_MODULES:
        finder.import_hook(entry, fromlist=["*"])
    out = set()
    for name, module in finder.modules.items():
        path = getattr(module, "__file__", None)
        if name.split(".")[0] in PACKAGES and path:
            relative = name.replace(".", "/") + ("/__init__.py" if Path(path).name == "__init__.py" else ".py")
            out.add(relative)
    return frozenset(out)


def _files(package: str) -> list[tuple[str, bytes]]:
    root = resources.files(package)
    modules = lite_modules()
    out: list[tuple[str, bytes]] = []

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith((".csv", ".json")) or f"{prefix}{child.name}" in modules:
                out.append((f"{prefix}{child.name}", child.read_bytes()))

    walk(root, f"{package}/")
    return out


def _sheet_paths(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out = []
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((sheet.get("name", ""), part))
    return out


def _first_cell_text(book: zipfile.ZipFile, part: str) -> str:
    """The text of A1 (a shared or inline string) of one sheet part."""
    sheet = ElementTree.fromstring(book.read(part))
    cell = sheet.find("m:sheetData/m:row/m:c[@r='A1']", _NS)
    if cell is None:
        return ""
    if cell.get("t") == "s":
        strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", _NS)
        item = strings[int(cell.findtext("m:v", "0", _NS))]
        return "".join(t.text or "" for t in item.iter(f"{{{_NS['m']}}}t"))
    return "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t")) or cell.findtext("m:v", "", _NS)


def calls_a_function(formula: str) -> bool:
    """Whether a formula calls one of the project's worksheet functions (the calls Lite must bind)."""
    from .functions import SPECS

    return any(re.search(rf"(?<![\w.]){name}\s*\(", formula, re.IGNORECASE) for name in SPECS)


def template_formulas(folder: str | Path = TEMPLATES) -> dict[str, dict[str, Any]]:
    """Every formula cell of every template in ``folder`` that calls a project function, by title (Instructions!A1).

    Returns ``{title: {"file": name, "cells": [[sheet, "F12", "=FORMULA(...)"], ...]}}`` with the
    formulas as a user types them (the file's ``_xlfn.``/``_xlws.`` prefixes of newer built-ins
    removed). An array formula is written to its top-left cell, where Excel spills it. Formulas of
    Excel's own functions and names need no binding and are left alone (some sit on other protected
    sheets, e.g. the Sources sheet's date), so only the Plan sheet is unprotected for the script.
    """
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder).glob("*.xlsx")):
        with zipfile.ZipFile(path) as book:
            sheets = _sheet_paths(book)
            cells: list[list[str]] = []
            for name, part in sheets:
                root = ElementTree.fromstring(book.read(part))
                for cell in root.iterfind("m:sheetData/m:row/m:c", _NS):
                    f = cell.find("m:f", _NS)
                    if f is None:
                        continue
                    if f.get("t") == "shared":
                        raise ValueError(f"{path.name}!{cell.get('r')}: shared formulas are not supported")
                    text = (f.text or "").replace("_xlfn._xlws.", "").replace("_xlfn.", "").replace("_xlws.", "")
                    if calls_a_function(text):
                        cells.append([name, cell.get("r", ""), "=" + text])
            title = _first_cell_text(book, dict(sheets)["Instructions"])
        out[title] = {"file": path.name, "cells": cells}
    return out


def formula_table_text(folder: str | Path = TEMPLATES) -> str:
    """The text of ``xl_rollover/excel/template_formulas.json`` for the templates in ``folder``."""
    return json.dumps(template_formulas(folder), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def bundle() -> bytes:
    """The project's Lite sources and data (incl. the formula table) as a deterministic zip archive."""
    files = [item for package in PACKAGES for item in _files(package)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def main_py() -> str:
    """The text of main.py for xlwings Lite."""
    data = bundle()
    digest = hashlib.sha256(data).hexdigest()[:16]
    encoded = base64.b64encode(data).decode("ascii")
    lines = [encoded[i : i + 100] for i in range(0, len(encoded), 100)]
    from .functions import SPECS

    names = ", ".join(sorted(SPECS))
    imports = "".join(f"    {name},\n" for name in sorted(SPECS))
    return (
        f'"""xl-rollover {xl_rollover.__version__} worksheet functions for xlwings Lite.\n\n'
        f"Generated by `{REGENERATE}`; regenerate rather than edit. Functions: "
        f"{names}.\n"
        'Each has help in Excel\'s function wizard; output="explain" shows the rules behind a figure.\n'
        'Script "Write template formulas" (Lite pane: pick it, click Run) writes an xl-rollover template\'s\n'
        "formulas into the open workbook so they bind to these functions (unprotect the Plan sheet first).\n"
        '"""\n\n'
        "import base64\nimport os\nimport sys\nimport tempfile\n\n"
        f'_DIGEST = "{digest}"\n'
        "_BUNDLE = (\n" + "".join(f'    "{line}"\n' for line in lines) + ")\n\n\n"
        "def _install():\n"
        '    path = os.path.join(tempfile.gettempdir(), f"xl_rollover_{_DIGEST}.zip")\n'
        "    if not os.path.exists(path):\n"
        '        with open(path + ".part", "wb") as handle:\n'
        "            handle.write(base64.b64decode(_BUNDLE))\n"
        '        os.replace(path + ".part", path)\n'
        "    if path not in sys.path:\n"
        "        sys.path.insert(0, path)\n\n\n"
        "_install()\n\n"
        f"from xl_rollover.excel.functions import (  # noqa: E402,F401\n{imports})\n"
        "from xl_rollover.excel.lite_script import write_template_formulas  # noqa: E402,F401\n"
    )


def write(directory: str | Path) -> list[Path]:
    """Write ``main.py`` and ``requirements.txt`` into ``directory`` (created if needed), each whole or not at all."""
    if not str(directory).strip():
        raise InputError("DIR is blank; give the folder for main.py and requirements.txt (e.g. lite)")
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; give a folder for main.py and requirements.txt")
    folder.mkdir(parents=True, exist_ok=True)
    return [_replace(folder / "main.py", main_py()), _replace(folder / "requirements.txt", REQUIREMENTS)]


def _replace(path: Path, text: str) -> Path:
    """``text`` into a private temporary file beside ``path``, renamed over it when complete: a file that is already
    there is replaced whole (a symlink planted at ``path`` is replaced, never written through)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # what an ordinary new file gets; mkstemp makes it 0600
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):  # named as the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    return path


def regenerate(root: Path = ROOT) -> list[Path]:
    """Rewrite the committed files from the sources: the formula table, then lite/main.py and requirements.txt."""
    FORMULAS_FILE.write_text(formula_table_text(root / "workbooks"), encoding="utf-8")
    return [FORMULAS_FILE, *write(root / "lite")]


if __name__ == "__main__":
    for written in regenerate():
        print(f"wrote {written}")
