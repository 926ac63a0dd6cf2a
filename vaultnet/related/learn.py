"""Weights and scales learned from the vault itself: its own links are labelled data.

`learn(corpus, read, resolve)` runs the evaluation's link-recovery protocol (docs/benchmarks.md)
inside the engine:

1. **Trials.** Up to `TRIALS` links, drawn evenly from all links of the notes with at least
   `MIN_LINKS` links, are hidden one at a time: the note's links to the target are cut from its
   text with their anchor text (`vaultnet.related.hiding`), and every signal scores the note's
   candidates. A trial is the candidates' scores and the target among them.
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

from vaultnet.errors import Superseded
from vaultnet.related.corpus import Corpus
from vaultnet.related.hiding import Resolve, hide_links, without
from vaultnet.related.hybrid import DEFAULT_SCALES, DEFAULT_WEIGHTS, SIGNALS, Calibration, Engine

TRIALS = 300
MIN_TRIALS = 50
MIN_LINKS = 3
TOP = 10
GRID = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
"""Weights tried for each signal (relative to `links`, fixed at 1)."""
PASSES = 5
MARGIN = 0.03
CHECK_EVERY = 16
"""Trials between two `stale()` checks (a trial takes about 0.35 s at 100,000 notes)."""
ALL = Calibration(weights=dict.fromkeys(SIGNALS, 1.0), source="all")

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
    pool = corpus.notes.keys() if sources is None else set(sources) & corpus.notes.keys()
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
    notes = corpus.notes
    links = [
        f"{path}\0{target}"
        for path in pool
        if len(targets := notes[path].links & notes.keys()) >= MIN_LINKS
        for target in targets
    ]
    texts: dict[str, str] = {}
    found: list[Trial] = []
    for tried, pair in enumerate(ordered(links, seed + "trials")):
        if len(found) >= TRIALS:
            break
        if tried % CHECK_EVERY == 0 and stale():
            raise Superseded("newer edits arrived while related weights were learned")
        path, target = pair.split("\0")
        if path not in texts:
            texts[path] = read(path)
        text = texts[path]
        cut, removed = hide_links(text, path, target, resolve)
        note = notes[path]
        hidden = without(note, target, removed, text, cut)
        if not removed or target in hidden.links:
            continue
        corpus.put(hidden)
        try:
            raw = Engine(corpus, ALL).signal_scores(path)
        finally:
            corpus.put(note)
        trial = _trial(raw, target, hidden.links | {path})
        if trial is not None:
            found.append(trial)
    return found


def _trial(raw: dict[str, dict[str, float]], target: str, excluded: frozenset[str]) -> Trial | None:
    candidates = sorted({p for scores in raw.values() for p in scores} - excluded)
    if target not in candidates:
        return None  # no signal reaches it: no weight can find it
    row = {p: i for i, p in enumerate(candidates)}
    matrix = np.zeros((len(candidates), len(SIGNALS)))
    for column, name in enumerate(SIGNALS):
        for other, score in raw.get(name, {}).items():
            if other in row:
                matrix[row[other], column] = score
    # A candidate the target beats or equals on every signal can never rank above it under any
    # weights (ties excepted: an equal one is kept, ties go by path): only the others matter.
    mine = matrix[row[target]]
    keep = np.any(matrix > mine, axis=1) | np.all(matrix == mine, axis=1)
    return Trial(matrix[keep], int(np.count_nonzero(keep[: row[target]])), matrix.max(axis=0))


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
