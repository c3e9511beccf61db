"""Benchmarks: scalar core calls/s, batch rows/s (vectorised vs the scalar loop), headless recalculation.

Run:  .venv/bin/python benchmarks/run.py [--rows 1000000] [--repeat 3] [--lo-pairs 11]
Reports the median of --repeat runs, peak memory (ru_maxrss of this process) and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import xl_rollover as core
from xl_rollover.batch import runner as batch


def peak_mb(fn) -> float:
    """Peak Python heap (tracemalloc) of one more run of ``fn``, in MB."""
    import tracemalloc

    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def recalc_in_fresh_process(path: Path, engine: str, repeat: int) -> tuple[float, float]:
    """Median seconds of ``calculate(path, engine)`` and the peak resident memory (MB) of the process doing it.

    Each run is a fresh Python process, so the memory is that run's own high-water mark (the Python
    process for ``formulas``; LibreOffice's processes for ``libreoffice``).
    """
    import subprocess
    import sys

    code = (
        "import resource, sys, time; from xl_rollover.engines.recalc import calculate; t = time.perf_counter(); "
        "calculate(sys.argv[1], engine=sys.argv[2]); t = time.perf_counter() - t; "
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the (forked) parent
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
        "print(t, hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    times, memory = [], 0.0
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", code, str(path), engine], capture_output=True, text=True, check=True
        )
        seconds, own, children = done.stdout.split()[-3:]
        times.append(float(seconds))
        # the formulas engine runs in a child process too (xl_rollover.engines.child): the larger of the two marks
        memory = max(memory, max(int(own), int(children)) / 1024)
    return statistics.median(times), memory


def refusal_costs(repeat: int) -> None:
    """Seconds and peak memory of refusing each bomb of tests/test_hostile_calc.py, beside an accepted workbook.

    Each run is a fresh process calling ``calculate`` (imports excluded), as for accepted workbooks; the
    memory is the larger of that process's and its children's (the formulas engine runs in a child).
    """
    import subprocess
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fixtures are the tests' own
    from tests.test_hostile_calc import BOMBS, patch_eocd_entries, raw_parts, write_zip

    code = (
        "import sys, time; from xl_rollover.engines.recalc import calculate; from xl_rollover.core.errors import InputError; "
        "t = time.perf_counter()\ntry: calculate(sys.argv[1]); what = 'accepted'\n"
        "except InputError as e: what = 'refused'\nt = time.perf_counter() - t; "
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
        "import resource; print(what, t, max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))"
    )
    print("\n## Refusing hostile workbooks (`calc`, formulas engine): median seconds, peak resident memory")
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "accepted: template backdoor_roth_prorata.xlsx": Path(__file__).resolve().parents[1]
            / "workbooks"
            / "backdoor_roth_prorata.xlsx"
        }
        for name, (what, _reason) in BOMBS.items():
            path = Path(tmp) / f"{len(cases)}.xlsx"
            if what == "entries":
                patch_eocd_entries(write_zip(path, raw_parts()), 3_000_000)
            else:
                write_zip(path, raw_parts() | what)
            cases[f"{name} ({path.stat().st_size:,} bytes)"] = path
        for name, path in cases.items():
            times, memory, outcome = [], 0.0, ""
            for _ in range(repeat):
                done = subprocess.run(
                    [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
                )
                outcome, seconds, hwm = done.stdout.split()[-3:]
                times.append(float(seconds))
                memory = max(memory, int(hwm) / 1024)
            print(f"| {name} | {outcome} | {statistics.median(times):.3f} s | {memory:,.0f} MB |")


def bare_libreoffice(path: Path, tmp: Path, repeat: int) -> float:
    """Median seconds of LibreOffice by itself converting ``path`` with recalculation on load (a fresh profile)."""
    import subprocess

    from xl_rollover.engines.libreoffice import soffice

    settings = (
        '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item></oor:items>"
    )
    profile = tmp / "bare-profile"
    url = profile.as_uri()
    subprocess.run([soffice(), "--headless", "--terminate_after_init", f"-env:UserInstallation={url}"], check=True)
    (profile / "user" / "registrymodifications.xcu").write_text(settings)
    command = [soffice(), "--headless", "--norestore", f"-env:UserInstallation={url}", "--convert-to", "xlsx"]
    return median_time(
        lambda: subprocess.run(
            [*command, "--outdir", str(tmp / "bare-out"), str(path)], check=True, capture_output=True
        ),
        repeat,
    )


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scenarios(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    half = n // 2
    prorata = pd.DataFrame(
        {
            "function": "prorata_taxable",
            "converted": rng.integers(0, 10**7, half) / 100,
            "basis": rng.integers(0, 10**7, half) / 100,
            "year_end_value": rng.integers(1, 10**8, half) / 100,
        }
    )
    penalty = pd.DataFrame(
        {
            "function": "early_penalty",
            "taxable_amount": rng.integers(0, 10**7, n - half) / 100,
            "age": rng.choice([30.0, 45.0, 59.0, 60.0, 70.0], n - half),
        }
    )
    return pd.concat([prorata, penalty], ignore_index=True)


def build(path: Path, layout: str, n: int) -> None:
    """A sheet of ``n`` rows, two project figures a row: one call a row, one call a column, or plain formulas."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    for r in range(n):
        row = r + 1
        ws.write_row(r, 0, [7500 + r, 7500, 1850, 10000])
        if layout == "per-row":
            ws.write_formula(r, 4, f"=PRORATA_TAXABLE(A{row},B{row},C{row})")
            ws.write_formula(r, 5, f"=EARLY_PENALTY(D{row},45)")
        elif layout == "plain":  # the same figures with Excel's own functions
            ws.write_formula(r, 4, f"=A{row}-ROUND(A{row}*MIN(1,ROUND(B{row}/(C{row}+A{row}),3)),2)")
            ws.write_formula(r, 5, f"=ROUND(D{row}*0.1,2)")
        ws.write_formula(r, 6, f"=A{row}*2")
        ws.write_formula(r, 7, f"=G{row}+1")
    if layout == "whole-column":
        ws.write_dynamic_array_formula(f"E1:E{n}", f"=PRORATA_TAXABLE(A1:A{n},B1,C1)")
        ws.write_dynamic_array_formula(f"F1:F{n}", f"=EARLY_PENALTY(D1:D{n},45)")
    wb.close()


def libreoffice_layouts(rows: int, rounds: int) -> None:
    """Target (issue 12): in LibreOffice, whole-column calls not slower than plain formulas, per-row at most 3x.

    The three sheets of ``rows`` rows recalculated in turn, each in a fresh process, ``rounds`` times.
    """
    with tempfile.TemporaryDirectory() as tmp:
        paths = {layout: Path(tmp) / f"{layout}.xlsx" for layout in ("per-row", "whole-column", "plain")}
        for layout, path in paths.items():
            build(path, layout, rows)
        times: dict[str, list[float]] = {layout: [] for layout in paths}
        for _ in range(rounds):
            for layout, path in paths.items():
                times[layout].append(recalc_in_fresh_process(path, "libreoffice", 1)[0])
    m = {layout: statistics.median(t) for layout, t in times.items()}
    print(f"\n## LibreOffice, {rows:,} rows, {rounds} alternating rounds (fresh process each, `calc`'s work)")
    print(
        f"| per-row / whole-column / plain | {m['per-row']:.2f} s / {m['whole-column']:.2f} s / {m['plain']:.2f} s | "
        f"per-row {m['per-row'] / m['plain']:.2f}x plain, whole-column {m['whole-column'] / m['plain']:.2f}x plain |"
    )


def _alternating(
    commands: dict[str, list[str]],
    rounds: int,
    env: dict[str, str] | None = None,
    cpu: dict[str, list[float]] | None = None,
) -> dict[str, list[float]]:
    """Wall seconds of each command in fresh processes, run in turn ``rounds`` times (the machine drifts).

    ``cpu``, if given, receives each run's processor seconds (user + system, its threads included): less
    sensitive than wall time to the other sessions' load on this 2-core machine, though not immune.
    """
    import subprocess

    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            times[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if cpu is not None:
                used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                cpu.setdefault(name, []).append(used)
    return times


def parquet_pairs(rows: int, rounds: int, before: Path | None = None, shuffled: bool = False) -> None:
    """Target (issue 12): ``xl-rollover batch in.parquet -o out.parquet`` within 3x of a bare numpy/pandas script.

    Both are whole fresh processes (interpreter, imports, reading, arithmetic, writing), run in turn;
    ``before`` (an older source tree) adds its batch run to each round. The scenarios come as two blocks
    (prorata, then penalty), or with ``shuffled`` in random order (batch then puts each function's rows
    back in input order).
    """
    import sys

    here = Path(__file__).resolve().parent
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.parquet"
        book = scenarios(rows)
        if shuffled:
            book = book.sample(frac=1.0, random_state=11).reset_index(drop=True)
        book.to_parquet(source)
        run = [*("-m", "xl_rollover.cli", "batch", str(source), "-o", str(Path(tmp) / "out.parquet"), "--overwrite")]
        commands = {
            "bare": [sys.executable, str(here / "bare_parquet.py"), str(source), str(Path(tmp) / "bare.parquet")]
        }
        if before is not None:
            commands["before"] = ["env", f"PYTHONPATH={before.resolve()}", sys.executable, *run]
        commands["batch"] = ["env", f"PYTHONPATH={here.parent}", sys.executable, *run]
        times = _alternating(commands, rounds, cpu=cpu)
    load = os.getloadavg()[0]
    order = "in random order" if shuffled else "in two blocks"
    print(
        f"\n## Parquet to Parquet, {rows:,} prorata + penalty rows {order}, {rounds} alternating fresh-process rounds"
    )
    for what, found in (("wall", times), ("CPU (user + system)", cpu)):
        bare = statistics.median(found["bare"])
        for name in [n for n in commands if n != "bare"]:
            full = statistics.median(found[name])
            ratios = sorted(b / a for a, b in zip(found["bare"], found[name], strict=True))
            print(
                f"| {what}: bare script / `xl-rollover batch` ({name}) | {bare:.2f} s / {full:.2f} s: "
                f"ratio {full / bare:.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f}) | load average {load:.1f} |"
            )


#: Scalar calls measured against an older tree (``--scalar-before``): the four of issue 12's target.
SCALAR_CALLS = (
    "import statistics, sys, time; import xl_rollover as core\n"
    "calls = {'prorata_taxable': lambda: core.prorata_taxable(7500, 7500, 1850),\n"
    " 'form_8606': lambda: core.form_8606(converted=7500, year_end_value=1850, nondeductible_contributions=7500),\n"
    " 'early_penalty': lambda: core.early_penalty(10000, 45),\n"
    " 'roth_rollover_split': lambda: core.roth_rollover_split(50000, 40000, 200000)}\n"
    "for name, fn in calls.items():\n"
    "    fn(); runs = []\n"
    "    for _ in range(5):\n"
    "        t = time.perf_counter(); [fn() for _ in range(1000)]; runs.append((time.perf_counter() - t) * 1000)\n"
    "    print(name, statistics.median(runs))\n"
)


def scalar_before_after(before: Path, rounds: int) -> None:
    """Target (issue 12): scalar calls no slower than before the kernels; ``before`` is a tree of that commit.

    Fresh processes alternate between the two trees (same interpreter); each prints the median of 5 runs of
    1,000 calls per function; the figure is the median over the rounds, in microseconds a call.
    """
    import subprocess
    import sys

    here = Path(__file__).resolve().parents[1]
    found: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for _ in range(rounds):
        for which, tree in (("before", before), ("after", here)):
            env = {**os.environ, "PYTHONPATH": str(tree)}
            done = subprocess.run(
                [sys.executable, "-c", SCALAR_CALLS], check=True, capture_output=True, text=True, env=env, cwd=tree
            )
            for line in done.stdout.split("\n"):
                if line:
                    name, us = line.split()
                    found[which].setdefault(name, []).append(float(us))
    print(f"\n## Scalar calls, us a call: {before} (before) against this tree (after), {rounds} alternating rounds")
    for name in found["after"]:
        b, a = statistics.median(found["before"][name]), statistics.median(found["after"][name])
        print(f"| {name} | {b:.0f} | {a:.0f} | after/before {a / b:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loop-rows", type=int, default=20_000, help="rows for the scalar loop (extrapolated)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--recalc-rows", type=int, default=1000, help="rows for the formulas engine")
    parser.add_argument("--lo-rows", type=int, default=10_000, help="rows for the LibreOffice engine")
    parser.add_argument("--recalc-repeat", type=int, default=3, help="runs of each formulas-engine sheet")
    parser.add_argument("--lo-pairs", type=int, default=11, help="alternating whole-column/plain LibreOffice runs")
    parser.add_argument("--bombs-only", action="store_true", help="only the cost of refusing hostile workbooks")
    parser.add_argument("--parquet-pairs", type=int, default=0, help="only: batch Parquet run against bare script")
    parser.add_argument("--parquet-before", type=Path, help="with --parquet-pairs: also this older source tree's batch")
    parser.add_argument("--parquet-shuffled", action="store_true", help="with --parquet-pairs: rows in random order")
    parser.add_argument("--scalar-before", type=Path, help="only: scalar calls against this older source tree")
    parser.add_argument("--scalar-rounds", type=int, default=7, help="alternating rounds for --scalar-before")
    parser.add_argument("--lo-only", action="store_true", help="only: LibreOffice per-row / whole-column / plain")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, {platform.platform()}"
    )
    if args.parquet_pairs or args.scalar_before or args.lo_only:
        if args.parquet_pairs:
            parquet_pairs(args.rows, args.parquet_pairs, args.parquet_before, args.parquet_shuffled)
        if args.scalar_before:
            scalar_before_after(args.scalar_before, args.scalar_rounds)
        if args.lo_only:
            libreoffice_layouts(args.lo_rows, args.lo_pairs)
        return

    if args.bombs_only:
        refusal_costs(args.repeat)
        return
    print("\n## Scalar core (calls per second, median of runs of 2,000 calls)")
    calls = {
        "roth_rollover_split": lambda: core.roth_rollover_split(50000, 40000, 200000),
        "prorata_taxable": lambda: core.prorata_taxable(7500, 7500, 1850),
        "form_8606": lambda: core.form_8606(converted=7500, year_end_value=1850, nondeductible_contributions=7500),
        "early_penalty": lambda: core.early_penalty(10000, 45),
        "roth_ira_distribution": lambda: core.roth_ira_distribution(
            10000, 5000, [(2022, 3000, 1000)], distribution_year=2026, age=45
        ),
        "mega_backdoor_room": lambda: core.mega_backdoor_room(2026, 24500, 10000),
        "roth_ira_contribution_limit": lambda: core.roth_ira_contribution_limit(2026, 160000, "SINGLE", 45),
        "irs_limit": lambda: core.irs_limit("annual_additions_limit_415c1A", 2026),
    }
    for name, fn in calls.items():
        t = median_time(lambda fn=fn: [fn() for _ in range(2000)], args.repeat)
        print(f"| {name} | {2000 / t:,.0f} calls/s |")

    print(f"\n## Batch: {args.rows:,} mixed scenarios (prorata_taxable + early_penalty)")
    frame = scenarios(args.rows)
    groups = {name: g.drop(columns="function") for name, g in frame.groupby("function")}

    def vector() -> None:
        for name, g in groups.items():
            batch.run_vectorised(batch.RULES[name], g)

    t_fast = median_time(vector, args.repeat)
    small = scenarios(args.loop_rows)
    small_groups = {name: g.drop(columns="function") for name, g in small.groupby("function")}
    t_loop_small = median_time(lambda: [batch.run_scalar(batch.RULES[n], g) for n, g in small_groups.items()], 1)
    t_loop = t_loop_small * args.rows / args.loop_rows
    print(
        f"| vectorised, exact decimal128 results | {t_fast:.2f} s | {args.rows / t_fast:,.0f} rows/s | peak {peak_mb(vector):,.0f} MB |"
    )
    print(
        f"| scalar loop (measured on {args.loop_rows:,}, extrapolated) | {t_loop:.1f} s | {args.rows / t_loop:,.0f} rows/s |"
    )
    print(f"| ratio loop / vectorised | {t_loop / t_fast:.0f}x |")
    t_file = median_time(lambda: batch.run(frame), args.repeat)
    print(
        f"| batch.run (group, chunk, assemble output frames) | {t_file:.2f} s | {args.rows / t_file:,.0f} rows/s | peak {peak_mb(lambda: batch.run(frame)):,.0f} MB |"
    )
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        t_dask = median_time(lambda: batch.run_dask(frame, client=client, partitions=8), 1)
    print(
        f"| Dask local cluster, 2 worker processes, results as text | {t_dask:.2f} s | {args.rows / t_dask:,.0f} rows/s |"
    )

    print("\n## Headless recalculation: seconds (median), sheet of N rows")
    templates = sorted((Path(__file__).resolve().parents[1] / "workbooks").glob("*.xlsx"))
    for engine in ("formulas", "libreoffice"):
        for path in templates:
            t, memory = recalc_in_fresh_process(path, engine, args.repeat)
            print(f"| {engine} | template {path.name} | {t:.2f} s | {memory:,.0f} MB |")
    with tempfile.TemporaryDirectory() as tmp:
        for engine, n in (("formulas", args.recalc_rows), ("libreoffice", args.lo_rows)):
            for layout in ("per-row", "whole-column", "plain"):
                path = Path(tmp) / f"{engine}-{layout}.xlsx"
                build(path, layout, n)
                repeat = args.repeat if engine == "libreoffice" else args.recalc_repeat
                t, memory = recalc_in_fresh_process(path, engine, repeat)
                what = "Python process" if engine == "formulas" else "LibreOffice"
                print(f"| {engine} | {n:,} rows | {layout} | {t:.2f} s | {what} {memory:,.0f} MB |")
        # target (c): whole-column against plain, in alternating fresh processes (the machine drifts)
        whole, plain = Path(tmp) / "libreoffice-whole-column.xlsx", Path(tmp) / "libreoffice-plain.xlsx"
        pairs = [
            (recalc_in_fresh_process(whole, "libreoffice", 1)[0], recalc_in_fresh_process(plain, "libreoffice", 1)[0])
            for _ in range(args.lo_pairs)
        ]
        w, pl = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
        faster = sum(a <= b for a, b in pairs)
        print(
            f"| libreoffice | {args.lo_rows:,} rows | whole-column / plain, {args.lo_pairs} alternating runs | "
            f"{w:.2f} s / {pl:.2f} s: ratio {w / pl:.3f}, whole-column not slower in {faster} of {len(pairs)} |"
        )
        t = bare_libreoffice(plain, Path(tmp), args.repeat)
        print(
            f"| LibreOffice alone (convert-to, recalculate on load, no values read back) | {args.lo_rows:,} rows | plain | {t:.2f} s | |"
        )
    refusal_costs(args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (whole run): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
