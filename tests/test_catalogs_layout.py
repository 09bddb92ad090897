"""The catalogs package's shape: short modules and functions, its docstring naming its
modules in pipeline order, and only the ``update`` command reaching up to the project."""

from __future__ import annotations

import ast

from tests.structure import import_graph, read_modules, violations, within

CATALOGS = "bilingual_pub.catalogs"


def test_catalogs_config_and_project_have_no_cycle_no_long_module_no_long_function() -> None:
    found = [
        str(v)
        for v in violations()
        if within(v, CATALOGS) or within(v, "bilingual_pub.config")
        or within(v, "bilingual_pub.project")
    ]  # fmt: skip
    assert found == []


def test_the_docstring_names_every_module_each_importing_only_those_before_it() -> None:
    modules = read_modules()
    docstring = ast.get_docstring(modules[CATALOGS].tree) or ""
    listed = [line.split("``")[1] for line in docstring.splitlines() if line.startswith("- ``")]
    inside = sorted(name.rsplit(".", 1)[1] for name in modules if name.startswith(CATALOGS + "."))
    assert sorted(listed) == inside
    graph = import_graph(modules)
    for position, name in enumerate(listed):
        imported = {
            m.rsplit(".", 1)[1] for m in graph[f"{CATALOGS}.{name}"] if m.startswith(CATALOGS + ".")
        }
        assert imported <= set(listed[:position]), (name, imported)


def test_only_the_update_command_imports_the_project() -> None:
    graph = import_graph(read_modules())
    reaching_up = sorted(
        name
        for name, imported in graph.items()
        if name.startswith(CATALOGS + ".") and "bilingual_pub.project" in imported
    )
    assert reaching_up == [f"{CATALOGS}.update"]
