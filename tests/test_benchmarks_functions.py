"""benchmarks/functions.py: a sample-row generator for every registry function, rows the core accepts, a table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from xl_rollover.batch import runner as batch
from xl_rollover.core.registry import FUNCTIONS

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "functions.py"
_spec = importlib.util.spec_from_file_location("benchmarks_functions", _PATH)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_every_registry_function_has_a_generator():
    # fails when a function is added to the registry without sample rows (or a generator outlives its function)
    assert set(bench.GENERATORS) == set(FUNCTIONS)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_sample_rows_are_accepted_by_the_core(name):
    rows = bench.sample(name, 60)
    assert len(rows) == 60
    assert set(rows.columns) <= set(batch.rule_for(name).args)
    out = batch.run_scalar(batch.rule_for(name), rows)
    assert out[batch.ERROR].isna().all(), out[batch.ERROR].dropna().head(3).tolist()
    assert bench.sample(name, 60).equals(rows)  # seeded: the same rows every run


def test_runs_and_prints_one_row_per_function(capsys):
    assert bench.main(["--rows", "12", "--loop-rows", "4", "--repeat", "1"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert lines[0] == "| function | rows | batch rows/s | scalar rows/s | ratio | kernel? |"
    body = lines[2:]
    assert [line.split(" | ")[0][2:] for line in body] == list(FUNCTIONS)
    prorata = next(line for line in body if line.startswith("| PRORATA_TAXABLE "))
    assert prorata.endswith("| yes (0% to the core) |")  # the kernel takes every sample row


def test_only_picks_functions_by_either_name(capsys):
    assert bench.main(["--rows", "5", "--loop-rows", "5", "--repeat", "1", "--only", "rmd", "--only", "irs_limit"]) == 0
    body = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")][2:]
    assert [line.split(" | ")[0][2:] for line in body] == ["RMD", "IRS_LIMIT"]
    with pytest.raises(SystemExit):
        bench.main(["--only", "NOT_A_FUNCTION"])
