"""The package's shape: imports run one way through the pipeline's stages, and
a dependency's private parts are touched in one place.

Read from the source (every ``import``, at module level or inside a function),
so a function-level import cannot hide an arrow that points backwards.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "letterkit"

#: The stages, in pipeline order: each may import those before it, never after.
STAGES = ["input", "text", "typeset", "pdf", "pipeline", "bundle", "cli"]
#: Modules every stage may use; they import only each other.
LEAVES = {
    "model",
    "errors",
    "validate",
    "memo",
    "limits",
    "l10n",
    "periods",
    "countries",
    "_resources",
    "_start",  # the command's start-up (Ctrl-C while loading), run first by the package
    "cache",
    "files",
}
#: Longest module, in lines, unless its docstring says why it is longer.
MAX_LINES = 400


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        yield ".".join(parts), path


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every letterkit module *name* imports, as a dotted name under letterkit."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
                if node.module is None:
                    for alias in node.names:
                        yield ".".join([*target, alias.name]), node.lineno
                    continue
                yield ".".join(target), node.lineno
            elif node.module and node.module.startswith("letterkit"):
                yield node.module.removeprefix("letterkit").lstrip("."), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("letterkit."):
                    yield alias.name.removeprefix("letterkit."), node.lineno


def _stage(module: str) -> str:
    return module.split(".")[0]


def _rank(module: str) -> int | None:
    top = _stage(module)
    return STAGES.index(top) if top in STAGES else None


def test_stages_are_the_packages() -> None:
    """The file list is the pipeline: one folder per stage, and nothing else at
    the top but the leaves and the package's entry points."""
    tops = {
        p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()
    }
    tops -= {"__pycache__", "locale", "__init__", "__main__", "py"}
    assert tops <= set(STAGES) | LEAVES, sorted(tops - set(STAGES) - LEAVES)


@pytest.mark.parametrize(("name", "path"), list(_modules()), ids=lambda v: str(v))
def test_imports_run_one_way(name: str, path: Path) -> None:
    if name in {"__init__", "__main__"}:
        return  # the entry points may reach any stage
    wrong = []
    mine = _rank(name)
    for target, line in _imports(name, path):
        if not target:
            continue
        theirs = _rank(target)
        if mine is None:  # a leaf imports only leaves
            if theirs is not None or _stage(target) not in LEAVES:
                wrong.append(f"line {line}: {target}")
        elif theirs is not None and theirs > mine:
            wrong.append(f"line {line}: {target}")
    assert not wrong, f"{name} imports a later stage: {wrong}"


def test_reportlab_only_in_typeset() -> None:
    found = []
    for name, path in _modules():
        if _stage(name) == "typeset":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                mods = [node.module]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            found += [f"{name}:{node.lineno}" for m in mods if m.split(".")[0] == "reportlab"]
    assert not found, found


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    names = {name for name, _ in _modules()}
    for name, path in _modules():
        if name in {"__init__", "__main__"}:
            continue
        edges = set()
        for target, _line in _imports(name, path):
            if target in names:
                edges.add(target)
            elif f"{target}.__init__" in names:
                edges.add(f"{target}.__init__")
        graph[name] = edges - {name}
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            raise AssertionError(
                "import cycle: " + " -> ".join([*trail[trail.index(node) :], node])
            )
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])


def test_modules_are_small() -> None:
    """A module over the limit says in its docstring why it is one piece."""
    long = []
    for name, path in _modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if "one piece" not in doc:
            long.append(f"{name} ({text.count(chr(10))} lines)")
    assert not long, long


#: Longest function, in lines, unless its docstring says why it is one piece.
MAX_FUNCTION_LINES = 80


def test_functions_are_short() -> None:
    long = []
    for name, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and "one piece" not in (ast.get_docstring(node) or ""):
                long.append(f"{name}.{node.name} ({length} lines)")
    assert not long, long


#: The one module per dependency that may touch its private parts, and the
#: tests that check each such reliance against the installed version.
PRIVATE_USERS = {
    "letterkit/typeset/_rl/__init__.py",
    "letterkit/typeset/_rl/canvas.py",
    "letterkit/typeset/_rl/layout.py",
    "letterkit/typeset/_rl/fonts.py",
    "letterkit/typeset/_rl/textlayer.py",
    "letterkit/typeset/_rl/marking.py",
    "letterkit/pdf/_pypdf.py",
    "letterkit/text/_jinja.py",
    "tests/unit/test_rl_contract.py",
    "tests/unit/test_pypdf_contract.py",
    "tests/unit/test_jinja_contract.py",
}
#: Private names read elsewhere on purpose, with the reason.
PRIVATE_ALLOWED = {
    # argparse offers no public list of a parser's subcommands.
    ("tests/test_docs.py", "_actions"),
    # ReportLab offers no public accessor for a KeepTogether's flowables.
    ("tests/unit/test_typeset_story.py", "_content"),
    # os._exit is documented (not private): an excepthook has no other way to set the status.
    ("letterkit/_start.py", "_exit"),
}


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for folder in ("letterkit", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own_private_names() -> set[str]:
    """The private names letterkit and its tests define themselves: modules,
    functions, classes, variables, and attributes they assign. A name starting
    ``_lk`` is letterkit's own by convention (set on a dependency's subclass)."""
    own = {p.stem for p in PACKAGE.rglob("_*.py")} | {p.stem for p in ROOT.glob("tests/**/_*.py")}
    own |= {p.name for p in PACKAGE.rglob("_*") if p.is_dir() and p.name != "__pycache__"}
    for rel, tree in _sources():
        if rel in PRIVATE_USERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                own.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                own.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                own.add(node.attr)
    return {name for name in own if _private(name)}


def test_private_parts_of_dependencies_are_touched_in_one_place() -> None:
    """This test ensures that a private attribute of a ReportLab, pypdf/pikepdf or
    Jinja object (``canvas._doc``, ``getattr(frame, "_atTop")``) is used only in
    typeset/_rl/, pdf/_pypdf.py or text/_jinja.py, whose contract tests name
    the reliance when a new version breaks it."""
    own = _own_private_names()
    found = []
    for rel, tree in _sources():
        if rel in PRIVATE_USERS:
            continue
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Attribute) and _private(node.attr):
                name = node.attr
            elif isinstance(node, ast.Call):
                name = _string_name(node)
            if (
                name
                and not name.startswith("_lk")
                and name not in own
                and (rel, name) not in PRIVATE_ALLOWED
            ):
                found.append(f"{rel}:{node.lineno}: {name}")
    assert not found, found


def _string_name(call: ast.Call) -> str | None:
    """The private name a call reaches by string: ``getattr(obj, "_x")`` and its
    kin, or ``obj.__dict__.get("_x")``."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in {"getattr", "setattr", "hasattr", "delattr"}:
        arg = call.args[1] if len(call.args) > 1 else None
    elif (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "__dict__"
        and call.args
    ):
        arg = call.args[0]
    else:
        return None
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _private(arg.value):
        return arg.value
    return None
