"""The synthetic vault generator in benchmarks/: deterministic, the described mix, sound links."""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
NOTES = 200
WIKILINK = re.compile(r"!?\[\[([^\]]+?)\]\]")
MARKDOWN_LINK = re.compile(r"\]\((?:<([^>]+)>|([^)\s]+\.md))\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module("synth")


@pytest.fixture(scope="module")
def vault(synth: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vault")
    synth.generate_vault(out, NOTES, seed=1)
    return out


def notes_in(vault: Path) -> dict[str, str]:
    return {p.relative_to(vault).as_posix(): p.read_text("utf-8") for p in vault.rglob("*.md")}


def link_target(inner: str) -> str:
    """`Note#Heading|shown` or `Note\\|shown` -> `Note`."""
    return re.split(r"\\?\||#", inner, maxsplit=1)[0]


def wikilink_targets(text: str) -> list[str]:
    return [link_target(m) for m in WIKILINK.findall(FENCE.sub("", text))]


def frontmatter(text: str) -> dict[str, object]:
    if not text.startswith("---\n"):
        return {}
    loaded = yaml.safe_load(text[4 : text.index("\n---\n", 4)])
    assert isinstance(loaded, dict)
    return loaded


def test_same_arguments_give_identical_bytes(synth: ModuleType, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    synth.generate_vault(first, NOTES, seed=1)
    synth.generate_vault(second, NOTES, seed=1)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_another_seed_gives_another_vault(synth: ModuleType, tmp_path: Path, vault: Path) -> None:
    synth.generate_vault(tmp_path, NOTES, seed=2)
    assert notes_in(tmp_path) != notes_in(vault)


def test_mix_of_note_kinds(vault: Path) -> None:
    kinds = Counter(rel.split("/")[0] for rel in notes_in(vault))
    assert kinds == {"People": 30, "Daily": 90, "Meetings": 20, "Ideas": 58, "Orgs": 2}
    assert list(vault.glob("People/Work/*.md"))
    assert len({p.parent for p in vault.glob("Ideas/*/*.md")}) >= 3
    settings = json.loads((vault / ".obsidian/daily-notes.json").read_text())
    assert settings == {"folder": "Daily", "format": "YYYY-MM-DD"}


def test_daily_notes_end_on_the_last_day(vault: Path) -> None:
    days = sorted(p.stem for p in vault.glob("Daily/*.md"))
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in days)
    assert days[-1] == "2026-11-25"


def test_frontmatter_of_people_and_meetings(vault: Path) -> None:
    people = [frontmatter(p.read_text("utf-8")) for p in vault.glob("People/**/*.md")]
    assert all("person" in meta["tags"] for meta in people)  # type: ignore[operator]
    for key in ("aliases", "cadence", "company", "birthday"):
        assert any(key in meta for meta in people), key
    for path in vault.glob("Meetings/*.md"):
        meta = frontmatter(path.read_text("utf-8"))
        assert str(meta["date"]) == path.stem[:10]
        attendees = meta["attendees"]
        assert isinstance(attendees, list)
        assert attendees
        assert all(re.fullmatch(r"\[\[[^\]|#]+\]\]", a) for a in attendees)


def test_syntax_variety(vault: Path) -> None:
    text = "\n".join(notes_in(vault).values())
    for needle in (
        "- [ ] ",
        "- [x] ",
        "\\|",
        "%% ",
        "```",
        "](<",
        "%20",
        "#topic/",
        "[[",
        "#Summary]]",
        "#^",
        "![[",
    ):
        assert needle in text, needle
    assert re.search(r" \^[0-9a-f]{6}$", text, re.MULTILINE)


def test_every_person_link_resolves(vault: Path) -> None:
    notes = notes_in(vault)
    names = {Path(rel).stem.casefold() for rel in notes}
    people = {Path(rel).stem for rel in notes if rel.startswith("People/")}
    first_names = {name.split()[0] for name in people}
    unresolved = []
    for rel, text in notes.items():
        for target in wikilink_targets(text):
            if target.casefold() in names:
                continue
            assert rel.startswith("Ideas/"), f"{rel}: [[{target}]] does not resolve"
            assert target.split()[0] not in first_names, f"{rel}: [[{target}]] looks like a person"
            unresolved.append(target)
    assert 0 < len(unresolved) < 20


def test_markdown_links_name_existing_files(vault: Path) -> None:
    for rel, text in notes_in(vault).items():
        for angled, encoded in MARKDOWN_LINK.findall(text):
            target = angled or unquote(encoded)
            assert (vault / target).is_file(), f"{rel}: ({target}) does not exist"


def test_refuses_to_write_into_a_non_empty_folder(synth: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "mine.md").write_text("keep me")
    with pytest.raises(FileExistsError):
        synth.generate_vault(tmp_path, NOTES)


def test_ensure_vault_generates_once(
    synth: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth, "VAULTS", tmp_path)
    vault = synth.ensure_vault(50)
    assert vault == tmp_path / "50"
    probe = vault / "probe.txt"
    probe.write_text("still here")
    assert synth.ensure_vault(50) == vault
    assert probe.exists()
    monkeypatch.setattr(synth, "generator_version", lambda: "changed")
    assert synth.ensure_vault(50) == vault
    assert not probe.exists()
