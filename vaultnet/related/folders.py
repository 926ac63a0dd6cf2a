"""Folder signal: notes in the folders this note links into (and its own folder).

Vaults file notes by kind and topic, so the folders a note links into say where its next link
may go. Counting the note's own folder as one more link target, a note B in folder F scores
`(links into F / (links + 1)) * min(1, links into F / size(F))`: the share of the note's links
that go to F times the share of F they reach (an index note linking to all of a folder but one
points straight at the one). The score is at most 1 and the hybrid takes it as it is. Folders
with more than `MAX_FOLDER` notes are skipped, which bounds the candidates; sizes are the fit's
(`Stats.folder_sizes`). As a matrix: a note's row holds its weight for each folder
(`Corpus.fw`), and a candidate's score is its folder's weight.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from vaultnet.related.reasons import Reason
from vaultnet.related.stats import MAX_FOLDER

if TYPE_CHECKING:
    from vaultnet.related.corpus import Corpus


def weight_row(
    corpus: Corpus, row: int, targets: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(folder ids, weights) of one note (none for a removed note); `targets`: the rows it links
    to, when not those of the corpus."""
    if not corpus.alive[row] or corpus.stats is None:
        return np.zeros(0, dtype=np.int32), np.zeros(0)
    if targets is None:
        targets = corpus.out.row(row)[0]
    counts = Counter(corpus.fid[targets].tolist())
    counts[int(corpus.fid[row])] += 1
    total = len(targets) + 1
    stats = corpus.stats
    found = sorted(
        (folder, count / total * min(1.0, count / stats.size(folder)))
        for folder, count in counts.items()
    )
    return np.array([f for f, _ in found], dtype=np.int32), np.array([w for _, w in found])


def weight_rows(corpus: Corpus, out: sp.csr_matrix) -> sp.csr_matrix:
    """`weight_row` of every note at once (`out`: the link matrix)."""
    assert corpus.stats is not None
    rows = len(corpus.paths)
    alive = corpus.alive[:rows]
    member = sp.csr_matrix(
        (alive.astype(np.float64), (np.arange(rows), corpus.fid[:rows])),
        shape=(rows, len(corpus.folders)),
    )
    counts = (out @ member + member).tocsr()
    counts.sort_indices()
    total = np.asarray(out.sum(axis=1)).ravel() + 1.0
    each = np.repeat(total, np.diff(counts.indptr))
    sizes = np.array([corpus.stats.size(f) for f in range(len(corpus.folders))], dtype=np.float64)
    data = counts.data / each * np.minimum(1.0, counts.data / sizes[counts.indices])
    found = sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
    found.eliminate_zeros()
    return found


def scores(corpus: Corpus, weights: sp.csr_matrix) -> sp.csr_matrix:
    """Folder scores of each row of `weights` (a block of notes' folder weights) with every
    note: the weight of the note's folder, for folders of at most `MAX_FOLDER` notes."""
    assert corpus.stats is not None
    rows = len(corpus.paths)
    sizes = np.array([corpus.stats.size(f) for f in range(len(corpus.folders))])
    usable = (sizes <= MAX_FOLDER).astype(np.float64)
    member = sp.csr_matrix(
        (
            corpus.alive[:rows].astype(np.float64) * usable[corpus.fid[:rows]],
            (corpus.fid[:rows], np.arange(rows)),
        ),
        shape=(len(corpus.folders), rows),
    )
    weights = sp.csr_matrix(weights, shape=(weights.shape[0], len(corpus.folders)))
    found = (weights @ member).tocsr()
    found.eliminate_zeros()
    return found


def reasons(corpus: Corpus, row: int, other: int) -> list[Reason]:
    folder = posixpath.dirname(corpus.paths[other])
    if folder == posixpath.dirname(corpus.paths[row]):
        return [Reason.plain(f"in the same folder ({folder or 'vault root'})")]
    return [Reason.plain(f"in {folder}/, where this note links often")] if folder else []
