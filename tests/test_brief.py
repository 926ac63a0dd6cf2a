"""`vaultnet brief` and `vaultnet audience` on small vaults, through the real CLI: each section of
a brief holds exactly the facts the vault proves, and nothing from code, comments or templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import without_footer

from vaultnet.cli import cli

MakeVault = Callable[[dict[str, str | bytes]], Path]
TODAY = ["--today", "2026-11-26"]

VAULT: dict[str, str | bytes] = {
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    ".obsidian/templates.json": '{"folder": "Templates"}',
    "People/Jane Doe.md": (
        "---\ntags: [person, climate]\ncompany: Acme\nrole: CTO\nintroduced_by: '[[Sam Lee]]'\n"
        "birthday: 1990-12-01\naliases: [Janie]\n---\n"
        "- 2026-03-07 coffee, she moved to Berlin\n- 2026-05-01 sent her [[Heat pumps]]\n"
    ),
    "People/Sam Lee.md": "---\ntags: [person]\n---\nSam.\n",
    "People/Ann Lee.md": "---\ntags: [person]\n---\nAnn.\n",
    "People/Bob Roy.md": "---\ntags: [person, climate]\ncadence: never\n---\nBob.\n",
    "Daily/2026-11-20.md": "Lunch with [[Jane Doe]] and [[Sam Lee]].\n",
    "Daily/2026-11-10.md": "Call with [[Jane Doe]], [[Sam Lee]] and [[Ann Lee]].\n",
    "Daily/2026-10-01.md": "Coffee with [[Jane Doe]]. Told her about [[Carbon markets]].\n",
    "Meetings/Sync.md": "---\ndate: 2026-09-01\nattendees: ['[[Jane Doe]]']\n---\nRoadmap sync.\n",
    "Projects/Roadmap.md": (
        "# Roadmap\n\n- [ ] Ask [[Jane Doe]] about the pilot\n- [x] Send [[Jane Doe]] the slides\n"
        "[[Jane Doe]] owns the Berlin rollout.\n\n```\n- [ ] [[Jane Doe]] in code\n```\n"
        "%% - [ ] [[Jane Doe]] in a comment %%\n"
    ),
    "Templates/Meeting.md": "- [ ] follow up with [[Jane Doe]]\n",
    "Ideas/Heat pumps.md": "---\ntags: [climate]\n---\nHeat pumps.\n",
    "Ideas/Carbon markets.md": "---\ntags: [climate]\n---\nCarbon.\n",
    "Ideas/Grid storage.md": "---\ntags: [climate]\n---\nStorage.\n",
}


def run(root: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def jane(make_vault: MakeVault) -> dict[str, Any]:
    data: dict[str, Any] = run(make_vault(VAULT), "brief", "janie", *TODAY, "--json")
    return data


def texts(facts: list[dict[str, Any]]) -> list[str]:
    return [f["text"] for f in facts]


CASES: list[tuple[str, Callable[[dict[str, Any]], Any], Any]] = [
    (
        "the person as contacts --json gives them, and every section",
        lambda b: sorted(b),
        sorted(
            [
                "path",
                "name",
                "aliases",
                "last_interaction",
                "cadence_days",
                "days_since",
                "next_due",
                "status",
                "tags",
                "details",
                "interactions",
                "follow_ups",
                "own_lines",
                "mentions",
                "shared",
                "share",
                "introduced_by",
                "introduced",
                "together",
                "dates",
            ]
        ),
    ),
    (
        "who: every detail of their note, a birthday too",
        lambda b: (b["name"], b["details"]),
        ("Jane Doe", {"company": "Acme", "role": "CTO", "birthday": "1990-12-01"}),
    ),
    (
        "introduced by",
        lambda b: b["introduced_by"],
        [{"name": "Sam Lee", "path": "People/Sam Lee.md"}],
    ),
    (
        "an open task in an undated project note is a follow-up; done, code, comment, template are not",
        lambda b: [(f["path"], f["line"]) for f in b["follow_ups"]],
        [("Projects/Roadmap.md", 3)],
    ),
    (
        "the last interactions, newest first, with their evidence",
        lambda b: [(f["date"], f["path"]) for f in b["interactions"]][:3],
        [
            ("2026-11-20", "Daily/2026-11-20.md"),
            ("2026-11-10", "Daily/2026-11-10.md"),
            ("2026-10-01", "Daily/2026-10-01.md"),
        ],
    ),
    (
        "a meeting that lists them as an attendee is an interaction, shown as a property",
        lambda b: [(f["date"], f["path"], f["property"]) for f in b["interactions"]][3],
        ("2026-09-01", "Meetings/Sync.md", True),
    ),
    (
        "their own note's dated lines, newest first",
        lambda b: texts(b["own_lines"]),
        ["- 2026-05-01 sent her [[Heat pumps]]", "- 2026-03-07 coffee, she moved to Berlin"],
    ),
    (
        "undated notes that mention them, not tasks",
        lambda b: texts(b["mentions"]),
        ["[[Jane Doe]] owns the Berlin rollout."],
    ),
    (
        "ideas already shared (a dated note or dated line links both)",
        lambda b: [s["path"] for s in b["shared"]],
        ["Ideas/Carbon markets.md", "Ideas/Heat pumps.md"],
    ),
    (
        "an idea already shared is never to share again",
        lambda b: (
            {s["path"] for s in b["share"]} & {"Ideas/Heat pumps.md", "Ideas/Carbon markets.md"}
        ),
        set(),
    ),
    (
        "ideas to share now, with the Reconnect page's reasons",
        lambda b: [(s["path"], s["reasons"]) for s in b["share"] if s["path"].startswith("Ideas/")],
        [("Ideas/Grid storage.md", ["about #climate, like Jane's note"])],
    ),
    (
        "people seen together, with the dated notes they share",
        lambda b: b["together"],
        [{"path": "People/Sam Lee.md", "count": 2}, {"path": "People/Ann Lee.md", "count": 1}],
    ),
    (
        "the next birthday",
        lambda b: b["dates"],
        [{"kind": "birthday", "date": "2026-12-01", "in_days": 5}],
    ),
]


@pytest.mark.parametrize(("what", "read", "expected"), CASES, ids=[c[0] for c in CASES])
def test_brief_sections(
    jane: dict[str, Any], what: str, read: Callable[..., Any], expected: Any
) -> None:
    assert read(jane) == expected, what


def test_brief_text_quotes_every_fact_with_its_note_and_line(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    result = CliRunner().invoke(cli, ["--vault", str(root), "brief", "Jane Doe", *TODAY])
    assert result.exit_code == 0, result.output
    assert '- "Ask Jane Doe about the pilot" (Projects/Roadmap.md, line 3)' in result.output
    assert "- 2026-09-01: listed in attendees (Meetings/Sync.md, line 3)" in result.output
    assert "## Often seen with\n\n- Sam Lee (2 notes)\n- Ann Lee (1 note)" in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [("Nobody", "no person named 'Nobody'"), ("Lee", "did you mean Ann Lee or Sam Lee?")],
)
def test_unknown_or_ambiguous_name_is_one_line_and_exit_1(
    make_vault: MakeVault, name: str, message: str
) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(make_vault(VAULT)), "brief", name])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_audience_best_first_never_shared_never_inactive(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    found = run(root, "audience", "Grid storage", *TODAY, "--json")
    # Bob Roy (tagged #climate too) is inactive; Sam Lee is named in Jane's #climate note
    assert [(f["name"], f["score"]) for f in found] == [("Jane Doe", 2), ("Sam Lee", 1)]
    assert set(found[0]) == {"path", "name", "score", "reasons", "status"}
    assert found[0]["reasons"] == ["about #climate, like Jane's note"]
    # shared with Jane on 2026-10-01: she is not its audience any more
    carbon = run(root, "audience", "Carbon markets", *TODAY, "--json")
    assert [f["name"] for f in carbon] == ["Sam Lee"]


def test_audience_of_a_note_that_is_not_an_idea_is_an_error(make_vault: MakeVault) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(make_vault(VAULT)), "audience", "2026-11-20"])
    assert result.exit_code == 1 and "not an idea note" in result.output


def test_related_pages_name_the_people_who_would_care(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    run(root, "generate", *TODAY, "--json")
    page = without_footer((root / "Vaultnet/Related/Grid storage (related).md").read_text())
    assert page.endswith(
        "## People who would care\n\n"
        "- [[Jane Doe]]: about \\#climate, like Jane's note\n"
        "- [[Sam Lee]]: about \\#climate, a topic of your notes with Sam\n"
    )
    carbon = (root / "Vaultnet/Related/Carbon markets (related).md").read_text()
    assert "[[Jane Doe]]" not in carbon.split("## People who would care")[1]  # shared with her


def test_few_ideas_scored_by_reach_equal_every_contact_scored(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Urgent pages score only the contacts a few ideas reach; `generate` scores them all."""
    import datetime as dt

    from conftest import gathering_of

    import vaultnet.people.audience as audience
    from vaultnet.index.scan import open_index
    from vaultnet.people.config import ReconnectConfig
    from vaultnet.people.facts import idea_facts, mention_facts, people_facts

    root = make_vault(VAULT)
    ideas = ["Ideas/Carbon markets.md", "Ideas/Grid storage.md", "Ideas/Heat pumps.md"]
    with open_index(root) as index:
        index.scan()
        run = gathering_of(index, dt.date(2026, 11, 26))
        facts = [run.facts(f) for f in (people_facts, mention_facts, idea_facts)]
        by_reach = audience.audiences(*facts, ReconnectConfig(), ideas)  # type: ignore[arg-type]
        monkeypatch.setattr(audience, "REACH_UP_TO", 0)
        by_all = audience.audiences(*facts, ReconnectConfig(), ideas)  # type: ignore[arg-type]
    assert by_reach == by_all and set(by_reach) == set(ideas)


NOTE_LINES = [
    ("---\ntags: [x]\n---\n# Jane\n\nLikes tea.\n", [(6, "Likes tea.")]),
    (
        "Intro\n```\ncode line\n```\n%% hidden %%\n%%\nhidden too\n%%\n- Kids: two\n",
        [(1, "Intro"), (9, "- Kids: two")],
    ),
    ("#leadership reader\n## Log\n---\n| a | b |\n", [(1, "#leadership reader")]),
]


@pytest.mark.parametrize(("text", "expected"), NOTE_LINES)
def test_note_lines_keep_what_the_note_says(text: str, expected: list[tuple[int, str]]) -> None:
    from vaultnet.people.brief import note_lines

    assert note_lines(text) == expected


def test_briefs_can_be_switched_off_and_their_pages_go(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    first = run(root, "generate", *TODAY, "--json")
    briefs = [p for p in first["written"] if p.startswith("Vaultnet/Briefs/")]
    assert briefs and "Before you call" in (root / "Vaultnet/Reconnect.md").read_text()
    (root / ".vaultnet.toml").write_text("[reconnect]\nbriefs = false\n")
    second = run(root, "generate", *TODAY, "--json")
    assert sorted(second["removed"]) == sorted(briefs)
    assert "Before you call" not in (root / "Vaultnet/Reconnect.md").read_text()


def test_an_idea_with_an_audience_but_no_related_notes_gets_a_page(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            "People/Jane Doe.md": "---\ntags: [person]\n---\nJane.\n",
            "Ideas/Heat pumps.md": "Heat pumps, ask [[Jane Doe]].\n",
        }
    )
    run(root, "generate", *TODAY, "--json")
    page = without_footer((root / "Vaultnet/Related/Heat pumps (related).md").read_text())
    assert "Notes related to this one" not in page  # its one related note it links already
    assert page.endswith("## People who would care\n\n- [[Jane Doe]]: linked with Jane's note\n")
