"""The limits table: every value has a source, years are data, a missing year is an error."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import xl_rollover as xr
from xl_rollover.core import limits

DATA = Path(xr.__file__).parent / "core" / "data"


def test_every_row_has_a_source_and_a_number():
    for table in DATA.glob("*.csv"):
        with open(table, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert row["source"].strip(), f"{table.name}: {row} has no source"
                # long tables have a value column; the joint life table is a matrix of figures
                for key, cell in row.items():
                    if key == "value" or (key.isdigit() and cell):
                        Decimal(cell)


@pytest.mark.parametrize(
    ("name", "year", "status", "value"),
    [
        # IRS Notice 2025-67 (2026 COLAs), as recorded with its source in the table
        ("annual_additions_limit_415c1A", 2026, None, "72000"),
        ("elective_deferral_limit_402g", 2026, None, "24500"),
        ("ira_contribution_limit_219b5A", 2026, None, "7500"),
        ("ira_catchup_age50_219b5B", 2026, None, "1100"),
        # IRS Notice 2024-80 (2025 COLAs); reference README: 126,000 is right, 126,600 a known misprint
        ("trad_ira_deduction_active_participant_phaseout_start", 2025, "MFJ", "126000"),
        ("roth_ira_contribution_phaseout_start", 2025, "SINGLE", "150000"),
        ("roth_ira_contribution_phaseout_start", 2025, "MFS_APART", "150000"),
        ("roth_ira_contribution_phaseout_end", 2025, "QSS", "246000"),
        ("roth_ira_contribution_phaseout_end", 2025, "MFS", "10000"),
        # IRS Notice 2017-64 (2018 COLAs)
        ("annual_additions_limit_415c1A", 2018, None, "55000"),
        # statutory constants (no year) answer for any year
        ("early_distribution_additional_tax_rate_72t1", 2019, None, "0.10"),
        ("first_home_lifetime_cap_72t8B", 2026, None, "10000"),
    ],
)
def test_irs_limit_values(name, year, status, value):
    result = xr.irs_limit(name, year, status)
    assert result.value == Decimal(value)
    assert result.source
    assert result.explain()[0].citation == result.source


def test_names_are_case_insensitive_and_years_may_be_floats():
    assert xr.irs_limit("ANNUAL_ADDITIONS_LIMIT_415C1A", 2025.0).value == Decimal(70000)


def test_known_2026_ira_error_in_other_sources_is_not_copied():
    # shared/reference/README.md: an IRS translated table shows 7,000 / 1,000 for 2026; the Notice says 7,500 / 1,100
    assert xr.irs_limit("ira_contribution_limit_219b5A", 2026).value != Decimal(7000)


def test_each_indexed_parameter_has_every_year_2018_to_2026():
    for name in ("annual_additions_limit_415c1A", "elective_deferral_limit_402g", "ira_contribution_limit_219b5A"):
        assert limits.years_for(name) == tuple(range(2018, 2027))


def test_no_year_is_defaulted():
    with pytest.raises(xr.UnknownYear, match="never defaulted"):
        xr.irs_limit("elective_deferral_limit_402g", 2017)
