"""One note as the related-notes engine reads it (`NoteData`), before it becomes rows of the
corpus's matrices (`vaultnet.related.corpus`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vaultnet.vault.terms import subtract_counts, tokens

PERSON_TAGS = frozenset({"person", "people", "contact"})
TITLE_COUNT = 3
"""How many times a note's title counts among its terms for related notes (once in the index's,
`vaultnet.vault.parse`): the name a note goes by says what it is about more plainly than a line of
its text. On the 41 vaults of docs/benchmarks.md (stop 37) the text signal alone found 172 hidden
links it had missed and lost 108 it had found (with the title counted twice: 105 and 72). A title
also given as a `title:` property is a property value too, so it counts once more."""


@dataclass(frozen=True, slots=True)
class NoteData:
    """One note as the related-notes engine sees it."""

    path: str
    title: str
    tags: frozenset[str] = frozenset()
    """Lower-cased."""
    terms: tuple[tuple[str, int], ...] = ()
    """(term, count), sorted by term; read from the index, the title counted `TITLE_COUNT` times
    (`titled`)."""
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


def title_extra(title: str) -> Counter[str]:
    """What the title adds to a note's term counts beyond the index's one time (`TITLE_COUNT`)."""
    extra = Counter(tokens(title))
    for term in extra:
        extra[term] *= TITLE_COUNT - 1
    return extra


def titled(
    title: str, counts: Mapping[str, int], anchored: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """A note's term counts and anchored term counts as the index holds them, with the title
    counted `TITLE_COUNT` times (`title_extra` added to the terms each holds: the index counts
    the title in both, so the loose terms, the difference, stay as they were)."""
    extra = title_extra(title)
    return _plus(counts, extra), _plus(anchored, extra)


def _plus(counts: Mapping[str, int], extra: Mapping[str, int]) -> dict[str, int]:
    return {t: n + extra.get(t, 0) for t, n in counts.items()}
