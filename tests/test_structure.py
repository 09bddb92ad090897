"""The package's shape: no import cycle (lazy imports count), no module over 450 lines, no
function over 60 lines, measured with ``ast`` (tests/structure.py)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tests.structure import (
    Module,
    cycles,
    import_graph,
    read_modules,
    violations,
    within,
)

PDF_WRITER = "bilingual_pub.render.pdf"


def test_the_pdf_writer_has_no_cycle_no_long_module_no_long_function() -> None:
    assert [str(v) for v in violations() if within(v, PDF_WRITER)] == []


def test_the_whole_package_has_no_cycle_no_long_module_no_long_function() -> None:
    assert [str(v) for v in violations()] == []


def test_the_pdf_writer_is_a_package_whose_docstring_names_its_modules_in_order() -> None:
    """Each module imports only modules named after it in the package's docstring."""
    modules = read_modules()
    package = modules[PDF_WRITER]
    docstring = ast.get_docstring(package.tree) or ""
    listed = [line.split("``")[1] for line in docstring.splitlines() if line.startswith("- ``")]
    inside = sorted(name.rsplit(".", 1)[1] for name in modules if name.startswith(PDF_WRITER + "."))
    assert sorted(listed) == inside
    graph = import_graph(modules)
    for position, name in enumerate(listed):
        imported = {
            m.rsplit(".", 1)[1]
            for m in graph[f"{PDF_WRITER}.{name}"]
            if m.startswith(PDF_WRITER + ".")
        }
        assert imported <= set(listed[position + 1 :]), (name, imported)


def fake_modules(tmp_path: Path, sources: dict[str, str]) -> dict[str, Module]:
    for relative, text in sources.items():
        path = tmp_path / "pkg" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_modules(tmp_path / "pkg", "pkg")


def test_a_cycle_through_a_lazy_import_is_found(tmp_path: Path) -> None:
    modules = fake_modules(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import f\n",
            "b.py": "def f():\n    from pkg import c\n",
            "c.py": "def g():\n    from . import a\n",
            "d.py": "import pkg.a\n",
        },
    )
    assert cycles(import_graph(modules)) == [("pkg.a", "pkg.b", "pkg.c")]
    assert [str(v) for v in violations(modules)] == ["pkg.a, pkg.b, pkg.c: import cycle"]


def test_long_modules_and_functions_are_found(tmp_path: Path) -> None:
    def body(lines: int) -> str:
        return "".join(f"    x{n} = {n}\n" for n in range(lines))

    modules = fake_modules(
        tmp_path,
        {
            "__init__.py": "",
            "short.py": "def fits():\n" + body(59),
            "long.py": "class C:\n    def method(self):\n"
            + textwrap.indent(body(60), "    ")
            + "\n" * 400,
        },
    )
    assert [str(v) for v in violations(modules)] == [
        "pkg.long: 462 lines (at most 450)",
        "pkg.long: C.method() at line 2: 61 lines (at most 60)",
    ]
