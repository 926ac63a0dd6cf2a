"""Idea notes: the notes worth sharing with a person (`vaultnet.people.share`) and worth a
related-notes page (`vaultnet.related.pages`). One rule for both, pure (the callers gather).

An idea note is not a person (nor the user's note or a people-folder index), not a daily note,
not a dated note that mentions people (a meeting), not a template, excluded or generated note;
each feature may narrow it to some folders and tags and leave some out (`IdeaRule`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from vaultnet.index.rows import NoteHead


@dataclass(frozen=True, slots=True)
class IdeaRule:
    """Which idea notes a feature wants. Folders are vault paths, tags lower-cased, no `#`."""

    folders: tuple[str, ...] = ()
    """When `folders` or `tags` is set, only notes under one of these folders ..."""
    tags: tuple[str, ...] = ()
    """... or with one of these tags are ideas."""
    exclude_folders: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()

    def admits(self, path: str, tags: Set[str]) -> bool:
        """Whether a note that can be an idea is one this feature wants."""
        if _under(path, self.exclude_folders) or not tags.isdisjoint(self.exclude_tags):
            return False
        if self.folders or self.tags:
            return _under(path, self.folders) or not tags.isdisjoint(self.tags)
        return True


def can_be_idea(head: NoteHead, *, person: bool, daily: bool, mentions_people: bool) -> bool:
    """Whether the note `head` can be an idea under any rule. `person`: a person-like note;
    `daily`: a daily note by its file name; `mentions_people`: the note links to a contact
    outside a comment."""
    if head.template or head.excluded or head.generator or person or daily:
        return False
    return head.date is None or not mentions_people


def is_idea(
    head: NoteHead,
    tags: Set[str],
    *,
    person: bool,
    daily: bool,
    mentions_people: bool,
    rule: IdeaRule,
) -> bool:
    """Whether the note `head` (with these lower-cased `tags`) is an idea note under `rule`."""
    return can_be_idea(
        head, person=person, daily=daily, mentions_people=mentions_people
    ) and rule.admits(head.path, tags)


@dataclass(frozen=True, slots=True)
class IdeaFacts:
    """Every note that can be an idea, with its title and tags: what sharing, audiences and
    related pages choose from (each through its own `IdeaRule`, `under`)."""

    titles: dict[str, str]
    """Path -> title, by path."""
    tags: dict[str, frozenset[str]]
    """Path -> lower-cased tags (untagged notes: absent)."""

    def under(self, rule: IdeaRule) -> dict[str, str]:
        """Path -> title of the ideas `rule` admits, by path."""
        empty: frozenset[str] = frozenset()
        return {p: t for p, t in self.titles.items() if rule.admits(p, self.tags.get(p, empty))}

    def by_tag(self, ideas: Mapping[str, str]) -> dict[str, list[str]]:
        """Lower-cased tag -> the notes of `ideas` that carry it, by path."""
        found: dict[str, list[str]] = {}
        for path in ideas:
            for tag in self.tags.get(path, ()):
                found.setdefault(tag, []).append(path)
        return found


def idea_facts_from(
    heads: Mapping[str, NoteHead],
    tags: Mapping[str, Set[str]],
    *,
    person: Set[str],
    mentioning: Set[str],
    daily: Callable[[str], dt.date | None],
) -> IdeaFacts:
    """`IdeaFacts` from every note's head and tags, the person-like notes, the notes that link
    to a contact outside a comment (`mentioning`) and the daily-note rule (`daily`)."""
    titles = {
        path: head.title
        for path, head in sorted(heads.items())
        # `can_be_idea`, its cheap tests first: the daily-note rule parses the file name
        if can_be_idea(head, person=path in person, daily=False, mentions_people=path in mentioning)
        and daily(path) is None
    }
    return IdeaFacts(titles, {p: frozenset(tags[p]) for p in titles if tags.get(p)})


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(folder + "/") for folder in folders)
