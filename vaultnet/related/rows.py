"""A sparse matrix whose rows change one at a time, and the products the signals are made of.

`SparseRows` keeps a base (CSR, with its transpose built on first need for products by column)
and the rows changed since (an overlay), merged into the base when the overlay grows. A change
costs what the changed row holds, not what the matrix holds, and every product reads the base
(the changed rows masked out) plus the overlay.

Every dot product here is scipy's sparse product, which adds up one pair's terms in column order
whichever side asks: a row asked against all rows, a column asked against all rows, or one pair
on its own (`pair_dots`) give the same float, bit for bit. Rankings compare these floats, so the
same two notes score the same in a note's page, in the Suggested links page and after an edit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vaultnet.related.sparse import sp

COMPACT_SHARE = 0.02
COMPACT_MIN = 256
"""The overlay is merged into the base past this many rows or this share of the rows."""
ROW_READS = 8
"""The base is read by its rows this many times before its transpose is built (10-30 ms at
10,000 notes) for the next: one query row multiplied row by row (a matrix-vector product,
1-2 ms), or a few rows looked up for `has`. `vaultnet related NOTE` asks once and never pays
for the transpose; a process that asks again and again builds it soon."""
EMPTY_INT = np.zeros(0, dtype=np.int32)


def csr(rows: int, cols: int, dtype: type = np.float64) -> sp.csr_matrix:
    """An empty CSR matrix of this shape."""
    return sp.csr_matrix((rows, cols), dtype=dtype)


def from_rows(
    rows: Sequence[tuple[np.ndarray, np.ndarray]], cols: int, dtype: type = np.float64
) -> sp.csr_matrix:
    """A CSR matrix of these (sorted column indices, values) rows."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(c) for c, _ in rows])
    if not rows or indptr[-1] == 0:
        return csr(len(rows), cols, dtype)
    indices = np.concatenate([c for c, _ in rows]).astype(np.int32, copy=False)
    data: np.ndarray = np.concatenate([v for _, v in rows]).astype(dtype, copy=False)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), cols))


def resized(matrix: sp.csr_matrix, rows: int, cols: int) -> sp.csr_matrix:
    """`matrix` padded (never cut) to `rows` x `cols`."""
    if matrix.shape == (rows, cols):
        return matrix
    indptr = matrix.indptr
    if rows > matrix.shape[0]:
        indptr = np.concatenate([indptr, np.full(rows - matrix.shape[0], indptr[-1])])
    return sp.csr_matrix((matrix.data, matrix.indices, indptr), shape=(rows, cols))


def columns_below(matrix: sp.csr_matrix, cols: int) -> sp.csr_matrix:
    """`matrix` without the entries in columns `cols` and above, shaped `rows x cols`."""
    if matrix.shape[1] <= cols:
        return resized(matrix, matrix.shape[0], cols)
    keep = matrix.indices < cols
    if keep.all():
        return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), (matrix.shape[0], cols))
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    counts = np.bincount(rows[keep], minlength=matrix.shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sp.csr_matrix(
        (matrix.data[keep], matrix.indices[keep], indptr), shape=(matrix.shape[0], cols)
    )


def keep_rows(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """`matrix` with the rows `keep` does not mark emptied."""
    entries = np.repeat(keep, np.diff(matrix.indptr))
    counts = np.where(keep, np.diff(matrix.indptr), 0)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sp.csr_matrix(
        (matrix.data[entries], matrix.indices[entries], indptr), shape=matrix.shape
    )


def keep_cols(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """`matrix` without its entries in the columns `keep` does not mark."""
    entries = keep[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    counts = np.bincount(rows[entries], minlength=matrix.shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sp.csr_matrix(
        (matrix.data[entries], matrix.indices[entries], indptr), shape=matrix.shape
    )


def spliced(matrix: sp.csr_matrix, rows: dict[int, tuple[np.ndarray, np.ndarray]]) -> sp.csr_matrix:
    """`matrix` with the `rows` given (row -> sorted columns, values; each a row of `matrix`)
    in place of its own: the stretches between them copied once, whatever the matrix holds (a
    matrix-wide merge of a few rows took 15 ms a matrix at 10,000 notes, each time the corpus
    was saved). Entries are kept as given, zeros too."""
    order = sorted(rows)
    indptr = matrix.indptr
    lengths = np.diff(indptr)
    lengths[order] = [len(rows[r][0]) for r in order]
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    start = 0
    for row in order:
        indices += [matrix.indices[indptr[start] : indptr[row]], rows[row][0]]
        data += [matrix.data[indptr[start] : indptr[row]], rows[row][1]]
        start = row + 1
    indices.append(matrix.indices[indptr[start] : indptr[-1]])
    data.append(matrix.data[indptr[start] : indptr[-1]])
    return sp.csr_matrix(
        (
            np.concatenate(data).astype(matrix.dtype, copy=False),
            np.concatenate(indices).astype(np.int32, copy=False),
            np.concatenate([[0], np.cumsum(lengths)]),
        ),
        shape=matrix.shape,
    )


def diagonal(values: np.ndarray) -> sp.dia_matrix:
    """A float64 diagonal matrix of `values` (scaling a matrix's rows or columns)."""
    return sp.diags(np.asarray(values, dtype=np.float64))


def one_hot_rows(cols: np.ndarray, width: int) -> sp.csr_matrix:
    """Row i holds a 1 in column `cols[i]`."""
    return sp.csr_matrix(
        (np.ones(len(cols)), cols, np.arange(len(cols) + 1)), shape=(len(cols), width)
    )


def pair_dots(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    """Row i of `left` dot row i of `right`, for every i (the same float as their product)."""
    if left.shape[0] == 0:
        return np.zeros(0, dtype=left.dtype)
    left, right = left.sorted_indices(), right.sorted_indices()
    both = left.multiply(right).tocsr()
    both.sort_indices()
    return np.asarray(both @ np.ones((both.shape[1], 1), dtype=both.dtype)).ravel()


class SparseRows:
    """A `rows x cols` sparse matrix of `dtype` that grows and whose rows are replaced one at a
    time (see the module docstring)."""

    def __init__(self, cols: int, dtype: type = np.float64, base: sp.csr_matrix | None = None):
        self.dtype = dtype
        base = csr(0, cols, dtype) if base is None else base.astype(dtype, copy=False)
        base.sort_indices()
        self._base = base
        self._base_t: sp.csr_matrix | None = None
        self._row_reads = 0
        self.rows, self.cols = base.shape[0], max(cols, base.shape[1])
        self._overlay: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._masked = np.zeros(base.shape[0], dtype=bool)
        self._delta: tuple[np.ndarray, sp.csr_matrix] | None = None
        """The overlay's row ids and its rows transposed (columns x overlay rows), for products."""

    # --- shape and rows -----------------------------------------------------------------------

    def grow(self, rows: int = 0, cols: int = 0) -> None:
        self.rows, self.cols = max(self.rows, rows), max(self.cols, cols)

    def set(self, row: int, cols: np.ndarray, values: np.ndarray) -> None:
        """Replace row `row` by these entries (`cols` sorted and distinct)."""
        self.grow(row + 1, int(cols[-1]) + 1 if len(cols) else 0)
        self._overlay[row] = (cols.astype(np.int32, copy=False), values.astype(self.dtype))
        if row < self._base.shape[0]:
            self._masked[row] = True
        self._delta = None
        if len(self._overlay) > max(COMPACT_MIN, COMPACT_SHARE * self.rows):
            self.compact()

    def clear(self, row: int) -> None:
        if row < self.rows and len(self.row(row)[0]):
            self.set(row, EMPTY_INT, np.zeros(0, dtype=self.dtype))

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(sorted columns, values) of one row."""
        found = self._overlay.get(row)
        if found is not None:
            return found
        if row >= self._base.shape[0]:
            return EMPTY_INT, np.zeros(0, dtype=self.dtype)
        base = self._base
        start, end = base.indptr[row], base.indptr[row + 1]
        return base.indices[start:end], base.data[start:end]

    def take(self, rows: Sequence[int] | np.ndarray) -> sp.csr_matrix:
        """These rows, in this order, as a `len(rows) x cols` CSR matrix."""
        rows = np.asarray(rows, dtype=np.int64)
        base_rows = self._base.shape[0]
        changed = np.zeros(len(rows), dtype=bool)
        if self._overlay:
            changed = np.fromiter((r in self._overlay for r in rows.tolist()), bool, len(rows))
        inside = rows < base_rows
        plain = inside & ~changed
        if plain.all():
            return resized(self._base[rows], len(rows), self.cols)
        parts = [
            self.row(int(r)) if not p else (EMPTY_INT, np.zeros(0, self.dtype))
            for r, p in zip(rows.tolist(), plain.tolist(), strict=True)
        ]
        patched = from_rows(parts, self.cols, self.dtype)
        if not plain.any():
            return patched
        picked = resized(self._base[np.where(plain, rows, 0)], len(rows), self.cols)
        return (keep_rows(picked, plain) + patched).tocsr()

    # --- products -----------------------------------------------------------------------------

    def times(self, query: sp.csr_matrix) -> sp.csr_matrix:
        """`query @ self.T`: each query row's dot product with every row (`query` has
        `cols` columns, or fewer), as a `len(query) x rows` CSR matrix."""
        query = query.astype(self.dtype, copy=False).tocsr()
        if not query.has_sorted_indices:  # the sums run in column order (module docstring)
            query = query.sorted_indices()
        base_rows, base_cols = self._base.shape
        out = csr(query.shape[0], self.rows, self.dtype)
        if base_rows and self._base.nnz:
            found = self._base_product(columns_below(query, base_cols))
            if self._masked.any():
                found = keep_cols(found.tocsr(), ~self._masked)
            out = resized(found.tocsr(), query.shape[0], self.rows)
        delta = self._delta_rows()
        if len(delta[0]):
            extra = resized(query, query.shape[0], self.cols) @ delta[1]
            extra = extra.tocoo()
            moved = sp.csr_matrix(
                (extra.data, (extra.row, delta[0][extra.col])), shape=(query.shape[0], self.rows)
            )
            out = (out + moved).tocsr()
        return out

    def column(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, values) of the entries in column `col`, by row."""
        found_rows: list[np.ndarray] = []
        found_values: list[np.ndarray] = []
        if col < self._base.shape[1] and self._base.nnz:
            by_col = self._transposed()
            start, end = by_col.indptr[col], by_col.indptr[col + 1]
            rows, values = by_col.indices[start:end], by_col.data[start:end]
            if not self._overlay:
                return rows, values
            keep = ~self._masked[rows]
            found_rows.append(rows[keep])
            found_values.append(values[keep])
        for row, (cols, values) in self._overlay.items():
            at = np.searchsorted(cols, col)
            if at < len(cols) and cols[at] == col:
                found_rows.append(np.array([row], dtype=np.int32))
                found_values.append(values[at : at + 1])
        if not found_rows:
            return EMPTY_INT, np.zeros(0, dtype=self.dtype)
        rows = np.concatenate(found_rows)
        order = np.argsort(rows, kind="stable")
        return rows[order], np.concatenate(found_values)[order]

    def has(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether row `rows[i]` has an entry in column `cols[i]`, for every i (never for a
        negative one): the base's rows read (`ROW_READS`, few asked) or looked up in its
        columns (the columns asked are few, the rows many), the changed rows as they are now.
        Nothing is merged: after an edit at 100,000 notes, merging the overlay and transposing
        again took 0.7 s."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        found = np.zeros(len(rows), dtype=bool)
        base_rows = self._base.shape[0]
        valid = (rows >= 0) & (cols >= 0)
        plain = valid & (rows < base_rows)
        plain[plain] = ~self._masked[rows[plain]]
        if plain.any() and self._base.nnz:
            asked, wanted = rows[plain], cols[plain]
            few = self._base_t is None and self._reads_rows(
                int(np.diff(self._base.indptr)[asked].sum()) * 4
            )
            if few:
                found[plain] = _in_rows(self._base, asked, wanted)
            else:
                found[plain] = _in_columns(self._transposed(), asked, wanted)
        for i in np.flatnonzero(valid & ~plain).tolist():
            held, _ = self.row(int(rows[i]))
            at = int(np.searchsorted(held, cols[i]))
            found[i] = at < len(held) and int(held[at]) == int(cols[i])
        return found

    def column_counts(self) -> np.ndarray:
        """How many rows have an entry in each column."""
        counts = np.bincount(self._base.indices, minlength=self.cols)[: self.cols]
        counts = counts.astype(np.int64)
        if self._masked.any():
            masked = self._base[np.flatnonzero(self._masked)]
            counts -= np.bincount(masked.indices, minlength=self.cols)[: self.cols]
        for cols, _ in self._overlay.values():
            counts[cols] += 1
        return counts

    # --- storage ------------------------------------------------------------------------------

    def matrix(self) -> sp.csr_matrix:
        """The whole matrix as one CSR matrix (the overlay merged in first)."""
        self.compact()
        return resized(self._base, self.rows, self.cols)

    def compact(self) -> None:
        """Merge the overlay into the base."""
        if not self._overlay and self._base.shape == (self.rows, self.cols):
            return
        base = resized(self._base, self.rows, self.cols)
        if self._overlay:
            base = spliced(base, self._overlay)
            base.eliminate_zeros()  # as a merge by sum drops them (a term of idf 0 weighs 0)
        base.sort_indices()
        self._base, self._base_t, self._row_reads = base, None, 0
        self._overlay, self._masked, self._delta = {}, np.zeros(self.rows, dtype=bool), None

    def _base_product(self, query: sp.csr_matrix) -> sp.csr_matrix:
        """`query @ base.T`. One row before the transpose is due: each base row's dot product
        with it, its terms added in the same column order, so the same floats bit for bit."""
        if not (query.shape[0] == 1 and query.has_canonical_format and self._reads_rows()):
            return query @ self._transposed()
        dense = np.zeros(query.shape[1], dtype=self._base.dtype)
        dense[query.indices] = query.data
        return sp.csr_matrix((self._base @ dense)[None, :])

    def _reads_rows(self, entries: int = 0) -> bool:
        """Whether to read the base by its rows this time (`ROW_READS`), at a cost of `entries`
        (at most the base's entries: a transpose reads them all)."""
        if self._base_t is not None or self._row_reads >= ROW_READS or entries > self._base.nnz:
            return False
        self._row_reads += 1
        return True

    def _transposed(self) -> sp.csr_matrix:
        if self._base_t is None:
            self._base_t = self._base.T.tocsr()
            self._base_t.sort_indices()
        return self._base_t

    def _delta_rows(self) -> tuple[np.ndarray, sp.csr_matrix]:
        if self._delta is None:
            order = sorted(self._overlay)
            rows = from_rows([self._overlay[r] for r in order], self.cols, self.dtype)
            by_col = rows.T.tocsr()
            by_col.sort_indices()
            self._delta = (np.asarray(order, dtype=np.int64), by_col)
        elif self._delta[1].shape[0] < self.cols:
            self._delta = (
                self._delta[0],
                resized(self._delta[1], self.cols, self._delta[1].shape[1]),
            )
        return self._delta


def _in_rows(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Whether each `rows[i]` of `matrix` (CSR, sorted) has an entry in column `cols[i]`: the
    asked rows' entries, keyed by the question they answer, searched at once."""
    starts, lengths = matrix.indptr[rows], np.diff(matrix.indptr)[rows]
    asking = np.repeat(np.arange(len(rows)), lengths)
    at = np.arange(int(lengths.sum())) + np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    width = max(matrix.shape[1], int(cols.max(initial=0)) + 1)
    held = asking * width + matrix.indices[at]
    wanted = np.arange(len(rows)) * width + cols
    if not len(held):
        return np.zeros(len(rows), dtype=bool)
    return held[np.minimum(np.searchsorted(held, wanted), len(held) - 1)] == wanted


def _in_columns(by_col: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Whether each `rows[i]` is among the rows of column `cols[i]` of the matrix whose
    transpose (columns x rows, sorted) is `by_col`."""
    found = np.zeros(len(rows), dtype=bool)
    order = np.argsort(cols, kind="stable")
    cols, rows = cols[order], rows[order]
    starts = np.flatnonzero(np.concatenate([[True], cols[1:] != cols[:-1]]))
    ends = np.append(starts[1:], len(cols))
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        col = int(cols[start])
        if col >= by_col.shape[0]:
            continue
        holders = by_col.indices[by_col.indptr[col] : by_col.indptr[col + 1]]
        if not len(holders):
            continue
        asked = rows[start:end]
        at = np.minimum(np.searchsorted(holders, asked), len(holders) - 1)
        found[order[start:end]] = holders[at] == asked
    return found
