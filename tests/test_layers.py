"""Layers point one way (README "Layout"): each package imports only the layers below it.

    xl_rollover.cli  ->  xl_rollover.batch, xl_rollover.templates  ->  xl_rollover.engines
      ->  xl_rollover.excel (the Excel layer)  ->  xl_rollover.core (the core)

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
PACKAGE = ROOT / "xl_rollover"
OURS = ("core", "excel", "engines", "batch", "templates", "cli")
#: The project's own layers each layer may import (itself included).
ALLOWED = {
    "core": {"core"},
    "excel": {"core", "excel"},
    "engines": {"core", "excel", "engines"},
    "batch": {"core", "excel", "engines", "batch"},
    "templates": {"core", "excel", "engines", "templates"},
    "cli": set(OURS),
}
#: Outside the standard library, the core and the Excel layer may import only these (xlwings: the Excel
#: layer's bridge, imported only on Windows and in Lite).
THIRD_PARTY = {"core": set(), "excel": {"xlwings"}}
#: Imported only inside a function, when a caller runs whole columns and numpy is installed (the column
#: runner, xl_rollover/core/columns.py); never at module level, so xlwings Lite without numpy is unaffected.
LAZY_ONLY = {"core": {"numpy"}, "excel": {"numpy"}}


def _files(layer: str) -> list[Path]:
    """A layer's modules; ``xl_rollover/__init__.py`` (the public API, re-exported from the core) counts as core."""
    files = sorted((PACKAGE / layer).rglob("*.py"))
    return [PACKAGE / "__init__.py", *files] if layer == "core" else files


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from ... import``, relative ones resolved against the file's package."""
    if node.level == 0:
        return node.module or ""
    package = list(path.relative_to(ROOT).with_suffix("").parts)
    package = package[:-1]  # the file's package (for __init__.py, the package itself)
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(path: Path, module_level_only: bool = False) -> set[str]:
    """Every module a file imports, absolute (relative ones resolved), at any depth (lazy imports count too).

    ``from X import name`` also yields ``X.name`` (name may be a module).
    """
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    nodes = _module_level(tree) if module_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _layer(module: str) -> str | None:
    """The project layer a module belongs to (the top package's public API is the core's), else None."""
    parts = module.split(".")
    if parts[0] != "xl_rollover":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in OURS else "core"


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
    files = _files(layer)
    assert files, f"xl_rollover/{layer}/ has no modules"
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if _layer(name) is not None and _layer(name) not in ALLOWED[layer]
    }
    assert not wrong, sorted(wrong)


def test_no_module_outside_the_layers():
    """Every module of the package sits in one layer's folder (so the test above sees it)."""
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"]
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(OURS)


@pytest.mark.parametrize("layer", sorted(THIRD_PARTY))
def test_core_and_excel_layer_import_the_standard_library_only(layer):
    allowed = set(sys.stdlib_module_names) | {"xl_rollover"} | THIRD_PARTY[layer] | {"__future__"}
    files = _files(layer)
    outside = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in {n.split(".")[0] for n in _imports(path)}
        if name not in allowed | LAZY_ONLY[layer]
    }
    at_import = {
        f"{path.relative_to(ROOT)} imports {name} at module level"
        for path in files
        for name in {n.split(".")[0] for n in _imports(path, module_level_only=True)}
        if name in LAZY_ONLY[layer]
    }
    assert not outside | at_import, sorted(outside | at_import)


def test_importing_the_public_api_loads_no_heavy_library():
    code = (
        "import sys, xl_rollover, xl_rollover.core.demo, xl_rollover.excel.functions; "
        "print(' '.join(sorted(m for m in ('numpy', 'pandas', 'xlwings', 'openpyxl', 'pyarrow', 'formulas') "
        "if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == ""


def _layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Layout\n")
    return text[start : text.index("\n## ", start + 1)]


def test_readme_layout_names_every_module_and_folder() -> None:
    """The README's Layout section matches the tree: each module, package folder and benchmark is named there."""
    import re

    layout = _layout()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            if path.parent != PACKAGE and f"{path.parent.name}/" not in layout:
                missing.append(str(path.parent.relative_to(ROOT)) + "/")
        elif path.name not in layout and not re.search(rf"\b{path.stem}\b", layout):  # in a list by its name
            missing.append(str(path.relative_to(ROOT)))
    missing += [str(p.relative_to(ROOT)) for p in sorted((ROOT / "benchmarks").glob("*.py")) if p.name not in layout]
    assert not missing, f"not in README's Layout: {missing}"


def test_readme_layout_names_only_what_exists() -> None:
    import re

    named = set(re.findall(r"\b([a-z_0-9]+\.(?:py|csv|json))\b", _layout()))
    present = {p.name for p in ROOT.rglob("*") if p.suffix in (".py", ".csv", ".json") and ".venv" not in p.parts}
    assert named and not named - present, f"named in README's Layout but not in the tree: {sorted(named - present)}"
