"""Fitting a corpus: its rows put in canonical order, and every signal row built at once.

`canonical` drops removed notes and orders rows by path, terms by term, tags by tag and folders
by folder, whatever order the notes came in; `signal_rows` builds the text, loose, neighbour and
folder rows of every note under the corpus's statistics with the same functions a single edit
uses, so a corpus fitted after edits and one built cold hold the same floats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from vaultnet.related import folders, graph, text
from vaultnet.related.rows import SparseRows

if TYPE_CHECKING:
    from vaultnet.related.corpus import Corpus


def canonical(corpus: Corpus) -> None:
    """Renumber `corpus` in canonical order (see the module docstring)."""
    count = len(corpus.paths)
    alive = corpus.alive[:count]
    rows = sorted(np.flatnonzero(alive).tolist(), key=corpus.paths.__getitem__)
    row_map = np.full(count, -1, dtype=np.int64)
    row_map[rows] = np.arange(len(rows))
    same_rows = len(rows) == count and bool(np.all(row_map == np.arange(count)))
    counts = corpus.counts.matrix() if same_rows else corpus.counts.matrix()[rows]
    used = np.zeros(len(corpus.terms), dtype=bool)
    used[counts.indices] = True
    for row in rows:
        for name in corpus.names.rows_names(row):
            used[list(name)] = True  # names count too (a name's word is a term)
    terms = sorted(np.flatnonzero(used).tolist(), key=corpus.terms.__getitem__)
    term_map = _map(terms, len(corpus.terms))
    same_terms = len(terms) == len(corpus.terms) and terms == list(range(len(terms)))
    tagged = corpus.tagged.matrix()[rows]
    tags = sorted(set(tagged.indices.tolist()), key=corpus.tags.__getitem__)
    tag_map = _map(tags, len(corpus.tags))
    fids = corpus.fid[:count][rows]
    folder_ids = sorted(set(fids.tolist()), key=corpus.folders.__getitem__)
    folder_map = _map(folder_ids, len(corpus.folders))
    wants = {int(row_map[r]): paths for r, paths in corpus._wants.items() if row_map[r] >= 0}

    width = len(terms)
    if not (same_rows and same_terms):
        corpus.counts = _renumbered(counts, term_map, width, np.int32)
        loose = corpus.loose_counts.matrix()[rows]
        corpus.loose_counts = _renumbered(loose, term_map, width, np.int32)
        corpus.code = _renumbered(corpus.code.matrix()[rows], term_map, width, np.int32)
    corpus.tagged = _renumbered(tagged, tag_map, len(tags), np.float64)
    corpus.out = _renumbered(corpus.out.matrix()[rows], row_map, len(rows), np.float64)
    corpus.paths = [corpus.paths[r] for r in rows]
    corpus.titles = [corpus.titles[r] for r in rows]
    corpus.row_of = {path: row for row, path in enumerate(corpus.paths)}
    corpus.alive = np.ones(len(rows), dtype=bool)
    corpus.person = corpus.person[:count][rows].copy()
    corpus.fid = folder_map[fids].astype(np.int64)
    if not same_terms:
        corpus.terms = [corpus.terms[t] for t in terms]
        corpus.term_of = {term: t for t, term in enumerate(corpus.terms)}
        corpus.text_term = np.array([text.is_text_term(t) for t in corpus.terms], dtype=bool)
    corpus.tags = [corpus.tags[t] for t in tags]
    corpus.tag_of = {tag: t for t, tag in enumerate(corpus.tags)}
    corpus.folders = [corpus.folders[f] for f in folder_ids]
    corpus.folder_of = {folder: f for f, folder in enumerate(corpus.folders)}
    corpus._wants = wants
    corpus._wanted = {}
    for row, paths in wants.items():
        for path in paths:
            corpus._wanted.setdefault(path, set()).add(row)
    if not (same_rows and same_terms):
        corpus.names.remap(row_map, term_map)


def signal_rows(corpus: Corpus) -> None:
    """Build every note's text, loose, neighbour and folder rows under `corpus.stats`."""
    assert corpus.stats is not None
    idf = corpus.stats.idf(corpus.text_terms())
    counts, code = corpus.counts.matrix(), corpus.code.matrix()
    corpus.x = SparseRows(len(corpus.terms), np.float32, text.unit_rows(counts, code, idf))
    loose = corpus.loose_counts.matrix()
    corpus.loose = SparseRows(len(corpus.terms), np.float32, text.unit_rows(loose, code, idf))
    out = corpus.out.matrix()
    corpus.adj = SparseRows(len(corpus.paths), np.float64, graph.neighbour_matrix(out))
    corpus.fw = SparseRows(len(corpus.folders), np.float64, folders.weight_rows(corpus, out))


def _map(kept: list[int], size: int) -> np.ndarray:
    found = np.full(size, -1, dtype=np.int64)
    found[kept] = np.arange(len(kept))
    return found


def _renumbered(matrix: sp.csr_matrix, col_map: np.ndarray, width: int, dtype: type) -> SparseRows:
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
