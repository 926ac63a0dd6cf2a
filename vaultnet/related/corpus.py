"""What the related-notes signals read: every note as rows of sparse matrices.

The content of each note (term counts, loose and code counts, tags, links, names, folder) is
kept as one row per note (`vaultnet.related.rows.SparseRows`); fitted to the vault's statistics
(`fit`, `vaultnet.related.stats`), the corpus also keeps each signal's vectors: the text and
loose vectors (`vaultnet.related.text`), the link neighbours, the folder weights. `put` and
`remove` change one note: its rows, and the rows of the notes its links reach; the notes whose
rows changed are collected in `dirty` for whoever keeps rankings up to date.

A fit puts the rows, terms, tags and folders in a canonical order (by path, by term, ...), so a
corpus fitted after any series of edits equals one built cold from the same notes.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from vaultnet.related import folders, graph, text
from vaultnet.related.mentions import Names
from vaultnet.related.notes import NoteData
from vaultnet.related.rows import EMPTY_INT, SparseRows
from vaultnet.related.stats import Stats, fit_stats
from vaultnet.vault.resolve import fold, note_stem

EMPTY_F = np.zeros(0, dtype=np.float64)
_ONE: dict[str, np.ndarray] = {}


class Corpus:
    """The notes as matrix rows (see the module docstring)."""

    def __init__(self, notes: Iterable[NoteData] = (), *, fitted: bool = True) -> None:
        self.paths: list[str] = []
        self.row_of: dict[str, int] = {}
        self.titles: list[str] = []
        self.alive = np.zeros(0, dtype=bool)
        self.person = np.zeros(0, dtype=bool)
        self.fid = np.zeros(0, dtype=np.int64)
        self.folders: list[str] = []
        self.folder_of: dict[str, int] = {}
        self.terms: list[str] = []
        self.term_of: dict[str, int] = {}
        self.text_term = np.zeros(0, dtype=bool)
        self.tags: list[str] = []
        self.tag_of: dict[str, int] = {}
        self.counts = SparseRows(0, np.int32)
        self.loose_counts = SparseRows(0, np.int32)
        self.code = SparseRows(0, np.int32)
        self.tagged = SparseRows(0)
        self.out = SparseRows(0)
        """Row -> the notes it links to (in the corpus, never itself), 1.0 each."""
        self.names = Names()
        self.name_counts: Counter[str] = Counter()
        self._wanted: dict[str, set[int]] = {}
        """A path not in the corpus -> the rows that link to it (linked once it comes)."""
        self._wants: dict[int, set[str]] = {}
        self.stats: Stats | None = None
        self.x = SparseRows(0, np.float32)
        self.loose = SparseRows(0, np.float32)
        self.adj = SparseRows(0)
        """Row -> its neighbours (linked either way), 1.0 each."""
        self.fw = SparseRows(0)
        """Row -> the weight of each folder for the folder signal."""
        self.dirty: set[int] = set()
        """Rows whose signal rows changed since the caller last emptied this."""
        self.generation = 0
        """How many times this corpus was fitted (rankings are kept for one fit)."""
        for note in notes:
            self.put(note)
        if fitted:
            self.fit()

    # --- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.alive.sum())

    def __contains__(self, path: str) -> bool:
        row = self.row_of.get(path)
        return row is not None and bool(self.alive[row])

    def live_paths(self) -> list[str]:
        return [p for p, a in zip(self.paths, self.alive.tolist(), strict=False) if a]

    def links(self, path: str) -> frozenset[str]:
        """The notes `path` links to (in the corpus)."""
        row = self.row_of.get(path)
        if row is None:
            return frozenset()
        return frozenset(self.paths[c] for c in self.out.row(row)[0].tolist())

    def waiting(self, path: str) -> frozenset[str]:
        """The paths `path` links to that are not in the corpus (yet)."""
        row = self.row_of.get(path)
        return frozenset(self._wants.get(row, ())) if row is not None else frozenset()

    def links_to(self, source: str, target: str) -> bool:
        a, b = self.row_of.get(source), self.row_of.get(target)
        return a is not None and b is not None and _has(self.out.row(a)[0], b)

    def neighbours(self, path: str) -> set[str]:
        """Notes linked with `path` in either direction."""
        row = self.row_of.get(path)
        if row is None or not self.alive[row]:
            return set()
        found = set(self.out.row(row)[0].tolist()) | set(self.out.column(row)[0].tolist())
        found.discard(row)
        return {self.paths[r] for r in found}

    def name_count(self, name: str) -> int:
        """How many notes are called `name` to Obsidian (`resolve.fold`)."""
        return self.name_counts[fold(name)]

    def tags_of(self, path: str) -> frozenset[str]:
        row = self.row_of.get(path)
        if row is None:
            return frozenset()
        return frozenset(self.tags[t] for t in self.tagged.row(row)[0].tolist())

    def is_person(self, path: str) -> bool:
        row = self.row_of.get(path)
        return row is not None and bool(self.person[row])

    def note(self, path: str) -> NoteData:
        """The record this corpus holds for `path` (as `put` took it, links to absent notes
        aside)."""
        row = self.row_of[path]
        terms = self._pairs(self.counts.row(row))
        loose = dict(self._pairs(self.loose_counts.row(row)))
        anchored = tuple((t, n - loose.get(t, 0)) for t, n in terms if n > loose.get(t, 0))
        names = tuple(tuple(self.terms[t] for t in name) for name in self.names.rows_names(row))
        return NoteData(
            path,
            self.titles[row],
            self.tags_of(path),
            terms,
            self.links(path) | frozenset(self._wants.get(row, ())),
            bool(self.person[row]),
            names,
            anchored,
            self._pairs(self.code.row(row)),
        )

    def _pairs(self, row: tuple[np.ndarray, np.ndarray]) -> tuple[tuple[str, int], ...]:
        return tuple(
            sorted(zip((self.terms[c] for c in row[0].tolist()), row[1].tolist(), strict=True))
        )

    # --- changing -----------------------------------------------------------------------------

    def put(self, note: NoteData) -> None:
        """Add a note, or replace the note with the same path."""
        row = self.row_of.get(note.path)
        if row is None:
            row = self._new_row(note.path)
        elif self.alive[row]:
            self._unname(row)
            if self.person[row] != note.person:
                self._people_changed(row)
        self.alive[row] = True
        self.titles[row] = note.title
        self.person[row] = note.person
        self.fid[row] = self._folder(posixpath.dirname(note.path))
        self.name_counts[_name(note.path)] += 1
        counts = self._term_row(note.terms)
        self.counts.set(row, *counts)
        self.loose_counts.set(row, *self._term_row(note.loose()))
        self.code.set(row, *self._term_row(note.code))
        self.tagged.set(row, *_ones(sorted({self._tag(t) for t in note.tags})))
        self.names.set(row, [tuple(self._term(t) for t in name) for name in note.names], self.stats)
        before = self.out.row(row)[0]
        self._link(row, note.links)
        for source in sorted(self._wanted.pop(note.path, ())):  # notes waiting for this one
            self._wants[source].discard(note.path)
            self._relink(source, np.union1d(self.out.row(source)[0], [row]).astype(np.int32))
        self._refresh(row, before)

    def set_links(self, path: str, links: Iterable[str]) -> None:
        """Replace the links of the note at `path` (what they resolve to changed)."""
        row = self.row_of[path]
        before = self.out.row(row)[0]
        self._link(row, links)
        if not np.array_equal(before, self.out.row(row)[0]):
            self._refresh(row, before)

    def remove(self, path: str) -> None:
        row = self.row_of.get(path)
        if row is None or not self.alive[row]:
            return
        self._unname(row)
        self.alive[row] = False
        before = self.out.row(row)[0]
        for matrix in (self.counts, self.loose_counts, self.code, self.tagged, self.out):
            matrix.clear(row)
        self.names.clear(row)
        for source in self.out.column(row)[0].tolist():
            self._wants.setdefault(source, set()).add(path)
            self._wanted.setdefault(path, set()).add(source)
            self._relink(source, np.setdiff1d(self.out.row(source)[0], [row]).astype(np.int32))
        for wanted in self._wants.pop(row, set()):
            self._wanted[wanted].discard(row)
        self._refresh(row, before)

    def _people_changed(self, row: int) -> None:
        """A note became or stopped being a person: the notes linking it share it or not."""
        stats = self.stats
        if stats is not None and row < len(stats.people) and stats.people[row] > 0.0:
            self.dirty.update(self.out.column(row)[0].tolist())

    def _new_row(self, path: str) -> int:
        row = len(self.paths)
        self.paths.append(path)
        self.titles.append("")
        self.row_of[path] = row
        if row >= len(self.alive):
            size = max(16, 2 * row)
            self.alive = np.resize(self.alive, size)
            self.alive[row:] = False
            self.person = np.resize(self.person, size)
            self.fid = np.resize(self.fid, size)
        for matrix in (self.out, self.adj):
            matrix.grow(row + 1, row + 1)
        return row

    def _unname(self, row: int) -> None:
        self.name_counts[_name(self.paths[row])] -= 1

    def _link(self, row: int, links: Iterable[str]) -> None:
        for wanted in self._wants.pop(row, set()):
            self._wanted[wanted].discard(row)
        targets = set()
        for target in links:
            other = self.row_of.get(target)
            if other is not None and self.alive[other]:
                targets.add(other)
            elif target != self.paths[row]:
                self._wants.setdefault(row, set()).add(target)
                self._wanted.setdefault(target, set()).add(row)
        targets.discard(row)
        self.out.set(row, *_ones(sorted(targets)))

    def _relink(self, source: int, targets: np.ndarray) -> None:
        """Set `source`'s link targets (a note it links to came or went)."""
        before = self.out.row(source)[0]
        self.out.set(source, *_ones(targets.tolist()))
        self._refresh(source, before)

    def _refresh(self, row: int, links_before: np.ndarray) -> None:
        """Bring `row`'s signal rows up to date, and the neighbour rows of the notes whose
        links with it changed."""
        self.dirty.add(row)
        stats = self.stats
        if stats is None:
            return
        idf = stats.idf(self.text_term)
        width = len(self.terms)
        tf_cols, tf = self.counts.row(row)
        code = text.aligned_row(tf_cols, self.code.row(row))
        self.x.set(row, *text.unit_row(tf_cols, tf, code, idf, width))
        loose_cols, loose = self.loose_counts.row(row)
        loose_code = np.minimum(text.aligned_row(loose_cols, self.code.row(row)), loose)
        self.loose.set(row, *text.unit_row(loose_cols, loose, loose_code, idf, width))
        self.fw.set(row, *folders.weight_row(self, row))
        after = self.out.row(row)[0]
        changed = np.setxor1d(links_before, after)
        for other in [row, *changed.tolist()]:
            self.adj.set(other, *_ones(graph.neighbour_row(self, other).tolist()))
            self.dirty.add(other)

    def _term_row(self, pairs: Iterable[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        found = sorted((self._term(t), n) for t, n in pairs if n > 0)
        if not found:
            return EMPTY_INT, np.zeros(0, dtype=np.int32)
        cols, values = zip(*found, strict=True)
        return np.array(cols, dtype=np.int32), np.array(values, dtype=np.int32)

    def _term(self, term: str) -> int:
        found = self.term_of.get(term)
        if found is None:
            found = self.term_of[term] = len(self.terms)
            self.terms.append(term)
            if found >= len(self.text_term):
                self.text_term = np.resize(self.text_term, max(64, 2 * found))
            self.text_term[found] = text.is_text_term(term)
            for matrix in (self.counts, self.loose_counts, self.code, self.x, self.loose):
                matrix.grow(cols=found + 1)
        return found

    def _tag(self, tag: str) -> int:
        found = self.tag_of.get(tag)
        if found is None:
            found = self.tag_of[tag] = len(self.tags)
            self.tags.append(tag)
            self.tagged.grow(cols=found + 1)
        return found

    def _folder(self, folder: str) -> int:
        found = self.folder_of.get(folder)
        if found is None:
            found = self.folder_of[folder] = len(self.folders)
            self.folders.append(folder)
            self.fw.grow(cols=found + 1)
        return found

    # --- fitting ------------------------------------------------------------------------------

    def fit(self) -> None:
        """Take the vault's statistics afresh and rebuild every signal row under them, with
        rows, terms, tags and folders in canonical order (the module docstring)."""
        from vaultnet.related.refit import canonical, signal_rows

        canonical(self)
        self.generation += 1
        self.stats = _stats(self)
        self.names.rescore(self.stats)
        signal_rows(self)
        self.dirty = set(range(len(self.paths)))

    def text_terms(self) -> np.ndarray:
        return self.text_term[: len(self.terms)]


def _stats(corpus: Corpus) -> Stats:
    alive = corpus.alive[: len(corpus.paths)]
    out = corpus.out.matrix()
    neighbours = ((out + out.T) > 0).astype(np.float64)
    neighbours.setdiag(0)
    neighbours.eliminate_zeros()
    return fit_stats(
        int(alive.sum()),
        corpus.counts.column_counts()[: len(corpus.terms)],
        corpus.text_terms(),
        corpus.tagged.column_counts()[: len(corpus.tags)],
        np.diff(neighbours.indptr),
        np.asarray((out > 0).sum(axis=0)).ravel().astype(np.int64),
        np.bincount(corpus.fid[: len(corpus.paths)][alive], minlength=len(corpus.folders)),
    )


def _ones(cols: list[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cols = np.asarray(cols, dtype=np.int32)
    return cols, np.ones(len(cols), dtype=np.float64)


def _has(cols: np.ndarray, col: int) -> bool:
    at = int(np.searchsorted(cols, col))
    return at < len(cols) and int(cols[at]) == col


def _name(path: str) -> str:
    return fold(note_stem(path))


__all__ = ["EMPTY_F", "Corpus", "NoteData", "sp"]
