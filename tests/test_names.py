"""Names written without a link: what the parser keeps of a dated note's lines
(`vaultnet.vault.names`), and which names stand for one contact (`vaultnet.people.unlinked`).
The end-to-end rules are the `unlinked-mentions*` cases in `cases/people/`."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultnet.people.unlinked import contact_names, find_unlinked
from vaultnet.vault.names import capital_runs, name_lines, plain_text
from vaultnet.vault.parse import parse_note
from vaultnet.vault.settings import VaultSettings

DAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Lunch with Jane Doe at the market", [["Jane", "Doe"]]),
        ("Met Jane Doe", [["Met", "Jane", "Doe"]]),  # a sentence's first word joins: harmless
        ("Maria de la Cruz called", [["Maria", "de", "la", "Cruz"]]),
        ("Jean-Luc Picard and O'Brien", [["Jean", "Luc", "Picard", "and", "O", "Brien"]]),
        ("JANE DOE keynote", [["JANE", "DOE"]]),
        ("a long summer day", []),
        ("Q1 Plans with 2026 numbers", [["Q1", "Plans"]]),
        ("Coffee with José Ruiz", [["José", "Ruiz"]]),
        ("Jane [[Notes/X|x]] Doe", []),  # a removed link leaves a gap no name spans
        ("Jane `code` Doe", []),
        ("Jane <!-- a comment --> Doe", []),
        ("<!-- a --> Met Jane Doe <!-- b", [["Met", "Jane", "Doe"]]),  # an unclosed one stays
        ("Use `<!--` to open one, ask Alice Smith -->", [["Alice", "Smith"]]),  # in code: no start
        ("[[Bob<!--]] met Alice Smith -->", [["Alice", "Smith"]]),  # in a link: no start
        ("Jane https://Jane.Doe/x Doe", []),
    ],
)
def test_capital_runs(text: str, runs: list[list[str]]) -> None:
    assert capital_runs(plain_text(text)) == runs


def test_name_lines_skip_code_comments_and_links() -> None:
    lines = [
        "- Lunch with Jane Doe",
        "```",
        "Jane Doe in code",
        "```",
        "%% Jane Doe in a comment",
        "Still Commented Out %%",
        "- [[Jane Doe]] linked, Sam Lee not",
        "- `Sam Lee` and #SamLee and https://Sam.Lee/x",
    ]
    found = name_lines(lines, 0, [(1, 4)])
    assert [(n, keys) for n, _, keys in found] == [
        (1, ("jane doe",)),
        (7, ("sam lee",)),
    ]


def test_only_dated_notes_keep_name_lines() -> None:
    settings = VaultSettings(daily_folder="Daily", daily_format="YYYY-MM-DD")
    daily = parse_note("Daily/2026-11-20.md", "- Lunch with Jane Doe\n", settings)
    meeting = parse_note(
        "Meetings/Sync.md", "---\ndate: 2026-11-20\n---\nWith Jane Doe\n", settings
    )
    idea = parse_note("Ideas/Jane.md", "Jane Doe wrote this\n", settings)
    assert daily.name_lines == ((1, "- Lunch with Jane Doe", ("jane doe",)),)
    assert meeting.name_lines == ((4, "With Jane Doe", ("jane doe", "with jane")),)
    assert idea.name_lines == ()


def mentions(text: str, contacts: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    names = contact_names(contacts)
    rows = [
        (key, "Daily/2026-11-20.md", n, line, DAY)
        for n, line, keys in name_lines([text], 0, [])
        for key in keys
    ]
    return [(m.path, m.name) for m in find_unlinked(rows, names, set(), set())]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Lunch with Jane Doe", [("People/Jane Doe.md", "Jane Doe")]),
        ("Lunch with Jane", []),  # a first name alone
        ("Lunch with Benji Boy", [("People/Ben Carter.md", "Benji Boy")]),  # a unique alias
        ("Call with T. Ng", []),  # an alias two contacts share
        ("Jane Doe Smith called", [("People/Jane Doe Smith.md", "Jane Doe Smith")]),  # longest
        ("Jane Doe's birthday", [("People/Jane Doe.md", "Jane Doe")]),
        ("Jane  Doe, twice spaced", [("People/Jane Doe.md", "Jane Doe")]),
        ("Jane Doeman", []),
        ("JANE DOE", [("People/Jane Doe.md", "Jane Doe")]),
        ("Jane doe", []),  # its capitals as the name writes them
    ],
)
def test_which_names_stand_for_one_contact(text: str, found: list[tuple[str, str]]) -> None:
    contacts = [
        ("People/Jane Doe.md", ["Janie"]),
        ("People/Jane Doe Smith.md", []),
        ("People/Ben Carter.md", ["Benji Boy", "Benji"]),
        ("People/Tia Ng.md", ["T. Ng"]),
        ("People/Tom Ng.md", ["T. Ng"]),
    ]
    assert mentions(text, contacts) == found
