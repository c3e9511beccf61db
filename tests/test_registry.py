"""The registry is the one declaration of every public function; each face is made from it."""

from __future__ import annotations

import inspect

import pytest

from xl_rollover.batch import runner
from xl_rollover.core.registry import FUNCTIONS
from xl_rollover.engines import libreoffice
from xl_rollover.excel import functions

NAMES = list(FUNCTIONS)


def test_every_entry_is_a_worksheet_function_and_nothing_else():
    assert list(functions.SPECS) == NAMES
    assert sorted(n for n in functions.__all__ if n.isupper() and n != "SPECS") == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_worksheet_function_signature_and_help_come_from_the_entry(name):
    entry, f = FUNCTIONS[name], getattr(functions, name)
    params = list(inspect.signature(f).parameters.values())
    assert [p.name for p in params] == [p.name for p in entry.params]
    # Excel's required arguments lead and take no default; every later one defaults to None (a blank cell)
    leading = [p.required for p in entry.params]
    first_optional = leading.index(False) if False in leading else len(leading)
    assert all(p.default is inspect.Parameter.empty for p in params[:first_optional])
    assert all(p.default is None for p in params[first_optional:])
    assert f.__doc__ == entry.description and f.__name__ == name and f.__module__ == "xl_rollover.excel.functions"
    assert functions.SPECS[name].params is entry.params and functions.SPECS[name].call is entry.call


@pytest.mark.parametrize("name", NAMES)
def test_batch_and_the_libreoffice_add_in_read_the_registry(name):
    entry = FUNCTIONS[name]
    rule = runner.rule_for(name)
    assert rule is not None and rule.spec is entry
    assert rule.args == tuple(p.name for p in entry.params if p.kind != "output")
    args = ", ".join(f"[in] any a{i}" for i in range(len(entry.params)))
    assert f"sequence< sequence< any > > {name}({args});" in libreoffice._idl()


@pytest.mark.parametrize("name", [n for n in NAMES if FUNCTIONS[n].default_output is not None])
def test_every_default_output_is_a_field_of_the_result(name):
    # the worksheet's answer and the CLI's "Answer:" line read it by name: a misspelt one would vanish silently
    import typing

    entry = FUNCTIONS[name]
    result_type = typing.get_type_hints(entry.call)["return"]
    assert entry.default_output in result_type.field_names()
