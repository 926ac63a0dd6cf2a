"""What the related-notes signals read: one record per note and the inverted indexes over them.

A `Corpus` is built from the index (`corpus_from_store`) or from records (tests, the evaluation).
`put` and `remove` change one note and keep every index and global count exact, so a corpus
edited note by note equals one built cold from the same notes: the signals only ever read it in
orders that do not depend on how it was built.
"""

from __future__ import annotations

import math
import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from vaultnet.index.rows import NoteRow, Terms
from vaultnet.index.view import IndexView
from vaultnet.people.config import PeopleConfig
from vaultnet.people.contacts import is_person_note
from vaultnet.vault.resolve import fold, note_stem
from vaultnet.vault.terms import subtract_counts, tokens

PERSON_TAGS = frozenset({"person", "people", "contact"})
T = TypeVar("T")


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
    """Resolved paths of the notes this note links to (not itself)."""
    person: bool = False
    names: tuple[tuple[str, ...], ...] = ()
    """The terms of the note's title and of each alias (`vaultnet.vault.terms.tokens`)."""
    anchored: tuple[tuple[str, int], ...] = ()
    """(term, count) of the part of `terms` that is not loose (`Note.anchored_terms`)."""
    code: tuple[tuple[str, int], ...] = ()
    """(term, count) of the part of `terms` in code blocks (`Note.code_terms`)."""
    in_code: dict[str, int] = field(init=False, repr=False, compare=False)
    """`code` as a mapping."""
    norm: float = field(init=False)
    """The length of the note's weighted log-frequency vector (`log_weight` over its terms; 1.0
    for none): what the text signal divides a candidate's weights by."""

    def __post_init__(self) -> None:
        in_code = dict(self.code) if self.code else _NO_CODE
        object.__setattr__(self, "in_code", in_code)
        get = in_code.get
        total = math.fsum(log_weight(tf, get(t, 0)) ** 2 for t, tf in self.terms)
        object.__setattr__(self, "norm", math.sqrt(total) or 1.0)

    def loose(self) -> tuple[tuple[str, int], ...]:
        """(term, count) of the body lines that hold no link (`Note.loose_terms`), by term."""
        if not self.anchored:
            return self.terms
        return tuple(subtract_counts(dict(self.terms), dict(self.anchored)).items())


CODE_WEIGHT = 0.5
"""How much a word counts in the text signal when it is written in a code block, against 1 in
prose (docs/benchmarks.md: code at full weight diluted documentation vaults' prose)."""
_NO_CODE: dict[str, int] = {}


def log_weight(tf: int, code: int = 0) -> float:
    """A term's log-frequency weight in a note, `1 + ln tf`, scaled down by the share of its
    occurrences that are in code blocks (`code` of the `tf`)."""
    weight = 1.0 + math.log(tf)
    return weight * (1.0 - (1.0 - CODE_WEIGHT) * code / tf) if code else weight


def is_person(path: str, tags: Iterable[str]) -> bool:
    """A quick people rule for records built without the index: a `People/` folder or a person
    tag (`corpus_from_store` uses `vaultnet.people.contacts`'s full rule)."""
    return "People" in path.split("/")[:-1] or any(t in PERSON_TAGS for t in tags)


class Corpus:
    """Notes plus the inverted indexes the signals need (terms, tags, links both ways)."""

    def __init__(self, notes: Iterable[NoteData] = ()) -> None:
        self.notes: dict[str, NoteData] = {}
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        """term -> {path: count}."""
        self.tagged: dict[str, set[str]] = defaultdict(set)
        self.linked_from: dict[str, set[str]] = defaultdict(set)
        """path -> the notes that link to it (targets may not be in the corpus yet)."""
        self.folders: dict[str, set[str]] = defaultdict(set)
        self.prose_df: Counter[str] = Counter()
        """How many notes have each term outside code blocks."""
        self.names: Counter[str] = Counter()
        """How many notes have each name (`note_stem`), folded as Obsidian compares names."""
        self._derived: dict[Callable[[Corpus], object], object] = {}
        for note in notes:
            self.put(note)

    def __len__(self) -> int:
        return len(self.notes)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without what it derived (rebuilt on first use)."""
        state = dict(self.__dict__)
        state["_derived"] = {}
        return state

    def __contains__(self, path: str) -> bool:
        return path in self.notes

    def put(self, note: NoteData) -> None:
        """Add a note, or replace the note with the same path."""
        self.remove(note.path)
        self._derived.clear()
        self.notes[note.path] = note
        in_code = note.in_code
        for term, count in note.terms:
            self.postings[term][note.path] = count
            if count > in_code.get(term, 0):
                self.prose_df[term] += 1
        self.names[_name(note.path)] += 1
        self.folders[posixpath.dirname(note.path)].add(note.path)
        for tag in note.tags:
            self.tagged[tag].add(note.path)
        for target in note.links:
            self.linked_from[target].add(note.path)

    def remove(self, path: str) -> None:
        note = self.notes.pop(path, None)
        if note is None:
            return
        self._derived.clear()
        in_code = note.in_code
        for term, count in note.terms:
            _discard(self.postings, term, path)
            if count > in_code.get(term, 0):
                self.prose_df[term] -= 1
                if not self.prose_df[term]:
                    del self.prose_df[term]
        self.names[_name(path)] -= 1
        _discard(self.folders, posixpath.dirname(path), path)
        for tag in note.tags:
            _discard(self.tagged, tag, path)
        for target in note.links:
            _discard(self.linked_from, target, path)

    def derived(self, build: Callable[[Corpus], T]) -> T:
        """`build(self)`, computed on first use and kept until the next `put` or `remove`: for
        what a signal reads of the whole vault but cannot keep up to date note by note (so every
        engine over an unchanged corpus shares it). `build` must be a pure function of the notes."""
        try:
            return cast(T, self._derived[build])
        except KeyError:
            found = self._derived[build] = build(self)
            return found

    def neighbours(self, path: str) -> set[str]:
        """Notes linked with `path` in either direction (only notes in the corpus)."""
        note = self.notes.get(path)
        found = {p for p in self.linked_from.get(path, ()) if p != path}
        if note is not None:
            found.update(p for p in note.links if p in self.notes)
        found.discard(path)
        return found

    def name_count(self, name: str) -> int:
        """How many notes are called `name` to Obsidian (`resolve.fold`: case and Unicode
        normalisation aside)."""
        return self.names[fold(name)]

    def links_to(self, source: str, target: str) -> bool:
        note = self.notes.get(source)
        return note is not None and target in note.links


def note_names(title: str, aliases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Distinct term tuples of a note's title and aliases (names made only of stop words drop)."""
    found = (tuple(dict.fromkeys(tokens(name))) for name in (title, *aliases))
    return tuple(dict.fromkeys(name for name in found if name))


def shared_pairs(
    counts: dict[str, int], pairs: dict[tuple[str, int], tuple[str, int]]
) -> tuple[tuple[str, int], ...]:
    """`counts` as sorted (term, count) pairs, each pair one shared object across notes: a vault
    has far fewer distinct pairs than notes times terms, so 100k notes' words fit in memory."""
    return tuple(pairs.setdefault(pair, pair) for pair in sorted(counts.items()))


def _name(path: str) -> str:
    return fold(note_stem(path))


def _discard(index: dict[str, dict[str, int]] | dict[str, set[str]], key: str, path: str) -> None:
    bucket = index.get(key)
    if bucket is None:
        return
    if isinstance(bucket, dict):
        bucket.pop(path, None)
    else:
        bucket.discard(path)
    if not bucket:
        del index[key]


def corpus_from_store(store: IndexView, people: PeopleConfig | None = None) -> Corpus:
    """Every note that is the user's own (no templates, excluded files or generated pages).
    Person notes are those `vaultnet.people.contacts` recognises under `people` (`[people]` settings)."""
    people = people or PeopleConfig()
    rows = [r for r in store.notes() if not (r.generator or r.template or r.excluded)]
    paths = {r.path for r in rows}
    links: dict[str, set[str]] = defaultdict(set)
    for row in store.links_from():
        # Links in `%% comments %%` count: Obsidian's graph and backlinks show them too.
        if row.path in paths and row.path != row.src:
            links[row.src].add(row.path)
    terms = store.terms()
    pairs: dict[tuple[str, int], tuple[str, int]] = {}
    return Corpus(
        note_data(r, terms.pop(r.path, _NO_TERMS), links.get(r.path, ()), people, pairs)
        for r in rows
    )


_NO_TERMS: Terms = ({}, {}, {})


def note_data(
    row: NoteRow,
    terms: Terms,
    links: Iterable[str],
    people: PeopleConfig,
    pairs: dict[tuple[str, int], tuple[str, int]],
) -> NoteData:
    """One user note's record: `terms` are its (term, anchored and code term counts), `links` the
    user notes it links to; `pairs` shares (term, count) pairs across the notes built with it."""
    counts, anchored, code = terms
    return NoteData(
        row.path,
        row.title,
        frozenset(t.lower() for t in row.tags),
        shared_pairs(counts, pairs),
        frozenset(links),
        is_person_note(row, people),
        note_names(row.title, row.aliases),
        shared_pairs(anchored, pairs),
        shared_pairs(code, pairs),
    )


def notes_from_store(
    store: IndexView, paths: Iterable[str], people: PeopleConfig, users: Container[str]
) -> dict[str, NoteData]:
    """The records `corpus_from_store` builds for these notes, when they are user notes (the
    others are absent). `users`: every user note of the vault (a link counts only to one)."""
    rows = [r for r in store.notes(paths) if not (r.generator or r.template or r.excluded)]
    wanted = [r.path for r in rows]
    links: dict[str, set[str]] = defaultdict(set)
    for row in store.links_from(wanted):
        if row.path is not None and row.path in users and row.path != row.src:
            links[row.src].add(row.path)
    terms = store.terms(wanted)
    pairs: dict[tuple[str, int], tuple[str, int]] = {}
    return {
        r.path: note_data(r, terms.get(r.path, _NO_TERMS), links.get(r.path, ()), people, pairs)
        for r in rows
    }
