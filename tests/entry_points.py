"""Test helper: make an entry point visible to `importlib.metadata` without `pip install`.

A `*.dist-info` folder with `METADATA` and `entry_points.txt`, put on `sys.path`, is exactly what an
installed distribution looks like to entry-point discovery.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def add_entry_points(
    folder: Path, monkeypatch: pytest.MonkeyPatch, dist: str, points: dict[str, str]
) -> None:
    """Register `points` (name -> "module:attr") in the `vaultnet.generators` group."""
    info = folder / f"{dist}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    lines = "".join(f"{name} = {value}\n" for name, value in points.items())
    (info / "entry_points.txt").write_text(f"[vaultnet.generators]\n{lines}")
    monkeypatch.syspath_prepend(str(folder))
