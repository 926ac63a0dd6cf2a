"""The strongest pairs of idea notes not linked either way (the Suggested links page), found
exactly without scoring every pair.

A pair's score is the larger of its two directions' hybrid scores. The page wants the best few
dozen pairs of a vault whose idea notes make millions of pairs, so the search keeps a threshold
`tau` (the score of the `want`-th best pair found so far, seeded from a sample of full rows) and
skips every pair that provably cannot reach it: each signal's score splits into a part computed
as a sparse product over its *heavy* features (rare tags, small hubs and folders, every mention)
and a bound on the rest (the *light* features: a tag on many notes, a hub with many links, a big
folder; the text and loose cosines, which are at most 1; the popular count a light hub can
bring). A note whose bound without any heavy
match stays under `tau` gets only its heavy candidates scored, exactly (`vaultnet.related.rows.
pair_dots`: the same floats as a full row); any other note gets its full row. Every pair at or
above the final `tau` is found, so the page is the same as if every pair had been scored.

`PairTable` keeps those pairs between runs: an edit drops the pairs of the notes whose rows
changed and scores those notes' rows and columns again; only when the table no longer holds
enough pairs above `tau` is the search run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from vaultnet.related.bounds import Bounds, heavy_scores, pair_scores, upper
from vaultnet.related.calibration import Calibration
from vaultnet.related.corpus import Corpus
from vaultnet.related.rows import one_hot_rows, pair_dots
from vaultnet.related.signals import hybrid_columns, hybrid_rows
from vaultnet.related.spread import spread

if TYPE_CHECKING:
    from ctypes import c_double

PER_NOTE = 3
"""A note appears in at most this many suggested pairs, so one busy note cannot fill the list."""
WANT = 4
"""The search keeps the pairs above the score of this many times as many pairs as the page
lists (the per-note limit skips some); more only when that is not enough."""
SAMPLE = 48
"""Idea notes whose full rows seed the threshold."""
BLOCK = 64
"""Idea notes a worker bounds and scores at a time (at 100,000 notes, 256 made each worker hold
about 0.3 GB of its own; 64 is as fast)."""
SLACK = 1e-9
"""Bounds are compared with the threshold less this, so rounding can never lose a pair."""
FULL_ROWS = 8
"""Notes whose every score is computed at once (a dense row of N floats each, and each signal's
sparse products: at 100,000 notes 64 rows at once were the search's peak, 0.6 GB over the
corpus, and 16 still 140 MB)."""


@dataclass
class PairTable:
    """Every pair of idea rows at or above `tau`: (first row, second row) with first < second
    -> (score, source row)."""

    tau: float = 0.0
    found: dict[tuple[int, int], tuple[float, int]] = field(default_factory=dict)
    complete: bool = False
    """`tau` is 0: every pair with a score is here."""

    def add(
        self, source: int, others: np.ndarray, scores: np.ndarray, paths: Sequence[str]
    ) -> None:
        """Directional scores `source -> others` (kept when at or above `tau`); a pair keeps
        its better direction (on a tie, the one from the later path)."""
        keep = scores >= self.tau
        for other, score in zip(others[keep].tolist(), scores[keep].tolist(), strict=True):
            key = (min(source, other), max(source, other))
            best = self.found.get(key)
            if best is None or (score, paths[source]) > (best[0], paths[best[1]]):
                self.found[key] = (score, source)

    def drop(self, rows: Iterable[int]) -> None:
        gone = set(rows)
        self.found = {k: v for k, v in self.found.items() if k[0] not in gone and k[1] not in gone}

    def cut(self, tau: float) -> None:
        """Raise the threshold to `tau`, dropping the pairs below it."""
        if tau > self.tau:
            self.tau, self.complete = tau, False
            self.found = {k: v for k, v in self.found.items() if v[0] >= tau}

    def ranked(self, paths: Sequence[str]) -> list[tuple[int, int, float]]:
        """(source, other, score), best first; ties by the pair's paths."""

        def key(item: tuple[tuple[int, int], tuple[float, int]]) -> tuple[float, str, str]:
            (a, b), (score, _) = item
            first, second = sorted((paths[a], paths[b]))
            return (-score, first, second)

        ranked = sorted(self.found.items(), key=key)
        return [(s, b if s == a else a, score) for (a, b), (score, s) in ranked]


def choose(
    table: PairTable, paths: Sequence[str], limit: int
) -> list[tuple[int, int, float]] | None:
    """The `limit` best pairs, each note in at most `PER_NOTE` of them; None when the table
    cannot tell (fewer than `limit` chosen while pairs below `tau` exist)."""
    chosen: list[tuple[int, int, float]] = []
    offered: dict[int, int] = {}
    for source, other, score in table.ranked(paths):
        if len(chosen) >= limit:
            break
        if offered.get(source, 0) >= PER_NOTE or offered.get(other, 0) >= PER_NOTE:
            continue
        offered[source] = offered.get(source, 0) + 1
        offered[other] = offered.get(other, 0) + 1
        chosen.append((source, other, score))
    if len(chosen) < limit and not table.complete:
        return None
    return chosen


def search(
    corpus: Corpus,
    ideas: np.ndarray,
    calibration: Calibration,
    want: int,
    stale: Callable[[], bool] | None = None,
) -> PairTable:
    """Every pair of `ideas` rows not linked either way whose score is at or above the score of
    the `want`-th best pair (see the module docstring)."""
    from ctypes import c_double
    from multiprocessing.sharedctypes import RawValue  # only a search loads it

    table = PairTable()
    if len(ideas) < 2 or want <= 0:
        table.complete = True
        return table
    member = np.zeros(len(corpus.paths), dtype=bool)
    member[ideas] = True
    check = stale
    sample = ideas[np.linspace(0, len(ideas) - 1, min(SAMPLE, len(ideas))).astype(int)]
    sample = np.unique(sample)
    seed = _full_rows(corpus, sample, member, calibration)
    table.tau = _seed_threshold(seed, want)
    for source, others, scores in seed:
        table.add(source, others, scores, corpus.paths)
    table.cut(_kth(table, want))
    bounds = Bounds(corpus, calibration, member)
    rest = ideas[~np.isin(ideas, sample)]
    blocks = [rest[start : start + BLOCK] for start in range(0, len(rest), BLOCK)]
    # Raised as blocks come in; in memory the forked workers share, so each block they start
    # prunes with the best threshold known then (each kept its first copy: 302 s at 100k).
    threshold = RawValue(c_double, table.tau)

    def done(found: list[Scored]) -> None:
        for source, others, scores in found:
            table.add(source, others, scores, corpus.paths)
        table.cut(_kth(table, want))
        threshold.value = table.tau

    state = (corpus, member, calibration, bounds, threshold)
    spread(_block, state, blocks, len(ideas) * len(corpus), check, done)
    table.complete = table.tau <= 0.0
    return table


def update(
    table: PairTable,
    corpus: Corpus,
    ideas: np.ndarray,
    calibration: Calibration,
    rows: Iterable[int],
) -> None:
    """Bring `table` up to date after the rows `rows` changed (or came, went, or became or
    stopped being idea notes): their pairs are dropped and scored again, both directions."""
    rows = np.array(sorted(set(rows)), dtype=np.int64)
    table.drop(rows.tolist())
    member = np.zeros(len(corpus.paths), dtype=bool)
    member[ideas] = True
    rows = rows[member[rows]] if len(rows) else rows
    if not len(rows):
        return
    outward = hybrid_rows(corpus, rows, calibration)
    inward = hybrid_columns(corpus, rows, calibration)
    paths = corpus.paths
    for i, row in enumerate(rows.tolist()):
        others, scores = _candidates(corpus, row, outward[i], member)
        table.add(row, others, scores, paths)
        others, scores = _candidates(corpus, row, inward[i], member)
        for other, score in zip(others.tolist(), scores.tolist(), strict=True):
            table.add(other, np.array([row]), np.array([score]), paths)


# --- the search, block by block ------------------------------------------------------------


def _seed_threshold(found: list[Scored], want: int) -> float:
    """The score of the `want`-th best pair among these scores (0 when there are fewer): each
    sampled note (a source, once) with the distinct notes it scores, never itself. A pair of two
    sampled notes, scored from both, counts once at its better score; of its other pairs a note
    keeps its `want` best, as no other can be among the `want` best of all (at 100,000 notes all
    the seed's scores at once were a first `generate`'s peak, docs/benchmarks.md)."""
    sampled = np.array(sorted({source for source, _, _ in found}), dtype=np.int64)
    inner: dict[tuple[int, int], float] = {}
    kept = []
    for source, others, scores in found:
        both = np.isin(others, sampled)
        for other, score in zip(others[both].tolist(), scores[both].tolist(), strict=True):
            key = (min(source, other), max(source, other))
            inner[key] = max(inner.get(key, score), score)
        rest = scores[~both]
        kept.append(np.partition(rest, len(rest) - want)[-want:] if len(rest) > want else rest)
    kept.append(np.fromiter(inner.values(), np.float64, len(inner)))
    pooled = np.concatenate(kept)
    if len(pooled) < want:
        return 0.0
    return float(np.partition(pooled, len(pooled) - want)[len(pooled) - want])


def _kth(table: PairTable, want: int) -> float:
    if len(table.found) < want:
        return table.tau
    scores = np.fromiter((v[0] for v in table.found.values()), np.float64, len(table.found))
    return float(np.partition(scores, len(scores) - want)[len(scores) - want])


def _candidates(
    corpus: Corpus, row: int, scores: np.ndarray, member: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The idea notes `row` scores above 0 and is not linked with either way."""
    ok = (scores > 0.0) & member
    ok[row] = False
    ok[corpus.adj.row(row)[0]] = False
    others = np.flatnonzero(ok)
    return others, scores[others]


Scored = tuple[int, np.ndarray, np.ndarray]
"""A note, the notes it scores, and their scores."""


def _full_rows(
    corpus: Corpus, rows: np.ndarray, member: np.ndarray, calibration: Calibration
) -> list[Scored]:
    found = []
    for start in range(0, len(rows), FULL_ROWS):
        part = rows[start : start + FULL_ROWS]
        scores = hybrid_rows(corpus, part, calibration)
        for i, row in enumerate(part.tolist()):
            found.append((row, *_candidates(corpus, row, scores[i], member)))
    return found


def _block(
    state: tuple[Corpus, np.ndarray, Calibration, Bounds, c_double], rows: np.ndarray
) -> list[Scored]:
    """The scores at or above the threshold of a block of rows: exactly, for every candidate
    whose bound reaches it."""
    corpus, member, calibration, bounds, threshold = state
    tau = threshold.value
    light = bounds.light(corpus, rows)
    outside = bounds.outside(light)
    open_rows = outside >= tau - SLACK
    found_scores: list[Scored] = []
    if open_rows.any():
        # only what can enter the table: the threshold only rises (`PairTable.add` drops the
        # rest), and a full row holds every idea note (400 MB for a block of them at 100k)
        for source, others, scores in _full_rows(corpus, rows[open_rows], member, calibration):
            keep = scores >= tau
            found_scores.append((source, others[keep], scores[keep]))
    rows = rows[~open_rows]
    if not len(rows):
        return found_scores
    light = {k: v[~open_rows] for k, v in light.items()}
    heavy = heavy_scores(corpus, rows, member, bounds)
    found = upper(heavy, light, bounds, outside[~open_rows]).tocoo()
    keep = found.data >= tau - SLACK
    left, right = rows[found.row[keep]], found.col[keep].astype(np.int64)
    left, right = left[left != right], right[left != right]
    linked = pair_dots(corpus.adj.take(left), one_hot_rows(right, len(corpus.paths))) > 0.0
    left, right = left[~linked], right[~linked]
    if not len(left):
        return found_scores
    scores = pair_scores(corpus, left, right, calibration)
    keep = scores >= tau
    left, right, scores = left[keep], right[keep], scores[keep]
    for source in np.unique(left).tolist():
        mine = left == source
        found_scores.append((source, right[mine], scores[mine]))
    return found_scores
