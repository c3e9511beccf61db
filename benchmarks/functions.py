"""Per-function benchmark: batch's vectorised run against the scalar loop, side by side in one run.

For every public function of the registry (:data:`xl_rollover.registry.FUNCTIONS`) a generator makes
realistic sample rows (varied amounts, ages and years taken from the years the data carries; rows the
core accepts, the common case a kernel states), then one run measures ``batch.run`` over ``--rows``
rows and the scalar loop (``run_scalar``: the core one row at a time) over a measured subset of them,
extrapolated, and prints a markdown table. Issue 12's target: batch at least 20x the scalar loop.

Run:  .venv/bin/python benchmarks/functions.py [--rows 100000] [--loop-rows 2000] [--repeat 3] [--only NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the worktree's packages first, as tests do

from xl_rollover.batch import runner as batch
from xl_rollover.core import limits
from xl_rollover.core.columns import COLUMN_RULES, run_columns
from xl_rollover.core.registry import FUNCTIONS

Generator = Callable[[np.random.Generator, int], pd.DataFrame]


def _years(name: str) -> np.ndarray:
    """The tax years the limits table carries for ``name`` (so no generated row asks for an unknown year)."""
    return np.array(limits.years_for(name))


def _money(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """Amounts in dollars and cents, log-uniform between ``low`` and ``high`` (whole cents, as cells hold them)."""
    dollars = np.exp(rng.uniform(np.log(low), np.log(high), n))
    return np.round(dollars * 100) / 100


def _dates(rng: np.random.Generator, first: dt.date, last: dt.date, n: int) -> list[str]:
    """ISO dates between ``first`` and ``last`` (text, as a CSV cell or the CLI gives them)."""
    days = rng.integers(0, (last - first).days + 1, n)
    return [(first + dt.timedelta(days=int(d))).isoformat() for d in days]


def split_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    balance = _money(rng, n, 20_000, 2_000_000)
    basis = np.round(balance * rng.uniform(0.02, 0.6, n), 2)
    distribution = np.round(balance * rng.choice([1.0, 1.0, 0.5, 0.25], n), 2)
    return pd.DataFrame(
        {
            "distribution": distribution,
            "after_tax_basis": basis,
            "account_balance": balance,
            "age": rng.integers(30, 66, n).astype(float),  # before any RMD age: no rmd_amount needed
        }
    )


def prorata_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "converted": _money(rng, n, 1_000, 100_000),
            "basis": _money(rng, n, 500, 80_000),
            "year_end_value": np.where(rng.random(n) < 0.3, 0.0, _money(rng, n, 100, 1_000_000)),
            "distributions": np.where(rng.random(n) < 0.8, 0.0, _money(rng, n, 100, 20_000)),
        }
    )


def form_8606_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nondeductible_contributions": rng.choice([0.0, 6000.0, 6500.0, 7000.0, 7500.0, 8000.0], n),
            "prior_basis": np.where(rng.random(n) < 0.5, 0.0, _money(rng, n, 100, 60_000)),
            "year_end_value": np.where(rng.random(n) < 0.3, 0.0, _money(rng, n, 100, 1_000_000)),
            "distributions": np.where(rng.random(n) < 0.8, 0.0, _money(rng, n, 100, 20_000)),
            "converted": _money(rng, n, 1_000, 100_000),
        }
    )


def penalty_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "taxable_amount": _money(rng, n, 100, 200_000),
            "age": np.round(rng.uniform(25, 75, n), 1),
            "account_type": rng.choice(["IRA", "401K", "403B", "SEP_IRA"], n),  # a Roth IRA: ROTH_IRA_DISTRIBUTION
        }
    )


def _conversions(rng: np.random.Generator, year: int) -> str:
    """One cell of 0-4 conversion layers, ``YEAR:TAXABLE:NONTAXABLE;...``, in years up to ``year``."""
    count = int(rng.choice([0, 1, 1, 2, 2, 3, 4]))
    years = sorted(int(y) for y in rng.choice(np.arange(year - 10, year + 1), count, replace=False))
    layers = []
    for y in years:
        taxable = float(rng.choice([0.0, round(float(rng.uniform(100, 60_000)), 2)]))
        nontaxable = round(float(rng.uniform(0, 60_000)), 2)
        layers.append(f"{y}:{taxable:.2f}:{nontaxable:.2f}")
    return ";".join(layers)


def _roth_basis(rng: np.random.Generator, n: int) -> pd.DataFrame:
    years = rng.integers(2018, 2027, n)
    return pd.DataFrame(
        {
            "regular_contributions": np.where(rng.random(n) < 0.3, 0.0, _money(rng, n, 1_000, 100_000)),
            "conversions": [_conversions(rng, int(y)) for y in years],
            "distribution_year": years,
            "age": np.round(rng.uniform(30, 58, n), 1),  # under 59½: the ordering and recapture matter
        }
    )


def roth_distribution_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    rows = _roth_basis(rng, n)
    rows.insert(0, "amount", _money(rng, n, 500, 150_000))
    return rows


def penalty_free_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return _roth_basis(rng, n)


def room_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    years = rng.choice(_years("annual_additions_limit_415c1A"), n)
    return pd.DataFrame(
        {
            "year": years,
            "employee_deferrals": np.round(rng.uniform(0, 18_000, n), 2),
            "employer_contributions": np.round(rng.uniform(0, 20_000, n), 2),
            "compensation": np.where(rng.random(n) < 0.5, np.nan, _money(rng, n, 60_000, 500_000)),
            "age": rng.integers(25, 70, n).astype(float),
            "after_tax_so_far": np.where(rng.random(n) < 0.7, 0.0, np.round(rng.uniform(0, 5_000, n), 2)),
        }
    )


_STATUSES = np.array(["SINGLE", "MFJ", "HOH", "MFS", "QSS", "MFS_APART"])


def roth_limit_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": rng.choice(_years("roth_ira_contribution_phaseout_start"), n),
            "magi": _money(rng, n, 20_000, 400_000),
            "filing_status": rng.choice(_STATUSES, n),
            "age": rng.integers(20, 80, n).astype(float),
            "compensation": np.where(rng.random(n) < 0.5, np.nan, _money(rng, n, 3_000, 300_000)),
        }
    )


def deduction_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    years = rng.choice(_years("trad_ira_deduction_active_participant_phaseout_start"), n)
    status = rng.choice(_STATUSES, n)
    married = np.isin(status, ["MFJ", "MFS", "MFS_APART"])  # a spouse's coverage is asked of married filers only
    return pd.DataFrame(
        {
            "year": years,
            "magi": _money(rng, n, 20_000, 300_000),
            "filing_status": status,
            "age": rng.integers(20, 70, n).astype(float),  # under 70½: no pre-2020 age bar (IRC 219(d)(1))
            "active_participant": rng.random(n) < 0.6,
            "spouse_active_participant": married & (rng.random(n) < 0.3),
            "compensation": np.where(rng.random(n) < 0.5, np.nan, _money(rng, n, 3_000, 300_000)),
        }
    )


def rmd_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    years = rng.integers(2022, 2027, n)
    births = _dates(rng, dt.date(1925, 1, 1), dt.date(1948, 12, 31), n)  # past the RMD age in every year
    return pd.DataFrame(
        {"year": years, "birth_date": births, "prior_year_end_balance": _money(rng, n, 10_000, 3_000_000)}
    )


def sepp_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    method = rng.choice(["rmd", "amortization"], n)
    return pd.DataFrame(
        {
            "balance": _money(rng, n, 50_000, 2_000_000),
            "birth_date": _dates(rng, dt.date(1966, 1, 1), dt.date(1985, 12, 31), n),
            "year": rng.integers(2022, 2027, n),
            "method": method,
            "interest_rate": np.where(method == "amortization", rng.choice([0.03, 0.04, 0.045, 0.05], n), np.nan),
        }
    )


#: A filing status that reads each filing-status column of the limits table.
_STATUS_OF_COLUMN = {"single_or_hoh": "SINGLE", "mfj": "MFJ", "mfs": "MFS"}


def irs_limit_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    cases = []
    for name in limits.limit_names():
        years = limits.years_for(name)
        statuses = sorted({r.filing_status for r in limits._rows() if r.parameter == name} - {""})
        for year in years or (2026,):
            for status in statuses or [None]:
                cases.append((name, year, _STATUS_OF_COLUMN.get(status)))
    picks = rng.integers(0, len(cases), n)
    return pd.DataFrame([cases[i] for i in picks], columns=["limit_name", "year", "filing_status"])


#: One sample-row generator per registry function, by its Excel name.
GENERATORS: dict[str, Generator] = {
    "ROTH_ROLLOVER_SPLIT": split_rows,
    "PRORATA_TAXABLE": prorata_rows,
    "FORM_8606": form_8606_rows,
    "EARLY_PENALTY": penalty_rows,
    "ROTH_IRA_DISTRIBUTION": roth_distribution_rows,
    "ROTH_PENALTY_FREE": penalty_free_rows,
    "MEGA_BACKDOOR_ROOM": room_rows,
    "ROTH_IRA_LIMIT": roth_limit_rows,
    "IRA_DEDUCTION_LIMIT": deduction_rows,
    "RMD": rmd_rows,
    "SEPP_PAYMENT": sepp_rows,
    "IRS_LIMIT": irs_limit_rows,
}


def sample(name: str, n: int, seed: int = 12) -> pd.DataFrame:
    """``n`` sample rows of the registry function ``name`` (its worksheet argument names as columns)."""
    if name not in GENERATORS:
        raise KeyError(f"no sample-row generator for {name}: add one to benchmarks/functions.py GENERATORS")
    return GENERATORS[name](np.random.default_rng(seed), n).reset_index(drop=True)


def handed_back(name: str, rows: pd.DataFrame) -> int | None:
    """How many rows the column runner hands back to the core (None: the function has no kernel)."""
    core = FUNCTIONS[name].call.__name__
    if core not in COLUMN_RULES:
        return None
    columns = {a: batch._raw_column(rows[a]) for a in COLUMN_RULES[core].readings if a in rows}
    return len(run_columns(core, columns, len(rows))[1])


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name: str, rows: int, loop_rows: int, repeat: int) -> dict[str, object]:
    """Batch over ``rows`` sample rows and the scalar loop over the first ``loop_rows`` of them, in one run."""
    frame = sample(name, rows)
    rule = batch.rule_for(name)
    assert rule is not None
    subset = frame.iloc[: min(loop_rows, rows)]
    t_batch = _median(lambda: batch.run(frame, function=name), repeat)
    t_loop = _median(lambda: batch.run_scalar(rule, subset), repeat)
    batch_rate = rows / t_batch
    scalar_rate = len(subset) / t_loop
    back = handed_back(name, frame)
    return {
        "name": name,
        "rows": rows,
        "batch": batch_rate,
        "scalar": scalar_rate,
        "ratio": batch_rate / scalar_rate,
        "kernel": "no" if back is None else f"yes ({back / rows:.0%} to the core)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows batch runs per function")
    parser.add_argument("--loop-rows", type=int, default=2_000, help="rows of the scalar loop (extrapolated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the median is shown")
    parser.add_argument("--only", action="append", metavar="NAME", help="one function (repeatable), e.g. RMD")
    args = parser.parse_args(argv)
    names = list(FUNCTIONS)
    if args.only:
        chosen = []
        for only in args.only:
            rule = batch.rule_for(only)
            if rule is None:
                parser.error(f"--only {only!r} is not a function; known: {', '.join(FUNCTIONS)}")
            chosen.append(rule.spec.name)
        names = [n for n in names if n in chosen]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}; "
        f"batch over {args.rows:,} rows, scalar loop over {min(args.loop_rows, args.rows):,} (extrapolated), "
        f"median of {args.repeat}\n"
    )
    print("| function | rows | batch rows/s | scalar rows/s | ratio | kernel? |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name in names:
        m = measure(name, args.rows, args.loop_rows, args.repeat)
        print(
            f"| {name} | {m['rows']:,} | {m['batch']:,.0f} | {m['scalar']:,.0f} | {m['ratio']:.1f}x | {m['kernel']} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
