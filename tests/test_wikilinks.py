"""The one wikilink finder for plain text (`vaultnet.vault.syntax.wikilinks`), from the cases in
`cases/wikilinks/find.json`, and its agreement with the note parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vaultnet.vault.parse import parse_note
from vaultnet.vault.syntax.wikilinks import FoundWikilink, find_wikilinks, replace_wikilinks

CASES = json.loads(
    (Path(__file__).parent / "cases" / "wikilinks" / "find.json").read_text(encoding="utf-8")
)["cases"]
KEYS = ("link", "target", "heading", "block", "display")


def observed(found: FoundWikilink) -> dict[str, Any]:
    return {
        "text": found.text,
        "embed": found.embed,
        **{key: getattr(found.parts, key) for key in KEYS},
    }


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:30] for c in CASES])
def test_find_wikilinks(case: dict[str, Any]) -> None:
    found = list(find_wikilinks(case["text"]))
    assert [observed(f) for f in found] == case["found"]
    assert all(case["text"][f.start : f.end] == f.text for f in found)
    shown = replace_wikilinks(case["text"], lambda w: w.parts.display or w.parts.link)
    assert shown == case["shown"]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:30] for c in CASES])
def test_a_quoted_property_link_is_the_parsers_link(case: dict[str, Any]) -> None:
    """In a quoted property value the finder is the parser: same links, same parts."""
    note = parse_note("Note.md", f"---\nabout: {json.dumps(case['text'])}\n---\n")
    got = [(link.target, link.heading, link.block, link.display) for link in note.links]
    assert got == [(f["target"], f["heading"], f["block"], f["display"]) for f in case["found"]]
