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
Expressions use ``{name}`` placeholders for the template's defined names (``xl_rollover.templates.evaluation.formula``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xl_rollover.core import limits
from xl_rollover.core.age import HALF_59, MAX_AGE
from xl_rollover.core.rules import early_penalty as early_rules
from xl_rollover.core.rules import five_year
from xl_rollover.core.rules.penalty_exceptions import ACCOUNT_TYPES, EXCEPTIONS
from xl_rollover.core.rules.rmd import rmd_years_window
from xl_rollover.core.rules.split import WITHHOLDING_FLOOR_PARAMETER, WITHHOLDING_RATE_PARAMETER
from xl_rollover.core.serial_dates import END_SERIAL, FIRST_SERIAL

#: The largest amount the portable formulas take (dollars): keeps every exactness bound above.
PORTABLE_MAX = 100_000_000
#: Age 59½ as the formulas write it, and in months from the birth date (IRC §72(t)(2)(A)(i); a limits row).
AGE_59_5, MONTHS_59_5 = f"{HALF_59.normalize():f}", int(HALF_59 * 12)
#: Years after a period's first year that are still inside it (five-taxable-year periods as data, ``five_year``).
_RECAPTURE_LAST = five_year.last_year(0, five_year.RECAPTURE)
_QUALIFIED_LAST = five_year.last_year(0, five_year.QUALIFIED)
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


def negative(amounts: Sequence[Expr]) -> Expr:
    """TRUE when an amount is below 0 (the core refuses it: ``to_money``, an InputError, #VALUE!)."""
    return f"MIN({','.join(amounts)})<0" if amounts else "FALSE"


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


def _form_opening(
    args: Mapping[str, Expr | None], field: str | None, default: str, short: bool
) -> tuple[str, dict[str, Expr], Expr, Expr]:
    """What FORM_8606 and PRORATA_TAXABLE open with: (field, lines in cents, the field's value, nothing to prorate).

    Line 10 is at Form 8606's 3 places only (thousandths; other ``ratio_decimals`` refused here), the
    other lines in dollars; "nothing" is lines 7 and 8 both 0 (Form 8606 line 3 instruction).
    """
    if args.get("ratio_decimals") is not None:
        raise NotImplementedError("ratio_decimals other than 3")
    field = field or default
    lines = form_8606_cents(args, short=short)
    scale = "/1000" if field in ("lines_10", "ratio") else "/100"
    nothing = f"AND({lines['lines_7']}=0,{lines['lines_8']}=0)"
    return field, lines, f"({lines[field]}){scale}", nothing


def _given(args: Mapping[str, Expr | None], names: Sequence[str]) -> list[Expr]:
    """The amounts given (omitted arguments are not checked)."""
    return [_arg(args, n) for n in names if args.get(n) is not None]


def form_8606(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """FORM_8606(..., output=field): one Form 8606 line (IRC §408(d)(2); Form 8606 lines 1-18)."""
    field, lines, value, nothing = _form_opening(args, field, "lines_18", short=False)
    if field not in _NO_DISTRIBUTION_FIELDS:  # the form stops at line 3 (Form 8606 line 3 instruction)
        value = f"IF({nothing},{VALUE_ERROR},{value})"
    elif field in ("lines_14", "basis_remaining"):
        value = f"IF({nothing},({lines['lines_3']})/100,{value})"
    late = f"{lines['lines_4']}>{lines['lines_1']}"  # line 4 is part of line 1 (InputError in the core)
    amounts = _given(
        args,
        (
            "nondeductible_contributions",
            "prior_basis",
            "year_end_value",
            "distributions",
            "converted",
            "late_contributions",
            "outstanding_rollovers",
        ),
    )
    return guard(amounts, f"IF(OR({negative(amounts)},{late}),{VALUE_ERROR},{value})")


def prorata_taxable(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """PRORATA_TAXABLE(...): the taxable conversion under the pro-rata rule (IRC §408(d)(2); Form 8606 line 18)."""
    _, _, value, nothing = _form_opening(args, field, "taxable_conversion", short=True)  # nothing: InputError
    amounts = _given(args, ("converted", "basis", "year_end_value", "distributions", "outstanding_rollovers"))
    refused = f"OR({negative(amounts)},{nothing})"
    return guard(amounts, f"IF({refused},{VALUE_ERROR},{value})")


#: Excel function name -> its statement here: (argument expressions by parameter name, output field) -> Expr.
STATEMENTS: dict[str, Callable[[Mapping[str, Expr | None], str | None], Expr]] = {
    "FORM_8606": form_8606,
    "PRORATA_TAXABLE": prorata_taxable,
}


# --- portA: the split of a distribution paid as direct rollovers (IRC §72(e)(8); Notice 2014-54) ---------


#: Base of the long division in :func:`share_half_up`: every step's dividend stays below 4 × 1e10 × 2,500 = 1e14.
_LIMB = 2500
#: Age in whole years below which no year is an RMD year (69: the applicable-age rows, :func:`rmd_years_window`).
RMD_NEVER_BELOW = int(rmd_years_window()[0])
#: What a split cell shows when the core refuses the case (UnsupportedCase: #N/A in the add-in flavour).
RMD_REFUSED = (
    f"not computed: at age {RMD_NEVER_BELOW} or over an RMD may be due this year; enter the RMD still due "
    "(0 if none) (IRC §401(a)(9)(C), §402(c)(4)(B))"
)


def share_half_up(a: Expr, b: Expr, n: Expr) -> Expr:
    """``a × b ÷ n`` half-up to a whole number, exactly, for whole numbers ``0 ≤ a ≤ n ≤ 1e10`` and ``0 ≤ b ≤ 1e10``
    (:func:`xl_rollover.core.money.half_up_div` of ``a × b`` by ``n``, as the split's kernel takes the pro-rata
    share of basis in an amount in cents, IRC §72(e)(8)).

    Half-up is ``floor((2ab + n) ÷ 2n)``. The product (up to 1e20) is beyond what a binary number holds exactly,
    and LibreOffice treats two numbers equal to about 15 digits as equal when it subtracts or compares them, so
    the remainder ``(2ab + n) mod 2n`` is found by long division over ``b``'s three base-2,500 digits, each
    step's dividend below 1e14 (where INT, MOD and subtraction are exact in both programs, and MOD's quotient,
    below 10,000, is far inside Excel's range). The result ``(2ab + n − remainder) ÷ 2n`` is a whole number
    that the binary computation ``a*b/n + 1/2 − remainder/(2n)`` reaches within 1e-5: ROUND(…, 0) gives it.
    """
    two_a, two_n = f"2*({a})", f"2*({n})"
    digits = (f"INT(({b})/{_LIMB**2})", f"MOD(INT(({b})/{_LIMB}),{_LIMB})", f"MOD({b},{_LIMB})")
    rest = f"MOD({two_a}*{digits[0]},{two_n})"
    rest = f"MOD({rest}*{_LIMB}+{two_a}*{digits[1]},{two_n})"
    rest = f"MOD({rest}*{_LIMB}+{two_a}*{digits[2]}+({n}),{two_n})"
    return f"ROUND(({a})*({b})/({n})+0.5-{rest}/({two_n}),0)"


def _blank(expr: Expr | None) -> Expr:
    """TRUE when an argument is a blank cell (the core then gets no value), FALSE for a literal or no argument."""
    if expr is None or not (expr.startswith("{") and expr.endswith("}")):
        return "FALSE"
    return f"ISBLANK({expr})"


def split_cents(args: Mapping[str, Expr | None]) -> tuple[dict[str, Expr], dict[str, Expr]]:
    """ROTH_ROLLOVER_SPLIT's fields as whole-cent expressions, and its refusals, in the steps of the core's
    integer-cent kernels (:func:`xl_rollover.core.rules.split.share_kernel`, ``destination_kernel`` and
    ``numbered_forms``; the refusals as ``roth_rollover_split`` makes them), for a whole
    balance (``distribution`` and ``account_balance`` the same cell) with no 60-day rollovers: the Roth IRA and
    traditional amounts given or by default, the rest paid to the participant. (A partial distribution's own
    share would take the formulas past Excel's 8,192 characters: it stays with the add-in.)

    1. the after-tax share: all the basis, up to the amount (IRC §72(e)(8), §72(e)(2)(B)); 2. the RMD is paid
    first with its own share (RMD × basis ÷ balance half-up, :func:`share_half_up`), never rolled (IRC
    §401(a)(9)(C), §402(c)(4)(B); Reg. §1.402(c)-2 Q&A-7); 3-4. pretax goes to the traditional destination
    first, then to the Roth IRA, the rest is paid (Notice 2014-54 §III); 6. taxable: pretax to the Roth IRA,
    pretax paid and the RMD's pretax (IRC §408A(d)(3)(A)(i), §402(a)); 7. withholding 20% of the pretax paid,
    half-up, none when the eligible amount is under $200 (IRC §3405(c)(1); Reg. §31.3405(c)-1 Q&A-14: rate and
    floor read from the limits table when the formula is made); 8. the §72(t) base is the pretax paid and the
    RMD's; 10. one Form 1099-R per destination, then the payment. Age in years only: under 69
    (:data:`RMD_NEVER_BELOW`) no RMD year, otherwise the RMD due must be given (else the refusal in words, :data:`RMD_REFUSED`).
    """
    if any(args.get(n) is not None for n in ("rolled_60day_roth", "rolled_60day_traditional")):
        raise NotImplementedError("ROTH_ROLLOVER_SPLIT with 60-day rollovers")
    flags = ("separated_age_55", "annuity_payment", "includes_designated_roth", "pre_1987_basis")
    if any(args.get(n) not in (None, "FALSE") for n in flags):
        raise NotImplementedError("ROTH_ROLLOVER_SPLIT with a flag set")
    if args.get("distribution") != args.get("account_balance"):
        raise NotImplementedError("ROTH_ROLLOVER_SPLIT of a partial distribution")
    d = balance = cents(_arg(args, "distribution"))
    basis = cents(_arg(args, "after_tax_basis"))
    age, rmd_in = args.get("age"), args.get("rmd_amount")
    # 1. the pro-rata share of basis (IRC §72(e)(8)); above the account's value it is not recovered
    after_tax = f"MIN({basis},{d})"
    # 2. the RMD first (0 when not given), with its own share unless it takes the whole distribution
    if rmd_in is None:
        rmd, eligible, eligible_after_tax, rmd_after_tax, rmd_pretax = "0", d, after_tax, "0", "0"
    else:
        asked = cents(rmd_in)
        rmd = f"MIN({asked},{d})"
        rmd_share = f"IF({asked}>={d},{after_tax},MIN({asked},{share_half_up(asked, basis, balance)}))"
        eligible = f"({d}-{rmd})"
        # the core's MIN(after-tax less the RMD's share, eligible) never binds for a full distribution: with
        # basis >= d both sides are d - rmd; with basis < d, round(rmd*basis/d) >= basis - d + rmd because
        # (basis - d)(rmd - d) >= 0. So it is dropped (the formulas stay within Excel's 8,192 characters), and
        # the RMD's after-tax part, after-tax less the eligible after-tax part, is its share itself.
        eligible_after_tax = f"({after_tax}-{rmd_share})"
        rmd_after_tax = rmd_share
        rmd_pretax = f"({rmd}-{rmd_after_tax})"
    eligible_pretax = f"({eligible}-{eligible_after_tax})"
    # 3. destinations: the Roth IRA amount (or the eligible after-tax part), the traditional amount (or the rest;
    # a blank cell is the rest too), the remainder paid to the participant
    given_roth, given_trad = args.get("to_roth_ira"), args.get("to_traditional")
    roth = eligible_after_tax if given_roth is None else cents(given_roth)
    rest = f"({eligible}-{roth})"
    # 4. pretax to the traditional destination first, then to the Roth IRA, the rest of it paid
    if given_roth is None and given_trad is None:
        # by default the Roth IRA takes the eligible after-tax part, so the traditional destination is exactly
        # the eligible pretax part: all of it there, none to the Roth IRA (the core's MINs, resolved)
        trad, pre_trad, pre_roth, cash, cash_pretax = eligible_pretax, eligible_pretax, "0", "0", "0"
    else:
        trad = rest if given_trad is None else f"IF({_blank(given_trad)},{rest},{cents(given_trad)})"
        cash = "0" if given_trad is None else f"({rest}-{trad})"
        # with pretax P, traditional t and Roth r (all >= 0): MIN(P - MIN(P, t), r) = MIN(MAX(P - t, 0), r), and
        # what is left for the payment, P - MIN(P, t) - that, is MAX(P - t - r, 0): the core's steps, P said once
        over = f"({eligible_pretax}-{trad})"
        pre_trad = f"MIN({eligible_pretax},{trad})"
        pre_roth = f"MIN(MAX({over},0),{roth})"
        cash_pretax = "0" if given_trad is None else f"MAX({over}-{roth},0)"
    cash_after_tax = "0" if cash == "0" else f"({cash}-{cash_pretax})"
    # 7. 20% of the pretax paid, half-up, none when the eligible amount is under $200 (rate and floor: data rows)
    rate, _ = limits.value(WITHHOLDING_RATE_PARAMETER, None)
    floor, _ = limits.value(WITHHOLDING_FLOOR_PARAMETER, None)
    top, bottom = Decimal(rate).as_integer_ratio()
    withholding = (
        "0" if cash == "0" else (f"IF({eligible}<{int(Decimal(floor) * 100)},0,ROUND({cash_pretax}*{top}/{bottom},0))")
    )
    fields: dict[str, Expr] = {
        "after_tax": after_tax,
        "pretax": f"({d}-{after_tax})",
        "roth_after_tax": f"({roth}-{pre_roth})",
        "roth_pretax": pre_roth,
        "traditional_after_tax": f"({trad}-{pre_trad})",
        "traditional_pretax": pre_trad,
        "cash_after_tax": cash_after_tax,
        "cash_pretax": cash_pretax,
        "rolled_60day_after_tax": "0",
        "rolled_60day_pretax": "0",
        "kept_after_tax": cash_after_tax,
        "kept_pretax": cash_pretax,
        "taxable": f"({pre_roth}+{cash_pretax}+{rmd_pretax})",
        "withholding": withholding,
        "penalty_base": f"({cash_pretax}+{rmd_pretax})",
        "remaining_balance": "0",
        "remaining_basis": f"({basis}-{after_tax})",
        "unrecovered_basis": f"MAX(0,{basis}-{balance})",
        "rmd_after_tax": rmd_after_tax,
        "rmd_pretax": rmd_pretax,
        "traditional_ira_basis": f"({trad}-{pre_trad})",
    }
    # 10. the forms in the core's order: Roth IRA rollover, traditional rollover, the payment (cash and the RMD)
    paid = f"({cash}+{rmd})"
    forms = (
        (
            f"{roth}>0",
            {"box1_gross": roth, "box2a_taxable": pre_roth, "box5_employee_contributions": f"({roth}-{pre_roth})"},
        ),
        (
            f"{trad}>0",
            {"box1_gross": trad, "box2a_taxable": "0", "box5_employee_contributions": f"({trad}-{pre_trad})"},
        ),
        (
            f"{paid}>0",
            {
                "box1_gross": paid,
                "box2a_taxable": f"({cash_pretax}+{rmd_pretax})",
                "box4_withheld": withholding,
                "box5_employee_contributions": f"({cash_after_tax}+{rmd_after_tax})",
            },
        ),
    )[: 3 if cash != "0" or rmd_in is not None else 2]
    for box in ("box1_gross", "box2a_taxable", "box4_withheld", "box5_employee_contributions"):
        for k in (1, 2, 3):
            # the k-th form is the first form present after k-1 present ones: nested over the three
            fields[f"form_1099r_{k}_{box}"] = _kth_form(forms, k, box)
    # refusals, in the core's order; each is #VALUE! (InputError) but the RMD one (UnsupportedCase)
    amounts = [
        _arg(args, n)
        for n in ("distribution", "after_tax_basis", "account_balance", "to_roth_ira", "to_traditional", "rmd_amount")
        if args.get(n) is not None
    ]
    bad = [negative(amounts)]
    if age is not None:
        bad.append(f"AND(NOT({_blank(age)}),OR({age}<0,{age}>{MAX_AGE}))")  # parse_age: 0 to 125
    bad.append(f"{d}=0")  # the balance is 0 (InputError), so is the distribution
    refusals: dict[str, Expr] = {"value": f"OR({','.join(bad)})"}
    if age is not None:
        no_rmd = "TRUE" if rmd_in is None else _blank(rmd_in)
        # age 69 or over with no RMD given: the core cannot tell whether one is due (IRC §401(a)(9)(C))
        refusals["rmd"] = f"AND(NOT({_blank(age)}),{age}>={RMD_NEVER_BELOW},{no_rmd})"
        if rmd_in is not None:
            # an RMD given under 69: no applicable age is reached that year (InputError)
            refusals["rmd_value"] = f"AND(NOT({_blank(age)}),{age}<{RMD_NEVER_BELOW},{cents(rmd_in)}>0)"
    if given_roth is not None:
        refusals["roth"] = f"{roth}>{eligible}"
    if given_trad is not None:  # the two destinations above the eligible amount
        refusals["roth"] = f"OR({roth}>{eligible},{roth}+{trad}>{eligible})"
    return fields, refusals


def _kth_form(forms: Sequence[tuple[Expr, Mapping[str, Expr]]], k: int, box: str) -> Expr:
    """The ``box`` of the ``k``-th Form 1099-R present (#VALUE! when fewer are present, as the add-in says)."""
    if not forms:
        return VALUE_ERROR
    (present, boxes), rest = forms[0], forms[1:]
    here = boxes.get(box, "0") if k == 1 else _kth_form(rest, k - 1, box)
    return f"IF({present},{here},{_kth_form(rest, k, box)})"


def rollover_split(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """ROTH_ROLLOVER_SPLIT(..., output=field) for direct rollovers only (:func:`split_cents`): one field in dollars,
    #VALUE! where the core refuses the input, the refusal in words where it refuses the case (the RMD unknown)."""
    fields, refusals = split_cents(args)
    if not field or field not in fields:
        raise NotImplementedError(f"ROTH_ROLLOVER_SPLIT output {field!r}")
    value = f"({fields[field]})/100"
    if "roth" in refusals:
        value = f"IF({refusals['roth']},{VALUE_ERROR},{value})"
    if "rmd_value" in refusals:
        value = f"IF({refusals['rmd_value']},{VALUE_ERROR},{value})"
    if "rmd" in refusals:
        value = f'IF({refusals["rmd"]},"{RMD_REFUSED}",{value})'
    value = f"IF({refusals['value']},{VALUE_ERROR},{value})"
    amounts = [
        _arg(args, n)
        for n in ("distribution", "after_tax_basis", "account_balance", "to_roth_ira", "to_traditional", "rmd_amount")
        if args.get(n) is not None
    ]
    return guard(amounts, value)


# --- the 10% additional tax with no exception (IRC §72(t)(1); Form 5329 line 4) ------------------------------


def early_penalty(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """EARLY_PENALTY(amount, age in whole years, plan type) with no exception: 10% before 59½, half-up to the cent.

    Stated for an age in years (a whole number of years under 60 is before 59½) and a plan account, with no
    exception, year, or SIMPLE IRA two-year rule: those read tables the add-in holds.
    """
    extra = set(args) - {"taxable_amount", "age", "account_type", "output", "_ranges", "_tables"}
    if any(args.get(n) is not None for n in extra) or field not in (None, "penalty", "form_5329_4"):
        raise NotImplementedError("EARLY_PENALTY is stated without an exception and for the penalty only")
    if args.get("account_type") not in ('"401K"', '"403B"', '"PLAN"', '"IRA"', None):
        raise NotImplementedError("EARLY_PENALTY for this account type")
    amount, age = cents(_arg(args, "taxable_amount")), _arg(args, "age")
    bad_age = f"OR({age}<0,{age}>{MAX_AGE})"  # parse_age: 0 to 125 (xl_rollover.core.age.MAX_AGE)
    bad_age = f"OR({_blank(age)},{negative([_arg(args, 'taxable_amount')])},{bad_age})"  # blank: required
    top, bottom = early_rules.rate_units(limits.value(early_rules.RATE_PARAMETER, None)[0])  # §72(t)(1): 1/10
    tax = f"ROUND({amount}{'' if top == 1 else f'*{top}'}/{bottom},0)"
    value = f"IF({bad_age},{VALUE_ERROR},IF({age}>={AGE_59_5},0,{tax})/100)"
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
    old = f"({age}>={AGE_59_5})"
    free = cents(_arg(args, "regular_contributions"))
    # build from the last layer back: each layer either stops the count, or adds itself and goes on
    tail = "0"
    for y, t, n in reversed(rows):
        ly, lt, ln = "{" + y + "}", cents("{" + t + "}"), cents("{" + n + "}")
        stop = f"AND({lt}>0,{year}<={ly}+{_RECAPTURE_LAST},NOT{old})"
        tail = f"IF({ly}>{year},0,IF({stop},0,{lt}+{ln}+{tail}))"
    bad_age = f"OR({age}<0,{age}>{MAX_AGE})"
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


# --- limits by year as a sheet of the portable file (law as data; looked up with INDEX/MATCH) --------------

#: What a portable cell shows for a year its Limits sheet lacks (the core's UnknownYear): words, never a figure.
NO_YEAR = "no limit for this year in this file's table: a year is never defaulted to another"


@dataclass(frozen=True)
class LimitsSheet:
    """Year rows of some limits (one column each, from the core's limits table) and year-less constants below them.

    The sheet is written by :func:`xl_rollover.templates.portable.write_limits`; the statements read it by address: row 1 a
    title, row 2 the headings, one row a year from row 3, then a heading and one row a constant (label, value,
    source). Every value and source comes from :func:`xl_rollover.core.limits.lookup` (primary authority only).
    """

    name: str
    columns: tuple[tuple[str, str], ...]  # (limit name, heading)
    constants: tuple[tuple[str, str], ...] = ()  # (limit name, label)

    def years(self) -> tuple[int, ...]:
        """Every year for which any of the columns has a value."""
        return tuple(sorted({y for name, _ in self.columns for y in limits.years_for(name)}))

    def _last_row(self) -> int:
        return 2 + len(self.years())

    def years_ref(self) -> str:
        return f"{self.name}!$A$3:$A${self._last_row()}"

    def column_ref(self, limit: str) -> str:
        col = 1 + [n for n, _ in self.columns].index(limit)
        letter = chr(ord("A") + col)
        return f"{self.name}!${letter}$3:${letter}${self._last_row()}"

    def constant_ref(self, limit: str) -> str:
        row = self._last_row() + 3 + [n for n, _ in self.constants].index(limit)
        return f"{self.name}!$B${row}"

    def known(self, year: Expr) -> Expr:
        """TRUE when the sheet has a row for ``year``."""
        return f"COUNTIF({self.years_ref()},{year})>0"

    def value_cents(self, limit: str, year: Expr) -> Expr:
        """The limit for ``year`` in whole cents (the table's values are whole dollars; blank where it has none)."""
        return f"INDEX({self.column_ref(limit)},MATCH({year},{self.years_ref()},0))*100"

    def missing(self, limit: str, year: Expr) -> Expr:
        """TRUE when the year's row has no value for ``limit``."""
        return f'INDEX({self.column_ref(limit)},MATCH({year},{self.years_ref()},0))=""'


def _bad_year(year: Expr) -> Expr:
    """Not a whole year in the accepted range (InputError in the core: ``limits.parse_year``)."""
    low, high = limits.YEAR_RANGE
    return f"OR({year}<{low},{year}>{high},{year}<>INT({year}))"


def _negative(amounts: Sequence[Expr]) -> Expr:
    """Any amount below 0 (InputError in the core: ``money.to_money``)."""
    return f"MIN({','.join(amounts)})<0" if amounts else "FALSE"


# --- MEGA_BACKDOOR_ROOM: §415(c) room for after-tax contributions (IRC §415(c)(1), §414(v)) -----------------

#: The limits the room reads, by year, and the catch-up constants (workbooks/portable: the Limits sheet).
ROOM_LIMITS = LimitsSheet(
    "Limits",
    (
        ("annual_additions_limit_415c1A", "§415(c)(1)(A) annual additions"),
        ("elective_deferral_limit_402g", "§402(g)(1)(B) elective deferrals"),
        ("catchup_age50_414v2Bi", "§414(v)(2)(B)(i) catch-up, age 50+"),
        ("catchup_age60_63_414v2Ei", "§414(v)(2)(E)(i) catch-up, ages 60-63"),
    ),
    (
        ("catchup_age_414v5A", "catch-up from age (at year end)"),
        ("catchup_age60_63_first_age_414v2Ei", "larger catch-up from age"),
        ("catchup_age60_63_end_age_414v2Ei", "larger catch-up until age (not included)"),
        ("catchup_age60_63_first_year_414v2Ei", "larger catch-up from year"),
    ),
)


def mega_backdoor_room(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """MEGA_BACKDOOR_ROOM(...): after-tax room = min(§415(c) limit, compensation) less deferrals counted (catch-up
    excluded), employer and after-tax money, never below 0, in whole cents as
    :func:`xl_rollover.core.rules.contribution_limits.room_kernel` states it, step for step, with the catch-up limit
    chosen as :func:`~xl_rollover.core.rules.contribution_limits.mega_backdoor_room` chooses it (IRC §415(c)(1),
    §414(v)(2)(E), (v)(3)(A)).

    Limits by year from the Limits sheet (:data:`ROOM_LIMITS`); a year it lacks is said in words (:data:`NO_YEAR`).
    Refused as the core refuses them (``#VALUE!``): a year not whole or out of range, a negative amount, an age
    outside 0-125, deferrals counted above the §402(g) limit (excess deferrals, §402(g)(2)). A blank compensation
    applies no compensation cap; a blank age, no catch-up (the core's omitted arguments).
    """
    t = ROOM_LIMITS
    year = _arg(args, "year")
    d, e = cents(_arg(args, "employee_deferrals")), cents(_arg(args, "employer_contributions"))
    so_far = cents(_arg(args, "after_tax_so_far"))
    comp_given = args.get("compensation")
    comp = cents(comp_given) if comp_given is not None else None
    age = _arg(args, "age")
    l415 = t.value_cents("annual_additions_limit_415c1A", year)
    l402g = t.value_cents("elective_deferral_limit_402g", year)
    c50 = t.value_cents("catchup_age50_414v2Bi", year)
    c60 = t.value_cents("catchup_age60_63_414v2Ei", year)
    from_age, first60, end60, year60 = (t.constant_ref(n) for n in (name for name, _ in t.constants))
    # the larger catch-up: ages 60 to 63 at year end, from its first year (§414(v)(2)(E)(i))
    larger = f"AND({age}>={first60},{age}<{end60},{year}>={year60})"
    catch_limit = f"IF({age}>={from_age},IF({larger},{c60},{c50}),0)"
    catch_up = f"MIN(MAX({d}-{l402g},0),{catch_limit})"
    counted = f"({d}-{catch_up})"
    cap = l415 if comp is None else f'IF({comp_given}="",{l415},MIN({l415},{comp}))'
    room = f"MAX({cap}-{counted}-{e}-{so_far},0)"
    fields = {
        "room": room,
        "annual_additions_limit": l415,
        "catch_up": catch_up,
        "deferrals_counted": counted,
        "limit_402g": l402g,
        "catch_up_limit": catch_limit,
    }
    field = field or "room"
    if field not in fields:
        raise NotImplementedError(f"MEGA_BACKDOOR_ROOM output {field!r}")
    # a limit the year's row lacks is the core's UnknownYear too (the larger catch-up before it was indexed)
    needs = (
        f"OR({t.missing('annual_additions_limit_415c1A', year)},{t.missing('elective_deferral_limit_402g', year)},"
        f"AND({age}>={from_age},IF({larger},{t.missing('catchup_age60_63_414v2Ei', year)},"
        f"{t.missing('catchup_age50_414v2Bi', year)})))"
    )
    given = [
        _arg(args, n)
        for n in ("employee_deferrals", "employer_contributions", "compensation", "after_tax_so_far")
        if args.get(n) is not None
    ]
    bad = f"OR({_bad_year(year)},{_negative(given)},{age}<0,{age}>{MAX_AGE})"
    excess = f"{counted}>{l402g}"  # excess deferrals must be corrected (§402(g)(2)): InputError in the core
    value = (
        f'IF({bad},{VALUE_ERROR},IF(NOT({t.known(year)}),"{NO_YEAR}",IF({needs},"{NO_YEAR}",'
        f"IF({excess},{VALUE_ERROR},({fields[field]})/100))))"
    )
    return guard(given, value)


def irs_limit(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """IRS_LIMIT(name, year): a limit of the Limits sheet for the year (the core's ``limits.irs_limit``), in words
    when the sheet has no row for the year (:data:`NO_YEAR`)."""
    name = (args.get("limit_name") or "").strip('"')
    if field not in (None, "value") or args.get("filing_status") is not None:
        raise NotImplementedError("IRS_LIMIT is stated for a value without a filing status")
    if name not in [n for n, _ in ROOM_LIMITS.columns]:
        raise NotImplementedError(f"IRS_LIMIT({name}) is not on a portable Limits sheet")
    t, year = ROOM_LIMITS, _arg(args, "year")
    return (
        f'IF({_bad_year(year)},{VALUE_ERROR},IF(NOT({t.known(year)}),"{NO_YEAR}",IF({t.missing(name, year)},'
        f'"{NO_YEAR}",{t.value_cents(name, year)}/100)))'
    )


STATEMENTS.update({"MEGA_BACKDOOR_ROOM": mega_backdoor_room, "IRS_LIMIT": irs_limit})


# --- EARLY_PENALTY with its exceptions: Form 5329 Part I lines 1-4 (IRC §72(t)) ----------------------------


@dataclass(frozen=True)
class ExceptionsSheet:
    """The §72(t)(2) exceptions of the core's table (Form 5329 line 2 numbers) with where each applies, how its
    amount reads and its cap, then the caps and rates by year ("name|year" keys, "name|" for a constant).

    Written by :func:`xl_rollover.templates.portable.write_exceptions` from
    :data:`xl_rollover.core.rules.penalty_exceptions.EXCEPTIONS` and the limits table; read by address here.
    """

    name: str = "Exceptions"

    @staticmethod
    def accounts() -> tuple[str, ...]:
        return tuple(ACCOUNT_TYPES)

    @staticmethod
    def rows() -> tuple[Any, ...]:
        """The exceptions a Form 5329 line 2 number names (those without one are reported elsewhere)."""
        return tuple(e for e in EXCEPTIONS if e.number)

    @staticmethod
    def caps() -> tuple[tuple[str, int | None], ...]:
        """(limit name, year or None) of every cap and rate the statement reads."""
        named = (
            name
            for e in ExceptionsSheet.rows()
            for name in (e.cap_parameter, e.balance_share_parameter, e.balance_floor_parameter)
        )
        names = sorted({name for name in named if name})
        found: list[tuple[str, int | None]] = []
        for name in [*names, early_rules.RATE_PARAMETER, early_rules.SIMPLE_RATE_PARAMETER]:
            years = limits.years_for(name)
            found += [(name, y) for y in years] if years else [(name, None)]
        return tuple(found)

    #: Columns of the exception rows: number, key, amount role, cap name, the vested-balance share and floor
    #: names, distributions after, needs 59½, then one column an account type (1 where it applies), then the
    #: citation.
    HEAD = ("number", "key", "amount", "cap", "balance share", "balance floor", "distributions after", "needs 59½")

    def _last(self) -> int:
        return 2 + len(self.rows())

    def col(self, heading: str) -> str:
        letter = chr(ord("A") + self.HEAD.index(heading))
        return f"{self.name}!${letter}$3:${letter}${self._last()}"

    def accounts_ref(self) -> str:
        a = chr(ord("A") + len(self.HEAD))
        b = chr(ord(a) + len(self.accounts()) - 1)
        return f"{self.name}!${a}$2:${b}$2"

    def applies_ref(self) -> str:
        a = chr(ord("A") + len(self.HEAD))
        b = chr(ord(a) + len(self.accounts()) - 1)
        return f"{self.name}!${a}$3:${b}${self._last()}"

    def caps_top(self) -> int:
        """First row (1-based) of the caps block's data."""
        return self._last() + 3

    def keys_ref(self) -> str:
        return f"{self.name}!$A${self.caps_top()}:$A${self.caps_top() + len(self.caps()) - 1}"

    def values_ref(self) -> str:
        return f"{self.name}!$D${self.caps_top()}:$D${self.caps_top() + len(self.caps()) - 1}"

    def found(self, key: Expr) -> Expr:
        return f"ISNUMBER(MATCH({key},{self.keys_ref()},0))"

    def value(self, key: Expr) -> Expr:
        return f"INDEX({self.values_ref()},MATCH({key},{self.keys_ref()},0))"


EXCEPTION_SHEET = ExceptionsSheet()


def _role(e: Any) -> str:
    """How an exception's amount reads, as the sheet says it: part, expenses, capped or balance."""
    return "balance" if e.amount_role == "vested_balance" else str(e.amount_role)


def _age_59_5(age: Expr, dates: bool) -> tuple[Expr, Expr]:
    """(reached 59½, refused) for an age in years or a (birth date, distribution date) range (``age.parse_age``).

    59½ is six months after the 59th birthday, a missing day the month's last (EDATE clamps as ``add_months``);
    dates are whole serial numbers from 1900-03-01 (the Excel layer's ``excel_date``), the distribution not before
    the birth, at most 125 whole years apart.
    """
    if not dates:
        return f"({age}>={AGE_59_5})", f'OR({age}="",{age}<0,{age}>{MAX_AGE})'
    birth, on = f"INDEX({age},1,1)", f"INDEX({age},1,2)"

    def serial_bad(d: Expr) -> Expr:
        return f'OR({d}="",{d}<{FIRST_SERIAL},{d}>={END_SERIAL},{d}<>INT({d}))'

    years = f"YEAR({on})-YEAR({birth})-IF(MONTH({on})*100+DAY({on})<MONTH({birth})*100+DAY({birth}),1,0)"
    bad = f"IF(OR({serial_bad(birth)},{serial_bad(on)}),TRUE,IF({on}<{birth},TRUE,{years}>{MAX_AGE}))"
    return f"({on}>=EDATE({birth},{MONTHS_59_5}))", bad


def early_penalty_full(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """EARLY_PENALTY(...) with an exception, its amount and cap, the SIMPLE IRA 25% rate and an age in years or
    dates: Form 5329 Part I lines 1-4 in whole cents as :func:`xl_rollover.core.rules.early_penalty.penalty_kernel`
    states them (IRC §72(t)(1)-(2), (6); Instructions for Form 5329, line 2).

    The excepted part is the lesser of the amount and what the exception covers: all of it at 59½ or from a
    governmental §457(b) plan; its amount (or all) for an exception without a cap; the expenses given; the
    lesser of the amount and the cap (first home, birth or adoption: one child, nothing used before); the lesser
    of the year's cap and the exception's share of the vested balance over its floor, half-up to the cent
    (domestic abuse: 50% of it all; emergency: all of it over $1,000; rows of the Exceptions sheet). The tax is ``ROUND(cents*percent/100,0)``: a tie is exactly x.5.
    Refused as the core refuses them (``#VALUE!``); a cap the sheet has no year for is said in words
    (:data:`NO_YEAR`). Not stated: a count of children other than 1 or a first-home amount used before.
    """
    if args.get("exception_count") is not None or args.get("first_home_used") is not None:
        raise NotImplementedError("EARLY_PENALTY with exception_count or first_home_used")
    s = EXCEPTION_SHEET
    age = args.get("age") or '""'
    old, age_bad = _age_59_5(age, dates=age.startswith("{tbl_"))
    taxable = _arg(args, "taxable_amount")
    t = cents(taxable)
    kind = args.get("account_type") or '"IRA"'
    exc = args.get("exception")
    amount = args.get("exception_amount")
    a = cents(amount) if amount is not None else "0"
    a_blank = f'{amount}=""' if amount is not None else "TRUE"
    year = args.get("tax_year")
    y_blank = f'{year}=""' if year is not None else "TRUE"
    simple = args.get("simple_first_two_years") or "FALSE"
    m = f"MATCH({exc},{s.col('number')},0)"
    role, cap_name = f"INDEX({s.col('amount')},{m})", f"INDEX({s.col('cap')},{m})"
    after, needs = f"INDEX({s.col('distributions after')},{m})", f"INDEX({s.col('needs 59½')},{m})"
    applies = f"INDEX({s.applies_ref()},{m},MATCH({kind},{s.accounts_ref()},0))"

    def keys(name: Expr) -> tuple[Expr, Expr]:
        """The caps block's keys of a limits row: for the year, and as a constant."""
        return f'{name}&"|"&{year if year is not None else chr(34) * 2}', f'{name}&"|"'

    def by_year(column: str) -> Expr:
        """The value of the limits row a column of the exception's row names: for the year, else the constant."""
        at_year, constant = keys(f"INDEX({s.col(column)},{m})")
        return f"IF({s.found(at_year)},{s.value(at_year)},{s.value(constant)})"

    key_year, key_any = keys(cap_name)
    cap, share, floor = f"{by_year('cap')}*100", by_year("balance share"), f"{by_year('balance floor')}*100"
    pct = (
        f'ROUND(INDEX({s.values_ref()},MATCH(IF({simple},"{early_rules.SIMPLE_RATE_PARAMETER}|",'
        f'"{early_rules.RATE_PARAMETER}|"),{s.keys_ref()},0))*100,0)'
    )
    gov = f'{kind}="GOV_457B"'
    # what the exception covers (early_penalty._cap), in cents; a vested balance: balance_cap_kernel
    by_role = (
        f'IF({role}="part",IF({a_blank},{t},{a}),IF({role}="expenses",{a},MIN({cap},IF({role}="capped",'
        f"IF({a_blank},{cap},{a}),ROUND(MAX({a}-{floor},0)*{share},0)))))"
    )

    def kernel(covered: Expr, on_line2: Expr, off_form: Expr) -> dict[str, Expr]:
        excepted = f"MIN({t},{covered})"
        penalized = f"({t}-{excepted})"
        line1 = f"IF({off_form},0,{t})"
        line2 = f"IF(AND({on_line2},{line1}<>0),{excepted},0)"
        line3 = f"({line1}-{line2})"
        return {
            "excepted_amount": excepted,
            "penalized_amount": penalized,
            "penalty": f"ROUND({penalized}*{pct}/100,0)",
            "form_5329_1": line1,
            "form_5329_2": line2,
            "form_5329_3": line3,
            "form_5329_4": f"ROUND({line3}*{pct}/100,0)",
        }

    field = field or "penalty"
    plain = kernel(f"IF(OR({old},{gov}),{t},0)", f"AND(NOT({old}),{gov})", old)
    if field not in plain:
        raise NotImplementedError(f"EARLY_PENALTY output {field!r}")
    value = f"({plain[field]})/100"
    if exc is not None:
        excepted_by = kernel(
            f"IF(OR({old},{gov}),{t},{by_role})", f'OR(NOT({old}),{exc}="12")', f'AND({old},{exc}<>"12")'
        )
        late = f'IF({after}="",FALSE,IF({y_blank},TRUE,DATE({year},12,31)<={after}))'
        no_amount = f'AND(NOT({old}),NOT({gov}),OR({role}="expenses",{role}="balance"),{a_blank})'
        refused = f"OR(NOT({applies}=1),{late},AND({needs}=1,NOT({old})),{no_amount})"
        capped = f'AND(NOT({old}),NOT({gov}),OR({role}="capped",{role}="balance"))'
        no_cap = f"AND({capped},NOT({s.found(key_year)}),NOT({s.found(key_any)}))"
        figure = f"({excepted_by[field]})/100"
        value = f'IF({exc}="",{value},IF({refused},{VALUE_ERROR},IF({no_cap},"{NO_YEAR}",{figure})))'
        unknown_exc = f'AND({exc}<>"",NOT(ISNUMBER({m})))'
    else:
        unknown_exc = "FALSE"
    checks = [
        f'{taxable}=""',
        f"{t}<0",
        age_bad,
        f"NOT(ISNUMBER(MATCH({kind},{s.accounts_ref()},0)))",
        unknown_exc,
        f"AND(NOT({a_blank}),{a}<0)",
        f"AND(NOT({y_blank}),{_bad_year(year or '0')})",
    ]
    bad = f"OR({','.join(checks)})"
    simple_wrong = f'AND({simple},{kind}<>"SIMPLE_IRA")'  # §72(t)(6) is for SIMPLE IRAs only: InputError
    value = f"IF({bad},{VALUE_ERROR},IF({simple_wrong},{VALUE_ERROR},{value}))"
    return guard([x for x in (taxable, amount) if x is not None and x != "0"], value)


def _early_penalty_any(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """The plain 10% statement where it suffices (:func:`early_penalty`), else :func:`early_penalty_full`."""
    try:
        return early_penalty(args, field)
    except NotImplementedError:
        return early_penalty_full(args, field)


STATEMENTS["EARLY_PENALTY"] = _early_penalty_any


# --- ROTH_IRA_DISTRIBUTION / ROTH_PENALTY_FREE over an input table of layers (IRC §408A(d); Reg. §1.408A-6) ----


def _layers_of(args: Mapping[str, Expr | None]) -> tuple[Expr, tuple[Expr, Expr, Expr], int]:
    """The conversions table (``{tbl_<name>}``), its year, taxable and nontaxable column ranges (the build's
    ``tbl_<name>_<k>`` names) and its height; NotImplementedError for layers given another way."""
    table = args.get("conversions") or ""
    tables: Any = args.get("_tables") or {}
    name = table.strip("{}")
    if not (table.startswith("{tbl_") and name in tables):
        raise NotImplementedError("ROTH_IRA_DISTRIBUTION over layers that are not an input table")
    y, t, n = ("{" + f"{name}_{k}" + "}" for k in (1, 2, 3))
    return table, (y, t, n), int(tables[name])


def _layer_refusals(table: Expr, cols: tuple[Expr, Expr, Expr], height: int) -> list[Expr]:
    """A row partly blank, a year not whole or out of range, a negative amount: the core refuses the table
    (``roth_ordering._layers``; the Excel layer's ``read_table``), #VALUE!."""
    years, tax, non = cols
    low, high = limits.YEAR_RANGE
    checks = [f"IF(COUNT({years})>0,OR(MIN({years})<{low},MAX({years})>{high}),FALSE)", f"MIN({tax},{non})<0"]
    for i in range(1, height + 1):
        y, t, n = (f"INDEX({table},{i},{k})" for k in (1, 2, 3))
        checks.append(f'MOD(IF({y}="",1,0)+IF({t}="",1,0)+IF({n}="",1,0),3)>0')  # one or two of three blank
        checks.append(f"{y}<>INT({y})")
    return checks


def _basis_before(cols: tuple[Expr, Expr, Expr], year: Expr, op: str = "<") -> Expr:
    """Cents of the layers' taxable and nontaxable parts in years ``op`` ``year`` (SUMIF of two-decimal amounts,
    then whole cents: exact)."""
    y, t, n = cols
    return f'ROUND((SUMIF({y},"{op}"&{year},{t})+SUMIF({y},"{op}"&{year},{n}))*100,0)'


def roth_distribution(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """ROTH_IRA_DISTRIBUTION(amount, regular, conversions table, year, age in years, first year): the ordering
    and both five-year clocks in whole cents as :func:`xl_rollover.core.rules.roth_ordering.ordering_kernel`
    states them (IRC §408A(d)(2), (3)(F), (4); Reg. §1.408A-6 A-2, A-4, A-5(c), A-8, A-9; Form 8606 lines 22-25a).
    The kernel walks the layers sorted and merged by year; the sheet's rows are in any order, so its running
    remainder before a layer is stated in closed form: the amount less regular contributions less the basis of
    all earlier years (SUMIF), which is what the walk leaves.

    Regular contributions come out first, then each year's layer (all of a year's rows are one layer, A-9),
    taxable part first, oldest year first, then earnings. A layer's taxable part taken within its five years
    (the year and the next four) is under §72(t): per row, what its year's layer gives (the amount past regular
    contributions and earlier years, up to the year's taxable total) divided by the rows of that year, summed
    and rounded to whole cents (exact: the shares add back to whole cents). Qualified after the five-year clock
    (the first year given, or the earliest layer) at 59½. The 10% tax is half-up on the cents (IRC §72(t)(1)).
    Refused as the core refuses them (#VALUE!), including Form 8606 lines the core does not give (line 22 for a
    qualified distribution, line 24 when line 23 is 0). Stated for an age in years, with no exception,
    qualifying event, designated Roth rollovers or first-home amount.
    """
    extra = ("exception", "qualifying_event", "roth_401k_rollovers", "first_home_used")
    if any(args.get(n) is not None for n in extra):
        raise NotImplementedError("ROTH_IRA_DISTRIBUTION with an exception, event, Roth 401(k) rollover or first home")
    table, cols, height = _layers_of(args)
    years_col, tax_col, non_col = cols
    amount, regular = _arg(args, "amount"), _arg(args, "regular_contributions")
    year, age = _arg(args, "distribution_year"), _arg(args, "age")
    first = args.get("first_roth_year")
    total, reg = cents(amount), cents(regular)
    has_layers = f"COUNT({years_col})>0"
    earliest = f"MIN({years_col})"
    clock = f'IF({first}<>"",{first},IF({has_layers},{earliest},""))' if first else (f'IF({has_layers},{earliest},"")')
    old = f"({age}>={AGE_59_5})"
    qualified = f'IF({clock}="",FALSE,AND({year}>{clock}+{_QUALIFIED_LAST},{old}))'
    take = f"MIN({total},{reg})"
    line23 = f"MAX({total}-{reg},0)"
    basis = f"ROUND((SUM({tax_col})+SUM({non_col}))*100,0)"
    taxable = f"IF({qualified},0,MAX({line23}-{basis},0))"
    terms = []
    for i in range(1, height + 1):
        y = f"INDEX({table},{i},1)"
        layer_tax = f"ROUND(SUMIF({years_col},{y},{tax_col})*100,0)"
        share = f"MIN(MAX({total}-{reg}-{_basis_before(cols, y)},0),{layer_tax})/COUNTIF({years_col},{y})"
        terms.append(f'IF({y}="",0,IF({y}+{_RECAPTURE_LAST}<{year},0,{share}))')
    recapture = f"IF({qualified},0,ROUND({'+'.join(terms)},0))"
    base = f"({taxable}+{recapture})"
    top, bottom = early_rules.rate_units(limits.value(early_rules.RATE_PARAMETER, None)[0])
    fields = {
        "taxable": taxable,
        "penalty_base": base,
        "penalized_amount": f"IF({old},0,{base})",
        "penalty": f"IF({old},0,ROUND({base}*{top}/{bottom},0))",
        "layers_left_regular_contributions": f"({reg}-{take})",
        "lines_22": f"IF({qualified},{VALUE_ERROR},{reg})",
        "lines_24": f"IF({qualified},{VALUE_ERROR},IF({line23}>0,{basis},{VALUE_ERROR}))",
    }
    field = field or ""
    if field == "qualified_from":
        value = f'IF({clock}="","",DATE({clock}+{_QUALIFIED_LAST + 1},1,1))'  # Jan 1 after the five taxable years (§408A(d)(2)(B))
    elif field in fields:
        value = f"({fields[field]})/100"
    else:
        raise NotImplementedError(f"ROTH_IRA_DISTRIBUTION output {field!r}")
    refusals = [
        f'{amount}=""',
        f'{regular}=""',
        f"MIN({total},{reg})<0",
        f'{year}=""',
        _bad_year(year),
        f'OR({age}="",{age}<0,{age}>{MAX_AGE})',
        *_layer_refusals(table, cols, height),
        f"IF({has_layers},MAX({years_col})>{year},FALSE)",  # a layer after the distribution year
    ]
    if first:
        refusals.append(
            f'IF({first}="",FALSE,OR({_bad_year(first)},{first}>{year},IF({has_layers},{first}>{earliest},FALSE)))'
        )
    refusals.append(f'AND({clock}="",{old})')  # qualified or not depends on a clock the core cannot start
    value = f"IF(OR({','.join(refusals)}),{VALUE_ERROR},{value})"
    return guard([amount, regular, table], value)


def roth_penalty_free_table(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """ROTH_PENALTY_FREE(regular, conversions table, year, age in years): regular contributions, then each year's
    layer in full, oldest first, up to (not including) the first layer whose taxable part is still inside its five
    years, unless 59½ is reached; layers after the year do not count (IRC §408A(d)(4); Reg. §1.408A-6 A-5, A-8;
    :func:`xl_rollover.core.rules.roth_ordering.penalty_free_kernel`), in whole cents. The kernel stops counting at
    the first received layer whose taxable part is inside its period: here the least such year is the cutoff and
    SUMIF adds the basis of the years before it (the sheet's rows are in any order)."""
    if field not in (None, "penalty_free"):
        raise NotImplementedError(f"ROTH_PENALTY_FREE output {field!r}")
    table, cols, height = _layers_of(args)
    regular = _arg(args, "regular_contributions")
    year, age = _arg(args, "distribution_year"), _arg(args, "age")
    stops = []
    for i in range(1, height + 1):
        y, t = f"INDEX({table},{i},1)", f"INDEX({table},{i},2)"
        stops.append(f'IF({y}="",{year}+1,IF(AND({t}>0,{y}<={year},{year}<={y}+{_RECAPTURE_LAST}),{y},{year}+1))')
    cutoff = f"IF({age}>={AGE_59_5},{year}+1,MIN({','.join(stops)}))"
    value = f"({cents(regular)}+{_basis_before(cols, cutoff)})/100"
    refusals = [
        f'{regular}=""',
        f"{cents(regular)}<0",
        f'{year}=""',
        _bad_year(year),
        f'OR({age}="",{age}<0,{age}>{MAX_AGE})',
        *_layer_refusals(table, cols, height),
    ]
    return guard([regular, table], f"IF(OR({','.join(refusals)}),{VALUE_ERROR},{value})")


def _roth_penalty_free_any(args: Mapping[str, Expr | None], field: str | None) -> Expr:
    """The fixed-grid statement (:func:`penalty_free`) for named layers, else the input table's."""
    try:
        return penalty_free(args, field)
    except NotImplementedError:
        return roth_penalty_free_table(args, field)


STATEMENTS.update({"ROTH_IRA_DISTRIBUTION": roth_distribution, "ROTH_PENALTY_FREE": _roth_penalty_free_any})
