"""People's unreadable values (`invalid-property`): found, placed on the line of their key, listed
by `vaultnet doctor` (not printed by `contacts`), and the cheap pre-filter that picks which notes
can be people (never misses one the exact rule accepts)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import gathering_of

from vaultnet.cli import cli
from vaultnet.index.scan import open_index
from vaultnet.people.checks import key_line
from vaultnet.people.config import people_config
from vaultnet.people.contacts import find_people
from vaultnet.people.facts import person_notes

MakeVault = Callable[[dict[str, str | bytes]], Path]

BAD_PEOPLE = {
    "People/Ann Lee.md": (
        "---\ntags: [person]\ncadence: every so often\nbirthday: 1990-02-30\n---\n# Ann\n"
    ),
    "People/Bo Chen.md": "# Bo\n\nsnooze_until:: next week\ncadence:: 30d\n",
    "People/Cy Dunn.md": "---\n'cadence': monthly\nlast_contact: yesterday\n---\n",
    "People/Di Eng.md": "---\ncadence: 2w\nbirthday: --03-04\n---\nFine.\n",
    "Ideas/Not a person.md": "---\ncadence: whenever\n---\n",
}


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("text", "key", "inline", "line"),
    [
        ("---\na: 1\ncadence: x\n---\n", "cadence", False, 3),
        ('---\n"cadence": x\n---\n', "cadence", False, 2),
        ("---\nnested:\n  cadence: x\ncadence: y\n---\n", "cadence", False, 4),
        ("\ufeff---\r\ncadence: x\r\n---\r\n", "cadence", False, 2),
        ("---\ncadence_days: 3\n---\n", "cadence", False, None),
        ("---\ncadence: x\n---\nbody\n- **cadence**:: y\n", "cadence", True, 5),
        ("text [cadence:: y] more\n", "cadence", True, 1),
        ("no fields\n", "cadence", True, None),
    ],
)
def test_key_line(text: str, key: str, inline: bool, line: int | None) -> None:
    assert key_line(text, key, inline=inline) == line


def test_doctor_lists_unreadable_values_with_their_line(make_vault: MakeVault) -> None:
    root = make_vault(BAD_PEOPLE)
    code, out, _ = run(root, "doctor", "--json")
    assert code == 0
    found = [
        (p["path"], p["line"], p["message"].split(":")[0])
        for p in json.loads(out)["problems"]
        if p["kind"] == "invalid-property"
    ]
    assert found == [
        ("People/Ann Lee.md", 3, "cadence"),
        ("People/Ann Lee.md", 4, "birthday"),
        ("People/Bo Chen.md", 3, "snooze_until"),
        ("People/Cy Dunn.md", 3, "last_contact"),
    ]
    code, out, _ = run(root, "doctor")
    assert (
        "People/Ann Lee.md:3: invalid-property: cadence: 'every so often' is not a cadence" in out
    )


def test_contacts_points_to_doctor_instead_of_listing(make_vault: MakeVault) -> None:
    root = make_vault(BAD_PEOPLE)
    code, out, err = run(root, "contacts", "--today", "2026-11-26", "--json")
    assert code == 0
    assert {c["name"] for c in json.loads(out)} == {"Ann Lee", "Bo Chen", "Cy Dunn", "Di Eng"}
    assert err == "4 unreadable values in people's notes: see `vaultnet doctor`\n"


def test_doctor_reports_a_bad_people_table_and_goes_on(make_vault: MakeVault) -> None:
    root = make_vault(
        {**BAD_PEOPLE, ".vaultnet.toml": "[people]\ncolour = 1\n", "A.md": "[[Nowhere]]\n"}
    )
    code, out, _ = run(root, "doctor", "--json")
    kinds = {(p["path"], p["kind"]) for p in json.loads(out)["problems"]}
    assert code == 0
    assert kinds == {(".vaultnet.toml", "config-invalid"), ("A.md", "unresolved-link")}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_the_prefilter_never_misses_a_person(make_vault: MakeVault) -> None:
    """`person_notes` decodes only candidate notes; it must find what the exact rule finds over
    every note, whatever the case, Unicode form or place of the marker."""
    root = make_vault(
        {
            ".obsidian/templates.json": '{"folder": "Templates"}',
            ".vaultnet.toml": (
                '[people]\ntags = ["person", "' + nfd("Persönlich") + '"]\n'
                'types = ["Kontakt", "kontäkt"]\n'
            ),
            "people/lower.md": "x",
            "Deep/CONTACTS/upper.md": "x",
            "A/tagged.md": "---\ntags: [Person]\n---\n",
            "A/hash.md": "---\ntags: '#PERSON, other'\n---\n",
            "A/nfd.md": "---\ntags: [" + nfd("PERSÖNLICH") + "]\n---\n",
            "A/nfd-type.md": "---\ntype: " + nfd("KONTÄKT") + "\n---\n",
            "A/typed.md": "---\ntype: '[[kontakt]]'\n---\n",
            "A/inline.md": "category:: KONTAKT\n",
            "A/not.md": "---\ntags: [personal]\ntype: other\n---\n",
            "A/quote.md": '---\nnote: say "person" here\n---\n',
            "Templates/T.md": "---\ntags: [person]\n---\n",
        }
    )
    with open_index(root) as index:
        index.scan()
        config = people_config(index.config.section("people"), index.config.me)
        exact = find_people(list(index.view.notes()), config)
        fast = gathering_of(index, dt.date(2026, 11, 26)).facts(person_notes)
    assert [r.path for r in fast.contacts] == [r.path for r in exact[0]]
    assert fast.person_like == exact[1]
    assert {r.path for r in fast.contacts} == {
        "people/lower.md",
        "Deep/CONTACTS/upper.md",
        "A/tagged.md",
        "A/hash.md",
        "A/nfd.md",
        "A/nfd-type.md",
        "A/typed.md",
        "A/inline.md",
    }
