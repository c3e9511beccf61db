"""The IRA limits (IRC §408A(c), §219(b), (c), (g); Pub. 590-A Worksheets 1-2 and 2-2): refusals and invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import xl_rollover as xr
from xl_rollover.core import limits
from xl_rollover.core.errors import InputError, UnsupportedCase

cents = st.integers(min_value=0, max_value=30_000_000).map(lambda c: Decimal(c).scaleb(-2))
small = st.integers(min_value=0, max_value=1_500_000).map(lambda c: Decimal(c).scaleb(-2))
statuses = st.sampled_from(["SINGLE", "HOH", "MFJ", "MFS", "MFS_APART", "QSS"])
years = st.sampled_from([2018, 2021, 2024, 2025, 2026])
ages = st.decimals(min_value=18, max_value=90, places=1)


def _dollar_limit(year: int, age: Decimal) -> Decimal:
    base = limits.value("ira_contribution_limit_219b5A", year)[0]
    return base + (limits.value("ira_catchup_age50_219b5B", year)[0] if age >= 50 else 0)


@settings(max_examples=300, deadline=None)
@given(years, cents, statuses, ages, st.one_of(st.none(), small), small, small, small)
def test_roth_limit_invariants(year, magi, status, age, own, traditional, spouse, spouse_paid):
    spousal = status == "MFJ" and own is not None
    spouse_comp = spouse + spouse_paid if spousal else None
    r = xr.roth_ira_contribution_limit(
        year, magi, status, age, own, traditional, spouse_comp, spouse_paid if spousal else 0
    )
    full = _dollar_limit(year, age)
    counted = None if own is None else own + (spouse if spousal and own < spouse_comp else 0)
    lesser = full if counted is None else min(full, counted)
    assert r.limit >= 0
    assert r.limit <= lesser, "never above the lesser of the dollar limit and compensation (own + spousal as allowed)"
    assert r.limit <= max(lesser - traditional, Decimal(0)), "other IRA contributions come off first (§408A(c)(2)(B))"
    start, end = r.phaseout_start, r.phaseout_end
    if magi >= end:
        assert r.limit == 0
    elif magi > start:
        phased = lesser * (end - magi) / (end - start)
        # never above the phased-out lesser amount, except the round-up to $10 and the $200 floor
        assert r.limit <= max(phased + 10, Decimal(200))
    # more income or more traditional contributions never raise the limit
    assert xr.roth_ira_contribution_limit(year, magi + 1000, status, age, own, traditional).limit <= (
        xr.roth_ira_contribution_limit(year, magi, status, age, own, traditional).limit
    )
    assert xr.roth_ira_contribution_limit(year, magi, status, age, own, traditional + 100).limit <= (
        xr.roth_ira_contribution_limit(year, magi, status, age, own, traditional).limit
    )


@settings(max_examples=300, deadline=None)
@given(years, cents, statuses, ages, st.one_of(st.none(), small), st.booleans(), st.booleans(), small, small)
@example(2018, Decimal("0.00"), "SINGLE", Decimal("70.0"), None, False, False, Decimal(0), Decimal(0))
def test_deduction_limit_invariants(year, magi, status, age, own, covered, spouse_covered, spouse, spouse_paid):
    assume(not (spouse_covered and status in ("SINGLE", "HOH", "QSS")))
    spousal = status == "MFJ" and own is not None
    spouse_comp = spouse + spouse_paid if spousal else None
    args = (year, magi, status, age, covered, spouse_covered, own, spouse_comp, spouse_paid if spousal else 0)
    if year <= 2019 and age == 70:  # 70½ by December 31 or not: the birth date decides (IRC §219(d)(1))
        with pytest.raises(InputError, match="depends on the birth date"):
            xr.traditional_ira_deduction_limit(*args)
        return
    r = xr.traditional_ira_deduction_limit(*args)
    full = _dollar_limit(year, age)
    counted = None if own is None else own + (spouse if spousal and own < spouse_comp else 0)
    assert 0 <= r.limit <= full
    if counted is not None:
        assert r.limit <= counted, "never above compensation (own + spousal as allowed)"
    if r.phaseout_end is not None and magi >= r.phaseout_end:
        assert r.limit == 0
    if r.phaseout_start is not None and r.phaseout_start < magi < r.phaseout_end:
        phased = full * (r.phaseout_end - magi) / (r.phaseout_end - r.phaseout_start)
        assert r.limit <= max(phased + 10, Decimal(200))
    if year <= 2019 and age >= Decimal("70.5"):
        assert r.limit == 0  # IRC §219(d)(1) before its repeal by the SECURE Act sec.107
    elif not covered and not spouse_covered:
        assert r.limit == (full if counted is None else min(full, counted))
    more = xr.traditional_ira_deduction_limit(year, magi + 1000, status, age, covered, spouse_covered, own)
    assert more.limit <= xr.traditional_ira_deduction_limit(year, magi, status, age, covered, spouse_covered, own).limit


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: xr.roth_ira_contribution_limit(2026, 1000, "SINGLE", 40, 1000, spouse_compensation=5000),
            InputError,
            "spouse_compensation counts only on a joint return (MFJ), not SINGLE",
        ),
        (
            lambda: xr.traditional_ira_deduction_limit(2026, 1000, "MFS", 40, False, spouse_compensation=5000),
            InputError,
            "spouse_compensation counts only on a joint return (MFJ), not MFS",
        ),
        (
            lambda: xr.roth_ira_contribution_limit(2026, 1000, "MFJ", 40, 0, spouse_ira_contributions=100),
            InputError,
            "spouse_ira_contributions 100.00 count only with spouse_compensation",
        ),
        (
            lambda: xr.roth_ira_contribution_limit(2026, 1000, "MFJ", 40, spouse_compensation=5000),
            InputError,
            "spouse_compensation needs compensation too",
        ),
        (
            lambda: xr.traditional_ira_deduction_limit(
                2026, 1000, "MFJ", 40, False, compensation=0, spouse_compensation=5000, spouse_ira_contributions=6000
            ),
            UnsupportedCase,
            "spouse_ira_contributions 6,000.00 exceed spouse_compensation 5,000.00",
        ),
        (
            lambda: xr.traditional_ira_deduction_limit(2026, 1000, "SINGLE", 40, False, True),
            InputError,
            "spouse_active_participant is for married filers (MFJ, MFS, MFS_APART), not SINGLE",
        ),
        (
            lambda: xr.roth_ira_contribution_limit(2026, 1000, "SINGLE", 40, traditional_contributions="abc"),
            InputError,
            "traditional_contributions",
        ),
        (
            lambda: xr.roth_ira_contribution_limit(2026, 1000, "SINGLE", 40, traditional_contributions=-5),
            InputError,
            "traditional_contributions",
        ),
    ],
)
def test_refusals(call, error, message):
    with pytest.raises(error, match=None) as caught:
        call()
    assert message in str(caught.value)


def test_statutory_constants_are_data():
    # IRC §219(g)(2)(B)-(C), §219(b)(5)(B), §414(v)(5)(A), §414(v)(2)(E)(i): rows with no year, each with its source
    for name, value in [
        ("ira_phaseout_rounding_multiple_219g2C", "10"),
        ("ira_phaseout_minimum_219g2B", "200"),
        ("ira_catchup_age_219b5B", "50"),
        ("catchup_age_414v5A", "50"),
        ("catchup_age60_63_first_age_414v2Ei", "60"),
        ("catchup_age60_63_end_age_414v2Ei", "64"),
        ("catchup_age60_63_first_year_414v2Ei", "2025"),
    ]:
        row = limits.lookup(name, None)
        assert row.year is None and row.value == Decimal(value) and row.source.startswith(("IRC", "SECURE"))


def test_age_63_and_a_half_still_gets_the_60_63_catch_up():
    # IRC §414(v)(2)(E)(i): "attained age 60 but not age 64": 63.5 at year end qualifies (11,250 in 2026, Notice
    # 2025-67): 24,500 + 11,250 = 35,750 deferred counts as 24,500; 72,000 - 24,500 - 10,000 = 37,500
    r = xr.mega_backdoor_room(2026, 35750, 10000, age="63.5")
    assert r.catch_up == Decimal("11250.00") and r.room == Decimal("37500.00")
    # 64 does not: the age-50 catch-up, 8,000
    assert xr.mega_backdoor_room(2026, 32500, 10000, age=64).catch_up == Decimal("8000.00")


def test_steps_cite_the_worksheet_lines_and_only_primary_authority():
    r = xr.roth_ira_contribution_limit(2025, 157500, "SINGLE", 40, 3000, 0)
    lines = [s.form_line for s in r.explain()]
    assert lines == [
        "Pub. 590-A Worksheet 2-2, line 6",
        "Pub. 590-A Worksheet 2-2, lines 1-8",
        "Pub. 590-A Worksheet 2-2, lines 9-11",
    ]
    d = xr.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 40, True, compensation=3000)
    assert [s.form_line for s in d.explain()] == [
        "Pub. 590-A Worksheet 1-2, lines 1-4",
        "Pub. 590-A Worksheet 1-2, lines 5 and 7",
    ]
    for step in (*r.explain(), *d.explain()):
        assert "x-check" not in step.citation and ".com" not in step.citation


def test_no_compensation_is_an_assumption_in_words():
    r = xr.roth_ira_contribution_limit(2026, 100000, "SINGLE", 40)
    assert "compensation not given: assumed to be at least the dollar limit" in r.explain()[0].rule


# --- every face takes the new inputs -------------------------------------------------------


def test_worksheet_functions_take_the_new_inputs():
    from xl_rollover.excel import functions as F

    # Worksheet 2-2, 2025 single, MAGI 157,500, compensation 3,000: line 8 = 1,500; 2,000 traditional: line 10 = 1,000
    assert F.ROTH_IRA_LIMIT(2025.0, 157500.0, "SINGLE", 40.0, 3000.0, None, 2000.0) == 1000.0
    # spousal (IRC §219(c)): 2026 MFJ, own 0, spouse 12,000 less 7,500 = 4,500
    assert F.ROTH_IRA_LIMIT(2026.0, 12000.0, "MFJ", 40.0, 0.0, None, None, 12000.0, 7500.0) == 4500.0
    # Pub. 590-A (2021) Kristin and Carl: 6,000
    assert F.IRA_DEDUCTION_LIMIT(2021.0, 30000.0, "MFJ", 30.0, False, None, 0.0, None, 30000.0, 6000.0) == 6000.0
    refused = F.ROTH_IRA_LIMIT(2026.0, 1000.0, "SINGLE", 40.0, 1000.0, None, None, 5000.0)
    assert isinstance(refused, str) and refused.startswith("#VALUE! spouse_compensation counts only on a joint return")
    assert F.ROTH_IRA_LIMIT(2025.0, 157500.0, "SINGLE", 40.0, 3000.0, "reduced") is True


def test_cli_takes_the_new_inputs(capsys):
    import json

    from xl_rollover.cli.main import main

    roth = "roth-limit 2025 157500 SINGLE 40 --compensation 3000 --traditional-contributions 2000 --json"
    code = main(roth.split())
    assert code == 0 and json.loads(capsys.readouterr().out)["limit"] == "1000.00"
    spousal = "ira-deduction 2021 30000 MFJ 30 --compensation 0 --spouse-compensation 30000"
    code = main([*spousal.split(), "--spouse-ira-contributions", "6000", "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["limit"] == "6000.00"
    assert main(["roth-limit", "2026", "1000", "SINGLE", "40", "--spouse-compensation", "5000"]) == 2
    assert "counts only on a joint return" in capsys.readouterr().err


def test_batch_maps_the_new_columns(tmp_path, capsys):
    import pandas as pd

    from xl_rollover.cli.main import main

    src = tmp_path / "in.csv"
    src.write_text(
        "function,year,magi,filing_status,age,compensation,traditional_contributions,spouse_compensation,"
        "spouse_ira_contributions,active_participant,spouse_active_participant\n"
        "roth_ira_contribution_limit,2025,157500,SINGLE,40,3000,2000,,,,\n"
        "roth_ira_contribution_limit,2026,247000,MFJ,40,2000,,200000,7500,,\n"
        "traditional_ira_deduction_limit,2021,30000,MFJ,30,0,,30000,6000,FALSE,\n"
        "traditional_ira_deduction_limit,2026,85000,SINGLE,40,3000,,,,TRUE,FALSE\n"
    )
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out)]) == 0, capsys.readouterr().err
    frame = pd.read_csv(out, dtype=str)
    # 1,000 (Worksheet 2-2 lines 8-11), 3,750 (spousal, in range), 6,000 (Kristin), 3,000 (Worksheet 1-2 line 7)
    assert list(frame["limit"]) == ["1000.00", "3750.00", "6000.00", "3000.00"]


def test_flags_accept_true_false_text():
    # a batch CSV gives TRUE/FALSE (or YES/NO, as a batch column reads them) as text; anything else is refused
    assert xr.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 40, "true").limit == Decimal("4500.00")
    assert xr.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 40, " FALSE ").limit == Decimal("7500.00")
    assert xr.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 40, "yes").limit == Decimal("4500.00")
    with pytest.raises(InputError, match="active_participant 'maybe' must be TRUE or FALSE"):
        xr.traditional_ira_deduction_limit(2026, 85000, "SINGLE", 40, "maybe")
