"""Each note's signal rows that come from its links: its neighbours (the link signal) and its
folder weights (the folder signal), for one note or every note at once with the same floats.

Counting the note's own folder as one more link target, its weight for a folder F is
`(links into F / (links + 1)) * min(1, links into F / size(F))` (`vaultnet.related.folders`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from vaultnet.related.sparse import sp


def neighbour_row(links: np.ndarray, linked_from: np.ndarray, row: int) -> np.ndarray:
    """The notes linked with `row` in either direction (sorted, never itself)."""
    found = np.union1d(links, linked_from)
    return found[found != row].astype(np.int32)


def neighbour_matrix(out: sp.csr_matrix) -> sp.csr_matrix:
    """Every row's neighbours from the link matrix (either direction, never itself), 1.0 each."""
    both = ((out + out.T) > 0).astype(np.float64).tocsr()
    both.setdiag(0.0)
    both.eliminate_zeros()
    both.sort_indices()
    return both


def folder_row(
    target_folders: np.ndarray, own: int, size: Callable[[int], int]
) -> tuple[np.ndarray, np.ndarray]:
    """(folder ids, weights) of a note in folder `own` linking to notes in `target_folders`."""
    counts = Counter(target_folders.tolist())
    counts[own] += 1
    total = len(target_folders) + 1
    found = sorted(
        (folder, count / total * min(1.0, count / size(folder))) for folder, count in counts.items()
    )
    return np.array([f for f, _ in found], dtype=np.int32), np.array([w for _, w in found])


def folder_rows(
    out: sp.csr_matrix, fid: np.ndarray, alive: np.ndarray, sizes: np.ndarray
) -> sp.csr_matrix:
    """`folder_row` of every note at once (`sizes`: each folder's size)."""
    rows = out.shape[0]
    member = sp.csr_matrix(
        (alive.astype(np.float64), (np.arange(rows), fid)), shape=(rows, len(sizes))
    )
    counts = (out @ member + member).tocsr()
    counts.sort_indices()
    total = np.asarray(out.sum(axis=1)).ravel() + 1.0
    each = np.repeat(total, np.diff(counts.indptr))
    data = counts.data / each * np.minimum(1.0, counts.data / sizes[counts.indices])
    found = sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
    found.eliminate_zeros()
    return found
