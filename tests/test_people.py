"""Contacts, interactions, cadence and status: scenario vaults in `cases/people/*.json`, each run
through the real index, plus unit tests of the small pure rules."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import gathering_of

from vaultnet.errors import ConfigError
from vaultnet.index.scan import open_index
from vaultnet.people.config import parse_cadence, people_config
from vaultnet.people.contacts import People, contact_json, is_folder_index
from vaultnet.people.facts import people_facts
from vaultnet.people.interactions import line_kind
from vaultnet.vault.parse import dated_lines

CASES = Path(__file__).parent / "cases" / "people"


def contacts_of(root: Path, today: dt.date) -> People:
    with open_index(root) as index:
        index.scan()
        return gathering_of(index, today).facts(people_facts).people


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.json")))
def test_people_case(case: str, make_vault: Callable[[dict[str, Any]], Path]) -> None:
    spec = json.loads((CASES / f"{case}.json").read_text(encoding="utf-8"))
    people = contacts_of(make_vault(spec["files"]), dt.date.fromisoformat(spec["today"]))
    if "expect_contacts" in spec:
        assert sorted(c.path for c in people.contacts) == sorted(spec["expect_contacts"])
    records = {c.name: contact_json(c) for c in people.contacts}
    for name, expected in spec.get("expect", {}).items():
        got = {key: records[name][key] for key in expected}
        assert got == expected, f"{case}: {name}"


def test_every_case_says_what_it_checks() -> None:
    for path in CASES.glob("*.json"):
        spec = json.loads(path.read_text(encoding="utf-8"))
        assert spec.get("doc") and ("expect" in spec or "expect_contacts" in spec), path.name


def test_evidence_keeps_every_note_of_a_day(make_vault: Callable[[dict[str, Any]], Path]) -> None:
    root = make_vault(
        {
            ".obsidian/daily-notes.json": '{"folder": "Daily"}',
            "People/Jane.md": "",
            "Daily/2026-11-01.md": "# day\n- Lunch with [[Jane]]\n",
            "Meetings/Sync.md": '---\ndate: 2026-11-01\nattendees: ["[[Jane]]"]\n---\n',
        }
    )
    [jane] = contacts_of(root, dt.date(2026, 11, 26)).contacts
    [day] = jane.interactions
    assert {(e.path, e.line, e.text) for e in day.evidence} == {
        ("Daily/2026-11-01.md", 2, "- Lunch with [[Jane]]"),
        ("Meetings/Sync.md", 3, 'attendees: ["[[Jane]]"]'),
    }


def test_pending_upcoming_and_introductions(make_vault: Callable[[dict[str, Any]], Path]) -> None:
    root = make_vault(
        {
            ".obsidian/daily-notes.json": '{"folder": "Daily"}',
            "People/Lucas.md": "- 2026-10-01 meetup\n",
            "People/Amara.md": '---\nintroduced_by: "[[Lucas]]"\n---\n',
            "People/Grace.md": '---\nreferred_by: ["[[Lucas]]"]\n---\n',
            "Daily/2026-11-20.md": "- [ ] send [[Lucas]] the slides\n",
            "Daily/2026-12-01.md": "- dinner with [[Lucas]]\n",
        }
    )
    people = {c.name: c for c in contacts_of(root, dt.date(2026, 11, 26)).contacts}
    lucas = people["Lucas"]
    assert [i.date for i in lucas.interactions] == [dt.date(2026, 10, 1)]
    assert [i.date for i in lucas.upcoming] == [dt.date(2026, 12, 1)]
    assert [(d, e.path) for d, e in lucas.pending] == [
        (dt.date(2026, 11, 20), "Daily/2026-11-20.md")
    ]
    assert lucas.introduced == ("People/Amara.md", "People/Grace.md")
    # strength: one interaction 56 days ago (half-life 180) plus 0.5 per introduction
    assert lucas.strength == pytest.approx(0.5 ** (56 / 180) + 1.0, abs=1e-4)
    assert people["Amara"].strength == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("- lunch with [[Sam]]", "plain"),
        ("- [ ] call [[Sam]]", "open-task"),
        ("* [x] called [[Sam]]", "done-task"),
        ("1. [X] called [[Sam]]", "done-task"),
        ("- [-] cancelled", "other-task"),
        ("- [>] moved", "other-task"),
        ("> [[Sam]] said", "quote"),
        ("> [!note] [[Sam]]", "quote"),
        ("[[Sam]] - [ ] not a task", "plain"),
    ],
)
def test_line_kind(text: str, kind: str) -> None:
    assert line_kind(text) == kind


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("30d", 30),
        ("30 days", 30),
        ("2w", 14),
        ("3m", 90),
        ("1y", 365),
        ("weekly", 7),
        ("Monthly", 30),
        ("quarterly", 90),
        ("yearly", 365),
        (45, 45),
        ("never", "never"),
        ("0d", None),
        ("soon", None),
        (True, None),
        (None, None),
    ],
)
def test_parse_cadence(value: object, days: object) -> None:
    assert parse_cadence(value) == days


def test_dated_lines() -> None:
    lines = [
        "- 2026-03-07 coffee",
        "  * [x] 2026-04-01: ride",
        "- [[2026-05-01]] call",
        "- 2026-02-30 not a date",
        "2026-06-01 not a list item",
        "- 2026-06-02abc glued",
        "```",
        "- 2026-06-03 in code",
        "```",
    ]
    assert dated_lines(lines, 0, [(6, 9)]) == [
        (1, "2026-03-07", "- 2026-03-07 coffee"),
        (2, "2026-04-01", "* [x] 2026-04-01: ride"),
        (3, "2026-05-01", "- [[2026-05-01]] call"),
    ]


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("People/People.md", True),
        ("People/🗂️ People.md", True),
        ("Work/People/people.md", True),
        ("People/Ann.md", False),
        ("People.md", False),
    ],
)
def test_folder_index(path: str, index: bool) -> None:
    assert is_folder_index(path) is index


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"default_cadence": "soon"}, "[people] default_cadence must be a cadence"),
        ({"default_cadence": "never"}, "default_cadence cannot be 'never'"),
        ({"folders": ["People", 7]}, "[people] folders must be a list of text values"),
        ({"cadence_by_tag": {"friend": "often"}}, "[people] cadence_by_tag.friend must be"),
        ({"due_days": -1}, "[people] due_days must be a whole number >= 0"),
        ({"cadense": "30d"}, "[people] unknown setting 'cadense'"),
    ],
)
def test_people_config_errors(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        people_config(table)


def test_one_text_value_is_a_list_of_one() -> None:
    """Every table reads `folders = "People"` as `folders = ["People"]` (`TableReader`)."""
    assert people_config({"folders": "Contacts"}).folders == ("Contacts",)
    assert people_config({"tags": ["#Friend", " "]}).tags == ("friend",)
