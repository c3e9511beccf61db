"""Excel parity: run ``xl-rollover calc`` on Excel-authored workbooks and compare with Excel's stored values.

Run:  .venv/bin/python benchmarks/excel_parity.py [--engine formulas|libreoffice] [--json] WORKBOOK...

A workbook saved by Excel carries, in each formula cell, the value Excel computed. For each workbook
given (only those whose ``docProps/app.xml`` names Microsoft Excel, unless ``--any-app``), this:

1. runs ``python -m xl_rollover.cli calc`` (the CLI path users run) on a copy whose formula cells
   hold no stored value (so a value calc did not write cannot pass for one it computed);
2. parses every XML part of the output with expat (each must be well-formed);
3. compares every formula cell's value in the output with the value Excel stored in the input:
   numbers to a relative 1e-9 (absolute 1e-12 near zero), text exactly (after ST_Xstring escapes are
   undone), errors by code, booleans as booleans.

Differences are put down to one reason each: the engine does not implement a function the formula
calls (counted per function; for LibreOffice, whose list is not read here, a ``#NAME?`` where Excel has
none), a volatile function (NOW, TODAY, RAND...), or a plain difference of number, text, error or type.

``--per-sheet`` recalculates one copy per sheet, the formulas of the other sheets removed (their cells
keep Excel's stored values): a sheet the engine cannot finish is then reported alone, the others are
still compared. ``--without FUNCTION`` (repeatable) leaves out the formulas that call FUNCTION the same
way, counted apart: for a function that hangs or crashes the engine. The cells are read with ElementTree, independently of ``xl_rollover.engines.recalc``.
Exit status: 0 if every output parsed and no cell differed for a plain reason, 1 otherwise.
The workbooks themselves are third-party test files: fetch them, do not commit them.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
VOLATILE = {"NOW", "TODAY", "RAND", "RANDBETWEEN", "RANDARRAY", "OFFSET", "INDIRECT", "INFO", "CELL"}
_CALLS = re.compile(r"(?<![A-Za-z0-9_.])((?:_xlfn\.|_xlws\.)?[A-Za-z][A-Za-z0-9_.]*)\s*\(")
_STRINGS = re.compile(r'"(?:[^"]|"")*"')
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
REL_TOL, ABS_TOL = 1e-9, 1e-12


def functions_called(formula: str) -> set[str]:
    """Upper-case names of the functions a formula calls (text in quotes ignored, ``_xlfn.`` dropped)."""
    names = set()
    for name in _CALLS.findall(_STRINGS.sub('""', formula)):
        name = name.upper()
        for prefix in ("_XLFN.", "_XLWS."):
            name = name.removeprefix(prefix)
        names.add(name)
    return names


def _xstring(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in workbook.iter(f"{NS}sheet"):
        target = targets.get(sheet.get(f"{REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in archive.namelist():
            out[sheet.get("name", "")] = part
    return out


def read_cells(path: Path) -> dict[tuple[str, str], tuple[str | None, Any]]:
    """(sheet, cell) -> (formula text or None for a non-formula cell, stored value or None), formula cells only.

    A shared formula's dependent cells get the master's text (enough to know the functions called).
    Cells inside an array formula's range other than its master carry no formula and are left out.
    """
    cells: dict[tuple[str, str], tuple[str | None, Any]] = {}
    with zipfile.ZipFile(path) as archive:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            for si in root.iter(f"{NS}si"):
                shared.append(_xstring("".join(t.text or "" for t in si.iter(f"{NS}t") if _not_phonetic(si, t))))
        for sheet, part in _sheets(archive).items():
            masters: dict[str, str] = {}
            root = ElementTree.fromstring(archive.read(part))
            for c in root.iter(f"{NS}c"):
                f = c.find(f"{NS}f")
                if f is None:
                    continue
                text = f.text or ""
                if f.get("t") == "shared" and f.get("si") is not None:
                    if text:
                        masters[f.get("si", "")] = text
                    else:
                        text = masters.get(f.get("si", ""), "")
                cells[(sheet, c.get("r", ""))] = (text, _value(c, shared))
    return cells


def _not_phonetic(si: ElementTree.Element, t: ElementTree.Element) -> bool:
    return all(t not in list(rph) for rph in si.iter(f"{NS}rPh"))


def _value(c: ElementTree.Element, shared: list[str]) -> Any:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        is_ = c.find(f"{NS}is")
        return None if is_ is None else _xstring("".join(t.text or "" for t in is_.iter(f"{NS}t")))
    v = c.find(f"{NS}v")
    if v is None:
        return None
    text = v.text or ""
    if kind == "s":
        return shared[int(text)]
    if kind == "str":
        return _xstring(text)
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "e":
        return ("error", text)
    return float(text)


def same(excel: Any, ours: Any) -> bool:
    """Excel's stored value and ours agree (numbers to REL_TOL/ABS_TOL, the rest exactly)."""
    if isinstance(excel, bool) or isinstance(ours, bool):
        return type(excel) is type(ours) and excel == ours
    if isinstance(excel, float) and isinstance(ours, float):
        return math.isclose(excel, ours, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return type(excel) is type(ours) and excel == ours


def _kind(value: Any) -> str:
    if isinstance(value, tuple):
        return "error"
    return {bool: "boolean", float: "number", str: "text", type(None): "no value"}[type(value)]


def xml_parts_parse(path: Path) -> list[str]:
    """Names of the output's XML parts that are not well-formed (expat), with the error."""
    bad = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.lower().endswith((".xml", ".rels", ".vml")):
                try:
                    expat.ParserCreate().Parse(archive.read(name), True)
                except expat.ExpatError as exc:
                    bad.append(f"{name}: {exc}")
    return bad


def excel_authored(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return False
    m = re.search(r"<Application>(.*?)</Application>", app)
    return bool(m and "Excel" in m.group(1) and "Microsoft" in m.group(1))


_LINKED_FORMULA = re.compile(r"<f\b[^>]*>[^<]*\[\d+\][^<]*</f>")


def break_links(path: Path, folder: Path) -> Path:
    """A copy of ``path`` with its external links broken as Excel's Data > Edit Links > Break Link does.

    Formulas that refer to another workbook (``[1]Sheet1!A1``) keep their stored value and lose the
    formula; names defined by a link, the externalLink parts, their relationships and content types, and ``externalReferences``
    go. calc refuses linked workbooks, so this is how such a test file can be compared at all.
    """
    copy = folder / (path.stem + ".unlinked" + path.suffix.lower())
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = info.filename
            if name.startswith("xl/externalLinks/"):
                continue
            data = zin.read(info)
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                data = _LINKED_FORMULA.sub("", data.decode("utf-8")).encode("utf-8")
            elif name == "xl/workbook.xml":
                data = re.sub(rb"<externalReferences>.*?</externalReferences>", b"", data, flags=re.DOTALL)
                data = re.sub(rb"<definedName\b[^>]*>[^<]*\[\d+\][^<]*</definedName>", b"", data)
            elif name == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb"<Relationship\b[^>]*externalLink[^>]*/>", b"", data)
            elif name == "[Content_Types].xml":
                data = re.sub(rb"<Override\b[^>]*externalLink[^>]*/>", b"", data)
            zout.writestr(info, data)
    return copy


_FORMULA_CELL = re.compile(r"<c\b([^>]*)>(<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)(?:<v>[^<]*</v>|<v/>)?</c>")


_TYPE = re.compile(r'\st="[^"]*"')


def without_values(path: Path, folder: Path) -> Path:
    """A copy of ``path`` whose formula cells hold no stored value, so none can survive into the output.

    Compared with the original's values, every formula cell then shows what calc computed, not a value
    it left in place.
    """
    copy = folder / (path.stem + ".blank" + path.suffix.lower())
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                text = _FORMULA_CELL.sub(lambda m: f"<c{_TYPE.sub('', m.group(1))}>{m.group(2)}</c>", data.decode())
                data = text.encode("utf-8")
            zout.writestr(info, data)
    return copy


def implemented(engine: str) -> set[str] | None:
    """Functions the engine implements, upper case (None: unknown, for LibreOffice)."""
    if engine != "formulas":
        return None
    import formulas

    return {name.upper() for name in formulas.get_functions()}


_ANY_FORMULA = re.compile(r"<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>")


def only_sheet(path: Path, folder: Path, sheet: str) -> Path:
    """A copy of ``path`` whose formulas outside ``sheet`` are removed; their cells keep the stored values."""
    with zipfile.ZipFile(path) as archive:
        keep = _sheets(archive)[sheet]
        others = set(_sheets(archive).values()) - {keep}
    label = re.sub(r"\W", "_", sheet)
    copy = folder / f"{path.stem}.{label}{path.suffix.lower()}"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in others:
                data = _ANY_FORMULA.sub("", data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return copy


_SHARED_SI = re.compile(r'\bsi="(\d+)"')


def leave_out(path: Path, folder: Path, names: set[str]) -> Path:
    """A copy of ``path`` without the formulas that call any of ``names`` (a shared group with its master).

    Their cells keep Excel's stored values: for functions that stop an engine (a hang or a crash), so
    the rest of the workbook can still be compared.
    """

    def drop(xml: str) -> str:
        groups: set[str] = set()

        def fix(m: re.Match[str]) -> str:
            element = m.group(0)
            attrs = element.split(">", 1)[0]
            si = _SHARED_SI.search(attrs) if 't="shared"' in attrs else None
            text = re.sub(r"<[^>]*>", "", element)
            if not text:  # a shared formula's dependent: as its master
                return "" if si and si.group(1) in groups else element
            if not functions_called(_unescape(text)) & names:
                return element
            if si:
                groups.add(si.group(1))
            return ""

        return _ANY_FORMULA.sub(fix, xml)

    copy = folder / f"{path.stem}.without{path.suffix.lower()}"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = drop(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return copy


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def check(
    path: Path,
    engine: str,
    folder: Path,
    timeout: float,
    known: set[str] | None,
    sheet: str | None = None,
    without: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Recalculate ``path`` (only ``sheet``'s formulas, if given) and compare its formula cells with Excel's."""
    original = path
    if without:
        path = leave_out(path, folder, set(without))
    if sheet is not None:
        path = only_sheet(path, folder, sheet)
    output = folder / (path.stem + ".out" + path.suffix.lower())
    blank = without_values(path, folder)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "xl_rollover.cli",
            "calc",
            str(blank),
            "-o",
            str(output),
            "--overwrite",
            "--engine",
            engine,
            "--timeout",
            str(timeout),
        ],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    report: dict[str, Any] = {"workbook": original.name + (f" [{sheet}]" if sheet else ""), "exit": run.returncode}
    if run.returncode != 0 and not (run.returncode == 1 and output.exists()):  # 1: written, some cells errors
        report["refused"] = (run.stderr.strip() or run.stdout.strip())[-300:]
        return report
    report["bad_parts"] = xml_parts_parse(output)
    excel, ours = read_cells(original), read_cells(output)
    reasons: collections.Counter[str] = collections.Counter()
    missing: collections.Counter[str] = collections.Counter()
    by_function: collections.Counter[str] = collections.Counter()  # differing cells per function called
    differing = []
    for key, (formula, stored) in excel.items():
        if sheet is not None and key[0] != sheet:
            continue
        if functions_called(formula or "") & without:
            reasons["left out (--without)"] += 1
            continue
        if stored is None:
            reasons["no stored value in the input"] += 1
            continue
        _, value = ours.get(key, (None, None))
        if same(stored, value):
            reasons["equal"] += 1
            continue
        called = functions_called(formula or "")
        if known is not None:
            lacking = sorted(called - known)
        elif value == ("error", "#NAME?"):  # LibreOffice: a name it does not know
            lacking = sorted(called) or ["(a name)"]
        else:
            lacking = []
        if lacking:
            reasons["engine lacks a function"] += 1
            missing.update(lacking)
        elif called & VOLATILE:
            reasons["volatile function"] += 1
        else:
            reason = (
                f"{_kind(stored)} vs {_kind(value)}" if _kind(stored) != _kind(value) else f"{_kind(stored)} differs"
            )
            reasons[reason] += 1
            differing.append({"cell": f"{key[0]}!{key[1]}", "formula": formula, "excel": stored, "ours": value})
            by_function.update(called or {"(no function)"})
    report.update(
        cells=sum(reasons.values()),
        reasons=dict(reasons),
        missing=dict(missing),
        differing=differing,
        by_function=dict(by_function),
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbooks", nargs="+", type=Path)
    parser.add_argument("--engine", default="formulas", choices=("formulas", "libreoffice"))
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--any-app", action="store_true", help="also workbooks not saved by Excel")
    parser.add_argument("--break-links", action="store_true", help="compare a copy with external links broken")
    parser.add_argument("--json", action="store_true", help="print every report as JSON")
    parser.add_argument("--per-sheet", action="store_true", help="recalculate each sheet apart (see above)")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="FUNCTION",
        help="leave out the formulas calling FUNCTION (they keep Excel's values; counted apart)",
    )
    parser.add_argument("--show", type=int, default=10, help="differing cells listed per workbook")
    args = parser.parse_args(argv)
    known = implemented(args.engine)
    without = frozenset(name.upper() for name in args.without)
    reports = []
    with tempfile.TemporaryDirectory(prefix="xlr-parity-") as tmp:
        for path in args.workbooks:
            if not args.any_app and not excel_authored(path):
                reports.append({"workbook": path.name, "skipped": "not saved by Microsoft Excel"})
                continue
            if args.break_links:
                path = break_links(path, Path(tmp))
            if not args.per_sheet:
                reports.append(check(path, args.engine, Path(tmp), args.timeout, known, None, without))
                continue
            with zipfile.ZipFile(path) as archive:
                sheets = list(_sheets(archive))
            for sheet in sheets:
                reports.append(check(path, args.engine, Path(tmp), args.timeout, known, sheet, without))
    total: collections.Counter[str] = collections.Counter()
    missing: collections.Counter[str] = collections.Counter()
    by_function: collections.Counter[str] = collections.Counter()
    failed = False
    for r in reports:
        total.update(r.get("reasons", {}))
        missing.update(r.get("missing", {}))
        by_function.update(r.get("by_function", {}))
        failed |= bool(r.get("bad_parts")) or bool(r.get("differing"))
    if args.json:
        print(json.dumps(reports, indent=1, default=str))
    else:
        for r in reports:
            if "skipped" in r or "refused" in r:
                print(f"{r['workbook']}: {r.get('skipped') or 'calc exit ' + str(r['exit']) + ': ' + r['refused']}")
                continue
            print(
                f"{r['workbook']}: {r['cells']} formula cells, {r['reasons'].get('equal', 0)} equal"
                + (f", NOT WELL-FORMED: {r['bad_parts']}" if r["bad_parts"] else "")
            )
            for d in r["differing"][: args.show]:
                print(f"    {d['cell']} ={d['formula']}: Excel {d['excel']!r}, ours {d['ours']!r}")
    checked = [r for r in reports if "cells" in r]
    print(
        f"\nengine {args.engine}: {len(reports)} workbooks, {len(checked)} recalculated, "
        f"{sum(1 for r in reports if 'refused' in r)} refused by calc, "
        f"{sum(1 for r in reports if 'skipped' in r)} skipped; "
        f"{sum(1 for r in checked if r['bad_parts'])} outputs with a part that does not parse"
    )
    print(f"formula cells: {sum(total.values())}; " + "; ".join(f"{k}: {v}" for k, v in total.most_common()))
    if missing:
        print("functions the engine lacks (cells): " + ", ".join(f"{k} {v}" for k, v in missing.most_common()))
    if by_function:
        print("differing cells by function called: " + ", ".join(f"{k} {v}" for k, v in by_function.most_common()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
