"""Every worked example in tests/cases runs through each front end and gives the same cents everywhere.

The core (the case's source figures), the worksheet function (as Excel calls it, one output field at a
time), the CLI's ``--json`` and batch (row by row and, where the function has one, the whole-column
kernel pass) must agree on every money field of the result, to the cent, and on every other field (1099-R
codes, dates, flags, years) as text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import io
import json
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

import xl_rollover as xr
from xl_rollover.batch import runner as batch
from xl_rollover.cli.main import build_parser, main
from xl_rollover.excel import functions
from xl_rollover.excel.functions import SPECS

from .conftest import check, load_cases

#: The CLI subcommand of each core function.
COMMANDS = {
    "roth_rollover_split": "split",
    "prorata_taxable": "prorata",
    "form_8606": "form-8606",
    "early_penalty": "penalty",
    "mega_backdoor_room": "room",
    "roth_ira_contribution_limit": "roth-limit",
    "traditional_ira_deduction_limit": "ira-deduction",
    "required_minimum_distribution": "rmd",
    "sepp_payment": "sepp",
    "roth_ira_distribution": "roth-withdrawal",
}
FILES = {"split": "roth_rollover_split", "early_penalty": "early_penalty", "rmd": "required_minimum_distribution"}
FILES |= {"sepp": "sepp_payment", "roth_ira": "roth_ira_distribution"}


def cases() -> list[Any]:
    """Every case whose arguments all are the function's registry parameters (what every front end takes):
    scalars, an age as (birth date, distribution date) and a conversions table. Left out: cases that use a
    core-only argument (a designated Roth rollover row, an exception given with its amount as a pair)."""
    out = []
    for name in ("split", "form_8606", "early_penalty", "contribution_limits", "rmd", "sepp", "roth_ira"):
        for case in load_cases(name):
            function = case.get("function", FILES.get(name))
            if function not in COMMANDS or case.get("raises"):
                continue
            kinds = {(p.core or p.name): p.kind for p in spec_for(function).params}
            if all(
                k in kinds and (not isinstance(v, list) or kinds[k] in ("age", "table"))
                for k, v in case["args"].items()
            ):
                out.append(pytest.param(function, case, id=f"{function}:{case['id']}"))
    return out


def money_fields(result: xr.Result) -> dict[str, Decimal]:
    return {k: v for k, v in result.flat().items() if isinstance(v, Decimal)}


def other_fields(result: xr.Result) -> dict[str, Any]:
    """The fields that are not money (codes, dates, flags, years, words), the explanation left out."""
    return {k: v for k, v in result.flat().items() if not isinstance(v, Decimal) and not k.startswith("explanation")}


def same_text(value: Any) -> str:
    """A non-money value as every front end can be compared on: dates ISO, whole floats as integers, blank as ''."""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def spec_for(function: str) -> Any:
    return next(s for s in SPECS.values() if s.call.__name__ == function)


def kind_of(function: str, name: str) -> str:
    return next(p.kind for p in spec_for(function).params if (p.core or p.name) == name)


def cell(name: str, value: Any, kind: str = "value") -> Any:
    """An argument as a worksheet cell holds it: an unrounded Form 8606 line 10 is -1 there; an age as dates is a
    row of two date cells; a conversions table is a range of rows of numbers."""
    if value is None and name == "ratio_decimals":
        return -1
    if kind == "age" and isinstance(value, list):
        return [[dt.datetime.fromisoformat(day) for day in value]]
    if kind == "table":
        return [[float(x) for x in row] for row in value]
    return value


def text(value: Any, kind: str) -> Any:
    """An argument as one CSV cell or command-line word: BIRTH:DATE for an age as dates, YEAR:TAXABLE:NONTAXABLE
    rows joined by ';' for a table (batch)."""
    if kind == "age" and isinstance(value, list):
        return ":".join(value)
    if kind == "table":
        return ";".join(":".join(str(x) for x in row) for row in value)
    return value


def worksheet(function: str, args: dict[str, Any], field: str) -> Any:
    spec = spec_for(function)
    by_core = {(p.core or p.name): p.name for p in spec.params}
    cells = {by_core.get(k, k): cell(k, v, kind_of(function, k)) for k, v in args.items()}
    values = [field if p.kind == "output" else cells.get(p.name) for p in spec.params]
    return getattr(functions, spec.name)(*values)


def cli_json(function: str, args: dict[str, Any]) -> dict[str, Any]:
    command = COMMANDS[function]
    sub = next(a for a in build_parser()._subparsers._group_actions[0].choices.items() if a[0] == command)[1]  # type: ignore[union-attr]
    argv = [command]
    for action in sub._actions:
        if action.dest not in args:
            continue
        value = args[action.dest]
        if kind_of(function, action.dest) == "table":
            for row in value:
                argv += [action.option_strings[0], ":".join(str(x) for x in row)]
            continue
        value = text(value, kind_of(function, action.dest))
        if not action.option_strings:
            argv.append(str(value))
        elif action.nargs == 0:
            if value:
                argv.append(action.option_strings[0])
        elif value is not None or action.dest == "ratio_decimals":
            argv += [action.option_strings[0], "none" if value is None else str(value)]
    assert set(args) <= {a.dest for a in sub._actions}, (command, args)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*argv, "--json"]) == 0, argv
    return json.loads(out.getvalue())


def flatten(data: Any, prefix: str, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(data, dict):
        for k, v in data.items():
            flatten(v, f"{prefix}_{k}" if prefix else str(k), out)
    elif isinstance(data, list) and prefix != "explanation":
        for i, v in enumerate(data, 1):  # numbered from 1, as Result.flat spells them
            flatten(v, f"{prefix}_{i}", out)
    else:
        out[prefix] = data
    return out


@pytest.mark.parametrize(("function", "case"), cases())
def test_worked_example_gives_the_same_cents_through_every_front_end(function, case):
    # a cell the worksheet requires (e.g. regular_contributions) holds the core's default when the case leaves it out
    call = getattr(xr, function)
    defaults = {k: p.default for k, p in inspect.signature(call).parameters.items() if p.default is not p.empty}
    required = [p.core or p.name for p in spec_for(function).params if p.required and p.kind != "table"]
    case = {
        **case,
        "args": {k: defaults[k] for k in required if k not in case["args"] and k in defaults} | case["args"],
    }
    core = call(**case["args"])
    check(core, case["expected"], case["id"])
    want = money_fields(core)
    assert want, case["id"]

    others = {k: same_text(v) for k, v in other_fields(core).items()}  # codes, dates, flags: the same text
    for field, value in want.items():  # the worksheet function, one output field per call
        got = worksheet(function, case["args"], field)
        assert got == float(value), (case["id"], "worksheet", field, got, value)
    for field, text_value in others.items():
        got = worksheet(function, case["args"], field)
        assert same_text(got) == text_value, (case["id"], "worksheet", field, got, text_value)

    shown = flatten(cli_json(function, case["args"]), "", {})
    for field, value in want.items():
        assert Decimal(str(shown[field])) == value, (case["id"], "cli --json", field, shown[field], value)
    for field, text_value in others.items():
        assert same_text(shown.get(field)) == text_value, (case["id"], "cli --json", field, shown.get(field))

    rule = batch.RULES[function]
    frame = pd.DataFrame([{k: text(cell(k, v), kind_of(function, k)) for k, v in case["args"].items()}])
    runs = [("batch row", batch.run_scalar(rule, frame))]
    if rule.vectorised is not None:
        runs.append(("batch columns", batch.run_vectorised(rule, frame)))
    for how, out in runs:
        assert not out.loc[0].get("error"), (case["id"], how, out.loc[0].get("error"))
        for field, value in want.items():
            assert Decimal(str(out.loc[0, field])) == value, (case["id"], how, field, out.loc[0, field], value)
        for field, text_value in others.items():
            got = out.loc[0].get(field)
            assert same_text(got) == text_value, (case["id"], how, field, got, text_value)
