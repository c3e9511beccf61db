"""Layers point one way (README "Layout"): each package imports only the layers below it.

    cli  ->  batch, workbooks  ->  engines  ->  udfs (the Excel layer)  ->  xl_rollover (the core)

The core imports the standard library only, so importing the public API loads no numpy, pandas,
xlwings, openpyxl, pyarrow or formulas (checked in a fresh interpreter).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("xl_rollover", "udfs", "engines", "batch", "workbooks", "cli")
#: The project's own packages each layer may import (itself included).
ALLOWED = {
    "xl_rollover": {"xl_rollover"},
    "udfs": {"xl_rollover", "udfs"},
    "engines": {"xl_rollover", "udfs", "engines"},
    "batch": {"xl_rollover", "udfs", "engines", "batch"},
    "workbooks": {"xl_rollover", "udfs", "engines", "workbooks"},
    "cli": set(OURS),
}
#: Outside the standard library, the core and the Excel layer may import only these (xlwings: the Excel
#: layer's bridge, imported only on Windows and in Lite).
THIRD_PARTY = {"xl_rollover": set(), "udfs": {"xlwings"}}


def _imports(path: Path) -> set[str]:
    """Top-level names of every absolute import in a file, at any depth (lazy imports count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", OURS)
def test_layer_imports_only_layers_below(layer):
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"{layer}/ has no modules"
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name in OURS and name not in ALLOWED[layer]
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("layer", sorted(THIRD_PARTY))
def test_core_and_excel_layer_import_the_standard_library_only(layer):
    allowed = set(sys.stdlib_module_names) | set(OURS) | THIRD_PARTY[layer] | {"__future__"}
    outside = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for name in _imports(path)
        if name not in allowed
    }
    assert not outside, sorted(outside)


def test_importing_the_public_api_loads_no_heavy_library():
    code = (
        "import sys, xl_rollover, xl_rollover.demo, udfs.functions; "
        "print(' '.join(sorted(m for m in ('numpy', 'pandas', 'xlwings', 'openpyxl', 'pyarrow', 'formulas') "
        "if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == ""
