"""Recalculate with LibreOffice Calc headless: fast on big sheets, the project's functions via a bridge.

A dedicated, throw-away LibreOffice profile holds (1) a setting that makes Calc recalculate every
formula when it loads an .xlsx (``OOXMLRecalcMode`` = 0, "always"; otherwise it shows the cached
values), (2) a Basic module with one function per worksheet function, each forwarding its arguments
to (3) a Python script that calls :mod:`udfs.functions` (copied, with the standard-library core, into
the profile's ``Scripts/python/pythonpath``). The bridge catches every exception and returns the
error text: an uncaught Python exception in a bridge function can hang the headless process.

Calc converts the workbook to .xlsx; the values of its formula cells are then written into a copy
of the original bytes (the same writer as the ``formulas`` engine), so the output keeps the input's
formulas and formatting exactly. The process runs in its own session and is killed, with all its
children, when it does not answer within the timeout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from xl_rollover.errors import InputError

from .functions import SPECS

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

BRIDGE = '''"""xl-rollover bridge: LibreOffice Basic -> the project's worksheet functions (generated)."""


def _plain(value):
    if isinstance(value, tuple):
        return [list(_plain(v) for v in row) if isinstance(row, tuple) else _plain(row) for row in value]
    return value


def _back(value):
    import datetime as dt

    if isinstance(value, list):
        return tuple(tuple(_back(v) for v in row) for row in value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):  # as a serial number: Basic has no date objects from Python
        return float((value - dt.date(1899, 12, 30)).days)
    return value


def call(name, args):
    try:
        from udfs import functions

        values = [None if v == "" or v is None else _plain(v) for v in args]
        return _back(getattr(functions, name)(*values))
    except BaseException as exc:  # never let an exception reach LibreOffice (it can hang headless)
        return "#VALUE! bridge: " + type(exc).__name__ + ": " + str(exc)


g_exportedScripts = (call,)
'''


def _basic_module() -> str:
    lines = ["REM xl-rollover: worksheet functions forwarded to Python (generated)", "Private oScript As Object", ""]
    lines += [
        "Function XLR_CALL(sName As String, vArgs As Variant) As Variant",
        "    If IsNull(oScript) Then",
        '        oScript = createUnoService("com.sun.star.script.provider.MasterScriptProviderFactory")'
        '.createScriptProvider("").getScript("vnd.sun.star.script:xl_rollover_bridge.py$call?language=Python&location=user")',
        "    End If",
        "    Dim r As Variant, out() As Variant, i As Long, j As Long",
        "    r = oScript.invoke(Array(sName, vArgs), Array(), Array())",
        "    If IsArray(r) Then",
        "        If UBound(r) >= 0 Then",
        "            If IsArray(r(0)) Then",
        "                ReDim out(0 To UBound(r), 0 To UBound(r(0)))",
        "                For i = 0 To UBound(r)",
        "                    For j = 0 To UBound(r(0))",
        "                        out(i, j) = r(i)(j)",
        "                    Next j",
        "                Next i",
        "                XLR_CALL = out",
        "                Exit Function",
        "            End If",
        "        End If",
        "    End If",
        "    XLR_CALL = r",
        "End Function",
        "",
    ]
    for name, spec in SPECS.items():
        params = [f"a{i}" for i in range(len(spec.params))]
        lines.append(f"Function {name}({', '.join('Optional ' + p for p in params)}) As Variant")
        lines.append(f"    Dim v({len(params) - 1}) As Variant")
        for i, p in enumerate(params):
            lines.append(f'    If IsMissing({p}) Then v({i}) = "" Else v({i}) = {p}')
        lines.append(f'    {name} = XLR_CALL("{name}", v)')
        lines.append("End Function")
        lines.append("")
    body = "\n".join(lines).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">{body}</script:module>\n'
    )


def soffice() -> str:
    """The LibreOffice executable, or an error saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise InputError(
        "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui "
        "libreoffice-script-provider-python); use --engine formulas"
    )


def _run(command: list[str], timeout: float, what: str) -> None:
    """Run LibreOffice in its own session; on timeout kill the whole process group (no orphans)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise InputError(f"LibreOffice did not answer within {timeout:g} s while {what}; it was stopped") from None
    finally:
        if process.poll() is None:  # pragma: no cover - defensive
            os.killpg(process.pid, signal.SIGKILL)
    if process.returncode != 0:
        raise InputError(f"LibreOffice failed while {what}: {err.decode(errors='replace').strip()[:300]}")


def _profile(folder: Path, binary: str, timeout: float) -> str:
    """Create the dedicated profile; returns its -env:UserInstallation URL."""
    url = (folder / "profile").as_uri()
    _run(
        [binary, "--headless", "--terminate_after_init", f"-env:UserInstallation={url}"],
        timeout,
        "creating its profile",
    )
    user = folder / "profile" / "user"
    (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    (user / "basic" / "Standard" / "Module1.xba").write_text(_basic_module(), encoding="utf-8")
    scripts = user / "Scripts" / "python"
    pythonpath = scripts / "pythonpath"
    pythonpath.mkdir(parents=True, exist_ok=True)
    (scripts / "xl_rollover_bridge.py").write_text(BRIDGE, encoding="utf-8")
    for package in ("xl_rollover", "udfs"):
        source = Path(str(resources.files(package)))
        shutil.copytree(source, pythonpath / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return url


def recalculate(source: Path, timeout: float = 120.0) -> dict[str, Any]:
    """Values of every cell LibreOffice computed, keyed ``SHEET!A1`` (sheet upper-cased), from a recalculated copy."""
    import openpyxl

    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="xlr-lo-") as tmp:
        folder = Path(tmp)
        url = _profile(folder, binary, timeout)
        work = folder / "in"
        work.mkdir()
        book = work / "book.xlsx"
        shutil.copyfile(source, book)
        out = folder / "out"
        _run(
            [
                binary,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={url}",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(book),
            ],
            timeout,
            f"recalculating {source.name}",
        )
        result = out / "book.xlsx"
        if not result.exists():
            raise InputError(f"LibreOffice produced no workbook for {source.name}")
        workbook = openpyxl.load_workbook(result, data_only=True, read_only=True)
        values: dict[str, Any] = {}
        try:
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if getattr(cell, "coordinate", None) and cell.value is not None:
                            values[f"{sheet.title.upper()}!{cell.coordinate}"] = cell.value
        finally:
            workbook.close()
        return values
