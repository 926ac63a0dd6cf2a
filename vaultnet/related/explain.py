"""Why two notes are related, in words, read from the same rows that score them.

Each signal says which of its features two notes share (`vaultnet.related.graph.reasons`, ...);
the text signals name the words that weigh most in their dot product. The loose reason ("unlinked
lines share wording") is shown only for one of the strong loose matches of the asking note (at
least half its best loose score) that matches its loose lines better than its whole text, as a
share of the best: `Best` holds the asking note's best text and loose scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from vaultnet.related import folders, graph, shared, text
from vaultnet.related.calibration import Related
from vaultnet.related.corpus import Corpus
from vaultnet.related.reasons import Reason
from vaultnet.related.rows import pair_dots
from vaultnet.related.sparse import sp

LOOSE_REASON = 0.5
"""The loose reason is shown for candidates with at least this share of the best loose score."""


@dataclass(frozen=True, slots=True)
class Best:
    """A note's best raw text and loose scores among all its candidates, and which notes have
    them (-1: none)."""

    text: float = 0.0
    text_at: int = -1
    loose: float = 0.0
    loose_at: int = -1


def best_of(
    text_scores: tuple[np.ndarray, np.ndarray], loose: tuple[np.ndarray, np.ndarray]
) -> Best:
    """`Best` from a note's raw text and loose rows (columns, values), of tied notes the first
    by column (whatever order a product stored the row in)."""
    found: list[tuple[float, int]] = []
    for cols, values in (text_scores, loose):
        if len(values):
            top = values.max()
            found.append((float(top), int(cols[values == top].min())))
        else:
            found.append((0.0, -1))
    return Best(found[0][0], found[0][1], found[1][0], found[1][1])


def row_bests(scores: sp.csr_matrix | None, rows: int) -> list[tuple[float, int]]:
    """`best_of`'s (best score, its column) for each of the `rows` rows of a block's raw scores
    under one signal, at once (of tied columns the smallest); (0.0, -1) for an empty row, or for
    every row when `scores` is None (not scored)."""
    found = [(0.0, -1)] * rows
    if scores is None or not scores.nnz:
        return found
    assert scores.shape[0] == rows
    sizes = np.diff(scores.indptr)
    full = np.flatnonzero(sizes)
    starts = scores.indptr[full]  # an empty row between two holds no entry to reduce
    values, cols = scores.data[: scores.nnz], scores.indices[: scores.nnz]
    tops = np.maximum.reduceat(values, starts)
    at_top = values == np.repeat(tops, sizes[full])
    firsts = np.minimum.reduceat(np.where(at_top, cols, scores.shape[1]), starts)
    for row, top, col in zip(full.tolist(), tops.tolist(), firsts.tolist(), strict=True):
        found[row] = (top, col)
    return found


def beats(value: float, other: int, best: float, best_at: int) -> bool:
    """Whether candidate `other` scoring `value` is better than the best so far: higher, or
    tied and first by column (as `best_of` chooses)."""
    return value > best or (value == best and best > 0.0 and other < best_at)


def explain(
    corpus: Corpus,
    weights: Mapping[str, float],
    row: int,
    other: int,
    best: Best,
    loose_explains: bool | None = None,
) -> list[Reason]:
    """The reasons `other` is related to `row`, from `row`'s side (`loose_explains`: what
    `loose_explaining` says of `other`, when already asked)."""
    found = []
    if weights["links"] > 0.0:
        found += graph.reasons(corpus, row, other)
    if weights["mentions"] > 0.0:
        found += mention_reasons(corpus, row, other)
    if weights["tags"] > 0.0:
        found += shared.tag_reasons(corpus, row, other)
    if weights["people"] > 0.0:
        found += shared.people_reasons(corpus, row, other)
    words: list[str] = []
    if weights["text"] > 0.0:
        words = text.shared_words(corpus.x.row(row), corpus.x.row(other), corpus.terms)
        if words:
            found.append(Reason.plain("similar wording: " + ", ".join(words)))
    if loose_explains is None:
        loose_explains = weights["loose"] > 0.0 and loose_explaining(corpus, row, [other], best)[0]
    if weights["loose"] > 0.0 and loose_explains:
        loose = text.shared_words(
            corpus.loose.row(row), corpus.x.row(other), corpus.terms, leave_out=frozenset(words)
        )
        if loose:
            found.append(Reason.plain("unlinked lines share wording: " + ", ".join(loose)))
    if not found and weights["popular"] > 0.0:
        found += graph.popular_reasons(corpus, row, other)
    if not found and weights["folders"] > 0.0:
        found += folders.reasons(corpus, row, other)
    return found


def describe(
    corpus: Corpus, weights: Mapping[str, float], row: int, other: int, score: float, best: Best
) -> Related:
    return describe_all(corpus, weights, row, [(other, score)], best)[0]


def describe_all(
    corpus: Corpus,
    weights: Mapping[str, float],
    row: int,
    found: list[tuple[int, float]],
    best: Best,
) -> list[Related]:
    """`describe` for each (other, score) of `found`, the loose reason's dot products taken for
    all of them at once (one by one they were most of a page per idea note's time: 28 s of 40 s
    at 10,000 notes, profiled)."""
    others = [other for other, _ in found]
    loose = loose_explaining(corpus, row, others, best) if weights["loose"] > 0.0 else None
    path = corpus.paths[row]
    return [
        Related(
            corpus.paths[other],
            corpus.titles[other],
            round(score, 4),
            tuple(explain(corpus, weights, row, other, best, loose[i] if loose else False)),
            corpus.links_to(path, corpus.paths[other]),
        )
        for i, (other, score) in enumerate(found)
    ]


def mention_reasons(corpus: Corpus, row: int, other: int) -> list[Reason]:
    found = []
    path, to = corpus.paths[row], corpus.paths[other]
    names = corpus.names
    if not corpus.links_to(path, to) and names.mentions(row, other, corpus.counts.row(row)[0]):
        found.append(Reason.naming("this note mentions ", [to], " without a link"))
    if not corpus.links_to(to, path) and names.mentions(other, row, corpus.counts.row(other)[0]):
        found.append(Reason.plain("mentions this note without a link"))
    return found


def loose_explaining(corpus: Corpus, row: int, others: list[int], best: Best) -> list[bool]:
    """For each of `others`, whether it is one of the strong loose matches (half the best one's
    score or more) and matches the loose lines better than the whole note: then the loose lines'
    words say something the wording reason does not. A weak loose match shares everyday words.
    The same floats as one pair at a time (`pair_dots` sums each row on its own)."""
    if best.loose <= 0.0 or not others:
        return [False] * len(others)
    theirs = corpus.x.take(others)
    mine = [row] * len(others)
    loose_dots = pair_dots(corpus.loose.take(mine), theirs).tolist()
    whole_dots = pair_dots(corpus.x.take(mine), theirs).tolist()
    found = []
    for loose_dot, whole in zip(loose_dots, whole_dots, strict=True):
        loose = loose_dot / best.loose
        found.append(
            loose >= LOOSE_REASON and loose > (whole / best.text if best.text > 0.0 else 0.0)
        )
    return found
