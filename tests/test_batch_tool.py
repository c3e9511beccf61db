"""Batch behaves like a tool (issue 12, point 7): every public function, rows in input order, numbers
stored as numbers in XLSX, an unknown name an error on its own row, exit 0 only when every row succeeded,
and a progress bar on a terminal that moves at least once a second."""

from __future__ import annotations

import io
import sys
from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")
openpyxl = pytest.importorskip("openpyxl")

import xl_rollover as xr  # noqa: E402
from xl_rollover.cli import main as cli  # noqa: E402
from xl_rollover.core.registry import FUNCTIONS  # noqa: E402

#: One row a public function (both spellings of the name), an unknown name and a refused row between them.
ROWS = [
    {"function": "roth_rollover_split", "distribution": "41850", "after_tax_basis": "40000", "account_balance": "41850"},
    {"function": "prorata_taxable", "converted": "7500", "basis": "7500", "year_end_value": "1850"},
    {"function": "PRORATA_TAXABLE", "converted": "7500.5", "basis": "7500", "year_end_value": "1850", "ratio_decimals": "4"},
    {"function": "form_8606", "converted": "7000", "nondeductible_contributions": "7000"},
    {"function": "early_penalty", "taxable_amount": "10000", "age": "45"},
    {"function": "nonsense", "taxable_amount": "10000", "age": "45"},
    {"function": "early_penalty", "taxable_amount": "10000.005", "age": "45"},
    {"function": "roth_ira_distribution", "amount": "5000", "regular_contributions": "0", "conversions": "2025:500:20000", "distribution_year": "2027", "age": "47"},
    {"function": "roth_penalty_free", "regular_contributions": "0", "conversions": "2025:500:20000", "distribution_year": "2027", "age": "47"},
    {"function": "mega_backdoor_room", "year": "2026", "employee_deferrals": "24500", "employer_contributions": "10000", "age": "45"},
    {"function": "roth_ira_contribution_limit", "year": "2026", "magi": "160000", "filing_status": "SINGLE", "age": "40"},
    {"function": "traditional_ira_deduction_limit", "year": "2026", "magi": "85000", "filing_status": "SINGLE", "age": "40", "active_participant": "TRUE"},
    {"function": "required_minimum_distribution", "year": "2025", "birth_date": "1952-03-10", "prior_year_end_balance": "500000"},
    {"function": "sepp_payment", "year": "2023", "birth_date": "1973-06-15", "balance": "400000", "method": "amortization", "interest_rate": "0.04"},
    {"function": "irs_limit", "year": "2026", "limit_name": "annual_additions_limit_415c1A"},
]  # fmt: skip


def _write(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame(ROWS).to_csv(src, index=False)
    return src


def test_every_function_in_input_order_numbers_as_numbers_exit_one(tmp_path, capsys):
    assert {r["function"].lower() for r in ROWS} - {"nonsense"} == {f.call.__name__ for f in FUNCTIONS.values()}
    src = _write(tmp_path)
    assert cli.main(["batch", str(src), "-o", str(tmp_path / "out.csv")]) == 1  # two rows failed
    out, err = capsys.readouterr()
    assert "15 scenario(s), 2 failed" in out
    assert "row 6" in err and "unknown function 'nonsense'" in err and "row 7" in err
    assert "xl-rollover: row 6: unknown function 'nonsense'" in err and "no function" not in err
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert list(frame["row"].astype(int)) == list(range(1, 16))  # rows out in input order, across functions
    errors = frame["error"].fillna("")
    assert [i + 1 for i, e in enumerate(errors) if e] == [6, 7]
    assert errors[5].startswith("unknown function 'nonsense'")
    # figures: 7,500 x (1 - 0.802) = 1,485.00 (Form 8606 line 10 at 3 places); 10% of 10,000 (§72(t)(1))
    assert frame.loc[1, "taxable_conversion"] == "1485.00" and frame.loc[4, "penalty"] == "1000.00"

    assert cli.main(["batch", str(src), "-o", str(tmp_path / "out.xlsx")]) == 1
    capsys.readouterr()
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    seen_rows: list[int] = []
    checked = 0
    for sheet in book.worksheets:
        cells = list(sheet.iter_rows())
        header = [c.value for c in cells[0]]
        rows = [r[header.index("row")].value for r in cells[1:]]
        assert rows == sorted(rows), sheet.title  # input order inside each sheet
        seen_rows += rows
        for line in cells[1:]:
            for name, cell in zip(header, line, strict=True):
                if name.startswith("input.") or not isinstance(cell.value, str):
                    continue
                try:  # a result cell holding a number's text would be a number stored as text
                    Decimal(cell.value)
                except ArithmeticError:
                    continue
                pytest.fail(f"{sheet.title}!{cell.coordinate} {name} holds the number {cell.value!r} as text")
            checked += 1
    assert sorted(seen_rows) == list(range(1, 16)) and checked == 15
    # the unknown name is an ordinary failed row, on the sheet of rows that failed before any function ran
    errors_sheet = [[c.value for c in r] for r in book["errors"].iter_rows()]
    assert len(errors_sheet) == 2 and errors_sheet[1][errors_sheet[0].index("row")] == 6
    assert errors_sheet[1][errors_sheet[0].index("error")].startswith("unknown function 'nonsense'")
    assert "unknown_function" not in book.sheetnames
    sheet = book["prorata_taxable"]
    header = [c.value for c in sheet[1]]
    taxable = sheet.cell(row=2, column=header.index("taxable_conversion") + 1)
    assert taxable.data_type == "n" and taxable.value == 1485
    limit = book["irs_limit"].cell(row=2, column=[c.value for c in book["irs_limit"][1]].index("value") + 1)
    assert limit.data_type == "n" and limit.value == 72000  # 2026 §415(c)(1)(A) (Notice 2025-67)
    assert xr.irs_limit("annual_additions_limit_415c1A", 2026).value == Decimal("72000")


def test_exit_zero_when_every_row_of_every_function_succeeds(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame([r for r in ROWS if r["function"] != "nonsense" and r.get("taxable_amount") != "10000.005"]).to_csv(
        src, index=False
    )
    assert cli.main(["batch", str(src), "-o", str(tmp_path / "out.parquet")]) == 0
    assert "13 scenario(s), 0 failed" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_batch_shows_the_progress_bar(tmp_path, capsys, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["batch", str(_write(tmp_path)), "-o", str(tmp_path / "out.csv")]) == 1
    drawn = terminal.getvalue()
    assert "\r" in drawn and "15/15 rows" in drawn and "writing" in drawn


def test_progress_bar_moves_at_least_once_a_second_without_reports(capsys):
    bar = cli._ProgressBar()
    bar.close()
    capsys.readouterr()
    waits: list[float] = []

    class Stop:  # the bar's stop event, seen from its thread: never set for three waits
        def wait(self, timeout: float) -> bool:
            waits.append(timeout)
            return len(waits) > 3

    clock = iter([1.0, 2.0, 3.0])
    bar._wait, bar._time, bar.start = Stop().wait, lambda: next(clock), 0.0  # type: ignore[method-assign]
    bar(5, 10)
    bar._tick()  # what the bar's thread runs
    draws = capsys.readouterr().err.split("\r")[1:]
    assert max(waits) <= 1.0  # it wakes at least once a second
    assert len(draws) == 3 and len(set(draws)) == 3 and all("5/10 rows" in d for d in draws)  # and each draw moved
