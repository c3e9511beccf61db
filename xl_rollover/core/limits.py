"""Annual limits as data: one row per value, each with its source; a missing year is an error.

The tables live in ``xl_rollover/core/data/*.csv`` (columns ``year, parameter, filing_status, value,
source``). A row with no year is a statutory constant that is not indexed (a rate, a cap fixed in
the Code) and answers for every year. Adding a tax year is adding rows; nothing here changes.

A ``source`` cell is ``<primary authority>; x-check: <cross-checks>``: the part before the first
``x-check:`` names only primary authority (the Code, Treasury regulations, IRS notices, revenue
procedures, publications, forms and their instructions) and is what explanations, the CLI and the
worksheet functions show; the cross-checks after it (IRS web pages, other open-source tables, news
and vendor restatements) are for maintainers only and never reach a client (``LimitRow.cross_check``).
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from .errors import InputError, UnknownYear, XlRolloverError
from .explain import Result, Step
from .money import SCALAR, said, shown, to_decimal

_TABLES = ("irs_limits.csv", "penalty_exception_limits.csv")
#: Separator between a source cell's primary authority and its maintainers' cross-checks.
CROSS_CHECK = "x-check:"

#: Filing statuses accepted by the API, and the column of the limits table each one reads.
FILING_STATUSES: dict[str, str] = {
    "SINGLE": "single_or_hoh",
    "HOH": "single_or_hoh",
    "MFJ": "mfj",
    "QSS": "mfj",  # qualifying surviving spouse uses the joint ranges (Pub. 590-A tables)
    "MFS": "mfs",
    # married filing separately, lived apart all year: treated as not married (IRC 219(g)(4),
    # applied to Roth IRAs by 408A(c)(3)); files as single for these limits (Pub. 590-A)
    "MFS_APART": "single_or_hoh",
}
#: The filing statuses in a fixed order: a column of them is read as positions in this tuple.
STATUS_CODES = tuple(FILING_STATUSES)


@dataclass(frozen=True)
class LimitRow:
    year: int | None
    parameter: str
    filing_status: str
    value: Decimal
    source: str  # primary authority only: what a client is shown
    cross_check: str = ""  # secondary cross-checks, for maintainers (never shown)


def split_source(text: str) -> tuple[str, str]:
    """A source cell as (primary authority, cross-checks), split at the first ``x-check:``."""
    primary, _, checks = text.partition(CROSS_CHECK)
    return primary.strip().rstrip(";").strip(), checks.strip()


@cache
def _rows() -> tuple[LimitRow, ...]:
    rows: list[LimitRow] = []
    folder = resources.files("xl_rollover.core") / "data"
    for table in _TABLES:
        text = (folder / table).read_text(encoding="utf-8")
        for record in csv.DictReader(io.StringIO(text)):
            year = record["year"].strip()
            primary, checks = split_source(record["source"])
            rows.append(
                LimitRow(
                    year=int(year) if year else None,
                    parameter=record["parameter"].strip(),
                    filing_status=record["filing_status"].strip(),
                    value=Decimal(record["value"].strip()),
                    source=primary,
                    cross_check=checks,
                )
            )
    return tuple(rows)


@cache
def _index() -> dict[tuple[str, int | None, str], LimitRow]:
    return {(r.parameter.lower(), r.year, r.filing_status): r for r in _rows()}


@cache
def limit_names() -> tuple[str, ...]:
    """Every parameter name the tables hold, sorted."""
    return tuple(sorted({r.parameter for r in _rows()}))


@cache
def _names() -> dict[str, str]:
    """Lower-case name -> the table's spelling."""
    return {n.lower(): n for n in limit_names()}


@cache
def _statuses() -> dict[str, frozenset[str]]:
    """Lower-case name -> the filing-status columns it has ("" for none)."""
    found: dict[str, set[str]] = {}
    for r in _rows():
        found.setdefault(r.parameter.lower(), set()).add(r.filing_status)
    return {k: frozenset(v) for k, v in found.items()}


def years_for(name: str) -> tuple[int, ...]:
    """The tax years for which ``name`` has a value (empty for constants)."""
    key = name.lower()
    return tuple(sorted({r.year for r in _rows() if r.parameter.lower() == key and r.year is not None}))


#: Tax years accepted anywhere: a wide plausibility range (the tables decide which years have data).
YEAR_RANGE = (1900, 2200)


def parse_year(value: object, name: str = "year") -> int:
    """A tax year as an int (Excel passes floats such as 2025.0), checked as a short integer first.

    Digits of plain year text are read directly ("2026", "2026.0"); anything else goes through the
    bounded number parser, and the range is checked before any conversion to int.
    """
    low, high = YEAR_RANGE
    if isinstance(value, str):
        text = value.strip()
        whole, dot, zeros = text.partition(".")
        if 1 <= len(whole) <= 4 and whole.isascii() and whole.isdigit() and (not dot or set(zeros) <= {"0"}):
            year = int(whole)
            if not low <= year <= high:
                raise InputError(f"{name} {year} is not a plausible tax year")
            return year
    if isinstance(value, int) and not isinstance(value, bool):
        if not low <= value <= high:
            raise InputError(f"{name} {said(value)} is not a plausible tax year")
        return value
    number = to_decimal(value, name)
    if not low <= number <= high:
        raise InputError(f"{name} {said(value)} is not a plausible tax year")
    if number != number.to_integral_value():
        raise InputError(f"{name} {said(value)} is not a whole year")
    return int(number)


def parse_filing_status(value: object) -> str:
    """Normalise a filing status (SINGLE, HOH, MFJ, MFS, MFS_APART, QSS) to its upper-case key."""
    if not isinstance(value, str) or value.strip().upper().replace(" ", "_") not in FILING_STATUSES:
        raise InputError(f"filing_status {shown(value)} is not one of {', '.join(FILING_STATUSES)}")
    return value.strip().upper().replace(" ", "_")


@dataclass(frozen=True, kw_only=True)
class IrsLimit(Result):
    """One value from the limits table, with the year it is for and its source."""

    name: str
    year: int
    filing_status: str | None
    value: Decimal
    source: str


#: Rows already found, by the arguments as given (the table never changes once read; a scalar call looks up
#: several rows of law, and the same few again on every call). Bounded: odd spellings are not all kept.
_FOUND: dict[tuple[object, object, object], LimitRow] = {}
_FOUND_MAX = 4096


def lookup(name: str, year: int | None, filing_status: str | None = None) -> LimitRow:
    """Find one row: exact year first, then a year-less statutory constant; else UnknownYear."""
    key = (name, year, filing_status)
    try:
        return _FOUND[key]
    except (KeyError, TypeError):  # not found yet, or an unhashable argument (answered below)
        pass
    row = _lookup(name, year, filing_status)
    if len(_FOUND) < _FOUND_MAX:
        with contextlib.suppress(TypeError):  # an unhashable filing_status the row does not read: not kept
            _FOUND[key] = row
    return row


def _lookup(name: str, year: int | None, filing_status: str | None) -> LimitRow:
    """:func:`lookup` itself, every check made."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("name must be the name of a limit, e.g. annual_additions_limit_415c1A")
    key = name.strip().lower()
    names = _names()
    if key not in names:
        close = [n for n in limit_names() if key in n.lower() or n.lower() in key]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else f"; known names: {', '.join(limit_names())}"
        raise UnknownYear(f"name {shown(name)} is not in the limits table{hint}")
    statuses = _statuses()[key]
    column = ""
    if statuses != {""}:
        if filing_status is None:
            raise InputError(f"{names[key]} depends on filing_status; give one of {', '.join(FILING_STATUSES)}")
        column = FILING_STATUSES[parse_filing_status(filing_status)]
        if column not in statuses:
            raise UnsupportedFilingStatus(
                f"{names[key]} has no value for filing_status {filing_status} "
                f"(the table holds {', '.join(sorted(s for s in statuses if s))})"
            )
    index = _index()
    row = index.get((key, year, column)) or index.get((key, None, column))
    if row is None and year is None:
        raise InputError(f"{names[key]} changes by year; a tax year is required")
    if row is None:
        have = years_for(name)
        raise UnknownYear(
            f"year {year} is not in the limits table for {names[key]} "
            f"(it holds {have[0]}-{have[-1]}); a year is never defaulted to another"
            if have
            else f"year {year} is not in the limits table for {names[key]}"
        )
    return row


class UnsupportedFilingStatus(InputError):
    """A filing status the parameter has no column for (e.g. spouse-covered range for single)."""


def irs_limit(name: str, year: object, filing_status: str | None = None) -> IrsLimit:
    """Return one annual limit from the shipped table, with its source; unknown names or years are errors."""
    tax_year = parse_year(year)
    if filing_status is not None and not (isinstance(filing_status, str) and not filing_status.strip()):
        parse_filing_status(filing_status)  # no status at all is refused, even for a limit that does not depend on one
    row = lookup(name, tax_year, filing_status)
    status = parse_filing_status(filing_status) if row.filing_status and filing_status else None
    step = Step(
        title="Limit looked up",
        rule=f"{row.parameter} for {tax_year}" + (f" ({status})" if status else ""),
        citation=row.source,
        inputs={"name": row.parameter, "year": tax_year, "filing_status": status},
        outputs={"value": row.value},
    )
    return IrsLimit(
        name=row.parameter,
        year=tax_year,
        filing_status=status,
        value=row.value,
        source=row.source,
        steps=(step,),
    )


def irs_limit_columns(name: Any, year: Any, status: Any, ops: Any = SCALAR) -> dict[str, Any]:
    """:func:`irs_limit`'s flat fields for whole columns: the table joined once per distinct (name, year, status).

    ``name`` as positions in :func:`limit_names`, ``status`` as positions in :data:`STATUS_CODES` (-1: blank);
    ``defined`` is False where :func:`irs_limit` refuses the key (the core then gives its message).
    """

    def look(code: int, tax_year: int, status_code: int) -> tuple[Any, ...]:
        try:
            found = irs_limit(limit_names()[code], tax_year, None if status_code < 0 else STATUS_CODES[status_code])
        except XlRolloverError:
            return False, None, None, None, None, None
        return True, found.name, found.year, found.filing_status, found.value, found.source

    defined, names, years, statuses, values, sources = ops.per_key(look, name, year, status)
    return {
        "defined": defined,
        "name": ops.objects(names),
        "year": ops.objects(years),
        "filing_status": ops.objects(statuses),
        "value": ops.objects(values),
        "source": ops.objects(sources),
    }


def value(name: str, year: int | None, filing_status: str | None = None) -> tuple[Decimal, str]:
    """Shortcut for the rules: a limit's value and its source."""
    row = lookup(name, year, filing_status)
    return row.value, row.source
