"""The people facts a watcher's batch takes over from the batch before (`vaultnet.people.carry`),
on a real index, for the edits of `tests/cases/carry/edits.yaml`: taken over exactly when the
case says so, and in every case equal to what a fresh gathering finds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import context_of, write_files

from vaultnet.index.gathering import Gathering
from vaultnet.index.scan import Index
from vaultnet.network.page import NetworkGenerator
from vaultnet.pages.api import user_notes_changed
from vaultnet.people.carry import carry_people
from vaultnet.people.facts import idea_facts, mention_facts, people_facts
from vaultnet.people.occasions import occasion_facts
from vaultnet.session import load_settings

CASES = yaml.safe_load((Path(__file__).parent / "cases/carry/edits.yaml").read_text("utf-8"))


def gathering(index: Index, today: dt.date) -> Gathering:
    index.scan()
    return Gathering(index.view, load_settings(index), today)


def facts(found: Gathering) -> tuple[Any, ...]:
    people = found.facts(people_facts)
    occasions = found.facts(occasion_facts)
    together = {p: sorted(occasions.keys(p)) for p in sorted(people.rows)}
    return people, found.facts(mention_facts), found.facts(idea_facts), together


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: str(c["case"]))
def test_people_facts_are_carried_over_only_when_nothing_they_read_changed(
    case: dict[str, Any], make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault(CASES["vault"])
    index = Index(root, tmp_path / "index.sqlite")
    earlier = gathering(index, CASES["today"])
    kept = carry_people(None, earlier)
    before = facts(earlier)  # gathered by the earlier batch (urgent pages, full run)
    earlier.made(["network"], ["network"])  # its full run wrote the Network page
    write_files(root, case.get("write", {}))
    for path in case.get("delete", []):
        (root / path).unlink()
    today = case.get("today", CASES["today"])
    index.scan()
    context = context_of(index, today)
    now = context.gathering
    carry_people(kept, now)
    assert now.gathered(people_facts) == now.gathered(idea_facts) == case["carried"]
    after = facts(now)
    assert (after[0] is before[0]) == case["carried"]
    assert now.took(occasion_facts) == case["carried"]
    fresh_context = context_of(index, today)
    assert after == facts(fresh_context.gathering)
    # The Network page is made from the people facts alone: the watcher leaves it as it is
    # when they were carried over, and it is indeed what a fresh run makes.
    changed = {*case.get("write", {}), *case.get("delete", [])}
    network = NetworkGenerator()
    assert network.affects(context, changed) == (
        user_notes_changed(context, changed) and not case["carried"]
    )
    assert network.generate(context) == network.generate(fresh_context)
    index.close()


def test_facts_carry_over_from_batch_to_batch_and_stop_at_the_first_that_matters(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault(CASES["vault"])
    index = Index(root, tmp_path / "index.sqlite")
    first = gathering(index, CASES["today"])
    kept = carry_people(None, first)
    found = first.facts(people_facts)
    for n in range(3):  # each batch compares with the one just before
        write_files(root, {"Ideas/Compost.md": f"Compost, take {n}.\n"})
        now = gathering(index, CASES["today"])
        kept = carry_people(kept, now)
        assert now.facts(people_facts) is found
    write_files(root, {"Ideas/Compost.md": "Compost with [[Jane Doe]].\n"})
    now = gathering(index, CASES["today"])
    carry_people(kept, now)
    assert not now.gathered(people_facts)
    assert facts(now) == facts(gathering(index, CASES["today"]))
    index.close()


FLIPS = {
    "People/Ann 2.md": "---\ncadence: 30\n---\nAnn, a friend from the rowing club.\n",
    "Ann 2.md": "A different note that happens to be called Ann 2.\n",
    "Meetings/Lunch.md": "---\ndate: 2026-11-02\n---\nLunch with [[Ann 2]].\n",
    "Ideas/Compost.md": "Compost.\n",
}
"""`Ann 2.md` is iCloud's copy of `Ann.md` (a conflict, out of the resolver) only while it
starts as `Ann.md` does: editing `Ann.md` alone moves `[[Ann 2]]` in the unchanged meeting to the
contact `People/Ann 2.md`, or back (found by a review of this module)."""


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Ann, the original note.\n", FLIPS["Ann 2.md"]),  # the copy becomes a conflict
        (FLIPS["Ann 2.md"], "Ann, the original note.\n"),  # and a note again
    ],
    ids=["copy-becomes-conflict", "conflict-becomes-note"],
)
def test_a_file_that_changes_kind_stops_the_carry(
    before: str, after: str, make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({**FLIPS, "Ann.md": before})
    index = Index(root, tmp_path / "index.sqlite")
    earlier = gathering(index, CASES["today"])
    kept = carry_people(None, earlier)
    links = {(k.src, k.path) for k in facts(earlier)[0].links_in}
    write_files(root, {"Ann.md": after})
    now = gathering(index, CASES["today"])
    carry_people(kept, now)
    fresh = facts(gathering(index, CASES["today"]))
    assert links != {(k.src, k.path) for k in fresh[0].links_in}  # the link did move
    assert not now.gathered(people_facts)
    assert facts(now) == fresh
    index.close()


def test_a_carry_that_cannot_read_the_index_carries_nothing_and_keeps_nothing(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's own reads then meet a damaged index and heal it, as before."""
    import sqlite3

    root = make_vault(CASES["vault"])
    index = Index(root, tmp_path / "index.sqlite")
    earlier = gathering(index, CASES["today"])
    kept = carry_people(None, earlier)
    facts(earlier)
    write_files(root, {"Ideas/Compost.md": "Compost, again.\n"})
    now = gathering(index, CASES["today"])

    def damaged(*_: Any) -> Any:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(type(now.view), "paths_with_words", damaged)
    assert carry_people(kept, now) is None
    assert not now.gathered(people_facts)
    index.close()
