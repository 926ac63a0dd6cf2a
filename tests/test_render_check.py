"""Generated pages rendered in a real browser: every page of the example vault and the Network
page of every case vault (`tests/cases/network/pages.yaml`: hostile names, 2,000 people, ...)
go through markdown-it and mermaid.js (the version Obsidian ships) in headless Chromium, in a
light and a dark theme (`tools/render-check/render-check.mjs`). Any Mermaid parse or render
error fails the test; a PNG per page and theme is saved.

Needs Debian's `chromium`, `node` and the npm packages (`bash tools/render-check/install.sh`);
skipped, with the reason, without them. `bash tools/render-check/run.sh [OUT]` runs it alone and
keeps the PNGs (`VAULTNET_RENDER_OUT`; default: the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example_vault, write_files
from network_vaults import case_files, load_cases

from vaultnet.cli import cli

TOOL = Path(__file__).resolve().parents[1] / "tools" / "render-check"
TODAY = "2026-11-26"


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")):
        return "chromium is not installed (apt-get install chromium)"
    if not (TOOL / "node_modules" / "mermaid").is_dir():
        return "its npm packages are not installed (bash tools/render-check/install.sh)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=f"render check: {_missing()}")


def _generate(root: Path, today: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "--index", f"{root}.sqlite", "generate", "--today", today],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


def test_pages_render_in_chromium(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    example = copy_example_vault(tmp_path / "example")
    _generate(example, TODAY)
    shutil.copytree(example / "Vaultnet", pages / "example")
    for case in load_cases():
        root = tmp_path / "cases" / str(case["case"])
        root.mkdir(parents=True)
        write_files(root, dict(case_files(case)))
        _generate(root, str(case["today"]))
        (pages / "network").mkdir(exist_ok=True)
        shutil.copy(root / "Vaultnet" / "Network.md", pages / "network" / f"{case['case']}.md")
    out = Path(os.environ.get("VAULTNET_RENDER_OUT") or tmp_path / "png")
    done = subprocess.run(
        ["node", str(TOOL / "render-check.mjs"), str(out), str(pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all drawn" in done.stdout and (out / "Network.light.png").is_file(), done.stdout
