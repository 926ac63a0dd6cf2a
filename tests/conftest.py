"""Shared fixtures: small vaults built from a dict, and the index file beside them."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vaultnet.index.gathering import Gathering
from vaultnet.index.scan import Index
from vaultnet.pages.api import GenerateContext
from vaultnet.pages.write import FOOTER, TEMP_SUFFIX, read_marker
from vaultnet.session import load_settings

VaultFiles = dict[str, str | bytes]
EXAMPLE_VAULT = Path(__file__).resolve().parents[1] / "examples" / "vault"


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[VaultFiles], Path]:
    """`make_vault({"People/Jane Doe.md": "...", ...})` -> the vault folder (str is UTF-8)."""
    counter = iter(range(1000))

    def make(files: VaultFiles) -> Path:
        root = tmp_path / f"vault{next(counter)}"
        root.mkdir()
        write_files(root, files)
        return root

    return make


def write_files(root: Path, files: VaultFiles) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))


@pytest.fixture(autouse=True)
def _isolated_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's cache folder: indexes and locks go into the test's tmp folder."""
    monkeypatch.setenv("VAULTNET_INDEX", str(tmp_path / "index.sqlite"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the vault locks (Linux)
    monkeypatch.delenv("VAULTNET_VAULT", raising=False)


def copy_example_vault(dest: Path) -> Path:
    """The example vault as the repository holds it, at `dest`: without what a run of vaultnet on
    `examples/vault` (the README's first command) left there -- generated pages wherever they
    are, the output folder, its locks (`.vaultnet/`), an interrupted write's temp files -- so no
    test depends on it."""

    def left_by_a_run(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {
            name
            for name in names
            if (here == EXAMPLE_VAULT and name in ("Vaultnet", ".vaultnet"))
            or name.endswith(TEMP_SUFFIX)
            or (name.endswith(".md") and read_marker((here / name).read_bytes())[0] is not None)
        }

    shutil.copytree(EXAMPLE_VAULT, dest, ignore=left_by_a_run)
    return dest


@pytest.fixture
def example_vault(tmp_path: Path) -> Path:
    """A fresh copy of the example vault (`copy_example_vault`)."""
    return copy_example_vault(tmp_path / "example")


def without_footer(page: str) -> str:
    """A generated page's text without the line every page ends with (`write.FOOTER`)."""
    assert page.endswith(f"\n\n{FOOTER}"), page[-300:]
    return page[: -len(FOOTER) - 1]


def gathering_of(index: Index, today: dt.date) -> Gathering:
    """A run over `index` (scanned) for `today`, with the vault's settings, as a command has."""
    return Gathering(index.view, load_settings(index), today)


def context_of(index: Index, today: dt.date, **kwargs: Any) -> GenerateContext:
    """A generator's context over `index` (scanned) for `today`, as `generate` makes it."""
    return GenerateContext(index.view, index.root, load_settings(index), today, **kwargs)
