"""`xl-rollover calc` against hostile and damaged workbooks (issue 15): each attack is a small generated fixture.

Every refusal is checked the same way (:func:`refused`): no traceback, one line on stderr naming the
reason, the documented exit code (README: 2 for bad input, 3 for what is not supported), the input's
bytes unchanged, and nothing left at the output path.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

import pytest
import xlsxwriter

from xl_rollover.cli.main import main
from xl_rollover.engines.ooxml import CALC_FEATURES, CALC_ID, escape_xstring, unescape_xstring
from xl_rollover.engines.recalc import stored_values


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(capsys, source: Path, output: Path, code: int, reason: str, *extra: str) -> str:
    """Run calc and check the refusal: exit code, one clear line, input unchanged, nothing at the output."""
    before = digest(source) if source.is_file() else None
    assert main(["calc", str(source), "-o", str(output), *extra]) == code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("xl-rollover: "), lines[0]
    assert reason in lines[0], lines[0]
    assert "Traceback" not in captured.err + captured.out
    if before is not None:
        assert digest(source) == before
    if not output.is_dir():
        assert not output.exists() and not output.is_symlink()
    return lines[0]


def parse_every_part(path: Path) -> list[str]:
    """Parse every XML part of a written workbook (expat, no DTD); return the part names."""
    names = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                parser = expat.ParserCreate()
                parser.Parse(archive.read(info), True)  # raises ExpatError when not well-formed
                names.append(info.filename)
    return names


def plain_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, [7500, 7500, 1850])
    ws.write_formula("D1", "=PRORATA_TAXABLE(A1,B1,C1)")
    wb.close()
    return path


def test_xstring_escapes_what_xml_cannot_carry_and_round_trips():
    """ECMA-376 Part 1 §22.9.2.19: BEL is _x0007_; a literal _x0041_ is protected as _x005F_x0041_."""
    assert escape_xstring("\x07x") == "_x0007_x"
    assert escape_xstring("_x0041_") == "_x005F_x0041_"
    # CR is escaped as Excel writes it: XML 1.0 §2.11 would read a raw CR back as a line feed
    assert escape_xstring("tab\tline\ncr\r") == "tab\tline\ncr_x000D_"
    for text in ("\x00\x1f\ufffe\uffff", "_x0041_", "plain", "a_x12_b", "\ud800", "a\r\nb\r"):
        assert unescape_xstring(escape_xstring(text)) == text


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_control_characters_in_results_are_escaped_and_every_part_parses(tmp_path, engine):
    """A cell =CHAR(7)&"x" (an Excel-shaped sheet: shared strings, styles, a defined name) writes _x0007_x."""
    source = tmp_path / "excel_shaped.xlsx"
    wb = xlsxwriter.Workbook(source)
    ws = wb.add_worksheet("Functions")
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["code", "text", "sum"], bold)
    ws.write_row(1, 0, [7, "a & <b>", 2])
    ws.write_formula("B3", '=CHAR(A2)&"x"')
    ws.write_formula("C3", "=C2*3")
    ws.write_formula("D3", "=PRORATA_TAXABLE(7500,7500,1850)")
    wb.define_name("Taxable", "=Functions!$D$3")
    wb.close()
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(source), "-o", str(out), "--engine", engine]) == 0
    assert "xl/worksheets/sheet1.xml" in parse_every_part(out)
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>_x0007_x</v>" in sheet
    assert "<v>6</v>" in sheet or "<v>6.0</v>" in sheet
    assert "<v>1485.0</v>" in sheet or "<v>1485</v>" in sheet  # 7500 x (1 - 7500/9350), hand-worked in test_recalc


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_carriage_return_and_empty_text_results_read_back_as_computed(tmp_path, engine):
    """Regressions from the Excel-parity run (benchmarks/excel_parity.py).

    =CHAR(13)&"x" was written with a raw CR, which any XML reader turns into a line feed (XML 1.0
    §2.11): the stored text became "\nx". Excel writes _x000D_x. A formula giving "" was written with
    no value and no type, so readers saw a blank cell; Excel stores t="str" and an empty <v>.
    """
    source = tmp_path / "cr.xlsx"
    wb = xlsxwriter.Workbook(source)
    ws = wb.add_worksheet("S")
    ws.write("A1", 13)
    ws.write_formula("B1", '=CHAR(A1)&"x"', None, "stale")
    ws.write_formula("C1", '=IF(A1>0,"","no")', None, "stale")
    wb.close()
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(source), "-o", str(out), "--engine", engine]) == 0
    parse_every_part(out)
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>_x000D_x</v>" in sheet and "\r" not in sheet
    assert re.search(r'<c r="C1"[^>]*t="str"[^>]*><f>[^<]*</f><v></v></c>', sheet)
    assert stored_values(out.read_bytes()) == {"S!A1": 13, "S!B1": "\rx", "S!C1": ""}
    # (openpyxl 3.1 leaves ST_Xstring escapes in t="str" values undone, so it is not the reader used here)


def test_output_keeps_stored_values_on_open(tmp_path):
    """Issue 13 point 1: no fullCalcOnLoad, calcId 191029 and Excel 365's calcFeatures (ECMA-376 §18.2.2)."""
    source = plain_book(tmp_path / "in.xlsx")
    assert 'fullCalcOnLoad="1"' in zipfile.ZipFile(source).read("xl/workbook.xml").decode()  # XlsxWriter's default
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(source), "-o", str(out)]) == 0
    workbook = zipfile.ZipFile(out).read("xl/workbook.xml").decode()
    assert "fullCalcOnLoad" not in workbook
    assert f'<calcPr calcId="{CALC_ID}"/>' in workbook and CALC_ID == 191029
    for feature in CALC_FEATURES:
        assert f'<xcalcf:feature name="{feature}"/>' in workbook
    parse_every_part(out)


def test_keep_stored_values_adds_or_rewrites_calc_pr_in_schema_order():
    from xl_rollover.engines.ooxml import CALC_FEATURES_EXT, keep_stored_values

    plain = "<workbook><sheets/><definedNames/><oleSize ref='A1'/></workbook>"
    assert keep_stored_values(plain) == (
        f"<workbook><sheets/><definedNames/><calcPr calcId=\"191029\"/><oleSize ref='A1'/>"
        f"<extLst>{CALC_FEATURES_EXT}</extLst></workbook>"
    )
    prefixed = (
        '<x:workbook><x:calcPr fullCalcOnLoad="1" calcId="124519" calcMode="auto"/><x:extLst></x:extLst></x:workbook>'
    )
    assert keep_stored_values(prefixed) == (
        f'<x:workbook><x:calcPr calcId="191029" calcMode="auto"/><x:extLst>{CALC_FEATURES_EXT}</x:extLst></x:workbook>'
    )
    twice = keep_stored_values(keep_stored_values(plain))
    assert twice == keep_stored_values(plain)


# --- a minimal workbook written by hand, so each attack changes one thing --------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def raw_parts(cells: str = '<c r="A1"><v>2</v></c><c r="B1"><f>A1*3</f><v>0</v></c>', **extra: bytes) -> dict:
    """The parts of a one-sheet workbook: A1 = 2 and B1 = A1*3 (so a recalculation gives 6)."""
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            b'"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            b'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="124519" fullCalcOnLoad="1"/>'
            "</workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">{cells}</row>'
            "</sheetData></worksheet>"
        ).encode(),
    }
    parts.update(extra)
    return parts


def write_zip(path: Path, parts: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_the_hand_written_workbook_is_accepted(tmp_path, capsys):
    """The control for every attack below: unchanged, it recalculates (B1 = 2 x 3 = 6)."""
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(write_zip(tmp_path / "in.xlsx", raw_parts())), "-o", str(out), "--json"]) == 0
    assert '"S!B1": 6' in capsys.readouterr().out
    parse_every_part(out)


# --- 1. external links are never followed ------------------------------------------------------------------

SECRET = "SECRET-7331"


def planted_target(tmp_path: Path) -> Path:
    """A workbook outside the input's folder whose contents must never reach calc's output."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    wb = xlsxwriter.Workbook(folder / "target.xlsx")
    wb.add_worksheet("Sheet1").write_row(0, 0, [SECRET, 424242.5])
    wb.close()
    return folder / "target.xlsx"


def linked_parts(target: str) -> dict:
    parts = raw_parts('<c r="A1"><f>[1]Sheet1!A1</f><v>0</v></c><c r="B1"><f>[1]Sheet1!B1*2</f><v>0</v></c>')
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rId9"/></externalReferences>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId9" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'
        "</Relationships>".encode(),
    )
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{MAIN}" xmlns:r="{REL}"><externalBook r:id='
        '"rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>'
    ).encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
        f'externalLinkPath" Target="{target}" TargetMode="External"/></Relationships>'
    ).encode()
    return parts


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
@pytest.mark.parametrize("where", ["absolute", "climbing", "uri"])
def test_external_links_are_refused_and_the_target_never_read(tmp_path, capsys, engine, where):
    target = planted_target(tmp_path)
    inner = tmp_path / "client"
    inner.mkdir()
    link = {"absolute": str(target), "climbing": "../elsewhere/target.xlsx", "uri": target.as_uri()}[where]
    source = write_zip(inner / "linked.xlsx", linked_parts(link))
    line = refused(capsys, source, inner / "out.xlsx", 2, "links to another workbook", "--engine", engine)
    assert "opens no other file" in line and SECRET not in line and "424242" not in line


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("'[{target}]Sheet1'!A1", "refers to another workbook"),
        ("[target.xlsx]Sheet1!B1*2", "refers to another workbook"),
        ("SUM('{folder}/[target.xlsx]Sheet1'!B1)", "refers to another workbook"),
        ("cmd|' /C calc'!A0", "DDE"),
        ('_xlfn.WEBSERVICE("file:///etc/passwd")', "calls WEBSERVICE"),
        ('RTD("prog",,"x")', "calls RTD"),
        ('_xlfn.IMAGE("https://example.com/a.png")', "calls IMAGE"),
        ('_xlfn.FILTERXML("<a/>","//a")', "calls FILTERXML"),
        ('CALL("kernel32","GetTickCount","J")', "calls CALL"),
    ],
)
def test_formulas_that_reach_outside_are_refused_without_a_link_part(tmp_path, capsys, formula, reason):
    from xml.sax.saxutils import escape

    target = planted_target(tmp_path)
    text = escape(formula.format(target=target, folder=target.parent))
    source = write_zip(tmp_path / "in.xlsx", raw_parts(f'<c r="A1"><f>{text}</f><v>0</v></c>'))
    line = refused(capsys, source, tmp_path / "out.xlsx", 2, reason)
    assert SECRET not in line


def test_hyperlinks_and_text_that_looks_like_a_link_are_accepted(tmp_path, capsys):
    """A hyperlink is not followed while calculating; "[1]x!" inside a string literal is only text."""
    parts = raw_parts('<c r="A1"><f>"[1]Sheet1!A1"&amp;"|"</f><v>0</v></c><c r="B1"><f>LEN(A1)</f><v>0</v></c>')
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
        'hyperlink" Target="https://www.irs.gov/" TargetMode="External"/></Relationships>'
    ).encode()
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(write_zip(tmp_path / "in.xlsx", parts)), "-o", str(out), "--json"]) == 0
    assert '"S!B1": 13' in capsys.readouterr().out  # len("[1]Sheet1!A1|") = 13


# --- 4. writes that could destroy data ---------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_symlink_planted_at_the_target_is_replaced_not_followed(tmp_path, capsys):
    source = plain_book(tmp_path / "in.xlsx")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out.xlsx"
    out.symlink_to(victim)
    assert main(["calc", str(source), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.is_symlink() and victim.read_text() == "keep me"
    assert main(["calc", str(source), "-o", str(out), "--overwrite"]) == 0
    capsys.readouterr()
    assert victim.read_text() == "keep me" and not out.is_symlink() and zipfile.is_zipfile(out)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["hard link", "symlink"])
def test_overwrite_refuses_a_target_that_is_the_input(tmp_path, capsys, kind):
    source = plain_book(tmp_path / "in.xlsx")
    before = digest(source)
    out = tmp_path / "out.xlsx"
    (out.hardlink_to if kind == "hard link" else out.symlink_to)(source)
    assert main(["calc", str(source), "-o", str(out), "--overwrite"]) == 2
    err = capsys.readouterr().err
    assert "is the input workbook (the same file)" in err and err.count("\n") == 1
    assert digest(source) == before and leftovers(tmp_path) == []


def test_a_folder_a_missing_folder_and_a_special_file_are_refused(tmp_path, capsys):
    import os

    source = plain_book(tmp_path / "in.xlsx")
    folder = tmp_path / "results"
    folder.mkdir()
    refused(capsys, source, folder, 2, "is a folder", "--overwrite")
    assert list(folder.iterdir()) == []
    refused(capsys, source, tmp_path / "missing" / "out.xlsx", 2, "does not exist")
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert main(["calc", str(source), "-o", str(fifo), "--overwrite"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert leftovers(tmp_path) == []


def test_two_runs_to_one_output_never_replace_each_other(tmp_path):
    """Both compute; the first to finish links its file in, the other is refused, no temporary file is left."""
    import os
    import subprocess
    import sys

    source = plain_book(tmp_path / "in.xlsx")
    out = tmp_path / "out.xlsx"
    command = [sys.executable, "-m", "xl_rollover.cli.main", "calc", str(source), "-o", str(out)]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=os.environ.copy()) for _ in range(2)]
    codes = sorted(run.wait(timeout=300) for run in runs)
    errors = "".join(run.stderr.read() for run in runs if run.stderr)
    assert codes == [0, 2], errors
    assert "exists" in errors and "Traceback" not in errors
    assert zipfile.is_zipfile(out) and leftovers(tmp_path) == []


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    """A disk that fills up while writing: one clear error, no file at the target, no temporary file."""
    import errno
    import os

    from xl_rollover.core.errors import InputError
    from xl_rollover.engines import safe_output

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError, match=r"could not be written \(No space left on device\); nothing was written"):
        safe_output.write(tmp_path / "out.xlsx", b"data", tmp_path / "in.xlsx", False, False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [
        ("xlsm", "out.xlsx", "holds a VBA project (macros); name the new workbook .xlsm"),
        ("xlsx", "out.xlsm", "name the new workbook .xlsx"),
    ],
)
def test_the_output_suffix_matches_what_the_workbook_is(tmp_path, capsys, make, name, reason):
    """11: an .xlsm's VBA project is never carried into a file named .xlsx (Excel would refuse to open it)."""
    parts = raw_parts()
    if make == "xlsm":
        parts["[Content_Types].xml"] = (
            parts["[Content_Types].xml"]
            .replace(b"spreadsheetml.sheet.main+xml", b"spreadsheetml.sheet.main+xml")
            .replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        )
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a VBA project"
    source = write_zip(tmp_path / f"in.{make}", parts)
    refused(capsys, source, tmp_path / name, 2, reason)
    if make == "xlsm":
        out = tmp_path / "out.xlsm"
        assert main(["calc", str(source), "-o", str(out)]) == 0
        assert "xl/vbaProject.bin" in zipfile.ZipFile(out).namelist()


# --- 7. every XML part is parsed by a hardened parser ----------------------------------------------------

LAUGHS = '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE lol [<!ENTITY lol "SECRET-LOL">]><worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row></sheetData></worksheet>'


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("xl/worksheets/sheet1.xml", "UTF-16"),
        ("xl/worksheets/sheet1.xml", "UTF-16BE"),
        ("xl/worksheets/sheet1.xml", "ISO-8859-1"),
        ("xl/worksheets/sheet1.XML", "UTF-8"),
        ("xl/_rels/extra.RELS", "UTF-8"),
        ("xl/drawings/vmlDrawing1.Vml", "UTF-8"),
        ("customXml/item1.bin", "UTF-8"),  # declared as XML by [Content_Types].xml
    ],
)
def test_dtds_are_refused_in_any_encoding_and_any_name(tmp_path, capsys, name, encoding):
    xml = LAUGHS.format(enc=encoding, main=MAIN)
    data = ("\ufeff" + xml).encode("utf-16-le") if encoding == "UTF-16" else xml.encode(encoding.lower())
    parts = raw_parts()
    if name.endswith("sheet1.XML"):
        del parts["xl/worksheets/sheet1.xml"]
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"sheet1.xml", b"sheet1.XML")
    parts[name] = data
    if name.endswith(".bin"):
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/customXml/item1.bin" ContentType="application/xml"/></Types>'
        )
    line = refused(capsys, write_zip(tmp_path / "in.xlsx", parts), tmp_path / "out.xlsx", 2, "declares a DTD")
    assert "SECRET-LOL" not in line


def test_a_utf16_sheet_is_read_and_written_back_as_utf8(tmp_path, capsys):
    """9: UTF-16 is legal XML; the sheet is recalculated (B1 = 6) and written as UTF-8, declaration to match."""
    parts = raw_parts()
    parts["xl/worksheets/sheet1.xml"] = (
        "\ufeff" + parts["xl/worksheets/sheet1.xml"].decode().replace("UTF-8", "UTF-16")
    ).encode("utf-16-le")
    out = tmp_path / "out.xlsx"
    assert main(["calc", str(write_zip(tmp_path / "in.xlsx", parts)), "-o", str(out), "--json"]) == 0
    assert '"S!B1": 6' in capsys.readouterr().out
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    assert sheet.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and b"<v>6.0</v>" in sheet
    parse_every_part(out)


# --- 6. resource limits ---------------------------------------------------------------------------------------


def patch_eocd_entries(path: Path, entries: int) -> Path:
    """Make the zip's end record claim ``entries`` entries (a directory of millions costs GBs to read)."""
    import struct

    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = struct.pack("<HH", min(entries, 0xFFFF), min(entries, 0xFFFF))
    path.write_bytes(bytes(data))
    return path


def deep_if(depth: int) -> str:
    return "IF(A1," * depth + "1" + ",0)" * depth


BOMBS = {
    # name: (parts or a maker, reason)
    "many entries": ("entries", "parts; a workbook has far fewer"),
    "parts under the ratio floor": (
        {f"xl/media/pad{i}.bin": b"\0" * 1_000_000 for i in range(40)},
        "(zip bomb?)",
    ),
    "one big part": ({"xl/media/big.bin": b"\0" * 3_000_000}, "compresses"),
    "10,000-deep IF": (
        {"xl/worksheets/sheet1.xml": raw_parts(f'<c r="A1"><f>{deep_if(10_000)}</f></c>')["xl/worksheets/sheet1.xml"]},
        "a formula of 90,001 characters (Excel allows 8,192)",
    ),
    "150-deep IF": (
        {"xl/worksheets/sheet1.xml": raw_parts(f'<c r="A1"><f>{deep_if(150)}</f></c>')["xl/worksheets/sheet1.xml"]},
        "a formula nested 150 parentheses deep",
    ),
    "long formula": (
        {
            "xl/worksheets/sheet1.xml": raw_parts(f'<c r="A1"><f>{"+".join(["1"] * 4_200)}</f></c>')[
                "xl/worksheets/sheet1.xml"
            ]
        },
        "a formula of 8,399 characters (Excel allows 8,192)",
    ),
    "deep XML": (
        {"docProps/custom.xml": b"<a>" * 300 + b"</a>" * 300},
        "nests elements over 256 deep",
    ),
}


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_bombs_are_refused_with_the_reason(tmp_path, capsys, bomb):
    what, reason = BOMBS[bomb]
    if what == "entries":
        source = patch_eocd_entries(write_zip(tmp_path / "in.xlsx", raw_parts()), 3_000_000)
    else:
        source = write_zip(tmp_path / "in.xlsx", raw_parts(**{}) | what)
    refused(capsys, source, tmp_path / "out.xlsx", 2, reason)


def test_cell_and_formula_counts_are_limited(tmp_path, capsys, monkeypatch):
    """The limits are constants; lowered here so the fixture stays small (the reasons are in the modules)."""
    from xl_rollover.engines import recalc, safe_xlsx

    cells = "".join(f'<c r="{col}1"><f>ROW()</f></c>' for col in "ABCDEFGH")
    source = write_zip(tmp_path / "in.xlsx", raw_parts(cells))
    monkeypatch.setattr(safe_xlsx, "MAX_CELLS", 5)
    refused(capsys, source, tmp_path / "out.xlsx", 2, "8 cells, more than the 5 calc takes")
    monkeypatch.setattr(safe_xlsx, "MAX_CELLS", 2_000_000)
    monkeypatch.setitem(recalc.MAX_FORMULAS, "formulas", 7)
    refused(
        capsys,
        source,
        tmp_path / "out.xlsx",
        2,
        "8 formulas; the formulas engine takes at most 7 (use --engine libreoffice)",
    )


def test_the_formulas_engine_has_a_wall_clock_limit_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    """The engine runs as a child process: past --timeout it is killed with its group and its folder removed."""
    import subprocess
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    source = plain_book(tmp_path / "in.xlsx")
    refused(
        capsys,
        source,
        tmp_path / "out.xlsx",
        2,
        "the formulas engine (recalculating in.xlsx) did not answer within 0.2 s",
        "--timeout",
        "0.2",
    )
    left = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True, check=False)
    assert left.stdout.strip() == ""
    assert not list(tmp_path.glob("xlr-calc-*"))


# --- 9. damaged files and bad arguments: one clear line, never a traceback ----------------------------------


def damage(path: Path, part: str, how: str) -> Path:
    """Flip bytes of one part's deflate data, or its CRC in both headers."""
    import struct

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    local = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
    start = local + 30 + name_len + extra_len
    if how == "deflate":
        for i in range(start + 2, start + min(info.compress_size, 40)):
            data[i] ^= 0x5A
    else:
        bad = struct.pack("<I", (info.CRC + 1) & 0xFFFFFFFF)
        data[local + 14 : local + 18] = bad
        at = data.find(b"PK\x01\x02")
        while at >= 0:
            n = struct.unpack("<H", data[at + 28 : at + 30])[0]
            if data[at + 46 : at + 46 + n].decode() == part:
                data[at + 16 : at + 20] = bad
            at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "docProps/thumbnail.jpeg"])
@pytest.mark.parametrize("how", ["deflate", "crc"])
def test_damaged_parts_are_refused(tmp_path, capsys, part, how):
    parts = raw_parts(**{"docProps/thumbnail.jpeg": bytes(range(256)) * 64})
    source = damage(write_zip(tmp_path / "in.xlsx", parts), part, how)
    refused(capsys, source, tmp_path / "out.xlsx", 2, "corrupt")


def test_invalid_utf8_in_a_sheet_is_refused(tmp_path, capsys):
    parts = raw_parts('<c r="A1" t="inlineStr"><is><t>caf\xe9</t></is></c>')
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].decode().encode("latin-1")
    refused(capsys, write_zip(tmp_path / "in.xlsx", parts), tmp_path / "out.xlsx", 2, "is not well-formed XML")


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e9", "soon"])
def test_bad_timeouts_are_refused(tmp_path, capsys, value):
    source = plain_book(tmp_path / "in.xlsx")
    refused(capsys, source, tmp_path / "out.xlsx", 2, "--timeout", "--timeout", value)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("..\\..\\evil.xml", "unsafe part name"),
        ("C:/evil.xml", "unsafe part name"),
        ("XL/WORKBOOK.XML", "two parts named"),
    ],
)
def test_unsafe_or_ambiguous_part_names_are_refused(tmp_path, capsys, name, reason):
    source = write_zip(tmp_path / "in.xlsx", raw_parts(**{name: b"<a/>"}))
    refused(capsys, source, tmp_path / "out.xlsx", 2, reason)


def test_an_encrypted_workbook_exits_2_as_the_readme_says(tmp_path, capsys):
    """11: an encrypted .xlsx is an OLE2 container; README: 'encrypted ... exit 2'."""
    source = tmp_path / "locked.xlsx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    refused(capsys, source, tmp_path / "out.xlsx", 2, "encrypted (password-protected)")


# --- 8. the engines die with calc and leave no copy behind --------------------------------------------------


def processes_with(marker: str) -> list[str]:
    import subprocess

    found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True, check=False).stdout
    return [line for line in found.splitlines() if "pgrep" not in line]


def start_calc(tmp_path: Path, engine: str, engine_marker: str):
    """Start calc in a subprocess with its own TMPDIR; return it once its engine's process is running."""
    import os
    import subprocess
    import sys
    import time

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    source = plain_book(tmp_path / "in.xlsx")
    out = tmp_path / "out.xlsx"
    command = [sys.executable, "-m", "xl_rollover.cli.main", "calc", str(source), "-o", str(out), "--engine", engine]
    run = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(scratch)}
    )
    deadline = time.monotonic() + 120
    while not [p for p in processes_with(str(scratch)) if engine_marker in p]:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the engine never started"
        time.sleep(0.05)
    return run, scratch, out


def nothing_left(scratch: Path, seconds: float = 20) -> None:
    import time

    deadline = time.monotonic() + seconds
    while (processes_with(str(scratch)) or list(scratch.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(str(scratch)) == []
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("engine", "marker"), [("libreoffice", "soffice"), ("formulas", "xl_rollover.engines.formulas_child")]
)
def test_sigterm_stops_the_engine_and_removes_every_copy(tmp_path, engine, marker):
    """SIGTERM (what `timeout` sends): calc kills its engine's group, removes its folders, exits 143 (README)."""
    import signal

    run, scratch, out = start_calc(tmp_path, engine, marker)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 143, err
    assert err.strip().splitlines() == [f"xl-rollover: stopped by SIGTERM; {out} was not written"]
    nothing_left(scratch)
    assert not out.exists()


@pytest.mark.parametrize(
    ("engine", "marker"), [("libreoffice", "soffice"), ("formulas", "xl_rollover.engines.formulas_child")]
)
def test_a_killed_calc_leaves_no_engine_and_no_copy(tmp_path, engine, marker):
    """SIGKILL cannot be caught: the watchdog sees calc's pipe close, kills the engine, removes the folders."""
    run, scratch, out = start_calc(tmp_path, engine, marker)
    run.kill()
    run.communicate(timeout=60)
    nothing_left(scratch)
    assert not out.exists()


# --- 11. circular references: the same answer from both engines ----------------------------------------------


@pytest.mark.parametrize("engine", ["formulas", "libreoffice"])
def test_circular_references_are_refused_naming_the_cells(tmp_path, capsys, engine):
    """A1 = B1+1 and B1 = A1+1 loop, E1 = E1 loops on itself, D1 = A1*2 depends on the loop; C1 = 5*2 does not."""
    wb = xlsxwriter.Workbook(tmp_path / "loop.xlsx")
    ws = wb.add_worksheet("S")
    for cell, formula in {"A1": "=B1+1", "B1": "=A1+1", "C1": "=5*2", "D1": "=A1*2", "E1": "=E1"}.items():
        ws.write_formula(cell, formula)
    wb.close()
    line = refused(capsys, tmp_path / "loop.xlsx", tmp_path / "out.xlsx", 2, "circular reference: ", "--engine", engine)
    named = line.split("circular reference: ")[1].split(" depend on themselves")[0].split(", ")
    assert {"S!A1", "S!B1", "S!E1"} <= set(named) and "S!C1" not in named


def test_a_relationship_to_a_file_outside_is_refused(tmp_path, capsys):
    """A linked (not embedded) image or object: its target is outside the package and never opened."""
    parts = raw_parts()
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
        'oleObject" Target="file:///etc/passwd" TargetMode="External"/></Relationships>'
    ).encode()
    source = write_zip(tmp_path / "in.xlsx", parts)
    refused(capsys, source, tmp_path / "out.xlsx", 2, "links to a file outside the workbook ('file:///etc/passwd')")


def test_the_default_output_name_follows_the_input(tmp_path, capsys, monkeypatch):
    """Without -o: NAME.calculated.xlsm for an .xlsm (its macros kept), in the current folder."""
    parts = raw_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    source = write_zip(tmp_path / "book.xlsm", parts)
    monkeypatch.chdir(tmp_path)
    assert main(["calc", str(source)]) == 0
    assert "book.calculated.xlsm" in capsys.readouterr().out and (tmp_path / "book.calculated.xlsm").is_file()


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        # a Python child that dies with a traceback: only its last line reaches the user
        (
            "import sys; sys.stderr.write('Traceback (most recent call last):\\n  File x\\nValueError: bad cell\\n'); sys.exit(1)",
            "engine failed: ValueError: bad cell",
        ),
        # a crash (SIGABRT with a native backtrace on stderr): the signal, never the dump
        (
            "import os, signal, sys; sys.stderr.write('#0 0x7f frame\\n#1 0x7f frame\\n'); sys.stderr.flush(); "
            "os.kill(os.getpid(), signal.SIGABRT)",
            "engine stopped unexpectedly (SIGABRT): it may have crashed on this workbook",
        ),
        ("import sys; sys.exit(3)", "engine failed: exit 3"),
    ],
)
def test_a_failing_engine_is_one_clear_line(script, expected):
    import sys

    from xl_rollover.core.errors import InputError
    from xl_rollover.engines import child

    with pytest.raises(InputError) as caught:
        child.run([sys.executable, "-c", script], 30, "engine")
    assert str(caught.value) == expected
    assert "\n" not in str(caught.value)
