"""The portable separation and in-service templates: generated clients hitting every branch of the split.

The generators feed tests/test_portable.py (GENERATORS: one LibreOffice recalculation of all clients per
template, each cell equal to the core to the cent); the tests here check, without a spreadsheet, that the
generated clients do reach every branch and cap of ROTH_ROLLOVER_SPLIT's statement
(xl_rollover/templates/excel_formulas.py ``split_cents``), and with one small recalculation that a refusal of the core
(UnsupportedCase) is a words-cell on the portable sheet, never a figure.
"""

from __future__ import annotations

import math
import random
import shutil
from decimal import Decimal
from typing import Any

import pytest
import xlsxwriter

from xl_rollover.core.rules.split import roth_rollover_split
from xl_rollover.engines import recalc
from xl_rollover.templates import evaluation, model
from xl_rollover.templates.excel_formulas import PORTABLE_MAX, RMD_REFUSED, TOO_LARGE
from xl_rollover.templates.specs import TEMPLATES

BY_FILE = {t.file: t for t in TEMPLATES}
CLIENTS = 200
_DESTINATIONS = ("Pretax to a traditional IRA", "Pretax to a new employer's plan")
_TO_IRA = {"in_pretax_to": _DESTINATIONS[0]}


def _dollars(c: int) -> float:
    return c / 100


def _split_of(basis_c: int, balance_c: int, rmd_c: int) -> tuple[int, int, int]:
    """For a client: (rmd × basis mod balance, balance, rmd) in cents, the long division's last remainder."""
    return (rmd_c * basis_c) % balance_c if balance_c else 0, balance_c, rmd_c


def _with_balance(rng: random.Random, balance_c: int, basis_c: int) -> tuple[int, int]:
    """Pretax and earnings (cents) that make the whole balance ``balance_c`` with ``basis_c`` of basis."""
    rest = balance_c - basis_c
    if rest < 0:  # a loss: basis above the account's value, negative earnings
        return 0, rest
    earnings = rng.randint(0, rest)
    return rest - earnings, earnings


def separation_clients() -> list[dict[str, Any]]:
    """Separations reaching every branch of the split statement and of the sheet around it:

    - the RMD: none due (0), blank under 69 (nothing due), blank at 69 or over (the core refuses the case:
      UnsupportedCase, words on the portable sheet), given at 69-90, given under 69 (#VALUE!: no RMD year),
      as large as the balance (the whole distribution is the RMD) and larger (capped at the balance);
    - the RMD's share of basis (rmd × basis ÷ balance) exactly half a cent above a whole cent (a half-up
      tie), one part in the balance either side of it, and with amounts up to the portable range (long
      division with every base-5,000 digit non-zero), and basis above the balance (a loss: the share capped
      at the RMD, unrecovered basis);
    - the destinations: zero basis (no Roth IRA form: the first 1099-R is the traditional one), zero pretax
      and earnings (no traditional form), both pretax destinations (IRA or employer plan);
    - refusals as input errors: a zero balance, a negative amount, an age above 125; the range's edge and
      BEYOND (words, tested apart); ages around 59½ (the timeline's 10% tax) and fractional ages;
    - option C's Roth IRA amount: none, all that is eligible (no traditional form), the basis, any amount
      between, and above what is eligible (option C not possible, in words);
    - marginal rates 10%, 22%, 35% too (the cost's ROUND at a half-cent), next year's backdoor and other IRAs.
    """
    rng = random.Random(72548)
    clients: list[dict[str, Any]] = [{}]  # the example client (Dana)

    def common() -> dict[str, Any]:
        return {
            "in_year": float(rng.randint(2015, 2030)),
            "in_pretax_to": rng.choice(_DESTINATIONS),
            "in_backdoor": rng.choice([7000.0, 7500.0, 8000.0, rng.randint(1, 900_000) / 100]),
            "in_other_ira": rng.choice([0.0, 0.0, rng.randint(0, 50_000_000) / 100]),
            "in_rate": rng.choice([0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37]),
            "in_roth_regular": rng.choice([0.0, rng.randint(0, 10_000_000) / 100]),
        }

    def rmd_client(basis_c: int, balance_c: int, rmd_c: int, age: float) -> dict[str, Any]:
        pretax, earnings = _with_balance(rng, balance_c, basis_c)
        return common() | {
            "in_age": age,
            "in_rmd": _dollars(rmd_c),
            "in_basis": _dollars(basis_c),
            "in_pretax": _dollars(pretax),
            "in_earnings": _dollars(earnings),
        }

    # half-up ties and their neighbours: rmd × basis mod balance = balance/2 (+-1), amounts small to 1e10 cents
    for k in range(36):
        top = 10 ** rng.randint(4, 10)
        balance_c = 2 * rng.randint(top // 20, top // 2)
        rmd_c = rng.randint(1, min(balance_c - 1, 40_000_000_00))
        while math.gcd(rmd_c, balance_c) != 1:
            rmd_c += 1
        target = balance_c // 2 + (0, 0, 1, -1)[k % 4]
        basis_c = target * pow(rmd_c, -1, balance_c) % balance_c
        clients.append(rmd_client(basis_c, balance_c, rmd_c, float(rng.choice([69, 70, 72, 73, 75, 80, 90]))))
    # ties with a common factor: rmd = g1 × odd, basis = g2 × odd, balance = 2 g1 g2
    for _ in range(10):
        g1, g2 = rng.randint(1, 30_000), rng.randint(1, 30_000)
        clients.append(
            rmd_client(g2 * rng.randrange(1, 2 * g1, 2), 2 * g1 * g2, g1 * rng.randrange(1, 2 * g2, 2), 73.0)
        )
    # the whole distribution is the RMD, or more; a loss (basis above the balance)
    for _ in range(8):
        balance_c = rng.randint(1, 5_000_000)
        clients.append(
            rmd_client(rng.randint(0, balance_c), balance_c, balance_c + rng.choice([0, 0, 1, 99_999]), 74.0)
        )
    for _ in range(8):
        basis_c = rng.randint(2, 10_000_000)
        clients.append(rmd_client(basis_c, rng.randint(1, basis_c - 1), rng.randint(0, basis_c), 76.0))
    # RMD blank: nothing due under 69, the case refused from 69 on; an RMD given under 69: #VALUE!. Refused
    # and erring clients send the pretax to an IRA: with an employer plan the sheet's IF never reads the
    # refused cell (Dec 31 IRA balances are the other IRAs), but evaluation.evaluate, the reference, propagates
    # an error from every name a formula mentions
    for age in (45.0, 59.5, 68.0, 68.99, 69.0, 70.0, 75.0, 88.0):
        clients.append(common() | {"in_age": age, "in_rmd": None} | _TO_IRA)
    for age in (30.0, 68.0):
        clients.append(common() | {"in_age": age, "in_rmd": 100.0} | _TO_IRA)
    clients.append(common() | {"in_age": None, "in_rmd": 500.0} | _TO_IRA)  # age blank: no RMD test at all
    # destinations: no basis (no Roth IRA form), no pretax or earnings (no traditional form)
    for rmd in (0.0, 0.0, 1234.56):
        clients.append(common() | {"in_age": 71.0, "in_rmd": rmd, "in_basis": 0.0, "in_pretax": 90_000.0})
        clients.append(common() | {"in_age": 71.0, "in_rmd": rmd, "in_pretax": 0.0, "in_earnings": 0.0})
    # input errors: nothing to distribute, a negative amount, an implausible age
    clients.append(common() | {"in_pretax": 0.0, "in_basis": 0.0, "in_earnings": 0.0} | _TO_IRA)
    clients.append(common() | {"in_pretax": -1.0} | _TO_IRA)
    clients.append(common() | {"in_rmd": -5.0, "in_age": 72.0} | _TO_IRA)
    clients.append(common() | {"in_age": 126.0} | _TO_IRA)
    # the portable range's edge (the balance is the sum: at most 100,000,000; beyond it: BEYOND)
    clients.append(common() | {"in_pretax": 0.0, "in_basis": 60_000_000.0, "in_earnings": 40_000_000.0})
    clients.append(
        common()
        | {"in_age": 80.0, "in_rmd": 3_999_999.99, "in_pretax": 59_999_999.99, "in_basis": 39_999_999.99}
        | {"in_earnings": 0.02}
    )
    # random clients: ages around 59½ and the RMD ages, amounts of every size
    while len(clients) < CLIENTS + 10:
        age = float(rng.choice([30, 45, 54, 55, 56, 57, 58, 59, 60, 61, 68, 69, 70, 73, 75, 80, rng.randint(18, 99)]))
        if rng.random() < 0.1:
            age += 0.5
        basis_c = rng.choice([rng.randint(1, 100_000), rng.randint(1, 20_000_000), rng.randint(1, 5_000_000_000)])
        balance_c = basis_c + rng.choice([0, rng.randint(0, 10_000_000), rng.randint(0, 5_000_000_000)])
        rmd_c = 0 if age < 69 else rng.choice([0, rng.randint(1, balance_c)])
        clients.append(rmd_client(basis_c, balance_c, rmd_c, age))
    # option C (the Roth IRA amount typed in): none, all that is eligible, about the basis, or anything between;
    # above what is eligible (option C not possible, in words) for a few, their pretax to an IRA (see above)
    for k, client in enumerate(clients[1:], start=1):
        facts = {"in_pretax": 0.0, "in_basis": 40000.0, "in_earnings": 1850.0, "in_rmd": 0.0} | client
        balance_c = sum(round((facts[n] or 0) * 100) for n in ("in_pretax", "in_basis", "in_earnings"))
        eligible_c = max(balance_c - min(round((facts["in_rmd"] or 0) * 100), balance_c), 0)
        basis_c = min(round(facts["in_basis"] * 100), eligible_c)
        if k % 25 == 0:
            client.update({"in_c_roth": (eligible_c + rng.randint(1, 10_000)) / 100} | _TO_IRA)
        else:
            pick = rng.choice([0, eligible_c, basis_c, basis_c, rng.randint(0, eligible_c), rng.randint(0, eligible_c)])
            client["in_c_roth"] = max(pick, 0) / 100
    return clients


#: Clients beyond the portable range (the balance above 100,000,000): the split cells say so in words.
BEYOND = {
    "mega_backdoor_separation.xlsx": {"in_pretax": float(PORTABLE_MAX), "in_basis": 1.0, "in_rmd": 5.0, "in_age": 75.0},
    "in_service_after_tax_rollovers.xlsx": {"in_annual_after_tax": PORTABLE_MAX * 1.5, "in_sweeps": 1.0},
}


def in_service_clients() -> list[dict[str, Any]]:
    """Sweeps of the after-tax sub-account: every branch of the split a sweep reaches, and the sheet's roundings:

    - the sweep all to the Roth IRA with its earnings taxable (return above 0), nothing taxable (return 0),
      and a loss (return below 0: the sweep below the contributions, the share capped, unrecovered basis);
    - nothing contributed (a zero sweep: #VALUE!, nothing to split), a negative contribution (#VALUE!);
    - 1, 2, 4, 12, 24, 26 and 52 sweeps, per-sweep amounts at half a cent (the sheet's ROUND ties), tiny and
      large contributions, the portable range's edge (beyond it: BEYOND).
    """
    rng = random.Random(40254)
    clients: list[dict[str, Any]] = [{}]
    sweeps = (1.0, 2.0, 4.0, 12.0, 24.0, 26.0, 52.0)
    for annual in (0.0, -100.0, 0.01, 0.05, 0.13, 1.0, 10.0, PORTABLE_MAX / 1.07):
        clients.append({"in_annual_after_tax": annual, "in_sweeps": rng.choice(sweeps)})
    for ret in (0.0, -0.05, -0.5, -1.0, 0.0001, 1.0):
        clients.append({"in_return": ret, "in_sweeps": rng.choice(sweeps)})
    # per-sweep contributions at x.xx5 before the sheet's ROUND: annual = (2k+1) half-cents × sweeps
    for _ in range(20):
        n = rng.choice(sweeps)
        clients.append(
            {"in_annual_after_tax": (2 * rng.randint(0, 200_000) + 1) * n / 200, "in_sweeps": n, "in_return": 0.07}
        )
    while len(clients) < CLIENTS + 5:
        clients.append(
            {
                "in_year": float(rng.randint(2015, 2030)),
                "in_annual_after_tax": rng.choice([rng.randint(0, 7_000_000), rng.randint(0, 10_000_000_000)]) / 100,
                "in_return": rng.choice([0.07, 0.05, 0.1, rng.randint(-300, 3000) / 10_000]),
                "in_sweeps": rng.choice(sweeps),
            }
        )
    return clients


GENERATORS = {
    "mega_backdoor_separation.xlsx": separation_clients,
    "in_service_after_tax_rollovers.xlsx": in_service_clients,
}


# --- the generated clients reach every branch (no spreadsheet needed) -------------------------------------


def _cents(x: Any) -> int:
    return int(Decimal(str(x)) * 100)


def test_separation_clients_reach_every_branch():
    t = BY_FILE["mega_backdoor_separation.xlsx"]
    hits: dict[str, int] = dict.fromkeys(
        (
            "tie",
            "tie_minus",
            "tie_plus",
            "rmd_is_all",
            "loss",
            "refused",
            "no_rmd_year",
            "no_roth_form",
            "no_trad_form",
            "zero_balance",
            "edge",
            "large_share",
            "c_above_eligible",
            "c_converts_pretax",
            "c_leaves_basis",
            "c_all_to_roth",
        ),
        0,
    )
    for client in separation_clients():
        v = evaluation.evaluate(t, client)
        basis, balance = v["in_basis"], v["out_balance"]
        rmd, age = v["in_rmd"], v["in_age"]
        if isinstance(v["out_req_after_tax"], str):
            text = v["out_req_after_tax"]
            hits["refused"] += text.startswith("#N/A rmd_amount")
            hits["no_rmd_year"] += "no required minimum distribution is due" in text
            hits["zero_balance"] += "account_balance is 0" in text
            continue
        hits["edge"] += _cents(balance) == PORTABLE_MAX * 100
        b_c, n_c, r_c = _cents(basis), _cents(balance), _cents(rmd or 0)
        if 0 < r_c < n_c:
            rest = r_c * b_c % n_c
            hits["tie"] += 2 * rest == n_c
            hits["tie_minus"] += 2 * rest == n_c - 2
            hits["tie_plus"] += 2 * rest == n_c + 2
            hits["large_share"] += r_c * b_c > 10**18
        hits["rmd_is_all"] += r_c >= n_c > 0
        hits["loss"] += v["out_unrecovered"] > 0
        if isinstance(v["out_a_taxable"], float):
            split = roth_rollover_split(balance, basis, balance, v["out_a_roth"], age=age, rmd_amount=rmd)
            names = [f.destination for f in split.form_1099r]
            hits["no_roth_form"] += names[0].startswith("direct rollover to traditional")
            hits["no_trad_form"] += not any(n.startswith("direct rollover to traditional") for n in names)
        # option C: the Roth IRA amount typed in
        if isinstance(v["out_c_taxable"], str):
            hits["c_above_eligible"] += v["out_c_check"].startswith("no: ") and v["out_c_taxable"] == "not possible"
        else:
            hits["c_converts_pretax"] += v["out_c_roth_pretax"] > 0
            hits["c_leaves_basis"] += v["out_c_trad_basis"] > 0
            hits["c_all_to_roth"] += v["out_c_trad_pretax"] + v["out_c_trad_basis"] == 0 < v["out_eligible"]
    assert all(hits.values()), hits
    assert len(separation_clients()) >= CLIENTS


def test_in_service_clients_reach_every_branch():
    t = BY_FILE["in_service_after_tax_rollovers.xlsx"]
    taxable = zero = loss = refused = 0
    for client in in_service_clients():
        v = evaluation.evaluate(t, client)
        if isinstance(v["out_sweep_taxable"], str):
            refused += 1
            continue
        taxable += v["out_sweep_taxable"] > 0
        zero += v["out_sweep_taxable"] == 0
        loss += v["out_sweep_amount"] < v["out_per_sweep"]
    assert taxable and zero and loss and refused, (taxable, zero, loss, refused)
    assert len(in_service_clients()) >= CLIENTS


# --- refusals and the range's edge are words on the portable sheet, never figures --------------------------

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="LibreOffice not installed"
)
#: Cells of the separation template whose split takes the RMD and age as given (no Roth IRA amount).
_RMD_CELLS = ("out_req_after_tax", "out_req_pretax", "out_unrecovered")


@needs_libreoffice
@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_refusals_and_the_range_are_said_in_words(name, tmp_path):
    """The core refuses an age of 69 or over with no RMD given (UnsupportedCase, #N/A with its message in the add-in
    flavour): the portable split cells say so in words (RMD_REFUSED). An amount beyond the portable range: the
    cells that state a rule say TOO_LARGE (the core still answers). No such cell shows a figure."""
    from tests import test_portable as tp

    t = BY_FILE[name]
    refused = [{"in_age": age, "in_rmd": None} for age in (69.0, 74.0, 90.0)] if "separation" in name else []
    clients = [BEYOND[name], *refused]
    columns = tp._clients_book(t, clients, tmp_path / "words.xlsx")
    result = recalc.calculate(tmp_path / "words.xlsx", engine="libreoffice")

    def sheet(row: int, cell: str) -> Any:
        return result.values[f"Clients!{xlsxwriter.utility.xl_rowcol_to_cell(row, columns[cell][1])}"]

    core = evaluation.evaluate(t, BEYOND[name])
    stated = [o.name for o in model.output_cells(t) if o.function == "ROTH_ROLLOVER_SPLIT"]
    assert stated
    for cell in stated:
        assert isinstance(core[cell], float), cell  # the core answers
        # the split of the inputs says so; a split of a figure computed from that words-cell shows #VALUE!
        assert sheet(1, cell) in (TOO_LARGE, "#VALUE!"), cell
    assert [cell for cell in stated if sheet(1, cell) == TOO_LARGE]
    assert all(sheet(1, c) == TOO_LARGE for c in _RMD_CELLS if c in columns)
    for row, client in enumerate(refused, start=2):
        core = evaluation.evaluate(t, client)
        for cell in _RMD_CELLS:
            assert core[cell].startswith("#N/A rmd_amount"), core[cell]
            assert sheet(row, cell) == RMD_REFUSED, (client, cell)
        for cell in stated:
            assert isinstance(sheet(row, cell), str), (client, cell)  # words or an error value, never a figure


# --- the split statement itself, over more of its domain than the two templates use ----------------------

#: Argument shapes: whether the Roth IRA amount, the traditional amount, and age and RMD, are cells (else not given).
_SHAPES = (
    ("Roth IRA amount given, age and RMD (options A and B)", True, False, True),
    ("Roth IRA amount by default, age and RMD (the RMD cells)", False, False, True),
    ("destinations by default, no age", False, False, False),
    ("Roth IRA amount given, no age (a sweep)", True, False, False),
    ("both amounts given, the rest paid, age and RMD (option C)", True, True, True),
    ("both amounts given, the rest paid, no age", True, True, False),
)
_FIELDS = (
    "after_tax",
    "pretax",
    "roth_after_tax",
    "roth_pretax",
    "traditional_after_tax",
    "traditional_pretax",
    "cash_after_tax",
    "cash_pretax",
    "kept_after_tax",
    "kept_pretax",
    "taxable",
    "withholding",
    "penalty_base",
    "remaining_balance",
    "remaining_basis",
    "unrecovered_basis",
    "rmd_after_tax",
    "rmd_pretax",
    "traditional_ira_basis",
    *(
        f"form_1099r_{k}_{box}"
        for k in (1, 2, 3)
        for box in ("box1_gross", "box2a_taxable", "box4_withheld", "box5_employee_contributions")
    ),
)


def _split_rows(rng: random.Random, roth: bool, trad: bool, facts: bool) -> list[dict[str, Any]]:
    """Rows for one shape: random amounts of every size, RMD share ties, refusals and input errors."""
    rows: list[dict[str, Any]] = []
    for k in range(40):
        d = balance = rng.choice([rng.randint(1, 10_000), rng.randint(1, 10**8), rng.randint(1, 10**10)])
        basis = rng.choice([0, rng.randint(0, balance), rng.randint(0, min(2 * balance, 10**10))])
        age = rng.choice([None, 30.0, 59.5, 68.0, 69.0, 73.0, 80.0]) if facts else None
        rmd = rng.choice([0, rng.randint(0, d), d, d + 7]) if facts and (age or 0) >= 69 else 0
        if facts and k % 10 == 9:
            rmd = rng.randint(1, d)  # an RMD whatever the age: #VALUE! under 69
        if facts and k % 2 == 0 and balance > 10:
            # rmd × basis ÷ balance at x.5 exactly, or one part in the balance either side
            d = balance = balance + balance % 2
            rmd = rng.randint(1, balance - 1)
            while math.gcd(rmd, balance) != 1:
                rmd += 1
            basis = (balance // 2 + rng.choice((0, 0, 1, -1))) * pow(rmd, -1, balance) % balance
            age = rng.choice([69.0, 73.0, 80.0])
        eligible = d - min(rmd, d)
        row: dict[str, Any] = {"d": d / 100, "basis": basis / 100}
        if roth:
            row["roth"] = rng.choice([0, eligible, rng.randint(0, eligible), rng.randint(0, eligible)]) / 100
        if trad:  # blank (the rest), all the rest, or some of it (the rest paid), around the $200 floor
            left = eligible - round(row["roth"] * 100)
            some = rng.choice([rng.randint(0, left), max(left - rng.randint(19_990, 20_010), 0)])
            row["trad"] = rng.choice([None, left / 100, some / 100, some / 100, 0.0])
        if facts:
            row["age"] = age
            row["rmd"] = None if rng.random() < 0.1 else rmd / 100
        rows.append(row)
    rows.append(rows[0] | {"d": 0.0})  # nothing to split
    rows.append(rows[1] | {"basis": -1.0})  # a negative amount
    if roth:
        rows.append(rows[2] | {"roth": rows[2]["d"] + 0.01})  # more to the Roth IRA than paid
    if trad:
        rows.append(rows[4] | {"roth": rows[4]["d"], "trad": 0.01})  # the two above what is eligible
        rows.append(rows[5] | {"trad": -2.0})
    if facts:
        rows.append(rows[3] | {"age": 126.0})
    return rows


@needs_libreoffice
def test_split_statement_equals_the_core(tmp_path):
    """ROTH_ROLLOVER_SPLIT's plain formulas (every field the statement has) equal the add-in function to the cent
    on 250 rows: whole balances of every size, the Roth IRA and traditional amounts given (the rest paid) or by
    default, with and without age
    and RMD, RMD share ties, basis above the balance, refusals and input errors."""
    from tests import test_portable as tp
    from xl_rollover.excel import functions
    from xl_rollover.templates.excel_formulas import rollover_split

    rng = random.Random(548)
    path = tmp_path / "split.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Split")
    expected: dict[str, Any] = {}
    r = 0
    for _, roth, trad, facts in _SHAPES:
        for row in _split_rows(rng, roth, trad, facts):
            r += 1
            ref = {}
            for c, key in enumerate(("d", "basis", "roth", "trad", "age", "rmd")):
                ref[key] = xlsxwriter.utility.xl_rowcol_to_cell(r, c)
                if row.get(key) is not None:
                    ws.write_number(r, c, row[key])
            args = {
                "distribution": "{d}",
                "after_tax_basis": "{basis}",
                "account_balance": "{d}",
                "to_roth_ira": "{roth}" if roth else None,
                "to_traditional": "{trad}" if trad else None,
                "age": "{age}" if facts else None,
                "rmd_amount": "{rmd}" if facts else None,
            }
            call = {
                "distribution": row["d"],
                "after_tax_basis": row["basis"],
                "account_balance": row["d"],
                "to_roth_ira": row.get("roth"),
                "to_traditional": row.get("trad"),
                "age": row.get("age"),
                "rmd_amount": row.get("rmd"),
            }
            for c, field in enumerate(_FIELDS, start=7):
                cell = xlsxwriter.utility.xl_rowcol_to_cell(r, c)
                ws.write_formula(r, c, "=" + rollover_split(args, field).format(**ref), None, 0)
                expected[f"Split!{cell}"] = (call, field, functions.ROTH_ROLLOVER_SPLIT(**call, output=field))
    book.close()
    result = recalc.calculate(path, engine="libreoffice", timeout=600)
    for where, (call, field, core) in expected.items():
        assert tp._same(core, result.values[where]), (call, field, core, result.values[where])
    assert r >= 250


def test_portable_formulas_nest_at_most_64_levels():
    """Excel allows 64 nested levels of functions in a formula (Excel specifications and limits)."""
    from xl_rollover.templates import portable

    def depth(text: str) -> int:
        deepest, stack = 0, []
        for part in text.split('"')[::2]:  # outside string literals
            for i, ch in enumerate(part):
                if ch == "(":
                    stack.append(i > 0 and (part[i - 1].isalnum() or part[i - 1] == "."))
                    deepest = max(deepest, sum(stack))
                elif ch == ")":
                    stack.pop()
        return deepest

    depths = [depth(evaluation.formula(o, t)) for t in portable.templates() for o in model.output_cells(t)]
    assert 10 <= max(depths) <= 64
