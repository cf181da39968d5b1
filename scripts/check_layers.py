"""Check that Pulso's apps form layers: no import cycles, a base app that imports no domain app.

Builds the app-level import graph of ``src/pulso`` from the source alone (stdlib ``ast``, no
Django): module-level imports, imports inside functions, classes and ``if TYPE_CHECKING``
blocks, and modules named in strings (``importlib.import_module("pulso.x.y")``,
``include("pulso.x.urls")``, dotted paths in settings). Migrations are skipped; docstrings are
prose, not references; a name that is no app or module under the root is ignored.
Exits 1 and prints every offending edge with file:line when:

- an app has no layer in ``LAYERS``;
- two or more apps import each other, directly or round a longer cycle;
- the base app imports any app above layer 0;
- an app imports one that is not below it in ``LAYERS`` (and not in ``ALLOWED_SIDEWAYS``).

Usage: ``python scripts/check_layers.py [SOURCE_PACKAGE_DIR]`` (default: ``src/pulso``).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASE_APP = "core"

# Layer of every app (a package directly under src/pulso) and top-level module. An app may
# import from lower layers only; project-level modules (settings, urls, ...) may import anything.
LAYERS: dict[str, int] = {
    "lib": 0,
    "env": 0,
    "core": 1,
    "accounts": 1,
    "journeys": 2,
    "customers": 2,
    "feedback": 3,
    "surveys": 3,
    "audits": 3,
    "inbox": 3,
    "textanalytics": 4,
    "metrics": 4,
    "loop": 4,
    "design": 4,
    "economics": 4,
    "pulses": 3,
    "initiatives": 4,
    "drivers": 4,
    "benchmarks": 4,
    "reputation": 4,
    "alerts": 5,
    "crisis": 5,
    "recognitions": 5,
    "reports": 5,
    "web": 5,
    "demo": 5,
}

# Project-level modules sit on top: they may import any app, and no app may import them.
PROJECT_MODULES = {"settings", "urls", "cli", "api", "wsgi", "__main__"}
TOP = 6

# Imports within one layer that are part of the design (importer, imported).
ALLOWED_SIDEWAYS: set[tuple[str, str]] = {
    ("accounts", "core"),  # accounts records its changes in the audit trail
    ("surveys", "feedback"),  # a survey response is recorded as feedback
    ("audits", "feedback"),  # an audit visit is recorded as feedback
    ("inbox", "feedback"),  # a customer message is recorded as feedback
    ("metrics", "textanalytics"),
    ("loop", "metrics"),
    ("loop", "textanalytics"),
    ("design", "metrics"),  # a blueprint shows each touchpoint's scores
    ("initiatives", "textanalytics"),  # an initiative names the topics it fixes
    ("initiatives", "metrics"),  # units' customer NPS beside their employees' eNPS
    ("initiatives", "loop"),  # cases' root causes count in the proposed problems
    ("drivers", "metrics"),  # the dashboards' filters and low-base threshold
    ("drivers", "textanalytics"),  # topics are drivers
    ("reputation", "metrics"),  # the charts' spec helpers
    ("benchmarks", "metrics"),  # the dashboards' aggregates, filters and low-base threshold
    ("crisis", "alerts"),  # an incident is opened from a crisis alert
}

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "src" / "pulso"


@dataclass(frozen=True)
class Reference:
    """One place where a module of app ``source`` names a module of app ``target``."""

    source: str
    target: str
    path: Path
    line: int
    how: str

    def where(self) -> str:
        return f"{_display(self.path)}:{self.line} ({self.how})"


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _ReferenceFinder(ast.NodeVisitor):
    """Collects the modules of ``package`` named by one file, with where and how."""

    def __init__(self, package: str, module: str, is_package: bool) -> None:
        self.package = package
        self.module = module
        self.is_package = is_package
        self.found: list[tuple[str, int, str]] = []
        self._scopes: list[str] = []
        self._docstrings: set[int] = set()
        self._dotted = re.compile(rf"\b{re.escape(package)}(?:\.[A-Za-z_]\w*)+")

    def _context(self) -> str:
        return f"import {self._scopes[-1]}" if self._scopes else "import"

    def _scoped(self, node: ast.AST, scope: str) -> None:
        self._scopes.append(scope)
        self.generic_visit(node)
        self._scopes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._skip_docstring(node)
        self._scoped(node, "inside a function")

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._skip_docstring(node)
        self._scoped(node, "inside a function")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._skip_docstring(node)
        self._scoped(node, "inside a class")

    def visit_Module(self, node: ast.Module) -> None:
        self._skip_docstring(node)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        test = ast.unparse(node.test)
        self._scoped(node, "under if TYPE_CHECKING" if "TYPE_CHECKING" in test else "under if")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self._context()))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._absolute(node.module, node.level)
        for alias in node.names:
            # ``from pulso import core`` names the package ``pulso.core``.
            name = f"{base}.{alias.name}" if base == self.package else base
            self.found.append((name, node.lineno, self._context()))

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self._docstrings:
            for match in self._dotted.finditer(node.value):
                self.found.append((match.group(0), node.lineno, "string"))

    def _skip_docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                self._docstrings.add(id(body[0].value))

    def _absolute(self, module: str | None, level: int) -> str:
        if level == 0:
            return module or ""
        parts = self.module.split(".")
        if not self.is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (level - 1)]
        return ".".join([*parts, module] if module else parts)


def _python_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path


def _unit_of(root: Path, path: Path) -> str:
    """The app (first folder under the root) or top-level module a file belongs to."""
    first = path.relative_to(root).parts[0]
    return first.removesuffix(".py")


def units(root: Path) -> list[str]:
    """Apps and top-level modules under the root (``__init__`` excluded)."""
    found = {_unit_of(root, path) for path in _python_files(root)}
    return sorted(found - {"__init__"})


def references(root: Path) -> list[Reference]:
    """Every reference from one unit to another under ``root``."""
    package = root.name
    known = set(units(root))
    found: dict[Reference, None] = {}  # ordered and without repeats
    for path in _python_files(root):
        source = _unit_of(root, path)
        relative = path.relative_to(root.parent).with_suffix("")
        is_package = relative.name == "__init__"
        module = ".".join(relative.parts[:-1] if is_package else relative.parts)
        finder = _ReferenceFinder(package, module, is_package)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for name, line, how in finder.found:
            parts = name.split(".")
            if parts[0] != package or len(parts) < 2 or parts[1] not in known:
                continue
            if parts[1] != source and source not in PROJECT_MODULES | {"__init__"}:
                found[Reference(source, parts[1], path, line, how)] = None
    return list(found)


def graph(refs: list[Reference]) -> dict[str, dict[str, list[Reference]]]:
    """importer → imported → the references that make the edge."""
    edges: dict[str, dict[str, list[Reference]]] = defaultdict(lambda: defaultdict(list))
    for ref in refs:
        edges[ref.source][ref.target].append(ref)
    return edges


def cycles(edges: dict[str, dict[str, list[Reference]]]) -> list[list[str]]:
    """Strongly connected groups of two or more units (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    nodes = sorted(set(edges) | {t for targets in edges.values() for t in targets})
    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(groups)


def _one_cycle(group: list[str], edges: dict[str, dict[str, list[Reference]]]) -> list[str]:
    """A shortest cycle through the group's first member, to name in the report."""
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, {})):
            if nxt == start:
                return [*paths[node], start]
            if nxt in group and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [*group, start]  # unreachable for a strongly connected group


def layer_of(unit: str) -> int | None:
    return TOP if unit in PROJECT_MODULES else LAYERS.get(unit)


def _layer_problem(source: str, target: str) -> str | None:
    source_layer, target_layer = layer_of(source), layer_of(target)
    if source_layer is None or target_layer is None:
        return None  # reported once as an app without a layer
    if target in PROJECT_MODULES:
        return f"{source} imports the project-level module {target}"
    if source == BASE_APP and target_layer > 0:
        return f"the base app {BASE_APP} imports {target}"
    if source_layer > target_layer or (source, target) in ALLOWED_SIDEWAYS:
        return None
    return f"{source} (layer {source_layer}) imports {target} (layer {target_layer})"


def problems(root: Path) -> list[str]:
    """Report lines for every cycle and forbidden edge; empty when the layers hold."""
    edges = graph(references(root))
    lines: list[str] = []
    lines += [
        f"layer: {unit} has no layer in LAYERS" for unit in units(root) if layer_of(unit) is None
    ]
    for group in cycles(edges):
        example = " -> ".join(_one_cycle(group, edges))
        lines.append(f"cycle: {', '.join(group)} import each other (e.g. {example})")
        for source in group:
            for target in sorted(t for t in edges[source] if t in group):
                lines += _edge_lines(source, target, edges[source][target])
    for source in sorted(edges):
        for target in sorted(edges[source]):
            problem = _layer_problem(source, target)
            if problem:
                lines.append(f"layer: {problem}")
                lines += _edge_lines(source, target, edges[source][target])
    return lines


def _edge_lines(source: str, target: str, refs: list[Reference]) -> list[str]:
    return [f"  {source} -> {target}  {ref.where()}" for ref in refs]


def summary(root: Path) -> str:
    edges = graph(references(root))
    by_layer: dict[int, list[str]] = defaultdict(list)
    for unit in units(root):
        by_layer[layer_of(unit) or 0].append(unit)  # every unit has a layer here
    count = sum(len(targets) for targets in edges.values())
    rows = [f"  {layer}: {', '.join(names)}" for layer, names in sorted(by_layer.items())]
    return "\n".join(
        [f"layers OK: {count} app-to-app edges, no cycles, {BASE_APP} imports no domain app", *rows]
    )


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve() if len(argv) > 1 else DEFAULT_ROOT
    if not root.is_dir():
        print(f"check_layers: {root} is not a directory", file=sys.stderr)
        return 2
    found = problems(root)
    if found:
        print("\n".join(found))
        print(f"layers FAILED: {sum(not line.startswith(' ') for line in found)} problem(s)")
        return 1
    print(summary(root))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
