"""Shared helpers: load the data-driven cases and read dotted result paths."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The ``[[case]]`` tables of ``tests/cases/NAME.toml`` (TOML has no null: the text 'none' is None)."""
    with open(CASES / f"{name}.toml", "rb") as handle:
        cases = tomllib.load(handle)["case"]
    for case in cases:
        assert case.get("source"), f"case {case.get('id')} has no source"
        case["args"] = {k: (None if v == "none" else v) for k, v in case["args"].items()}
    return cases


def dig(result: Any, path: str) -> Any:
    """Follow ``a.b.0.c`` through attributes, mapping keys and sequence indexes."""
    value = result
    for part in path.split("."):
        if isinstance(value, (tuple, list)):
            value = value[int(part)]
        elif hasattr(value, "keys"):
            value = value[part] if part in value else value[int(part)]
        else:
            value = getattr(value, part)
    return value


def check(result: Any, expected: dict[str, Any], case_id: str) -> None:
    """Every expected figure equals the result's, exactly (money compared as Decimal)."""
    for path, want in expected.items():
        got = dig(result, path)
        if isinstance(got, Decimal):
            assert isinstance(want, (str, int)), f"{case_id}: write money as a string ({path})"
            assert got == Decimal(str(want)), f"{case_id}: {path} is {got}, source says {want}"
        elif hasattr(got, "isoformat"):
            assert got.isoformat() == want, f"{case_id}: {path} is {got}, source says {want}"
        else:
            assert got == want, f"{case_id}: {path} is {got!r}, source says {want!r}"
