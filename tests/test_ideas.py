"""Idea notes: the one rule what-to-share and related-notes pages both use."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultnet.ideas import IdeaRule, is_idea
from vaultnet.index.rows import NoteHead

DAY = dt.date(2026, 11, 20)
NARROW = IdeaRule(folders=("Ideas",), tags=("idea",))
CASES = [
    # (path, date, flags, tags, person, daily, mentions people, rule, idea?)
    ("Ideas/A.md", None, "", set(), False, False, False, IdeaRule(), True),
    ("Notes/B.md", None, "", set(), False, False, True, IdeaRule(), True),  # undated mention
    ("People/Jane.md", None, "", set(), True, False, False, IdeaRule(), False),
    ("Daily/2026-11-20.md", DAY, "", {"idea"}, False, True, False, IdeaRule(), False),
    ("Meetings/Call.md", DAY, "", set(), False, False, True, IdeaRule(), False),
    ("Events/Launch.md", DAY, "", set(), False, False, False, IdeaRule(), True),
    ("Templates/T.md", None, "template", set(), False, False, False, IdeaRule(), False),
    ("Archive/X.md", None, "excluded", set(), False, False, False, IdeaRule(), False),
    ("Vaultnet/R.md", None, "generator", set(), False, False, False, IdeaRule(), False),
    ("Ideas/A.md", None, "", set(), False, False, False, NARROW, True),
    ("Notes/B.md", None, "", {"idea"}, False, False, False, NARROW, True),
    ("Notes/B.md", None, "", set(), False, False, False, NARROW, False),
    (
        "Ideas/Co.md",
        None,
        "",
        {"company"},
        False,
        False,
        False,
        IdeaRule(exclude_tags=("company",)),
        False,
    ),
    ("Old/C.md", None, "", set(), False, False, False, IdeaRule(exclude_folders=("Old",)), False),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}-{case[-1]}")
def test_is_idea(case: tuple) -> None:  # type: ignore[type-arg]
    path, date, flag, tags, person, daily, mentions, rule, expected = case
    generator = "related" if flag == "generator" else None
    head = NoteHead(path, path, date, flag == "template", flag == "excluded", generator)
    found = is_idea(head, tags, person=person, daily=daily, mentions_people=mentions, rule=rule)
    assert found is expected
