"""The text vectors weighed a part of the rows at a time are the vectors weighed all at once, bit
for bit (`vaultnet.related.text.unit_rows`): random count matrices with code counts (a part of the
counts, or, as the loose rows are given, the whole note's), empty rows, rows longer than a part
and terms of idf 0."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.related import text
from vaultnet.related.sparse import sp

TERMS = 9

row = st.dictionaries(st.integers(0, TERMS - 1), st.integers(1, 5000), max_size=TERMS)


@st.composite
def vault(draw: st.DrawFn) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Term counts, the part of them in code, and an idf (some terms weigh nothing)."""
    rows = draw(st.lists(row, min_size=1, max_size=12))
    counts, code = [], []
    loose = draw(st.booleans())  # the loose rows are given the whole note's code counts
    for entries in rows:
        counts.append(entries)
        code.append(
            draw(row) if loose else {t: draw(st.integers(0, n)) for t, n in entries.items()}
        )
    idf = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.3, 1.7, 4.2]), min_size=TERMS, max_size=TERMS))
    )
    return _matrix(counts), _matrix(code), idf


def _matrix(rows: list[dict[int, int]]) -> sp.csr_matrix:
    data, cols, indptr = [], [], [0]
    for entries in rows:
        for col, n in sorted(entries.items()):
            if n:
                cols.append(col)
                data.append(n)
        indptr.append(len(cols))
    return sp.csr_matrix(
        (np.array(data, dtype=np.int32), np.array(cols, dtype=np.int32), indptr),
        shape=(len(rows), TERMS),
    )


@settings(max_examples=300, deadline=None)
@given(vault(), st.integers(1, 20))
def test_rows_weighed_in_parts_are_the_rows_weighed_at_once(
    found: tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray], part: int
) -> None:
    counts, code, idf = found
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "UNIT_ROWS_AT_ONCE", 10**9)
        whole = text.unit_rows(counts.copy(), code, idf)
        patch.setattr(text, "UNIT_ROWS_AT_ONCE", part)
        parts = text.unit_rows(counts.copy(), code, idf)
    assert parts.shape == whole.shape
    assert parts.dtype == whole.dtype == np.float32
    assert parts.indptr.tolist() == whole.indptr.tolist()
    assert parts.indices.tolist() == whole.indices.tolist()
    assert parts.data.tobytes() == whole.data.tobytes()


@given(st.lists(st.integers(0, 7), min_size=0, max_size=30), st.integers(1, 10))
def test_row_spans_cover_every_row_once_within_the_entries(
    lengths: list[int], entries: int
) -> None:
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    spans = text.row_spans(indptr, entries)
    assert [r for start, stop in spans for r in range(start, stop)] == list(range(len(lengths)))
    for start, stop in spans:
        assert stop - start == 1 or indptr[stop] - indptr[start] <= entries
        if stop < len(lengths):  # a span ends only where the next row would not fit
            assert indptr[stop + 1] - indptr[start] > entries
