"""Shared fixtures: small vaults built from a dict, and the index file beside them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

VaultFiles = dict[str, str | bytes]


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
