"""Weights and scales learned from the vault itself: its own links are labelled data.

`learn(corpus, read, resolve)` runs the evaluation's link-recovery protocol (docs/benchmarks.md)
inside the engine:

1. **Trials.** Up to `TRIALS` links, drawn evenly from all links of the notes with at least
   `MIN_LINKS` links, are hidden: the note's links to the target are cut from its text with their
   anchor text (`vaultnet.related.hiding`), and every signal scores the note as it would be then
   against every other note, many trials at once (`vaultnet.related.signals.block_of_notes`: one
   sparse product per signal for a block of trials; the corpus is not changed). A trial is the
   candidates' scores and the target among them.
2. **Scales.** Each signal's scale is the median, over the trials, of the best raw score under
   that signal: the score of a typical strong match in this vault.
3. **Weights.** Coordinate ascent over a grid of weights (`GRID`), starting from the defaults,
   maximising the share of hidden links found in the top 10 plus the mean reciprocal rank.
   `links` is fixed at 1 (only ratios matter). A step is taken only when it gains at least
   `MARGIN` of that sum: a few hundred trials are noisy, and smaller gains on one half of a
   vault's notes did not hold on the other half (docs/benchmarks.md).

Every choice is seeded by the notes' paths (a hash, not `random`), so the same vault gives the
same calibration. Fewer than `MIN_TRIALS` trials: the defaults (weights and scales).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from statistics import median

import numpy as np
import scipy.sparse as sp

from vaultnet.errors import Superseded
from vaultnet.related.calibration import DEFAULT_SCALES, DEFAULT_WEIGHTS, SIGNALS, Calibration
from vaultnet.related.corpus import Corpus
from vaultnet.related.hiding import Resolve, hide_links, without
from vaultnet.related.notes import NoteData
from vaultnet.related.signals import block_of_notes, raw_scores

TRIALS = 300
MIN_TRIALS = 50
MIN_LINKS = 3
TOP = 10
GRID = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
"""Weights tried for each signal (relative to `links`, fixed at 1)."""
PASSES = 5
MARGIN = 0.03
REACH = 100
"""A trial keeps the candidates among this many best of some signal (`_within_reach`)."""
CHECK_EVERY = 16
"""Trials between two `stale()` checks, and scored together."""

Read = Callable[[str], str]
"""A note's text by its path ("" when it cannot be read)."""


def learn(
    corpus: Corpus,
    read: Read,
    resolve: Resolve,
    sources: Iterable[str] | None = None,
    *,
    seed: str = "",
    stale: Callable[[], bool] = lambda: False,
) -> Calibration:
    """The calibration for this corpus, its trials drawn from the links of `sources` (default:
    every note). The corpus is left as it was. `Superseded` when `stale()` says yes (asked every
    `CHECK_EVERY` trials): the watcher's next edit need not wait for a learning pass."""
    present = set(corpus.live_paths())
    pool = present if sources is None else set(sources) & present
    data = trial_scores(corpus, read, resolve, sorted(pool), seed, stale)
    if len(data) < MIN_TRIALS:
        return Calibration(
            source=f"defaults: {len(data)} hidden links to learn from, {MIN_TRIALS} needed",
            notes=len(corpus),
        )
    scales = {
        name: median(best)
        for column, name in enumerate(SIGNALS)
        if (best := [top for t in data if (top := float(t.best[column])) > 0.0])
    }
    return Calibration(
        fit(data, scales),
        scales,
        source=f"learned on {len(data)} hidden links",
        trials=len(data),
        notes=len(corpus),
    )


def ordered(items: Iterable[str], seed: str) -> list[str]:
    """`items` in a fixed pseudo-random order (a hash of seed and item)."""
    return sorted(items, key=lambda p: hashlib.sha1(f"{seed}\0{p}".encode()).digest())


class Trial:
    """One hidden link: the candidates' raw scores (rows, in path order) and the target's row,
    and each signal's best score over all candidates."""

    __slots__ = ("best", "matrix", "target")

    def __init__(self, matrix: np.ndarray, target: int, best: np.ndarray | None = None) -> None:
        self.matrix, self.target = matrix, target
        self.best = matrix.max(axis=0) if best is None else best


def trial_scores(
    corpus: Corpus,
    read: Read,
    resolve: Resolve,
    pool: list[str],
    seed: str,
    stale: Callable[[], bool] = lambda: False,
) -> list[Trial]:
    """Up to `TRIALS` hidden links, drawn evenly from the links of the notes of `pool` that have
    at least `MIN_LINKS` (a link whose text cannot be cut, built by a plugin say, is passed)."""
    links = [
        f"{path}\0{target}"
        for path in pool
        if len(targets := corpus.links(path)) >= MIN_LINKS
        for target in targets
    ]
    rank = np.empty(len(corpus.paths), dtype=np.int64)
    rank[np.argsort(np.array(corpus.paths, dtype=object))] = np.arange(len(corpus.paths))
    texts: dict[str, str] = {}
    found: list[Trial] = []
    chunk: list[tuple[NoteData, str]] = []
    pairs = iter(ordered(links, seed + "trials"))
    while len(found) < TRIALS:
        pair = next(pairs, None)
        if pair is not None:
            path, target = pair.split("\0")
            if path not in texts:
                texts[path] = read(path)
            text = texts[path]
            cut, removed = hide_links(text, path, target, resolve)
            if removed:
                note = without(corpus.note(path), target, removed, text, cut)
                if target not in note.links:
                    chunk.append((note, target))
        if len(chunk) >= min(CHECK_EVERY, TRIALS - len(found)) or (pair is None and chunk):
            if stale():
                raise Superseded("newer edits arrived while related weights were learned")
            found += _scored(corpus, chunk, rank)
            chunk = []
        if pair is None:
            break
    return found[:TRIALS]


def _scored(corpus: Corpus, chunk: list[tuple[NoteData, str]], rank: np.ndarray) -> list[Trial]:
    """The trials of these hidden links, scored together."""
    raw = raw_scores(corpus, block_of_notes(corpus, [note for note, _ in chunk]))
    found = []
    for i, (note, target) in enumerate(chunk):
        excluded = {corpus.row_of[p] for p in note.links if p in corpus}
        excluded.add(corpus.row_of[note.path])
        trial = _trial(raw, i, corpus.row_of[target], excluded, rank)
        if trial is not None:
            found.append(trial)
    return found


def trial_matrix(
    raw: dict[str, sp.csr_matrix], i: int, rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row `i` of a block's raw scores as (candidate rows in path order, candidates x signals)."""
    full = np.zeros((len(rank), len(SIGNALS)))
    for column, name in enumerate(SIGNALS):
        scores = raw[name]
        start, end = scores.indptr[i], scores.indptr[i + 1]
        full[scores.indices[start:end], column] = scores.data[start:end]
    candidates = np.flatnonzero(full.any(axis=1))
    candidates = candidates[np.argsort(rank[candidates], kind="stable")]
    return candidates, full[candidates]


def _trial(
    raw: dict[str, sp.csr_matrix], i: int, target: int, excluded: set[int], rank: np.ndarray
) -> Trial | None:
    candidates, matrix = trial_matrix(raw, i, rank)
    out = np.zeros(len(rank), dtype=bool)
    out[list(excluded)] = True
    keep = ~out[candidates]
    candidates, matrix = candidates[keep], matrix[keep]
    where = np.flatnonzero(candidates == target)
    if not len(where):
        return None  # no signal reaches it: no weight can find it
    mine = matrix[where[0]]
    # A candidate the target beats or equals on every signal can never rank above it under any
    # weights (ties excepted: an equal one is kept, ties go by path): only the others matter.
    keep = np.any(matrix > mine, axis=1) | np.all(matrix == mine, axis=1)
    keep &= _within_reach(matrix)
    keep[where[0]] = True
    return Trial(matrix[keep], int(np.count_nonzero(keep[: where[0]])), matrix.max(axis=0))


def _within_reach(matrix: np.ndarray) -> np.ndarray:
    """The candidates among the `REACH` best of at least one signal, or of the default weights:
    a candidate further down every one of these lists does not reach the top 10 under any
    weights of the grid in practice, and leaving it out keeps a trial small (the text signals
    give thousands of candidates a score)."""
    found = np.zeros(len(matrix), dtype=bool)
    scale = np.array([DEFAULT_SCALES[name] for name in SIGNALS])
    weight = np.array([DEFAULT_WEIGHTS[name] for name in SIGNALS])
    mixed = (matrix / (matrix + scale)) @ weight
    for column in [*matrix.T, mixed]:
        if np.count_nonzero(column) <= REACH:
            found |= column > 0.0
        else:
            found[np.argpartition(-column, REACH)[:REACH]] = True
    return found


def fit(trials: list[Trial], scales: dict[str, float]) -> dict[str, float]:
    """The grid weights that find the most hidden targets in the top 10 (coordinate ascent)."""
    scale = np.array([scales.get(name, DEFAULT_SCALES[name]) for name in SIGNALS])
    blocks = [t.matrix / (t.matrix + scale) for t in trials]
    stacked = np.vstack(blocks)
    owner = np.repeat(np.arange(len(trials)), [len(b) for b in blocks])
    offsets = np.cumsum([0] + [len(b) for b in blocks[:-1]])
    target_rows = offsets + np.array([t.target for t in trials])
    rows = np.arange(len(stacked))

    def quality(weights: np.ndarray) -> float:
        score = stacked @ weights
        mine = score[target_rows][owner]
        better = (score > mine) | ((score == mine) & (rows < target_rows[owner]))
        ranks = np.bincount(owner, weights=better, minlength=len(trials)) + 1.0
        return float(np.sum(ranks <= TOP) + np.sum(1.0 / ranks)) / len(trials)

    weights = np.array([DEFAULT_WEIGHTS[name] for name in SIGNALS], dtype=float)
    best = quality(weights)
    for _ in range(PASSES):
        improved = False
        for column, name in enumerate(SIGNALS):
            if name == "links":
                continue
            step = None
            for value in GRID:
                trial = weights.copy()
                trial[column] = value
                found = quality(trial)
                if found >= best + MARGIN and (step is None or found > step[0]):
                    step = (found, trial)
            if step is not None:
                (best, weights), improved = step, True
        if not improved:
            break
    return {name: float(w) for name, w in zip(SIGNALS, weights, strict=True)}
