"""A cell's value as its number format shows it, for the terminal (``xl-rollover calc``'s summary).

The formats the templates use (xl_rollover/templates/build.py): ``0`` (years, ages, counts), ``0.##``,
``#,##0.00`` (money), ``0.000`` (ratios), ``0.00%`` (rates), ``yyyy-mm-dd`` (dates; openpyxl reads those as
dates) and a flag's ``"TRUE";"TRUE";"FALSE"``; any other format is read for its decimals, thousands separator
and percent sign. A General cell shows as Excel's General does (no money guessed from a cell's name).
Rounding is half away from zero on the decimal value, as Excel displays.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: Parts of a format section that are not digit placeholders: quoted text, escaped characters, [colour] and
#: [condition] brackets, and the padding codes _x and *x.
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')


def shown(value: Any, number_format: str | None = "General") -> str:
    """``value`` as a cell in ``number_format`` shows it (a blank as "", TRUE/FALSE in capitals, text as is)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if not isinstance(value, (int, float)):
        return str(value)
    sections = (number_format or "General").split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section = sections[1]
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    plain = _LITERAL.sub("", section)
    if section.strip().lower() == "general" or not section.strip():
        return _general(value)
    if not re.search(r"[0#?]", plain):  # a section of text alone, e.g. a flag's "TRUE"
        return "".join(re.findall(r'"([^"]*)"', section)) or _general(value)
    return _digits(value if section is sections[0] else abs(value), plain)


def _general(value: float) -> str:
    """Excel's General: a whole number without decimals, otherwise up to 10 significant digits."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _digits(value: float, plain: str) -> str:
    whole, _, fraction = plain.partition(".")
    most = len(re.findall(r"[0#?]", fraction))
    least = len(re.findall(r"0", re.sub(r"[#?].*", "", fraction)))
    amount = Decimal(repr(float(value))) * (100 if "%" in plain else 1)
    text = f"{amount.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP):{',' if ',' in whole else ''}.{most}f}"
    if most > least:  # optional decimals (#): trailing zeros and a bare point dropped
        head, _, tail = text.partition(".")
        tail = tail[:least] + tail[least:].rstrip("0")
        text = f"{head}.{tail}" if tail else head
    return text + ("%" if "%" in plain else "")
