"""The benchmark scripts import from each other only names their siblings define.

Benchmarks run outside the suite (they take minutes), so a renamed helper in one script can
break another unnoticed; this reads every ``bench/*.py`` and checks each ``from <sibling>
import …`` (at module level or inside a function) against the sibling's top-level names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = sorted(BENCH.glob("*.py"))


def _top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _sibling_imports(path: Path) -> list[tuple[str, str]]:
    siblings = {p.stem for p in SCRIPTS}
    return [
        (node.module, alias.name)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module in siblings and not node.level
        for alias in node.names
    ]


def test_scripts_import_each_other():
    assert any(_sibling_imports(p) for p in SCRIPTS)  # the check below has something to check


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_sibling_imports_exist(script: Path):
    missing = [
        f"{module}.{name}"
        for module, name in _sibling_imports(script)
        if name not in _top_level_names(BENCH / f"{module}.py")
    ]
    assert not missing, f"{script.name} imports names its siblings do not define: {missing}"
