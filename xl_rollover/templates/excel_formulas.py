"""The core's rules stated as plain Excel formulas of built-in functions, for the portable templates.

One statement per core function output, in the integer-cent form the core's lean rules use
(:func:`xl_rollover.core.rules.form_8606.prorata_cents`, :func:`xl_rollover.core.rules.early_penalty.penalty_cents`):
every amount is turned into whole cents with ``ROUND(x*100,0)`` (an input holds at most two decimals,
so this removes binary noise exactly), all arithmetic is on whole numbers, and every division the form
rounds is ``ROUND(n/d,0)`` of whole numbers, which is half-up for non-negative figures. Why that is
exact in binary floating point (no hidden ties):

- Form 8606 line 10 in thousandths is ``ROUND(line5c*1000/line9c,0)``. A true tie (x.5 exactly) is a
  binary fraction the division returns exactly; any other quotient lies at least ``1/(2*line9c)`` from
  the half, which with every amount at most :data:`PORTABLE_MAX` dollars (line 9 at most 3e10 cents) is
  more than 1.6e-11, above both the division's error (1e-13) and the 15 significant digits Excel and
  LibreOffice keep before rounding (5e-12 for a 4-digit quotient).
- Lines 11-12 are ``ROUND(cents*thousandths/1000,0)``: the product is a whole number below 2^53, the
  quotient's fraction a multiple of 0.001, so ties are exact and non-ties at least 0.001 away.
- The 10% tax is ``ROUND(cents/10,0)`` (IRC §72(t)(1): 10% of the amount, half-up to the cent).

Amounts above :data:`PORTABLE_MAX` are refused in words on the sheet (:data:`TOO_LARGE`), never guessed.
Expressions use ``{name}`` placeholders for the template's defined names (``xl_rollover.templates.build.formula``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: The largest amount the portable formulas take (dollars): keeps every exactness bound above.
PORTABLE_MAX = 100_000_000
#: What a portable cell shows for an amount above :data:`PORTABLE_MAX` (text, not an error value).
TOO_LARGE = f"portable sheet: amounts above {PORTABLE_MAX:,} need the xl-rollover functions"
#: A figure the core refuses as bad input: Excel's own error value, as the add-in's channels show it.
VALUE_ERROR = "#VALUE!"

Expr = str


def cents(x: Expr) -> Expr:
    """Whole cents of a dollar amount (half-up; inputs hold at most two decimals)."""
    return f"ROUND(({x})*100,0)"


def dollars(c: Expr) -> Expr:
    """Dollars of whole cents (the nearest binary number to the exact decimal, as the core's float)."""
    return f"({c})/100"


def _arg(args: Mapping[str, Expr | None], name: str) -> Expr:
    value = args.get(name)
    return "0" if value is None else value


def guard(amounts: Sequence[Expr], expr: Expr) -> Expr:
    """``expr``, or the words of :data:`TOO_LARGE` when an amount is beyond the exact range."""
    if not amounts:
        return expr
    return f'IF(MAX({",".join(amounts)})>{PORTABLE_MAX},"{TOO_LARGE}",{expr})'


# --- Form 8606 lines 1-18 (IRC §408(d)(1)-(2), §72(e)(6); Form 8606 instructions) -------------------


def form_8606_cents(args: Mapping[str, Expr | None], short: bool) -> dict[str, Expr]:
    """Form 8606 lines as whole-cent expressions (line 10 in thousandths), as ``form_8606._compute`` states them.

    ``short``: PRORATA_TAXABLE (basis given as line 5); otherwise FORM_8606 (lines 1-4 from the inputs).
    """
    if short:
        line5 = cents(_arg(args, "basis"))
        lines: dict[str, Expr] = {}
    else:
        line1, line2, line4 = (
            cents(_arg(args, n)) for n in ("nondeductible_contributions", "prior_basis", "late_contributions")
        )
        line3 = f"({line1}+{line2})"
        line5 = f"({line3}-{line4})"
        lines = {"lines_1": line1, "lines_2": line2, "lines_3": line3, "lines_4": line4}
    line6 = f"({cents(_arg(args, 'year_end_value'))}+{cents(_arg(args, 'outstanding_rollovers'))})"
    line7 = cents(_arg(args, "distributions"))
    line8 = cents(_arg(args, "converted"))
    line9 = f"({line6}+{line7}+{line8})"
    # line 10: line 5 ÷ line 9 half-up to 3 places, 1.000 when 1 or more (Form 8606 line 10)
    milli = f"IF({line5}>={line9},1000,MIN(1000,ROUND({line5}*1000/{line9},0)))"
    raw11 = f"ROUND({line8}*{milli}/1000,0)"
    raw12 = f"ROUND({line7}*{milli}/1000,0)"
    # the exclusion never exceeds the basis: cap line 11 then line 12 at line 5 (IRC §72(e)(6))
    over = f"({raw11}+{raw12}>{line5})"
    line11 = f"IF({over},MIN({raw11},{line5}),{raw11})"
    line12 = f"IF({over},MIN({raw12},{line5}-MIN({raw11},{line5})),{raw12})"
    line13 = f"({line11}+{line12})"
    line14 = f"({line5}-{line13})" if short else f"({lines['lines_3']}-{line13})"
    line15a = f"({line7}-{line12})"
    lines.update(
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
            "lines_15b": "0",
            "lines_15c": line15a,
            "lines_16": line8,
            "lines_17": line11,
            "lines_18": f"({line8}-{line11})",
        }
    )
    lines.update(
        {
            "ratio": milli,
            "nontaxable_conversion": line11,
            "nontaxable_distributions": line12,
            "basis_remaining": line14,
            "taxable_distributions": line15a,
            "taxable_conversion": lines["lines_18"],
        }
    )
    return lines


#: Fields FORM_8606 still gives when the year has no distribution and no conversion (line 3 to line 14).
_NO_DISTRIBUTION_FIELDS = ("lines_1", "lines_2", "lines_3", "lines_14", "basis_remaining")


def form_8606(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """FORM_8606(..., output=field): one Form 8606 line (IRC §408(d)(2); Form 8606 lines 1-18)."""
    if args.get("ratio_decimals") is not None:
        raise NotImplementedError("ratio_decimals other than 3")
    field = field or "lines_18"
    lines = form_8606_cents(args, short=False)
    scale = "/1000" if field in ("lines_10", "ratio") else "/100"
    value = f"({lines[field]}){scale}"
    if field not in _NO_DISTRIBUTION_FIELDS:  # the form stops at line 3 (Form 8606 line 3 instruction)
        nothing = f"AND({lines['lines_7']}=0,{lines['lines_8']}=0)"
        value = f"IF({nothing},{VALUE_ERROR},{value})"
    else:
        nothing = f"AND({lines['lines_7']}=0,{lines['lines_8']}=0)"
        if field in ("lines_14", "basis_remaining"):
            value = f"IF({nothing},({lines['lines_3']})/100,{value})"
    late = f"{lines['lines_4']}>{lines['lines_1']}"  # line 4 is part of line 1 (InputError in the core)
    amounts = [
        _arg(args, n)
        for n in (
            "nondeductible_contributions",
            "prior_basis",
            "year_end_value",
            "distributions",
            "converted",
            "late_contributions",
            "outstanding_rollovers",
        )
        if args.get(n) is not None
    ]
    return guard(amounts, f"IF({late},{VALUE_ERROR},{value})")


def prorata_taxable(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """PRORATA_TAXABLE(...): the taxable conversion under the pro-rata rule (IRC §408(d)(2); Form 8606 line 18)."""
    if args.get("ratio_decimals") is not None:
        raise NotImplementedError("ratio_decimals other than 3")
    field = field or "taxable_conversion"
    lines = form_8606_cents(args, short=True)
    scale = "/1000" if field in ("lines_10", "ratio") else "/100"
    nothing = f"AND({lines['lines_7']}=0,{lines['lines_8']}=0)"  # nothing to prorate: InputError in the core
    amounts = [
        _arg(args, n)
        for n in ("converted", "basis", "year_end_value", "distributions", "outstanding_rollovers")
        if args.get(n) is not None
    ]
    return guard(amounts, f"IF({nothing},{VALUE_ERROR},({lines[field]}){scale})")


#: Excel function name -> its statement here: (argument expressions by parameter name, output field) -> Expr.
STATEMENTS: dict[str, Callable[[Mapping[str, Expr | None], str | None], Expr]] = {
    "FORM_8606": form_8606,
    "PRORATA_TAXABLE": prorata_taxable,
}


# --- the split of a full distribution (IRC §72(e)(8); Notice 2014-54) ----------------------------------------


def rollover_split(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """ROTH_ROLLOVER_SPLIT for a whole balance paid as direct rollovers (the Roth IRA amount given, the rest to
    traditional): basis min(basis, balance), pretax to the traditional destination first (Notice 2014-54 §III).

    Stated only for ``distribution`` = ``account_balance`` (the same cell) with no 60-day rollovers, age, RMD or
    flags: the partial-distribution share (distribution × basis ÷ balance) multiplies two amounts in cents
    beyond what binary numbers hold exactly, so it stays with the add-in.
    """
    if args.get("distribution") != args.get("account_balance") or args.get("to_traditional") is not None:
        raise NotImplementedError("ROTH_ROLLOVER_SPLIT is stated for a whole balance to Roth and traditional only")
    extra = set(args) - {"distribution", "after_tax_basis", "account_balance", "to_roth_ira", "output", "_ranges"}
    if any(args.get(n) is not None for n in extra):
        raise NotImplementedError(f"ROTH_ROLLOVER_SPLIT arguments {sorted(extra)}")
    d = cents(_arg(args, "distribution"))
    basis = cents(_arg(args, "after_tax_basis"))
    roth = cents(_arg(args, "to_roth_ira"))
    after_tax = f"MIN({basis},{d})"
    pretax = f"({d}-{after_tax})"
    trad = f"({d}-{roth})"
    pre_trad = f"MIN({pretax},{trad})"
    pre_roth = f"MIN({pretax}-{pre_trad},{roth})"
    roth_form = {
        "box1_gross": roth,
        "box2a_taxable": pre_roth,
        "box4_withholding": "0",
        "box5_employee_contributions": f"({roth}-{pre_roth})",
    }
    trad_form = {
        "box1_gross": trad,
        "box2a_taxable": "0",
        "box4_withholding": "0",
        "box5_employee_contributions": f"({trad}-{pre_trad})",
    }
    fields: dict[str, Expr] = {
        "after_tax": after_tax,
        "pretax": pretax,
        "roth_after_tax": f"({roth}-{pre_roth})",
        "roth_pretax": pre_roth,
        "traditional_after_tax": f"({trad}-{pre_trad})",
        "traditional_pretax": pre_trad,
        "taxable": pre_roth,  # pretax landing in the Roth IRA (IRC §408A(d)(3)(A)(i)); nothing is kept
        "withholding": "0",  # no payment to the participant: nothing under §3405(c)
        "penalty_base": "0",  # rollovers are not under §72(t) (IRC §408A(d)(3)(A)(ii))
    }
    for box in roth_form:
        # the forms in the core's order: the Roth IRA rollover if any, then the traditional one if any
        fields[f"form_1099r_1_{box}"] = f"IF({roth}>0,{roth_form[box]},IF({trad}>0,{trad_form[box]},{VALUE_ERROR}))"
        fields[f"form_1099r_2_{box}"] = f"IF(AND({roth}>0,{trad}>0),{trad_form[box]},{VALUE_ERROR})"
    if not field or field not in fields:
        raise NotImplementedError(f"ROTH_ROLLOVER_SPLIT output {field!r}")
    refused = f"OR({d}=0,{roth}>{d})"  # nothing to split, or more to the Roth IRA than paid: InputError
    amounts = [_arg(args, n) for n in ("distribution", "after_tax_basis", "to_roth_ira")]
    return guard(amounts, f"IF({refused},{VALUE_ERROR},({fields[field]})/100)")


# --- the 10% additional tax with no exception (IRC §72(t)(1); Form 5329 line 4) ------------------------------


def early_penalty(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """EARLY_PENALTY(amount, age in whole years, plan type) with no exception: 10% before 59½, half-up to the cent.

    Stated for an age in years (a whole number of years under 60 is before 59½) and a plan account, with no
    exception, year, or SIMPLE IRA two-year rule: those read tables the add-in holds.
    """
    extra = set(args) - {"taxable_amount", "age", "account_type", "output", "_ranges"}
    if any(args.get(n) is not None for n in extra) or field not in (None, "penalty", "form_5329_4"):
        raise NotImplementedError("EARLY_PENALTY is stated without an exception and for the penalty only")
    if args.get("account_type") not in ('"401K"', '"403B"', '"PLAN"', '"IRA"', None):
        raise NotImplementedError("EARLY_PENALTY for this account type")
    amount, age = cents(_arg(args, "taxable_amount")), _arg(args, "age")
    bad_age = f"OR({age}<0,{age}>125)"  # parse_age: 0 to 125 (xl_rollover.core.age.MAX_AGE)
    value = f"IF({bad_age},{VALUE_ERROR},IF({age}>=59.5,0,ROUND({amount}/10,0))/100)"
    return guard([_arg(args, "taxable_amount")], value)


# --- the Roth IRA's tax- and penalty-free basis (IRC §408A(d)(4); Reg. §1.408A-6) ------------------


def penalty_free(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """ROTH_PENALTY_FREE over a named grid of conversion layers (year, taxable, nontaxable) in ascending years.

    Regular contributions come out first, then each layer, taxable part then nontaxable part; the free amount
    stops before the first taxable part still inside its five years, unless 59½ is reached. Stated for a
    fixed grid (its cells named; the templates' layers run oldest first) and an age in whole years.
    """
    ranges: Any = args.get("_ranges") or {}  # name -> cell names, row by row (xl_rollover.templates.portable)
    name = (args.get("conversions") or "").strip("{}")
    if not isinstance(ranges, dict) or name not in ranges:
        raise NotImplementedError("ROTH_PENALTY_FREE over an input table of variable length")
    rows = ranges[name]
    year, age = _arg(args, "distribution_year"), _arg(args, "age")
    old = f"({age}>=59.5)"
    free = cents(_arg(args, "regular_contributions"))
    # build from the last layer back: each layer either stops the count, or adds itself and goes on
    tail = "0"
    for y, t, n in reversed(rows):
        ly, lt, ln = "{" + y + "}", cents("{" + t + "}"), cents("{" + n + "}")
        stop = f"AND({lt}>0,{year}<={ly}+4,NOT{old})"
        tail = f"IF({ly}>{year},0,IF({stop},0,{lt}+{ln}+{tail}))"
    bad_age = f"OR({age}<0,{age}>125)"
    # an error value anywhere in the layers is the core's error, even where the count stops before it
    errors = "0*SUM(" + ",".join("{" + c + "}" for row in rows for c in row) + ")"
    amounts = [_arg(args, "regular_contributions")]
    return guard(amounts, f"IF({bad_age},{VALUE_ERROR},({free}+{tail})/100+{errors})")


STATEMENTS.update(
    {
        "ROTH_ROLLOVER_SPLIT": rollover_split,
        "EARLY_PENALTY": early_penalty,
        "ROTH_PENALTY_FREE": penalty_free,
    }
)
