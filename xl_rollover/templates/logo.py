"""The firm's logo on every page of a client report: read and checked with Pillow, stamped with pypdf.

LibreOffice 7.4 prints no header or footer image of an xlsx (XlsxWriter's ``set_header('&G', ...)``: measured,
``pdfimages -list`` finds none), so the report puts the logo on the PDF LibreOffice wrote: the image becomes a
one-page PDF of its own (an image XObject, Flate-compressed RGB, lossless, its transparency kept as a soft mask),
which pypdf merges onto every page at the same place, in the top margin at the right, above the title rows.

A logo is a PNG or JPEG file of at most :data:`MAX_BYTES` bytes and :data:`MAX_PIXELS` pixels; anything else is
one clear :class:`InputError` naming the file, before anything is printed.
"""

from __future__ import annotations

import io
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

from xl_rollover.core.errors import InputError

#: Largest logo file read (bytes) and image (pixels): a logo, not a photograph.
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 16_000_000
#: The box the logo is fitted into, keeping its proportions (points): at most 2 in wide and 30 pt high.
BOX_WIDTH, BOX_HEIGHT = 144.0, 30.0
#: Its top right corner: 7 pt below the page's top edge and on the right margin (0.5 in), so it sits in the
#: 0.6 in top margin of the Plan and Sources sheets, above their title rows.
TOP, RIGHT = 7.0, 36.0
#: Pixels kept per point of the box (about 300 dpi): a larger image is scaled down before it is embedded.
PIXELS_PER_POINT = 4


@dataclass(frozen=True)
class Logo:
    """A logo ready to stamp: its pixels (RGB, and alpha if it has transparency) and its printed size (points)."""

    path: Path
    pixels: tuple[int, int]
    rgb: bytes
    alpha: bytes | None
    width: float
    height: float


def read_logo(path: str | Path) -> Logo:
    """Read and check a logo file (PNG or JPEG); a missing, damaged, oversized or non-image file is refused."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # the `report` extra

    file = Path(path).expanduser()
    if not file.is_file():
        raise InputError(f"logo {file}: no such file (give the path of a PNG or JPEG image)")
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"logo {file.name}: {size:,} bytes is too large for a logo (at most {MAX_BYTES:,})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as opened:
                if opened.format not in ("PNG", "JPEG"):
                    raise InputError(f"logo {file.name}: a {opened.format} image; give a PNG or JPEG file")
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise InputError(
                        f"logo {file.name}: {width} x {height} pixels is too large for a logo "
                        f"(at most {MAX_PIXELS:,} pixels)"
                    )
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError(f"logo {file.name}: not an image file; give a PNG or JPEG file") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InputError(f"logo {file.name}: too many pixels for a logo (at most {MAX_PIXELS:,})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise InputError(f"logo {file.name}: the image cannot be read, the file may be damaged ({error})") from None
    image.thumbnail((int(BOX_WIDTH * PIXELS_PER_POINT), int(BOX_HEIGHT * PIXELS_PER_POINT)), Image.Resampling.LANCZOS)
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A").tobytes() if transparent else None
    scale = min(BOX_WIDTH / image.width, BOX_HEIGHT / image.height)
    return Logo(
        file,
        image.size,
        rgba.convert("RGB").tobytes(),
        alpha,
        round(image.width * scale, 2),
        round(image.height * scale, 2),
    )


def logo_pdf(logo: Logo) -> bytes:
    """A one-page PDF the size of the logo, the logo filling it (PDF 1.4: ISO 32000-1 §7.5, §8.9.5, §11.6.5.3)."""
    w, h = logo.pixels
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {logo.width} {logo.height}] "
            "/Resources << /XObject << /Logo 4 0 R >> >> /Contents 5 0 R >>"
        ).encode(),
    ]

    def stream(head: str, data: bytes) -> bytes:
        return f"<< {head} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    mask = " /SMask 6 0 R" if logo.alpha is not None else ""
    image = f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8"
    objects.append(stream(f"{image} /Filter /FlateDecode{mask}", zlib.compress(logo.rgb, 9)))
    objects.append(stream("", f"q {logo.width} 0 0 {logo.height} 0 0 cm /Logo Do Q".encode()))
    if logo.alpha is not None:
        gray = f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8"
        objects.append(stream(f"{gray} /Filter /FlateDecode", zlib.compress(logo.alpha, 9)))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def stamp(pdf: bytes, logo: Logo) -> bytes:
    """``pdf`` with ``logo`` drawn on every page, top right in the top margin (one copy of the image in the file)."""
    from pypdf import PdfReader, PdfWriter, Transformation  # the `report` extra

    mark = PdfReader(io.BytesIO(logo_pdf(logo))).pages[0]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        box = page.mediabox
        x = float(box.right) - RIGHT - logo.width
        y = float(box.top) - TOP - logo.height
        page.merge_transformed_page(mark, Transformation().translate(x, y))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = [
    "BOX_HEIGHT",
    "BOX_WIDTH",
    "MAX_BYTES",
    "MAX_PIXELS",
    "RIGHT",
    "TOP",
    "Logo",
    "logo_pdf",
    "read_logo",
    "stamp",
]
