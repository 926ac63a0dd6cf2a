"""`vaultnet related`: the JSON contract, the text output and errors, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import context_of

from vaultnet.cli import cli

MakeVault = Callable[[dict[str, str | bytes]], Path]

VAULT = {
    "Ideas/Referrals.md": "---\ntags: [networking]\n---\nCustomer referral. [[Community]] [[Ties]]\n",
    "Ideas/Value.md": "---\ntags: [networking]\n---\nCustomer referral value. [[Community]] [[Ties]]\n",
    "Ideas/Community.md": "Community over audience.\n",
    "Ideas/Ties.md": "Weak ties.\n",
}


def test_related_json_contract(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "related", "Referrals", "-k", "2", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert len(found) == 2
    assert found[0]["path"] == "Ideas/Value.md"
    assert set(found[0]) == {"path", "title", "score", "reasons", "linked"}
    assert found[0]["linked"] is False
    assert found[0]["score"] >= found[1]["score"]
    assert "Ideas/Referrals.md" not in [f["path"] for f in found]
    assert any("both link to" in r for r in found[0]["reasons"])


def test_related_text_output(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    result = CliRunner().invoke(
        cli, ["--vault", str(root), "related", "Ideas/Referrals.md"], catch_exceptions=False
    )
    lines = result.output.splitlines()
    assert lines[0].endswith("Ideas/Value.md")
    assert "Ideas/Community.md  (linked)" in result.output


def test_related_reasons_follow_the_vault_link_settings(make_vault: MakeVault) -> None:
    def related(vault: dict[str, str], *extra: str) -> str:
        root = make_vault(vault)
        args = ["--vault", str(root), "related", "Referrals", "-k", "1", *extra]
        return CliRunner().invoke(cli, args, catch_exceptions=False).output

    assert "both link to [[Community]] and [[Ties]]" in related(VAULT)
    markdown = {**VAULT, ".obsidian/app.json": '{"useMarkdownLinks": true}'}
    text = related(markdown)
    assert "both link to [Community](Community.md) and [Ties](Ties.md)" in text
    assert "[[" not in text
    (reasons,) = (item["reasons"] for item in json.loads(related(markdown, "--json")))
    assert any("[Community](Community.md)" in r for r in reasons)


def test_related_as_a_subprocess(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault(VAULT)
    command = [
        sys.executable,
        "-m",
        "vaultnet",
        "--vault",
        str(root),
        "--index",
        str(tmp_path / "x.sqlite"),
    ]
    done = subprocess.run(
        [*command, "related", "Ties", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)
    failed = subprocess.run([*command, "related", "Nobody"], capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: no note named 'Nobody'")


def test_related_starts_from_the_saved_corpus_and_sees_edits(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """The second call reads the corpus the first saved beside the index, refreshed with the
    edit in between: the same answer as a cold call on a fresh index."""
    root = make_vault(VAULT)
    index = tmp_path / "idx.sqlite"

    def related(index_path: Path) -> list[dict[str, Any]]:
        args = ["--vault", str(root), "--index", str(index_path), "related", "Ties", "--json"]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        found: list[dict[str, Any]] = json.loads(result.output)
        return found

    related(index)
    saved = index.with_name(index.name + ".related")
    assert saved.is_file()
    (root / "Ideas/Value.md").write_text("Weak ties, value. [[Community]]\n", encoding="utf-8")
    warm = related(index)
    assert warm == related(tmp_path / "cold.sqlite")
    assert "mentions this note without a link" in {
        r for f in warm if f["path"] == "Ideas/Value.md" for r in f["reasons"]
    }


def test_a_note_whose_name_holds_a_hash_or_bar_is_found(make_vault: MakeVault) -> None:
    """`#` and `|` start a heading and a display text in link text, but not in a path or name
    that is a note's as it is."""
    vault = {
        **VAULT,
        "Ideas/Issue #5.md": "Customer referral bug. [[Community]] [[Ties]]\n",
        "Ideas/Pros | cons.md": "Customer referral, pros and cons. [[Community]]\n",
    }
    root = make_vault(vault)
    for name, path in [
        ("Ideas/Issue #5.md", "Ideas/Issue #5.md"),
        ("Issue #5", "Ideas/Issue #5.md"),
        ("Pros | cons", "Ideas/Pros | cons.md"),
        ("[[Referrals#Part]]", "Ideas/Referrals.md"),
    ]:
        args = ["--vault", str(root), "related", name, "--json"]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (name, result.output)
        assert path not in [item["path"] for item in json.loads(result.output)], name


def test_a_wikilink_vault_links_such_a_note_with_a_markdown_link(make_vault: MakeVault) -> None:
    """`[[Issue #5]]` would open a heading of "Issue": the reason uses a markdown link."""
    link = "[the issue](Issue%20%235.md)"
    vault = {"A.md": f"Apples. {link}\n", "B.md": f"Pears. {link}\n", "Issue #5.md": "Bug.\n"}
    root = make_vault(vault)
    text = CliRunner().invoke(cli, ["--vault", str(root), "related", "A"]).output
    assert "both link to [Issue #5](Issue%20%235.md)" in text


def generate_json(root: Path) -> dict[str, Any]:
    args = ["--vault", str(root), "generate", "--today", "2026-11-26", "--json"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_vault_with_more_idea_notes_than_max_pages_gets_only_the_suggested_links(
    make_vault: MakeVault,
) -> None:
    """A large vault is not flooded with a page per idea note: above `max_pages` idea notes only
    the Suggested links page is written, and `generate` says why and how to get more."""
    root = make_vault({**VAULT, ".vaultnet.toml": "[related]\nmax_pages = 3\n"})
    data = generate_json(root)
    assert not [p for p in data["written"] if p.startswith("Vaultnet/Related/")]
    assert "Vaultnet/Suggested links.md" in data["written"]
    assert len(data["notices"]) == 1
    assert "4 idea notes, more than [related] max_pages = 3" in data["notices"][0]
    page = (root / "Vaultnet/Suggested links.md").read_text()
    assert "(Note: 4 idea notes, more than [related] max_pages = 3" in page
    text = CliRunner().invoke(cli, ["--vault", str(root), "generate", "--today", "2026-11-26"])
    assert "note: related: 4 idea notes" in text.output

    # At the limit, and with no limit, every idea note with a suggestion has its page again;
    # the pages written under the limit's rule are replaced, not kept.
    for toml in ("[related]\nmax_pages = 4\n", "[related]\nmax_pages = 0\n"):
        (root / ".vaultnet.toml").write_text(toml)
        data = generate_json(root)
        pages = [p for p in data["written"] if p.startswith("Vaultnet/Related/")]
        assert len(pages) == 4 or data["unchanged"], data
        assert data["notices"] == []
        assert "(Note:" not in (root / "Vaultnet/Suggested links.md").read_text()
    assert len(list((root / "Vaultnet/Related").glob("*.md"))) == 4


def test_urgent_pages_follow_the_max_pages_rule(make_vault: MakeVault) -> None:
    """Above `max_pages` idea notes the watcher writes no urgent related page either: the pages
    a full run would remove at once are never written."""
    import datetime as dt

    from vaultnet.index.scan import open_index
    from vaultnet.related.pages import RelatedGenerator

    for limit, expected in (("max_pages = 3", 0), ("max_pages = 0", 1)):
        root = make_vault({**VAULT, ".vaultnet.toml": f"[related]\n{limit}\n"})
        with open_index(root) as index:
            index.scan()
            context = context_of(index, dt.date(2026, 11, 26))
            generator = RelatedGenerator(saved=False)
            generator.generate(context)
            (root / "Ideas/Ties.md").write_text("Weak ties, customer referral value.\n")
            index.update(["Ideas/Ties.md"])
            pages = generator.urgent_pages(context, {"Ideas/Ties.md"})
        assert len([p for p in pages if p.subject == "Ideas/Ties.md"]) == expected, limit


def test_generate_reads_the_saved_corpus_ahead_unless_related_is_off(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`generate` reads the related corpus while it scans, and uses that read (one read of
    the file, on the read-ahead's thread); with `[generators] related = false` it reads
    nothing (the file is 0.5 GB at 100,000 notes)."""
    from vaultnet.related import signed

    root = make_vault(VAULT)
    index = tmp_path / "idx.sqlite"
    saved = signed.beside(index)
    reads: list[tuple[Path, str]] = []
    real = signed._read

    def counted(path: Path, key: bytes | None) -> signed.Read | None:
        reads.append((path, threading.current_thread().name))
        return real(path, key)

    monkeypatch.setattr(signed, "_read", counted)

    def generate() -> None:
        args = ["--vault", str(root), "--index", str(index), "generate", "--today", "2026-11-26"]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output

    generate()  # the first run saves the corpus
    assert saved.is_file()
    (root / "Ideas/Value.md").write_text("Weak ties, value. [[Community]]\n", encoding="utf-8")
    reads.clear()
    generate()
    assert reads == [(saved, "saved corpus read ahead")] and not signed._ahead
    (root / ".vaultnet.toml").write_text("[generators]\nrelated = false\n", encoding="utf-8")
    reads.clear()
    generate()
    assert reads == [] and not signed._ahead
