"""safe_xlsx.rewrite_formulas: the one place both engines rewrite the formulas of a workbook's sheets."""

from __future__ import annotations

import zipfile
from pathlib import Path

from xl_rollover.engines.libreoffice import _to_addin
from xl_rollover.engines.safe_xlsx import rewrite_formulas

SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1">'
    '<c r="A1"><f>IF(&apos;Client A&apos;!B2&gt;0,PRORATA_TAXABLE(1,2,3),&quot;none&quot;)</f></c>'
    '<c r="A2"><f>SUM(B1:B3)</f><v>6</v></c>'
    "</row></sheetData></worksheet>"
)


def _book(tmp_path: Path) -> Path:
    path = tmp_path / "in.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", SHEET)
        book.writestr("xl/workbook.xml", "<workbook>PRORATA_TAXABLE(</workbook>")
    return path


def test_entities_resolved_for_the_change_and_escaped_back(tmp_path: Path) -> None:
    seen: list[str] = []

    def change(text: str) -> str:
        seen.append(text)
        return _to_addin(text)

    target = tmp_path / "out.xlsx"
    rewrite_formulas(_book(tmp_path), target, change)
    assert seen == ["IF('Client A'!B2>0,PRORATA_TAXABLE(1,2,3),\"none\")", "SUM(B1:B3)"]
    with zipfile.ZipFile(target) as out:
        sheet = out.read("xl/worksheets/sheet1.xml").decode()
        assert out.read("xl/workbook.xml") == b"<workbook>PRORATA_TAXABLE(</workbook>"  # not a sheet: as it was
    assert (
        "<f>IF('Client A'!B2&gt;0,ORG.XLROLLOVER.FUNCTIONS.PRORATA_TAXABLE(1,2,3),\"none\")</f>" in sheet
    )  # no "&amp;apos;": the quoted sheet name survives
    assert '<c r="A2"><f>SUM(B1:B3)</f><v>6</v></c>' in sheet  # unchanged formulas keep their bytes


def test_formulas_engine_copy_keeps_a_quoted_sheet_name(tmp_path: Path) -> None:
    """The formulas engine's copy (omitted arguments filled) left ``&apos;`` escaped once more: ``&amp;apos;``."""
    from xl_rollover.engines.recalc import _prepared_copy

    (tmp_path / "src").mkdir()
    source = tmp_path / "src" / "in.xlsx"
    with zipfile.ZipFile(source, "w") as book:
        book.writestr(
            "xl/worksheets/sheet1.xml",
            "<worksheet><c><f>IF(&apos;Client A&apos;!B2&gt;0,PRORATA_TAXABLE(1,,3),0)</f></c></worksheet>",
        )
    with zipfile.ZipFile(_prepared_copy(source, tmp_path)) as out:
        sheet = out.read("xl/worksheets/sheet1.xml").decode()
    assert sheet == "<worksheet><c><f>IF('Client A'!B2&gt;0,PRORATA_TAXABLE(1,\"\",3),0)</f></c></worksheet>"
