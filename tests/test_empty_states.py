"""Every empty list says what would fill it: a vault with no contacts says what makes one, how to
import an address book, and which names it already links look like people (with the command that
makes their notes, which never touches an existing note); a page with nobody due says who is
next; a brief with no interaction, an idea with no audience, a note with nothing related say
what would change that."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import without_footer

from vaultnet.cli import cli
from vaultnet.people.likely import looks_like_a_name

MakeVault = Callable[[dict[str, str | bytes]], Path]
CASES = json.loads((Path(__file__).parent / "cases/likely/names.json").read_text("utf-8"))
LINKED = {
    "Mara Quint": 10,
    "José Álvarez": 8,
    "Priya Raman": 7,
    "Tom Berg": 5,
    "Ana de la Cruz": 4,
    "Lea Stein": 4,
    "Omar Haddad": 3,
    "Ken Ito": 3,
    "Sara Lind": 2,
    "Ben Ott": 2,
}
"""10 names, linked 48 times from daily notes (the issue's fresh vault)."""


def daily_notes() -> dict[str, str | bytes]:
    notes: dict[str, list[str]] = {}
    for name, count in LINKED.items():
        for n in range(count):
            notes.setdefault(f"Daily/2026-10-{n + 1:02}.md", []).append(f"- Lunch with [[{name}]]")
    files: dict[str, str | bytes] = {k: "\n".join(v) + "\n" for k, v in notes.items()}
    files["Daily/2026-10-20.md"] = (
        "[[Q3 planning]] and [[Reading list]], ![[Team Photo.png]], [[2026-10-19]], "
        "[[Acme Group]], %% [[Secret Person]] %%\n"
    )
    files["Clients/Acme.md"] = "---\naliases: [Acme Group]\n---\nA client.\n"  # not missing
    files["Ideas/Kept Apart.md"] = "A note by [[Undated Person]], from no dated note.\n"
    files[".obsidian/daily-notes.json"] = '{"folder": "Daily"}'
    return files


def invoke(root: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--vault", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["text"] for c in CASES["cases"]])
def test_what_reads_like_a_name(case: dict[str, Any]) -> None:
    assert looks_like_a_name(case["text"]) is case["name"], case.get("why", "")


NAMES = (
    "10 names you link from dated notes have no note yet and look like people: Mara Quint "
    "(10 links), José Álvarez (8 links), Priya Raman (7 links), Tom Berg (5 links), Ana de la "
    "Cruz (4 links), Lea Stein (4 links), Ken Ito (3 links), Omar Haddad (3 links) and 2 more."
)


def test_no_contacts_says_what_to_do(make_vault: MakeVault) -> None:
    root = make_vault(daily_notes())
    contacts = invoke(root, "contacts").output
    assert contacts.startswith("No contacts yet.\n- A note is a contact when it is in a People/")
    assert "vaultnet import FILE... --dry-run" in contacts
    assert f"\n- {NAMES} To create their person notes in People/" in contacts
    assert "vaultnet create-people --dry-run, then the same without --dry-run" in contacts
    reconnect = invoke(root, "reconnect", "--today", "2026-11-26").output
    assert reconnect.startswith("No contacts yet, so nobody to reconnect with.\n")
    assert "vaultnet create-people --dry-run" in reconnect


def test_the_empty_page_says_it_too(make_vault: MakeVault) -> None:
    root = make_vault(daily_notes())
    invoke(root, "generate", "--today", "2026-11-26")
    page = without_footer((root / "Vaultnet/Reconnect.md").read_text("utf-8"))
    body = page.split("---\n", 2)[2]
    assert body.startswith(
        "# Reconnect\n\nSuggestions for 2026-11-26: no contacts yet.\n\n## Getting started\n\n"
        "- A note is a contact when it is in a People/ folder, tagged person, or has the "
        "property `type: person`.\n"
        "- Import an address book (LinkedIn's Connections.csv, a Google or Outlook CSV export, "
        "vCards): `vaultnet import FILE... --dry-run`, then the same without --dry-run.\n"
        f"- {NAMES} To create their person notes in People/ (no note of yours is changed): "
        "`vaultnet create-people --dry-run`, then the same without --dry-run.\n"
    )
    assert "[[Mara Quint]]" not in page  # named, never linked: the page makes no link


def test_create_people_makes_exactly_the_missing_notes(make_vault: MakeVault) -> None:
    root = make_vault(daily_notes())
    before = tree(root)
    dry = invoke(root, "create-people", "--dry-run").output
    assert tree(root) == before
    assert dry.startswith(f"Would create 10 notes in People/ of the vault {root.resolve()}\n")
    assert "  People/José Álvarez.md\n" in dry and "Nothing was written" in dry
    done = json.loads(invoke(root, "create-people", "--json").output)
    assert sorted(c["contact"] for c in done["created"]) == sorted(LINKED)
    mara = next(c for c in done["created"] if c["contact"] == "Mara Quint")
    assert (mara["file"], mara["line"]) == ("Daily/2026-10-01.md", 1)  # where it was linked first
    after = tree(root)
    assert {p: after[p] for p in before} == before  # no note of the user's changed
    assert sorted(set(after) - set(before)) == sorted(f"People/{n}.md" for n in LINKED)
    contacts = json.loads(invoke(root, "contacts", "--json", "--today", "2026-11-26").output)
    assert {c["name"]: c["interactions"] for c in contacts} == LINKED
    again = invoke(root, "create-people").output
    assert again.startswith("No name to create")
    assert tree(root) == after


def test_create_people_never_touches_a_note_of_that_name(make_vault: MakeVault) -> None:
    files = {**daily_notes(), "Omar Haddad.md": ""}  # made by clicking [[Omar Haddad]]
    root = make_vault(files)
    before = tree(root)
    out = invoke(root, "create-people", "Omar Haddad", "Mara Quint").output
    after = tree(root)
    assert {p: after[p] for p in before} == before
    assert set(after) - set(before) == {"People/Mara Quint.md"}
    assert "Omar Haddad = Omar Haddad.md (empty)" in out


def test_nobody_due_says_who_is_next(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            "People/Ann Lee.md": "---\ntags: [person]\ncadence: 30\n---\n",
            "People/Sam Lee.md": "---\ntags: [person]\ncadence: 60\n---\n",
            "Daily/2026-08-20.md": "[[Ann Lee]] [[Sam Lee]]\n",
            "Daily/2026-11-20.md": "[[Ann Lee]] [[Sam Lee]]\n",
            ".obsidian/daily-notes.json": '{"folder": "Daily"}',
        }
    )
    invoke(root, "generate", "--today", "2026-11-26")
    page = without_footer((root / "Vaultnet/Reconnect.md").read_text("utf-8"))
    assert (
        "nobody needs a message today (2 contacts).\n\n"
        "Everyone is within their cadence; next due: Ann Lee, 2026-12-20 (in 24 days).\n"
    ) in page
    assert "## Upcoming dates\n\nNo birthday or anniversary coming up" in page
    text = invoke(root, "reconnect", "--today", "2026-11-26").output
    assert "next due: Ann Lee, 2026-12-20 (in 24 days)." in text


def test_a_brief_with_no_interaction_says_what_records_one(make_vault: MakeVault) -> None:
    root = make_vault(
        {"People/Ann Lee.md": "---\ntags: [person]\nemails: [ann@example.com]\n---\n"}
    )
    out = invoke(root, "brief", "ann lee", "--today", "2026-11-26").output
    assert (
        "## Last interactions\n\n- None recorded yet: a daily or meeting note that links them "
        "records one (or `vaultnet touch NAME`).\n"
    ) in out
    assert "- email: ann@example.com\n" in out


def test_an_idea_nobody_cares_about_and_a_note_with_nothing_related(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            "People/Ann Lee.md": "---\ntags: [person, music]\n---\n",
            "Ideas/Heat pumps.md": "---\ntags: [climate]\n---\nHeat.\n",
        }
    )
    audience = invoke(root, "audience", "heat pumps").output
    assert audience.startswith("Nobody's interests match Ideas/Heat pumps.md yet: a person shows")
    related = invoke(root, "related", "heat pumps").output
    assert related.startswith("No related notes found for Ideas/Heat pumps.md: notes show here")
    invoke(root, "generate")
    suggested = without_footer((root / "Vaultnet/Suggested links.md").read_text("utf-8"))
    assert "Nothing to suggest yet: two idea notes that share rare words" in suggested
