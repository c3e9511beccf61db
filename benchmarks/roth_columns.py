"""Whole-column ROTH_IRA_DISTRIBUTION and ROTH_PENALTY_FREE calls: the kernels against row by row, in one run.

One worksheet call over ``--rows`` rows (varied amounts and ages, one conversions table of three layers for
every row, as a sheet passes it) through ``adapter.run`` as the worksheet functions call it, and the same
call with ``whole_columns=False`` (every row through the core: what these two functions did before their
whole-column calls took the kernels). Alternating, medians of ``--repeat``; with numpy and without it (the
runner's path for a Python without numpy, as xlwings Lite and LibreOffice's Python are). The answers are
checked equal. With ``--lo-before DIR`` (a checkout of the earlier code), a sheet of the same two whole-column
calls is also recalculated by ``calc --engine libreoffice`` in fresh processes, alternating between that tree
and this one.

Run:  .venv/bin/python benchmarks/roth_columns.py [--rows 10000] [--repeat 5] [--lo-before DIR --lo-pairs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the worktree's packages first, as tests do

from xl_rollover.core import columns
from xl_rollover.excel import adapter
from xl_rollover.excel import functions as F

CONVERSIONS = [["year", "taxable", "nontaxable"], [2021, 6000.0, 500.0], [2023, 7000.0, 0.0], [2025, 250.25, 7000.0]]


def calls(n: int) -> dict[str, list[Any]]:
    amounts = [[round(500 + (i * 7919) % 40_000 + (i % 100) / 100, 2)] for i in range(n)]
    ages = [[[45.0, 52.5, 59.5, 63.0][i % 4]] for i in range(n)]
    return {
        "ROTH_IRA_DISTRIBUTION": [amounts, 12000.0, CONVERSIONS, 2026.0, ages, 2019.0, None, "penalty", None, None],
        "ROTH_PENALTY_FREE": [amounts, CONVERSIONS, 2027.0, ages, None],
    }


def timed(name: str, args: list[Any], whole: bool) -> tuple[float, Any]:
    spec = F.SPECS[name]
    start = time.perf_counter()
    out = adapter.run(spec, args, adapter.table_reader(spec), whole_columns=whole)
    return time.perf_counter() - start, out


def build(path: Path, n: int) -> None:
    """The calls above as a sheet: amounts in A, ages in B, the table in E1:G4, two whole-column formulas."""
    import xlsxwriter

    args = calls(n)["ROTH_IRA_DISTRIBUTION"]
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    ws.write_column("A1", [row[0] for row in args[0]])
    ws.write_column("B1", [row[0] for row in args[4]])
    for r, row in enumerate(CONVERSIONS):
        ws.write_row(r, 4, row)
    ws.write_dynamic_array_formula(
        f"C1:C{n}", f'=ROTH_IRA_DISTRIBUTION(A1:A{n},12000,E1:G4,2026,B1:B{n},2019,,"penalty")'
    )
    ws.write_dynamic_array_formula(f"D1:D{n}", f"=ROTH_PENALTY_FREE(A1:A{n},E1:G4,2027,B1:B{n})")
    wb.close()


def libreoffice_before_after(before: Path, rows: int, pairs: int) -> None:
    """The sheet recalculated by LibreOffice in fresh processes (``calc``'s work), ``before``'s tree against this one."""
    here = Path(__file__).resolve().parents[1]
    code = (
        "import sys, time; from xl_rollover.engines.recalc import calculate; t = time.perf_counter(); "
        "r = calculate(sys.argv[1], engine='libreoffice'); print(time.perf_counter() - t, len(r.errors))"
    )
    times: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "roth.xlsx"
        build(sheet, rows)
        for _ in range(pairs):
            for which, tree in (("before", before), ("after", here)):
                env = {**os.environ, "PYTHONPATH": str(tree)}
                done = subprocess.run(
                    [sys.executable, "-c", code, str(sheet)], check=True, capture_output=True, text=True, env=env
                )
                seconds, errors = done.stdout.split()[-2:]
                assert errors == "0", done.stdout
                times[which].append(float(seconds))
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    spread = ", ".join(f"{min(t):.2f}-{max(t):.2f} s {w}" for w, t in times.items())
    print(
        f"\nLibreOffice, {rows:,} rows, both calls, {pairs} alternating pairs: medians {b:.2f} s before, {a:.2f} s after"
    )
    print(f"({spread}), before/after {b / a:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lo-before", type=Path, help="a checkout of the earlier code, for the LibreOffice pairs")
    parser.add_argument("--lo-pairs", type=int, default=5)
    options = parser.parse_args()
    if options.lo_before is not None:
        libreoffice_before_after(options.lo_before, options.rows, options.lo_pairs)
    print(f"| call, {options.rows:,} rows | row by row, s | kernels, s | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for numpy in (True, False):
        if not numpy:
            columns._numpy = lambda: None  # type: ignore[assignment]
        for name, args in calls(options.rows).items():
            times: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(options.repeat):
                answers = {}
                for whole in (False, True):
                    seconds, answers[whole] = timed(name, args, whole)
                    times[whole].append(seconds)
                assert answers[True] == answers[False], name
            slow, fast = statistics.median(times[False]), statistics.median(times[True])
            label = f"{name}{'' if numpy else ', no numpy'}"
            print(f"| {label} | {slow:.3f} | {fast:.3f} | {slow / fast:.1f}x |")


if __name__ == "__main__":
    main()
