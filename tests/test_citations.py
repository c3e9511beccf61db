"""What a client reads cites primary authority only (issue 11, "citations a compliance officer accepts").

Primary: the Code, Treasury regulations, IRS notices, revenue procedures, publications, forms and
their instructions. Secondary cross-checks (vendor, news and forum sites, other open-source tables,
IRS web pages) live only after ``x-check:`` in the data files' source cells, for maintainers. These
tests walk every explanation of every public function on representative cases, every limits-table
row, every §72(t) exception, the demo, the CLI's text and the templates' client text.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

import xl_rollover as xr
from xl_rollover.cli.main import main
from xl_rollover.core import demo, limits
from xl_rollover.core.rules.penalty_exceptions import EXCEPTIONS
from xl_rollover.excel import functions
from xl_rollover.templates.model import output_cells
from xl_rollover.templates.specs import TEMPLATES

#: Web domains are secondary unless they are the IRS, the Federal Register, eCFR, Congress or Cornell LII.
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|org|net|io|info|blog|biz|co|us|de|uk))\b", re.IGNORECASE)
_ALLOWED = ("irs.gov", "law.cornell.edu", "federalregister.gov", "ecfr.gov", "congress.gov")
_WORDS = re.compile(
    r"x-check|secondary|knowledge|\bFAQ\b|quoted by|restated by|policyengine|bherila|forum|mercer|ascensus"
    r"|retirement topics|exceptions table|early distributions' table|IRS web|irs\.gov snapshots"
    # secondary authors and sites named without a web address (the worked-example sources use them)
    r"|investopedia|choate|appleby|kitces|irahelp|ed slott|life and death planning|blogspot|benefitslink",
    re.IGNORECASE,
)


def secondary_markers(text: str) -> list[str]:
    """Every secondary marker in ``text`` (empty when it cites primary authority only)."""
    found = [m.group(0) for m in _WORDS.finditer(text)]
    found += [d for d in _DOMAIN.findall(text) if not d.lower().endswith(_ALLOWED)]
    return found


def test_the_check_catches_what_it_should():
    # the markers the old texts carried, so the sweep cannot pass vacuously
    for bad in (
        "IRS Notice 2024-80 (quoted by greenshades)",
        "x-check: PolicyEngine",
        "IRC §72(e)(8); IRS 'Rollovers of after-tax contributions' FAQ",
        "per milliman.com",
        "Form 5329 instructions, exception 14 (SECONDARY)",
        "IRS 'Exceptions to tax on early distributions' table",
        "IRC §72(e)(8); Choate, Life and Death Planning for Retirement Benefits, p.107",
        "Notice 2014-54; Investopedia (Denise Appleby)",
    ):
        assert secondary_markers(bad), bad
    for good in (
        "IRC §72(t)(2)(F), §72(t)(8); Instructions for Form 5329, line 2, exception 09",
        "Treas. Reg. §1.408A-6 A-5(c); Pub. 590-B; https://www.law.cornell.edu/uscode/text/26/72",
        "IRS Notice 2025-67 / IR-2025-111 (2026 COLAs)",
    ):
        assert not secondary_markers(good), good


def _texts(result: xr.Result) -> list[str]:
    return [f"{s.title} | {s.rule} | {s.citation}" for s in result.explain()] + [str(result)]


def _penalty_cases() -> list[xr.Result]:
    out = []
    for exc in EXCEPTIONS:
        account = next(a for a in ("IRA", "401K", "GOV_457B", "SIMPLE_IRA") if exc.applies_to(a))
        age = 60 if exc.needs_age_59_5 else 45
        amount = 20000 if exc.amount_role in ("expenses", "vested_balance") else None
        out.append(xr.early_penalty(15000, age, account, exc.key, amount, tax_year=2025))
    out.append(xr.early_penalty(15000, 62, "IRA"))
    out.append(xr.early_penalty(15000, 45, "GOV_457B"))
    out.append(xr.early_penalty(15000, 45, "SIMPLE_IRA", simple_first_two_years=True))
    return out


CASES = [
    lambda: [xr.roth_rollover_split(41850, 40000, 41850, age=45)],
    lambda: [
        xr.roth_rollover_split(
            150000, 50000, 150000, to_roth_ira=0, to_traditional=0, rolled_60day_traditional=100000, age=50
        )
    ],
    # every optional step of the split: basis above value, the $200 floor, an RMD, code 2, RMD stated 0,
    # basis carried to a traditional IRA, a whole-account in-plan Roth rollover
    lambda: [
        xr.roth_rollover_split(50000, 60000, 50000),
        xr.roth_rollover_split(20000, 60000, 50000, to_roth_ira=20000),
        xr.roth_rollover_split(150, 0, 150, 0, 0, age=45),
        xr.roth_rollover_split(50000, 20000, 100000, age=("1951-03-01", "2025-06-01"), rmd_amount=4000),
        xr.roth_rollover_split(10000, 0, 10000, 0, 0, age=56, separated_age_55=True),
        xr.roth_rollover_split(100000, 20000, 100000, age=75, rmd_amount=0),
        xr.roth_rollover_split(20500, 20000, 20500, to_roth_ira=10000, to_traditional=10500),
        xr.in_plan_roth_rollover(20500, 20000, 2026, account_balance=20500),
    ],
    lambda: [xr.prorata_taxable(30000, 20000, 40000), xr.prorata_taxable(30000, 20000, 40000, ratio_decimals=None)],
    lambda: [xr.form_8606(converted=7000, nondeductible_contributions=7000, prior_basis=100, distributions=500)],
    _penalty_cases,
    lambda: [
        xr.roth_ira_distribution(30000, 10000, [(2020, 5000, 0), (2024, 8000, 2000)], distribution_year=2026, age=45),
        xr.roth_ira_distribution(
            5000, 10000, [(2018, 5000, 0)], distribution_year=2026, age=45, qualifying_event="first_home"
        ),
        xr.roth_ira_distribution(
            30000, 1000, [(2020, 5000, 0)], distribution_year=2026, age=40, exception="first_home"
        ),
        xr.roth_ira_distribution(
            15000,
            3000,
            distribution_year=2026,
            age=40,
            first_roth_year=2018,
            qualifying_event="first_home",
            first_home_used=2500,
        ),
    ],
    lambda: [xr.roth_penalty_free(10000, [(2024, 8000, 2000)], distribution_year=2026, age=45)],
    lambda: [xr.mega_backdoor_room(2026, 24500, 10000, compensation=200000, age=61)],
    lambda: [
        xr.roth_ira_contribution_limit(2026, 160000, "SINGLE", 40),
        xr.roth_ira_contribution_limit(2025, 240000, "MFJ", 52, compensation=5000),
    ],
    lambda: [
        xr.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 40, True),
        xr.traditional_ira_deduction_limit(2025, 240000, "MFJ", 40, False, spouse_active_participant=True),
    ],
    lambda: [xr.in_plan_roth_rollover(10000, 2000, 2025)],
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_every_explanation_cites_primary_authority_only(case):
    for result in CASES[case]():
        for text in _texts(result):
            assert not secondary_markers(text), text


@pytest.mark.parametrize(
    "call",
    [
        lambda: xr.roth_rollover_split(100, 0, 100, annuity_payment=True),
        lambda: xr.roth_rollover_split(100, 0, 100, includes_designated_roth=True),
        lambda: xr.roth_rollover_split(100, 0, 100, pre_1987_basis=True),
        lambda: xr.roth_rollover_split(100, 0, 100, age=("1960-01-01", "2014-10-01")),
        lambda: xr.roth_rollover_split(100, 0, 100, age=("1951-03-01", "2025-06-01")),
        lambda: xr.roth_rollover_split(100, 0, 100, age=70),
        lambda: xr.in_plan_roth_rollover(10000, 20000, 2026, account_balance=20500),
    ],
)
def test_refusals_cite_primary_authority_only(call):
    # a refusal's reason reaches the client too (the CLI's message, #N/A in Excel)
    with pytest.raises(xr.UnsupportedCase) as refused:
        call()
    assert not secondary_markers(str(refused.value)), str(refused.value)


def test_every_limit_row_shows_only_its_primary_source():
    for row in limits._rows():
        status = {"single_or_hoh": "SINGLE", "mfj": "MFJ", "mfs": "MFS"}.get(row.filing_status)
        if row.year is None:
            shown = limits.lookup(row.parameter, None, status).source
        else:
            result = xr.irs_limit(row.parameter, row.year, status)
            shown = result.source
            assert not secondary_markers(result.explain()[0].citation)
            assert functions.IRS_LIMIT(row.parameter, row.year, status, "source") == shown
        assert shown, row.parameter
        assert not secondary_markers(shown), (row.parameter, row.year, shown)


def test_cross_checks_are_kept_for_maintainers():
    row = limits.lookup("elective_deferral_limit_402g", 2025)
    assert row.source == "IRS Notice 2024-80 / IR-2024-285 (2025 COLAs)"
    assert "PolicyEngine" in row.cross_check
    assert limits.split_source("IRC 72(t)(1); x-check: a.com; b") == ("IRC 72(t)(1)", "a.com; b")
    assert limits.split_source("IRC 72(t)(1)") == ("IRC 72(t)(1)", "")


def test_demo_and_cli_text_cite_primary_authority_only():
    d = demo.run()
    for text in (demo.render(d), demo.explain(d)):
        assert not secondary_markers(text)
    for argv in (
        ["demo", "--explain"],
        ["split", "41850", "40000", "41850", "--age", "45"],
        ["penalty", "15000", "45", "--account-type", "IRA", "--exception", "first_home"],
        ["limit", "catchup_age60_63_414v2Ei", "2025"],
        ["limit", "roth_ira_contribution_phaseout_start", "2026", "--filing-status", "MFJ"],
        ["roth-withdrawal", "5000", "--conversion", "2025:500:20000", "--distribution-year", "2027", "--age", "47"],
        ["room", "2026", "24500", "10000", "--age", "45"],
    ):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(argv) == 0
        assert not secondary_markers(out.getvalue()), argv


def test_template_text_cites_primary_authority_only():
    for t in TEMPLATES:
        texts = [t.title, t.purpose, *t.how, *t.not_covered]
        texts += [f"{a} {b}" for a, b in t.sources]
        texts += [f"{o.label} {o.why} {o.cite}" for o in output_cells(t)]
        for text in texts:
            assert not secondary_markers(text), (t.file, text)


def test_exception_16_is_named_for_what_it_is():
    # Instructions for Form 5329, line 2: 16 is distributions from annuity contracts to the extent
    # allocable to investment in the contract before August 14, 1982; disasters go on Form 8915-F.
    early = next(t for t in TEMPLATES if t.file == "early_withdrawal.xlsx")
    text = " ".join(early.not_covered)
    assert "16 (Form 8915-F" not in text
    assert "August 14, 1982" in text
