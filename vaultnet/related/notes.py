"""One note as the related-notes engine reads it (`NoteData`), before it becomes rows of the
corpus's matrices (`vaultnet.related.corpus`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vaultnet.vault.terms import subtract_counts, tokens

PERSON_TAGS = frozenset({"person", "people", "contact"})


@dataclass(frozen=True, slots=True)
class NoteData:
    """One note as the related-notes engine sees it."""

    path: str
    title: str
    tags: frozenset[str] = frozenset()
    """Lower-cased."""
    terms: tuple[tuple[str, int], ...] = ()
    """(term, count), sorted by term."""
    links: frozenset[str] = frozenset()
    """Paths of the notes this note links to (not itself); only those in the corpus count."""
    person: bool = False
    names: tuple[tuple[str, ...], ...] = ()
    """The terms of the note's title and of each alias (`vaultnet.vault.terms.tokens`)."""
    anchored: tuple[tuple[str, int], ...] = ()
    """(term, count) of the part of `terms` that is not loose (`Note.anchored_terms`)."""
    code: tuple[tuple[str, int], ...] = ()
    """(term, count) of the part of `terms` in code blocks (`Note.code_terms`)."""

    def loose(self) -> tuple[tuple[str, int], ...]:
        """(term, count) of the body lines that hold no link (`Note.loose_terms`), by term."""
        if not self.anchored:
            return self.terms
        return tuple(subtract_counts(dict(self.terms), dict(self.anchored)).items())


def is_person(path: str, tags: Iterable[str]) -> bool:
    """A quick people rule for records built without the index: a `People/` folder or a person
    tag (`vaultnet.related.load` uses `vaultnet.people.contacts`'s full rule)."""
    return "People" in path.split("/")[:-1] or any(t in PERSON_TAGS for t in tags)


def note_names(title: str, aliases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Distinct term tuples of a note's title and aliases (names made only of stop words drop)."""
    found = (tuple(dict.fromkeys(tokens(name))) for name in (title, *aliases))
    return tuple(dict.fromkeys(name for name in found if name))
