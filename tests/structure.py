"""The package's shape, measured with ``ast``: imports between its modules, their length,
the length of their functions.

Every ``import`` and ``from ... import`` counts, at module level or inside a function
(a lazy import hides a cycle, it does not remove it).  An import names the module it
names: ``from bilingual_pub.render.pdf.layout import EditionLayout`` is an edge to
``bilingual_pub.render.pdf.layout`` (not to the packages above it, whose ``__init__``
Python runs first), ``from bilingual_pub.render import pdf_html`` one to
``bilingual_pub.render.pdf_html``.  Imports of modules outside the package are not edges.

``python -m tests.structure`` prints every violation, one a line.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "bilingual_pub"
SOURCE = Path(__file__).resolve().parent.parent / "src" / PACKAGE
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


@dataclass(frozen=True)
class Module:
    name: str  # dotted, a package by its own name
    path: Path
    tree: ast.Module
    lines: int

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


@dataclass(frozen=True)
class Violation:
    modules: tuple[str, ...]  # the module, or every module of an import cycle
    what: str

    def __str__(self) -> str:
        return f"{', '.join(self.modules)}: {self.what}"


def read_modules(source: Path = SOURCE, package: str = PACKAGE) -> dict[str, Module]:
    modules = {}
    for path in sorted(source.rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join((package, *parts))
        text = path.read_text(encoding="utf-8")
        modules[name] = Module(name, path, ast.parse(text, str(path)), len(text.splitlines()))
    return modules


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The module a ``from`` import starts from, relative imports resolved."""
    if node.level == 0:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _known(name: str, modules: dict[str, Module]) -> str | None:
    """The longest leading part of ``name`` that is a module of the package."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imported(module: Module, modules: dict[str, Module]) -> set[str]:
    """The package's modules that ``module`` imports, anywhere in its code."""
    found: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            start = _absolute(module, node)
            names = [f"{start}.{alias.name}" for alias in node.names] + [start]
            # ``from a import b`` names a.b when that is a module, else a itself
            names = [n for n in names[:-1] if n in modules] or [names[-1]]
        else:
            continue
        found.update(target for name in names if (target := _known(name, modules)))
    found.discard(module.name)
    return found


def import_graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    return {name: imported(module, modules) for name, module in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(tuple(sorted(group)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _qualified_names(tree: ast.Module) -> dict[ast.AST, str]:
    """Each function's name with the classes and functions around it (``Class.method``)."""
    names: dict[ast.AST, str] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names[child] = prefix + child.name
                walk(child, f"{prefix}{child.name}.")
            else:
                walk(child, prefix)

    walk(tree, "")
    return names


def violations(modules: dict[str, Module] | None = None) -> list[Violation]:
    """Every import cycle, every module too long, every function too long."""
    modules = read_modules() if modules is None else modules
    found = [Violation(group, "import cycle") for group in cycles(import_graph(modules))]
    for name, module in modules.items():
        if module.lines > MAX_MODULE_LINES:
            found.append(Violation((name,), f"{module.lines} lines (at most {MAX_MODULE_LINES})"))
        qualified = _qualified_names(module.tree)
        for function in _functions(module.tree):
            length = (function.end_lineno or function.lineno) - function.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(
                    Violation(
                        (name,),
                        f"{qualified[function]}() at line {function.lineno}: {length} lines "
                        f"(at most {MAX_FUNCTION_LINES})",
                    )
                )
    return found


def within(violation: Violation, package: str) -> bool:
    """Whether the violation concerns ``package`` (or a module below it)."""
    return any(m == package or m.startswith(package + ".") for m in violation.modules)


if __name__ == "__main__":
    problems = violations()
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)
