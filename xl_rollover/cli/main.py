"""The ``xl-rollover`` command: the core rules from a shell, text or ``--json``.

Exit codes: 0 done; 2 bad input (the message names the argument); 3 a case the rules refuse; 4, 70, 130, 141:
see :func:`main`.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from xl_rollover import __version__
from xl_rollover.core import demo
from xl_rollover.core.errors import InputError, UnsupportedCase, XlRolloverError
from xl_rollover.core.explain import Result, show
from xl_rollover.core.money import one_line, said, shown, to_decimal
from xl_rollover.core.registry import FUNCTIONS, Function, Param


def _age(text: str) -> Any:
    """``45`` / ``59.5`` or ``BIRTH_DATE:DISTRIBUTION_DATE`` (ISO dates)."""
    if ":" in text:
        birth, _, on = text.partition(":")
        return (birth, on)
    return text


def _places(text: str) -> str | None:
    """``none``/``full``/``-1`` for the unrounded ratio; anything else goes to the core's bounded number parser."""
    return None if text.strip().lower() in ("none", "full", "-1") else text


def _fields(text: str, count: int, option: str) -> list[str]:
    parts = text.split(":")
    if len(parts) != count:
        raise InputError(f"{option} {shown(text)} must have {count} parts separated by ':'")
    return parts


def _drac(text: str) -> list[str]:
    """``YEAR:CONTRIBUTIONS:EARNINGS:QUALIFIED`` as typed: the core reads each part (QUALIFIED as a yes/no flag)."""
    return _fields(text, 4, "--roth-401k-rollover")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result and its explanation as JSON")
    parser.add_argument("--no-explain", action="store_true", help="print the result table only")


# --- the function subcommands, made from the registry ---------------------------------------------
# Each registry entry with a ``cli`` name is a subcommand: a required argument is positional, an optional
# one ``--name-with-dashes`` (Param.cli spells the exceptions), read by its kind; the help is the
# worksheet function's, in the shell's words; the dispatch calls the core with the keywords given.

#: How each kind of argument is read from the command line (value, text, date: as typed, for the core).
_TYPES: dict[str, Callable[[str], Any]] = {"age": _age, "ratio": _places}
_METAVARS = {"date": "YYYY-MM-DD", "ratio": "PLACES"}

#: The worksheet's words for a cell, in the shell's words (help text only).
_SHELL_WORDS: tuple[tuple[str, str], ...] = (
    (r"^Optional\. ", ""),
    (r"^Optional, with ", "With "),
    (r"^Optional, ", ""),
    (r"^TRUE if ", "If "),
    (r"^TRUE for ", "For "),
    (r" Default FALSE\.$", ""),
    (r"Blank = 0\.", "Default 0."),
    (r"\(a date cell or YYYY-MM-DD\)", "(YYYY-MM-DD)"),
    (r", or two cells: ([^,]+), ([^.]+)", r" (45, 59.5), or BIRTH:DATE, the \1 and \2 as YYYY-MM-DD"),
    (r"-1 for no rounding", "none (or -1) for no rounding"),
)


def _core_keyword(param: Param) -> str:
    return param.core or param.name


def _option(param: Param) -> str:
    """The argument's spelling: ``--name-with-dashes`` for an option, the core keyword for a positional."""
    if param.cli is not None:
        return param.cli
    if param.required and param.kind != "flag":
        return _core_keyword(param)
    return "--" + param.name.replace("_", "-")


def _table_metavar(param: Param) -> str:
    return ":".join(column.split()[0].upper() for column in param.columns)


def _shell_help(entry: Function, param: Param) -> str:
    """The worksheet function's help for one argument, in the shell's words (options for argument names)."""
    text = param.help
    if param.kind == "table":
        each = re.search(r" of each ([^.]+)\.", text)
        what = each.group(1) if each else "row"
        text = f"Each {what}, as {_table_metavar(param)}; repeat the option for each."
    for pattern, replacement in _SHELL_WORDS:
        text = re.sub(pattern, replacement, text)
    for other in entry.params:
        if "_" in other.name and other.kind != "output" and _option(other).startswith("--"):
            text = re.sub(rf"\b{other.name}\b", _option(other), text)
    return text.replace("%", "%%")  # argparse formats help with %


def _core_default_missing(entry: Function, param: Param) -> bool:
    """True when the core takes no default for this argument (the command line must then be given it)."""
    parameter = inspect.signature(entry.call).parameters.get(_core_keyword(param))
    return parameter is not None and parameter.default is inspect.Parameter.empty


def add_function_command(sub: Any, entry: Function) -> argparse.ArgumentParser:
    """The registry entry as a subcommand: its arguments, their help, types and defaults."""
    parser: argparse.ArgumentParser = sub.add_parser(
        entry.cli, help=entry.summary.replace("%", "%%"), description=entry.description
    )
    for param in entry.params:
        if param.kind == "output":
            continue  # the command prints every field (text or --json)
        spelling, dest = _option(param), _core_keyword(param)
        help_text = _shell_help(entry, param)
        if not spelling.startswith("--"):
            parser.add_argument(spelling, type=_TYPES.get(param.kind, str), help=help_text)
        elif param.kind == "flag":
            parser.add_argument(spelling, dest=dest, action="store_true", help=help_text)
        elif param.kind == "table":
            parser.add_argument(
                spelling,
                dest=dest,
                action="append",
                default=argparse.SUPPRESS,
                metavar=_table_metavar(param),
                required=_core_default_missing(entry, param),
                help=help_text,
            )
        else:
            parser.add_argument(
                spelling,
                dest=dest,
                type=_TYPES.get(param.kind, str),
                default=argparse.SUPPRESS,
                metavar=_METAVARS.get(param.kind),
                required=_core_default_missing(entry, param),
                help=help_text,
            )
    for option, dest, _read, metavar, help_text in _EXTRAS.get(entry.name, ()):
        parser.add_argument(
            option, dest=dest, action="append", default=argparse.SUPPRESS, metavar=metavar, help=help_text
        )
    _add_common(parser)
    parser.set_defaults(function_entry=entry)
    return parser


#: Core inputs a function's worksheet form does not take, so the registry does not declare them:
#: (option, core keyword, reading of each occurrence, metavar, help), by Excel name.
_EXTRAS: dict[str, tuple[tuple[str, str, Callable[[str], Any], str, str], ...]] = {
    "ROTH_IRA_DISTRIBUTION": (
        (
            "--roth-401k-rollover",
            "roth_401k_rollovers",
            _drac,
            "YEAR:CONTRIBUTIONS:EARNINGS:QUALIFIED",
            "A designated Roth (Roth 401(k)) rollover in (QUALIFIED is yes or no); repeat for each.",
        ),
    ),
}


def call_function(entry: Function, args: argparse.Namespace) -> Result:
    """Run the entry's core callable with the arguments given (those left out take the core's defaults)."""
    given = vars(args)
    kwargs: dict[str, Any] = {}
    for param in entry.params:
        key = _core_keyword(param)
        if param.kind == "output" or key not in given:
            continue
        value = given[key]
        if param.kind == "table":
            value = [_fields(row, len(param.columns), _option(param)) for row in value]
        kwargs[key] = value
    for _option_name, dest, read, _metavar, _help in _EXTRAS.get(entry.name, ()):
        if dest in given:
            kwargs[dest] = [read(row) for row in given[dest]]
    return entry.call(**kwargs)


def build_parser(functions: Mapping[str, Function] = FUNCTIONS) -> argparse.ArgumentParser:
    """The ``xl-rollover`` parser: a subcommand per registry function (``functions``), then the tools."""
    parser = argparse.ArgumentParser(
        prog="xl-rollover",
        description="Exact, cited tax maths for retirement rollovers (Notice 2014-54, Form 8606, §72(t)).",
    )
    parser.add_argument("--version", action="version", version=f"xl-rollover {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for entry in functions.values():
        if entry.cli is not None:
            add_function_command(sub, entry)

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
    p.add_argument(
        "--logo", metavar="FILE", help="the firm's logo (PNG or JPEG) on every page; default: the workbook's Logo cell"
    )

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


def result_text(entry: Function, result: Result) -> str:
    """A result for people: the function and what it answers, its answer (the default output) first, every figure."""
    title = f"{entry.name}: {entry.summary}" if entry.summary else entry.name
    lines = [title, "-" * len(title)]
    if entry.default_output is not None:
        flat = result.flat()  # the field names the worksheet's `output` argument takes
        if entry.default_output in flat:
            lines += [f"Answer: {entry.default_output} {show(flat[entry.default_output])}", ""]
    return "\n".join([*lines, result.table_text()])


def _print_result(entry: Function, result: Result, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    print(result_text(entry, result))
    if not args.no_explain:
        print("\nHow this was worked out")
        for number, step in enumerate(result.explain(), 1):
            print(f"{number}. {step}")


def _run(args: argparse.Namespace) -> int:
    if args.command == "calc":
        return _calc(args)
    if args.command == "report":
        from xl_rollover.templates import report  # needs the `calc` and `report` extras and LibreOffice

        written = report.write_report(
            args.workbook, args.output, args.overwrite, args.engine, args.timeout, logo=args.logo
        )
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
    _print_result(args.function_entry, call_function(args.function_entry, args), args)
    return 0


class _ProgressBar:
    """A progress bar on standard error that moves at least once a second (elapsed time), even between reports.

    ``clock`` (seconds, monotonic) and ``wait`` (block up to the given seconds; True once the bar is closed) are
    the wall-time parts, injectable so a test can drive the redraw loop without sleeping.
    """

    #: Seconds between redraws when nothing reports: under one, so the bar moves at least once a second.
    INTERVAL = 0.5

    def __init__(self, clock: Callable[[], float] | None = None, wait: Callable[[float], bool] | None = None) -> None:
        import threading
        import time

        self._time = clock or time.monotonic
        self.start = self._time()
        self.phase, self.done, self.total = "running", 0, 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
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
        while not self._wait(self.INTERVAL):
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
        where = f"row {number} ({name})" if name else f"row {number}"  # an unknown name: its message says it
        print(f"xl-rollover: {where}: {message}", file=sys.stderr)
    if failed > len(listed):
        print(f"xl-rollover: ... {failed - len(listed):,} more; see the error column of {args.output}", file=sys.stderr)
    return BATCH_ROWS_FAILED if failed else BATCH_OK


def _calc(args: argparse.Namespace) -> int:
    """Recalculate a workbook; exit 1 when a formula cell ends in an error, 143 when stopped by SIGTERM."""
    from pathlib import Path

    from xl_rollover.engines import child, recalc  # needs the `calc` extra (formulas)
    from xl_rollover.engines.number_format import shown

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
        for _, label, value, number_format in recalc.named_values(output):
            print(f"  {label[:64]:<64} {shown(value, number_format):>16}")  # as the cell shows it
    if result.errors:
        for cell, error in result.errors.items():
            why = " (a function this engine does not know)" if error == "#NAME?" else ""
            print(f"xl-rollover: {cell}: {error} from ={result.formulas.get(cell, '?')}{why}", file=sys.stderr)
        for message in dict.fromkeys(result.messages):
            print(f"xl-rollover:   {message}", file=sys.stderr)
        print(f"xl-rollover: {len(result.errors)} formula cell(s) ended in an error", file=sys.stderr)
        return 1
    return 0


#: Exit codes beyond the rules' (README, Command line): the system failed us (a file, standard output, memory),
#: standard output closed early (a pipe, as 128 + SIGPIPE), interrupted (128 + SIGINT), a fault of ours.
EXIT_SYSTEM, EXIT_PIPE, EXIT_INTERRUPTED, EXIT_INTERNAL = 4, 141, 130, 70


def _line(message: object) -> str:
    """A message as one line: a line break in it (from a file's name, a library's text) written escaped."""
    return one_line(str(message).strip())


def _drop_stdout() -> None:
    """Standard output cannot take more (a closed pipe, a full disk): point it at the null device, so the
    interpreter's last flush at exit does not fail again with a traceback."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real file behind sys.stdout (a test's capture)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """The command: one line on standard error and an exit code for every failure, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = _run(args)
        if sys.stdout is not None:  # None: started with standard output closed (Python then prints nothing)
            sys.stdout.flush()  # a full disk or a closed pipe behind standard output is reported here, not at exit
        return code
    except UnsupportedCase as exc:
        print(f"xl-rollover: not supported: {_line(exc)}", file=sys.stderr)
        return 3
    except XlRolloverError as exc:
        print(f"xl-rollover: error: {_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped early (``| head``): nothing to say, nobody to say it to
        _drop_stdout()
        return EXIT_PIPE
    except OSError as exc:
        where = f": {_line(exc.filename)}" if exc.filename else " (standard output)"  # files are named where written
        print(f"xl-rollover: error: {exc.strerror or type(exc).__name__}{where}", file=sys.stderr)
        if not exc.filename:
            _drop_stdout()
        return EXIT_SYSTEM
    except MemoryError:
        print("xl-rollover: error: out of memory", file=sys.stderr)
        return EXIT_SYSTEM
    except KeyboardInterrupt:
        print("xl-rollover: interrupted; nothing more was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last net: a fault of ours, named in one line for a report
        print(f"xl-rollover: internal error ({type(exc).__name__}: {said(exc)}); please report it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
