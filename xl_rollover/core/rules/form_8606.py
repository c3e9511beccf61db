"""Form 8606 Parts I and II: the nontaxable share of IRA distributions and Roth conversions.

All traditional, SEP and SIMPLE IRAs are one contract and the year's distributions one
distribution, valued at December 31 (IRC §408(d)(1)-(2), §72); Form 8606 line 10 divides the
basis by year-end value plus the year's distributions and conversions, and that ratio sets the
nontaxable part of each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from ..errors import InputError
from ..explain import Result, Step, frozen_map
from ..money import SCALAR, ZERO, cents, dollars, fmt, half_up_div, ratio, to_decimal, to_money

ONE = Decimal(1)
FORM = "Form 8606 (2018-2025 layout)"
#: Line 10's ratio is "rounded to at least 3 places" (Form 8606 instructions, line 10): the default places,
#: and the fewest accepted; more (up to :data:`LINE10_MOST_PLACES`) only when asked for. The column paths run
#: line 10 at these places only: at a scale of 10**LINE10_PLACES they stay inside int64 at the largest amounts
#: (see :func:`prorata_kernel`); more places there would need that bound checked again.
LINE10_PLACES = 3
#: The most places accepted (a bound of this tool, not of the form).
LINE10_MOST_PLACES = 12
#: How the result tables label a line of this form for people ("Form 8606 line 10").
LINE_LABEL = "Form 8606 line"


@dataclass(frozen=True, kw_only=True)
class Form8606Result(Result):
    """Form 8606 lines (Parts I and II) and the figures advisors ask for by name."""

    LINE_LABELS: ClassVar[Mapping[str, str]] = MappingProxyType({"lines": LINE_LABEL})

    lines: Mapping[str, Decimal | None]
    ratio: Decimal | None
    nontaxable_conversion: Decimal
    nontaxable_distributions: Decimal
    basis_remaining: Decimal
    taxable_distributions: Decimal
    taxable_conversion: Decimal


def _ratio_places(value: object) -> int | None:
    if value is None:
        return None
    places = to_decimal(value, "ratio_decimals")
    if places != places.to_integral_value() or not LINE10_PLACES <= places <= LINE10_MOST_PLACES:
        raise InputError(
            f"ratio_decimals {value} must be a whole number from {LINE10_PLACES} to {LINE10_MOST_PLACES} "
            f"(Form 8606 line 10: at least {LINE10_PLACES} places), "
            "or None for the unrounded ratio"
        )
    return int(places)


def _compute(
    *,
    line1: Decimal | None,
    line2: Decimal | None,
    line4: Decimal,
    year_end_value: Decimal,
    outstanding_rollovers: Decimal,
    distributions: Decimal,
    converted: Decimal,
    places: int | None,
    k: Mapping[str, Any],
    short: bool,
) -> Form8606Result:
    """The result and its steps from the kernel's lines ``k`` (:func:`form_8606_kernel` or :func:`prorata_kernel`)."""
    lines: dict[str, Decimal | None] = {}
    steps: list[Step] = []
    line3 = dollars(k["line3"])
    if not short:
        lines.update({"1": line1, "2": line2, "3": line3})
        steps.append(
            Step(
                title="Total basis",
                rule="nondeductible contributions for the year plus basis carried from last year's line 14",
                citation=f"{FORM} lines 1-3",
                inputs={"line 1": line1, "line 2": line2},
                outputs={"line 3": line3},
                form_line="8606 line 3",
            )
        )
        if distributions == 0 and converted == 0:
            # Part II is for conversions: with none, its amounts (lines 16-18) are 0, so a caller asking for
            # line 18 (e.g. a later year of a template's years-ahead table) gets 0 rather than an error.
            lines.update({"14": line3, "16": ZERO, "17": ZERO, "18": ZERO})
            steps.append(
                Step(
                    title="No distribution or conversion",
                    rule=(
                        "with no distribution and no conversion in the year, line 3 goes to line 14 and Part I stops; "
                        "nothing was converted, so Part II lines 16-18 are 0"
                    ),
                    citation=f"{FORM} line 3 instruction; Part II",
                    inputs={"line 3": line3},
                    outputs={"line 14": line3, "line 18": ZERO},
                    form_line="8606 line 14",
                )
            )
            return Form8606Result(
                lines=frozen_map(lines),
                ratio=None,
                nontaxable_conversion=ZERO,
                nontaxable_distributions=ZERO,
                basis_remaining=line3,
                taxable_distributions=ZERO,
                taxable_conversion=ZERO,
                steps=tuple(steps),
            )
        lines["4"] = line4
    line5, line6, line7, line8, line9 = (dollars(k[n]) for n in ("line5", "line6", "line7", "line8", "line9"))
    lines.update({"5": line5, "6": line6, "7": line7, "8": line8, "9": line9})
    steps.append(
        Step(
            title="Denominator",
            rule=(
                "value of all traditional, SEP and SIMPLE IRAs on December 31 plus outstanding rollovers, plus the "
                "year's distributions and conversions (all IRAs are one contract)"
            ),
            citation=f"IRC §408(d)(2); {FORM} lines 6-9",
            inputs={
                "year_end_value": year_end_value,
                "outstanding_rollovers": outstanding_rollovers,
                "line 7": line7,
                "line 8": line8,
            },
            outputs={"line 5": line5, "line 6": line6, "line 9": line9},
            form_line="8606 line 9",
        )
    )

    if places is None:  # shown unrounded; the cents below are the exact share, rounded once
        line10 = ONE if line5 >= line9 else ratio(line5, line9, None)
    else:
        line10 = Decimal(k["line10"]).scaleb(-places)
    lines["10"] = line10
    steps.append(
        Step(
            title="Nontaxable ratio",
            rule=(
                "line 5 ÷ line 9, "
                + (f"rounded half-up to {places} places" if places is not None else "unrounded")
                + f"; {ONE if places is None else ONE.quantize(Decimal(1).scaleb(-places))} if the result is 1 or more"
            ),
            citation=f"{FORM} line 10 ('rounded to at least 3 places')",
            inputs={"line 5": line5, "line 9": line9},
            outputs={"line 10": line10},
            form_line="8606 line 10",
        )
    )

    capped = bool(k["capped"])
    line11, line12, line13 = dollars(k["line11"]), dollars(k["line12"]), dollars(k["line13"])
    lines.update({"11": line11, "12": line12, "13": line13})
    steps.append(
        Step(
            title="Nontaxable parts",
            rule=(
                "conversions × line 10 and other distributions × line 10, each rounded half-up to the cent"
                + ("; capped so the total does not exceed the basis on line 5" if capped else "")
            ),
            citation=f"{FORM} lines 11-13"
            + ("; IRC §72(e)(6) (exclusion limited to the investment in the contract)" if capped else ""),
            inputs={"line 8": line8, "line 7": line7, "line 10": line10},
            outputs={"line 11": line11, "line 12": line12, "line 13": line13},
            form_line="8606 lines 11-13",
        )
    )

    line14, line15a = dollars(k["line14"]), dollars(k["line15a"])
    line15c = line15a  # 15b (qualified disaster distributions) is not modelled: 0
    lines.update({"14": line14, "15a": line15a, "15b": ZERO, "15c": line15c})
    steps.append(
        Step(
            title="Basis carried forward and taxable distributions",
            rule="line 3 less line 13 carries to next year; distributions less their nontaxable part are taxable",
            citation=f"{FORM} lines 14-15c (to Form 1040 line 4b)",
            inputs={"line 3" if not short else "line 5": line3, "line 13": line13, "line 7": line7, "line 12": line12},
            outputs={"line 14": line14, "line 15c": line15c},
            form_line="8606 lines 14-15c",
        )
    )

    line16, line17, line18 = line8, line11, dollars(k["line18"])
    lines.update({"16": line16, "17": line17, "18": line18})
    steps.append(
        Step(
            title="Taxable conversion",
            rule="amount converted less its nontaxable part (line 11)",
            citation=f"{FORM} Part II lines 16-18 (to Form 1040 line 4b)",
            inputs={"line 16": line16, "line 17": line17},
            outputs={"line 18": line18},
            form_line="8606 line 18",
        )
    )
    return Form8606Result(
        lines=frozen_map(lines),
        ratio=line10,
        nontaxable_conversion=line11,
        nontaxable_distributions=line12,
        basis_remaining=line14,
        taxable_distributions=line15c,
        taxable_conversion=line18,
        steps=tuple(steps),
    )


def prorata_taxable(
    converted: object,
    basis: object,
    year_end_value: object,
    distributions: object = 0,
    outstanding_rollovers: object = 0,
    ratio_decimals: object = LINE10_PLACES,
) -> Form8606Result:
    """Taxable part of a Roth conversion under the IRA pro-rata rule, basis given as Form 8606 line 5 (§408(d)(2))."""
    line5 = to_money(basis, "basis")
    conv = to_money(converted, "converted")
    dist = to_money(distributions if distributions is not None else 0, "distributions")
    if conv == 0 and dist == 0:
        raise InputError("converted and distributions are both 0; there is nothing to prorate")
    value = to_money(year_end_value, "year_end_value")
    outstanding = to_money(outstanding_rollovers if outstanding_rollovers is not None else 0, "outstanding_rollovers")
    places = _ratio_places(ratio_decimals)
    k = prorata_kernel(cents(line5), 0, cents(value), cents(outstanding), cents(dist), cents(conv), _scale(places))
    return _compute(
        line1=None,
        line2=None,
        line4=ZERO,
        year_end_value=value,
        outstanding_rollovers=outstanding,
        distributions=dist,
        converted=conv,
        places=places,
        k=k,
        short=True,
    )


def _scale(places: int | None) -> int | None:
    return None if places is None else 10**places


def prorata_kernel(
    line3: Any,
    line4: Any,
    year_end_value: Any,
    outstanding_rollovers: Any,
    line7: Any,
    line8: Any,
    scale: int | None,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """Form 8606 lines 5-18 in integer cents: the basis share of the year's distributions and conversions (§408(d)(2)).

    The one statement of the pro-rata rule, run on Python ints by the scalar API and on numpy int64
    arrays (``ops`` numpy's ``where``/``minimum``) by the column runner. Line 10 = line 5 ÷ line 9 in
    units of ``1/scale`` (``scale = 10**places``), rounded half-up, 1 when line 5 >= line 9 (Form 8606
    line 10); with ``scale`` None the shares are the exact ``line 8 × line 5 ÷ line 9``, rounded once.
    Lines 11 and 12 are rounded half-up to the cent and capped at line 5 (IRC §72(e)(6)). Defined when
    line 9 is more than 0. On int64 arrays only ``scale`` 1000 stays inside 2^63 at the largest amounts.
    """
    line5 = line3 - line4
    line6 = year_end_value + outstanding_rollovers
    line9 = line6 + line7 + line8
    safe9 = ops.where(line9 > 0, line9, 1)
    whole = line5 >= line9
    if scale is None:
        line10 = None
        line11 = ops.where(whole, line8, half_up_div(line8 * line5, safe9))
        line12 = ops.where(whole, line7, half_up_div(line7 * line5, safe9))
    else:
        line10 = ops.where(whole, scale, ops.minimum(half_up_div(line5 * scale, safe9), scale))
        line11 = half_up_div(line8 * line10, scale)
        line12 = half_up_div(line7 * line10, scale)
    # A ratio rounded up (e.g. 0.667 for 2/3) can exclude more than the basis when nothing is left at
    # year end; the exclusion never exceeds the investment in the contract (IRC §72(e)(6), (e)(8);
    # §408(d)(1)), so line 11 then line 12 are capped at line 5.
    capped = line11 + line12 > line5
    line11 = ops.where(capped, ops.minimum(line11, line5), line11)
    line12 = ops.where(capped, ops.minimum(line12, line5 - line11), line12)
    line13 = line11 + line12
    return {
        "line3": line3,
        "line5": line5,
        "line6": line6,
        "line7": line7,
        "line8": line8,
        "line9": line9,
        "line10": line10,
        "capped": capped,
        "line11": line11,
        "line12": line12,
        "line13": line13,
        "line14": line3 - line13,
        "line15a": line7 - line12,
        "line18": line8 - line11,
    }


def form_8606_kernel(
    line1: Any,
    line2: Any,
    line4: Any,
    year_end_value: Any,
    outstanding_rollovers: Any,
    line7: Any,
    line8: Any,
    scale: int | None,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """Form 8606 Part I and II in integer cents: line 3 = line 1 + line 2, then lines 5-18 by :func:`prorata_kernel`.

    Line 3 is the year's nondeductible contributions plus last year's basis (Form 8606 lines 1-3); the
    pro-rata lines follow as :func:`prorata_kernel` states them (IRC §408(d)(1)-(2)).
    """
    line3 = line1 + line2
    k = prorata_kernel(line3, line4, year_end_value, outstanding_rollovers, line7, line8, scale, ops)
    return {"line1": line1, "line2": line2, "line4": line4, **k}


#: Decimal places of :func:`prorata_columns` fields that are not cents: line 10 in thousandths.
CENTS_PLACES: dict[str, int] = {"lines_10": LINE10_PLACES, "ratio": LINE10_PLACES}


def prorata_columns(
    converted: Any, basis: Any, year_end_value: Any, distributions: Any, outstanding_rollovers: Any, ops: Any = SCALAR
) -> dict[str, Any]:
    """:func:`prorata_taxable`'s flat fields (line 10 at :data:`LINE10_PLACES`) from :func:`prorata_kernel`, for whole columns.

    Amounts in integer cents, line 10 in thousandths (:data:`CENTS_PLACES`); the keys are
    :meth:`Result.flat`'s. Defined when converted plus distributions is more than 0.
    """
    k = prorata_kernel(
        basis, 0, year_end_value, outstanding_rollovers, distributions, converted, 10**LINE10_PLACES, ops
    )
    return _part_fields(k)


def form_8606_columns(
    converted: Any,
    year_end_value: Any,
    distributions: Any,
    nondeductible_contributions: Any,
    prior_basis: Any,
    late_contributions: Any,
    outstanding_rollovers: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`form_8606`'s flat fields (line 10 at :data:`LINE10_PLACES`) from :func:`form_8606_kernel`, for whole columns.

    Amounts in integer cents, line 10 in thousandths (:data:`CENTS_PLACES`); the keys are
    :meth:`Result.flat`'s. Defined when converted plus distributions is more than 0 and late
    contributions do not exceed the year's nondeductible contributions (Form 8606 line 4).
    """
    k = form_8606_kernel(
        nondeductible_contributions,
        prior_basis,
        late_contributions,
        year_end_value,
        outstanding_rollovers,
        distributions,
        converted,
        10**LINE10_PLACES,
        ops,
    )
    return {"lines_1": k["line1"], "lines_2": k["line2"], "lines_3": k["line3"], "lines_4": k["line4"]} | _part_fields(
        k
    )


def _part_fields(k: Mapping[str, Any]) -> dict[str, Any]:
    """Lines 5-18 and the named figures as :meth:`Result.flat` spells them, from the kernel's lines."""
    return {
        "lines_5": k["line5"],
        "lines_6": k["line6"],
        "lines_7": k["line7"],
        "lines_8": k["line8"],
        "lines_9": k["line9"],
        "lines_10": k["line10"],
        "lines_11": k["line11"],
        "lines_12": k["line12"],
        "lines_13": k["line13"],
        "lines_14": k["line14"],
        "lines_15a": k["line15a"],
        "lines_15b": 0,
        "lines_15c": k["line15a"],
        "lines_16": k["line8"],
        "lines_17": k["line11"],
        "lines_18": k["line18"],
        "ratio": k["line10"],
        "nontaxable_conversion": k["line11"],
        "nontaxable_distributions": k["line12"],
        "basis_remaining": k["line14"],
        "taxable_distributions": k["line15a"],
        "taxable_conversion": k["line18"],
    }


def form_8606(
    converted: object = 0,
    year_end_value: object = 0,
    distributions: object = 0,
    nondeductible_contributions: object = 0,
    prior_basis: object = 0,
    late_contributions: object = 0,
    outstanding_rollovers: object = 0,
    ratio_decimals: object = LINE10_PLACES,
) -> Form8606Result:
    """Form 8606 Parts I and II line by line: basis, pro-rata ratio, nontaxable and taxable amounts (§408(d)(1)-(2))."""

    def money(value: object, name: str) -> Decimal:
        return to_money(value if value is not None else 0, name)

    line1 = money(nondeductible_contributions, "nondeductible_contributions")
    line2 = money(prior_basis, "prior_basis")
    line4 = money(late_contributions, "late_contributions")
    if line4 > line1:
        raise InputError(
            f"late_contributions {fmt(line4)} exceeds nondeductible_contributions {fmt(line1)}; "
            "line 4 is the part of line 1 made in the next year (Form 8606 line 4)"
        )
    value = money(year_end_value, "year_end_value")
    outstanding = money(outstanding_rollovers, "outstanding_rollovers")
    dist = money(distributions, "distributions")
    conv = money(converted, "converted")
    places = _ratio_places(ratio_decimals)
    k = form_8606_kernel(
        cents(line1),
        cents(line2),
        cents(line4),
        cents(value),
        cents(outstanding),
        cents(dist),
        cents(conv),
        _scale(places),
    )
    return _compute(
        line1=line1,
        line2=line2,
        line4=line4,
        year_end_value=value,
        outstanding_rollovers=outstanding,
        distributions=dist,
        converted=conv,
        places=places,
        k=k,
        short=False,
    )
