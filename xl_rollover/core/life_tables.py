"""Life expectancy and distribution period tables as data (Treas. Reg. §1.401(a)(9)-9, T.D. 9930).

``data/life_tables.csv`` holds one row per table and age with its source: the Single Life Table
(§1.401(a)(9)-9(b), ages 0-120, the last row being the table's "120+") and the Uniform Lifetime
Table (§1.401(a)(9)-9(c), ages 72-120+). ``data/joint_life_table.csv`` is the Joint and Last Survivor
Table (§1.401(a)(9)-9(d)) as printed: one row per age, one column per the other person's age. The
printed table is symmetric except at ages 2 and 5 (88.5 one way, 88.6 the other): that pair is
refused; the one blank cell of the transcription (19, 35) takes the figure printed for (35, 19).
All apply to distribution calendar years from 2022 (§1.401(a)(9)-9(f)).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import cache
from importlib import resources

from . import limits
from .errors import UnsupportedCase

#: The first distribution calendar year the carried tables apply to (§1.401(a)(9)-9(f); a limits row).
FIRST_YEAR = int(limits.value("life_tables_first_year_1_401a9_9", None)[0])
TABLE_CITATIONS = {
    "single": "Treas. Reg. §1.401(a)(9)-9(b) (Single Life Table, T.D. 9930)",
    "uniform": "Treas. Reg. §1.401(a)(9)-9(c) (Uniform Lifetime Table, T.D. 9930)",
    "joint": "Treas. Reg. §1.401(a)(9)-9(d) (Joint and Last Survivor Table, T.D. 9930)",
}


@cache
def _rows() -> dict[str, dict[int, Decimal]]:
    text = (resources.files("xl_rollover.core") / "data" / "life_tables.csv").read_text(encoding="utf-8")
    tables: dict[str, dict[int, Decimal]] = {}
    for record in csv.DictReader(io.StringIO(text)):
        tables.setdefault(record["table"].strip(), {})[int(record["age"])] = Decimal(record["value"].strip())
    return tables


@cache
def _joint() -> dict[tuple[int, int], Decimal]:
    text = (resources.files("xl_rollover.core") / "data" / "joint_life_table.csv").read_text(encoding="utf-8")
    cells: dict[tuple[int, int], Decimal] = {}
    reader = csv.DictReader(io.StringIO(text))
    others = [int(name) for name in reader.fieldnames or () if name.isdigit()]
    for record in reader:
        age = int(record["age"])
        for other in others:
            value = record[str(other)].strip()
            if value:
                cells[(age, other)] = Decimal(value)
    return cells


@cache
def top_age() -> int:
    """The tables' last row, their "120+": older ages read it (from the data, the Single Life Table's last age)."""
    return max(_rows()["single"])


def joint(age: int, other_age: int) -> Decimal:
    """The joint and last survivor life expectancy of two ages (Treas. Reg. §1.401(a)(9)-9(d)); 120+ for older ages."""
    a, b = min(age, top_age()), min(other_age, top_age())
    cells = _joint()
    one, two = cells.get((a, b)), cells.get((b, a))
    if one is not None and two is not None and one != two:
        raise UnsupportedCase(
            f"the Joint and Last Survivor Table (Treas. Reg. §1.401(a)(9)-9(d)) prints two different figures for "
            f"ages {a} and {b} ({one} and {two}); the case is refused rather than one of them chosen"
        )
    found = one if one is not None else two
    if found is None:  # pragma: no cover - every pair is printed at least once (tested)
        raise UnsupportedCase(f"the Joint and Last Survivor Table has no figure for ages {a} and {b}")
    return found


def factor(table: str, age: int) -> Decimal:
    """The table's figure for an age (ages above the last row use its "120+" row); refused where not carried."""
    rows = _rows()[table]
    top = max(rows)
    if age > top:
        age = top
    if age not in rows:
        raise UnsupportedCase(
            f"the {table} table carried here starts at age {min(rows)}; age {age} is not in it "
            f"({TABLE_CITATIONS[table]})"
            + (
                "; the Uniform Lifetime Table for younger ages is in Appendix A of Notice 2022-6, which is not carried"
                if table == "uniform"
                else ""
            )
        )
    return rows[age]
