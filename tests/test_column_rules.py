"""Every public function has ONE column form, whose readings cover exactly its non-output parameters.

The registry (:data:`xl_rollover.core.registry.FUNCTIONS`) says which functions exist; the column forms
(:data:`xl_rollover.core.columns.COLUMN_RULES`) are keyed by the core callable's name. This test fails
when a function lacks a column form, or a column form reads an argument the function does not take or
misses one it does.
"""

from __future__ import annotations

import pytest

from xl_rollover.core.columns import COLUMN_RULES
from xl_rollover.core.registry import FUNCTIONS


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_has_a_column_form_reading_exactly_its_arguments(name: str) -> None:
    fn = FUNCTIONS[name]
    core = fn.call.__name__
    assert core in COLUMN_RULES, f"{name}: no column form COLUMN_RULES[{core!r}]"
    arguments = [p.name for p in fn.params if p.kind != "output"]
    assert sorted(COLUMN_RULES[core].readings) == sorted(arguments)


def test_no_column_form_without_a_function() -> None:
    cores = {fn.call.__name__ for fn in FUNCTIONS.values()}
    assert set(COLUMN_RULES) == cores
    assert len(COLUMN_RULES) == 12
