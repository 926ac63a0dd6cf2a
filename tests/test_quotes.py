"""Quotes are whole: a sentence wrapped over several lines is quoted whole, a table row as its
cells, a long quote cut after a sentence or between words (`tests/cases/quotes/`); and the words
around them: plurals, no property names, interactions over the last 12 months."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import without_footer

from vaultnet.cli import cli
from vaultnet.reconnect.render import plain_quote
from vaultnet.vault.parse import parse_note

MakeVault = Callable[[dict[str, str | bytes]], Path]
CASES = Path(__file__).parent / "cases" / "quotes"
PASSAGES = json.loads((CASES / "passages.json").read_text("utf-8"))["cases"]
QUOTES = json.loads((CASES / "quotes.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", PASSAGES, ids=[c["why"] for c in PASSAGES])
def test_passage(case: dict[str, Any]) -> None:
    note = parse_note("Daily/2026-11-05.md", case["note"])
    [link] = [k for k in note.links if k.target == case["link"]]
    assert link.passage == case["passage"], case["why"]


@pytest.mark.parametrize("case", QUOTES, ids=[c["why"] for c in QUOTES])
def test_quote(case: dict[str, Any]) -> None:
    assert plain_quote(case["text"], case.get("limit", 120)) == case["quote"], case["why"]


VAULT: dict[str, str | bytes] = {
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    "People/Grace Kim.md": "---\ntags: [person]\n---\n",
    "People/Tom Becker.md": "---\ntags: [person]\ncadence: 30\nlast_contact: 2026-05-02\n---\n",
    "People/Carol Ng.md": "---\ntags: [person]\ncadence: 14\n---\n",
    "Daily/2026-11-05.md": (
        "- Intro call with [[Grace Kim]] (via Lucas). She wants an episode on keeping in touch with\n"
        "  customers after a project ends.\n"
    ),
    "Daily/2024-01-10.md": "Met [[Tom Becker]].\n",
    "Daily/2024-03-10.md": "Met [[Tom Becker]] again.\n",
    "Daily/2026-09-01.md": "Call with [[Carol Ng]].\n",
    "Daily/2026-11-01.md": "Call with [[Carol Ng]].\n",
    "Daily/2026-11-12.md": "| who | what |\n| --- | --- |\n| [[Carol Ng]] | One-page brief |\n",
}


def generate(root: Path, today: str) -> str:
    args = ["--vault", str(root), "generate", "--today", today]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return without_footer((root / "Vaultnet/Reconnect.md").read_text("utf-8"))


def test_the_page_quotes_whole_sentences_and_says_things_in_words(make_vault: MakeVault) -> None:
    page = generate(make_vault(VAULT), "2026-11-26")
    # the wrapped sentence whole; the table row as its cells
    assert (
        '- first contact 21 days ago: [[2026-11-05]] "Intro call with Grace Kim (via Lucas). She '
        'wants an episode on keeping in touch with customers after a project ends."'
    ) in page
    assert '- last contact 14 days ago: [[2026-11-12]] "Carol Ng · One-page brief"' in page
    # due today; "in the last 12 months", never "since 2026"
    assert "- you aim for every 14 days; due today\n" in page
    assert "- 3 interactions in the last 12 months\n" in page
    # the last_contact property in words
    assert "- silent for 208 days (on 2026-05-02, as their note records)\n" in page
    assert "- 1 interaction in the last 12 months\n" in page
    assert "last_contact" not in page and "since 20" not in page


@pytest.mark.parametrize(
    ("today", "words"),
    [
        ("2026-11-14", "- you aim for every 14 days; due tomorrow\n"),
        ("2026-11-13", "- you aim for every 14 days; due in 2 days\n"),
        ("2026-11-16", "- you aim for every 14 days; overdue by 1 day\n"),
    ],
)
def test_one_day_is_a_day(make_vault: MakeVault, today: str, words: str) -> None:
    files = {k: v for k, v in VAULT.items() if "2026-11-12" not in k}
    assert words in generate(make_vault(files), today)


def test_old_interactions_say_when(make_vault: MakeVault) -> None:
    files = {**VAULT, "People/Tom Becker.md": "---\ntags: [person]\ncadence: 30\n---\n"}
    page = generate(make_vault(files), "2026-11-26")
    assert "- 2 interactions (2024), none in the last 12 months\n" in page
