"""Every signal's raw scores for a block of notes at once, as sparse products.

A `Block` holds the query rows of some notes: the corpus's own rows (`block_of_rows`), or those
of notes as they would be after a change that is not made (`block_of_notes`: a note with one link
hidden, as the learner and the evaluation ask). `raw_scores` turns a block into one `len(block) x
N` matrix per signal, the block's own notes left out. `hybrid` combines them with a calibration
(`vaultnet.related.hybrid`), signal by signal in a fixed order, so a note pair's hybrid score is
the same float however it is reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from vaultnet.related import folders, graph, shared
from vaultnet.related.calibration import SIGNALS
from vaultnet.related.cols import ones
from vaultnet.related.content import COUNTS, saturated
from vaultnet.related.corpus import Corpus
from vaultnet.related.notes import NoteData
from vaultnet.related.rows import from_rows
from vaultnet.related.sparse import sp
from vaultnet.related.stats import MAX_FOLDER
from vaultnet.related.text import unit_rows


@dataclass(frozen=True, slots=True)
class Block:
    """The query rows of a block of notes."""

    rows: np.ndarray
    """Each note's own row (left out of its scores)."""
    text: sp.csr_matrix
    loose: sp.csr_matrix
    adj: sp.csr_matrix
    tagged: sp.csr_matrix
    out: sp.csr_matrix
    fw: sp.csr_matrix
    terms: sp.csr_matrix
    """Which terms each note has (for the names it mentions; its own names are those of its
    row: a note is never asked about with other names)."""

    def __len__(self) -> int:
        return len(self.rows)


def block_of_rows(corpus: Corpus, rows: Sequence[int] | np.ndarray) -> Block:
    """The corpus's own rows of these notes."""
    rows = np.asarray(rows, dtype=np.int64)
    return Block(
        rows,
        corpus.x.take(rows),
        corpus.loose.take(rows),
        corpus.adj.take(rows),
        corpus.tagged.take(rows),
        corpus.out.take(rows),
        corpus.fw.take(rows),
        corpus.counts.take(rows),
    )


def block_of_notes(corpus: Corpus, notes: Sequence[NoteData]) -> Block:
    """The rows these notes would have in place of the corpus's notes of the same paths (each
    must be in the corpus): nothing in the corpus changes."""
    assert corpus.stats is not None
    idf = corpus.stats.idf(corpus.text_terms())
    width, count = len(corpus.terms), len(corpus.paths)
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {
        k: [] for k in ("counts", "loose", "code", "adj", "tagged", "out", "fw")
    }
    rows = []
    for note in notes:
        row = corpus.row_of[note.path]
        rows.append(row)
        parts["counts"].append(_known(corpus, note.terms))
        parts["loose"].append(_known(corpus, note.loose()))
        parts["code"].append(_known(corpus, note.code))
        out = sorted({corpus.row_of[p] for p in note.links if p in corpus} - {row})
        parts["out"].append(ones(out))
        into = corpus.out.column(row)[0]
        parts["adj"].append(ones(np.union1d(out, into[into != row]).tolist()))
        tags = sorted(corpus.tag_of[t] for t in note.tags if t in corpus.tag_of)
        parts["tagged"].append(ones(tags))
        parts["fw"].append(corpus.folder_row(row, np.asarray(out, dtype=np.int64)))
    counts = from_rows(parts["counts"], width, COUNTS)
    code = from_rows(parts["code"], width, COUNTS)
    return Block(
        np.asarray(rows, dtype=np.int64),
        unit_rows(counts, code, idf),
        unit_rows(from_rows(parts["loose"], width, COUNTS), code, idf),
        from_rows(parts["adj"], count),
        from_rows(parts["tagged"], len(corpus.tags)),
        from_rows(parts["out"], count),
        from_rows(parts["fw"], len(corpus.folders)),
        counts.astype(np.float64),
    )


def raw_scores(
    corpus: Corpus, block: Block, wanted: Iterable[str] = SIGNALS
) -> dict[str, sp.csr_matrix]:
    """Each wanted signal's raw score of every note for each note of `block` (never itself)."""
    found: dict[str, sp.csr_matrix] = {}
    wanted = list(wanted)
    links = graph.scores(corpus, block.adj) if {"links", "popular"} & set(wanted) else None
    for name in wanted:
        if name == "links":
            assert links is not None
            scores = links
        elif name == "popular":
            assert links is not None
            scores = graph.popular(corpus, links, block.out, corpus.out.take(block.rows))
        elif name == "mentions":
            scores = mention_scores(corpus, block)
        elif name == "text":
            scores = corpus.x.times(block.text)
        elif name == "loose":
            scores = corpus.x.times(block.loose)
        elif name == "tags":
            scores = shared.tag_scores(corpus, block.tagged)
        elif name == "people":
            scores = shared.people_scores(corpus, block.out)
        else:
            scores = folders.scores(corpus, block.fw)
        found[name] = _without_self(scores.tocsr(), block.rows, len(corpus.paths))
    return found


def mention_scores(corpus: Corpus, block: Block) -> sp.csr_matrix:
    """Names each note's text holds (`Names.forward_block`) plus the notes holding its names
    (`Names.holders_block`)."""
    width = len(corpus.paths)
    forward = corpus.names.forward_block(block.terms, width)
    backward = corpus.names.holders_block(block.rows, corpus.counts, width)
    return (forward + backward).tocsr()


def hybrid(
    raw: Mapping[str, sp.csr_matrix], weights: Mapping[str, float], scales: Mapping[str, float]
) -> np.ndarray:
    """The dense hybrid scores of a block (`sum_s w_s * x / (x + scale_s)`, signals in
    `SIGNALS` order)."""
    shape = next(iter(raw.values())).shape
    found = np.zeros(shape, dtype=np.float64)
    for name in SIGNALS:
        weight = weights.get(name, 0.0)
        scores = raw.get(name)
        if weight <= 0.0 or scores is None or not scores.nnz:
            continue
        rows = np.repeat(np.arange(shape[0]), np.diff(scores.indptr))
        found[rows, scores.indices] += transform(scores.data, weight, scales[name])
    return found


def transform(x: np.ndarray, weight: float, scale: float) -> np.ndarray:
    """A signal's raw scores on the hybrid's scale: `weight * x / (x + scale)`."""
    x = np.array(x, dtype=np.float64)  # a copy, then in place: the same floats, one array
    denominator = x + scale
    x *= weight
    x /= denominator
    return x


def _without_self(scores: sp.csr_matrix, rows: np.ndarray, width: int) -> sp.csr_matrix:
    if scores.shape[1] != width:
        scores = sp.csr_matrix((scores.data, scores.indices, scores.indptr), (len(rows), width))
    owner = np.repeat(rows, np.diff(scores.indptr))
    keep = scores.indices != owner
    if keep.all():
        return scores
    counts = np.diff(scores.indptr) - np.bincount(
        np.repeat(np.arange(len(rows)), np.diff(scores.indptr))[~keep], minlength=len(rows)
    )
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sp.csr_matrix((scores.data[keep], scores.indices[keep], indptr), shape=scores.shape)


def _known(corpus: Corpus, pairs: Iterable[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The counts of the corpus's terms among `pairs`, as the corpus would hold them."""
    found = sorted((corpus.term_of[t], n) for t, n in pairs if n > 0 and t in corpus.term_of)
    cols = np.array([c for c, _ in found], dtype=np.int32)
    return cols, saturated(np.array([n for _, n in found], dtype=np.int64))


SYMMETRIC = frozenset({"links", "mentions", "text", "tags", "people"})
"""Signals whose score of (A, B) is the same float as that of (B, A)."""


def raw_columns(
    corpus: Corpus, rows: Sequence[int] | np.ndarray, wanted: Iterable[str] = SIGNALS
) -> dict[str, sp.csr_matrix]:
    """Each wanted signal's raw score *for* every note *of* each of `rows`: entry (i, A) is A's
    score of `rows[i]` (what A's own row holds), `rows[i]` left out."""
    rows = np.asarray(rows, dtype=np.int64)
    wanted = list(wanted)
    block = block_of_rows(corpus, rows)
    found = raw_scores(corpus, block, [s for s in wanted if s in SYMMETRIC])
    width = len(corpus.paths)
    if "loose" in wanted:
        found["loose"] = _without_self(corpus.loose.times(block.text), rows, width)
    if "popular" in wanted:
        # A's popular score of a row: the row's links count, where A's links row reaches it
        # (the link graph is symmetric: where the row's links row reaches A).
        reach = (
            found["links"] if "links" in found else raw_scores(corpus, block, ["links"])["links"]
        )
        assert corpus.stats is not None
        linked = graph.padded(corpus.stats.linked, width)[rows]
        counts = np.repeat(linked, np.diff(reach.indptr))
        popular = sp.csr_matrix((counts, reach.indices.copy(), reach.indptr.copy()), reach.shape)
        popular.eliminate_zeros()
        found["popular"] = popular
    if "folders" in wanted:
        assert corpus.stats is not None
        fids = corpus.fid[rows]
        usable = np.array([corpus.stats.size(f) <= MAX_FOLDER for f in fids.tolist()], bool)
        alive = corpus.alive[rows] & usable
        unit = sp.csr_matrix(
            (alive.astype(np.float64), (np.arange(len(rows)), fids)),
            shape=(len(rows), len(corpus.folders)),
        )
        unit.eliminate_zeros()
        found["folders"] = _without_self(corpus.fw.times(unit), rows, width)
    return {name: found[name] for name in SIGNALS if name in found}


def hybrid_rows(
    corpus: Corpus, rows: Sequence[int] | np.ndarray, calibration: Calibrated
) -> np.ndarray:
    """The dense hybrid scores of each of `rows` with every note (`len(rows) x N`)."""
    wanted = [s for s in SIGNALS if calibration.weights.get(s, 0.0) > 0.0]
    if not wanted:
        return np.zeros((len(rows), len(corpus.paths)))
    raw = raw_scores(corpus, block_of_rows(corpus, rows), wanted)
    return hybrid(raw, calibration.weights, calibration.scales)


def hybrid_columns(
    corpus: Corpus, rows: Sequence[int] | np.ndarray, calibration: Calibrated
) -> np.ndarray:
    """Entry (i, A): A's hybrid score of `rows[i]`, for every note A."""
    wanted = [s for s in SIGNALS if calibration.weights.get(s, 0.0) > 0.0]
    if not wanted:
        return np.zeros((len(rows), len(corpus.paths)))
    return hybrid(raw_columns(corpus, rows, wanted), calibration.weights, calibration.scales)


class Calibrated(Protocol):
    @property
    def weights(self) -> Mapping[str, float]: ...

    @property
    def scales(self) -> Mapping[str, float]: ...
