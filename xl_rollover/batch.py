"""Run a book of client scenarios at once: one pass per rule over whole pandas columns.

Money is carried as exact integer cents (``int64``) and every rounding is the core's half-up rule
done in integer arithmetic, so the vectorised path gives the scalar core's figures to the cent (a
test proves it on random inputs). Rows the vectorised path does not model (an exception code, an
unrounded ratio, text in a number cell, a zero denominator, ...) go through the scalar core one by
one, so their results and error messages are the core's own. pandas is imported only here; the core
stays standard library only.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .age import MAX_AGE
from .errors import XlRolloverError
from .explain import Result
from .money import MAX_CENTS
from .rules.contribution_limits import (
    mega_backdoor_room,
    roth_ira_contribution_limit,
    traditional_ira_deduction_limit,
)
from .rules.early_penalty import CENTS_PLACES as PENALTY_PLACES
from .rules.early_penalty import TEN_PERCENT_ACCOUNTS, early_penalty, penalty_cents
from .rules.form_8606 import CENTS_PLACES as PRORATA_PLACES
from .rules.form_8606 import prorata_cents, prorata_taxable
from .rules.rmd import required_minimum_distribution
from .rules.sepp import sepp_payment
from .rules.split import roth_rollover_split


@dataclass(frozen=True)
class Rule:
    """A function batch runs: its core call, its arguments, and (optionally) a vectorised pass."""

    name: str
    call: Callable[..., Result]
    args: tuple[str, ...]
    vectorised: Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.Series]] | None = None


# --- integer-cent helpers ------------------------------------------------------------------


def _cents(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Column as int cents, and a mask of rows that are clean numbers (finite, >= 0, whole cents, in range)."""
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    scaled = np.round(values * 100)
    ok = np.isfinite(values) & (values >= 0) & (np.abs(values * 100 - scaled) < 1e-6) & (scaled <= MAX_CENTS)
    return np.where(ok, scaled, 0).astype(np.int64), ok


def _blank(column: pd.Series | None, n: int) -> np.ndarray:
    if column is None:
        return np.ones(n, dtype=bool)
    return column.isna().to_numpy() | (column.astype(str).str.strip() == "").to_numpy()


# --- vectorised rules ----------------------------------------------------------------------


class _Columns:
    """numpy's element operations for the integer-cent rules (see :class:`xl_rollover.money.ScalarOps`)."""

    where = staticmethod(np.where)
    minimum = staticmethod(np.minimum)


def _prorata_vector(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Form 8606 lines 5-18 for whole columns: :func:`prorata_cents` over int64 cent columns."""
    n = len(frame)
    line8, ok8 = _cents(frame["converted"])
    line5, ok5 = _cents(frame["basis"])
    yev, ok6 = _cents(frame["year_end_value"])
    dist_col = frame.get("distributions")
    out_col = frame.get("outstanding_rollovers")
    line7, ok7 = _cents(dist_col) if dist_col is not None else (np.zeros(n, np.int64), np.ones(n, bool))
    outst, oko = _cents(out_col) if out_col is not None else (np.zeros(n, np.int64), np.ones(n, bool))
    line7 = np.where(_blank(dist_col, n), 0, line7)
    ok7 |= _blank(dist_col, n)
    outst = np.where(_blank(out_col, n), 0, outst)
    oko |= _blank(out_col, n)
    rd = frame.get("ratio_decimals")
    ok_rd = _blank(rd, n) | (pd.to_numeric(rd, errors="coerce") == 3).to_numpy() if rd is not None else np.ones(n, bool)
    ok = ok8 & ok5 & ok6 & ok7 & oko & ok_rd & ((line7 + line8) > 0)
    result = pd.DataFrame(prorata_cents(line8, line5, yev, line7, outst, _Columns), index=frame.index)
    return result, pd.Series(ok, index=frame.index)


def _penalty_vector(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The 10% additional tax for whole columns: :func:`penalty_cents` over int64 cent columns."""
    n = len(frame)
    taxable, ok_t = _cents(frame["taxable_amount"])
    age = pd.to_numeric(frame["age"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok_age = np.isfinite(age) & (age >= 0) & (age <= float(MAX_AGE))
    plain = np.ones(n, dtype=bool)
    for name in ("exception", "exception_amount", "tax_year", "simple_first_two_years"):
        col = frame.get(name)
        if col is not None:
            plain &= _blank(col, n) | (col.astype(str).str.upper().isin(["FALSE", "0", "0.0"])).to_numpy()
    account = frame.get("account_type")
    if account is not None:
        kinds = account.astype(str).str.strip().str.upper()
        plain &= _blank(account, n) | kinds.isin(TEN_PERCENT_ACCOUNTS).to_numpy()
    ok = ok_t & ok_age & plain
    result = pd.DataFrame(penalty_cents(taxable, np.where(ok_age, age, 0.0), _Columns), index=frame.index)
    return result, pd.Series(ok, index=frame.index)


#: Decimal places of the vectorised columns other than cents: Form 8606 line 10, the rate.
UNITS: dict[str, int] = {**PRORATA_PLACES, **PENALTY_PLACES}

RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "prorata_taxable",
            prorata_taxable,
            ("converted", "basis", "year_end_value", "distributions", "outstanding_rollovers", "ratio_decimals"),
            _prorata_vector,
        ),
        Rule(
            "early_penalty",
            early_penalty,
            (
                "taxable_amount",
                "age",
                "account_type",
                "exception",
                "exception_amount",
                "tax_year",
                "simple_first_two_years",
            ),
            _penalty_vector,
        ),
        Rule(
            "roth_rollover_split",
            roth_rollover_split,
            (
                "distribution",
                "after_tax_basis",
                "account_balance",
                "to_roth_ira",
                "to_traditional",
                "rolled_60day_roth",
                "rolled_60day_traditional",
                "age",
            ),
        ),
        Rule(
            "mega_backdoor_room",
            mega_backdoor_room,
            ("year", "employee_deferrals", "employer_contributions", "compensation", "age", "after_tax_so_far"),
        ),
        Rule(
            "roth_ira_contribution_limit",
            roth_ira_contribution_limit,
            (
                "year",
                "magi",
                "filing_status",
                "age",
                "compensation",
                "traditional_contributions",
                "spouse_compensation",
                "spouse_ira_contributions",
            ),
        ),
        Rule(
            "traditional_ira_deduction_limit",
            traditional_ira_deduction_limit,
            (
                "year",
                "magi",
                "filing_status",
                "age",
                "active_participant",
                "spouse_active_participant",
                "compensation",
                "spouse_compensation",
                "spouse_ira_contributions",
            ),
        ),
        Rule(
            "required_minimum_distribution",
            required_minimum_distribution,
            (
                "year",
                "birth_date",
                "prior_year_end_balance",
                "spouse_birth_date",
                "spouse_sole_beneficiary",
                "inherited",
            ),
        ),
        Rule(
            "sepp_payment",
            sepp_payment,
            (
                "balance",
                "birth_date",
                "year",
                "method",
                "interest_rate",
                "life_table",
                "beneficiary_birth_date",
                "rate_cap",
            ),
        ),
    )
}


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


@functools.cache
def _required(rule: Rule) -> frozenset[str]:
    """The core's arguments without a default: a blank one is reported as missing, not defaulted."""
    params = inspect.signature(rule.call).parameters.values()
    return frozenset(p.name for p in params if p.default is inspect.Parameter.empty)


def scalar_row(rule: Rule, row: dict[str, Any]) -> dict[str, Any]:
    """One scenario through the scalar core: its flat result, or {'error': message}."""
    kwargs = {}
    for k in rule.args:
        v = _clean(row.get(k))
        if v is not None or k in _required(rule):
            kwargs[k] = v
    try:
        return rule.call(**kwargs).flat()
    except XlRolloverError as exc:
        return {"error": str(exc)}
    except Exception as exc:
        return {"error": f"unexpected {type(exc).__name__}: {exc}"}


def _units(value: Decimal, places: int) -> int | None:
    """A Decimal written with exactly ``places`` decimals as an integer count of 10**-places, else None."""
    if value.as_tuple().exponent != -places:
        return None
    return int(value.scaleb(places))


def decimal_column(units: np.ndarray, places: int, null: np.ndarray) -> Any:
    """Integer units as an exact Arrow decimal128 array (no per-value Python objects)."""
    import pyarrow as pa

    n = len(units)
    validity = pa.array(np.zeros(n, np.int8), mask=null).buffers()[0]
    data = np.zeros((n, 2), np.int64)
    data[:, 0] = units
    data[:, 1] = np.where(units < 0, -1, 0)  # two's complement high word
    array = pa.Array.from_buffers(
        pa.decimal128(38, places), n, [validity, pa.py_buffer(data.tobytes())], null_count=int(null.sum())
    )
    return pd.arrays.ArrowExtensionArray(array)


def run_scalar(rule: Rule, frame: pd.DataFrame) -> pd.DataFrame:
    """The reference path: a Python loop over rows through the scalar core."""
    records = [scalar_row(rule, row) for row in frame.to_dict("records")]
    out = pd.DataFrame.from_records(records, index=frame.index)
    if "error" not in out:
        out["error"] = None
    return out


def run_vectorised(rule: Rule, frame: pd.DataFrame) -> pd.DataFrame:
    """Whole columns at once, exact; rows the vector pass does not model go through the scalar core.

    Money and ratios come back as Arrow decimal128 columns built straight from the integer units,
    so a million rows cost no per-value Python objects; a column that some fallback row needs more
    places for (``ratio_decimals`` 4) becomes a column of Decimals.
    """
    if rule.vectorised is None:
        return run_scalar(rule, frame)
    result, ok = rule.vectorised(frame)
    n = len(frame)
    columns = {c: result[c].to_numpy().copy() for c in result.columns}
    errors = np.full(n, None, dtype=object)
    null = np.zeros(n, dtype=bool)
    widened: dict[str, np.ndarray] = {}
    rest = np.flatnonzero(~ok.to_numpy())
    flats = (scalar_row(rule, r) for r in frame.iloc[rest].to_dict("records"))
    for pos, flat in zip(rest, flats, strict=True):
        if "error" in flat:
            errors[pos] = flat["error"]
            null[pos] = True
            continue
        for name, value in flat.items():
            column = columns[name]
            places = UNITS.get(name, 2)
            if column.dtype.kind in "iu" and name not in widened:
                units = _units(value, places) if isinstance(value, Decimal) else None
                if units is not None:
                    column[pos] = units
                    continue
                widened[name] = np.array([Decimal(int(v)).scaleb(-places) for v in column], dtype=object)
            if name in widened:
                widened[name][pos] = value
            else:
                column[pos] = value
    out: dict[str, Any] = {}
    for name, column in columns.items():
        if name in widened:
            values = widened[name]
        elif column.dtype.kind in "iu":
            out[name] = decimal_column(column, UNITS.get(name, 2), null)
            continue
        else:
            values = column.astype(object)
        values[null] = None
        out[name] = values
    out["error"] = errors
    return pd.DataFrame(out, index=frame.index)


def run_group(name: str, group: pd.DataFrame) -> pd.DataFrame:
    """One function's rows: the input columns, then every result field and ``error``."""
    rule = RULES.get(str(name).strip().lower())
    if rule is None:
        return group.assign(error=f"unknown function {name!r}; known: {', '.join(RULES)}")
    inputs = group.drop(columns=["function"])
    results = run_vectorised(rule, inputs)
    results = results.drop(columns=[c for c in results.columns if c in inputs.columns and c != "error"])
    return pd.concat([group, results], axis=1)


#: Rows per chunk when progress is reported.
CHUNK = 200_000


def run(
    frame: pd.DataFrame,
    function: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every row; one frame per function (input columns, result fields, ``error``)."""
    if function is not None:
        frame = frame.assign(function=function)
    if "function" not in frame:
        raise XlRolloverError("the input has no 'function' column; add one or pass --function")
    out: dict[str, pd.DataFrame] = {}
    done, total = 0, len(frame)
    for name, group in frame.groupby("function", sort=False):
        key = str(name).strip().lower() if str(name).strip().lower() in RULES else str(name)
        parts = []
        for start in range(0, len(group), CHUNK):
            parts.append(run_group(str(name), group.iloc[start : start + CHUNK]))
            done += min(CHUNK, len(group) - start)
            if progress is not None:
                progress(done, total)
        out[key] = pd.concat(parts) if len(parts) > 1 else parts[0]
    return out


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value as exact text (None for blanks): the common form of Dask partitions."""
    import pyarrow as pa

    out = {}
    for col in frame.columns:
        series = frame[col]
        if isinstance(series.dtype, pd.ArrowDtype):  # exact decimals: Arrow's own cast, no Python objects
            out[col] = series.astype(pd.ArrowDtype(pa.string())).astype(object).where(series.notna(), None)
        else:
            out[col] = series.map(
                lambda v: None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
            )
    return pd.DataFrame(out, index=frame.index, dtype=object)


def run_dask(
    frame: Any,
    function: str | None = None,
    scheduler: str | None = None,
    client: Any = None,
    partitions: int | None = None,
) -> dict[str, pd.DataFrame]:
    """The same batch on a Dask cluster, partition by partition (``scheduler``: an address; default a local cluster).

    ``frame`` is a pandas frame or a Dask dataframe (e.g. ``dd.read_parquet`` of a book larger than
    memory). Results come back as exact text, per function, as from :func:`run`.
    """
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    own = None
    if client is None:
        import logging

        logging.getLogger("distributed").setLevel(logging.ERROR)
        own = Client(scheduler) if scheduler else Client(LocalCluster(n_workers=2, threads_per_worker=1))
        client = own
    try:
        if isinstance(frame, dd.DataFrame):
            ddf = frame
        else:  # ship a pandas book to the workers once, not inside every graph that reads it
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                ddf = client.persist(dd.from_pandas(frame, npartitions=partitions or 4))
        if function is not None:
            ddf = ddf.assign(function=function)
        if "function" not in ddf.columns:
            raise XlRolloverError("the input has no 'function' column; add one or pass --function")
        per_partition = ddf["function"].map_partitions(
            lambda col: pd.Series(col.dropna().unique()), meta=("function", object)
        )
        names = list(dict.fromkeys(client.compute(per_partition).result().tolist()))
        out: dict[str, pd.DataFrame] = {}
        for name in names:
            part = ddf[ddf["function"] == name]
            sample = part.head(50, npartitions=-1)
            meta = as_text(run_group(name, sample)).iloc[:0]

            def one(df: pd.DataFrame, name: str = name, columns: tuple[str, ...] = tuple(meta.columns)) -> pd.DataFrame:
                return as_text(run_group(name, df)).reindex(columns=list(columns))

            result = client.compute(part.map_partitions(one, meta=meta)).result()
            key = str(name).strip().lower() if str(name).strip().lower() in RULES else str(name)
            out[key] = result
        return out
    finally:
        if own is not None:
            cluster = getattr(own, "cluster", None)
            own.close()
            if cluster is not None:
                cluster.close()


def read(path: str) -> pd.DataFrame:
    """A scenario file: CSV, XLSX (first sheet) or Parquet, one scenario per row."""
    lower = path.lower()
    if lower.endswith(".csv"):
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if lower.endswith((".xlsx", ".xlsm")):
        from udfs.safe_xlsx import check_workbook  # the same checks as `calc` for a workbook from outside

        check_workbook(path).close()
        return pd.read_excel(path, dtype=object)
    if lower.endswith(".parquet"):
        return pd.read_parquet(path)
    raise XlRolloverError(f"{path}: input must be .csv, .xlsx or .parquet")


def _for_file(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Values for a file: floats for XLSX (shown with cents), exact decimals for CSV and Parquet."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.ArrowDtype):
            if kind == "xlsx":
                out[col] = series.astype("float64")
        elif series.map(lambda v: isinstance(v, Decimal)).any():
            out[col] = series.map(lambda v: (float(v) if kind == "xlsx" else str(v)) if isinstance(v, Decimal) else v)
    return out


def write(results: dict[str, pd.DataFrame], path: str) -> None:
    """Write the results: XLSX (one formatted sheet per function, frozen header), CSV or Parquet."""
    lower = path.lower()
    frames = {name: frame for name, frame in results.items()}
    if lower.endswith(".xlsx"):
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            for name, frame in frames.items():
                sheet = name[:31]
                _for_file(frame, "xlsx").to_excel(writer, sheet_name=sheet, index=False)
                ws = writer.sheets[sheet]
                ws.freeze_panes(1, 0)
                money = writer.book.add_format({"num_format": "#,##0.00"})
                ws.set_column(0, len(frame.columns) - 1, 16, money)
                ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
        return
    combined = pd.concat([_for_file(f, "text") for f in frames.values()], ignore_index=True, sort=False)
    if lower.endswith(".csv"):
        combined.to_csv(path, index=False)
    elif lower.endswith(".parquet"):
        for col in combined.columns:
            if combined[col].dtype == object:
                combined[col] = combined[col].map(lambda v: None if v is None or v != v else str(v))
        combined.to_parquet(path, index=False)
    else:
        raise XlRolloverError(f"{path}: output must be .xlsx, .csv or .parquet")


def failed_rows(results: dict[str, pd.DataFrame]) -> int:
    """How many rows carry an error message."""
    return int(sum(frame["error"].notna().sum() for frame in results.values()))
