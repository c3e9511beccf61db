"""The portable early withdrawal template: Form 5329 Part I over its Exceptions sheet equals the core to the cent.

The shipped file itself (recalculated by both engines, cell for cell against the add-in flavour) and its
sheets, names and built-in functions are checked with the others in tests/test_portable.py.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
import xlsxwriter

from tests.portable_book import beyond_the_range_in_words, check_clients, clients_book
from tests.test_portable import CLIENTS, FORMULAS_CLIENTS, needs_libreoffice
from xl_rollover.core.rules.penalty_exceptions import ACCOUNT_TYPES, EXCEPTIONS
from xl_rollover.core.serial_dates import serial
from xl_rollover.engines import recalc
from xl_rollover.templates import evaluation
from xl_rollover.templates.excel_formulas import NO_YEAR, PORTABLE_MAX
from xl_rollover.templates.model import output_cells
from xl_rollover.templates.specs import ACCOUNT_WORDS, NO_EXCEPTION, TEMPLATES
from xl_rollover.templates.specs.common import _exception_words

FILE = "early_withdrawal.xlsx"
T = next(t for t in TEMPLATES if t.file == FILE)
NUMBERED = [e for e in EXCEPTIONS if e.number]
WORDS = {e.number: _exception_words(e) for e in NUMBERED}


def _serial(day: dt.date) -> float:
    return float(serial(day))


def _age(birth: dt.date, on: dt.date) -> list[list[float]]:
    return [[_serial(birth), _serial(on)]]


YOUNG = _age(dt.date(1978, 3, 14), dt.date(2026, 5, 1))
OLD = _age(dt.date(1960, 1, 10), dt.date(2026, 5, 1))


def _amount(rng: random.Random) -> float | None:
    return rng.choice([None, 0.0, rng.randint(1, 3_000_000) / 100, rng.randint(1, 30_000) * 1.0])


def clients() -> list[dict[str, Any]]:
    """The example, hand-picked edges and seeded random clients (>= 200). Branches hit:

    - every account type with no exception (10%; 59½ off the form; a governmental 457(b) excepted as 13), and
      every numbered exception with every account type, applicable (its cap or amount rule) or not (#VALUE!);
    - amount rules: part (blank = all, less or more than the amount), expenses (blank: #VALUE!), capped (first
      home 10,000 and birth or adoption 5,000: blank = the cap, below, above), balance (domestic abuse: the
      year's cap or a 0.5 share of the vested balance, odd cents rounding half-up; 2024-2026, 2023 refused, 2027
      said in words; emergency: the cap or the balance over a 1,000 floor: below 1,000, between, above 2,000);
    - age 59½ to the day: the day before, the day itself, a 31st birthday (the month's last day), 29 February;
      exception 12 at 59½ (lines 1 and 2) and before it (#VALUE!); other exceptions at 59½ (off the form);
    - SIMPLE IRA in its first two years (25%, ties at cents = 2 mod 4) and the flag on another account
      (#VALUE!); 10% ties (cents ending in 5); a zero amount; years before an exception's first year (19, 20, 21,
      22, 23) and a blank year where one is needed (#VALUE!); a negative amount (#VALUE!); bad age dates.
    """
    rng = random.Random(5329)
    out: list[dict[str, Any]] = [{}]
    for words in ACCOUNT_WORDS.values():
        for age in (YOUNG, OLD):
            out.append({"in_account": words, "in_exception": NO_EXCEPTION, "tbl_age": age, "in_taxable": 12345.65})
    for e in NUMBERED:
        for account in ACCOUNT_TYPES:
            amount = None if e.amount_role == "part" else 3000.01
            out.append(
                {
                    "in_account": ACCOUNT_WORDS[account],
                    "in_exception": WORDS[e.number],
                    "in_exception_amount": amount,
                    "tbl_age": OLD if e.needs_age_59_5 else YOUNG,
                    "in_taxable": 20000.05,
                }
            )
    ira = ACCOUNT_WORDS["IRA"]
    plan = ACCOUNT_WORDS["401K"]
    for taxable in (0.0, 999.95, 8000.0, 25000.35):
        for amount in (None, 0.0, 4000.0, 12000.0, 30000.0):
            out.append({"in_exception": WORDS["09"], "in_exception_amount": amount, "in_taxable": taxable})
            out.append({"in_exception": WORDS["19"], "in_exception_amount": amount, "in_taxable": taxable})
            out.append({"in_exception": WORDS["02"], "in_exception_amount": amount, "in_taxable": taxable})
            out.append({"in_exception": WORDS["05"], "in_exception_amount": amount, "in_taxable": taxable})
    for year in (2023.0, 2024.0, 2025.0, 2026.0, 2027.0, None):
        for balance in (None, 0.01, 999.99, 1500.55, 2000.0, 20000.03, 20999.99, 100000.0):
            for number in ("22", "23"):
                out.append(
                    {
                        "in_account": rng.choice([ira, plan]),
                        "in_exception": WORDS[number],
                        "in_exception_amount": balance,
                        "in_taxable": rng.choice([500.0, 7777.77, 15000.05]),
                        "in_year": year,
                    }
                )
    for number, years in (("19", (2019.0, 2020.0)), ("20", (2021.0, 2022.0)), ("21", (2021.0, 2022.0))):
        for year in years:
            out.append({"in_exception": WORDS[number], "in_exception_amount": None, "in_year": year})
    # 59½ to the day: born 1966-08-31 reaches it on 2026-02-28 (no 31 February)
    for birth, days in ((dt.date(1966, 8, 31), dt.date(2026, 2, 28)), (dt.date(1964, 2, 29), dt.date(2023, 8, 29))):
        for on in (days - dt.timedelta(days=1), days, days + dt.timedelta(days=1)):
            for exc in (NO_EXCEPTION, WORDS["12"], WORDS["08"]):
                out.append({"tbl_age": _age(birth, on), "in_exception": exc, "in_exception_amount": 100.0})
    simple = ACCOUNT_WORDS["SIMPLE_IRA"]
    for taxable in (100.02, 100.06, 33333.33, 0.02, 10.0):
        out.append({"in_account": simple, "in_simple_2yr": "Yes", "in_exception": NO_EXCEPTION, "in_taxable": taxable})
        out.append({"in_account": simple, "in_simple_2yr": "Yes", "in_exception": WORDS["03"], "in_taxable": taxable})
    out.append({"in_account": ira, "in_simple_2yr": "Yes", "in_exception": NO_EXCEPTION})  # not a SIMPLE IRA
    out.append({"in_account": simple, "in_simple_2yr": "Yes", "tbl_age": OLD, "in_exception": NO_EXCEPTION})
    out.append({"in_taxable": -1.0})
    out.append({"in_exception_amount": -5.0})
    out.append({"tbl_age": [[_serial(dt.date(2030, 1, 1)), _serial(dt.date(2026, 1, 1))]]})  # born after it
    out.append({"tbl_age": [[None, None]]})
    out.append({"tbl_age": [[_serial(dt.date(1890, 1, 1)), _serial(dt.date(2026, 1, 1))]]})  # 136 years old
    numbers = [e.number for e in NUMBERED]
    while len(out) < CLIENTS + 150:
        number = rng.choice([None, *numbers])
        birth = dt.date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28))
        on = dt.date(rng.randint(2020, 2026), rng.randint(1, 12), rng.randint(1, 28))
        out.append(
            {
                "in_account": ACCOUNT_WORDS[rng.choice(list(ACCOUNT_TYPES))],
                "in_exception": NO_EXCEPTION if number is None else WORDS[number],
                "in_exception_amount": _amount(rng),
                "in_taxable": rng.choice([rng.randint(0, 10_000_000) / 100, rng.randint(0, 10_000) * 10 + 0.05]),
                "tbl_age": _age(birth, max(on, birth)),
                "in_year": float(on.year),
                "in_simple_2yr": rng.choice(["No", "No", "Yes"]),
            }
        )
    return out


def test_clients_hit_every_branch():
    """The generator reaches each branch (checked on the core's own answers)."""
    values = [evaluation.evaluate(T, c) for c in clients()]
    assert len(values) >= CLIENTS
    line2 = {v["out_exception_code"] for v in values if isinstance(v["out_l2"], float) and v["out_l2"] > 0}
    assert {e.number for e in NUMBERED} <= line2  # every exception excepts something somewhere
    assert any(isinstance(v["out_l2"], str) and "not in the limits table" in v["out_l2"] for v in values)
    assert sum(isinstance(v["out_l4"], str) for v in values) > 40  # refusals
    penalties = [v["out_l4"] for v in values if isinstance(v["out_l4"], float)]
    assert any(round(p * 100) % 100 for p in penalties) and 0.0 in penalties
    simple = [v for v in values if v["out_simple_2yr"] is True and isinstance(v["out_l4"], float)]
    assert any(v["out_l4"] == round(v["out_l3"] / 4 + 1e-9, 2) and v["out_l4"] > 0 for v in simple)


@pytest.mark.parametrize("engine", ["formulas", pytest.param("libreoffice", marks=needs_libreoffice)])
def test_generated_clients_equal_the_core(engine, tmp_path):
    every = clients()
    if engine == "formulas":
        every = every[:: len(every) // FORMULAS_CLIENTS][:FORMULAS_CLIENTS]
    checked = check_clients(T, every, tmp_path, engine)
    assert checked == len(every) * len(output_cells(T))


def _one(client: dict[str, Any], tmp_path) -> dict[str, Any]:
    path = tmp_path / "one.xlsx"
    columns = clients_book(T, [client], path)
    got = recalc.calculate(path, engine="formulas")
    return {
        n: got.values[f"Clients!{xlsxwriter.utility.xl_rowcol_to_cell(1, columns[n])}"]
        for n in ("out_l1", "out_l2", "out_l3", "out_l4", "out_simple")
    }


def test_worked_clients_to_the_cent(tmp_path):
    """By hand (IRC §72(t)(1), (2)(K), (6); Form 5329 lines 1-4):
    - domestic abuse (22) in 2025, vested balance 20,000.03, distribution 15,000.05: cap the lesser of 10,300 and
      half the balance, 10,000.015 -> 10,000.02 (half-up); line 3 = 15,000.05 - 10,000.02 = 5,000.03; line 4 =
      500.003 -> 500.00; the 25% figure (SIMPLE, no exception) 15,000.05 x 25% = 3,750.0125 -> 3,750.01;
    - a SIMPLE IRA in its first two years, 100.02: 25.005 -> 25.01 (a tie, half-up)."""
    got = _one(
        {"in_exception": WORDS["22"], "in_exception_amount": 20000.03, "in_taxable": 15000.05, "in_year": 2025.0},
        tmp_path,
    )
    assert got == {"out_l1": 15000.05, "out_l2": 10000.02, "out_l3": 5000.03, "out_l4": 500.0, "out_simple": 3750.01}
    got = _one(
        {
            "in_account": ACCOUNT_WORDS["SIMPLE_IRA"],
            "in_simple_2yr": "Yes",
            "in_exception": NO_EXCEPTION,
            "in_taxable": 100.02,
        },
        tmp_path,
    )
    assert got["out_l4"] == 25.01 and got["out_l3"] == 100.02


def test_a_cap_the_table_lacks_for_the_year_is_said_in_words(tmp_path):
    got = _one({"in_exception": WORDS["22"], "in_exception_amount": 5000.0, "in_year": 2027.0}, tmp_path)
    assert got["out_l2"] == NO_YEAR and got["out_l4"] == NO_YEAR


def test_beyond_the_portable_range_is_said_in_words(tmp_path):
    names = ("out_l1", "out_l2", "out_l3", "out_l4", "out_simple")
    beyond_the_range_in_words(T, {"in_taxable": PORTABLE_MAX + 0.01}, names, tmp_path)
