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
#: Imported only inside a function, when a caller runs whole columns and numpy is installed (the column
#: runner, xl_rollover/columns.py); never at module level, so xlwings Lite without numpy is unaffected.
LAZY_ONLY = {"xl_rollover": {"numpy"}, "udfs": {"numpy"}}


def _imports(path: Path, module_level_only: bool = False) -> set[str]:
    """Top-level names of every absolute import in a file, at any depth (lazy imports count too)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    nodes = _module_level(tree) if module_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _module_level(tree: ast.Module) -> list[ast.AST]:
    """Statements that run on import: the module body, descending into if/try/with but not into functions."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        out.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt | ast.excepthandler))
    return out


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
    files = sorted((ROOT / layer).rglob("*.py"))
    outside = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name not in allowed | LAZY_ONLY[layer]
    }
    at_import = {
        f"{path.relative_to(ROOT)} imports {name} at module level"
        for path in files
        for name in _imports(path, module_level_only=True)
        if name in LAZY_ONLY[layer]
    }
    assert not outside | at_import, sorted(outside | at_import)


def test_importing_the_public_api_loads_no_heavy_library():
    code = (
        "import sys, xl_rollover, xl_rollover.demo, udfs.functions; "
        "print(' '.join(sorted(m for m in ('numpy', 'pandas', 'xlwings', 'openpyxl', 'pyarrow', 'formulas') "
        "if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == ""
