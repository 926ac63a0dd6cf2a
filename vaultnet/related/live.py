"""A corpus kept equal to a cold build from the index across runs, for a long-running process
(the watcher's related generator) and between processes (`vaultnet.related.saved`): each refresh
reads again only the notes that changed.

What changed is found by comparing the index with a snapshot taken at the last refresh, never
from the paths a caller says it changed, so a rescan, a missed event or an interrupted run cannot
leave the corpus behind:
- a note whose (content hash, kind) in the index changed, or that became or stopped being a user
  note, is read again (its words, tags, names and links are a function of its content);
- links can also change with no edit to the note that holds them: a file that comes or goes
  changes what links with its name resolve to (the index re-resolves exactly those), and a link
  counts only to a user note. The notes holding such links, or links to a note that became or
  stopped being a user note, get their links read again;
- anything that changes how every note reads (the index's settings fingerprint, its root, the
  `[people]` settings) rebuilds the corpus cold.
`Corpus.put`/`remove` change only the rows of the notes concerned (the vault's statistics are
the last fit's, `vaultnet.related.stats`), and collect them in `Corpus.dirty`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vaultnet.index.rows import FileState, changed_files
from vaultnet.index.view import IndexView
from vaultnet.people.config import PeopleConfig
from vaultnet.related import load
from vaultnet.related.corpus import Corpus
from vaultnet.vault.resolve import file_name


@dataclass(frozen=True, slots=True)
class Refresh:
    """What one refresh changed."""

    rebuilt: bool
    """The corpus was built cold (first use, or settings changed): `edited` is empty."""
    edited: frozenset[str] = frozenset()
    """Notes whose content changed, or that came or went (as user notes)."""
    relinked: frozenset[str] = frozenset()
    """Other notes whose links changed (a note they link to came or went)."""
    before: dict[str, frozenset[str]] | None = None
    """The links the edited notes had before (those that were in the corpus)."""
    people: frozenset[str] = frozenset()
    """The edited notes that were or are people (who counts as a contact may have changed)."""

    @property
    def changed(self) -> bool:
        return self.rebuilt or bool(self.edited or self.relinked)


@dataclass(frozen=True, slots=True)
class Basis:
    """What every note's record depends on: when it changes, the corpus is rebuilt."""

    index: str
    fingerprint: str | None
    root: str | None
    people: PeopleConfig


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A `LiveCorpus`'s whole state, to carry it to another process (`vaultnet.related.saved`)."""

    basis: str
    """`repr` of the `Basis` (comparable across processes)."""
    files: Mapping[str, FileState]
    corpus: Corpus


class LiveCorpus:
    """`corpus`, refreshed from the index by `refresh(store, people)`."""

    def __init__(self) -> None:
        self.corpus = Corpus()
        self._basis: str | None = None
        self._files: Mapping[str, FileState] = {}
        self.changed = False
        """Whether a refresh changed anything since the last `snapshot` or `restore`."""

    def snapshot(self) -> Snapshot | None:
        """The state to carry over (None before the first refresh); it shares the corpus."""
        if self._basis is None:
            return None
        self.changed = False
        return Snapshot(self._basis, self._files, self.corpus)

    def restore(self, snapshot: Snapshot) -> None:
        """Continue from `snapshot`: the next refresh reads only what changed since it."""
        self.corpus, self._basis, self._files = snapshot.corpus, snapshot.basis, snapshot.files
        self.changed = False

    def refresh(self, store: IndexView, people: PeopleConfig) -> Refresh:
        """Bring `corpus` up to date with `store` (read under the `people` settings)."""
        basis = repr(Basis(*load.basis_of(store), people))
        files = load.file_states(store)
        if basis != self._basis:
            self.corpus = load.corpus_from_store(store, people)
            self._basis, self._files = basis, files
            self.changed = True
            return Refresh(rebuilt=True)
        corpus, old = self.corpus, self._files
        users = load.user_notes(store)
        present = set(corpus.live_paths())
        content, came_or_went = changed_files(old, files)
        flipped = users ^ present
        gone = present - users
        edited = gone | (content & users) | flipped
        before = {p: corpus.links(p) for p in sorted(edited) if p in present}
        persons = {p for p in edited if corpus.is_person(p)}
        for path in sorted(gone):
            corpus.remove(path)
        for note in load.notes_from_store(store, sorted(edited - gone), people, users).values():
            corpus.put(note)
        persons |= {p for p in edited if corpus.is_person(p)}
        relinked = self._relink(store, users, came_or_went, flipped, edited)
        self._files = files
        self.changed |= bool(content or edited or relinked)
        return Refresh(False, frozenset(edited), frozenset(relinked), before, frozenset(persons))

    def _relink(
        self,
        store: IndexView,
        users: set[str],
        came_or_went: set[str],
        flipped: set[str],
        fresh: set[str],
    ) -> set[str]:
        """Read again the links of the notes whose links can resolve elsewhere (to a file that
        came or went, by name) or count differently (to a note that `flipped` in or out of the
        user notes), except the `fresh` ones; return those whose links changed."""
        sources: set[str] = set()
        if came_or_went:
            sources |= load.sources_named(store, {file_name(path) for path in came_or_went})
        if flipped:
            sources |= load.sources_linking(store, flipped)
        corpus = self.corpus
        stale = sorted(p for p in sources - fresh if p in corpus)
        links = load.links_of(store, stale, users)
        changed = set()
        for path in stale:
            now = frozenset(links.get(path, ()))
            if now != corpus.links(path) | corpus.waiting(path):
                corpus.set_links(path, now)
                changed.add(path)
        return changed
