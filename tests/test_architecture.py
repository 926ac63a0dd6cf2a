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
ONLY_IN = {"sqlite3": {"store.py"}, "click": {"cli.py"}, "watchdog": {"watch.py"}}
"""Modules that may import these, and no other."""
IO_EDGES = {
    "vault.py",
    "store.py",
    "write.py",
    "lock.py",
    "watch.py",
    "index.py",
    "cli.py",
    "generate.py",
    "touch.py",
    "saved_corpus.py",
}
"""Modules that may touch the disk; everything else is text in, records out."""


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
        if name(module) not in {"cli.py", "__main__.py"}:
            modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert "vaultnet.cli" not in modules, name(module)


def test_start_up_loads_no_parser() -> None:
    """A no-change scan must start fast: the CLI and the index load markdown-it, YAML, the date
    tables, OpenSSL and multiprocessing only when a file has to be read."""
    heavy = ["markdown_it", "yaml", "frontmatter", "multiprocessing", "_hashlib", "vaultnet.dates"]
    code = f"import sys, vaultnet.cli, vaultnet.index; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
