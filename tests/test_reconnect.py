"""Suggestions, groups, slots, what to share, important dates, and the Reconnect page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import context_of, gathering_of

from vaultnet.errors import ConfigError
from vaultnet.index.scan import open_index
from vaultnet.pages.api import Generator
from vaultnet.pages.links import LinkStyle
from vaultnet.people.config import reconnect_config
from vaultnet.people.contacts import Contact
from vaultnet.people.dates import next_occurrence
from vaultnet.people.groups import Candidate, choose
from vaultnet.people.reconnect import Plan, reconnect_plan
from vaultnet.reconnect.page import ReconnectGenerator
from vaultnet.reconnect.render import plain_quote
from vaultnet.reconnect.render_text import plan_json
from vaultnet.vault.settings import VaultSettings

TODAY = dt.date(2026, 11, 26)
DAILY = {".obsidian/daily-notes.json": '{"folder": "Daily"}'}
MakeVault = Callable[[dict[str, Any]], Path]


def plan_of(root: Path, today: dt.date = TODAY, limit: int | None = None) -> Plan:
    with open_index(root) as index:
        index.scan()
        return reconnect_plan(gathering_of(index, today), limit)


def shares() -> dict[str, float]:
    return {"current": 0.6, "dormant": 0.25, "new": 0.15}


@pytest.mark.parametrize(
    ("limit", "available", "slots"),
    [
        (10, (20, 20, 20), (6, 3, 1)),  # 6 / 2.5 / 1.5: the tie on .5 goes to the earlier group
        (10, (3, 2, 3), (3, 2, 3)),  # unused slots go to the others
        (10, (0, 0, 20), (0, 0, 10)),
        (4, (20, 20, 20), (2, 1, 1)),  # 2.4 / 1.0 / 0.6 -> 2 / 1 / 0 + one by largest remainder
        (1, (0, 5, 5), (0, 1, 0)),
        (20, (1, 1, 1), (1, 1, 1)),
    ],
)
def test_slots_by_largest_remainder(
    limit: int, available: tuple[int, int, int], slots: tuple[int, int, int]
) -> None:
    candidates = [
        Candidate(person(f"{group}{n}"), group, 1.0, 0)
        for group, count in zip(("current", "dormant", "new"), available, strict=True)
        for n in range(count)
    ]
    _, mix = choose(candidates, limit, shares())
    assert (mix.chosen["current"], mix.chosen["dormant"], mix.chosen["new"]) == slots


def person(name: str) -> Contact:
    """A contact with nothing but a name (what choosing slots reads besides the candidate)."""
    return Contact(
        f"People/{name}.md", name, (), {}, (), (), (), (), (), 30, "note", "ok", 1, None, 0.0, None
    )


def test_spare_slots_go_to_promises_first() -> None:
    """Current has one candidate for its 6 slots; of the 5 spare, the promise-holders of the
    `new` group (15%) get theirs before the dormant ties (25%), whose share is larger."""
    candidates = [
        Candidate(person("C"), "current", 1.0, 0),
        *(Candidate(person(f"D{n}"), "dormant", 9.0 - n, 0) for n in range(8)),
        *(Candidate(person(f"N{n}"), "new", 0.5, 2 if n < 3 else 0) for n in range(6)),
    ]
    chosen, mix = choose(candidates, 10, shares())
    assert [c.contact.name for c in chosen] == [
        "C",
        *("D0", "D1", "D2", "D3", "D4", "D5"),  # 3 by share, then 3 of the spare
        *("N0", "N1", "N2"),  # 1 by share (the most urgent), then 2 spare: promises first
    ]
    assert (mix.quotas, mix.chosen, mix.spare) == (
        {"current": 6, "dormant": 3, "new": 1},
        {"current": 1, "dormant": 6, "new": 3},
        5,
    )


def people_vault(make_vault: MakeVault) -> Path:
    return make_vault(
        {
            **DAILY,
            # current: overdue (ratio 2.0), overdue with priority, due
            "People/Over.md": "---\ncadence: 30d\n---\n- 2025-06-01 x\n- 2026-09-27 a\n",
            "People/Prio.md": "---\ncadence: 30d\npriority: high\n---\n- 2025-06-01 x\n- 2026-10-12 a\n",
            "People/Due.md": "---\ncadence: 30d\n---\n- 2025-06-01 x\n- 2026-10-28 a\n",
            # dormant: the one with more interactions is stronger
            "People/Old friend.md": "- 2025-01-01 a\n- 2025-02-01 b\n- 2025-03-01 c\n",
            "People/Old acquaintance.md": "- 2025-01-01 a\n",
            # new: first contact within 60 days (even though otherwise dormant-free and ok)
            "People/Fresh.md": "- 2026-11-20 met at the meetup\n",
            # never: new when `met` is recent, else only counted
            "People/Met recently.md": "---\nmet: 2026-11-01\n---\n",
            "People/Never.md": "",
            "People/Never2.md": "---\nmet: 2025-01-01\n---\n",
            # not suggested
            "People/Fine.md": "---\ncadence: 30d\n---\n- 2025-06-01 x\n- 2026-11-20 a\n",
            "People/Snoozed.md": "---\ncadence: 30d\nsnooze_until: 2027-01-01\n---\n- 2025-01-01 a\n",
            "People/Off.md": "---\ncadence: never\n---\n- 2025-01-01 a\n",
        }
    )


def test_groups_order_and_counts(make_vault: MakeVault) -> None:
    plan = plan_of(people_vault(make_vault))
    got = [(s.group, s.contact.name) for s in plan.suggestions]
    assert got == [
        ("current", "Prio"),  # 45/30 x 1.5 beats 60/30
        ("current", "Over"),
        ("current", "Due"),
        ("dormant", "Old friend"),
        ("dormant", "Old acquaintance"),
        ("new", "Fresh"),
        ("new", "Met recently"),
    ]
    assert sorted(c.name for c in plan.never) == ["Never", "Never2"]
    data = plan_json(plan)
    assert data["suggestions"][0]["reasons"][:2] == [
        'last contact 45 days ago: Prio "2026-10-12 a"',
        "you aim for every 30 days; overdue by 15 days",
    ]
    assert set(data["suggestions"][0]) == {
        "path",
        "name",
        "group",
        "score",
        "days_since",
        "cadence_days",
        "actions",
        "reasons",
        "share",
    }


def test_limit_mixes_groups(make_vault: MakeVault) -> None:
    plan = plan_of(people_vault(make_vault), limit=4)  # slots 2 / 1 / 1
    assert [(s.group, s.contact.name) for s in plan.suggestions] == [
        ("current", "Prio"),
        ("current", "Over"),
        ("dormant", "Old friend"),
        ("new", "Fresh"),
    ]


def test_share_matches_interests_never_shared(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            **DAILY,
            "People/Ann.md": "---\ntags: [person, design]\ncadence: 30d\n---\nLikes #typography\n"
            "- 2026-09-01 call about [[Shared in log]]\n- see [[Linked idea]]\n",
            "Daily/2026-09-02.md": "- sent [[Ann]] [[Already shared]] #climate\n",
            "Daily/2026-09-03.md": "- [ ] maybe send [[Ann]] [[Planned share]]\n",
            "Ideas/Already shared.md": "---\ntags: [design]\n---\n",
            "Ideas/Shared in log.md": "---\ntags: [design]\n---\n",
            "Ideas/Linked idea.md": "no tags\n",
            "Ideas/Grids.md": "---\ntags: [design, typography]\n---\n",
            "Ideas/Colour.md": "---\ntags: [design]\n---\n",
            "Ideas/Climate.md": "---\ntags: [climate]\n---\n",
            "Ideas/Planned share.md": "---\ntags: [gardening]\n---\n",
            "Ideas/Other.md": "---\ntags: [gardening]\n---\n",
            "Templates/Idea.md": "---\ntags: [design, typography]\n---\n",
            "Vaultnet/Page.md": "---\nvaultnet-generator: related\ntags: [design]\n---\n",
            ".obsidian/templates.json": '{"folder": "Templates"}',
        }
    )
    [suggestion] = plan_of(root).suggestions
    assert [(s.path, s.reasons) for s in suggestion.share] == [
        ("Ideas/Grids.md", ("about #design, #typography, like Ann's note",)),
        ("Ideas/Linked idea.md", ("linked with Ann's note",)),
        # a tag on the line where you met her is evidence about her (Colour ties, by path)
        ("Ideas/Climate.md", ("about #climate, as when you met Ann on 2026-09-02",)),
    ]


def test_an_idea_told_in_an_excluded_dated_note_is_not_offered_again(
    make_vault: MakeVault,
) -> None:
    """Obsidian's "Excluded files" (an archive) are still the user's notes: a dated one that says
    you told Jane about Compost means Compost is shared (vaultnet's own pages never count)."""
    root = make_vault(
        {
            ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}',
            "People/Jane Doe.md": "---\ncadence: 30\ntags: [gardening]\n---\nJane.\n",
            "Archive/Old meeting.md": "---\ndate: 2026-08-01\n---\nTold [[Jane Doe]] about "
            "[[Compost]].\n",
            "Meetings/Lunch.md": "---\ndate: 2026-09-01\n---\nLunch with [[Jane Doe]].\n",
            "Ideas/Compost.md": "#gardening\nCompost: kitchen scraps and patience.\n",
            "Ideas/Mulch.md": "#gardening\nMulch keeps soil moist.\n",
        }
    )
    [suggestion] = plan_of(root).suggestions
    assert [s.path for s in suggestion.share] == ["Ideas/Mulch.md"]


def test_share_topics_and_idea_filters(make_vault: MakeVault) -> None:
    """A tag on the line where you met someone is evidence about them; a tag of the note they
    merely attended is not (Cy); idea folders and excluded tags still narrow the ideas."""
    root = make_vault(
        {
            **DAILY,
            ".vaultnet.toml": '[reconnect]\nidea_folders = ["Ideas"]\nexclude_tags = ["draft"]\n',
            "People/Bo.md": "---\ncadence: 7d\n---\n",
            "People/Cy.md": "---\ncadence: 7d\n---\n",
            "Daily/2026-11-01.md": "---\ntags: [daily, climate]\n---\n- talked with [[Bo]] about #climate\n"
            "- lunch with [[Cy]]\n",
            "Ideas/Heat pumps.md": "---\ntags: [climate]\n---\n",
            "Ideas/Draft.md": "---\ntags: [climate, draft]\n---\n",
            "Ideas/Daily stuff.md": "---\ntags: [daily]\n---\n",
            "Notes/Climate.md": "---\ntags: [climate]\n---\n",
        }
    )
    bo, cy = plan_of(root).suggestions
    assert [(s.path, s.reasons) for s in bo.share] == [
        ("Ideas/Heat pumps.md", ("about #climate, as when you met Bo on 2026-11-01",)),
    ]
    assert cy.contact.name == "Cy" and cy.share == ()


@pytest.mark.parametrize(
    ("value", "today", "expected"),
    [
        ("1988-12-03", "2026-11-26", "2026-12-03"),
        ("--12-05", "2026-11-26", "2026-12-05"),
        ("12-05", "2026-11-26", "2026-12-05"),
        ("1992-02-29", "2027-02-20", "2027-02-28"),  # ordinary year: Feb 28
        ("1992-02-29", "2028-02-20", "2028-02-29"),
        ("--01-02", "2026-12-30", "2027-01-02"),  # across the new year
        ("1990-11-26", "2026-11-26", "2026-11-26"),  # today
        ("soon", "2026-11-26", None),
    ],
)
def test_next_occurrence(value: str, today: str, expected: str | None) -> None:
    got = next_occurrence(value, dt.date.fromisoformat(today))
    assert (got.isoformat() if got else None) == expected


def test_important_dates_window(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            "People/A.md": "---\nbirthday: 1990-12-10\n---\n",  # 14 days: in
            "People/B.md": "---\nanniversary: --12-11\n---\n",  # 15 days: out
            "People/C.md": "---\nbirthday: 11-26\nanniversary: 2020-11-30\n---\n",
            "People/D.md": "---\nbirthday: not a date\n---\n",
        }
    )
    got = [(d.name, d.kind, d.date.isoformat(), d.in_days) for d in plan_of(root).dates]
    assert got == [
        ("C", "birthday", "2026-11-26", 0),
        ("C", "anniversary", "2026-11-30", 4),
        ("A", "birthday", "2026-12-10", 14),
    ]


NOTES = [
    "People/Jane Doe.md",
    "People/Sam.md",
    "Work/Sam.md",
    "Vaultnet/Reconnect.md",
    "Ideas/Pros | cons.md",
    "Ideas/Issue #5.md",
]


@pytest.mark.parametrize(
    ("markdown", "fmt", "path", "link"),
    [
        (False, "shortest", "People/Jane Doe.md", "[[Jane Doe]]"),
        (False, "shortest", "People/Sam.md", "[[People/Sam|Sam]]"),
        (False, "absolute", "People/Jane Doe.md", "[[People/Jane Doe|Jane Doe]]"),
        (False, "relative", "People/Jane Doe.md", "[[../People/Jane Doe|Jane Doe]]"),
        (True, "shortest", "People/Jane Doe.md", "[Jane Doe](Jane%20Doe.md)"),
        (True, "shortest", "Work/Sam.md", "[Sam](Work/Sam.md)"),
        (True, "absolute", "People/Jane Doe.md", "[Jane Doe](People/Jane%20Doe.md)"),
        (True, "relative", "People/Jane Doe.md", "[Jane Doe](../People/Jane%20Doe.md)"),
        # names a wikilink cannot hold: a markdown link in a wikilink vault too
        (False, "shortest", "Ideas/Pros | cons.md", "[Pros | cons](Pros%20%7C%20cons.md)"),
        (False, "relative", "Ideas/Issue #5.md", "[Issue #5](../Ideas/Issue%20%235.md)"),
    ],
)
def test_links_follow_vault_settings(markdown: bool, fmt: str, path: str, link: str) -> None:
    settings = VaultSettings(use_markdown_links=markdown, new_link_format=fmt)
    assert LinkStyle.for_vault(settings, "Vaultnet/Reconnect.md", NOTES).link(path) == link


def test_plain_quote_makes_no_links_or_tags() -> None:
    text = "- [x] Lunch with [[Jane Doe|Jane]] and [Sam](Sam.md) about #climate %%x%% `code`"
    assert plain_quote(text) == "Lunch with Jane and Sam about \\#climate x 'code'"
    assert plain_quote("- " + "a" * 200).endswith("…")


def test_generator_page(make_vault: MakeVault) -> None:
    root = people_vault(make_vault)
    generator = ReconnectGenerator()
    assert isinstance(generator, Generator)
    with open_index(root) as index:
        index.scan()
        context = context_of(index, TODAY)
        page, *briefs = generator.generate(context)
        again = generator.generate(context)
        assert generator.affects(context, {"People/Over.md"})
        assert not generator.affects(context, {"Vaultnet/Reconnect.md", "a.png"})
    assert page.path == "Vaultnet/Reconnect.md"
    assert [page, *briefs] == again  # no timestamps: same input, same bytes
    body = page.body
    # one brief page per suggested person, each linked from their suggestion
    assert len(briefs) == 7 and {b.path.split("/")[1] for b in briefs} == {"Briefs"}
    for brief in briefs:
        name = brief.path.rsplit("/", 1)[1].removesuffix(" (brief).md")
        assert brief.body.startswith(f"# Brief: {name}\n") and brief.subject
        assert f"- Before you call: [[{name} (brief)|brief]]" in body
    assert body.startswith("# Reconnect\n\nSuggestions for 2026-11-26: 7 people")
    order = ["## Keep in touch", "### [[Prio]]", "## Revive dormant ties", "### [[Old friend]]"]
    order += ["## Follow up while it is fresh", "### [[Fresh]]", "## No recorded contact"]
    assert [body.index(h) for h in order] == sorted(body.index(h) for h in order)
    # Never2 has an old `met`: not new, but the one reason to write first; Never has none
    assert body.endswith(
        "2 people with no recorded contact (a daily or meeting note that links them, or "
        "`vaultnet touch NAME`, records one). Worth a first message:\n\n"
        "- [[Never2]]: met on 2025-01-01\n\nThe others: [[Never]].\n"
    )


def test_generator_output_folder_and_markdown_links(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            ".vaultnet.toml": 'output_folder = "Generated"\n',
            ".obsidian/app.json": '{"useMarkdownLinks": true, "newLinkFormat": "relative"}',
            "People/Jane Doe.md": "---\ncadence: 30d\nbirthday: --12-01\n---\n- 2026-01-01 a\n",
        }
    )
    with open_index(root) as index:
        index.scan()
        context = context_of(index, TODAY)
        page, brief = ReconnectGenerator().generate(context)
    assert page.path == "Generated/Reconnect.md"
    assert brief.path == "Generated/Briefs/Jane Doe (brief).md"
    assert "- Before you call: [brief](Briefs/Jane%20Doe%20%28brief%29.md)" in page.body
    assert "[Jane Doe](../../People/Jane%20Doe.md)" in brief.body
    assert "### [Jane Doe](../People/Jane%20Doe.md)" in page.body
    assert "- [Jane Doe](../People/Jane%20Doe.md): birthday on 2026-12-01 (in 5 days)" in page.body
    assert "[[" not in page.body


def test_empty_vault_page(make_vault: MakeVault) -> None:
    root = make_vault({"Notes/a.md": "hello"})
    with open_index(root) as index:
        index.scan()
        context = context_of(index, TODAY)
        [page] = ReconnectGenerator().generate(context)
    assert page.body.startswith(
        "# Reconnect\n\nSuggestions for 2026-11-26: no contacts yet.\n\n## Getting started\n\n"
        "- A note is a contact when it is in a People/ folder, tagged person, or has the "
        "property `type: person`.\n"
    )  # the rest: tests/test_empty_states.py


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"limit": 0}, "[reconnect] limit must be a whole number >= 1"),
        ({"shares": {"old": 1}}, "[reconnect] shares: unknown group 'old'"),
        ({"shares": {"current": 0, "dormant": 0, "new": 0}}, "must not all be 0"),
        ({"idea_folders": {"a": 1}}, "[reconnect] idea_folders must be a list of text values"),
        ({"shares": {"new": -1}}, "[reconnect] shares.new must be a number >= 0"),
        ({"limits": 3}, "[reconnect] unknown setting 'limits'"),
        ({"promise_days": -1}, "[reconnect] promise_days must be a whole number >= 0"),
        ({"introductions": "yes"}, "[reconnect] introductions must be true or false"),
        ({"news_words": 3}, "[reconnect] news_words must be a list of words, or a table such as"),
        ({"help_words": {"x": 1}}, "[reconnect] help_words must be a list of words, or a table"),
        ({"unfinished_tags": [1]}, "[reconnect] unfinished_tags must be a list of text values"),
    ],
)
def test_reconnect_config_errors(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        reconnect_config(table)


def test_word_lists_read_as_a_table_or_a_list() -> None:
    config = reconnect_config({"news_words": {"Befördert": "promotion"}, "help_words": ["dank"]})
    assert config.news_words == (("befördert", "promotion"),)
    assert config.help_words == (("dank", "help"),)
