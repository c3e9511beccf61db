"""The portable Roth IRA withdrawal template: the ordering and both five-year clocks in plain formulas equal the core.

The shipped file itself (recalculated by both engines, cell for cell against the add-in flavour) and its
sheets, names and built-in functions are checked with the others in tests/test_portable.py.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import xlsxwriter

from tests.portable_book import beyond_the_range_in_words, check_clients, clients_book
from tests.test_portable import CLIENTS, FORMULAS_CLIENTS, needs_libreoffice
from xl_rollover.engines import recalc
from xl_rollover.templates import evaluation
from xl_rollover.templates.excel_formulas import PORTABLE_MAX
from xl_rollover.templates.model import output_cells
from xl_rollover.templates.specs import TEMPLATES

FILE = "roth_ira_withdrawal.xlsx"
T = next(t for t in TEMPLATES if t.file == FILE)
BLANK = [None, None, None]


def _table(*rows: tuple[Any, Any, Any]) -> list[list[Any]]:
    """Six rows of (year, taxable part, nontaxable part), blank rows after the given ones."""
    out = [[None if v is None else float(v) for v in r] for r in rows]
    return out + [BLANK] * (6 - len(out))


EXAMPLE = _table((2024, 7500, 0), (2025, 1850, 40000), (2026, 0, 7500))


def clients() -> list[dict[str, Any]]:
    """The example, hand-picked edges and seeded random clients (>= 200). Branches hit:

    - the ordering: an amount inside regular contributions (line 23 is 0: line 24 refused, #VALUE!), into the
      first layer's taxable part, its nontaxable part, across layers, and into earnings (taxable);
    - all of a year's rows are one layer: the same year in two rows, apart and out of order, blank rows between;
    - the recapture period: layers inside it, outside it, and on its last year (the year + 4);
    - qualified (the clock met and 59½: nothing taxable, line 22 refused) or not (clock not met at 60, met at 45);
    - the clock from the first year given, or the earliest layer when blank; a first year after the first layer
      or after the withdrawal, a layer after the withdrawal, no clock at 59½ (all #VALUE!); none at 45 (blank);
    - the 10% tax with a tie (cents ending in 5), at 59½ (none); regular contributions blank or 0;
    - refused tables: a row partly blank, a year not whole or before 1900, a negative amount (#VALUE!);
    - the five-year plan: each year's free basis stopping at the first taxable layer inside its period, and no
      stop from 59½ (ages 55-64 across it).
    """
    rng = random.Random(408)
    out: list[dict[str, Any]] = [{}]
    for amount in (0.0, 5000.0, 14000.0, 14000.01, 21500.0, 23350.05, 60000.0, 70850.0, 99999.95):
        for year, age in ((2027.0, 46.0), (2029.0, 46.0), (2030.0, 59.0), (2030.0, 60.0), (2024.0, 60.0)):
            out.append({"in_amount": amount, "in_year": year, "in_age": age})
    merged = _table((2025, 1000, 2000), BLANK, (2021, 3000.55, 0), (2025, 500.15, 0), (2023, 0, 800))
    for amount in (100.0, 3500.0, 4500.55, 5000.0, 6700.7, 7300.7, 9000.0):
        for year, first in ((2025.0, None), (2026.0, 2019.0), (2028.0, None), (2030.0, 2021.0)):
            out.append(
                {
                    "in_amount": amount,
                    "in_regular": 0.0,
                    "tbl_conversions": merged,
                    "in_year": year,
                    "in_first_year": first,
                }
            )
    for first in (None, 2020.0, 2024.0, 2025.0, 2028.0):  # after the first layer (2024) or the withdrawal: refused
        for age in (45.0, 59.0, 60.0, 70.0):
            out.append({"in_first_year": first, "in_age": age, "in_year": 2027.0, "in_amount": 30000.0})
    nothing = _table()
    for age in (45.0, 60.0):
        out.append({"tbl_conversions": nothing, "in_first_year": None, "in_age": age, "in_amount": 20000.0})
        out.append({"tbl_conversions": nothing, "in_first_year": 2015.0, "in_age": age, "in_amount": 20000.0})
    out.append({"in_regular": None, "in_amount": 1000.05})
    out.append({"in_regular": 0.0, "in_amount": 7500.05})  # the 10% of 7,500.05 is a tie: 750.005 -> 750.01
    out.append({"tbl_conversions": _table((2024, 7500, None))})  # a row partly blank
    out.append({"tbl_conversions": _table((2024.5, 7500, 0))})  # a year not whole
    out.append({"tbl_conversions": _table((1899, 7500, 0))})
    out.append({"tbl_conversions": _table((2024, -1, 0))})
    out.append({"tbl_conversions": _table((2028, 100, 0)), "in_year": 2027.0})  # a layer after the withdrawal
    out.append({"in_amount": -5.0})
    out.append({"in_amount": None})
    while len(out) < CLIENTS + 120:
        year = rng.randint(2019, 2032)
        rows = []
        for _ in range(rng.randint(0, 6)):
            y = rng.randint(2012, year)
            rows.append(
                (
                    y,
                    rng.choice([0, rng.randint(1, 4_000_000) / 100, rng.randint(1, 40) * 500]),
                    rng.choice([0, 0, rng.randint(1, 6_000_000) / 100]),
                )
            )
        if rows and rng.random() < 0.3:
            rows.append((rng.choice(rows)[0], rng.randint(1, 200_000) / 100, 0))  # a second row of a year
        table = _table(*rows[:6])
        if rng.random() < 0.3:
            rng.shuffle(table)  # blank rows between
        years = [r[0] for r in rows[:6]]
        first = rng.choice([None, None, min(years) if years else None, (min(years) - 2) if years else 2010])
        out.append(
            {
                "in_amount": rng.choice([rng.randint(0, 20_000_000) / 100, rng.randint(0, 20_000) * 10 + 0.05]),
                "in_regular": rng.choice([0.0, rng.randint(0, 10_000_000) / 100]),
                "tbl_conversions": table,
                "in_year": float(year),
                "in_age": float(rng.choice([30, 45, 55, 58, 59, 60, 61, 63, 70])),
                "in_first_year": None if first is None else float(first),
            }
        )
    return out


def test_clients_hit_every_branch():
    """The generator reaches each branch (checked on the core's own answers)."""
    values = [evaluation.evaluate(T, c) for c in clients()]
    assert len(values) >= CLIENTS
    figures = [v for v in values if isinstance(v["out_penalty"], float)]
    assert any(v["out_taxable"] > 0 for v in figures)  # earnings reached
    assert any(v["out_taxable"] == 0 and v["out_penalty"] > 0 for v in figures)  # recapture only
    assert any(
        v["out_penalty"] == 0 and v["out_penalty_base"] == 0 and v["in_amount"] > v["in_regular"] for v in figures
    )
    assert any(isinstance(v["out_l22"], str) for v in figures)  # qualified: no line 22
    assert any(isinstance(v["out_l24"], str) for v in figures)  # line 23 is 0: no line 24
    assert any(v["out_qualified_from"] is None for v in figures)
    assert sum(isinstance(v["out_penalty"], str) for v in values) >= 10  # refusals
    frees = {v["out_free_0"] == v["out_free_4"] for v in values if isinstance(v["out_free_0"], float)}
    assert frees == {True, False}  # the plan grows as periods end, or not


@pytest.mark.parametrize("engine", ["formulas", pytest.param("libreoffice", marks=needs_libreoffice)])
def test_generated_clients_equal_the_core(engine, tmp_path):
    every = clients()
    if engine == "formulas":
        every = every[:: len(every) // FORMULAS_CLIENTS][:FORMULAS_CLIENTS]
    checked = check_clients(T, every, tmp_path, engine)
    assert checked == len(every) * len(output_cells(T))


def test_worked_client_to_the_cent(tmp_path):
    """By hand (Reg. §1.408A-6 A-5(c), A-8, A-9; Form 8606 lines 22-25a; IRC §72(t)(1)): regular 0; layers 2021
    (3,000.55 taxable), 2023 (800.00 nontaxable), 2025 in two rows (1,000.00 + 500.15 taxable, 2,000.00
    nontaxable): one 2025 layer of 1,500.15 taxable. 6,700.70 taken in 2025: 3,000.55 (2021) + 800.00 (2023) +
    1,500.15 (2025 taxable) + 1,400.00 of 2025's nontaxable; nothing taxable (line 23 6,700.70 <= line 24
    7,300.70); under §72(t): the 2021 and 2025 taxable parts, both inside their five years, 4,500.70; 10% = 450.07.
    """
    merged = _table((2025, 1000, 2000), BLANK, (2021, 3000.55, 0), (2025, 500.15, 0), (2023, 0, 800))
    client = {"in_amount": 6700.7, "in_regular": 0.0, "tbl_conversions": merged, "in_year": 2025.0}
    path = tmp_path / "one.xlsx"
    columns = clients_book(T, [client], path)
    got = recalc.calculate(path, engine="formulas")
    value = {
        n: got.values[f"Clients!{xlsxwriter.utility.xl_rowcol_to_cell(1, columns[n])}"]
        for n in ("out_taxable", "out_penalty_base", "out_penalty", "out_l24")
    }
    assert value == {"out_taxable": 0, "out_penalty_base": 4500.7, "out_penalty": 450.07, "out_l24": 7300.7}


def test_beyond_the_portable_range_is_said_in_words(tmp_path):
    names = ("out_taxable", "out_penalty", "out_l22", "out_free_0", "out_free_4")
    beyond_the_range_in_words(T, {"in_amount": 1000.0, "in_regular": PORTABLE_MAX + 0.01}, names, tmp_path)
