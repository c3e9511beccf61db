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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .errors import XlRolloverError
from .explain import Result
from .limits import parse_year  # noqa: F401  (re-exported for callers building inputs)
from .rules.contribution_limits import mega_backdoor_room, roth_ira_contribution_limit
from .rules.early_penalty import early_penalty
from .rules.form_8606 import prorata_taxable
from .rules.split import roth_rollover_split

MAX_CENTS = 100_000_000_000_000  # 1e12 dollars, the core's MAX_AMOUNT


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


def _half_up_div(numerator: np.ndarray, denominator: np.ndarray | int) -> np.ndarray:
    """Round numerator / denominator half-up, for non-negative integers (exact)."""
    return (2 * numerator + denominator) // (2 * np.asarray(denominator))


def _blank(column: pd.Series | None, n: int) -> np.ndarray:
    if column is None:
        return np.ones(n, dtype=bool)
    return column.isna().to_numpy() | (column.astype(str).str.strip() == "").to_numpy()


# --- vectorised rules ----------------------------------------------------------------------


def _prorata_vector(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Form 8606 lines 5-18 for whole columns (IRC §408(d)(2); line 10 half-up to 3 places; cap at line 5)."""
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
    line6 = yev + outst
    line9 = line6 + line7 + line8
    ok = ok8 & ok5 & ok6 & ok7 & oko & ok_rd & (line9 > 0) & ((line7 + line8) > 0)
    safe9 = np.where(line9 > 0, line9, 1)
    milli = np.minimum(_half_up_div(line5 * 1000, safe9), 1000)  # line 10 in thousandths
    milli = np.where(line5 >= line9, 1000, milli)
    line11 = _half_up_div(line8 * milli, 1000)
    line12 = _half_up_div(line7 * milli, 1000)
    over = line11 + line12 > line5
    line11 = np.where(over, np.minimum(line11, line5), line11)
    line12 = np.where(over, np.minimum(line12, line5 - line11), line12)
    line13 = line11 + line12
    line14 = line5 - line13
    line15a = line7 - line12
    result = pd.DataFrame(
        {
            "lines_5": line5,
            "lines_6": line6,
            "lines_7": line7,
            "lines_8": line8,
            "lines_9": line9,
            "lines_10": milli,
            "lines_11": line11,
            "lines_12": line12,
            "lines_13": line13,
            "lines_14": line14,
            "lines_15a": line15a,
            "lines_15b": np.zeros(n, np.int64),
            "lines_15c": line15a,
            "lines_16": line8,
            "lines_17": line11,
            "lines_18": line8 - line11,
            "ratio": milli,
            "nontaxable_conversion": line11,
            "nontaxable_distributions": line12,
            "basis_remaining": line14,
            "taxable_distributions": line15a,
            "taxable_conversion": line8 - line11,
        },
        index=frame.index,
    )
    return result, pd.Series(ok, index=frame.index)


def _penalty_vector(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The 10% additional tax for whole columns, with only the age-59½ exception (IRC §72(t)(1), (2)(A)(i))."""
    n = len(frame)
    taxable, ok_t = _cents(frame["taxable_amount"])
    age = pd.to_numeric(frame["age"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok_age = np.isfinite(age) & (age >= 0) & (age <= 125)
    plain = np.ones(n, dtype=bool)
    for name in ("exception", "exception_amount", "tax_year", "simple_first_two_years"):
        col = frame.get(name)
        if col is not None:
            plain &= _blank(col, n) | (col.astype(str).str.upper().isin(["FALSE", "0", "0.0"])).to_numpy()
    account = frame.get("account_type")
    if account is not None:
        kinds = account.astype(str).str.strip().str.upper()
        plain &= (
            _blank(account, n) | kinds.isin(["IRA", "TRADITIONAL_IRA", "SEP_IRA", "401K", "403B", "PLAN"]).to_numpy()
        )
    ok = ok_t & ok_age & plain
    old = age >= 59.5
    penalized = np.where(old, 0, taxable)
    penalty = _half_up_div(penalized * 10, 100)
    result = pd.DataFrame(
        {
            "penalty": penalty,
            "rate": np.full(n, 10),
            "penalized_amount": penalized,
            "excepted_amount": np.where(old, taxable, 0),
            "exception": np.where(old, "age_59_5", np.full(n, None, dtype=object)),
            "form_5329_1": penalized,
            "form_5329_2": np.zeros(n, np.int64),
            "form_5329_2_exception_number": np.full(n, None),
            "form_5329_3": penalized,
            "form_5329_4": penalty,
        },
        index=frame.index,
    )
    return result, pd.Series(ok, index=frame.index)


#: Units of the vectorised columns: cents, thousandths (Form 8606 line 10), hundredths (a rate), or text.
UNITS: dict[str, int] = {"lines_10": 3, "ratio": 3, "rate": 2}

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
            ("year", "magi", "filing_status", "age", "compensation"),
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


def _exact(values: np.ndarray, places: int) -> list[Decimal]:
    quantum = Decimal(1).scaleb(-places)
    return [Decimal(int(v)).scaleb(-places).quantize(quantum) for v in values]


def run_scalar(rule: Rule, frame: pd.DataFrame) -> pd.DataFrame:
    """The reference path: a Python loop over rows through the scalar core."""
    records = [scalar_row(rule, row) for row in frame.to_dict("records")]
    out = pd.DataFrame.from_records(records, index=frame.index)
    if "error" not in out:
        out["error"] = None
    return out


def run_vectorised(rule: Rule, frame: pd.DataFrame, exact: bool = True) -> pd.DataFrame:
    """Whole columns at once; rows the vector pass does not model go through the scalar core.

    With ``exact`` the vectorised money columns become Decimal (identical to the scalar path);
    without it they stay integer cents, the fast form used for throughput measurements.
    """
    if rule.vectorised is None:
        return run_scalar(rule, frame)
    result, ok = rule.vectorised(frame)
    if exact:
        converted = {}
        for col in result.columns:
            if result[col].dtype.kind in "iu":
                converted[col] = _exact(result[col].to_numpy(), UNITS.get(col, 2))
            else:
                converted[col] = result[col].tolist()
        result = pd.DataFrame(converted, index=result.index, dtype=object)
    result["error"] = None
    rest = frame.loc[~ok.to_numpy()]
    if len(rest):
        fallback = run_scalar(rule, rest)
        result = result.astype(object)
        for col in fallback.columns:
            if col not in result:
                result[col] = None
        result.loc[rest.index, :] = None
        result.loc[rest.index, fallback.columns] = fallback.to_numpy(dtype=object)
    return result


def run(frame: pd.DataFrame, function: str | None = None, vectorised: bool = True) -> dict[str, pd.DataFrame]:
    """Run every row; returns one frame per function: the input columns, every result field, ``error``."""
    if function is not None:
        frame = frame.assign(function=function)
    if "function" not in frame:
        raise XlRolloverError("the input has no 'function' column; add one or pass --function")
    out: dict[str, pd.DataFrame] = {}
    for name, group in frame.groupby("function", sort=False):
        key = str(name).strip().lower()
        rule = RULES.get(key)
        if rule is None:
            bad = group.copy()
            bad["error"] = f"unknown function {name!r}; known: {', '.join(RULES)}"
            out[str(name)] = bad
            continue
        inputs = group.drop(columns=["function"])
        results = run_vectorised(rule, inputs) if vectorised else run_scalar(rule, inputs)
        results = results.drop(columns=[c for c in results.columns if c in inputs.columns and c != "error"])
        out[key] = pd.concat([group, results], axis=1)
    return out


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
    """Exact values for CSV/Parquet (Decimal as text), floats with cents formatting for XLSX."""
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, Decimal)).any():
            out[col] = out[col].map(lambda v: (float(v) if kind == "xlsx" else str(v)) if isinstance(v, Decimal) else v)
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
        combined.astype(str).where(combined.notna(), None).to_parquet(path, index=False)
    else:
        raise XlRolloverError(f"{path}: output must be .xlsx, .csv or .parquet")


def failed_rows(results: dict[str, pd.DataFrame]) -> int:
    return int(sum(frame["error"].notna().sum() for frame in results.values()))
