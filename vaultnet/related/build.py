"""A corpus built cold from many notes at once: each matrix made in one go, then fitted.

`Corpus.put` adds one note at a time (an edit); a vault of 100,000 notes is built here instead,
from each note's term counts as the index holds them (`RawNote`), into arrays that `Corpus.fit`
then puts in canonical order: the same corpus as putting the notes one by one, in a fraction of
the time.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

import numpy as np

from vaultnet.index.rows import TermColumns, aligned_counts
from vaultnet.related.content import COUNTS, note_name, saturated
from vaultnet.related.corpus import Corpus
from vaultnet.related.notes import NoteData, title_extra
from vaultnet.related.rows import SparseRows
from vaultnet.related.sparse import sp
from vaultnet.related.text import is_text_term


@dataclass(frozen=True, slots=True)
class RawNote:
    """A note as the index gives it: `NoteData` with its terms as words (each once) and their
    term, anchored term and code term counts as arrays aligned with them (`TermColumns`; an
    empty array: none)."""

    path: str
    title: str
    tags: frozenset[str]
    person: bool
    names: tuple[tuple[str, ...], ...]
    words: list[str]
    counts: np.ndarray
    anchored: np.ndarray
    code: np.ndarray
    links: Iterable[str]


NO_TERMS: TermColumns = ("", b"", b"", b"")


def raw_note(
    path: str,
    title: str,
    tags: frozenset[str],
    person: bool,
    names: tuple[tuple[str, ...], ...],
    columns: TermColumns,
    links: Iterable[str],
) -> RawNote:
    """A note from its terms as the index stores them, its title counted `TITLE_COUNT` times (as
    `vaultnet.related.notes.titled` counts it: the index always holds the title's terms, sorted,
    in the terms and the anchored terms; the checks below only keep a note it did not write so
    from going wrong)."""
    words, *blobs = columns
    counts, anchored, code = (np.frombuffer(blob, np.int32) for blob in blobs)
    terms = words.split(" ") if words else []
    extra = title_extra(title)
    at = {term: i for term in extra if (i := _position(terms, term)) is not None}
    if at:
        counts, anchored = counts.copy(), anchored.copy()
        for term, i in at.items():
            counts[i] += extra[term]
            if len(anchored) and anchored[i]:
                anchored[i] += extra[term]
    return RawNote(path, title, tags, person, names, terms, counts, anchored, code, links)


def _position(terms: list[str], term: str) -> int | None:
    """Where `term` is in `terms` (sorted, as the index writes a note's terms: a bisection;
    else a scan), or None."""
    i = bisect_left(terms, term)
    if i < len(terms) and terms[i] == term:
        return i
    try:
        return terms.index(term)
    except ValueError:
        return None


def raw(note: NoteData) -> RawNote:
    words, columns = aligned_counts(dict(note.terms), dict(note.anchored), dict(note.code))
    counts, anchored, code = (np.array(c, dtype=np.int32) for c in columns)
    return RawNote(
        note.path,
        note.title,
        note.tags,
        note.person,
        note.names,
        words,
        counts,
        anchored,
        code,
        note.links,
    )


CHUNK = 2000
"""Notes whose terms are turned into ids at a time: the index gives each note's terms as new
string objects, and 100,000 notes' worth of them would not fit in memory at once."""


class _Columns:
    """The notes' words and their three aligned counts, note by note, turned into three CSR
    matrices: words become ids (`term_of`, in order of first sight) a chunk of notes at a time,
    and only nonzero counts are kept."""

    def __init__(self, term_of: dict[str, int]) -> None:
        self.term_of = term_of
        self.words: list[str] = []
        self.lengths: list[int] = []
        self.pending: tuple[list[np.ndarray], ...] = ([], [], [])
        self.rows = 0
        """Notes flushed so far."""
        self.kept: tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], ...] = ([], [], [])
        """Per matrix, per flush: (each note's number of nonzero counts, their columns, the
        counts)."""

    def add(self, note: RawNote) -> None:
        size = len(note.words)
        self.words.extend(note.words)
        self.lengths.append(size)
        for pending, counts in zip(
            self.pending, (note.counts, note.anchored, note.code), strict=True
        ):
            pending.append(counts if len(counts) else np.zeros(size, np.int32))
        if len(self.words) >= CHUNK * 150:
            self.flush()

    def flush(self) -> None:
        term_of = self.term_of
        for term in dict.fromkeys(self.words):
            if term not in term_of:
                term_of[term] = len(term_of)
        cols = np.fromiter(map(term_of.__getitem__, self.words), np.int32, len(self.words))
        notes = len(self.lengths)
        rows = np.repeat(np.arange(notes, dtype=np.int32), self.lengths)
        for pending, kept in zip(self.pending, self.kept, strict=True):
            counts = np.concatenate(pending) if pending else np.zeros(0, np.int32)
            nonzero = counts != 0
            sizes = np.bincount(rows[nonzero], minlength=notes)
            kept.append((sizes, cols[nonzero], counts[nonzero]))
            pending.clear()
        self.rows += notes
        self.words, self.lengths = [], []

    def matrices(self, width: int) -> Iterator[sp.csr_matrix]:
        """The three matrices (`flush` first), columns by `term_of`'s ids, in the rows' order (a
        note's words are distinct, so no entry repeats)."""
        for kept in self.kept:
            parts = list(zip(*kept, strict=True))
            kept.clear()  # each part freed once joined: at 100k notes, 15 million counts
            sizes, cols, counts = (np.concatenate(part) for part in parts)
            del parts
            indptr = np.zeros(self.rows + 1, dtype=np.int64)
            np.cumsum(sizes, out=indptr[1:])
            yield sp.csr_matrix((counts, cols, indptr), shape=(self.rows, width))


def build(notes: Iterable[NoteData]) -> Corpus:
    """A fitted corpus of `notes` (distinct paths)."""
    return build_raw(map(raw, notes))


def build_raw(notes: Iterable[RawNote]) -> Corpus:
    """A fitted corpus of `notes` (distinct paths)."""
    corpus = Corpus(fitted=False)
    tag_of, folder_of = corpus.tag_of, corpus.folder_of
    term_of: dict[str, int] = {}
    columns = _Columns(term_of)
    links: list[Iterable[str]] = []
    names: list[tuple[tuple[str, ...], ...]] = []
    tag_rows: list[int] = []
    tag_cols: list[int] = []
    person: list[bool] = []
    fid: list[int] = []
    for row, note in enumerate(notes):
        corpus.paths.append(note.path)
        corpus.titles.append(note.title)
        person.append(note.person)
        fid.append(folder_of.setdefault(posixpath.dirname(note.path), len(folder_of)))
        columns.add(note)
        for tag in note.tags:
            tag_rows.append(row)
            tag_cols.append(tag_of.setdefault(tag, len(tag_of)))
        links.append(note.links)
        names.append(note.names)
    corpus.row_of = {path: row for row, path in enumerate(corpus.paths)}
    corpus.name_counts.update(map(note_name, corpus.paths))
    columns.flush()
    for term in chain.from_iterable(chain.from_iterable(names)):
        if term not in term_of:
            term_of[term] = len(term_of)
    # Terms in sorted order (what a fit makes of them anyway), the matrices renumbered once.
    order = sorted(term_of, key=term_of.__getitem__)
    ranked = sorted(range(len(order)), key=order.__getitem__)
    new_id = np.empty(len(order), dtype=np.int32)
    new_id[ranked] = np.arange(len(order), dtype=np.int32)
    corpus.terms = [order[i] for i in ranked]
    corpus.term_of = {term: i for i, term in enumerate(corpus.terms)}
    corpus.tags = list(tag_of)
    corpus.folders = list(folder_of)
    corpus.text_term = np.fromiter(map(is_text_term, corpus.terms), bool, len(corpus.terms))
    rows = len(corpus.paths)
    corpus.alive = np.ones(rows, dtype=bool)
    corpus.person = np.array(person, dtype=bool)
    corpus.fid = np.array(fid, dtype=np.int64)
    width = len(corpus.terms)
    whole, anchored_counts, code_counts = (
        _renumbered(m, new_id, width) for m in columns.matrices(width)
    )
    loose = whole - anchored_counts
    loose.data = np.maximum(loose.data, 0)
    loose.eliminate_zeros()
    corpus.counts, corpus.loose_counts, corpus.code = (
        SparseRows(width, COUNTS, sp.csr_matrix((saturated(m.data), m.indices, m.indptr), m.shape))
        for m in (whole, loose, code_counts)
    )
    tagged = sp.csr_matrix(
        (np.ones(len(tag_rows)), (tag_rows, tag_cols)), shape=(rows, len(corpus.tags))
    )
    corpus.tagged = SparseRows(len(corpus.tags), np.float64, tagged)
    corpus.out = SparseRows(rows, np.float64, _links(corpus, links))
    term_of = corpus.term_of
    named = [r for r, found in enumerate(names) if found]
    corpus.names.bulk(
        named, [[tuple(map(term_of.__getitem__, name)) for name in names[r]] for r in named]
    )
    corpus.fit()
    return corpus


def _renumbered(matrix: sp.csr_matrix, new_id: np.ndarray, width: int) -> sp.csr_matrix:
    found = sp.csr_matrix(
        (matrix.data, new_id[matrix.indices], matrix.indptr), shape=(matrix.shape[0], width)
    )
    found.has_sorted_indices = False
    found.sort_indices()
    return found


def _links(corpus: Corpus, links: list[Iterable[str]]) -> sp.csr_matrix:
    """The link matrix; links to notes not in the corpus wait for them (`Corpus._wanted`)."""
    sources: list[int] = []
    targets: list[int] = []
    row_of = corpus.row_of
    for row, found in enumerate(links):
        for target in found:
            other = row_of.get(target)
            if other is None:
                corpus._wants.setdefault(row, set()).add(target)
                corpus._wanted.setdefault(target, set()).add(row)
            elif other != row:
                sources.append(row)
                targets.append(other)
    rows = len(corpus.paths)
    found = sp.csr_matrix((np.ones(len(sources)), (sources, targets)), shape=(rows, rows))
    found.sum_duplicates()
    found.data[:] = 1.0
    return found
