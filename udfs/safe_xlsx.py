"""Open a workbook someone else made without trusting it: size, zip-bomb, encryption and XML-entity checks.

An .xlsx is a zip of XML parts. Before any spreadsheet library touches one, this module checks it in
bounded memory: the file is a zip (an encrypted workbook is an OLE2 container and is refused with that
reason), it has a sane number of parts with safe names, the declared uncompressed sizes stay under a
total and a compression-ratio limit (zip bombs), and no XML part declares a DTD or entities (billion
laughs, external entities). Every refusal is an :class:`~xl_rollover.errors.InputError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from xl_rollover.errors import InputError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_PART_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts over 1 MB
MAX_PARTS = 10_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def check_workbook(path: str | Path) -> zipfile.ZipFile:
    """Return the workbook's zip, open, after every check passed; raise InputError otherwise."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{file}: no such file")
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
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{file}: corrupt workbook ({exc})") from None
    try:
        _check_parts(file, archive)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_parts(file: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise InputError(f"{file}: {len(infos)} parts; a workbook has far fewer (over {MAX_PARTS} refused)")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError(f"{file}: corrupt workbook (no [Content_Types].xml or xl/workbook.xml)")
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/"):
            raise InputError(f"{file}: unsafe part name {name!r}")
        if info.flag_bits & 0x1:
            raise InputError(f"{file}: part {name!r} is encrypted")
        total += info.file_size
        if info.file_size > MAX_PART_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED:
            raise InputError(f"{file}: expands to more than {MAX_TOTAL_UNCOMPRESSED:,} bytes (zip bomb?)")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{file}: part {name!r} compresses {info.file_size // max(info.compress_size, 1)}:1 (zip bomb?)"
            )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _check_xml(file, archive, info)


def _check_xml(file: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Stream one XML part (bounded chunks, bounded total) and refuse DTDs and entity declarations."""
    read = 0
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                read += len(chunk)
                if read > info.file_size or read > MAX_PART_UNCOMPRESSED:
                    raise InputError(f"{file}: part {info.filename!r} is longer than it declares (zip bomb?)")
                if _DTD.search(tail + chunk):
                    raise InputError(
                        f"{file}: part {info.filename!r} declares a DTD or entities; refused (XML entity attack?)"
                    )
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"{file}: corrupt part {info.filename!r} ({exc})") from None
