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
from decimal import Decimal
from typing import Any

from xl_rollover.core import limits
from xl_rollover.core.rules.split import WITHHOLDING_FLOOR_PARAMETER, WITHHOLDING_RATE_PARAMETER

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
    return guard(amounts, f"IF(OR({negative(amounts)},{late}),{VALUE_ERROR},{value})")


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
    refused = f"OR({negative(amounts)},{nothing})"
    return guard(amounts, f"IF({refused},{VALUE_ERROR},({lines[field]}){scale})")


#: Excel function name -> its statement here: (argument expressions by parameter name, output field) -> Expr.
STATEMENTS: dict[str, Callable[[Mapping[str, Expr | None], str | None], Expr]] = {
    "FORM_8606": form_8606,
    "PRORATA_TAXABLE": prorata_taxable,
}


# --- portA: the split of a distribution paid as direct rollovers (IRC §72(e)(8); Notice 2014-54) ---------


#: Base of the long division in :func:`share_half_up`: every step's dividend stays below 4 × 1e10 × 2,500 = 1e14.
_LIMB = 2500
#: What a split cell shows when the core refuses the case (UnsupportedCase: #N/A in the add-in flavour).
RMD_REFUSED = (
    "not computed: at age 69 or over an RMD may be due this year; enter the RMD still due (0 if none) "
    "(IRC §401(a)(9)(C), §402(c)(4)(B))"
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
    integer-cent rule (:func:`xl_rollover.core.rules.split.roth_rollover_split`, steps 1-10 but 5), for a whole
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
    RMD's; 10. one Form 1099-R per destination, then the payment. Age in years only: under 69 no RMD year,
    otherwise the RMD due must be given (else the refusal in words, :data:`RMD_REFUSED`).
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
        bad.append(f"AND(NOT({_blank(age)}),OR({age}<0,{age}>125))")  # parse_age: 0 to 125
    bad.append(f"{d}=0")  # the balance is 0 (InputError), so is the distribution
    refusals: dict[str, Expr] = {"value": f"OR({','.join(bad)})"}
    if age is not None:
        no_rmd = "TRUE" if rmd_in is None else _blank(rmd_in)
        # age 69 or over with no RMD given: the core cannot tell whether one is due (IRC §401(a)(9)(C))
        refusals["rmd"] = f"AND(NOT({_blank(age)}),{age}>=69,{no_rmd})"
        if rmd_in is not None:
            # an RMD given under 69: no applicable age is reached that year (InputError)
            refusals["rmd_value"] = f"AND(NOT({_blank(age)}),{age}<69,{cents(rmd_in)}>0)"
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
    extra = set(args) - {"taxable_amount", "age", "account_type", "output", "_ranges"}
    if any(args.get(n) is not None for n in extra) or field not in (None, "penalty", "form_5329_4"):
        raise NotImplementedError("EARLY_PENALTY is stated without an exception and for the penalty only")
    if args.get("account_type") not in ('"401K"', '"403B"', '"PLAN"', '"IRA"', None):
        raise NotImplementedError("EARLY_PENALTY for this account type")
    amount, age = cents(_arg(args, "taxable_amount")), _arg(args, "age")
    bad_age = f"OR({age}<0,{age}>125)"  # parse_age: 0 to 125 (xl_rollover.core.age.MAX_AGE)
    bad_age = f"OR({_blank(age)},{negative([_arg(args, 'taxable_amount')])},{bad_age})"  # blank: required
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
