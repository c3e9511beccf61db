"""Exact money: parse any caller's number into ``Decimal`` cents, round only where a form rounds.

Rounding rule used throughout: half-up to the cent (``ROUND_HALF_UP``), the usual rule for
amounts on IRS forms and information returns; ratios are rounded only where Form 8606 line 10 says.
Floats are accepted (the Excel boundary) and converted through their shortest decimal repr, so
``0.1`` becomes ``Decimal("0.1")`` and results never depend on the argument's type.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from numbers import Integral
from typing import Any

from .errors import InputError

Number = int | float | str | Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
#: Largest amount accepted: beyond any retirement account, small enough to keep Decimal exact.
MAX_AMOUNT = Decimal("1000000000000")  # 1 trillion dollars
#: Working precision for divisions (pro-rata shares, ratios) before the form's rounding.
PRECISION = 50

_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Thousands separators are accepted only between groups of three digits before the decimal point
#: ("1,234.56"); "1,23" (a decimal comma) is refused rather than read as 123.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?$")
#: Bounds checked before any conversion, so a small input cannot cost a large computation: the
#: longest number text, the most significant digits, and the largest power of ten either way (floats
#: reach 1e-324..1e308; every amount, age, year and rate here is far inside).
MAX_NUMBER_TEXT = 100
MAX_DIGITS = 60
MAX_EXPONENT = 400
#: The most characters of an offending input an error message repeats.
SHOWN = 60


def shown(value: object) -> str:
    """An input as an error message repeats it: its repr, cut to :data:`SHOWN` characters."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * SHOWN:
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    if isinstance(value, str) and len(value) > 4 * SHOWN:
        value = value[: 4 * SHOWN]  # repr of the head only; the cut below marks it
        text = repr(value)[: SHOWN - 3] + "..."
        return text
    try:
        text = repr(value)
    except Exception:  # a hostile object's repr
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def said(value: object) -> str:
    """An input as a message writes it without quotes (``10.005``), cut like :func:`shown`; a line break or other
    control character is written escaped (``\\n``), so the message stays one line."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * SHOWN:
        return shown(value)
    if isinstance(value, Decimal) and value.is_finite() and not -SHOWN <= value.adjusted() <= SHOWN:
        return f"{value:.6E}"
    try:
        text = (value if isinstance(value, str) else str(value))[: 4 * SHOWN]
    except Exception:
        text = f"<{type(value).__name__}>"
    text = one_line(text)
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


#: Characters that end or break a line (and the other C0/C1 controls): a message never carries them raw.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` as one line of a message: a line break or other control character written escaped (``\\n``)."""
    return text if not _BREAKS.search(text) else repr(text)[1:-1]


def _bounded(result: Decimal, value: object, name: str) -> Decimal:
    """Refuse a Decimal too long or too large/small to be any amount, age, year or rate here."""
    if not result.is_finite():
        raise InputError(f"{name} must be a finite number, not {shown(value)}")
    if not -MAX_EXPONENT <= result.adjusted() <= MAX_EXPONENT:
        raise InputError(f"{name} {shown(value)} is out of range for a number here (beyond 10^±{MAX_EXPONENT})")
    if len(result.as_tuple().digits) > MAX_DIGITS:
        raise InputError(f"{name} {shown(value)} has more than {MAX_DIGITS} digits")
    return result


def fmt(amount: Decimal | None) -> str:
    """Format money for people: ``12,345.67``; None as an em dash."""
    if amount is None:
        return "—"
    return f"{amount:,.2f}"


def to_decimal(value: object, name: str) -> Decimal:
    """Parse a number given as int, float, str or Decimal; reject bools, blanks, NaN, infinity, text.

    Text may carry a ``$``, ``_`` and thousands separators between groups of three digits
    (``"$1,234.56"``); its length, digits and exponent are bounded before it is converted.
    """
    if isinstance(value, bool):
        raise InputError(f"{name} must be a number, not the logical value {value}")
    if isinstance(value, Integral) and not isinstance(value, int):
        value = int(value)  # numpy's integers (a pandas cell): the same whole number
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if value.bit_length() > 4 * MAX_DIGITS:
            raise InputError(f"{name} {shown(value)} is out of range for a number here")
        result = Decimal(value)
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise InputError(f"{name} must be a finite number, not {value}")
        result = Decimal(float.__repr__(value))  # numpy's float64 is a float whose repr is "np.float64(...)"
    elif isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT:
            raise InputError(
                f"{name} is text of {len(value):,} characters ({shown(value)}); a number has at most {MAX_NUMBER_TEXT}"
            )
        text = value.strip().replace("$", "").replace("_", "")
        if text == "":
            raise InputError(f"{name} is blank; a number is required")
        if "," in text:
            if not _GROUPED.match(text):
                raise InputError(
                    f"{name} {shown(value)} is not a number: a comma may only separate thousands (1,234.56); "
                    "a decimal comma is not accepted"
                )
            text = text.replace(",", "")
        if not _NUMERIC.match(text):
            raise InputError(f"{name} must be a number, not the text {shown(value)}")
        try:
            result = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex already guards this
            raise InputError(f"{name} must be a number, not the text {shown(value)}") from None
    elif value is None:
        raise InputError(f"{name} is missing; a number is required")
    else:
        raise InputError(f"{name} must be a number, not {type(value).__name__} {shown(value)}")
    return _bounded(result, value, name)


#: The text a yes/no input may be, upper-cased (a CSV or text cell); besides logical values and the numbers 1/0.
FLAG_WORDS = {"TRUE": True, "FALSE": False, "YES": True, "NO": False, "1": True, "0": False}


def to_flag(value: object, name: str, blank: bool | None = False) -> bool:
    """Parse a yes/no input: a logical value, the number 1 or 0, or text in :data:`FLAG_WORDS` (any case).

    A blank (None, or text of only spaces) is ``blank``; ``blank=None`` makes the input required.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank is None:
            raise InputError(f"{name} is missing; TRUE or FALSE is required")
        return blank
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in FLAG_WORDS:
        return FLAG_WORDS[value.strip().upper()]
    raise InputError(f"{name} {shown(value)} must be TRUE or FALSE")


def to_money(value: object, name: str) -> Decimal:
    """Parse a non-negative dollar amount exact to the cent (more precision is an error)."""
    units = plain_cents(value)  # a plain int or float of whole cents: the same amount, without the checks below
    if units is not None:
        return dollars(units)
    amount = to_decimal(value, name)
    if amount < 0:
        raise InputError(f"{name} {fmt_input(amount)} is negative; amounts must be 0 or more")
    if amount > MAX_AMOUNT:
        raise InputError(f"{name} {fmt_input(amount)} exceeds the largest supported amount {fmt(MAX_AMOUNT)}")
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if cents != amount:
        if isinstance(value, float) and abs(cents - amount) < Decimal("0.000001"):
            # binary noise from a spreadsheet calculation (e.g. 1234.5600000000001)
            return cents
        raise InputError(f"{name} {said(value)} has fractions of a cent; give dollars and cents")
    return cents + ZERO  # normalise the exponent to two places


def money_cents(value: object, name: str) -> tuple[Decimal, int]:
    """:func:`to_money` and its integer cents together (a plain number cell is converted once, not twice)."""
    units = plain_cents(value)
    if units is not None:
        return dollars(units), units
    amount = to_money(value, name)
    return amount, cents(amount)


def fmt_input(amount: Decimal) -> str:
    """Format a parsed input for an error message (keeps what the caller gave, with separators)."""
    if not -20 <= amount.adjusted() <= 20:  # never a page of digits in a message
        return f"{amount:.6E}"
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,}"


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def share(amount: Decimal, numerator: Decimal, denominator: Decimal) -> Decimal:
    """``amount × numerator / denominator`` computed exactly, then rounded half-up to the cent."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return round_cents(amount * numerator / denominator)


def ratio(numerator: Decimal, denominator: Decimal, places: int | None) -> Decimal:
    """``numerator / denominator`` rounded half-up to ``places`` decimals (None: full precision).

    The rounded form is computed in exact integer arithmetic (no intermediate rounding at all).
    """
    if places is None:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return numerator / denominator
    n_num, n_den = numerator.as_integer_ratio()
    d_num, d_den = denominator.as_integer_ratio()
    top, bottom = n_num * d_den, n_den * d_num  # the exact quotient top / bottom
    if bottom < 0:
        top, bottom = -top, -bottom
    scaled = abs(top) * 10**places
    units = (2 * scaled + bottom) // (2 * bottom)  # half-up, away from zero
    quantum = Decimal(1).scaleb(-places)
    return Decimal(-units if top < 0 else units).scaleb(-places).quantize(quantum)  # keeps 0 as 0.000


def times(amount: Decimal, factor: Decimal) -> Decimal:
    """``amount × factor`` rounded half-up to the cent."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return round_cents(amount * factor)


# --- integer cents: the same rounding in integer arithmetic, for whole columns ----------------
# Each rule that runs at scale is stated once, as a kernel in integer cents in its own module (Form
# 8606 lines 5-18: ``prorata_kernel``; the §72(t) tax: ``penalty_kernel``; the split: ``share_kernel`` and
# ``destination_kernel``); the scalar API runs it on
# Python ints and converts to Decimal, the column paths run it on numpy int64 arrays through ``ops``.

MAX_CENTS = int(MAX_AMOUNT * 100)


def cents(amount: Decimal) -> int:
    """A parsed amount (exact to the cent, as :func:`to_money` gives) as integer cents, for the kernels."""
    scaled = amount * 100  # exact: an amount here has at most 2 places and far fewer digits than the context
    units = int(scaled)
    if units != scaled:  # pragma: no cover - to_money never gives fractions of a cent
        raise ValueError(f"{amount} is not a whole number of cents")
    return units


def dollars(units: int) -> Decimal:
    """Integer cents from a kernel as a Decimal amount with two places (``148500`` -> ``1485.00``)."""
    if not units:
        return ZERO  # the commonest figure, made once
    return Decimal(units if type(units) is int else int(units)) * CENT  # exact, exponent -2


def half_up_div(numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator`` rounded half-up, for non-negative integers or integer arrays (exact)."""
    return (2 * numerator + denominator) // (2 * denominator)


class ScalarOps:
    """Element operations for one case (Python ints); batch passes numpy's ``where``/``minimum`` instead."""

    @staticmethod
    def where(condition: Any, if_true: Any, if_false: Any) -> Any:
        return if_true if condition else if_false

    @staticmethod
    def minimum(a: Any, b: Any) -> Any:
        return a if a <= b else b

    @staticmethod
    def maximum(a: Any, b: Any) -> Any:
        return a if a >= b else b

    @staticmethod
    def per_key(fn: Any, *keys: Any) -> Any:
        """``fn(*keys)``: a value of law looked up for one case (the column runner calls it once per distinct key)."""
        return fn(*keys)

    @staticmethod
    def ints(value: Any) -> Any:
        """A value for integer arithmetic (numpy: an int64 column); a Python int already is one."""
        return value

    @staticmethod
    def objects(value: Any) -> Any:
        """A value kept as the Python object it is (numpy: an object column, so ints stay ints, not cents)."""
        return value

    # For results of varying shape (Roth IRA layers): no value, pieces packed to the front, distinct keys.

    @staticmethod
    def blank_where(condition: Any, values: Any) -> Any:
        """``values``, or no value (None; masked in an array) where ``condition``."""
        return None if condition else values

    @staticmethod
    def pack(present: Sequence[Any], pieces: Sequence[tuple[Any, ...]], units: Sequence[bool]) -> list[tuple[Any, ...]]:
        """The pieces whose ``present`` is true, in order (for arrays: per row, packed to the front, no value
        after); ``units`` says which fields are integer units (cents), the others plain values."""
        return [piece for here, piece in zip(present, pieces, strict=True) if here]

    @staticmethod
    def distinct(columns: Sequence[Any]) -> list[int]:
        """The distinct non-zero values of ``columns`` (ints, or for arrays every row's), ascending."""
        return sorted({int(v) for v in columns if v})


SCALAR = ScalarOps()


def plain_cents(value: object) -> int | None:
    """The integer cents :func:`to_money` gives ``value``, when that is certain without Decimal; else None.

    Accepts ints and floats whose shortest repr has at most two decimals (what a money cell holds),
    from 0 to :data:`MAX_AMOUNT`. Anything else (text, negatives, fractions of a cent, binary noise,
    NaN) returns None so the caller hands the value to the core, which answers or explains the error.
    """
    try:
        return _plain_cents(value)
    except TypeError:  # unhashable: not a number cell anyway
        return None


@functools.lru_cache(maxsize=4096, typed=True)  # a whole column repeats values (a broadcast basis, zeros)
def _plain_cents(value: object) -> int | None:
    kind = type(value)
    if kind is int:
        cents = value * 100  # type: ignore[operator]
    elif kind is float:
        whole, dot, frac = repr(value).partition(".")
        if not dot or len(frac) > 2 or not whole.isdigit() or not frac.isdigit():
            return None
        cents = int(whole) * 100 + int(frac.ljust(2, "0"))
    else:
        return None
    return cents if 0 <= cents <= MAX_CENTS else None
