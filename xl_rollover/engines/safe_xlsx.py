"""Open a workbook someone else made without trusting it: size, zip-bomb, encryption and XML checks.

An .xlsx is a zip of XML parts. Before any spreadsheet library touches one, :func:`vet` checks it in
bounded memory:

- the file is a zip (an encrypted workbook is an OLE2 container: refused with that reason); its
  directory is sized from the end record before any entry is read (a zip of millions of entries costs
  nothing to refuse); part names are safe (no ``..``, backslash, drive or absolute names, no two
  names differing only in case: OPC part names are case-insensitive, ECMA-376 Part 2 §6.2.2.3);
- every part is read to its end (damaged deflate data and bad CRCs are refused here, not later),
  counting the bytes actually inflated against a total and a compression-ratio limit (zip bombs);
- every XML part (by extension in any case, ``.xml``/``.rels``/``.vml``, or by its declared content
  type) is parsed by expat with DTDs and entity declarations refused, in any encoding expat reads
  (UTF-8, UTF-16, Latin-1, ...); nesting deeper than :data:`MAX_XML_DEPTH` is refused;
- relationships that point outside the package (other than hyperlinks, which no engine follows while
  calculating) and links to other workbooks are recorded, with every formula's length and nesting,
  the number of cells and formulas, and any call that reaches outside the workbook, for
  :mod:`xl_rollover.engines.recalc` to refuse (batch only reads values, so these are facts, not refusals, here).

Every refusal is an :class:`~xl_rollover.core.errors.InputError` naming the file and the reason.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from xl_rollover.core.errors import InputError

#: Larger files are refused unread (a 10,000-row client sheet is about 1 MB).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Bytes inflated from all parts together: a sheet of a million filled cells is about 60 MB of XML.
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024
#: Inflated / stored bytes, for a part or the whole file over 1 MB (real sheets compress 5-30:1).
MAX_RATIO = 200
#: Zip entries; a workbook has dozens (sheets, styles, relationships).
MAX_PARTS = 10_000
#: The zip's central directory, read only after its size is checked (46 bytes an entry plus its name).
MAX_DIRECTORY_BYTES = MAX_PARTS * 512
#: XML element nesting; SpreadsheetML and DrawingML stay far below it.
MAX_XML_DEPTH = 256
#: Excel's own limit on a formula's length ("Excel specifications and limits": 8,192 characters).
MAX_FORMULA_CHARS = 8_192
#: Parentheses nested in one formula; Excel allows 64 nested levels of functions (same source).
MAX_FORMULA_DEPTH = 100
#: Cells in all sheets together that calc accepts; more is refused before any engine holds them in
#: memory (LibreOffice and the formulas engine keep every cell; batch reads values only and has its own).
MAX_CELLS = 2_000_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_XML_EXTENSIONS = (".xml", ".rels", ".vml")
_HYPERLINK = "/relationships/hyperlink"
_OUTWARD = re.compile(
    r"(?:^|[^\w.])(?:_xlfn\.|_xlws\.)*(WEBSERVICE|FILTERXML|RTD|DDE|DDEAUTO|CALL|REGISTER|REGISTER\.ID|IMAGE)\s*\(",
    re.IGNORECASE,
)
_STRING = re.compile(r'"(?:[^"]|"")*"')
_QUOTED = re.compile(r"'(?:[^']|'')*'")
_BOOK_REF = re.compile(r"\[[^\[\]]*\][\w.]*!")


@dataclass
class Screen:
    """What :func:`vet` found in an accepted workbook, for the caller's own limits."""

    cells: int = 0
    formulas: int = 0
    macro_enabled: bool = False
    outside: list[str] = field(default_factory=list)  # links and calls that reach outside the workbook
    formula_problem: str | None = None  # the first formula over a length or nesting limit
    #: Formula cells saved without a calculated value (written by a program that does not calculate).
    uncalculated: int = 0


def check_workbook(path: str | Path) -> zipfile.ZipFile:
    """Return the workbook's zip, open, after every check of :func:`vet` passed; raise InputError otherwise."""
    file = Path(path)
    vet(file)
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:  # pragma: no cover - vetted just before
        raise InputError(f"{file}: corrupt workbook ({exc})") from None


def vet(path: str | Path) -> Screen:
    """Check ``path`` as described in the module docstring; the facts for the caller's limits."""
    file = Path(path)
    try:
        if not file.is_file():
            raise InputError(f"{file}: no such file" if not file.exists() else f"{file}: not a regular file")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{file}: {size:,} bytes is larger than the {MAX_FILE_BYTES:,} accepted")
        with file.open("rb") as handle:
            head = handle.read(8)
            if head == OLE2_MAGIC:
                raise InputError(
                    f"{file}: encrypted (password-protected) or legacy .xls workbook; save it unprotected as .xlsx"
                )
            if not head.startswith(b"PK"):
                raise InputError(f"{file}: not an .xlsx workbook (not a zip archive)")
            _check_directory(file, handle, size)
        with zipfile.ZipFile(file) as archive:
            return _check_parts(file, archive, size)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise InputError(f"{file}: corrupt workbook ({exc})") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot be read ({exc.strerror or exc})") from None


def _check_directory(file: Path, handle, size: int) -> None:
    """Read the zip's end record (not its entries) and refuse a directory too large to read."""
    tail_size = min(size, 22 + 65_535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise InputError(f"{file}: corrupt workbook (no zip directory)")
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and at >= 20 and tail[at - 20 : at - 16] == _EOCD64_LOCATOR:
        (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        handle.seek(offset)
        record = handle.read(56)
        if len(record) < 56 or record[:4] != _EOCD64:
            raise InputError(f"{file}: corrupt workbook (bad zip64 directory)")
        entries, directory = struct.unpack("<QQ", record[32:48])
    if entries > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise InputError(f"{file}: {entries:,} parts; a workbook has far fewer (over {MAX_PARTS:,} refused)")


def _safe_name(name: str) -> bool:
    segments = name.split("/")
    return not (
        not name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or any(s in ("", ".", "..") for s in segments[:-1])
        or segments[-1] in (".", "..")
        or any(ord(ch) < 0x20 for ch in name)
    )


def _check_parts(file: Path, archive: zipfile.ZipFile, size: int) -> Screen:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise InputError(f"{file}: {len(infos):,} parts; a workbook has far fewer (over {MAX_PARTS:,} refused)")
    seen: dict[str, str] = {}
    for info in infos:
        name = info.filename
        if not _safe_name(name):
            raise InputError(f"{file}: unsafe part name {name!r}")
        if name.lower() in seen:
            raise InputError(f"{file}: two parts named {seen[name.lower()]!r} and {name!r} (names ignore case)")
        seen[name.lower()] = name
        if info.flag_bits & 0x1:
            raise InputError(f"{file}: part {name!r} is encrypted")
        if info.file_size > MAX_TOTAL_UNCOMPRESSED:
            raise InputError(f"{file}: expands to more than {MAX_TOTAL_UNCOMPRESSED:,} bytes (zip bomb?)")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{file}: part {name!r} compresses {info.file_size // max(info.compress_size, 1)}:1 (zip bomb?)"
            )
    if "[content_types].xml" not in seen or "xl/workbook.xml" not in seen:
        raise InputError(f"{file}: corrupt workbook (no [Content_Types].xml or xl/workbook.xml)")
    screen = Screen()
    reader = _Reader(file, archive, size, screen)
    types = reader.content_types(archive.getinfo(seen["[content_types].xml"]))
    for info in infos:
        lower = info.filename.lower()
        declared = types.get("/" + lower) or types.get("." + lower.rpartition(".")[2], "")
        if lower.endswith(_XML_EXTENSIONS) or declared.endswith("xml"):
            reader.xml(info)
        else:
            reader.binary(info)
        if lower.startswith("xl/externallinks/"):
            _note(screen, f"links to another workbook (part {info.filename!r})")
        if "macroenabled" in declared or lower.endswith("vbaproject.bin"):
            screen.macro_enabled = True
    return screen


def _note(screen: Screen, what: str) -> None:
    if what not in screen.outside and len(screen.outside) < 5:
        screen.outside.append(what)


class _Reader:
    """Reads parts to their end, counting inflated bytes against the limits."""

    def __init__(self, file: Path, archive: zipfile.ZipFile, size: int, screen: Screen) -> None:
        self.file, self.archive, self.size, self.screen = file, archive, size, screen
        self.total = 0

    def _chunks(self, info: zipfile.ZipInfo):
        try:
            with self.archive.open(info) as part:
                read = 0
                while chunk := part.read(1 << 20):
                    read += len(chunk)
                    self.total += len(chunk)
                    if read > info.file_size:
                        raise InputError(f"{self.file}: part {info.filename!r} is longer than it declares (zip bomb?)")
                    if self.total > MAX_TOTAL_UNCOMPRESSED or (
                        self.total > 16 * 1024 * 1024 and self.total > MAX_RATIO * self.size
                    ):
                        raise InputError(
                            f"{self.file}: expands to more than {min(self.total, MAX_TOTAL_UNCOMPRESSED):,} bytes "
                            f"from {self.size:,} (zip bomb?)"
                        )
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise InputError(f"{self.file}: corrupt part {info.filename!r} ({exc})") from None

    def binary(self, info: zipfile.ZipInfo) -> None:
        for _ in self._chunks(info):  # to its end: the CRC is checked there
            pass

    def content_types(self, info: zipfile.ZipInfo) -> dict[str, str]:
        types: dict[str, str] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = name.rpartition(":")[2]
            if local == "Default" and "Extension" in attrs:
                types["." + attrs["Extension"].lower()] = attrs.get("ContentType", "").lower()
            elif local == "Override" and "PartName" in attrs:
                types[attrs["PartName"].lower()] = attrs.get("ContentType", "").lower()

        self.xml(info, start)
        return types

    def xml(self, info: zipfile.ZipInfo, extra=None) -> None:
        """Parse one part with expat: no DTD, no entity declarations, bounded depth; note cells and formulas."""
        file, screen, name = self.file, self.screen, info.filename
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        depth = 0
        formula: list[str] | None = None
        formula_chars = 0
        rels = name.lower().endswith(".rels")
        #: The current cell <c>: has it a formula, and is its value <v> absent (False), open (None) or given (True)?
        cell_formula = False
        cell_value: bool | None = False

        def refuse_dtd(*_args: object) -> None:
            raise InputError(f"{file}: part {name!r} declares a DTD or entities; refused (XML entity attack?)")

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth, formula, formula_chars, cell_formula, cell_value
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise InputError(f"{file}: part {name!r} nests elements over {MAX_XML_DEPTH} deep; refused")
            local = tag.rpartition(":")[2]
            if local == "c":
                screen.cells += 1
                # a text result may be empty (t="str", <v></v>: a formula that gives ""); any other needs its value
                cell_formula, cell_value = False, attrs.get("t") == "str"
            elif local == "v" and not cell_value:
                cell_value = None  # its text decides (a <v/> without text is no value)
            elif local in ("f", "definedName"):
                cell_formula = cell_formula or local == "f"
                screen.formulas += local == "f"
                formula, formula_chars = [], 0
            elif local == "externalReference":
                _note(screen, "links to another workbook (externalReferences)")
            elif rels and local == "Relationship":
                kind = attrs.get("Type", "")
                target = attrs.get("Target", "")
                if kind.endswith("/externalLink") or kind.endswith("/externalLinkPath"):
                    _note(screen, f"links to another workbook ({target[:120]!r})")
                elif attrs.get("TargetMode", "").lower() == "external" and not kind.endswith(_HYPERLINK):
                    _note(screen, f"links to a file outside the workbook ({target[:120]!r})")
            if extra is not None:
                extra(tag, attrs)

        def end(tag: str) -> None:
            nonlocal depth, formula
            depth -= 1
            if cell_formula and not cell_value and tag.rpartition(":")[2] == "c":
                screen.uncalculated += 1
            if formula is not None and tag.rpartition(":")[2] in ("f", "definedName"):
                _check_formula(screen, "".join(formula), formula_chars)
                formula = None

        def text(data: str) -> None:
            nonlocal formula_chars, cell_value
            if cell_value is None and data.strip():
                cell_value = True
            if formula is not None:
                formula_chars += len(data)
                if formula_chars <= MAX_FORMULA_CHARS:
                    formula.append(data)

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.UnparsedEntityDeclHandler = refuse_dtd
        parser.ExternalEntityRefHandler = refuse_dtd  # type: ignore[assignment]
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        try:
            for chunk in self._chunks(info):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) if exc.code else str(exc)
            raise InputError(
                f"{file}: part {name!r} is not well-formed XML ({reason}, line {exc.lineno}); "
                "save the workbook again from a spreadsheet"
            ) from None


def _check_formula(screen: Screen, formula: str, length: int) -> None:
    """Note a formula over Excel's length or nesting limits, or one that reaches outside the workbook."""
    if screen.formula_problem is None:
        if length > MAX_FORMULA_CHARS:
            screen.formula_problem = f"a formula of {length:,} characters (Excel allows {MAX_FORMULA_CHARS:,})"
        else:
            depth = deepest = 0
            for ch in _STRING.sub('""', formula):
                depth += (ch == "(") - (ch == ")")
                deepest = max(deepest, depth)
            if deepest > MAX_FORMULA_DEPTH:
                screen.formula_problem = (
                    f"a formula nested {deepest} parentheses deep (over {MAX_FORMULA_DEPTH}; Excel allows 64 "
                    "nested functions)"
                )
    if "[" in formula or "|" in formula or "(" in formula:
        unquoted = _STRING.sub('""', formula)
        sheets = _QUOTED.findall(unquoted)
        rest = _QUOTED.sub("'S'", unquoted) if sheets else unquoted
        if any("[" in s and "]" in s for s in sheets) or _BOOK_REF.search(rest):
            _note(screen, f"a formula refers to another workbook ({formula[:80]!r})")
        elif "|" in rest:
            _note(screen, f"a formula asks another program for data (DDE: {formula[:80]!r})")
        elif (m := _OUTWARD.search(rest)) is not None:
            _note(screen, f"a formula calls {m.group(1).upper()}, which reaches outside the workbook")


def decode_part(data: bytes) -> str:
    """An XML part's text in the encoding it declares (a BOM, else the XML declaration, else UTF-8)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith((b"<\x00", b"\x00<")):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be")
    declared = re.match(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", data)
    try:
        return data.decode(declared.group(1).decode("ascii") if declared else "utf-8")
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(f"an XML part is not text in the encoding it declares ({exc})") from None


#: A cell formula's element in a worksheet part: opening tag, text, closing tag.
_FORMULA_ELEMENT = re.compile(r"(<f(?:\s[^>]*)?>)(.*?)(</f>)", re.DOTALL)


def rewrite_formulas(source: Path, target: Path, change: Callable[[str], str]) -> None:
    """A copy of a workbook with each cell formula of its worksheet parts passed through ``change``.

    ``change`` gets and returns the formula as text (XML entities resolved); a formula it returns unchanged
    keeps its bytes, and every other part is copied as it is. A file that is not a zip raises
    ``zipfile.BadZipFile``.
    """
    from xml.sax.saxutils import escape, unescape

    def fix(match: re.Match[str]) -> str:
        text = unescape(match.group(2), {"&quot;": '"', "&apos;": "'"})
        new = change(text)
        return match.group(0) if new == text else match.group(1) + escape(new) + match.group(3)

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = encode_part(_FORMULA_ELEMENT.sub(fix, decode_part(data)))
            zout.writestr(info, data)


def encode_part(text: str) -> bytes:
    """An XML part's text as UTF-8, its declaration saying so."""
    text = re.sub(r"^(<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2", r"\1\2UTF-8\2", text, count=1)
    return text.encode("utf-8", "surrogatepass")
