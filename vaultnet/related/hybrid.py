"""The hybrid related-notes score: each signal on one vault-wide scale, then weighted.

For a note A, every signal `s` scores the candidates it can reach (`x = score_s(A, B)`). The hybrid
score is `sum_s weight_s * x / (x + scale_s)`: a score equal to the signal's `scale_s` (its typical
best match in this vault) counts half its weight, and no signal can contribute more than its
weight, whatever its natural range, nor depends on A's other candidates. Weights and scales form
a `Calibration`: the defaults, or learned from the vault itself (`vaultnet.related.learn`). Ties
are broken by path, so a ranking depends on the vault's content and the calibration alone. See
docs/related.md.
"""

from __future__ import annotations

import numpy as np

from vaultnet.related.calibration import (
    DEFAULT_SCALES,
    DEFAULT_WEIGHTS,
    DEFAULTS,
    SIGNALS,
    Calibration,
    Related,
)
from vaultnet.related.corpus import Corpus
from vaultnet.related.explain import Best, best_of, describe, explain
from vaultnet.related.reasons import Reason
from vaultnet.related.signals import block_of_rows, hybrid, raw_scores
from vaultnet.related.sparse import sp

__all__ = [
    "DEFAULTS",
    "DEFAULT_SCALES",
    "DEFAULT_WEIGHTS",
    "SIGNALS",
    "Calibration",
    "Engine",
    "Related",
    "top",
]


class Engine:
    """Related notes over one fitted corpus, one note at a time (a note's row against every
    row); its last note's raw scores are kept for their reasons."""

    def __init__(self, corpus: Corpus, calibration: Calibration = DEFAULTS) -> None:
        assert corpus.stats is not None, "fit the corpus first"
        self.corpus = corpus
        self.calibration = calibration
        self.weights = dict(calibration.weights)
        self._row = -1
        self._raw: dict[str, sp.csr_matrix] = {}
        self._scores = np.zeros(0)

    def _query(self, path: str) -> int:
        row = self.corpus.row_of.get(path, -1)
        if row < 0 or not self.corpus.alive[row]:
            raise KeyError(path)
        if row != self._row:
            wanted = [s for s in SIGNALS if self.weights[s] > 0.0]
            self._raw = raw_scores(self.corpus, block_of_rows(self.corpus, [row]), wanted)
            calibration = self.calibration
            self._scores = hybrid(self._raw, calibration.weights, calibration.scales)[0]
            self._row = row
        return row

    def signal_scores(self, path: str) -> dict[str, dict[str, float]]:
        """Each weighted signal's raw scores of its candidates (never `path` itself)."""
        self._query(path)
        paths = self.corpus.paths
        found = {}
        for name, scores in self._raw.items():
            coo = scores.tocoo()
            found[name] = {
                paths[c]: float(v) for c, v in zip(coo.col.tolist(), coo.data.tolist(), strict=True)
            }
        return found

    def raw(self, name: str, path: str, other: str) -> float:
        """`other`'s raw score under signal `name` for `path` (0.0 when not weighted)."""
        self._query(path)
        scores = self._raw.get(name)
        col = self.corpus.row_of.get(other)
        return 0.0 if scores is None or col is None else float(scores[0, col])

    def share(self, name: str, path: str, other: str) -> float:
        """`other`'s score under signal `name` as a share of the best candidate's (0..1)."""
        self._query(path)
        scores = self._raw.get(name)
        if scores is None or not scores.nnz:
            return 0.0
        best = float(scores.data.max())
        return self.raw(name, path, other) / best if best > 0.0 else 0.0

    def scores(self, path: str) -> dict[str, float]:
        """Hybrid score of every candidate note (never `path` itself)."""
        self._query(path)
        cols = np.flatnonzero(self._scores > 0.0)
        paths = self.corpus.paths
        return {paths[c]: float(self._scores[c]) for c in cols.tolist()}

    def ranking(
        self, path: str, *, suggestions: bool = False, limit: int | None = None
    ) -> list[tuple[str, float]]:
        """(path, score), best first, ties by path; `suggestions` drops notes already linked;
        `limit` keeps only the first ones."""
        row = self._query(path)
        skip = self.corpus.out.row(row)[0] if suggestions else None
        return [
            (self.corpus.paths[c], s) for c, s in top(self._scores, self.corpus.paths, limit, skip)
        ]

    def related(self, path: str, k: int = 10, *, suggestions: bool = False) -> list[Related]:
        """The `k` notes most related to `path`, with reasons."""
        return [
            self.describe(path, other, score)
            for other, score in self.ranking(path, suggestions=suggestions, limit=k)
        ]

    def describe(self, path: str, other: str, score: float) -> Related:
        row = self._query(path)
        return describe(
            self.corpus, self.weights, row, self.corpus.row_of[other], score, self.best()
        )

    def best(self) -> Best:
        """The last note's best text and loose scores (for the loose reason)."""
        empty = (np.zeros(0, dtype=np.int32), np.zeros(0))
        rows = [self._raw.get(name) for name in ("text", "loose")]
        return best_of(*[(m.indices, m.data) if m is not None else empty for m in rows])

    def reasons(self, path: str, other: str) -> list[Reason]:
        row = self._query(path)
        return explain(self.corpus, self.weights, row, self.corpus.row_of[other], self.best())


def top(
    scores: np.ndarray,
    paths: list[str],
    limit: int | None = None,
    skip: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """(row, score) of the rows with a score above 0, best first, ties by path; without the
    rows of `skip`; only the first `limit` when given. The cut-off score is found on the bare
    floats, then only the rows that reach it are sorted."""
    if skip is not None and len(skip):
        scores = scores.copy()
        scores[skip] = 0.0
    rows = np.flatnonzero(scores > 0.0)
    if limit is not None and limit < len(rows):
        if limit <= 0:
            return []
        values = scores[rows]
        cut = np.partition(values, len(values) - limit)[len(values) - limit]
        rows = rows[values >= cut]
    ranked = sorted(rows.tolist(), key=lambda r: (-scores[r], paths[r]))
    if limit is not None:
        ranked = ranked[:limit]
    return [(r, float(scores[r])) for r in ranked]
