"""Every worked example in tests/cases runs through each front end and gives the same cents everywhere.

The core (the case's source figures), the worksheet function (as Excel calls it, one output field at a
time), the CLI's ``--json`` and batch (row by row and, where the function has one, the whole-column
kernel pass) must agree on every money field of the result, to the cent.
"""

from __future__ import annotations

import contextlib
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
}
FILES = {"split": "roth_rollover_split", "early_penalty": "early_penalty", "rmd": "required_minimum_distribution"}
FILES |= {"sepp": "sepp_payment"}


def cases() -> list[Any]:
    out = []
    for name in ("split", "form_8606", "early_penalty", "contribution_limits", "rmd", "sepp"):
        for case in load_cases(name):
            function = case.get("function", FILES.get(name))
            scalar = all(isinstance(v, (str, int, float, bool)) or v is None for v in case["args"].values())
            if function in COMMANDS and scalar and not case.get("raises"):
                out.append(pytest.param(function, case, id=f"{function}:{case['id']}"))
    return out


def money_fields(result: xr.Result) -> dict[str, Decimal]:
    return {k: v for k, v in result.flat().items() if isinstance(v, Decimal)}


def spec_for(function: str) -> Any:
    return next(s for s in SPECS.values() if s.call.__name__ == function)


def cell(name: str, value: Any) -> Any:
    """An argument as a worksheet cell holds it: an unrounded Form 8606 line 10 is -1 there."""
    return -1 if value is None and name == "ratio_decimals" else value


def worksheet(function: str, args: dict[str, Any], field: str) -> Any:
    spec = spec_for(function)
    by_core = {(p.core or p.name): p.name for p in spec.params}
    cells = {by_core.get(k, k): cell(k, v) for k, v in args.items()}
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
    core = getattr(xr, function)(**case["args"])
    check(core, case["expected"], case["id"])
    want = money_fields(core)
    assert want, case["id"]

    for field, value in want.items():  # the worksheet function, one output field per call
        got = worksheet(function, case["args"], field)
        assert got == float(value), (case["id"], "worksheet", field, got, value)

    shown = flatten(cli_json(function, case["args"]), "", {})
    for field, value in want.items():
        assert Decimal(str(shown[field])) == value, (case["id"], "cli --json", field, shown[field], value)

    rule = batch.RULES[function]
    frame = pd.DataFrame([{k: cell(k, v) for k, v in case["args"].items()}])
    runs = [("batch row", batch.run_scalar(rule, frame))]
    if rule.vectorised is not None:
        runs.append(("batch columns", batch.run_vectorised(rule, frame)))
    for how, out in runs:
        assert not out.loc[0].get("error"), (case["id"], how, out.loc[0].get("error"))
        for field, value in want.items():
            assert Decimal(str(out.loc[0, field])) == value, (case["id"], how, field, out.loc[0, field], value)
