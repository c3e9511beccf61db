"""Roth IRA distributions: the ordering rules, the qualified-distribution clock and the
per-conversion five-year recapture (IRC §408A(d); Treas. Reg. §1.408A-6).

Distributions come out of regular contributions first, then conversion and rollover layers oldest
year first (each layer's taxable part before its nontaxable part), then earnings (A-8, A-9); income
arises only once distributions exceed all contributions (A-4); one five-year clock decides whether a
distribution is qualified (A-2), and each conversion's taxable part is subject to §72(t) if withdrawn
within its own five taxable years (A-5(c)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from .. import limits
from ..age import HALF_59, parse_age
from ..errors import InputError
from ..explain import Result, Step, frozen_map
from ..money import SCALAR, ZERO, cents, dollars, fmt, shown, to_flag, to_money
from . import form_8606
from .early_penalty import RATE_PARAMETER, early_penalty, penalty_kernel, rate_units, status_words
from .five_year import QUALIFIED, RECAPTURE, last_year, period_end
from .penalty_exceptions import EXCEPTIONS, parse_exception

QUALIFYING_EVENTS = {"death": "04", "disability": "03", "first_home": "09"}
FIRST_HOME_CAP = "first_home_lifetime_cap_72t8B"
FIRST_HOME = tuple(e for e in EXCEPTIONS if e.lifetime)


@dataclass(frozen=True)
class ConversionLayer:
    """A conversion or plan-rollover layer: the year received, its taxable and nontaxable parts."""

    year: int
    taxable: Decimal
    nontaxable: Decimal


@dataclass(frozen=True)
class LayerOut:
    """What one distribution took from one layer, and how much of that is taxed or penalised."""

    layer: str  # regular | conversion | earnings
    year: int | None
    part: str | None  # taxable | nontaxable for conversion layers
    amount: Decimal
    taxed: Decimal
    penalised: Decimal

    def __str__(self) -> str:
        where = self.layer + (f" {self.year}" if self.year else "") + (f" {self.part} part" if self.part else "")
        return f"{where}: {fmt(self.amount)} out, {fmt(self.taxed)} taxed, {fmt(self.penalised)} under §72(t)"


@dataclass(frozen=True)
class LayersLeft:
    """The basis left after the distribution, in the shape the next call takes (chain the years)."""

    regular_contributions: Decimal
    conversions: tuple[ConversionLayer, ...]

    def as_args(self) -> dict[str, Any]:
        return {
            "regular_contributions": self.regular_contributions,
            "conversions": tuple((c.year, c.taxable, c.nontaxable) for c in self.conversions),
        }

    def __str__(self) -> str:
        convs = "; ".join(
            f"{c.year}: {fmt(c.taxable)} taxable + {fmt(c.nontaxable)} nontaxable" for c in self.conversions
        )
        return f"regular {fmt(self.regular_contributions)}" + (f"; conversions {convs}" if convs else "")


@dataclass(frozen=True, kw_only=True)
class RothDistributionResult(Result):
    """Tax, penalty and the layers touched by one year's Roth IRA distributions."""

    LINE_LABELS: ClassVar[Mapping[str, str]] = MappingProxyType({"lines": form_8606.LINE_LABEL})

    taxable: Decimal
    penalty_base: Decimal  # Form 5329 line 1: taxable earnings plus recaptured conversion parts, before exceptions
    penalty: Decimal
    penalized_amount: Decimal  # the base left after age 59½ and exceptions (Form 5329 line 3)
    penalty_status: str  # in words: subject to the 10% tax or not, and why not
    qualified: bool
    qualified_from: dt.date | None
    layers_out: tuple[LayerOut, ...]
    layers_left: LayersLeft
    recapture_ends: Mapping[int, dt.date]
    lines: Mapping[str, Decimal | None]


def _rows(rows: object, name: str, row: str) -> Iterable[Any]:
    """A table argument's rows: a list (or other iterable) of rows, never text or a single number."""
    if rows is None:
        return ()
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
        raise InputError(f"{name} must be a list of rows {row}, not {type(rows).__name__} {shown(rows)}")
    return rows


def _layers(conversions: Iterable[Any]) -> list[ConversionLayer]:
    out: list[ConversionLayer] = []
    if conversions is None:
        return out
    for i, item in enumerate(_rows(conversions, "conversions", "(year, taxable part, nontaxable part)")):
        if isinstance(item, ConversionLayer):
            out.append(item)
            continue
        try:
            year, taxable, nontaxable = item
        except (TypeError, ValueError):
            raise InputError(
                f"conversions row {i + 1} must be (year, taxable part, nontaxable part), got {shown(item)}"
            ) from None
        out.append(
            ConversionLayer(
                limits.parse_year(year, f"conversions row {i + 1} year"),
                to_money(taxable, f"conversions row {i + 1} taxable part"),
                to_money(nontaxable, f"conversions row {i + 1} nontaxable part"),
            )
        )
    return [ConversionLayer(*layer) for layer in one_layer_a_year((c.year, c.taxable, c.nontaxable) for c in out)]


def one_layer_a_year(layers: Iterable[tuple[int, Any, Any]]) -> list[tuple[int, Any, Any]]:
    """Conversion layers (year, taxable, nontaxable) merged by year, oldest first: all conversions received in
    the same year are one layer (Treas. Reg. §1.408A-6 A-9). Amounts as Decimals or integer cents."""
    merged: dict[int, tuple[int, Any, Any]] = {}
    for year, taxable, nontaxable in layers:
        prior = merged.get(year)
        merged[year] = (
            (year, taxable, nontaxable) if prior is None else (year, prior[1] + taxable, prior[2] + nontaxable)
        )
    return [merged[y] for y in sorted(merged)]


def _first_home_left(first_home_used: object, year: int) -> tuple[Decimal, Decimal]:
    """Earlier years' qualified first-home amounts and what is left of the $10,000 lifetime limit (§72(t)(8)(B))."""
    used = to_money(first_home_used if first_home_used is not None else 0, "first_home_used")
    cap, _ = limits.value(FIRST_HOME_CAP, year)
    if used > cap:
        raise InputError(f"first_home_used {fmt(used)} exceeds the {fmt(cap + ZERO)} lifetime limit (IRC §72(t)(8)(B))")
    return used, cap - used + ZERO


def _drac_rollovers(rows: Sequence[Any]) -> tuple[Decimal, list[str]]:
    """Contributions added to the regular-contribution basis by designated Roth rollovers."""
    basis = ZERO
    notes = []
    for i, item in enumerate(_rows(rows, "roth_401k_rollovers", "(year, contributions, earnings, qualified)")):
        try:
            year, contributions, earnings, qualified = item
        except (TypeError, ValueError):
            raise InputError(
                f"roth_401k_rollovers row {i + 1} must be (year, contributions, earnings, qualified), got {shown(item)}"
            ) from None
        limits.parse_year(year, f"roth_401k_rollovers row {i + 1} year")
        c = to_money(contributions, f"roth_401k_rollovers row {i + 1} contributions")
        e = to_money(earnings, f"roth_401k_rollovers row {i + 1} earnings")
        if to_flag(qualified, f"roth_401k_rollovers row {i + 1} qualified", blank=None):
            basis += c + e
            notes.append(f"{year}: qualified, all {fmt(c + e)} is contribution basis")
        else:
            basis += c
            notes.append(f"{year}: {fmt(c)} contributions join the basis, {fmt(e)} earnings stay earnings")
    return basis, notes


def roth_ira_distribution(
    amount: object,
    regular_contributions: object = 0,
    conversions: Iterable[Any] = (),
    *,
    distribution_year: object,
    age: object,
    first_roth_year: object = None,
    exception: object = None,
    qualifying_event: object = None,
    roth_401k_rollovers: Sequence[Any] = (),
    first_home_used: object = 0,
) -> RothDistributionResult:
    """Tax and penalty on a year's Roth IRA distributions under the ordering rules and both five-year clocks (§408A(d); Reg. §1.408A-6)."""
    total = to_money(amount, "amount")
    regular = to_money(regular_contributions if regular_contributions is not None else 0, "regular_contributions")
    layers = _layers(conversions)
    year = limits.parse_year(distribution_year, "distribution_year")
    who = parse_age(age)
    if who.on_date is not None and who.on_date.year != year:
        raise InputError(f"age gives a distribution date {who.on_date} outside distribution_year {year}")
    event = None
    if qualifying_event is not None and not (isinstance(qualifying_event, str) and not qualifying_event.strip()):
        event = qualifying_event.strip().lower().replace(" ", "_") if isinstance(qualifying_event, str) else ""
        if event not in QUALIFYING_EVENTS:
            raise InputError(f"qualifying_event {shown(qualifying_event)} is not one of {', '.join(QUALIFYING_EVENTS)}")
    for layer in layers:
        if layer.year > year:
            raise InputError(f"conversion year {layer.year} is after distribution_year {year}")
    exc: Any = exception
    exc_amount = None
    if isinstance(exception, (tuple, list)):
        if len(exception) != 2:
            raise InputError(f"exception {shown(exception)} must be a code or a (code, exception_amount) pair")
        exc, exc_amount = exception
    explicit = parse_exception(exc)
    used, lifetime_left = _first_home_left(first_home_used, year)
    # a first-home exception given with an amount states the qualified acquisition costs: a qualified
    # first-time homebuyer distribution is only the part used for them (§72(t)(8)(A)), so Form 8606 line 20
    # is the lesser of those costs and what is left of the $10,000 (Instructions for Form 8606, line 20)
    home_costs = (
        to_money(exc_amount, "exception_amount")
        if explicit is not None and explicit.lifetime and exc_amount is not None
        else None
    )
    if used and event != "first_home" and (explicit is None or not explicit.lifetime):
        raise InputError(
            f"first_home_used {fmt(used)} applies only to a first-home distribution (qualifying_event first_home or "
            "exception 09 first_home)"
        )
    drac_basis, drac_notes = _drac_rollovers(roth_401k_rollovers)
    steps: list[Step] = []
    if drac_notes:
        steps.append(
            Step(
                title="Designated Roth rollovers",
                rule="contributions rolled from a designated Roth account are regular-contribution basis; earnings stay earnings; "
                "a qualified distribution rolled over is all basis; years in the plan do not start the Roth IRA clock",
                citation="Treas. Reg. §1.408A-10 Q&A-3, Q&A-4",
                inputs={"rollovers": "; ".join(drac_notes)},
                outputs={"basis added": drac_basis},
            )
        )
    regular_total = regular + drac_basis

    # The single qualified-distribution clock.
    clock: int | None
    if first_roth_year is not None:
        clock = limits.parse_year(first_roth_year, "first_roth_year")
        if layers and clock > layers[0].year:
            raise InputError(
                f"first_roth_year {clock} is after the first conversion year {layers[0].year}; the clock starts at the earlier"
            )
        if clock > year:
            raise InputError(f"first_roth_year {clock} is after distribution_year {year}")
        how = "first_roth_year given"
    elif layers:
        clock = layers[0].year
        how = "first_roth_year not given: the earliest conversion year (give first_roth_year if a regular contribution was made for an earlier year)"
    else:
        clock, how = None, "no year given for the first Roth IRA contribution"
    qualified_from = dt.date(last_year(clock, QUALIFIED) + 1, 1, 1) if clock is not None else None
    if qualified_from is not None and who.reached_59_5_on is not None and event is None:
        qualified_from = max(qualified_from, who.reached_59_5_on)
    clock_met = clock is not None and year > last_year(clock, QUALIFIED)
    condition = who.is_59_5_or_over or event in ("death", "disability")
    if clock is None and (condition or event == "first_home"):
        raise InputError(
            "first_roth_year is required: whether this distribution is qualified depends on the five-year period "
            "that starts with the first Roth IRA contribution or conversion (Reg. §1.408A-6 A-2)"
        )
    qualified = clock_met and condition
    home = ZERO
    if clock_met and not condition and event == "first_home":
        home = min(total, lifetime_left)
        if home_costs is not None:
            home = min(home, home_costs)
    steps.append(
        Step(
            title="Qualified-distribution clock",
            rule="one five-taxable-year period for all of the owner's Roth IRAs, from January 1 of the first year for which a "
            "regular contribution was made or, if earlier, of the first conversion year; a distribution after it is qualified "
            "at 59½, on death or disability, or for a first home up to what is left of the 10,000 lifetime limit ("
            + how
            + ")"
            + (
                "; the first-home part is assumed spent on qualified acquisition costs within 120 days (IRC "
                "§72(t)(8)(A)); if the costs were less, give them as the first-home exception amount"
                if home and home_costs is None
                else ""
            ),
            citation="IRC §408A(d)(2), §408A(d)(5), §72(t)(8)(B); Treas. Reg. §1.408A-6 A-1, A-2; Form 8606 line 20",
            inputs={
                "first year": clock,
                "distribution_year": year,
                "age": who.describe(),
                "qualifying_event": event,
                "first_home_used": used,
            }
            | ({"first-home acquisition costs": home_costs} if home_costs is not None else {}),
            outputs={"qualified_from": qualified_from, "qualified": qualified, "first-home qualified part": home},
        )
    )

    # Ordering, the taxable part and recapture (A-5(c)): the kernel, in cents.
    k = ordering_kernel(
        cents(total),
        cents(home),
        cents(regular_total),
        [c.year for c in layers],
        [cents(c.taxable) for c in layers],
        [cents(c.nontaxable) for c in layers],
        year,
        recapture_years(),
        qualified,
    )
    take = dollars(k["take"])
    out: list[LayerOut] = []
    if take:
        out.append(LayerOut("regular", None, None, take, ZERO, ZERO))
    left_layers: list[ConversionLayer] = []
    for layer, t_cents, n_cents, p_cents in zip(
        layers, k["out_taxable"], k["out_nontaxable"], k["penalised"], strict=True
    ):
        t, n = dollars(t_cents), dollars(n_cents)
        if t:
            out.append(LayerOut("conversion", layer.year, "taxable", t, ZERO, dollars(p_cents)))
        if n:
            out.append(LayerOut("conversion", layer.year, "nontaxable", n, ZERO, ZERO))
        if layer.taxable - t or layer.nontaxable - n:
            left_layers.append(ConversionLayer(layer.year, layer.taxable - t, layer.nontaxable - n))
    earnings = dollars(k["earnings"])
    if earnings:
        out.append(LayerOut("earnings", None, None, earnings, ZERO, ZERO))
    left_regular = regular_total - take
    recapture_ends = {layer.year: period_end(layer.year, RECAPTURE) for layer in layers}
    steps.append(
        Step(
            title="Ordering",
            rule="regular contributions first, then conversion and rollover layers oldest year first (taxable part before "
            "nontaxable part), then earnings; a conversion's taxable part withdrawn within its own five taxable years is "
            "subject to §72(t) though not taxed again"
            + (
                "; the qualified first-home amount (line 20) comes out after the nonqualified dollars (line 21), which "
                "alone are ordered against the basis and can be recaptured"
                if home
                else ""
            ),
            citation="IRC §408A(d)(4)(B), §408A(d)(3)(F); Treas. Reg. §1.408A-6 A-5(c), A-8, A-9; Pub. 590-B 'Ordering Rules'",
            inputs={
                "amount": total,
                "regular_contributions": regular_total,
                "conversions": "; ".join(f"{c.year}: {fmt(c.taxable)} + {fmt(c.nontaxable)}" for c in layers) or "none",
            },
            outputs={"layers out": "; ".join(str(o) for o in out) or "none"},
        )
    )

    # Form 8606 Part III (nonqualified only) and the taxable amount.
    lines: dict[str, Decimal | None] = {}
    taxable = dollars(k["taxable"])
    if not qualified:
        lines.update({line: dollars(k["line" + line]) for line in ("19", "20", "21", "22", "23")})
        if k["line23"] > 0:
            lines.update({line: dollars(k["line" + line]) for line in ("24", "25a")})
        steps.append(
            Step(
                title="Taxable part",
                rule="a nonqualified distribution is income only to the extent it exceeds all contributions, regular and "
                "conversion (less a qualified first-home amount)",
                citation="Treas. Reg. §1.408A-6 A-4; Form 8606 Part III lines 19-25a",
                inputs={
                    "line 19": lines["19"],
                    "line 20": lines["20"],
                    "line 22": lines["22"],
                    "line 24": lines.get("24"),
                },
                outputs={"line 25a": taxable},
                form_line="8606 line 25a",
            )
        )
    out = [
        LayerOut(
            o.layer,
            o.year,
            o.part,
            o.amount,
            taxable if o.layer == "earnings" else ZERO,
            (taxable if o.layer == "earnings" else o.penalised) if not qualified else ZERO,
        )
        for o in out
    ]
    penalty_base = dollars(k["penalty_base"])
    if explicit is None and event is not None and not qualified and not home:
        # before the clock ends a qualifying event is still a §72(t) exception
        exc = QUALIFYING_EVENTS[event]
    # one $10,000 lifetime limit: a first-home exception here has only what line 20 left of it
    home_used = used + home if exc is not None and parse_exception(exc) in FIRST_HOME else ZERO
    if home_costs is not None:
        exc_amount = home_costs - home  # the costs line 20 has not already covered
    penalty = (
        early_penalty(penalty_base, who, "ROTH_IRA", exc, exc_amount, year, first_home_used=home_used)
        if penalty_base
        else None
    )
    if penalty is not None:
        steps.extend(penalty.explain())
    return RothDistributionResult(
        taxable=taxable,
        penalty_base=penalty_base,
        penalty=penalty.penalty if penalty is not None else ZERO,
        penalized_amount=penalty.penalized_amount if penalty is not None else ZERO,
        penalty_status=penalty.status
        if penalty is not None
        else status_words(0, 0, None)
        if not qualified
        else "not subject to the 10% tax: qualified distribution",
        qualified=qualified,
        qualified_from=qualified_from,
        layers_out=tuple(out),
        layers_left=LayersLeft(left_regular, tuple(left_layers)),
        recapture_ends=frozen_map(recapture_ends),
        lines=frozen_map(lines),
        steps=tuple(steps),
    )


def ordering_kernel(
    total: Any,
    home: Any,
    regular: Any,
    years: Sequence[Any],
    taxable: Sequence[Any],
    nontaxable: Sequence[Any],
    year: Any,
    period: int,
    qualified: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """A year's Roth IRA distributions through the ordering rules, in integer cents: what each layer gives,
    the taxable part and the conversion amounts recaptured under §72(t).

    The one statement of the rule, on Python ints (:func:`roth_ira_distribution`) or numpy arrays (the
    column paths; ``ops`` numpy's). Distributions come out of ``regular`` contributions first, then each
    conversion layer of ``years``/``taxable``/``nontaxable`` (one a year, oldest first; zero layers pad
    shorter rows), taxable part before nontaxable part, then earnings (Treas. Reg. §1.408A-6 A-8, A-9).
    The nonqualified dollars (``total`` less the qualified first-home amount ``home``) come out first; a
    layer's taxable part they take within its ``period``-year recapture period (``penalised``) is
    recaptured under §72(t) (A-5(c)) unless the distribution is qualified.
    Unless ``qualified``, Form 8606 lines 19-25a: the distribution is income only beyond all
    contributions, regular and conversion (A-4); a qualified distribution is neither taxed nor penalised.
    """
    take = ops.minimum(total, regular)
    remaining = total - take
    nonqualified = total - home - take
    nonqualified = ops.where(nonqualified > 0, nonqualified, 0)
    out_taxable, out_nontaxable, penalised = [], [], []
    basis = 0
    for layer_year, layer_taxable, layer_nontaxable in zip(years, taxable, nontaxable, strict=True):
        t = ops.minimum(remaining, layer_taxable)
        remaining = remaining - t
        n = ops.minimum(remaining, layer_nontaxable)
        remaining = remaining - n
        t_nonqualified = ops.minimum(t, nonqualified)
        nonqualified = nonqualified - t_nonqualified - ops.minimum(n, nonqualified - t_nonqualified)
        within = year <= layer_year + (period - 1)
        out_taxable.append(t)
        out_nontaxable.append(n)
        penalised.append(ops.where(within, t_nonqualified, 0))
        basis = basis + layer_taxable + layer_nontaxable
    line21 = total - home
    line23 = ops.where(line21 > regular, line21 - regular, 0)
    line25a = ops.where(line23 > basis, line23 - basis, 0)
    taxable_part = ops.where(qualified, 0, line25a)
    recapture = ops.where(qualified, 0, sum(penalised, 0))
    return {
        "take": take,
        "out_taxable": out_taxable,
        "out_nontaxable": out_nontaxable,
        "penalised": penalised,
        "earnings": remaining,
        "line19": total,
        "line20": home,
        "line21": line21,
        "line22": regular,
        "line23": line23,
        "line24": basis,
        "line25a": line25a,
        "taxable": taxable_part,
        "recapture": recapture,
        "penalty_base": taxable_part + recapture,
    }


#: What a qualified distribution's status says (no §72(t) base at all).
QUALIFIED_STATUS = "not subject to the 10% tax: qualified distribution"


def distribution_columns(
    amount: Any,
    regular: Any,
    conversions: tuple[Sequence[Any], Sequence[Any], Sequence[Any]],
    year: Any,
    age_years: Any,
    first_roth_year: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`roth_ira_distribution`'s flat fields from :func:`ordering_kernel` and the §72(t) kernel, for whole
    columns with no exception, qualifying event or first-home amount (:func:`distribution_defined` rows).

    Cents, the age in years (59.5 is exact in binary, so the comparison is :attr:`Age.is_59_5_or_over`'s),
    ``first_roth_year`` 0 when not given, conversion layers as per-layer columns of years and cents. Fields
    a row does not have (lines of a qualified distribution, layers it does not touch) are no value.
    """
    years, taxable, nontaxable = conversions
    at_59_5 = age_years >= float(HALF_59)
    clock = ops.where(first_roth_year > 0, first_roth_year, years[0] if len(years) else 0)  # 0: no clock
    qualified = (clock > 0) & (year > last_year(clock, QUALIFIED)) & at_59_5
    k = ordering_kernel(amount, 0, regular, years, taxable, nontaxable, year, recapture_years(), qualified, ops)
    base = k["penalty_base"]
    rate, _ = limits.value(RATE_PARAMETER, None)
    tax = penalty_kernel(base, ops.where(at_59_5, base, 0), at_59_5, False, False, rate_units(rate), ops)
    status = ops.where(
        base == 0,
        ops.where(qualified, QUALIFIED_STATUS, status_words(0, 0, None)),
        ops.where(at_59_5, status_words(0, 1, "age 59½"), status_words(1, 1, None)),
    )
    flat: dict[str, Any] = {
        "taxable": k["taxable"],
        "penalty_base": base,
        "penalty": tax["penalty"],
        "penalized_amount": tax["penalized"],
        "penalty_status": status,
        "qualified": qualified,
        "qualified_from": ops.where(clock > 0, ops.per_key(_qualified_from, clock)[0], None),
    }
    pieces: list[tuple[Any, tuple[Any, ...]]] = [(k["take"] != 0, ("regular", None, None, k["take"], 0, 0))]
    for layer_year, t, n, p in zip(years, k["out_taxable"], k["out_nontaxable"], k["penalised"], strict=True):
        pieces.append((t != 0, ("conversion", layer_year, "taxable", t, 0, ops.where(qualified, 0, p))))
        pieces.append((n != 0, ("conversion", layer_year, "nontaxable", n, 0, 0)))
    earnings = k["earnings"]
    pieces.append((earnings != 0, ("earnings", None, None, earnings, k["taxable"], k["taxable"])))
    names = ("layer", "year", "part", "amount", "taxed", "penalised")
    for i, piece in enumerate(ops.pack(*zip(*pieces, strict=True), (False, False, False, True, True, True)), 1):
        flat.update({f"layers_out_{i}_{name}": value for name, value in zip(names, piece, strict=True)})
    flat["layers_left_regular_contributions"] = regular - k["take"]
    left = [
        ((t_all - t != 0) | (n_all - n != 0), (layer_year, t_all - t, n_all - n))
        for layer_year, t_all, n_all, t, n in zip(
            years, taxable, nontaxable, k["out_taxable"], k["out_nontaxable"], strict=True
        )
    ]
    if left:
        for i, piece in enumerate(ops.pack(*zip(*left, strict=True), (False, True, True)), 1):
            flat.update(
                {
                    f"layers_left_conversions_{i}_{n}": v
                    for n, v in zip(("year", "taxable", "nontaxable"), piece, strict=True)
                }
            )
    for first_year in ops.distinct(years):
        has = False
        for layer_year in years:
            has = has | (layer_year == first_year)
        flat[f"recapture_ends_{first_year}"] = ops.where(has, period_end(first_year, RECAPTURE), None)
    no_basis_lines = qualified | (k["line23"] == 0)
    for line in ("19", "20", "21", "22", "23", "24", "25a"):
        flat[f"lines_{line}"] = ops.blank_where(
            no_basis_lines if line in ("24", "25a") else qualified, k["line" + line]
        )
    return flat


def _qualified_from(clock: int) -> tuple[dt.date]:
    return (dt.date(last_year(clock, QUALIFIED) + 1, 1, 1),)


def distribution_defined(
    conversions: tuple[Sequence[Any], Sequence[Any], Sequence[Any]],
    year: Any,
    age_years: Any,
    first_roth_year: Any,
    first_home_used: Any,
) -> Any:
    """The rows :func:`distribution_columns` states: what the core accepts with no first-home amount used (the
    core refuses a conversion after the year, a first_roth_year after it or after the first conversion, and
    a missing clock at 59½)."""
    years = conversions[0]
    first = years[0] if len(years) else 0
    ok = (first_home_used == 0) & ((first > 0) | (first_roth_year > 0) | (age_years < float(HALF_59)))
    ok = ok & ((first_roth_year == 0) | ((first_roth_year <= year) & ((first == 0) | (first_roth_year <= first))))
    for layer_year in years:
        ok = ok & (layer_year <= year)
    return ok


def roth_penalty_free_amount(
    regular_contributions: object = 0,
    conversions: Iterable[Any] = (),
    *,
    distribution_year: object,
    age: object,
) -> Decimal:
    """The most a nonqualified Roth IRA distribution can take with neither income tax nor §72(t): basis in the
    ordering up to the first conversion taxable part still inside its five years (Reg. §1.408A-6 A-5, A-8)."""
    regular = to_money(regular_contributions if regular_contributions is not None else 0, "regular_contributions")
    year = limits.parse_year(distribution_year, "distribution_year")
    who = parse_age(age)
    layers = _layers(conversions)
    k = penalty_free_kernel(
        cents(regular),
        [c.year for c in layers],
        [cents(c.taxable) for c in layers],
        [cents(c.nontaxable) for c in layers],
        year,
        recapture_years(),
        not who.is_59_5_or_over,
    )
    return dollars(k["penalty_free"])


def recapture_years() -> int:
    """The length of a conversion's recapture period in taxable years, from the limits table (IRC §408A(d)(3)(F))."""
    return last_year(0, RECAPTURE) + 1


def penalty_free_kernel(
    regular: Any,
    years: Sequence[Any],
    taxable: Sequence[Any],
    nontaxable: Sequence[Any],
    year: Any,
    period: int,
    before_59_5: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """The basis a nonqualified Roth IRA distribution takes with neither income tax nor §72(t), in integer cents.

    The one statement of the rule, on Python ints (:func:`roth_penalty_free_amount`) or on numpy arrays
    (the column paths; ``ops`` numpy's ``where``): regular contributions, then each conversion layer of
    ``years``/``taxable``/``nontaxable`` (one a year, oldest first; zero layers pad shorter rows) received
    by ``year``, up to the first whose taxable part is still inside its ``period``-year recapture period
    while ``before_59_5`` (Treas. Reg. §1.408A-6 A-5(c), A-8); earnings never count.
    """
    free = regular
    counting = before_59_5 | True  # True per row: still adding layers
    for layer_year, t, n in zip(years, taxable, nontaxable, strict=True):
        received = counting & (layer_year <= year)
        stop = received & (t > 0) & (year <= layer_year + (period - 1)) & before_59_5
        counting = ops.where(stop, False, received)
        free = free + ops.where(counting, t + n, 0)
    return {"penalty_free": free}


def penalty_free_columns(
    regular: Any,
    conversions: tuple[Sequence[Any], Sequence[Any], Sequence[Any]],
    year: Any,
    age_years: Any,
    ops: Any = SCALAR,
) -> dict[str, Any]:
    """:func:`roth_penalty_free`'s flat fields from :func:`penalty_free_kernel`, for whole columns: cents, the
    age in years (59.5 is exact in binary, so the comparison is :attr:`Age.is_59_5_or_over`'s), conversion
    layers as per-layer columns of years and cents."""
    years, taxable, nontaxable = conversions
    before_59_5 = age_years < float(HALF_59)
    k = penalty_free_kernel(regular, years, taxable, nontaxable, year, recapture_years(), before_59_5, ops)
    return {"penalty_free": k["penalty_free"], "distribution_year": ops.objects(year)}


@dataclass(frozen=True, kw_only=True)
class PenaltyFreeResult(Result):
    """The basis a year's Roth IRA withdrawal can take with no income tax and no 10% tax."""

    penalty_free: Decimal
    distribution_year: int


def roth_penalty_free(
    regular_contributions: object = 0,
    conversions: Iterable[Any] = (),
    *,
    distribution_year: object,
    age: object,
) -> PenaltyFreeResult:
    """:func:`roth_penalty_free_amount` with its explanation (IRC §408A(d)(4), (f); Reg. §1.408A-6 A-5, A-8)."""
    amount = roth_penalty_free_amount(regular_contributions, conversions, distribution_year=distribution_year, age=age)
    year = limits.parse_year(distribution_year, "distribution_year")
    step = Step(
        title="Tax- and penalty-free withdrawal",
        rule=(
            "basis comes out first: regular contributions, then each year's conversions (taxable part, then "
            "nontaxable part), oldest first; the free amount stops before the first taxable conversion part still "
            "inside its 5-year period (no stop once age 59½ is reached); earnings are never counted here"
        ),
        citation="IRC §408A(d)(4), §408A(d)(3)(F), §72(t); Reg. §1.408A-6 A-5, A-8",
        inputs={"regular_contributions": regular_contributions, "distribution_year": year, "age": str(age)},
        outputs={"penalty_free": amount},
        form_line="8606 Part III (lines 22-25)",
    )
    return PenaltyFreeResult(penalty_free=amount, distribution_year=year, steps=(step,))
