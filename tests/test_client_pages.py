"""What a client sees: each template printed by LibreOffice (rendered once per session) is readable, branded
and opens on its answer; the summary box and the years-ahead timeline equal the core's figures."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import xl_rollover as xr
from xl_rollover.core import demo
from xl_rollover.core.money import times
from xl_rollover.core.rules.contribution_limits import mega_backdoor_room
from xl_rollover.core.rules.form_8606 import form_8606
from xl_rollover.core.rules.penalty_exceptions import ACCOUNT_TYPES, EXCEPTIONS
from xl_rollover.core.rules.roth_ordering import roth_penalty_free_amount
from xl_rollover.core.rules.split import roth_rollover_split
from xl_rollover.templates.evaluation import evaluate
from xl_rollover.templates.model import DISCLAIMER
from xl_rollover.templates.specs import (
    ACCOUNT_WORDS,
    BACKDOOR,
    EARLY,
    NO_EXCEPTION,
    ROOM,
    ROTH,
    SEPARATION,
    TEMPLATES,
    VARIANTS,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks"
ARTIFACTS = ROOT / "artifacts" / "templates"
#: Carlito (Calibri's metric twin, which LibreOffice prints for Calibri) spans 1.30 em from its ascender to its
#: descender: poppler's word boxes are 13.01 pt high at 10 pt and 11.72 pt at 9 pt (measured in these PDFs).
EM = 1.30
MIN_PT = 9.0
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _pages(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page: (height, width, text) of each word, from ``pdftotext -bbox``."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(m[3]) - float(m[1]), float(m[2]) - float(m[0]), m[4]) for m in _WORD.findall(page)])
    return pages


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, Path]:
    """Every shipped template printed to PDF by LibreOffice (one run), and its pages as PNGs in artifacts/."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is required (tools/test-setup installs it)"
    out = tmp_path_factory.mktemp("printed")
    files = [str(SHIPPED / t.file) for t in TEMPLATES]
    profile = f"-env:UserInstallation={(out / 'profile').as_uri()}"
    done = subprocess.run(
        [soffice, "--headless", "--norestore", profile, "--convert-to", "pdf", "--outdir", str(out), *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        start_new_session=True,
    )
    assert done.returncode == 0, done.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdfs = {}
    for t in TEMPLATES:
        pdf = out / t.file.replace(".xlsx", ".pdf")
        assert pdf.exists(), (t.file, done.stderr)
        stem = ARTIFACTS / t.file.replace(".xlsx", "")
        shutil.copyfile(pdf, stem.with_suffix(".pdf"))
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(stem)], check=True, timeout=120)
        pdfs[t.file] = pdf
    return pdfs


def overlapping_words(pdf: Path) -> list[tuple[int, str, str]]:
    """Words drawn over each other (page, word, word): text running out of its cell, or colliding chart labels.
    A cell too small for its wrapped text still draws the hidden lines (clipped, but extracted), over the next row."""
    found = []
    for number, words in enumerate(_boxes(pdf), 1):
        words.sort(key=lambda w: w[1])
        for i, (x0, y0, x1, y1, word) in enumerate(words):
            for u0, v0, u1, v1, other in words[i + 1 :]:
                if v0 >= y1:
                    break
                if min(x1, u1) - max(x0, u0) > 1 and min(y1, v1) - max(y0, v0) > 0.5 * min(y1 - y0, v1 - v0):
                    found.append((number, word, other))
    return found


def _boxes(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def _text(pdf: Path, layout: bool = True) -> list[str]:
    """The text of each page: as laid out, or (``layout=False``) in reading order, a cell's lines together."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.file)
def test_printed_template_has_no_error_value_and_no_text_below_9_pt(printed, template):
    pdf = printed[template.file]
    for bad in ("#NAME?", "#VALUE!", "#N/A", "#REF!", "#DIV/0!", "Err:", "###"):
        assert not any(bad in page for page in _text(pdf)), (template.file, bad)
    assert any(ARTIFACTS.glob(template.file.replace(".xlsx", "") + "*.png"))
    for number, words in enumerate(_pages(pdf), 1):
        for height, width, word in words:
            # a vertical axis title: its width is its height
            rotated = len(word) > 3 and height > 16 and height > 1.8 * width
            size = (width if rotated else height) / EM
            assert size >= MIN_PT - 0.05, (template.file, number, word, round(size, 2))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.file)
def test_nothing_is_cut_off_or_drawn_over(printed, template):
    assert overlapping_words(printed[template.file]) == [], template.file


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.file)
def test_every_page_names_firm_client_date_and_disclaimer(printed, template):
    pages = _text(printed[template.file])
    # the Instructions sheet prints first (its pages too); the Plan sheet starts with the summary box
    first = next(i for i, page in enumerate(pages) if "In short" in page)
    assert first >= 1 and "For the client" in " ".join(pages[0].split())
    for page in pages:
        flat = " ".join(page.split())
        assert "Prepared for Dana Rivera by Example Wealth Partners, 2026-01-01" in flat, (template.file, flat[:200])
        assert " ".join(DISCLAIMER.split()) in flat, template.file
        assert re.search(r"page \d+ of \d+", flat), template.file


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.file)
def test_the_plan_opens_on_its_answer_printed_whole(printed, template):
    """The summary sentence is the first thing under the header rows, and every label prints in full."""
    values = evaluate(template)
    pages = [" ".join(p.split()) for p in _text(printed[template.file])]
    plan = next(p for p in pages if "In short" in p)
    after_header = plan.split(" ".join(DISCLAIMER.split()), 1)[1].strip()
    assert after_header.startswith("In short " + values["out_sum_sentence"]), (template.file, after_header[:300])
    everything = " ".join(" ".join(p.split()) for p in _text(printed[template.file], layout=False))
    for out in template.summary[1:]:
        assert out.label in everything, (template.file, out.label)


def _separation_core(overrides: dict) -> tuple[list[Decimal], list[tuple[Decimal, ...]]]:
    """Each option's tax over A (B, C) and the yearly penalty-free amounts (A, B, C), straight from the core rules."""
    v = {i.name: i.value for _, items in SEPARATION.inputs for i in items if hasattr(i, "value")} | overrides
    basis, earnings, pretax = (Decimal(str(v[k])) for k in ("in_basis", "in_earnings", "in_pretax"))
    balance = pretax + basis + earnings
    year, age, rate = int(v["in_year"]), Decimal(str(v["in_age"])), Decimal(str(v["in_rate"]))
    cost, layers = [], []
    # the RMD still due is paid first with its pro-rata basis (IRC §402(c)(4)(B)); A rolls the basis left to the
    # Roth IRA, B everything but the pretax balance (what the RMD's pretax share leaves of it), C what is typed in
    rmd = roth_rollover_split(balance, basis, balance, age=age, rmd_amount=v["in_rmd"])
    eligible = balance - rmd.rmd_after_tax - rmd.rmd_pretax
    a_roth = basis - rmd.rmd_after_tax
    b_roth = eligible - min(pretax, pretax + earnings - rmd.rmd_pretax)
    to_ira = v["in_pretax_to"] == "Pretax to a traditional IRA"
    for to_roth in (a_roth, b_roth, v["in_c_roth"]):
        split = roth_rollover_split(balance, basis, balance, to_roth_ira=to_roth, age=age, rmd_amount=v["in_rmd"])
        yev = Decimal(str(v["in_other_ira"])) + (
            (split.traditional_pretax + split.traditional_after_tax) if to_ira else 0
        )
        # Form 8606 next year: the rolled after-tax dollars are basis on line 2 (only in an IRA)
        backdoor = form_8606(
            converted=v["in_backdoor"],
            year_end_value=yev,
            nondeductible_contributions=v["in_backdoor"],
            prior_basis=split.traditional_ira_basis if to_ira else 0,
        )
        cost.append(times(split.taxable + backdoor.taxable_conversion, rate))
        layers.append(
            (
                (year, split.roth_pretax, split.roth_after_tax),
                (year + 1, backdoor.taxable_conversion, backdoor.nontaxable_conversion),
            )
        )
    timeline = [
        tuple(
            roth_penalty_free_amount(v["in_roth_regular"], option, distribution_year=year + k, age=age + k)
            for option in layers
        )
        for k in range(1, 7)
    ]
    return [cost[1] - cost[0], cost[2] - cost[0]], timeline


@pytest.mark.parametrize("overrides", [{}, *VARIANTS[SEPARATION.file]])
def test_separation_summary_and_timeline_equal_the_core(overrides):
    values = evaluate(SEPARATION, overrides)
    (b_minus_a, c_minus_a), timeline = _separation_core(overrides)
    assert Decimal(str(values["out_sum_b_minus_a"])) == b_minus_a
    assert Decimal(str(values["out_sum_c_minus_a"])) == c_minus_a
    assert Decimal(str(values["out_cmp_cost_c"])) - Decimal(str(values["out_cmp_cost_a"])) == c_minus_a
    for k, row in enumerate(timeline):
        assert tuple(Decimal(str(values[f"out_{o}_free_{k}"])) for o in "abc") == row, k
    for o, column in (("a", 0), ("b", 1), ("c", 2)):
        first = next((k for k, row in enumerate(timeline) if row[column] > 0), len(timeline))
        assert values[f"out_sum_{o}_first"] == values["in_year"] + 1 + first


def test_separation_summary_is_the_demos_story():
    """Dana (the demo's client): option A saves 87.60 (B: 1,850 taxed now, 444.00 at 24%; A: 1,485 of next year's
    backdoor taxable, 356.40); under B nothing comes out penalty-free before 2030 (the 1,850 converted in 2025 stands
    in front until the end of 2029), under A 40,000.00 can in 2026.
    Option C (20,000 to the Roth IRA, the rest to a traditional IRA): the Roth IRA gets 20,000 of after-tax dollars,
    the traditional IRA 1,850 pretax + 20,000 after-tax (its basis). 2026 backdoor: lines 1-3 7,500 + 20,000 = 27,500;
    line 6 21,850, line 9 29,350, line 10 27,500 / 29,350 = 0.93697 -> 0.937, line 11 7,027.50, line 18 472.50;
    cost 472.50 x 24% = 113.40, 243.00 less than A. 20,000 comes out free in 2026-2030 (the 472.50 converted in 2026
    stands in front of its 7,027.50 until the end of 2030), 27,500 in 2031."""
    values = evaluate(SEPARATION)
    d = demo.run()
    a, b = d.options
    assert values["out_sum_b_minus_a"] == 87.6
    assert times(b.taxable_total, d.marginal_rate) - times(a.taxable_total, d.marginal_rate) == Decimal("87.60")
    for k, year in enumerate(range(demo.BACKDOOR_YEAR, demo.BACKDOOR_YEAR + 6)):
        assert Decimal(str(values[f"out_a_free_{k}"])) == a.penalty_free(year)
        assert Decimal(str(values[f"out_b_free_{k}"])) == b.penalty_free(year)
    assert (values["out_sum_a_first"], values["out_sum_b_first"]) == (2026, 2030)
    assert (values["out_c_trad_basis"], values["out_c_backdoor_taxable"], values["out_c_cost"]) == (20000, 472.5, 113.4)
    assert (values["out_sum_c_minus_a"], values["out_sum_c_first"]) == (-243.0, 2026)
    assert [values[f"out_c_free_{k}"] for k in range(6)] == [20000.0] * 5 + [27500.0]
    assert values["out_sum_sentence"] == (
        "Option A saves 87.60 of tax over the two years; under option A 40,000.00 can come out of the Roth IRA free "
        "of tax and the 10% tax in 2026, under option B nothing can before 2030. Option C, your own split, saves "
        "243.00 of tax against A; under option C 20,000.00 can come out of the Roth IRA free of tax and the 10% tax "
        "in 2026."
    )


def test_option_c_sends_pretax_dollars_to_the_roth_ira_when_it_takes_more_than_the_basis():
    """Pretax 50,000 + earnings 1,850 = 51,850 pretax dollars, 40,000 after-tax; option C sends 60,000 to the Roth
    IRA. The traditional IRA takes the other 31,850, all pretax (Notice 2014-54: pretax goes to traditional first),
    so the Roth IRA gets 20,000 pretax (taxable now) + 40,000 after-tax. Backdoor: line 6 31,850, line 10
    7,500 / 39,350 = 0.1906 -> 0.191, line 11 1,432.50, line 18 6,067.50. Cost (20,000 + 6,067.50) x 24% = 6,256.20;
    nothing comes out free before 2030 (the 20,000 converted in 2025 stands in front until the end of 2029)."""
    v = evaluate(SEPARATION, VARIANTS[SEPARATION.file][-1])
    assert (v["out_c_roth_pretax"], v["out_c_roth_basis"], v["out_c_trad_pretax"]) == (20000.0, 40000.0, 31850.0)
    assert (v["out_c_taxable"], v["out_c_backdoor_taxable"], v["out_c_cost"]) == (20000.0, 6067.5, 6256.2)
    assert (v["out_cmp_trad_c"], v["out_sum_c_first"]) == (31850.0, 2030.0)


def test_other_summaries_equal_the_core():
    backdoor = evaluate(BACKDOOR)
    now = form_8606(converted=7500, year_end_value=42000, nondeductible_contributions=7500)
    assert Decimal(str(backdoor["out_sum_now"])) == now.taxable_conversion == Decimal("6360.00")
    assert backdoor["out_sum_after"] == 0.0 and backdoor["out_sum_saved"] == 6360.0
    room = evaluate(ROOM)
    core = mega_backdoor_room(2026, 32500, 9250, compensation=185000, age=52, after_tax_so_far=6000)
    assert Decimal(str(room["out_sum_room"])) == core.room == Decimal("32250.00")
    assert room["out_sum_sentence"].startswith("In 2026, 32,250.00 of after-tax contributions")
    early = evaluate(EARLY)
    assert (early["out_sum_l4"], early["out_sum_l2"]) == (750.0, 12500.0)
    roth = evaluate(ROTH)
    # 20,000 = 14,000 contributions + 6,000 of the 2024 conversion's taxable part (inside 2024-2028): 600 of tax
    assert (roth["out_sum_penalty"], roth["out_sum_free_0"]) == (600.0, 14000.0)


def test_choices_in_words_map_to_the_cores_codes():
    """Every account type and Form 5329 exception of the core has words on the sheet, and a choice in words gives
    the core's figure for its code (Form 5329: 20,000 taxable, expenses of 12,500 under exception 08 -> line 3
    7,500, line 4 750.00)."""
    assert set(ACCOUNT_WORDS) == set(ACCOUNT_TYPES)
    lookups = dict(EARLY.maps)
    assert {code for _, code in lookups["account"]} == set(ACCOUNT_TYPES)
    assert {code for _, code in lookups["exception"]} == {"none"} | {e.number for e in EXCEPTIONS if e.number}
    words = dict(lookups["exception"])
    for account_words, account in lookups["account"]:
        codes = dict(EARLY.lists)[f"codes_{account}"]
        assert codes[0] == NO_EXCEPTION
        for choice in codes[1:4]:
            values = evaluate(EARLY, {"in_account": account_words, "in_exception": choice})
            core = xr.early_penalty(20000, ("1978-03-14", "2026-05-01"), account, words[choice], 12500, tax_year=2026)
            assert Decimal(str(values["out_l4"])) == core.penalty, (account, choice)
    assert evaluate(EARLY)["out_l4"] == 750.0


def test_ages_print_as_whole_years_and_chart_axes_as_calendar_years(printed):
    sep = " ".join(_text(printed[SEPARATION.file]))
    assert re.search(r"Age at the distribution\s+45\s", sep) and not re.search(r"\b45\.0\b", sep)
    book = openpyxl.load_workbook(SHIPPED / ROTH.file)
    formulas = {c.value for row in book["Plan"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {f"=out_plan_year_{k}" for k in range(5)} <= formulas  # the chart's categories: 2027 ... 2031
    assert [evaluate(ROTH)[f"out_plan_year_{k}"] for k in range(5)] == [2027, 2028, 2029, 2030, 2031]


@pytest.mark.parametrize("overrides", [{}, *VARIANTS[BACKDOOR.file]])
def test_backdoor_years_ahead_equal_the_core_chained_year_to_year(overrides):
    """Each later year: the same nondeductible contribution converted, last year's line 14 as line 2. Example client,
    2027: basis 7,500 + 6,360 = 13,860 over 42,000 + 7,500 -> 0.280; 2,100 nontaxable, 5,400 taxable, 11,760 carried."""
    v = {i.name: i.value for _, items in BACKDOOR.inputs for i in items if hasattr(i, "value")} | overrides
    values = evaluate(BACKDOOR, overrides)
    for key, yev in (("kept", v["in_yev"]), ("rolled", max(0, v["in_yev"] - v["in_roll_in"]))):
        year = form_8606(
            converted=v["in_converted"],
            year_end_value=yev,
            distributions=v["in_distributions"],
            nondeductible_contributions=v["in_nondeductible"],
            prior_basis=v["in_prior_basis"],
        )
        total = Decimal(0)
        for k in range(5):
            if k:
                year = form_8606(
                    converted=v["in_nondeductible"],
                    year_end_value=yev,
                    nondeductible_contributions=v["in_nondeductible"],
                    prior_basis=year.basis_remaining,
                )
            assert Decimal(str(values[f"out_{key}_taxable_{k}"])) == year.taxable_conversion, (key, k)
            assert Decimal(str(values[f"out_{key}_basis_{k}"])) == year.basis_remaining, (key, k)
            total += year.taxable_conversion
        assert Decimal(str(values[f"out_{key}_total"])) == total
    if not overrides:
        assert (values["out_kept_taxable_1"], values["out_kept_basis_1"]) == (5400.0, 11760.0)
        assert values["out_sum_years_saved"] == 23527.5
