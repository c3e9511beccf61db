"""A client PDF from a template or a filled workbook (``xl-rollover report WORKBOOK -o REPORT.pdf``).

The report is the workbook's own print layout (the Plan sheet: the summary box first, the client's figures,
every computed figure with its reason and authority, the charts; then the Sources sheet), printed by
LibreOffice headless. So the report and the printed template are one layout, stated once in
``xl_rollover/templates/build.py``; LibreOffice draws the charts as vector graphics and embeds the fonts it uses.

Steps: the workbook is recalculated with the project's functions first (:func:`xl_rollover.engines.recalc.calculate`, so
figures typed in a copy that was saved without its values are never stale); a print copy then hides the
Instructions sheet and puts the firm, the client and the date prepared in the page footer beside the page
number (a footer cannot read a cell, so the template's own footer only names the file); LibreOffice prints it.
The firm's logo (``--logo FILE``, or the path in the template's Logo cell) is then stamped on every page
(:mod:`xl_rollover.templates.logo`: LibreOffice prints no header image). The PDF is written whole or not at all (a temporary
file beside it, then a rename); a logo that cannot be used stops the report before anything is printed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import openpyxl

from xl_rollover.core.errors import InputError
from xl_rollover.engines.libreoffice import _run, soffice  # LibreOffice in its own session, killed whole on timeout
from xl_rollover.engines.recalc import calculate

from .logo import Logo, read_logo, stamp

#: The sheets a report prints, in this order; the others (Instructions, Lists, xlwings.conf) are hidden.
PRINTED = ("Plan", "Sources")
_SHEET = re.compile(r'<sheet\b[^>]*\bname="([^"]*)"[^>]*/>')
_FOOTER = re.compile(r"<oddFooter>.*?</oddFooter>", re.DOTALL)
#: Inputs for the advisor, not the client: their rows are hidden in the printed copy (the logo's file path).
NOT_PRINTED = ("in_logo",)


@dataclass(frozen=True)
class Report:
    """What was written: the PDF, its page count, and who it was prepared for and by."""

    path: Path
    pages: int
    client: str
    firm: str
    prepared: str
    logo: Path | None = None


def _names(book_path: Path) -> dict[str, object]:
    """The stored value of each single-cell defined name (in_client, in_firm, ...)."""
    book = openpyxl.load_workbook(book_path, data_only=True)
    out: dict[str, object] = {}
    for name, defined in book.defined_names.items():
        for sheet, ref in defined.destinations:
            if sheet in book.sheetnames and ":" not in ref:
                out[name] = book[sheet][ref.replace("$", "")].value
    return out


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _footer_code(text: str) -> str:
    """Text inside an Excel header/footer: a literal & is written &&."""
    return text.replace("&", "&&")


def print_copy(source: Path, target: Path, footer: str) -> None:
    """``source`` with only the printed sheets visible and ``footer`` on the left of every page's footer."""
    with zipfile.ZipFile(source) as zin:
        workbook = zin.read("xl/workbook.xml").decode("utf-8")
        rels = zin.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        names = _SHEET.findall(workbook)
        missing = [n for n in PRINTED if n not in names]
        if missing:
            raise InputError(
                f"{source.name} has no {', '.join(missing)} sheet: xl-rollover report prints a template workbook "
                "(workbooks/*.xlsx) or a copy filled in"
            )
        targets: dict[str, str] = {}
        for match in re.finditer(r"<sheet\b[^>]*/>", workbook):
            tag = match.group(0)
            name = re.search(r'\bname="([^"]*)"', tag)
            rid = re.search(r'\br:id="([^"]*)"', tag)
            if name and rid:
                found = re.search(rf'<Relationship\b[^>]*Id="{rid.group(1)}"[^>]*/>', rels)
                where = re.search(r'Target="([^"]*)"', found.group(0)) if found else None
                if where:
                    path = where.group(1).lstrip("/")
                    targets[name.group(1)] = path if path.startswith("xl/") else f"xl/{path}"

        def visibility(match: re.Match[str]) -> str:
            tag = re.sub(r'\sstate="[^"]*"', "", match.group(0))
            if match.group(1) not in PRINTED:
                tag = tag.replace("<sheet ", '<sheet state="hidden" ', 1)
            return tag

        workbook = _SHEET.sub(visibility, workbook)
        # LibreOffice prints a hidden sheet that has a print area: drop the print areas of the hidden ones
        for index, name in enumerate(names):
            if name not in PRINTED:
                workbook = re.sub(
                    rf'<definedName name="_xlnm\.Print_(?:Area|Titles)" localSheetId="{index}"[^>]*>[^<]*</definedName>',
                    "",
                    workbook,
                )
        hidden = _rows_of(workbook, NOT_PRINTED)
        code = escape(f"&L&9{_footer_code(footer)}&R&9page &P of &N")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/workbook.xml":
                    data = workbook.encode("utf-8")
                elif item.filename in (targets.get(n) for n in PRINTED):
                    text = data.decode("utf-8")
                    if _FOOTER.search(text):
                        text = _FOOTER.sub(lambda _m: f"<oddFooter>{code}</oddFooter>", text)
                    sheet = next(n for n in PRINTED if targets.get(n) == item.filename)
                    for row in hidden.get(sheet, ()):
                        text = _hide_row(text, row)
                    data = text.encode("utf-8")
                zout.writestr(item, data)


def _rows_of(workbook: str, names: tuple[str, ...]) -> dict[str, list[int]]:
    """The sheet and row of each single-cell defined name in ``names`` (``Plan!$B$17`` -> Plan, 17)."""
    rows: dict[str, list[int]] = {}
    for name in names:
        found = re.search(
            rf'<definedName name="{name}"[^>]*>\'?([^<\'!]+)\'?!\$?[A-Z]+\$?(\d+)</definedName>', workbook
        )
        if found:
            rows.setdefault(unescape(found.group(1)), []).append(int(found.group(2)))
    return rows


def _hide_row(sheet: str, row: int) -> str:
    """A sheet part with row ``row`` hidden (its ``<row>`` element marked ``hidden="1"``)."""

    def hide(match: re.Match[str]) -> str:
        tag = re.sub(r'\shidden="[^"]*"', "", match.group(0))
        return tag[:-1].rstrip("/") + ' hidden="1"' + ("/>" if tag.endswith("/>") else ">")

    return re.sub(rf'<row\b[^>]*\br="{row}"[^>]*>', hide, sheet, count=1)


def _pages(pdf: Path) -> int:
    """Page count from the PDF's own page objects (no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def _logo_from_cell(value: object, source: Path) -> Logo | None:
    """The logo named in the workbook's Logo cell (``in_logo``): a path, relative to the workbook's folder."""
    text = _text(value).strip().strip('"')
    if not text:
        return None
    path = Path(text).expanduser()
    return read_logo(path if path.is_absolute() else source.resolve().parent / path)


def write_report(
    workbook: str | Path,
    output: str | Path,
    overwrite: bool = False,
    engine: str = "formulas",
    timeout: float = 120.0,
    logo: str | Path | None = None,
) -> Report:
    """Recalculate ``workbook`` and print its Plan and Sources sheets to the PDF ``output``, with the firm's
    logo (``logo``, else the workbook's Logo cell) on every page."""
    source, out = Path(workbook), Path(output)
    if out.suffix.lower() != ".pdf":
        raise InputError(f"{out}: the report is a PDF; name it REPORT.pdf")
    if out.exists() and not overwrite:
        raise InputError(f"{out} exists; choose another name or pass --overwrite")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent} is not a folder")
    given = read_logo(logo) if logo is not None else None
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="xlr-report-") as folder:
        work = Path(folder)
        recalculated = work / "recalculated.xlsx"
        result = calculate(source, recalculated, engine=engine, timeout=timeout)
        if result.errors:
            cells = ", ".join(f"{cell} {error}" for cell, error in list(result.errors.items())[:5])
            why = "; ".join(dict.fromkeys(result.messages))[:300]
            raise InputError(f"{source.name}: {len(result.errors)} formula cell(s) end in an error ({cells}): {why}")
        values = _names(recalculated)
        firm, client, prepared = (_text(values.get(n)) for n in ("in_firm", "in_client", "in_prepared"))
        mark = given or _logo_from_cell(values.get("in_logo"), source)
        footer = " · ".join(p for p in (firm, f"prepared for {client}" if client else "", prepared) if p)
        printable = work / "report.xlsx"
        print_copy(recalculated, printable, footer)
        profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"
        _run(
            [
                binary,
                "--headless",
                "--norestore",
                profile,
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(printable),
            ],
            timeout,
            "printing the report",
        )
        pdf = work / "report.pdf"
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise InputError(f"LibreOffice did not print {source.name}")
        pages = _pages(pdf)
        data = pdf.read_bytes() if mark is None else stamp(pdf.read_bytes(), mark)
        handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return Report(out, pages, client, firm, prepared, mark.path if mark else None)


__all__ = ["PRINTED", "Report", "print_copy", "write_report"]
