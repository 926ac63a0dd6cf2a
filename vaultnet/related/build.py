"""A corpus built cold from many notes at once: each matrix made in one go, then fitted.

`Corpus.put` adds one note at a time (an edit); a vault of 100,000 notes is built here instead,
from each note's term counts as the index holds them (`RawNote`), into arrays that `Corpus.fit`
then puts in canonical order: the same corpus as putting the notes one by one, in a fraction of
the time.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp

from vaultnet.related.content import note_name
from vaultnet.related.corpus import Corpus
from vaultnet.related.notes import NoteData
from vaultnet.related.rows import SparseRows
from vaultnet.related.text import is_text_term


@dataclass(frozen=True, slots=True)
class RawNote:
    """A note as the index gives it: `NoteData` with its counts as mappings."""

    path: str
    title: str
    tags: frozenset[str]
    person: bool
    names: tuple[tuple[str, ...], ...]
    counts: Mapping[str, int]
    anchored: Mapping[str, int]
    code: Mapping[str, int]
    links: Iterable[str]


def raw(note: NoteData) -> RawNote:
    return RawNote(
        note.path,
        note.title,
        note.tags,
        note.person,
        note.names,
        dict(note.terms),
        dict(note.anchored),
        dict(note.code),
        note.links,
    )


class _Counts:
    """The (term, count) mappings of one matrix, note by note, turned into CSR in one pass."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.values: list[int] = []
        self.lengths: list[int] = []

    def add(self, counts: Mapping[str, int]) -> None:
        self.keys.extend(counts)
        self.values.extend(counts.values())
        self.lengths.append(len(counts))

    def matrix(self, term_of: dict[str, int]) -> sp.csr_matrix:
        cols = np.fromiter(map(term_of.__getitem__, self.keys), np.int64, len(self.keys))
        indptr = np.concatenate([[0], np.cumsum(self.lengths, dtype=np.int64)])
        values = np.array(self.values, dtype=np.int32)
        found = sp.csr_matrix((values, cols, indptr), shape=(len(self.lengths), len(term_of)))
        found.sum_duplicates()
        found.sort_indices()
        found.eliminate_zeros()
        return found


def build(notes: Iterable[NoteData]) -> Corpus:
    """A fitted corpus of `notes` (distinct paths)."""
    return build_raw(map(raw, notes))


def build_raw(notes: Iterable[RawNote]) -> Corpus:
    """A fitted corpus of `notes` (distinct paths)."""
    corpus = Corpus(fitted=False)
    tag_of, folder_of = corpus.tag_of, corpus.folder_of
    counts, anchored, code = _Counts(), _Counts(), _Counts()
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
        counts.add(note.counts)
        anchored.add(note.anchored)
        code.add(note.code)
        for tag in note.tags:
            tag_rows.append(row)
            tag_cols.append(tag_of.setdefault(tag, len(tag_of)))
        links.append(note.links)
        names.append(note.names)
    corpus.row_of = {path: row for row, path in enumerate(corpus.paths)}
    corpus.name_counts.update(map(note_name, corpus.paths))
    name_terms = chain.from_iterable(chain.from_iterable(names))
    corpus.term_of = {t: i for i, t in enumerate(sorted(set(chain(counts.keys, name_terms))))}
    corpus.terms = list(corpus.term_of)
    corpus.tags = list(tag_of)
    corpus.folders = list(folder_of)
    corpus.text_term = np.fromiter(map(is_text_term, corpus.terms), bool, len(corpus.terms))
    rows = len(corpus.paths)
    corpus.alive = np.ones(rows, dtype=bool)
    corpus.person = np.array(person, dtype=bool)
    corpus.fid = np.array(fid, dtype=np.int64)
    width = len(corpus.terms)
    whole = counts.matrix(corpus.term_of)
    loose = whole - anchored.matrix(corpus.term_of)
    loose.data = np.maximum(loose.data, 0)
    loose.eliminate_zeros()
    corpus.counts = SparseRows(width, np.int32, whole)
    corpus.loose_counts = SparseRows(width, np.int32, loose.astype(np.int32))
    corpus.code = SparseRows(width, np.int32, code.matrix(corpus.term_of))
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
