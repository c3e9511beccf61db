"""``xl-rollover report``: a client PDF from a template or a filled workbook, recalculated first, branded on every
page (firm, client, date, disclaimer and the firm's logo), fonts embedded, charts as vector graphics; bad input
(a bad workbook or a bad logo) is one clear error and no file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.test_client_pages import EM, MIN_PT, _pages, overlapping_words
from xl_rollover.cli.main import main
from xl_rollover.templates.evaluation import evaluate
from xl_rollover.templates.logo import RIGHT, TOP
from xl_rollover.templates.model import DISCLAIMER
from xl_rollover.templates.specs import SEPARATION, TEMPLATES

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks"
ARTIFACTS = ROOT / "artifacts" / "reports"
FILLED = {
    "in_client": "Alex Example",
    "in_firm": "North & Main Advisers",
    "in_basis": 60000,
    "in_earnings": 2500,
    "in_logo": "firm-logo.png",  # the Logo cell: a file name beside the workbook
}
#: The report of each other template (the example client, the logo given on the command line), by file stem.
OTHERS = tuple(t.file.removesuffix(".xlsx") for t in TEMPLATES if t is not SEPARATION)
KEYS = ("template", "filled", *OTHERS)
NAVY = (31, 56, 100)
#: The example logo: 480 x 120 pixels, printed 120 x 30 pt (the 144 x 30 pt box, proportions kept).
LOGO_PIXELS, LOGO_POINTS = (480, 120), (120.0, 30.0)


def example_logo(path: Path) -> Path:
    """A firm's logo as a designer would hand it over: a navy square with a gold bar, the name, a transparent
    background (PNG with alpha)."""
    image = Image.new("RGBA", LOGO_PIXELS, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 119, 119), fill=(*NAVY, 255))
    draw.rectangle((0, 96, 119, 119), fill=(191, 144, 0, 255))
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 40)
    draw.text((136, 6), "Example", font=font, fill=(*NAVY, 255))
    draw.text((136, 60), "Wealth Partners", font=font.font_variant(size=34), fill=(191, 144, 0, 255))
    image.save(path)
    return path


def _text(pdf: Path) -> list[str]:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in raw.split("\f")[:-1]]


def _fill(target: Path) -> Path:
    """An advisor's copy: new client, firm, logo and figures typed in and saved by openpyxl (no stored values left)."""
    target.parent.mkdir(exist_ok=True)
    book = openpyxl.load_workbook(SHIPPED / SEPARATION.file)
    for name, value in FILLED.items():
        sheet, ref = next(iter(book.defined_names[name].destinations))
        book[sheet][ref.replace("$", "")].value = value
    book.save(target)
    example_logo(target.parent / "firm-logo.png")
    return target


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    made = {}
    logo = ["--logo", str(example_logo(folder / "logo.png"))]
    for key, workbook, options in (
        ("template", SHIPPED / SEPARATION.file, logo),  # the logo given on the command line
        ("filled", _fill(folder / "filled" / "alex.xlsx"), []),  # the logo named in the workbook's Logo cell
        *((stem, SHIPPED / f"{stem}.xlsx", logo) for stem in OTHERS),
    ):
        pdf = folder / f"{key}.pdf"
        assert main(["report", str(workbook), "-o", str(pdf), *options]) == 0
        shutil.copyfile(pdf, ARTIFACTS / pdf.name)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / key)], check=True, timeout=120)
        made[key] = pdf
    return made


def test_report_opens_on_the_summary_and_brands_every_page(reports):
    pages = _text(reports["template"])
    assert len(pages) >= 2
    sentence = evaluate(SEPARATION)["out_sum_sentence"]
    assert pages[0].split(" ".join(DISCLAIMER.split()), 1)[1].strip().startswith("In short " + sentence)
    assert not any("How to use it" in page for page in pages)  # the Instructions sheet is not the client's
    for number, page in enumerate(pages, 1):
        assert "Example Wealth Partners · prepared for Dana Rivera · 2026-01-01" in page, number
        assert f"page {number} of {len(pages)}" in page
        assert " ".join(DISCLAIMER.split()) in page
    assert "Sources:" in pages[-1]


@pytest.mark.parametrize("key", ["template", *OTHERS])
def test_every_report_opens_on_its_answer_with_no_error_value_and_brands_every_page(reports, key):
    """Every template's report: the summary box first, no error value anywhere, and on every page the firm, the
    client, the date prepared, the disclaimer and the page number."""
    template = SEPARATION if key == "template" else next(t for t in TEMPLATES if t.file == f"{key}.xlsx")
    pages = _text(reports[key])
    sentence = evaluate(template)["out_sum_sentence"]
    assert pages[0].split(" ".join(DISCLAIMER.split()), 1)[1].strip().startswith("In short " + sentence), key
    for bad in ("#NAME?", "#VALUE!", "#N/A", "#REF!", "#DIV/0!", "#NUM!", "Err:", "###"):
        assert not any(bad in page for page in pages), (key, bad)
    for number, page in enumerate(pages, 1):
        assert "Example Wealth Partners · prepared for Dana Rivera · 2026-01-01" in page, (key, number)
        assert f"page {number} of {len(pages)}" in page, (key, number)
        assert " ".join(DISCLAIMER.split()) in page, (key, number)
        assert "Logo image file" not in page, (key, number)  # an input for the advisor, not the client


def test_filled_workbook_is_recalculated_before_it_is_printed(reports):
    pages = _text(reports["filled"])
    want = evaluate(SEPARATION, FILLED)
    assert want["out_sum_sentence"] != evaluate(SEPARATION)["out_sum_sentence"]
    assert ("In short " + want["out_sum_sentence"]) in pages[0]
    for page in pages:
        assert "North & Main Advisers · prepared for Alex Example · 2026-01-01" in page
        assert "firm-logo.png" not in page and "Logo image file" not in page  # the advisor's file path stays home


@pytest.mark.parametrize("key", KEYS)
def test_report_embeds_its_fonts_draws_charts_as_vectors_and_prints_no_text_below_9_pt(reports, key):
    pdf = reports[key]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    # the only images are the logo (its colours and its transparency mask), once on each page: the charts are
    # vector drawings
    rows = [line.split() for line in images.splitlines()[2:]]
    pages = len(_text(pdf))
    assert [(int(r[0]), r[2], (int(r[3]), int(r[4]))) for r in rows] == [
        (page, kind, LOGO_PIXELS) for page in range(1, pages + 1) for kind in ("image", "smask")
    ], images
    assert len({r[10] for r in rows}) == 1  # one image object in the file, drawn on every page
    for number, words in enumerate(_pages(pdf), 1):
        for height, width, word in words:
            rotated = len(word) > 3 and height > 16 and height > 1.8 * width
            assert (width if rotated else height) / EM >= MIN_PT - 0.05, (key, number, word)
    assert overlapping_words(pdf) == [], key
    assert any(ARTIFACTS.glob(f"{key}-*.png"))


@pytest.mark.parametrize("key", KEYS)
def test_the_logo_prints_at_the_top_right_of_every_page(reports, key, tmp_path):
    """Rendered at 72 dpi (1 pixel a point) the logo's navy square fills the box left of the right margin, 7 pt
    below the page's top edge, on every page; the title rows start below it (page top + 0.6 in)."""
    subprocess.run(["pdftoppm", "-png", "-r", "72", str(reports[key]), str(tmp_path / "p")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(_text(reports[key])) >= 2
    for png in pngs:
        with Image.open(png) as page:
            page = page.convert("RGB")
            left = page.width - RIGHT - LOGO_POINTS[0]
            assert page.getpixel((int(left + 15), int(TOP + 12))) == NAVY, (png.name, "the square")
            assert page.getpixel((int(left - 3), int(TOP + 12))) == (255, 255, 255), png.name  # nothing left of it
            assert page.getpixel((int(left + 15), int(TOP + LOGO_POINTS[1] + 3))) == (255, 255, 255), png.name
            assert all(page.getpixel((x, int(TOP + 12))) == (255, 255, 255) for x in range(0, int(left) - 2, 4))


def _png(path: Path, size: tuple[int, int], kind: str = "PNG") -> Path:
    Image.new("L", size, 90).save(path, kind)
    return path


def test_a_bad_logo_is_one_clear_error_before_anything_is_printed(tmp_path, capsys):
    """Missing, damaged, not an image, another format, too many bytes or pixels: exit 2, a message naming the
    file and what is wrong, no PDF and no temporary file (each stops before LibreOffice runs)."""
    good = _png(tmp_path / "good.png", (200, 50))
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(good.read_bytes()[:60])
    words = tmp_path / "logo.png"
    words.write_text("our logo is on the shared drive")
    big = tmp_path / "big.png"
    big.write_bytes(good.read_bytes() + bytes(6 * 1024 * 1024))  # a PNG followed by 6 MiB of padding
    cases = (
        (tmp_path / "nowhere.png", "no such file"),
        (damaged, "the image cannot be read, the file may be damaged"),
        (words, "not an image file"),
        (_png(tmp_path / "logo.gif", (200, 50), "GIF"), "a GIF image; give a PNG or JPEG file"),
        (big, "bytes is too large for a logo"),
        (_png(tmp_path / "huge.png", (5000, 4000)), "5000 x 4000 pixels is too large for a logo"),
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    for logo, message in cases:
        out = tmp_path / "r.pdf"
        assert main(["report", str(SHIPPED / SEPARATION.file), "-o", str(out), "--logo", str(logo)]) == 2, logo
        err = capsys.readouterr().err
        assert err.startswith("xl-rollover: error: logo ") and message in err and "Traceback" not in err, err
        assert logo.name in err
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # no PDF, no temporary file


def test_a_logo_cell_naming_a_missing_file_stops_the_report(tmp_path, capsys):
    book = openpyxl.load_workbook(SHIPPED / SEPARATION.file)
    sheet, ref = next(iter(book.defined_names["in_logo"].destinations))
    book[sheet][ref.replace("$", "")].value = "logos/firm.png"
    book.save(tmp_path / "copy.xlsx")
    assert main(["report", str(tmp_path / "copy.xlsx"), "-o", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert f"logo {tmp_path / 'logos' / 'firm.png'}: no such file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.xlsx"]


def test_bad_input_is_one_clear_error_and_no_file(tmp_path, capsys):
    not_a_book = tmp_path / "notes.xlsx"
    not_a_book.write_text("not a workbook")
    out = tmp_path / "r.pdf"
    assert main(["report", str(not_a_book), "-o", str(out)]) == 2
    assert "xl-rollover: error:" in capsys.readouterr().err and not out.exists()

    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = 1
    book.save(plain)
    assert main(["report", str(plain), "-o", str(out)]) == 2
    assert "has no Plan, Sources sheet" in capsys.readouterr().err and not out.exists()

    assert main(["report", str(SHIPPED / SEPARATION.file), "-o", str(tmp_path / "r.txt")]) == 2
    assert "the report is a PDF" in capsys.readouterr().err

    out.write_text("keep me")
    assert main(["report", str(SHIPPED / SEPARATION.file), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.xlsx", "plain.xlsx", "r.pdf"]  # no temp files


def test_print_copy_hides_the_logo_row_only(tmp_path):
    """The Logo cell's row (Plan!B17 in the separation template) is hidden in the printed copy; no other row is."""
    from xl_rollover.templates.report import print_copy

    source, target = SHIPPED / SEPARATION.file, tmp_path / "print.xlsx"
    print_copy(source, target, "footer")
    before, after = openpyxl.load_workbook(source)["Plan"], openpyxl.load_workbook(target)["Plan"]
    sheet, ref = next(iter(openpyxl.load_workbook(source).defined_names["in_logo"].destinations))
    row = int(ref.replace("$", "")[1:])
    assert sheet == "Plan" and not before.row_dimensions[row].hidden and after.row_dimensions[row].hidden
    shown = [r for r in range(1, before.max_row + 1) if r != row]
    assert [after.row_dimensions[r].hidden for r in shown] == [before.row_dimensions[r].hidden for r in shown]
    assert after[ref.replace("$", "")].value == before[ref.replace("$", "")].value  # hidden, not emptied
