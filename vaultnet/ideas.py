"""Idea notes: the notes worth sharing with a person (`vaultnet.people.share`) and worth a related-notes
page (`vaultnet.related.pages`). One rule for both, pure (the callers read the index).

An idea note is not a person (nor the user's note or a people-folder index), not a daily note,
not a dated note that mentions people (a meeting), not a template, excluded or generated note;
each feature may narrow it to some folders and tags and leave some out (`IdeaRule`).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


def is_idea(
    head: NoteHead,
    tags: Set[str],
    *,
    person: bool,
    daily: bool,
    mentions_people: bool,
    rule: IdeaRule,
) -> bool:
    """Whether the note `head` (with these lower-cased `tags`) is an idea note under `rule`.
    `person`: a person-like note; `daily`: a daily note by its file name; `mentions_people`: the
    note links to a contact outside a comment."""
    if head.template or head.excluded or head.generator or person or daily:
        return False
    if head.date is not None and mentions_people:
        return False
    if _under(head.path, rule.exclude_folders) or not tags.isdisjoint(rule.exclude_tags):
        return False
    if rule.folders or rule.tags:
        return _under(head.path, rule.folders) or not tags.isdisjoint(rule.tags)
    return True


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(folder + "/") for folder in folders)
