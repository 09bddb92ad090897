"""The writers' shape: render/ and render/epub/ are packages whose docstrings name their
modules in the order they import one another, each module under the size limits, and the
block walkers are exhaustive (tests/structure.py measures)."""

from __future__ import annotations

import ast

import pytest

from tests.structure import import_graph, read_modules, violations, within

RENDER = "bilingual_pub.render"
EPUB = "bilingual_pub.render.epub"


def listed_modules(package: str) -> list[str]:
    """The modules a package's docstring names, ``- ``name``: ...`` (a package as ``name/``)."""
    docstring = ast.get_docstring(read_modules()[package].tree) or ""
    return [
        line.split("``")[1].rstrip("/")
        for line in docstring.splitlines()
        if line.startswith("- ``")
    ]


def children(package: str) -> list[str]:
    """The modules and packages directly inside ``package``."""
    depth = package.count(".") + 1
    return sorted(
        name.split(".")[depth]
        for name in read_modules()
        if name.startswith(package + ".") and name.count(".") == depth
    )


@pytest.mark.parametrize("package", [RENDER, EPUB])
def test_the_docstring_names_every_module_in_import_order(package: str) -> None:
    """Each module (or package, with what is inside it) imports only those listed after it."""
    listed = listed_modules(package)
    assert sorted(listed) == children(package)
    graph = import_graph(read_modules())
    for position, name in enumerate(listed):
        own = f"{package}.{name}"
        imported = {
            target.removeprefix(package + ".").split(".")[0]
            for source, targets in graph.items()
            if source == own or source.startswith(own + ".")
            for target in targets
            if target.startswith(package + ".")
        }
        assert imported - {name} <= set(listed[position + 1 :]), (name, imported)


def test_the_writers_have_no_cycle_no_long_module_no_long_function() -> None:
    assert [str(v) for v in violations() if within(v, RENDER)] == []


@pytest.mark.parametrize(
    ("module", "walkers"),
    [
        ("bilingual_pub.render.pdf_html", {"rows", "flow"}),
        ("bilingual_pub.render.epub.chapters", {"block"}),
    ],
)
def test_the_block_walkers_end_in_assert_never(module: str, walkers: set[str]) -> None:
    """A block kind a walker does not handle is a type error, not a block left out."""
    tree = read_modules()[module].tree
    found = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef) or function.name not in walkers:
            continue
        for match in (node for node in ast.walk(function) if isinstance(node, ast.Match)):
            last = match.cases[-1]
            call = last.body[0]
            if (
                isinstance(last.pattern, ast.MatchAs)
                and last.pattern.pattern is None
                and isinstance(call, ast.Expr)
                and isinstance(call.value, ast.Call)
                and isinstance(call.value.func, ast.Name)
                and call.value.func.id == "assert_never"
            ):
                found.add(function.name)
    assert found == walkers
