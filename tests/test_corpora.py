"""The real public vaults in ../shared/corpora: every link that stays unresolved is really missing.

Each obsidian-help language folder is a vault of its own; obsidian-hub is one vault. The check of an
unresolved link is a brute-force search over every file, written independently of the resolver.
Run with `-s` to see how many links resolve in each vault.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from vaultnet.index.scan import open_index
from vaultnet.vault.resolve import fold

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
HELP = CORPORA / "obsidian-help"
# Language folders (`en`, `pt-br`, `zh-TW`, ...) are vaults; so are `Release notes` and `Sandbox`.
VAULTS = sorted(p for p in HELP.iterdir() if p.is_dir()) if HELP.is_dir() else []
VAULTS += [CORPORA / "obsidian-hub"] if (CORPORA / "obsidian-hub").is_dir() else []

pytestmark = pytest.mark.skipif(not VAULTS, reason="../shared/corpora is not beside the repo")


def brute_force_matches(target: str, source: str, files: list[str]) -> list[str]:
    """Every file a link could mean: same path, path suffix or relative path, `.md` optional."""
    wanted = fold(target.strip()).lstrip("/")
    if wanted.startswith(("./", "../")):
        wanted = posixpath.normpath(posixpath.join(fold(posixpath.dirname(source)), wanted))
        return [f for f in files if fold(f) in (wanted, wanted + ".md")]
    return [
        f
        for f in files
        if any(fold(f) == w or fold(f).endswith("/" + w) for w in (wanted, wanted + ".md"))
    ]


@pytest.mark.parametrize("vault", VAULTS, ids=[v.name for v in VAULTS])
def test_unresolved_links_are_really_missing(vault: Path, tmp_path: Path) -> None:
    with open_index(vault, tmp_path / "index.sqlite") as index:
        report = index.scan()
        files = [path for path, row in index.writer.files().items() if row.kind != "conflict"]
        links = list(index.view.links_from())
    resolved = [link for link in links if link.path is not None]
    missed = [
        (link.src, link.link.line, link.link.target)
        for link in links
        if link.path is None and brute_force_matches(link.link.target, link.src, files)
    ]
    print(
        f"\n{vault.name}: {report.notes} notes, {len(links)} links, {len(resolved)} resolved "
        f"({100 * len(resolved) / max(1, len(links)):.1f}%)"
    )
    assert report.notes > 10
    assert missed == []
