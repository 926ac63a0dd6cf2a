"""One sparse row's columns as a sorted integer array (what `SparseRows.row` and a CSR row's
`indices` hold): made with the value 1.0 each (`ones`), searched (`has`), read with a matrix's
value (`entry`). For the engine's modules that ask about one pair at a time; blocks of rows are
products (`vaultnet.related.rows`)."""

from __future__ import annotations

import numpy as np

from vaultnet.related.sparse import sp


def ones(cols: list[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A row with these columns (int32), each worth 1.0."""
    cols = np.asarray(cols, dtype=np.int32)
    return cols, np.ones(len(cols), dtype=np.float64)


def has(cols: np.ndarray, col: int) -> bool:
    """Whether the sorted `cols` hold `col`."""
    return _at(cols, col) >= 0


def entry(matrix: sp.csr_matrix, i: int, col: int) -> float:
    """Entry (i, col) of a matrix with sorted, distinct indices, read from its arrays: scipy's own
    indexing costs 50 us a read (an edit's rankings update reads two per idea note and changed
    note)."""
    start = matrix.indptr[i]
    at = _at(matrix.indices[start : matrix.indptr[i + 1]], col)
    return float(matrix.data[start + at]) if at >= 0 else 0.0


def _at(cols: np.ndarray, col: int) -> int:
    """Where the sorted `cols` hold `col`, or -1."""
    at = int(np.searchsorted(cols, col))
    return at if at < len(cols) and int(cols[at]) == col else -1
