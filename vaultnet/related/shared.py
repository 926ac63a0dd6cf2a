"""Shared labels: tags weighted by rarity, and people both notes mention.

A shared tag scores `ln(N / df)` (`Stats.rarity`: a tag on more than `max(50, N / 5)` notes
counts nothing). A shared person (a person note both notes link to) scores `1 / ln(1 +
mentions)`, where `mentions` counts the notes linking to that person (`Stats.people`). As
matrices, with `T` the tag matrix and `R` the rarities: `(T[block] * R) @ T.T`; with `O` the
link matrix and `P` the person weights of the notes that are people now: `(O[block] * P) @ O.T`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from vaultnet.related.reasons import Reason, join_words
from vaultnet.related.rows import diagonal
from vaultnet.related.sparse import sp

if TYPE_CHECKING:
    from vaultnet.related.corpus import Corpus

RARE = math.log(20)
"""A tag on at most one note in 20 is "rare" in the reason."""


def rarities(corpus: Corpus) -> np.ndarray:
    """Each tag id's rarity (0 for the tags the fit did not see)."""
    assert corpus.stats is not None
    found = np.zeros(len(corpus.tags), dtype=np.float64)
    known = min(len(found), len(corpus.stats.rarity))
    found[:known] = corpus.stats.rarity[:known]
    return found


def person_weights(corpus: Corpus, width: int) -> np.ndarray:
    """Each note's weight as a shared person (0 unless it is a person now)."""
    assert corpus.stats is not None
    found = np.zeros(width, dtype=np.float64)
    known = min(width, len(corpus.stats.people))
    found[:known] = corpus.stats.people[:known]
    person = np.zeros(width, dtype=bool)
    person[: min(width, len(corpus.paths))] = corpus.person[: min(width, len(corpus.paths))]
    return np.where(person, found, 0.0)


def tag_scores(corpus: Corpus, tagged: sp.csr_matrix) -> sp.csr_matrix:
    weighted = sp.csr_matrix(tagged, shape=(tagged.shape[0], len(corpus.tags)))
    weighted = (weighted @ diagonal(rarities(corpus))).tocsr()
    weighted.eliminate_zeros()
    return corpus.tagged.times(weighted)


def people_scores(corpus: Corpus, out: sp.csr_matrix) -> sp.csr_matrix:
    weighted = (out @ diagonal(person_weights(corpus, out.shape[1]))).tocsr()
    weighted.eliminate_zeros()
    return corpus.out.times(weighted)


def tag_reasons(corpus: Corpus, row: int, other: int, limit: int = 3) -> list[Reason]:
    rarity = rarities(corpus)
    both = np.intersect1d(corpus.tagged.row(row)[0], corpus.tagged.row(other)[0]).tolist()
    shared = sorted((-rarity[t], corpus.tags[t]) for t in both if rarity[t] > 0.0)
    if not shared:
        return []
    rare = "rare " if -shared[0][0] >= RARE else ""
    label = "tag" if len(shared) == 1 else "tags"
    tags = join_words([f"#{tag}" for _, tag in shared[:limit]])
    return [Reason.plain(f"shared {rare}{label} {tags}")]


def people_reasons(corpus: Corpus, row: int, other: int, limit: int = 3) -> list[Reason]:
    weights = person_weights(corpus, len(corpus.paths))
    both = np.intersect1d(corpus.out.row(row)[0], corpus.out.row(other)[0]).tolist()
    shared = sorted((-weights[p], corpus.paths[p]) for p in both if weights[p] > 0.0)
    if not shared:
        return []
    return [Reason.naming("both mention ", [path for _, path in shared[:limit]])]
