"""`SparseRows` read with changed rows not yet merged answers as the merged matrix does, and a
row asked alone as in a block.

Random matrices, random rows replaced, cleared and added (hypothesis): membership (`has`) and
products (`times`) of the matrix as it is equal those of the same rows merged into one CSR
matrix.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.related.cols import entry
from vaultnet.related.explain import beats, best_of, row_bests
from vaultnet.related.rows import SparseRows, from_rows
from vaultnet.related.sparse import sp

COLS = 12
BASE_COLS = 8
"""The base is built narrower: changed rows and queries reach columns it does not have (terms
that came after the last fit)."""

row_entries = st.lists(st.integers(0, COLS - 1), max_size=6, unique=True).map(sorted)
base_entries = st.lists(st.integers(0, BASE_COLS - 1), max_size=6, unique=True).map(sorted)


@st.composite
def edited(draw: st.DrawFn) -> tuple[SparseRows, list[list[int]]]:
    """A matrix built from some rows, then rows set (replaced, cleared or new): the
    `SparseRows` with its overlay, and every row as it should be now."""
    base = draw(st.lists(base_entries, min_size=1, max_size=8))
    rows = [list(r) for r in base]
    matrix = from_rows([_row(r) for r in base], BASE_COLS)
    found = SparseRows(COLS, np.float64, matrix)
    for row, entries in draw(st.lists(st.tuples(st.integers(0, 10), row_entries), max_size=6)):
        while len(rows) <= row:
            rows.append([])
        rows[row] = list(entries)
        found.set(row, *_row(entries))
    return found, rows


def _row(entries: list[int]) -> tuple[np.ndarray, np.ndarray]:
    return np.array(entries, dtype=np.int32), np.arange(1, len(entries) + 1, dtype=np.float64)


@settings(max_examples=300, deadline=None)
@given(edited(), st.data(), st.booleans())
def test_has_reads_changed_rows_as_they_are_now(
    case: tuple[SparseRows, list[list[int]]], data: st.DataObject, transposed: bool
) -> None:
    """Asked of the base's rows (`rows.ROW_READS`), or of its columns once it is transposed."""
    found, rows = case
    if transposed:  # a block's product builds the transpose
        found.times(from_rows([_row([]), _row([0])], COLS))
    asked = data.draw(
        st.lists(st.tuples(st.integers(0, len(rows) - 1), st.integers(0, COLS - 1)), max_size=20)
    )
    r = np.array([a for a, _ in asked], dtype=np.int64)
    c = np.array([b for _, b in asked], dtype=np.int64)
    assert found.has(r, c).tolist() == [col in rows[row] for row, col in asked]


@settings(max_examples=300, deadline=None)
@given(edited())
def test_merging_the_changed_rows_gives_the_matrix_as_it_is_now(
    case: tuple[SparseRows, list[list[int]]],
) -> None:
    """`compact` splices the changed rows in (`rows.spliced`): entry for entry the matrix
    built from every row as it is now, in canonical form."""
    found, rows = case
    merged = from_rows([_row(r) for r in rows], COLS)
    matrix = found.matrix()
    assert matrix.shape == merged.shape and matrix.has_canonical_format
    assert matrix.indptr.tolist() == merged.indptr.tolist()
    assert matrix.indices.tolist() == merged.indices.tolist()
    assert matrix.data.tolist() == merged.data.tolist() and matrix.dtype == merged.dtype


def test_merging_drops_zero_entries_as_a_merge_by_sum_did() -> None:
    """A weight of 0 (a term in every note: idf 0) is no entry once merged, as when the
    changed rows were added to the base (scipy's sum drops zeros)."""
    base = from_rows([_row([0, 1]), _row([2])], COLS)
    base.data[1] = 0.0
    found = SparseRows(COLS, np.float64, base)
    found.set(1, np.array([3, 4], dtype=np.int32), np.array([0.0, 2.0]))
    matrix = found.matrix()
    assert matrix.indices.tolist() == [0, 4] and matrix.data.tolist() == [1.0, 2.0]


@settings(max_examples=300, deadline=None)
@given(edited(), st.lists(row_entries, min_size=1, max_size=4))  # empty query rows too
def test_products_with_changed_rows_equal_the_merged_matrix(
    case: tuple[SparseRows, list[list[int]]], queries: list[list[int]]
) -> None:
    found, rows = case
    merged = from_rows([_row(r) for r in rows], COLS)
    query = from_rows([_row(q) for q in queries], COLS)
    expected = (query @ merged.T).toarray()
    product = found.times(query)
    assert product.shape == (len(queries), len(rows))
    assert np.array_equal(product.toarray(), expected)
    assert isinstance(product, sp.csr_matrix)


floats = st.floats(-1e3, 1e3, allow_nan=False, width=32).filter(lambda v: v != 0)
float_rows = st.lists(st.tuples(st.integers(0, COLS - 1), floats), max_size=8).map(
    lambda pairs: sorted(dict(pairs).items())
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(float_rows, min_size=1, max_size=10),
    float_rows,
    st.sampled_from([np.float32, np.float64]),
)
def test_one_row_asked_alone_scores_as_in_a_block_bit_for_bit(
    rows: list[list[tuple[int, float]]], query: list[tuple[int, float]], dtype: type
) -> None:
    """A single row is multiplied row by row before the transpose is built
    (`rows.ROW_READS`); a block always by the transpose: the same floats either way."""

    def matrix(entries: list[list[tuple[int, float]]]) -> sp.csr_matrix:
        return from_rows(
            [(np.array([c for c, _ in r], np.int32), np.array([v for _, v in r])) for r in entries],
            COLS,
            dtype,
        )

    alone = SparseRows(COLS, dtype, matrix(rows)).times(matrix([query]))
    block = SparseRows(COLS, dtype, matrix(rows)).times(matrix([[], query, query[:1]]))
    assert alone.dtype == block.dtype == dtype
    assert alone.toarray().tobytes() == block[1].toarray().tobytes()
    assert sorted(alone.indices) == sorted(block[1].indices)  # the same cells stored


@pytest.mark.parametrize(
    ("cols", "values", "expected"),
    [
        ([5, 2, 9], [0.5, 0.5, 0.1], (0.5, 2)),  # tied: the first note by column ...
        ([2, 5, 9], [0.5, 0.5, 0.1], (0.5, 2)),  # ... whatever order the row is stored in
        ([9, 5, 2], [0.1, 0.5, 0.5], (0.5, 2)),
        ([7, 3], [0.2, 0.9], (0.9, 3)),
        ([], [], (0.0, -1)),
    ],
)
def test_the_best_of_a_row_is_the_same_in_any_stored_order(
    cols: list[int], values: list[float], expected: tuple[float, int]
) -> None:
    """A product's row comes back sorted by column (row by row) or not (by the transpose):
    the best text and loose candidates `RowTop` keeps do not depend on which."""
    row = (np.array(cols, dtype=np.int32), np.array(values, dtype=np.float32))
    best = best_of(row, row)
    assert (best.text, best.text_at) == (best.loose, best.loose_at) == pytest.approx(expected)


@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(0, COLS - 1), st.sampled_from([0.0, 0.1, 0.5, 0.9])), max_size=6
        ),
        max_size=8,
    )
)
def test_each_rows_best_of_a_block_is_best_of_that_row(rows: list[list[tuple[int, float]]]) -> None:
    """A block's best candidates, all rows at once (`row_bests`, empty rows and ties among
    them, columns in any stored order) are what `best_of` chooses row by row."""
    parts = []
    for entries in rows:
        distinct = dict(entries)  # one value per column, stored in the order drawn
        cols = np.array(list(distinct), dtype=np.int32)
        parts.append((cols, np.array(list(distinct.values()), dtype=np.float32)))
    block = sp.csr_matrix(
        (
            np.concatenate([v for _, v in parts]) if parts else np.zeros(0, np.float32),
            np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, np.int32),
            np.concatenate([[0], np.cumsum([len(c) for c, _ in parts], dtype=np.int64)]),
        ),
        shape=(len(parts), COLS),
    )
    expected = [(best_of(p, p).text, best_of(p, p).text_at) for p in parts]
    assert row_bests(block, len(parts)) == expected
    assert row_bests(None, len(parts)) == [(0.0, -1)] * len(parts)


@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, COLS - 1), st.floats(0.01, 9.0)), max_size=6),
        max_size=8,
    )
)
def test_an_entry_read_from_the_arrays_is_scipys(rows: list[list[tuple[int, float]]]) -> None:
    """`entry` reads (i, col) of a matrix whose rows were stored in any column order, once its
    indices are sorted: the float scipy's indexing gives, 0.0 where nothing is stored."""
    parts = [dict(entries) for entries in rows]  # one value per column, in the order drawn
    block = sp.csr_matrix(
        (
            np.array([v for p in parts for v in p.values()], dtype=np.float64),
            np.array([c for p in parts for c in p], dtype=np.int32),
            np.concatenate([[0], np.cumsum([len(p) for p in parts], dtype=np.int64)]),
        ),
        shape=(len(parts), COLS),
    )
    sorted_block = block.sorted_indices()
    for i in range(len(parts)):
        for col in range(COLS):
            assert entry(sorted_block, i, col) == float(block[i, col])


def test_a_few_rows_asked_of_a_large_base_read_its_rows_as_its_columns_would() -> None:
    """A few rows asked of a base of many (`has` by the base's rows, `rows.ROW_READS`), the
    same questions asked once the transpose is built, and the truth."""
    rng = np.random.default_rng(7)
    entries = [sorted(rng.choice(40, size=rng.integers(0, 12), replace=False)) for _ in range(300)]
    base = from_rows([_row([int(c) for c in e]) for e in entries], 40)
    asked_rows = rng.integers(0, 300, size=50)
    asked_cols = rng.integers(0, 48, size=50)  # beyond the base's columns too
    truth = [int(c) in set(entries[r]) for r, c in zip(asked_rows, asked_cols, strict=True)]
    by_rows = SparseRows(48, np.float64, base)
    assert by_rows.has(asked_rows, asked_cols).tolist() == truth
    by_cols = SparseRows(48, np.float64, base)
    by_cols.times(from_rows([_row([]), _row([0])], 48))  # a block's product: transposed
    assert by_cols.has(asked_rows, asked_cols).tolist() == truth
    for found in (SparseRows(48, np.float64, base), by_cols):  # never a negative row or column
        assert not found.has(np.array([-1, 5, 299]), np.array([3, -1, -48])).any()


@pytest.mark.parametrize(
    ("value", "other", "best", "best_at", "expected"),
    [
        (0.6, 9, 0.5, 3, True),  # higher
        (0.5, 2, 0.5, 3, True),  # tied, first by column: as `best_of` would choose
        (0.5, 4, 0.5, 3, False),
        (0.4, 1, 0.5, 3, False),
        (0.0, 1, 0.0, -1, False),  # no candidate yet, and none scored
    ],
)
def test_a_changed_candidate_beats_the_best_as_best_of_would_choose(
    value: float, other: int, best: float, best_at: int, expected: bool
) -> None:
    """An edit raises a note's best (`rankings._raised`) by the rule a fresh `best_of` uses."""
    assert beats(value, other, best, best_at) is expected
    if best_at >= 0:
        cols = np.array([best_at, other], dtype=np.int32)
        fresh = best_of((cols, np.array([best, value])), (cols, np.array([best, value])))
        assert (fresh.text_at == other) is expected
