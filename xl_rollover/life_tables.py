"""Life expectancy and distribution period tables as data (Treas. Reg. §1.401(a)(9)-9, T.D. 9930).

``data/life_tables.csv`` holds one row per table and age with its source: the Single Life Table
(§1.401(a)(9)-9(b), ages 0-120, the last row being the table's "120+") and the Uniform Lifetime
Table (§1.401(a)(9)-9(c), ages 72-120+). Both apply to distribution calendar years from 2022
(§1.401(a)(9)-9(f)). The Joint and Last Survivor Table (§1.401(a)(9)-9(d)) is not carried: a case
that needs it is refused, never approximated.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import cache
from importlib import resources

from .errors import UnsupportedCase

#: The first distribution calendar year the carried tables apply to (§1.401(a)(9)-9(f)(1)).
FIRST_YEAR = 2022
TABLE_CITATIONS = {
    "single": "Treas. Reg. §1.401(a)(9)-9(b) (Single Life Table, T.D. 9930)",
    "uniform": "Treas. Reg. §1.401(a)(9)-9(c) (Uniform Lifetime Table, T.D. 9930)",
    "joint": "Treas. Reg. §1.401(a)(9)-9(d) (Joint and Last Survivor Table, T.D. 9930)",
}
JOINT_REFUSAL = (
    "the Joint and Last Survivor Table (Treas. Reg. §1.401(a)(9)-9(d)) is not carried by this version, "
    "so no joint life expectancy is computed"
)


@cache
def _rows() -> dict[str, dict[int, Decimal]]:
    text = (resources.files("xl_rollover") / "data" / "life_tables.csv").read_text(encoding="utf-8")
    tables: dict[str, dict[int, Decimal]] = {}
    for record in csv.DictReader(io.StringIO(text)):
        tables.setdefault(record["table"].strip(), {})[int(record["age"])] = Decimal(record["value"].strip())
    return tables


def factor(table: str, age: int) -> Decimal:
    """The table's figure for an age (ages above the last row use its "120+" row); refused where not carried."""
    if table == "joint":
        raise UnsupportedCase(JOINT_REFUSAL)
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
