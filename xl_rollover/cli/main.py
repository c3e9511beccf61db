"""The ``xl-rollover`` command: the core rules from a shell, text or ``--json``.

Exit codes: 0 done; 2 bad input (the message names the argument); 3 a case the rules refuse.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from xl_rollover import __version__
from xl_rollover.core import demo
from xl_rollover.core.errors import InputError, UnsupportedCase, XlRolloverError
from xl_rollover.core.explain import Result
from xl_rollover.core.limits import irs_limit
from xl_rollover.core.money import to_decimal
from xl_rollover.core.rules.contribution_limits import (
    mega_backdoor_room,
    roth_ira_contribution_limit,
    traditional_ira_deduction_limit,
)
from xl_rollover.core.rules.early_penalty import early_penalty
from xl_rollover.core.rules.form_8606 import form_8606, prorata_taxable
from xl_rollover.core.rules.rmd import required_minimum_distribution
from xl_rollover.core.rules.roth_ordering import roth_ira_distribution
from xl_rollover.core.rules.sepp import sepp_payment
from xl_rollover.core.rules.split import roth_rollover_split


def _age(text: str) -> Any:
    """``45`` / ``59.5`` or ``BIRTH_DATE:DISTRIBUTION_DATE`` (ISO dates)."""
    if ":" in text:
        birth, _, on = text.partition(":")
        return (birth, on)
    return text


def _places(text: str) -> str | None:
    """``none``/``full`` for the unrounded ratio; anything else goes to the core's bounded number parser."""
    return None if text.strip().lower() in ("none", "full") else text


def _fields(text: str, count: int, option: str) -> list[str]:
    parts = text.split(":")
    if len(parts) != count:
        raise InputError(f"{option} {text!r} must have {count} parts separated by ':'")
    return parts


def _drac(text: str) -> tuple[str, str, str, bool]:
    year, contributions, earnings, qualified = _fields(text, 4, "--roth-401k-rollover")
    if qualified.lower() not in ("yes", "no", "true", "false"):
        raise InputError(f"--roth-401k-rollover qualified {qualified!r} must be yes or no")
    return year, contributions, earnings, qualified.lower() in ("yes", "true")


def _add_spousal(parser: argparse.ArgumentParser) -> None:
    """The spousal IRA inputs (IRC §219(c)) the two IRA limits share."""
    parser.add_argument(
        "--spouse-compensation",
        help="MFJ only: the spouse's taxable compensation; counts when yours is less (IRC §219(c)); needs --compensation",
    )
    parser.add_argument(
        "--spouse-ira-contributions",
        default="0",
        help="with --spouse-compensation: the spouse's own traditional and Roth IRA contributions for the year",
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result and its explanation as JSON")
    parser.add_argument("--no-explain", action="store_true", help="print the result table only")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xl-rollover",
        description="Exact, cited tax maths for retirement rollovers (Notice 2014-54, Form 8606, §72(t)).",
    )
    parser.add_argument("--version", action="version", version=f"xl-rollover {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("split", help="split a plan distribution between Roth IRA, traditional IRA and cash")
    p.add_argument("distribution")
    p.add_argument("after_tax_basis")
    p.add_argument("account_balance")
    p.add_argument("--to-roth-ira", help="default: exactly the after-tax share")
    p.add_argument("--to-traditional", help="default: everything not sent to the Roth IRA")
    p.add_argument("--rolled-60day-roth", default="0")
    p.add_argument("--rolled-60day-traditional", default="0")
    p.add_argument("--age", type=_age, help="years (45, 59.5) or BIRTH:DISTRIBUTION dates (1980-05-01:2026-03-01)")
    p.add_argument("--rmd-amount", help="required minimum distribution still due this year (0: none due)")
    p.add_argument(
        "--separated-age-55",
        action="store_true",
        help="left the employer in or after the year of turning 55 (50: qualified public safety): code 2",
    )
    p.add_argument("--annuity-payment", action="store_true", help="an annuity payment (refused: §72(b), §72(d))")
    p.add_argument(
        "--includes-designated-roth", action="store_true", help="includes Roth 401(k) money (refused: §402A(d)(4))"
    )
    p.add_argument(
        "--pre-1987-basis", action="store_true", help="basis includes pre-1987 contributions (refused: §72(e)(8)(D))"
    )
    _add_common(p)

    p = sub.add_parser("prorata", help="taxable part of a Roth conversion under the IRA pro-rata rule")
    p.add_argument("converted")
    p.add_argument("basis", help="Form 8606 line 5")
    p.add_argument("year_end_value", help="all traditional, SEP and SIMPLE IRAs on December 31")
    p.add_argument("--distributions", default="0")
    p.add_argument("--outstanding-rollovers", default="0")
    p.add_argument("--ratio-decimals", type=_places, default=3, help="places for line 10 (default 3; 'none')")
    _add_common(p)

    p = sub.add_parser("form-8606", help="Form 8606 Parts I and II line by line")
    for name in (
        "converted",
        "year-end-value",
        "distributions",
        "nondeductible-contributions",
        "prior-basis",
        "late-contributions",
        "outstanding-rollovers",
    ):
        p.add_argument(f"--{name}", default="0")
    p.add_argument("--ratio-decimals", type=_places, default=3)
    _add_common(p)

    p = sub.add_parser("penalty", help="the §72(t) additional tax on an early distribution")
    p.add_argument("taxable_amount")
    p.add_argument("age", type=_age, help="years or BIRTH:DISTRIBUTION dates")
    p.add_argument("--account-type", default="IRA")
    p.add_argument("--exception", help="Form 5329 number (1-23) or key, e.g. first_home")
    p.add_argument("--exception-amount")
    p.add_argument("--tax-year")
    p.add_argument("--simple-first-two-years", action="store_true")
    p.add_argument("--exception-count", help="exception 19: number of children born or adopted ($5,000 each)")
    p.add_argument("--first-home-used", help="first-home amounts used in earlier years (of the $10,000 lifetime)")
    _add_common(p)

    p = sub.add_parser("limit", help="an annual limit from the shipped table, with its source")
    p.add_argument("name")
    p.add_argument("year")
    p.add_argument("--filing-status")
    _add_common(p)

    p = sub.add_parser("roth-withdrawal", help="tax and penalty on a year's Roth IRA distributions (ordering, clocks)")
    p.add_argument("amount")
    p.add_argument("--regular-contributions", default="0")
    p.add_argument(
        "--conversion",
        action="append",
        default=[],
        metavar="YEAR:TAXABLE:NONTAXABLE",
        help="a conversion or plan-rollover layer; repeat for each year",
    )
    p.add_argument(
        "--roth-401k-rollover",
        action="append",
        default=[],
        metavar="YEAR:CONTRIBUTIONS:EARNINGS:QUALIFIED",
        help="a designated Roth rollover (QUALIFIED is yes or no)",
    )
    p.add_argument("--distribution-year", required=True)
    p.add_argument("--age", type=_age, required=True)
    p.add_argument("--first-roth-year")
    p.add_argument("--exception")
    p.add_argument("--qualifying-event", choices=["death", "disability", "first_home"])
    p.add_argument("--first-home-used", help="first-home amounts used in earlier years (of the $10,000 lifetime)")
    _add_common(p)

    p = sub.add_parser("room", help="after-tax (mega backdoor) room left under §415(c)")
    p.add_argument("year")
    p.add_argument("employee_deferrals")
    p.add_argument("employer_contributions")
    p.add_argument("--compensation")
    p.add_argument("--age")
    p.add_argument("--after-tax-so-far", default="0")
    _add_common(p)

    p = sub.add_parser("roth-limit", help="Roth IRA contribution limit after the MAGI phase-out")
    p.add_argument("year")
    p.add_argument("magi")
    p.add_argument("filing_status", help="SINGLE, HOH, MFJ, MFS, MFS_APART, QSS")
    p.add_argument("age")
    p.add_argument("--compensation", help="taxable compensation (the limit never exceeds it; default: not applied)")
    p.add_argument(
        "--traditional-contributions",
        default="0",
        help="contributions for the year to traditional IRAs; they come off the Roth limit (IRC §408A(c)(2)(B))",
    )
    _add_spousal(p)
    _add_common(p)

    p = sub.add_parser("ira-deduction", help="deductible traditional IRA contribution after the §219(g) phase-out")
    p.add_argument("year")
    p.add_argument("magi")
    p.add_argument("filing_status")
    p.add_argument("age")
    p.add_argument("--active-participant", action="store_true")
    p.add_argument("--spouse-active-participant", action="store_true")
    p.add_argument("--compensation", help="taxable compensation (default: not applied)")
    _add_spousal(p)
    _add_common(p)

    p = sub.add_parser("rmd", help="required minimum distribution for a year (Uniform Lifetime Table)")
    p.add_argument("year")
    p.add_argument("birth_date", help="YYYY-MM-DD")
    p.add_argument("prior_year_end_balance", help="the balance on December 31 of the year before")
    p.add_argument("--spouse-birth-date", help="YYYY-MM-DD, with --spouse-sole-beneficiary")
    p.add_argument("--spouse-sole-beneficiary", action="store_true")
    p.add_argument("--inherited", action="store_true", help="an inherited account (refused: not covered)")
    _add_common(p)

    p = sub.add_parser("sepp", help="annual payment of a §72(t) SEPP series (Notice 2022-6)")
    p.add_argument("balance")
    p.add_argument("birth_date", help="YYYY-MM-DD")
    p.add_argument("year")
    p.add_argument("method", help="rmd or amortization (annuitization is refused)")
    p.add_argument("--interest-rate", help="a fraction, 0.05 for 5%%; required for amortization")
    p.add_argument(
        "--life-table",
        default="single",
        help="single (default), joint (with --beneficiary-birth-date), uniform (from 72)",
    )
    p.add_argument("--beneficiary-birth-date", help="YYYY-MM-DD, for --life-table joint")
    p.add_argument("--rate-cap", help="120%% of the federal mid-term rate (the limit is the greater of it and 5%%)")
    _add_common(p)

    p = sub.add_parser("calc", help="recalculate an .xlsx headless with the project's functions; write a new workbook")
    p.add_argument("workbook", metavar="WORKBOOK")
    p.add_argument("-o", "--output", help="the new workbook (default: WORKBOOK's name + .calculated.xlsx, here)")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists (never the input)")
    p.add_argument(
        "--engine",
        choices=["formulas", "libreoffice"],
        default="formulas",
        help="formulas (pure Python, default) or libreoffice (headless Calc, for large sheets)",
    )
    p.add_argument("--timeout", default="120", help="seconds the engine may take before it is stopped (default 120)")
    p.add_argument("--json", action="store_true", help="print every formula cell's value as JSON")

    p = sub.add_parser("report", help="a client PDF from a template or a filled workbook (LibreOffice headless)")
    p.add_argument("workbook", metavar="WORKBOOK")
    p.add_argument("-o", "--output", required=True, help="the PDF to write (REPORT.pdf)")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    p.add_argument("--engine", choices=["formulas", "libreoffice"], default="formulas", help="recalculation engine")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds LibreOffice may take before it is stopped")

    p = sub.add_parser("batch", help="run a file of client scenarios (CSV, XLSX, Parquet), one per row")
    p.add_argument("input", metavar="INPUT")
    p.add_argument(
        "-o", "--output", required=True, help="results file: .xlsx (one sheet per function), .csv or .parquet"
    )
    p.add_argument("--function", help="the function for every row (otherwise the 'function' column)")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    p.add_argument(
        "--engine", choices=["local", "dask"], default="local", help="local pandas (default) or a Dask cluster"
    )
    p.add_argument(
        "--scheduler", help="with --engine dask: address of an existing scheduler (default: a local cluster)"
    )

    p = sub.add_parser("lite", help="write main.py and requirements.txt for xlwings Lite into DIR")
    p.add_argument("directory", metavar="DIR")

    p = sub.add_parser("demo", help="the seed client case, computed end to end")
    p.add_argument("--marginal-rate", default="0.24", help="assumed marginal income-tax rate (default 0.24)")
    p.add_argument("--explain", action="store_true", help="also print every rule applied, with citations")
    p.add_argument("--json", action="store_true")
    return parser


def _print_result(result: Result, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    print(result)
    if not args.no_explain:
        print("\nHow this was worked out")
        for number, step in enumerate(result.explain(), 1):
            print(f"{number}. {step}")


def _run(args: argparse.Namespace) -> int:
    calls: dict[str, Callable[[], Result]] = {
        "split": lambda: roth_rollover_split(
            args.distribution,
            args.after_tax_basis,
            args.account_balance,
            args.to_roth_ira,
            args.to_traditional,
            args.rolled_60day_roth,
            args.rolled_60day_traditional,
            args.age,
            args.rmd_amount,
            args.separated_age_55,
            args.annuity_payment,
            args.includes_designated_roth,
            args.pre_1987_basis,
        ),
        "prorata": lambda: prorata_taxable(
            args.converted,
            args.basis,
            args.year_end_value,
            args.distributions,
            args.outstanding_rollovers,
            args.ratio_decimals,
        ),
        "form-8606": lambda: form_8606(
            args.converted,
            args.year_end_value,
            args.distributions,
            args.nondeductible_contributions,
            args.prior_basis,
            args.late_contributions,
            args.outstanding_rollovers,
            args.ratio_decimals,
        ),
        "penalty": lambda: early_penalty(
            args.taxable_amount,
            args.age,
            args.account_type,
            args.exception,
            args.exception_amount,
            args.tax_year,
            args.simple_first_two_years,
            args.exception_count,
            args.first_home_used,
        ),
        "limit": lambda: irs_limit(args.name, args.year, args.filing_status),
        "roth-withdrawal": lambda: roth_ira_distribution(
            args.amount,
            args.regular_contributions,
            [_fields(c, 3, "--conversion") for c in args.conversion],
            distribution_year=args.distribution_year,
            age=args.age,
            first_roth_year=args.first_roth_year,
            exception=args.exception,
            qualifying_event=args.qualifying_event,
            roth_401k_rollovers=[_drac(r) for r in args.roth_401k_rollover],
            first_home_used=args.first_home_used,
        ),
        "room": lambda: mega_backdoor_room(
            args.year,
            args.employee_deferrals,
            args.employer_contributions,
            args.compensation,
            args.age,
            args.after_tax_so_far,
        ),
        "roth-limit": lambda: roth_ira_contribution_limit(
            args.year,
            args.magi,
            args.filing_status,
            args.age,
            args.compensation,
            args.traditional_contributions,
            args.spouse_compensation,
            args.spouse_ira_contributions,
        ),
        "ira-deduction": lambda: traditional_ira_deduction_limit(
            args.year,
            args.magi,
            args.filing_status,
            args.age,
            args.active_participant,
            args.spouse_active_participant,
            args.compensation,
            args.spouse_compensation,
            args.spouse_ira_contributions,
        ),
        "rmd": lambda: required_minimum_distribution(
            args.year,
            args.birth_date,
            args.prior_year_end_balance,
            args.spouse_birth_date,
            args.spouse_sole_beneficiary,
            args.inherited,
        ),
        "sepp": lambda: sepp_payment(
            args.balance,
            args.birth_date,
            args.year,
            args.method,
            args.interest_rate,
            args.life_table,
            args.beneficiary_birth_date,
            args.rate_cap,
        ),
    }
    if args.command == "calc":
        return _calc(args)
    if args.command == "report":
        from xl_rollover.templates import report  # needs the `calc` extra and LibreOffice

        written = report.write_report(args.workbook, args.output, args.overwrite, args.engine, args.timeout)
        print(f"wrote {written.path} ({written.pages} pages) for {written.client or 'no client named'}")
        return 0
    if args.command == "batch":
        return _batch(args)
    if args.command == "lite":
        from xl_rollover.excel import lite  # the Excel layer; imported only when asked for

        for path in lite.write(args.directory):
            print(f"wrote {path}")
        print("paste main.py and requirements.txt into xlwings Lite's editor (see README: Use it in Excel)")
        return 0
    if args.command == "demo":
        rate = to_decimal(args.marginal_rate, "marginal_rate")
        if not Decimal(0) <= rate < Decimal(1):
            raise InputError(f"marginal_rate {args.marginal_rate} must be a fraction from 0 to 1 (e.g. 0.24)")
        result = demo.run(rate)
        if args.json:
            print(json.dumps(demo.as_dict(result), indent=2, ensure_ascii=False))
        else:
            print(demo.render(result))
            if args.explain:
                print(demo.explain(result))
        return 0
    _print_result(calls[args.command](), args)
    return 0


class _ProgressBar:
    """A progress bar on standard error that moves at least once a second (elapsed time), even between reports."""

    def __init__(self) -> None:
        import threading
        import time

        self._time = time.monotonic
        self.start = self._time()
        self.phase, self.done, self.total = "running", 0, 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True)
        self._thread.start()

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self.done, self.total = done, total

    def _draw(self) -> None:
        with self._lock:
            done, total, phase = self.done, self.total, self.phase
        width = 30
        filled = width * done // max(total, 1)
        seconds = self._time() - self.start
        bar = f"{'#' * filled}{'.' * (width - filled)}"
        print(f"\r{phase:<8} [{bar}] {done:,}/{total:,} rows {seconds:5.0f} s", end="", file=sys.stderr, flush=True)

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def writing(self) -> None:
        with self._lock:
            self.phase, self.done = "writing", 0

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._draw()
        print(file=sys.stderr)


#: Exit codes of ``batch`` (README, Command line): rows that failed never change the code beyond 1.
BATCH_OK, BATCH_ROWS_FAILED, BATCH_INPUT_ERROR, BATCH_IO_ERROR = 0, 1, 2, 4


def _batch(args: argparse.Namespace) -> int:
    """Run a scenario file: exit 0 if every row succeeded, 1 if some failed (counted in the summary line).

    2: bad arguments or input (the file, a column, the output path refused); 4: the system failed us
    (reading or writing a file, out of memory); the target is then left as it was.
    """
    import signal

    from xl_rollover.batch import files as batch_io
    from xl_rollover.batch import runner as batch  # needs the `batch` extra (pandas)

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds: the temporary output is removed, the target untouched

    try:
        previous: Any = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: the caller owns signals
        previous = None
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        batch_io.check_target(args.output, args.input, args.overwrite)
        frame = batch.read(args.input)
        if args.engine == "dask":
            results = batch.run_dask(frame, args.function, scheduler=args.scheduler)
        else:
            results = batch.run(frame, args.function, bar)
        if bar is not None:
            bar.writing()
        batch.write(results, args.output, source=args.input, overwrite=args.overwrite, progress=bar)
    except MemoryError:
        print("xl-rollover: error: out of memory; split the input or use --engine dask", file=sys.stderr)
        return BATCH_IO_ERROR
    except OSError as exc:
        print(f"xl-rollover: error: {exc.strerror or type(exc).__name__}: {exc.filename or ''}", file=sys.stderr)
        return BATCH_IO_ERROR
    finally:
        if bar is not None:
            bar.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    failed = batch.failed_rows(results)
    rows = sum(len(f) for f in results.values())
    print(f"{rows:,} scenario(s), {failed:,} failed -> {args.output}")
    listed = sorted(
        (
            row
            for f in results.values()
            for row in f.loc[f[batch.ERROR].notna(), [batch.ROW, batch.FUNCTION, batch.ERROR]]
            .head(5)
            .itertuples(index=False)
        ),
        key=lambda r: int(r[0]),
    )[:5]
    for number, name, message in listed:
        print(f"xl-rollover: row {number} ({name or 'no function'}): {message}", file=sys.stderr)
    if failed > len(listed):
        print(f"xl-rollover: ... {failed - len(listed):,} more; see the error column of {args.output}", file=sys.stderr)
    return BATCH_ROWS_FAILED if failed else BATCH_OK


def _calc(args: argparse.Namespace) -> int:
    """Recalculate a workbook; exit 1 when a formula cell ends in an error, 143 when stopped by SIGTERM."""
    from pathlib import Path

    from xl_rollover.engines import child, recalc  # needs the `calc` extra (formulas)

    source = Path(args.workbook)
    suffix = ".xlsm" if source.suffix.lower() == ".xlsm" else ".xlsx"
    output = Path(args.output) if args.output else Path(source.stem + ".calculated" + suffix)
    try:
        with child.stop_on_sigterm():
            result = recalc.calculate(
                source, output, overwrite=args.overwrite, engine=args.engine, timeout=args.timeout
            )
    except child.Stopped:
        print(f"xl-rollover: stopped by SIGTERM; {output} was not written", file=sys.stderr)
        return child.EXIT_TERMINATED
    if args.json:
        print(
            json.dumps(
                {"output": str(output), "values": result.values, "errors": result.errors, "messages": result.messages},
                indent=2,
                default=str,
            )
        )
    else:
        print(f"recalculated {source} -> {output} ({len(result.values)} formula cells)")
        for name, label, value in recalc.named_values(output):
            print(f"  {label[:64]:<64} {recalc.show(name, value):>16}")
    if result.errors:
        for cell, error in result.errors.items():
            why = " (a function this engine does not know)" if error == "#NAME?" else ""
            print(f"xl-rollover: {cell}: {error} from ={result.formulas.get(cell, '?')}{why}", file=sys.stderr)
        for message in dict.fromkeys(result.messages):
            print(f"xl-rollover:   {message}", file=sys.stderr)
        print(f"xl-rollover: {len(result.errors)} formula cell(s) ended in an error", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except UnsupportedCase as exc:
        print(f"xl-rollover: not supported: {exc}", file=sys.stderr)
        return 3
    except XlRolloverError as exc:
        print(f"xl-rollover: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
