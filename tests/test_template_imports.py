"""The template builder has no import cycle (README "Layout"): model <- evaluation <- build <- rebuild, specs <- model.

Every import counts, lazy ones inside functions too; only a module's ``if __name__ == "__main__":`` block is
left out (it runs when the file is a script, as module ``__main__``, never on import). Each module also
imports alone in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xl_rollover" / "templates"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_main_block(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def _imports(module: str, source: str, is_package: bool = False) -> set[str]:
    """The package's own modules ``module`` imports (``from . import x`` yields module x when x is one)."""
    package = module if is_package else module.rsplit(".", 1)[0]
    todo: list[ast.AST] = [n for n in ast.parse(source).body if not _is_main_block(n)]
    found: set[str] = set()
    while todo:
        node = todo.pop()
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                imported = ".".join([*base, *([node.module] if node.module else [])])
            else:
                imported = node.module or ""
            found.add(imported)
            found.update(f"{imported}.{alias.name}" for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """An import cycle of ``graph`` (module -> modules it imports), or [] when there is none."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str]:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return []
        for target in sorted(graph[name]):
            if found := visit(target, [*path, name]):
                return found
        done.add(name)
        return []

    for name in sorted(graph):
        if found := visit(name, []):
            return found
    return []


def _graph() -> dict[str, set[str]]:
    return {
        name: _imports(name, path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for name, path in MODULES.items()
    }


def test_import_graph_of_the_template_package_is_acyclic():
    graph = _graph()
    # the walk sees relative imports: a spec imports the model and the shared helpers only
    assert graph["xl_rollover.templates.specs.separation"] == {
        "xl_rollover.templates.model",
        "xl_rollover.templates.specs.common",
    }
    assert _cycle(graph) == [], " -> ".join(_cycle(graph))


def test_the_check_finds_a_lazy_cycle():
    """The builder importing the specs inside a function while a spec imports the builder is a cycle."""
    graph = _graph()
    graph["xl_rollover.templates.build"] = _imports(
        "xl_rollover.templates.build", "def build_all():\n    from .specs import TEMPLATES\n"
    )
    graph["xl_rollover.templates.specs.common"] = _imports(
        "xl_rollover.templates.specs.common", "from ..build import Input\n"
    )
    assert _cycle(graph) == [
        "xl_rollover.templates.build",
        "xl_rollover.templates.specs",
        "xl_rollover.templates.specs.backdoor",
        "xl_rollover.templates.specs.common",
        "xl_rollover.templates.build",
    ]
    main_only = _imports("xl_rollover.templates.model", 'if __name__ == "__main__":\n    from . import build\n')
    assert main_only == set()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_alone_in_a_fresh_interpreter(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
