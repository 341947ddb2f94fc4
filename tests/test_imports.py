"""Import hygiene: the light entry points do not load spaCy, and the CLI and web packages have
no import cycles (issue 14, "no knots")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import tidings

PACKAGE_DIR = Path(tidings.__file__).parent
HEAVY = ("spacy", "thinc")


def imported_modules(statement: str) -> set[str]:
    """Every module a fresh interpreter imports to run ``statement`` (from -X importtime)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", statement],
                            capture_output=True, text=True, timeout=120, check=True)
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def _assert_light(modules: set[str], what: str) -> None:
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    nlp = sorted(m for m in modules if m == "tidings.pipeline" or m.startswith("tidings.nlp"))
    assert not heavy, f"{what} loads {heavy[:5]} ..."
    assert not nlp, f"{what} reaches the NLP: {nlp}"


@pytest.mark.parametrize("module", ["tidings", "tidings.store", "tidings.web"])
def test_light_entry_points_do_not_import_spacy(module):
    modules = imported_modules(f"import {module}")
    assert module in modules  # the parse found the module itself
    _assert_light(modules, f"import {module}")


# Packages that store, read, serve or convert events without coding text: none of their
# modules may import the NLP when imported (it is loaded inside the functions that code).
LIGHT = ("ingest", "store", "corpus", "formats", "web", "batch", "commands", "schemes",
         "runs", "cli", "cli_common", "event_types", "model", "confidence", "errors")


def test_no_module_of_the_light_packages_imports_spacy():
    modules = sorted(
        name for name in import_graph()
        if name.split(".")[1:2] and name.split(".")[1] in LIGHT
        and ".migrations" not in name)  # Alembic's env.py runs only inside Alembic
    assert "tidings.ingest.watcher" in modules and "tidings.web.api" in modules
    found = imported_modules("; ".join(f"import {name}" for name in modules))
    assert set(modules) <= found
    _assert_light(found, "importing every module of " + ", ".join(LIGHT))


def test_the_coding_functions_still_load_on_first_use():
    modules = imported_modules("import tidings; tidings.code_many; tidings.get_coder")
    assert "spacy" in modules and "tidings.pipeline" in modules
    from tidings.pipeline import code

    assert tidings.code is code
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        tidings.nothing  # noqa: B018


# --- import cycles ------------------------------------------------------------------------

def module_name(path: Path) -> str:
    parts = ["tidings", *path.relative_to(PACKAGE_DIR).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def imports_of(tree: ast.Module, modules: set[str], own: str, is_package: bool) -> set[str]:
    """The tidings modules one module imports anywhere in its code (module level and inside
    functions alike: a deferred import hides a cycle, it does not remove it), except under
    ``if TYPE_CHECKING``."""
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if _type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = own if is_package else own.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}".rstrip(".")
            for alias in node.names:
                # `from package import submodule` imports the submodule
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        stack.extend(ast.iter_child_nodes(node))
    return {name for name in found if name in modules and name != own}


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE_DIR.rglob("*.py")}
    modules = set(paths)
    return {name: imports_of(ast.parse(path.read_text(encoding="utf-8")), modules, name,
                             path.name == "__init__.py")
            for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_deferred_and_from_imports(tmp_path):
    source = ("import tidings.b\nfrom tidings import c\nfrom tidings.d import name\n"
              "def f():\n    from tidings.e import x\n"
              "if TYPE_CHECKING:\n    from tidings.f import y\n")
    modules = {"tidings", "tidings.a", "tidings.b", "tidings.c", "tidings.d", "tidings.e",
               "tidings.f"}
    found = imports_of(ast.parse(source), modules, "tidings.a", is_package=False)
    assert found == {"tidings.b", "tidings.c", "tidings.d", "tidings.e"}


def _in_cli_or_web(module: str) -> bool:
    return (module in ("tidings.cli", "tidings.cli_common")
            or module.startswith(("tidings.commands", "tidings.web")))


def test_no_import_cycles_in_the_cli_and_web_packages():
    graph = import_graph()
    assert "tidings.cli_common" in graph["tidings.commands.batch"]  # the graph is not empty
    knots = [c for c in cycles(graph) if any(_in_cli_or_web(m) for m in c)]
    assert not knots, f"import cycles: {knots}"
