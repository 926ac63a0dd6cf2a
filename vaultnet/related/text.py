"""Text similarity as sparse vectors: each note a unit-length TF-IDF vector over every word.

A note's vector weighs each word `(1 + ln tf) * idf`, `idf = ln(N / df)`, and is divided by its
length, so the text score of two notes is the cosine of their vectors: one sparse row times the
matrix gives every note's score at once, exact over every word (no keyword cut). A word written
in a code block counts `CODE_WEIGHT` of a prose word: code says what a note is about, but less
plainly (`log_weights`). Not every term is a word worth weighing: English function words
(`vaultnet.vault.terms.STOP_WORDS` and the longer list here) and ASCII terms of one or two
characters (`id`, `ui`, `v2`) are left out of the vectors (`text_terms`); Chinese and Japanese
bigrams and two-letter words of other scripts stay.

The loose vector of a note is the same over its loose lines alone (the body lines that hold no
link): the `loose` signal compares it with the other notes' whole vectors, so an index note's
unlinked line ("- : Chat with AI about your notes") finds the note it describes, where its
thousands of other words would drown it in `text`.

The vault statistics (`N`, `df`) are those of `vaultnet.related.stats.Stats`, fixed between two
fits, so a note's vector depends on its own words alone and an edit changes one row.
"""

from __future__ import annotations

import math

import numpy as np

from vaultnet.related.rows import EMPTY_INT, csr
from vaultnet.related.sparse import sp

CODE_WEIGHT = 0.5
"""How much a word counts in the text signals when it is written in a code block, against 1 in
prose (docs/benchmarks.md: code at full weight diluted documentation vaults' prose)."""
_MORE_STOP_WORDS = """
    across afterwards almost alone along already although always among amongst amoungst amount
    another anyhow anyone anything anyway anywhere around back became become becomes becoming
    beforehand behind beside besides beyond bill bottom call cant co con couldnt cry de describe
    detail done due eight either eleven else elsewhere empty enough even ever every everyone
    everything everywhere except fifteen fifty fill find fire first five former formerly forty
    found four front full get give go hasnt hence hereafter hereby herein hereupon however hundred
    inc indeed interest keep last latter latterly least less ltd made many meanwhile mill mine
    moreover mostly move much name namely neither never nevertheless next nine nobody none noone
    nothing nowhere often one onto others otherwise part per perhaps please put rather see seem
    seemed seeming seems serious several show side since sincere six sixty somehow someone
    something sometime sometimes somewhere still system take ten thence thereafter thereby
    therefore therein thereupon thick thin third though three throughout thru thus together top
    toward towards twelve twenty two un upon well whatever whence whenever whereafter whereas
    whereby wherein whereupon wherever whether whither whoever whole whose within without yet
"""
MORE_STOP_WORDS = frozenset(_MORE_STOP_WORDS.split())
"""The Glasgow stop list's function words (as scikit-learn ships it) beyond the index's own,
without its content words (`system`, `name`, `interest`, ...): terms kept in the index for
mentions, left out of the text vectors."""
UNIT_ROWS_AT_ONCE = 1 << 21
"""Entries `unit_rows` weighs at once: its temporaries are a few arrays of that many 8-byte
numbers. The whole matrix at once was the peak of a first `generate` at 100,000 notes (+430 MB
over the corpus, docs/benchmarks.md)."""
_LOGS = np.log(np.arange(1, 4097, dtype=np.float64))
"""`ln tf` for small counts, from one table: the same floats in every process."""


def is_text_term(term: str) -> bool:
    """Whether `term` weighs in the text vectors (see the module docstring)."""
    return not (len(term) <= 2 and term.isascii()) and term not in MORE_STOP_WORDS


def log_weights(tf: np.ndarray, code: np.ndarray) -> np.ndarray:
    """`1 + ln tf`, scaled down by the share of the occurrences that are in code blocks (`code`
    of the `tf`, elementwise)."""
    tf = np.asarray(tf)
    logs = _LOGS[np.minimum(tf, len(_LOGS)) - 1]
    large = np.flatnonzero(tf > len(_LOGS))
    if len(large):
        logs[large] = [math.log(n) for n in tf[large].tolist()]
    weights = np.add(logs, 1.0, out=logs)
    code = np.asarray(code)
    if not code.any():
        return weights
    # weights * (1 - (1 - CODE_WEIGHT) * code / tf), the same floats, in place: at 100,000 notes
    # each temporary of the plain expression is 120 MB, and this was the build's peak
    factor = code.astype(np.float64)
    factor *= 1.0 - CODE_WEIGHT
    factor /= tf
    np.subtract(1.0, factor, out=factor)
    weights *= factor
    return weights


def unit_rows(
    counts: sp.csr_matrix, code: sp.csr_matrix, idf: np.ndarray, dtype: type = np.float32
) -> sp.csr_matrix:
    """Unit-length `log_weights * idf` rows of these term counts (`code`: the counts in code
    blocks, read only where `counts` has an entry: the loose rows are given the whole note's);
    terms of idf 0 drop, an empty row stays empty. Rows are weighed `UNIT_ROWS_AT_ONCE` entries
    at a time: a row's floats depend on that row alone, so they are the same as all at once."""
    counts = counts.tocsr()
    counts.sort_indices()
    if counts.nnz <= UNIT_ROWS_AT_ONCE:
        return _unit_rows(counts, code, idf, dtype)
    code = code.tocsr()
    pieces = [
        _unit_rows(counts[start:stop], code[start:stop], idf, dtype)
        for start, stop in row_spans(counts.indptr, UNIT_ROWS_AT_ONCE)
    ]
    return sp.vstack(pieces, format="csr")


def row_spans(indptr: np.ndarray, entries: int) -> list[tuple[int, int]]:
    """Consecutive row ranges `[start, stop)` covering every row, each holding at most `entries`
    entries (a longer row alone)."""
    spans, start, rows = [], 0, len(indptr) - 1
    while start < rows:
        stop = int(np.searchsorted(indptr, int(indptr[start]) + entries, side="right")) - 1
        stop = min(max(stop, start + 1), rows)
        spans.append((start, stop))
        start = stop
    return spans


def _unit_rows(
    counts: sp.csr_matrix, code: sp.csr_matrix, idf: np.ndarray, dtype: type
) -> sp.csr_matrix:
    in_code = aligned(counts, code)
    weights = log_weights(counts.data, np.minimum(in_code, counts.data))
    weights *= idf[counts.indices]
    rows = sp.csr_matrix((weights, counts.indices.copy(), counts.indptr.copy()), counts.shape)
    rows.eliminate_zeros()
    squares = sp.csr_matrix((rows.data**2, rows.indices, rows.indptr), rows.shape)
    norms = np.sqrt(np.asarray(squares @ np.ones((rows.shape[1], 1))).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0.0)
    rows.data *= np.repeat(scale, np.diff(rows.indptr))
    return rows.astype(dtype)


def unit_row(
    cols: np.ndarray, tf: np.ndarray, code: np.ndarray, idf: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """One note's `unit_rows` row from its (sorted) term ids, counts and code counts."""
    if not len(cols):
        return EMPTY_INT, np.zeros(0, dtype=np.float32)
    counts = sp.csr_matrix((tf, cols, [0, len(cols)]), shape=(1, width))
    in_code = sp.csr_matrix((code, cols, [0, len(cols)]), shape=(1, width))
    row = unit_rows(counts, in_code, idf)
    return row.indices, row.data


def aligned(counts: sp.csr_matrix, part: sp.csr_matrix) -> np.ndarray:
    """`part`'s value at each entry of `counts` (0 where `part` has none), in `counts`' order;
    `part`'s entries where `counts` has none are not read."""
    found = np.zeros(len(counts.data), dtype=np.int64)
    if not part.nnz:
        return found
    part = part.tocsr()
    part.sort_indices()
    width = max(counts.shape[1], part.shape[1])
    keys = np.repeat(np.arange(counts.shape[0], dtype=np.int64), np.diff(counts.indptr))
    keys = keys * width + counts.indices
    rows = np.repeat(np.arange(part.shape[0], dtype=np.int64), np.diff(part.indptr))
    wanted = rows * width + part.indices
    at = np.searchsorted(keys, wanted)
    inside = at < len(keys)
    inside[inside] = keys[at[inside]] == wanted[inside]
    found[at[inside]] = part.data[inside]
    return found


def aligned_row(cols: np.ndarray, part: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """`part`'s (columns, values) value at each of `cols` (0 where it has none)."""
    found = np.zeros(len(cols), dtype=np.int64)
    if len(part[0]):
        at = np.searchsorted(cols, part[0])
        found[at] = part[1]
    return found


def shared_words(
    mine: tuple[np.ndarray, np.ndarray],
    theirs: tuple[np.ndarray, np.ndarray],
    terms: list[str],
    limit: int = 3,
    leave_out: frozenset[str] = frozenset(),
) -> list[str]:
    """The terms that count most in the dot product of two (columns, values) rows, heaviest
    first (ties by term), without `leave_out`."""
    cols, mine_at, theirs_at = np.intersect1d(mine[0], theirs[0], return_indices=True)
    if not len(cols):
        return []
    products = mine[1][mine_at].astype(np.float64) * theirs[1][theirs_at]
    ranked = sorted(zip((-products).tolist(), (terms[c] for c in cols.tolist()), strict=True))
    return [term for _, term in ranked if term not in leave_out][:limit]


def empty(rows: int, cols: int) -> sp.csr_matrix:
    return csr(rows, cols, np.float32)
