"""The portable mega backdoor room template: plain formulas over its Limits sheet equal the core to the cent.

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
from xl_rollover.core import limits
from xl_rollover.engines import recalc
from xl_rollover.templates import evaluation
from xl_rollover.templates.excel_formulas import NO_YEAR, PORTABLE_MAX, ROOM_LIMITS
from xl_rollover.templates.model import output_cells
from xl_rollover.templates.specs import TEMPLATES

FILE = "mega_backdoor_room.xlsx"
T = next(t for t in TEMPLATES if t.file == FILE)


def _limit(name: str, year: int) -> int:
    """A limit of the core's table in whole dollars."""
    return int(limits.lookup(name, year).value)


def clients() -> list[dict[str, Any]]:
    """The example, hand-picked edges and seeded random clients (>= 200). Branches hit:

    - every year of the Limits sheet (2018-2026) and years it lacks (1990, 2017, 2027, 2030: words);
    - ages under 50 (no catch-up), exactly 50, 59, 60-63 (the larger catch-up from 2025, the age-50 one before),
      exactly 64 (back to the age-50 catch-up), 70, a fractional 63.5, and a blank age (no catch-up);
    - deferrals below the §402(g) limit, at it, inside the catch-up, at the §402(g) limit plus the catch-up, and
      above it (excess deferrals: #VALUE!), also above §402(g) with no catch-up (under 50 or blank age);
    - compensation blank (no cap), below the §415(c) limit (the cap binds), 0, and above the limit;
    - room clamped at 0 (employer and after-tax money above the cap), exactly 0, and with cents;
    - paychecks 0, 1, 3, 7, 14, 26 (cents rounded down); a negative amount (#VALUE!); the portable range's edge;
    - a refused room (an error value or words) with 0 paychecks: the per-paycheck IF does not read the room, 0.00.
    """
    rng = random.Random(415)
    years = ROOM_LIMITS.years()
    out: list[dict[str, Any]] = [{}]
    for year in years:
        g = _limit("elective_deferral_limit_402g", year)
        c50 = _limit("catchup_age50_414v2Bi", year)
        c60 = _limit("catchup_age60_63_414v2Ei", year) if year >= 2025 else c50
        for age, catch in ((45, 0), (50, c50), (59, c50), (60, c60), (63, c60), (64, c50), (70, c50), (63.5, c60)):
            for deferrals in (g - 1000.01, g, g + catch / 2 + 0.37, g + catch, g + catch + 0.01):
                out.append(
                    {
                        "in_year": float(year),
                        "in_age": float(age),
                        "in_deferrals": float(deferrals),
                        "in_employer": rng.choice([0.0, 9250.0, 12345.67]),
                        "in_after_tax": rng.choice([0.0, 6000.0, 100.01]),
                        "in_comp": rng.choice([None, 185000.0, 40000.0, 60000.55]),
                        "in_paychecks": float(rng.choice([0, 1, 3, 7, 14, 26])),
                    }
                )
        out.append({"in_year": float(year), "in_age": None, "in_deferrals": float(g + 1)})  # no catch-up: excess
        out.append({"in_year": float(year), "in_comp": 0.0})  # a cap of 0: no room
        out.append({"in_year": float(year), "in_employer": 80000.0})  # clamped at 0
    for year in (1990, 2017, 2027, 2030):
        out.append({"in_year": float(year)})
        out.append({"in_year": float(year), "in_age": 61.0, "in_deferrals": 40000.0, "in_paychecks": 3.0})
    out.append({"in_deferrals": -1.0})  # a negative amount: the core refuses it
    out.append({"in_deferrals": -1.0, "in_paychecks": 0.0})  # refused, and no paychecks left: 0.00 a paycheck
    out.append({"in_year": 1990.0, "in_paychecks": 0.0})  # a year the sheet lacks (words), no paychecks: 0.00
    out.append({"in_employer": -0.01, "in_year": 2027.0})  # refused before the year is looked up
    out.append({"in_comp": float(PORTABLE_MAX), "in_employer": 100.0})  # the portable range's edge
    out.append({"in_deferrals": 24500.0, "in_employer": 47500.0, "in_after_tax": 0.0})  # room exactly 0
    while len(out) < CLIENTS + 20:
        year = rng.choice(years)
        g = _limit("elective_deferral_limit_402g", year)
        out.append(
            {
                "in_year": float(year),
                "in_age": float(rng.randint(20, 75)),
                "in_deferrals": rng.randint(0, (g + 5000) * 100) / 100,
                "in_employer": rng.randint(0, 3_000_000) / 100,
                "in_after_tax": rng.choice([0.0, rng.randint(0, 3_000_000) / 100]),
                "in_comp": rng.choice([None, rng.randint(0, 40_000_000) / 100]),
                "in_paychecks": float(rng.randint(0, 26)),
            }
        )
    return out


def test_clients_hit_every_branch():
    """The generator reaches each branch of the rule (checked on the core's own answers)."""
    values = [evaluation.evaluate(T, c) for c in clients()]
    assert len(values) >= CLIENTS
    catch = {v["out_catch_up"] for v in values if isinstance(v["out_catch_up"], float)}
    assert {0.0, 11250.0, 7500.0, 8000.0, 6000.0, 6500.0} <= catch
    assert any(isinstance(v["out_room"], str) and "§402(g)" in v["out_room"] for v in values)  # excess deferrals
    assert any(isinstance(v["out_room"], str) and "not in the limits table" in v["out_room"] for v in values)
    assert any(isinstance(v["out_room"], str) and v["out_per_paycheck"] == 0.0 for v in values)  # IF not taken
    rooms = [v["out_room"] for v in values if isinstance(v["out_room"], float)]
    assert 0.0 in rooms and any(r % 1 for r in rooms)
    # the compensation cap binds with room left, and the limit binds with compensation given
    figures = [v for v in values if isinstance(v["out_room"], float) and v["out_room"] > 0 and v["in_comp"] is not None]
    assert any(v["in_comp"] < v["out_limit"] for v in figures) and any(v["in_comp"] > v["out_limit"] for v in figures)
    assert any(v["in_comp"] is None for v in values if isinstance(v["out_room"], float))


@pytest.mark.parametrize("engine", ["formulas", pytest.param("libreoffice", marks=needs_libreoffice)])
def test_generated_clients_equal_the_core(engine, tmp_path):
    every = clients()
    if engine == "formulas":
        every = every[:: len(every) // FORMULAS_CLIENTS][:FORMULAS_CLIENTS]
    checked = check_clients(T, every, tmp_path, engine)
    assert checked == len(every) * len(output_cells(T))


def test_worked_client_to_the_cent(tmp_path):
    """2026, age 61 (the larger catch-up, IRC §414(v)(2)(E)(i)), deferrals 35,750.00, employer 9,250.00,
    after-tax 6,000.00, compensation 185,000.00, 14 paychecks. By hand: §402(g) 24,500; catch-up
    min(35,750 - 24,500, 11,250) = 11,250; counted 24,500; room = 72,000 - 24,500 - 9,250 - 6,000 = 32,250.00;
    per paycheck 32,250 / 14 = 2,303.571... -> 2,303.57 (rounded down)."""
    client = {"in_age": 61.0, "in_deferrals": 35750.0}
    path = tmp_path / "one.xlsx"
    columns = clients_book(T, [client], path)
    got = recalc.calculate(path, engine="formulas")
    value = {
        n: got.values[f"Clients!{xlsxwriter.utility.xl_rowcol_to_cell(1, columns[n])}"]
        for n in ("out_catch_up", "out_room", "out_per_paycheck")
    }
    assert value["out_catch_up"] == 11250
    assert value["out_room"] == 32250
    assert value["out_per_paycheck"] == pytest.approx(2303.57, abs=1e-9)


def test_a_year_the_sheet_lacks_is_said_in_words(tmp_path):
    client = {"in_year": 2027.0}
    core = evaluation.evaluate(T, client)
    assert core["out_room"].startswith("#VALUE! year 2027 is not in the limits table")
    path = tmp_path / "year.xlsx"
    columns = clients_book(T, [client], path)
    got = recalc.calculate(path, engine="formulas")
    for name in ("out_limit", "out_catch_up", "out_room", "out_402g", "out_sum_room"):
        assert got.values[f"Clients!{xlsxwriter.utility.xl_rowcol_to_cell(1, columns[name])}"] == NO_YEAR, name


def test_beyond_the_portable_range_is_said_in_words(tmp_path):
    beyond_the_range_in_words(T, {"in_comp": PORTABLE_MAX + 0.01}, ("out_limit", "out_catch_up", "out_room"), tmp_path)
