"""``xl-rollover report``: a client PDF from a template or a filled workbook, recalculated first, branded on every
page, fonts embedded, charts as vector graphics; bad input is one clear error and no file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.test_client_pages import EM, MIN_PT, _pages, overlapping_words
from xl_rollover.cli.main import main
from xl_rollover.templates.evaluation import evaluate
from xl_rollover.templates.model import DISCLAIMER
from xl_rollover.templates.specs import SEPARATION

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks"
ARTIFACTS = ROOT / "artifacts" / "reports"
FILLED = {"in_client": "Alex Example", "in_firm": "North & Main Advisers", "in_basis": 60000, "in_earnings": 2500}


def _text(pdf: Path) -> list[str]:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in raw.split("\f")[:-1]]


def _fill(target: Path) -> Path:
    """An advisor's copy: new client, firm and figures typed in and saved by openpyxl (no stored values left)."""
    book = openpyxl.load_workbook(SHIPPED / SEPARATION.file)
    for name, value in FILLED.items():
        sheet, ref = next(iter(book.defined_names[name].destinations))
        book[sheet][ref.replace("$", "")].value = value
    book.save(target)
    return target


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    made = {}
    for key, workbook in (("template", SHIPPED / SEPARATION.file), ("filled", _fill(folder / "alex.xlsx"))):
        pdf = folder / f"{key}.pdf"
        assert main(["report", str(workbook), "-o", str(pdf)]) == 0
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


def test_filled_workbook_is_recalculated_before_it_is_printed(reports):
    pages = _text(reports["filled"])
    want = evaluate(SEPARATION, FILLED)
    assert want["out_sum_sentence"] != evaluate(SEPARATION)["out_sum_sentence"]
    assert ("In short " + want["out_sum_sentence"]) in pages[0]
    for page in pages:
        assert "North & Main Advisers · prepared for Alex Example · 2026-01-01" in page


@pytest.mark.parametrize("key", ["template", "filled"])
def test_report_embeds_its_fonts_draws_charts_as_vectors_and_prints_no_text_below_9_pt(reports, key):
    pdf = reports[key]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 2, images  # header lines only: the charts are vector drawings
    for number, words in enumerate(_pages(pdf), 1):
        for height, width, word in words:
            rotated = len(word) > 3 and height > 16 and height > 1.8 * width
            assert (width if rotated else height) / EM >= MIN_PT - 0.05, (key, number, word)
    assert overlapping_words(pdf) == [], key
    assert any(ARTIFACTS.glob(f"{key}-*.png"))


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
