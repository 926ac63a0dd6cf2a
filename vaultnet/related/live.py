"""A corpus kept equal to `corpus_from_store` across runs, for a long-running process (the
watcher's related generator): each refresh reads again only the notes that changed.

What changed is found by comparing the index with a snapshot taken at the last refresh, never
from the paths a caller says it changed, so a rescan, a missed event or an interrupted run cannot
leave the corpus behind:
- a note whose (content hash, kind) in the index changed, or that became or stopped being a user
  note, is read again (its words, tags, names and links are a function of its content);
- links can also change with no edit to the note that holds them: a note that appears resolves
  links elsewhere, and a link counts only to a user note. When any file came or went, or the set
  of user notes changed, every note's links are compared with the index (one query, no JSON);
- anything that changes how every note reads (the index's settings fingerprint, its root, the
  `[people]` settings) rebuilds the corpus cold.
`Corpus.put`/`remove` keep every global count exact, so the result equals a cold build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from vaultnet.people_config import PeopleConfig
from vaultnet.related.corpus import Corpus, NoteData, corpus_from_store, notes_from_store
from vaultnet.store import Store


@dataclass(frozen=True, slots=True)
class Refresh:
    """What one refresh changed."""

    rebuilt: bool
    """The corpus was built cold (first use, or settings changed): `edited` is empty."""
    edited: frozenset[str] = frozenset()
    """Notes whose content changed, or that came or went (as user notes)."""
    relinked: frozenset[str] = frozenset()
    """Other notes whose links changed (a note they link to came or went)."""
    before: tuple[NoteData, ...] = ()
    """The records the edited notes had before (those that were in the corpus)."""

    @property
    def changed(self) -> bool:
        return self.rebuilt or bool(self.edited or self.relinked)


@dataclass(frozen=True, slots=True)
class _Basis:
    """What every note's record depends on: when it changes, the corpus is rebuilt."""

    index: str
    fingerprint: str | None
    root: str | None
    people: PeopleConfig


class LiveCorpus:
    """`corpus`, refreshed from the index by `refresh(store, people)`."""

    def __init__(self) -> None:
        self.corpus = Corpus()
        self._basis: _Basis | None = None
        self._files: dict[str, tuple[str | None, str]] = {}

    def refresh(self, store: Store, people: PeopleConfig) -> Refresh:
        """Bring `corpus` up to date with `store` (read under the `people` settings)."""
        basis = _Basis(str(store.path), store.meta("fingerprint"), store.meta("root"), people)
        files = store.file_states()
        if basis != self._basis:
            self.corpus = corpus_from_store(store, people)
            self._basis, self._files = basis, files
            return Refresh(rebuilt=True)
        corpus = self.corpus
        users = store.user_note_paths()
        content = {
            p for p in files.keys() | self._files.keys() if files.get(p) != self._files.get(p)
        }
        relink = files.keys() != self._files.keys() or users != corpus.notes.keys()
        gone = corpus.notes.keys() - users
        edited = gone | (content & users) | (users - corpus.notes.keys())
        before = tuple(corpus.notes[p] for p in sorted(edited) if p in corpus.notes)
        for path in sorted(gone):
            corpus.remove(path)
        for note in notes_from_store(store, sorted(edited - gone), people, users).values():
            corpus.put(note)
        relinked = self._relink(store, users) - edited if relink else set()
        self._files = files
        return Refresh(False, frozenset(edited), frozenset(relinked), before)

    def _relink(self, store: Store, users: set[str]) -> set[str]:
        """Give every note the links the index holds now; return the notes whose links changed."""
        corpus = self.corpus
        links: dict[str, set[str]] = defaultdict(set)
        for src, path in store.resolved_links():
            if path in users and path != src and src in corpus.notes:
                links[src].add(path)
        changed = set()
        for path, note in list(corpus.notes.items()):
            now = frozenset(links.get(path, ()))
            if now != note.links:
                corpus.put(replace(note, links=now))
                changed.add(path)
        return changed
