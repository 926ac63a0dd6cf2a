"""What the related-notes signals read: every note as rows of sparse matrices, fitted.

A `Corpus` is the notes' content (`vaultnet.related.content.Content`) fitted to the vault's
statistics (`fit`, `vaultnet.related.stats`): it also keeps each signal's vectors, the text and
loose vectors (`vaultnet.related.text`), each note's neighbours and folder weights
(`vaultnet.related.vectors`). Between two fits, `put` and `remove` change only the rows of the
note concerned and of the notes its links reach (`dirty` collects them), under the statistics of
the last fit. A fit puts everything in canonical order and builds every row afresh, so a corpus
fitted after any series of edits equals one built cold from the same notes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from vaultnet.related import text, vectors
from vaultnet.related.cols import ones
from vaultnet.related.content import Content
from vaultnet.related.notes import NoteData
from vaultnet.related.rows import SparseRows
from vaultnet.related.stats import Stats, fit_stats

__all__ = ["Corpus", "NoteData"]


class Corpus(Content):
    """The notes as matrix rows, with the signals' vectors (see the module docstring)."""

    def __init__(self, notes: Iterable[NoteData] = (), *, fitted: bool = True) -> None:
        super().__init__()
        self.stats: Stats | None = None
        self.x = SparseRows(0, np.float32)
        """Row -> the note's unit-length text vector over the terms."""
        self.loose = SparseRows(0, np.float32)
        """Row -> the unit-length vector of the note's loose lines."""
        self.adj = SparseRows(0)
        """Row -> its neighbours (linked either way), 1.0 each."""
        self.fw = SparseRows(0)
        """Row -> the weight of each folder for the folder signal."""
        self.generation = 0
        """How many times this corpus was fitted (rankings are kept for one fit)."""
        for note in notes:
            self.put(note)
        if fitted:
            self.fit()

    def fit(self) -> None:
        """Take the vault's statistics afresh and rebuild every signal row under them, with
        rows, terms, tags and folders in canonical order (the module docstring)."""
        self.canonical()
        self.generation += 1
        self.stats = _stats(self)
        self.names.rescore(self.stats)
        self.signal_rows()
        self.dirty = set(range(len(self.paths)))

    def signal_rows(self) -> None:
        """Build every note's text, loose, neighbour and folder rows under `stats`."""
        assert self.stats is not None
        idf = self.stats.idf(self.text_terms())
        counts, code = self.counts.matrix(), self.code.matrix()
        self.x = SparseRows(len(self.terms), np.float32, text.unit_rows(counts, code, idf))
        loose = text.unit_rows(self.loose_counts.matrix(), code, idf)
        self.loose = SparseRows(len(self.terms), np.float32, loose)
        out, count = self.out.matrix(), len(self.paths)
        self.adj = SparseRows(count, np.float64, vectors.neighbour_matrix(out))
        sizes = np.array([self.stats.size(f) for f in range(len(self.folders))], dtype=np.float64)
        rows = vectors.folder_rows(out, self.fid[:count], self.alive[:count], sizes)
        self.fw = SparseRows(len(self.folders), np.float64, rows)

    def text_terms(self) -> np.ndarray:
        return self.text_term[: len(self.terms)]

    def folder_row(
        self, row: int, targets: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """`row`'s folder weights (none for a removed note); `targets`: the rows it links to,
        when not those it has."""
        if not self.alive[row] or self.stats is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        if targets is None:
            targets = self.out.row(row)[0]
        return vectors.folder_row(self.fid[targets], int(self.fid[row]), self.stats.size)

    # --- the hooks of `Content`: keep the signal rows of what changed up to date ---------------

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
        self.fw.set(row, *self.folder_row(row))
        changed = np.setxor1d(links_before, self.out.row(row)[0])
        for other in [row, *changed.tolist()]:
            found = np.zeros(0, dtype=np.int32)
            if self.alive[other]:
                found = vectors.neighbour_row(
                    self.out.row(other)[0], self.out.column(other)[0], other
                )
            self.adj.set(other, *ones(found))
            self.dirty.add(other)

    def _people_changed(self, row: int) -> None:
        """A note became or stopped being a person: the notes linking it share it or not."""
        stats = self.stats
        if stats is not None and row < len(stats.people) and stats.people[row] > 0.0:
            self.dirty.update(self.out.column(row)[0].tolist())

    def _name_stats(self) -> Stats | None:
        return self.stats

    def _grow(self, rows: int = 0, terms: int = 0, folders: int = 0) -> None:
        super()._grow(rows, terms, folders)
        self.adj.grow(rows, rows)
        self.x.grow(cols=terms)
        self.loose.grow(cols=terms)
        self.fw.grow(cols=folders)


def _stats(corpus: Corpus) -> Stats:
    alive = corpus.alive[: len(corpus.paths)]
    out = corpus.out.matrix()
    return fit_stats(
        int(alive.sum()),
        corpus.counts.column_counts()[: len(corpus.terms)],
        corpus.text_terms(),
        corpus.tagged.column_counts()[: len(corpus.tags)],
        np.diff(vectors.neighbour_matrix(out).indptr),
        np.asarray((out > 0).sum(axis=0)).ravel().astype(np.int64),
        np.bincount(corpus.fid[: len(corpus.paths)][alive], minlength=len(corpus.folders)),
        corpus.person[: len(corpus.paths)],
    )
