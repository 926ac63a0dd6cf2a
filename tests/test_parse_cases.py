"""Data-driven parser tests: each `cases/parse/<name>.md` with the expectations in `<name>.json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vaultnet.vault.model import Note, to_json
from vaultnet.vault.parse import parse_note
from vaultnet.vault.settings import VaultSettings

CASES = Path(__file__).parent / "cases" / "parse"
LINK_KEYS = ("target", "kind", "heading", "block", "display", "line", "commented")


def observed(note: Note) -> dict[str, Any]:
    return {
        "links": [{key: getattr(link, key) for key in LINK_KEYS} for link in note.links],
        "tags": list(note.tags),
        "aliases": list(note.aliases),
        "title": note.title,
        "date": note.date.isoformat() if note.date else None,
        "frontmatter": to_json(note.frontmatter),
        "inline_fields": to_json(note.inline_fields),
        "problems": [{"line": p.line, "kind": p.kind} for p in note.problems],
        "terms": note.terms,
        "loose_terms": note.loose_terms(),
    }


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.json")))
def test_parse_case(case: str) -> None:
    spec = json.loads((CASES / f"{case}.json").read_text(encoding="utf-8"))
    text = (CASES / f"{case}.md").read_bytes().decode("utf-8")
    daily = spec.get("daily", {})
    settings = VaultSettings(
        daily_folder=daily.get("folder", ""), daily_format=daily.get("format", "YYYY-MM-DD")
    )
    note = parse_note(spec.get("path", "Note.md"), text, settings)
    got = observed(note)
    for key, expected in spec["expect"].items():
        assert got[key] == expected, f"{case}: {key}"


def test_every_case_has_its_note() -> None:
    specs = {p.stem for p in CASES.glob("*.json")}
    notes = {p.stem for p in CASES.glob("*.md")}
    assert specs == notes
    assert len(specs) >= 40
