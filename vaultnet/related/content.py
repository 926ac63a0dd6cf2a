"""The notes' content as rows of sparse matrices: what the related-notes signals are made of.

Each note is one row (`vaultnet.related.rows.SparseRows`) of its term counts, loose and code
counts, tags and links (to notes in the corpus; a link to a note not there yet waits for it), with
its names (`vaultnet.related.mentions.Names`), title, folder and whether it is a person. `put` and
`remove` change one note's rows, and the link rows of the notes waiting for it; the rows that
changed are collected in `dirty`. `vaultnet.related.corpus.Corpus` adds the signals' vectors,
fitted to the vault's statistics.

`canonical` renumbers everything by name (rows by path, terms by term, ...), so a corpus after
any series of edits, renumbered, holds what a cold build holds.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable

import numpy as np

from vaultnet.related.cols import has, ones
from vaultnet.related.mentions import Names
from vaultnet.related.notes import NoteData
from vaultnet.related.rows import EMPTY_INT, SparseRows
from vaultnet.related.sparse import sp
from vaultnet.related.stats import Stats
from vaultnet.related.text import is_text_term
from vaultnet.vault.resolve import fold, note_stem

COUNTS = np.uint16
"""The dtype of the term counts (`counts`, `loose_counts`, `code`): two bytes an entry, and a word
written more than 65,535 times in one note counts 65,535 (`saturated`). As int32 they and the
counts' transpose held about 80 MB more at 100,000 notes, and a first `generate` peaked 130 MiB
higher (docs/benchmarks.md)."""


def saturated(values: np.ndarray) -> np.ndarray:
    """Counts as `COUNTS`, any above its largest value at that value."""
    return np.minimum(values, np.iinfo(COUNTS).max).astype(COUNTS)


class Content:
    """The notes' content as matrix rows (see the module docstring)."""

    def __init__(self) -> None:
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
        self.counts = SparseRows(0, COUNTS)
        self.loose_counts = SparseRows(0, COUNTS)
        self.code = SparseRows(0, COUNTS)
        self.tagged = SparseRows(0)
        self.out = SparseRows(0)
        """Row -> the notes it links to (in the corpus, never itself), 1.0 each."""
        self.names = Names()
        self.name_counts: Counter[str] = Counter()
        self._wanted: dict[str, set[int]] = {}
        """A path not in the corpus -> the rows that link to it (linked once it comes)."""
        self._wants: dict[int, set[str]] = {}
        self.dirty: set[int] = set()
        """Rows whose content (or links) changed since the caller last emptied this."""

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
        return a is not None and b is not None and has(self.out.row(a)[0], b)

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
        self.name_counts[note_name(note.path)] += 1
        counts = self._term_row(note.terms)
        self.counts.set(row, *counts)
        self.loose_counts.set(row, *self._term_row(note.loose()))
        self.code.set(row, *self._term_row(note.code))
        self.tagged.set(row, *ones(sorted({self._tag(t) for t in note.tags})))
        names = [tuple(self._term(t) for t in name) for name in note.names]
        self.names.set(row, names, self._name_stats())
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
        """A note became or stopped being a person (what the fitted corpus acts on)."""

    def _refresh(self, row: int, links_before: np.ndarray) -> None:
        """`row`'s content changed (its links were `links_before`)."""
        self.dirty.add(row)

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
        self._grow(rows=row + 1)
        return row

    def _name_stats(self) -> Stats | None:
        """The statistics names are scored with (None before a fit)."""
        return None

    def _grow(self, rows: int = 0, terms: int = 0, folders: int = 0) -> None:
        """Make room for more rows, terms or folders."""
        self.out.grow(rows, rows)
        for matrix in (self.counts, self.loose_counts, self.code):
            matrix.grow(cols=terms)

    def _unname(self, row: int) -> None:
        self.name_counts[note_name(self.paths[row])] -= 1

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
        self.out.set(row, *ones(sorted(targets)))

    def _relink(self, source: int, targets: np.ndarray) -> None:
        """Set `source`'s link targets (a note it links to came or went)."""
        before = self.out.row(source)[0]
        self.out.set(source, *ones(targets.tolist()))
        self._refresh(source, before)

    def _term_row(self, pairs: Iterable[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        found = sorted((self._term(t), n) for t, n in pairs if n > 0)
        if not found:
            return EMPTY_INT, np.zeros(0, dtype=COUNTS)
        cols, values = zip(*found, strict=True)
        return np.array(cols, dtype=np.int32), saturated(np.array(values, dtype=np.int64))

    def _term(self, term: str) -> int:
        found = self.term_of.get(term)
        if found is None:
            found = self.term_of[term] = len(self.terms)
            self.terms.append(term)
            if found >= len(self.text_term):
                self.text_term = np.resize(self.text_term, max(64, 2 * found))
            self.text_term[found] = is_text_term(term)
            self._grow(terms=found + 1)
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
            self._grow(folders=found + 1)
        return found

    def canonical(self) -> None:
        """Renumber in canonical order: removed notes dropped, rows by path, terms, tags and
        folders by name (what a cold build gives)."""
        count = len(self.paths)
        alive = self.alive[:count]
        rows = sorted(np.flatnonzero(alive).tolist(), key=self.paths.__getitem__)
        row_map = np.full(count, -1, dtype=np.int64)
        row_map[rows] = np.arange(len(rows))
        same_rows = len(rows) == count and bool(np.all(row_map == np.arange(count)))
        counts = self.counts.matrix() if same_rows else self.counts.matrix()[rows]
        used = np.zeros(len(self.terms), dtype=bool)
        used[counts.indices] = True
        for row in rows:
            for name in self.names.rows_names(row):
                used[list(name)] = True  # names count too (a name's word is a term)
        terms = sorted(np.flatnonzero(used).tolist(), key=self.terms.__getitem__)
        term_map = _order(terms, len(self.terms))
        same_terms = len(terms) == len(self.terms) and terms == list(range(len(terms)))
        tagged = self.tagged.matrix()[rows]
        tags = sorted(set(tagged.indices.tolist()), key=self.tags.__getitem__)
        tag_map = _order(tags, len(self.tags))
        fids = self.fid[:count][rows]
        folder_ids = sorted(set(fids.tolist()), key=self.folders.__getitem__)
        folder_map = _order(folder_ids, len(self.folders))
        wants = {int(row_map[r]): paths for r, paths in self._wants.items() if row_map[r] >= 0}

        width = len(terms)
        if not (same_rows and same_terms):
            self.counts = renumbered(counts, term_map, width, COUNTS)
            loose = self.loose_counts.matrix()[rows]
            self.loose_counts = renumbered(loose, term_map, width, COUNTS)
            self.code = renumbered(self.code.matrix()[rows], term_map, width, COUNTS)
        self.tagged = renumbered(tagged, tag_map, len(tags), np.float64)
        self.out = renumbered(self.out.matrix()[rows], row_map, len(rows), np.float64)
        self.paths = [self.paths[r] for r in rows]
        self.titles = [self.titles[r] for r in rows]
        self.row_of = {path: row for row, path in enumerate(self.paths)}
        self.alive = np.ones(len(rows), dtype=bool)
        self.person = self.person[:count][rows].copy()
        self.fid = folder_map[fids].astype(np.int64)
        if not same_terms:
            self.terms = [self.terms[t] for t in terms]
            self.term_of = {term: t for t, term in enumerate(self.terms)}
            self.text_term = np.array([is_text_term(t) for t in self.terms], dtype=bool)
        self.tags = [self.tags[t] for t in tags]
        self.tag_of = {tag: t for t, tag in enumerate(self.tags)}
        self.folders = [self.folders[f] for f in folder_ids]
        self.folder_of = {folder: f for f, folder in enumerate(self.folders)}
        self._wants = wants
        self._wanted = {}
        for row, paths in wants.items():
            for path in paths:
                self._wanted.setdefault(path, set()).add(row)
        if not (same_rows and same_terms):
            self.names.remap(row_map, term_map)


def renumbered(matrix: sp.csr_matrix, col_map: np.ndarray, width: int, dtype: type) -> SparseRows:
    """`matrix` with its columns renumbered by `col_map` (no kept entry maps to -1)."""
    matrix = matrix.tocsr()
    cols = col_map[matrix.indices] if matrix.nnz else np.zeros(0, dtype=np.int64)
    found = sp.csr_matrix(
        (matrix.data.astype(dtype), cols.astype(np.int32), matrix.indptr.copy()),
        shape=(matrix.shape[0], width),
    )
    found.has_sorted_indices = False
    found.sort_indices()
    return SparseRows(width, dtype, found)


def _order(kept: list[int], size: int) -> np.ndarray:
    found = np.full(size, -1, dtype=np.int64)
    found[kept] = np.arange(len(kept))
    return found


def note_name(path: str) -> str:
    """A note's name as Obsidian compares names."""
    return fold(note_stem(path))
