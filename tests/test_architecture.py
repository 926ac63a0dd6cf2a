"""The shape of the code, enforced: a pure core, I/O at the edges (../shared/STYLE.md).

Read from the source's imports and calls, so a new module that reaches for the disk, SQL or the
terminal from the core fails here instead of in review.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "vaultnet"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))

DISK = {"os", "shutil", "tempfile", "subprocess", "sqlite3", "glob", "io"}
ONLY_IN = {
    "sqlite3": {"index/schema.py", "index/writer.py", "index/view.py"},
    "click": {"cli.py", "cli_base.py", "cli_people.py", "cli_setup.py"},
    "watchdog": {"watch/events.py"},
}
"""Modules that may import these, and no other."""
IO_EDGES = {
    "vault/files.py",
    "index/schema.py",
    "index/writer.py",
    "index/view.py",
    "index/scan.py",
    "index/reading.py",
    "pages/write.py",
    "pages/places.py",
    "pages/append.py",
    "pages/lock.py",
    "pages/generate.py",
    "pages/keep.py",
    "reconnect/touch.py",
    "addressbook/importer.py",
    "related/saved.py",
    "related/signed.py",
    "watch/events.py",
    "watch/daemon.py",
    "cli.py",
    "cli_base.py",
    "cli_people.py",
    "cli_setup.py",
    "workers.py",
}
"""Modules that may touch the disk; everything else is text in, records out."""

LAYERS = {
    "errors": 0,
    "workers": 0,
    "behind": 0,
    "vault": 1,
    "reasons": 1,
    "words": 1,
    "index": 2,
    "ideas": 3,
    "people": 4,
    "pages": 5,
    "plugins": 5,
    "reconnect": 6,
    "addressbook": 6,
    "related": 7,
    "network": 7,
    "session": 8,
    "watch": 9,
    "cli": 10,
    "cli_base": 10,
    "cli_people": 10,
    "cli_setup": 10,
    "__main__": 10,
}
"""Each top-level module or subpackage of vaultnet, by layer: a module imports only its own layer
and those below, never one above: cli/watch -> session (what every command does first) -> page
generators (reconnect, related, network) and the address book -> pages (the writer and the plugin API) ->
people (what the notes say about people, and the advice) -> ideas -> index -> vault."""
MAX_LINES = 400
"""Modules stay small: one past this is split by concept (../shared/STYLE.md)."""


def name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def imported(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def opens_files(tree: ast.AST) -> bool:
    calls = (node.func for node in ast.walk(tree) if isinstance(node, ast.Call))
    return any(
        (isinstance(f, ast.Name) and f.id == "open")
        or (
            isinstance(f, ast.Attribute)
            and f.attr
            in {
                "read_text",
                "read_bytes",
                "write_text",
                "write_bytes",
                "open",
                "unlink",
                "mkdir",
                "rename",
                "touch",
            }
        )  # (not "replace": str.replace is everywhere)
        for f in calls
    )


CORE = [m for m in MODULES if name(m) not in IO_EDGES]


@pytest.mark.parametrize("module", CORE, ids=name)
def test_pure_core_touches_no_disk(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    assert not imported(tree) & DISK, f"{name(module)} imports {imported(tree) & DISK}"
    assert not opens_files(tree), f"{name(module)} reads or writes files"


@pytest.mark.parametrize("module", MODULES, ids=name)
def test_sql_terminal_and_watchdog_stay_in_their_modules(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for library, allowed in ONLY_IN.items():
        if library in imported(tree):
            assert name(module) in allowed, f"{name(module)} imports {library}"


def test_library_never_imports_the_cli() -> None:
    for module in MODULES:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        if name(module) not in {
            "cli.py",
            "cli_base.py",
            "cli_people.py",
            "cli_setup.py",
            "__main__.py",
        }:
            modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert "vaultnet.cli" not in modules, name(module)


def test_start_up_loads_no_parser() -> None:
    """A no-change scan must start fast: the CLI and the index load markdown-it, YAML, the date
    tables, OpenSSL and multiprocessing only when a file has to be read."""
    heavy = [
        "markdown_it",
        "yaml",
        "frontmatter",
        "multiprocessing",
        "_hashlib",
        "vaultnet.vault.dates",
    ]
    code = f"import sys, vaultnet.cli, vaultnet.index.scan; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def vaultnet_imports(path: Path) -> set[str]:
    """Every vaultnet module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("vaultnet.")}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "vaultnet":  # a module, or a name of the root (`__version__`)
                found |= {_module_or_root(f"vaultnet.{a.name}") for a in node.names}
            elif node.module.startswith("vaultnet."):
                found.add(node.module)
    return found


def _module_or_root(dotted: str) -> str:
    path = PACKAGE.parent / dotted.replace(".", "/")
    return dotted if path.is_dir() or path.with_suffix(".py").is_file() else "vaultnet"


GRAPH = {module_name(m): vaultnet_imports(m) for m in MODULES}


def layer(module: str) -> int:
    """The root package (it only names the release) is below every layer."""
    return -1 if module == "vaultnet" else LAYERS[module.split(".")[1]]


@pytest.mark.parametrize("module", MODULES, ids=name)
def test_every_module_has_a_layer(module: Path) -> None:
    assert module_name(module) == "vaultnet" or module_name(module).split(".")[1] in LAYERS


@pytest.mark.parametrize("module", MODULES, ids=name)
def test_dependencies_point_down_the_layers(module: Path) -> None:
    me = module_name(module)
    if me == "vaultnet":
        return
    upward = sorted(m for m in GRAPH[me] if layer(m) > layer(me))
    assert not upward, f"{name(module)} (layer {layer(me)}) imports {upward} from a layer above"


def test_no_import_circles() -> None:
    """No module reaches itself through imports, counting imports inside functions."""
    for start, targets in GRAPH.items():
        seen: set[str] = set()
        stack = [(t, (start, t)) for t in targets]
        while stack:
            current, route = stack.pop()
            assert current != start, "import circle: " + " -> ".join(route)
            if current in seen:
                continue
            seen.add(current)
            stack.extend((t, (*route, t)) for t in GRAPH.get(current, ()))


def test_packages_only_describe_themselves() -> None:
    """A subpackage's `__init__` imports nothing: importing one module never drags in its
    siblings, and a circle cannot hide in a package import."""
    for module in MODULES:
        if module.name == "__init__.py":
            assert not GRAPH[module_name(module)], name(module)


@pytest.mark.parametrize("module", MODULES, ids=name)
def test_modules_stay_small(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name(module)}: {lines} lines; split it by concept"


@pytest.mark.parametrize("module", MODULES, ids=name)
def test_every_module_says_what_it_is_for(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    if module.name != "__init__.py" or tree.body:
        assert ast.get_docstring(tree), f"{name(module)} has no one-line purpose at the top"


WRITER = "vaultnet.index.writer"
WRITES_THE_INDEX = {"vaultnet.index.scan", "vaultnet.pages.generate"}
"""The index is written by the scan, and by generation recording which pages it placed."""


def test_only_the_scan_and_generation_write_the_index() -> None:
    """Features, generators and plugins read the index through `IndexView`, never the writer
    (imports inside functions and for type checking count)."""
    writers = {m for m, targets in GRAPH.items() if WRITER in targets}
    assert writers <= WRITES_THE_INDEX, sorted(writers - WRITES_THE_INDEX)


PLUGINS = [
    *sorted((PACKAGE.parent / "examples" / "plugins").rglob("*.py")),
    PACKAGE.parent / "tests" / "sample_generators.py",
]


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.name)
def test_plugins_import_only_the_generator_api(plugin: Path) -> None:
    """A third-party generator imports `vaultnet.pages.api` and nothing else of vaultnet."""
    assert vaultnet_imports(plugin) <= {"vaultnet.pages.api"}, plugin
