"""Explanations: every result carries the ordered steps that produced it.

A :class:`Step` states one rule in words, cites its authority (IRC section, regulation, notice,
form line) and records the numbers that went in and came out, so an advisor can show a client
why. Results derive from :class:`Result`, which gives them ``.explain()``, ``.as_dict()`` and a
readable ``str()``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from .money import fmt


def frozen_map(values: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A read-only copy of a mapping, for fields of frozen results."""
    return MappingProxyType(dict(values))


def show(value: Any) -> str:
    """Render one value for people: money with separators, ratios as given, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        if value.as_tuple().exponent == -2:
            return fmt(value)
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


_NONE: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, init=False)
class Step:
    """One rule applied: what it says, its authority, and the numbers in and out."""

    title: str
    rule: str
    citation: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    outputs: Mapping[str, Any] = field(default_factory=dict)
    form_line: str | None = None

    def __init__(
        self,
        title: str,
        rule: str,
        citation: str,
        inputs: Mapping[str, Any] = _NONE,
        outputs: Mapping[str, Any] = _NONE,
        form_line: str | None = None,
    ) -> None:
        # Every scalar call builds several steps: the fields are set in one write to the instance's
        # dictionary (still frozen: assignment raises), the mappings copied read-only.
        self.__dict__.update(
            {
                "title": title,
                "rule": rule,
                "citation": citation,
                "inputs": MappingProxyType(dict(inputs)),  # frozen_map, inlined
                "outputs": MappingProxyType(dict(outputs)),
                "form_line": form_line,
            }
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rule": self.rule,
            "citation": self.citation,
            "form_line": self.form_line,
            "inputs": {k: _plain(v) for k, v in self.inputs.items()},
            "outputs": {k: _plain(v) for k, v in self.outputs.items()},
        }

    def __str__(self) -> str:
        ins = ", ".join(f"{k} {show(v)}" for k, v in self.inputs.items())
        outs = ", ".join(f"{k} {show(v)}" for k, v in self.outputs.items())
        line = f" [{self.form_line}]" if self.form_line else ""
        text = f"{self.title}{line}: {self.rule} ({self.citation})"
        if ins:
            text += f"\n    in:  {ins}"
        if outs:
            text += f"\n    out: {outs}"
        return text


def _plain(value: Any) -> Any:
    """Convert a value to JSON-friendly data (Decimal stays exact as a string)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Result):
        return value.as_dict()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A result class's public field names, computed once per class."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name != "steps")
    return names


_SCALARS = (Decimal, str, int, float, bool, type(None), dt.date)


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    """Spell a nested value out as scalars under ``prefix`` (see :meth:`Result.flat`)."""
    if isinstance(value, _SCALARS):
        out[prefix] = value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}_{key}", item, out)
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value, 1):
            _flatten(f"{prefix}_{i}", item, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "steps":
                _flatten(f"{prefix}_{f.name}", getattr(value, f.name), out)
    else:
        out[prefix] = value


@dataclass(frozen=True, kw_only=True)
class Result:
    """Base of every rule's result: frozen fields plus the steps that explain them."""

    steps: tuple[Step, ...] = field(default=(), repr=False, compare=False)
    #: How a field that is a table of form lines is labelled for people, e.g. ``{"lines": "Form 8606 line"}``.
    LINE_LABELS: ClassVar[Mapping[str, str]] = MappingProxyType({})

    def explain(self) -> tuple[Step, ...]:
        """The ordered steps: rule in words, citation, numbers in and out."""
        return self.steps

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The result's public fields, in order (``steps`` excluded)."""
        return _field_names(cls)

    def flat(self) -> dict[str, Any]:
        """Every field as one flat mapping of scalars, for a spreadsheet row or a table column.

        Mappings and nested records are spelled out with ``_`` (``lines_14``, ``form_5329_4``,
        ``form_1099r_1_box2a_taxable``); values stay exact (Decimal, date, bool, str, None).
        """
        out: dict[str, Any] = {}
        for name in self.field_names():
            _flatten(name, getattr(self, name), out)
        return out

    def as_dict(self) -> dict[str, Any]:
        """Every field as plain data (Decimal as exact strings), plus the explanation."""
        data = {name: _plain(getattr(self, name)) for name in self.field_names()}
        data["explanation"] = [step.as_dict() for step in self.steps]
        return data

    def rows(self) -> list[tuple[str, str]]:
        """Every field as (label, text) for people: a table of form lines as "Form 8606 line 5" (:attr:`LINE_LABELS`)."""
        rows: list[tuple[str, str]] = []
        for name in self.field_names():
            value = getattr(self, name)
            if isinstance(value, Mapping):
                label = self.LINE_LABELS.get(name, name)
                for key, item in value.items():
                    rows.append((f"{label} {str(key).replace('_', ' ')}", show(item)))
            elif isinstance(value, tuple) and value and not isinstance(value[0], (str, Decimal)):
                for i, item in enumerate(value, 1):
                    rows.append((f"{name} #{i}", str(item)))
            elif isinstance(value, tuple) and not value:
                rows.append((name, "none"))
            else:
                rows.append((name, show(value)))
        return rows

    def table_text(self) -> str:
        """:meth:`rows` as two aligned columns."""
        rows = self.rows()
        width = max((len(label) for label, _ in rows), default=0)
        return "\n".join(f"{label.ljust(width)}  {text}" for label, text in rows)

    def __str__(self) -> str:
        title = type(self).__name__
        return "\n".join([title, "-" * len(title), self.table_text()])
