"""Every dated figure of the limits tables, against an independent reading of the IRS COLA notices (audit, session 6).

Each row below was typed from the notice for its year (2018 Notice 2017-64, 2019 Notice 2018-83, 2020 Notice
2019-59, 2021 Notice 2020-79, 2022 Notice 2021-61, 2023 Notice 2022-55, 2024 Notice 2023-75, 2025 Notice 2024-80,
2026 Notice 2025-67) and the IRS news releases that restate them, not copied from the data file, and checked
against shared/reference/irs_limits.csv. The shipped table must hold exactly these figures for 2018-2026, and no
other dated rows for those years, so an edited or added row fails here until it is checked against its notice.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import xl_rollover as xr

DATA = Path(xr.__file__).parent / "core" / "data"
YEARS = tuple(range(2018, 2027))

#: parameter, filing status -> the figures for 2018 ... 2026 (None: no row for that year)
AUDITED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("elective_deferral_limit_402g", ""): (18500, 19000, 19500, 19500, 20500, 22500, 23000, 23500, 24500),
    ("catchup_age50_414v2Bi", ""): (6000, 6000, 6500, 6500, 6500, 7500, 7500, 7500, 8000),
    ("annual_additions_limit_415c1A", ""): (55000, 56000, 57000, 58000, 61000, 66000, 69000, 70000, 72000),
    ("compensation_limit_401a17", ""): (275000, 280000, 285000, 290000, 305000, 330000, 345000, 350000, 360000),
    ("hce_threshold_414q1B", ""): (120000, 125000, 130000, 130000, 135000, 150000, 155000, 160000, 160000),
    ("simple_deferral_limit_408p2E", ""): (12500, 13000, 13500, 13500, 14000, 15500, 16000, 16500, 17000),
    ("simple_catchup_age50_414v2Bii", ""): (3000, 3000, 3000, 3000, 3000, 3500, 3500, 3500, 4000),
    ("ira_contribution_limit_219b5A", ""): (5500, 6000, 6000, 6000, 6000, 6500, 7000, 7000, 7500),
    ("ira_catchup_age50_219b5B", ""): (1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1100),
    # SECURE 2.0 §109 (from 2025), §117 (110% SIMPLE amounts from 2024), §603 (Roth catch-up wage threshold)
    ("catchup_age60_63_414v2Ei", ""): (None,) * 7 + (11250, 11250),
    ("simple_catchup_age60_63_414v2Eii", ""): (None,) * 7 + (5250, 5250),
    ("simple_applicable_deferral_limit_110pct", ""): (None,) * 6 + (17600, 17600, 18100),
    ("simple_applicable_catchup_age50_110pct_414v2Biii", ""): (None,) * 6 + (3850, 3850, 3850),
    ("roth_catchup_prior_year_fica_wage_threshold_414v7A", ""): (None,) * 6 + (145000, 145000, 150000),
    # Roth IRA (IRC §408A(c)(3)) and traditional IRA deduction (IRC §219(g)) MAGI ranges
    ("roth_ira_contribution_phaseout_start", "single_or_hoh"): (
        120000,
        122000,
        124000,
        125000,
        129000,
        138000,
        146000,
        150000,
        153000,
    ),
    ("roth_ira_contribution_phaseout_end", "single_or_hoh"): (
        135000,
        137000,
        139000,
        140000,
        144000,
        153000,
        161000,
        165000,
        168000,
    ),
    ("roth_ira_contribution_phaseout_start", "mfj"): (
        189000,
        193000,
        196000,
        198000,
        204000,
        218000,
        230000,
        236000,
        242000,
    ),
    ("roth_ira_contribution_phaseout_end", "mfj"): (
        199000,
        203000,
        206000,
        208000,
        214000,
        228000,
        240000,
        246000,
        252000,
    ),
    ("roth_ira_contribution_phaseout_start", "mfs"): (0,) * 9,
    ("roth_ira_contribution_phaseout_end", "mfs"): (10000,) * 9,
    ("trad_ira_deduction_active_participant_phaseout_start", "single_or_hoh"): (
        63000,
        64000,
        65000,
        66000,
        68000,
        73000,
        77000,
        79000,
        81000,
    ),
    ("trad_ira_deduction_active_participant_phaseout_end", "single_or_hoh"): (
        73000,
        74000,
        75000,
        76000,
        78000,
        83000,
        87000,
        89000,
        91000,
    ),
    ("trad_ira_deduction_active_participant_phaseout_start", "mfj"): (
        101000,
        103000,
        104000,
        105000,
        109000,
        116000,
        123000,
        126000,
        129000,
    ),
    ("trad_ira_deduction_active_participant_phaseout_end", "mfj"): (
        121000,
        123000,
        124000,
        125000,
        129000,
        136000,
        143000,
        146000,
        149000,
    ),
    ("trad_ira_deduction_active_participant_phaseout_start", "mfs"): (0,) * 9,
    ("trad_ira_deduction_active_participant_phaseout_end", "mfs"): (10000,) * 9,
    ("trad_ira_deduction_spouse_covered_phaseout_start", "mfj"): (
        189000,
        193000,
        196000,
        198000,
        204000,
        218000,
        230000,
        236000,
        242000,
    ),
    ("trad_ira_deduction_spouse_covered_phaseout_end", "mfj"): (
        199000,
        203000,
        206000,
        208000,
        214000,
        228000,
        240000,
        246000,
        252000,
    ),
    # IRC §72(t)(2)(K): $10,000 for 2024, indexed (Notice 2024-80: 10,300; Notice 2025-67: 10,500)
    ("domestic_abuse_cap_72t2K", ""): (None,) * 6 + (10000, 10300, 10500),
}


def dated_rows() -> dict[tuple[str, str, int], Decimal]:
    rows: dict[tuple[str, str, int], Decimal] = {}
    for table in ("irs_limits.csv", "penalty_exception_limits.csv"):
        with open(DATA / table, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["year"].strip() and int(row["year"]) in YEARS:
                    key = (row["parameter"].strip(), row["filing_status"].strip(), int(row["year"]))
                    assert key not in rows, f"{key} appears twice"
                    rows[key] = Decimal(row["value"])
    return rows


def test_every_dated_figure_2018_2026_is_the_notices():
    want = {
        (name, status, year): Decimal(value)
        for (name, status), values in AUDITED.items()
        for year, value in zip(YEARS, values, strict=True)
        if value is not None
    }
    got = dated_rows()
    wrong = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
    assert not wrong, f"table vs notices (table, audited): {sorted(wrong.items())}"


def test_the_api_reads_the_audited_figures():
    # the lookups a client's figure goes through, by filing status as the API spells it
    assert xr.irs_limit("roth_ira_contribution_phaseout_end", 2026, "HOH").value == 168000
    assert xr.irs_limit("trad_ira_deduction_spouse_covered_phaseout_start", 2019, "MFJ").value == 193000
    assert xr.irs_limit("catchup_age60_63_414v2Ei", 2026).value == 11250
    assert xr.irs_limit("domestic_abuse_cap_72t2K", 2025).value == 10300
