"""Weights and scales learned from the vault itself: its own links are labelled data.

`learn(corpus, read, resolve)` runs the evaluation's link-recovery protocol (docs/benchmarks.md)
inside the engine:

1. **Trials.** Up to `TRIALS` links, drawn evenly from all links of the notes with at least
   `MIN_LINKS` links, are hidden: the note's links to the target are cut from its text with their
   anchor text (`vaultnet.related.hiding`), and every signal scores the note as it would be then
   against every other note, many trials at once (`vaultnet.related.signals.block_of_notes`: one
   sparse product per signal for a block of trials; the corpus is not changed). A trial is the
   candidates' scores and the target among them.
2. **Scales.** Each signal's scale is the score of a typical strong match in this vault: for
   each note the trials hid links from, the median of that signal's best raw score over its
   trials (a trial that scores nothing under the signal left out); the scale is the median of
   these, one per note (a signal that scores nothing keeps its default). An index note with
   hundreds of links gives many trials and counts once, as any note does: counted per trial,
   such notes set the scales alone and weights learned on one part of a vault did not hold on
   another (docs/benchmarks.md, stop 33).
3. **Weights.** Coordinate ascent over a grid of weights (`GRID`), starting from the defaults,
   maximising the share of hidden links found in the top 10 plus the mean reciprocal rank.
   `links` is fixed at 1 (only ratios matter). A step is taken only when it gains at least
   `MARGIN` of that sum: a few hundred trials are noisy, and smaller gains on one half of a
   vault's notes did not hold on the other half (docs/benchmarks.md). A second ascent starts
   from the signal that does best alone (`links` on most vaults), that signal fixed at 1 (from
   `links` alone when that ends with one signal other than links: a folder's or a tag's notes
   all tie), and is kept only when it ends at least `MARGIN` higher than the one from the
   defaults.

4. **Few trials.** Below `MIN_TRIALS` trials the weights learned are noisy: on a documentation
   vault the defaults find more of the other notes' hidden links. But on a vault unlike the
   defaults' (obsidian-hub: a few notes linked thousands of times, links that follow folders)
   the defaults find a fifth of them, and weights learned on the links of a few of its notes
   half or more (docs/benchmarks.md, stop 39). So the weights learned on fewer trials are kept
   only when they do better than the defaults on clearly more of the trials' notes than they do
   worse (`by_note`, `sign_test`): counted by trial, weights learned on one index note's dozens
   of links passed, and then lost on the vault's other notes. The test is on the trials the
   weights were fitted to, so its level is a threshold, not an error rate; a vault whose trials
   come from four notes or fewer keeps the defaults. Otherwise the defaults stay.

Every choice is seeded by the notes' paths (a hash, not `random`), so the same vault gives the
same calibration.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from statistics import median

import numpy as np

from vaultnet.related.calibration import DEFAULT_SCALES, DEFAULT_WEIGHTS, SIGNALS, Calibration
from vaultnet.related.cols import has
from vaultnet.related.corpus import Corpus
from vaultnet.related.hiding import Resolve, hide_links, without
from vaultnet.related.notes import NoteData
from vaultnet.related.signals import block_of_notes, raw_scores
from vaultnet.related.sparse import sp
from vaultnet.related.spread import spread

TRIALS = 300
MIN_TRIALS = 50
"""Trials from which the weights learned are used as they come (below: `by_note`)."""
SIGNIFICANCE = 0.05
"""Below `MIN_TRIALS`: the `sign_test` of the notes the learned weights do better on against those
they do worse on (`by_note`) must fall below this for them to be kept."""
MIN_LINKS = 3
TOP = 10
GRID = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
"""Weights tried for each signal (relative to the one an ascent keeps at 1: `links`, or the
signal that does best alone)."""
LINKS = SIGNALS.index("links")
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
    return calibrated(data, len(corpus))


def calibrated(data: list[Trial], notes: int) -> Calibration:
    """The calibration these trials give, for a vault of `notes` notes (steps 2-4 above)."""
    if not data:
        return Calibration(source="defaults: no hidden links to learn from", notes=notes)
    scales = typical_best(data)
    weights = fit(data, scales)
    source = f"learned on {len(data)} hidden links"
    if len(data) < MIN_TRIALS:
        mine = found_by(data, scales, weights)
        theirs = found_by(data, DEFAULT_SCALES, DEFAULT_WEIGHTS)
        better, worse = by_note(mine, theirs, [trial.source for trial in data])
        told = (
            f"{np.count_nonzero(mine)} found in the top {TOP} against "
            f"{np.count_nonzero(theirs)}, better on {_notes(better)}, worse on {worse}"
        )
        if sign_test(better, worse) >= SIGNIFICANCE:
            return Calibration(
                source=f"defaults: those learned on {len(data)} hidden links did not clearly "
                f"beat them: {told}",
                notes=notes,
            )
        source += f", clearly better than the defaults: {told}"
    return Calibration(weights, scales, source=source, trials=len(data), notes=notes)


def _notes(count: int) -> str:
    return f"{count} note" if count == 1 else f"{count} notes"


def ordered(items: Iterable[str], seed: str) -> list[str]:
    """`items` in a fixed pseudo-random order (a hash of seed and item)."""
    return sorted(items, key=lambda p: hashlib.sha1(f"{seed}\0{p}".encode()).digest())


class Trial:
    """One hidden link: the candidates' raw scores (rows, in path order) and the target's row,
    each signal's best score over all candidates, and the note the link was hidden from."""

    __slots__ = ("best", "matrix", "source", "target")

    def __init__(
        self, matrix: np.ndarray, target: int, best: np.ndarray | None = None, source: str = ""
    ) -> None:
        self.matrix, self.target, self.source = matrix, target, source
        self.best = matrix.max(axis=0) if best is None else best


def typical_best(trials: Iterable[Trial]) -> dict[str, float]:
    """Each signal's scale: the median over the trials' notes of each note's median best score
    under that signal (zero scores left out; a signal that scores nothing has no scale here)."""
    bests: dict[str, list[np.ndarray]] = {}
    for trial in trials:
        bests.setdefault(trial.source, []).append(trial.best)
    scales = {}
    for column, name in enumerate(SIGNALS):
        typical = [
            median(scores)
            for note_bests in bests.values()
            if (scores := [top for best in note_bests if (top := float(best[column])) > 0.0])
        ]
        if typical:
            scales[name] = median(typical)
    return scales


def trial_scores(
    corpus: Corpus,
    read: Read,
    resolve: Resolve,
    pool: list[str],
    seed: str,
    stale: Callable[[], bool] = lambda: False,
    limit: int = TRIALS,
) -> list[Trial]:
    """Up to `limit` hidden links, drawn evenly from the links of the notes of `pool` that have
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
    pairs = iter(ordered(links, seed + "trials"))
    while len(found) < limit:
        # Enough hidden links for the trials still wanted (a few more: some reach nothing)
        hidden: list[tuple[NoteData, str]] = []
        for pair in pairs:
            path, target = pair.split("\0")
            if path not in texts:
                texts[path] = read(path)
            text = texts[path]
            cut, removed = hide_links(text, path, target, resolve)
            if removed:
                note = without(corpus.note(path), target, removed, text, cut)
                if target not in note.links:
                    hidden.append((note, target))
            if len(hidden) >= limit - len(found) + CHECK_EVERY:
                break
        if not hidden:
            break
        chunks = [hidden[i : i + CHECK_EVERY] for i in range(0, len(hidden), CHECK_EVERY)]
        for trials in spread(_scored, (corpus, rank), chunks, len(hidden) * len(corpus), stale):
            found += trials
    return found[:limit]


def _scored(state: tuple[Corpus, np.ndarray], chunk: list[tuple[NoteData, str]]) -> list[Trial]:
    """The trials of these hidden links, scored together."""
    corpus, rank = state
    raw = raw_scores(corpus, block_of_notes(corpus, [note for note, _ in chunk]))
    found = []
    for i, (note, target) in enumerate(chunk):
        excluded = {corpus.row_of[p] for p in note.links if p in corpus}
        excluded.add(corpus.row_of[note.path])
        trial = _trial(raw, i, corpus.row_of[target], excluded, rank, note.path)
        if trial is not None:
            found.append(trial)
    return found


def _trial(
    raw: dict[str, sp.csr_matrix],
    i: int,
    target: int,
    excluded: set[int],
    rank: np.ndarray,
    source: str,
) -> Trial | None:
    """Trial `i` of a block: the candidates that matter (within reach, and not beaten by the
    target on every signal), in path order, with their raw scores; None when no signal reaches
    the target (no weights can find it)."""
    out = np.zeros(len(rank), dtype=bool)
    out[list(excluded)] = True
    rows: list[tuple[np.ndarray, np.ndarray]] = []
    for name in SIGNALS:
        scores = raw[name]
        start, end = scores.indptr[i], scores.indptr[i + 1]
        cols, values = scores.indices[start:end], scores.data[start:end]
        keep = ~out[cols]
        cols, values = cols[keep], values[keep].astype(np.float64)
        order = np.argsort(cols, kind="stable")
        rows.append((cols[order], values[order]))
    if not any(has(cols, target) for cols, _ in rows):
        return None
    reach = _within_reach(rows, len(rank))
    reach = np.union1d(reach, [target])
    reach = reach[np.argsort(rank[reach], kind="stable")]
    matrix = np.zeros((len(reach), len(SIGNALS)))
    for column, (cols, values) in enumerate(rows):
        at = np.minimum(np.searchsorted(cols, reach), max(len(cols) - 1, 0))
        hit = cols[at] == reach if len(cols) else np.zeros(len(reach), dtype=bool)
        matrix[hit, column] = values[at[hit]]
    best = np.array([values.max() if len(values) else 0.0 for _, values in rows])
    where = int(np.flatnonzero(reach == target)[0])
    mine = matrix[where]
    # A candidate the target beats or equals on every signal can never rank above it under any
    # weights (ties excepted: an equal one is kept, ties go by path): only the others matter.
    keep = np.any(matrix > mine, axis=1) | np.all(matrix == mine, axis=1)
    keep[where] = True
    return Trial(matrix[keep], int(np.count_nonzero(keep[:where])), best, source)


def _within_reach(rows: list[tuple[np.ndarray, np.ndarray]], width: int) -> np.ndarray:
    """The candidates among the `REACH` best of at least one signal, or of the default weights:
    a candidate further down every one of these lists does not reach the top 10 under any
    weights of the grid in practice, and leaving it out keeps a trial small (the text signals
    give thousands of candidates a score)."""
    found = []
    mixed = np.zeros(width)
    for name, (cols, values) in zip(SIGNALS, rows, strict=True):
        found.append(_best_of(cols, values))
        weight, scale = DEFAULT_WEIGHTS[name], DEFAULT_SCALES[name]
        mixed += np.bincount(cols, weights=weight * values / (values + scale), minlength=width)
    support = np.flatnonzero(mixed)
    found.append(_best_of(support, mixed[support]))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _best_of(cols: np.ndarray, values: np.ndarray) -> np.ndarray:
    if len(cols) <= REACH:
        return cols
    return cols[np.argpartition(-values, REACH)[:REACH]]


Ranks = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
"""Weights (in `SIGNALS` order) -> each trial's target: its 1-based rank, and its score."""


def target_ranks(trials: list[Trial], scales: Mapping[str, float]) -> Ranks:
    """Where each trial's target ranks under some weights, scored as the engine scores (each raw
    score squashed by its scale, weighted and summed; ties go by path)."""
    scale = np.array([scales.get(name, DEFAULT_SCALES[name]) for name in SIGNALS])
    blocks = [t.matrix / (t.matrix + scale) for t in trials]
    stacked = np.vstack(blocks)
    sizes = np.array([len(b) for b in blocks])  # each at least 1: the target's row
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    target_rows = offsets + np.array([t.target for t in trials])
    # a candidate with the target's score ranks above it when it comes first by path
    first = np.arange(len(stacked)) < np.repeat(target_rows, sizes)

    def ranks(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        score = stacked @ weights
        mine = np.repeat(score[target_rows], sizes)
        better = (score > mine) | ((score == mine) & first)
        return np.add.reduceat(better.astype(np.int64), offsets) + 1.0, score[target_rows]

    return ranks


def fit(trials: list[Trial], scales: dict[str, float]) -> dict[str, float]:
    """The grid weights that find the most hidden targets in the top 10: coordinate ascent from
    the defaults, and from the best signal alone; the second is taken only when it does better
    by `MARGIN`. From the defaults, one signal at a time, a vault whose links say most (a small
    documentation site, a translated help vault) could not leave them: turning off any one of
    the others gained nothing while the rest still outvoted the links."""
    ranked = target_ranks(trials, scales)

    def quality(weights: np.ndarray) -> float:
        ranks, _ = ranked(weights)
        return float(np.sum(ranks <= TOP) + np.sum(1.0 / ranks)) / len(trials)

    found = _ascend(quality, np.array([DEFAULT_WEIGHTS[name] for name in SIGNALS], dtype=float))
    alone = np.eye(len(SIGNALS))
    best = max(range(len(SIGNALS)), key=lambda column: (quality(alone[column]), -column))
    single = _ascend(quality, alone[best], fixed=best)
    if np.count_nonzero(single) == 1 and best != LINKS:
        # One signal other than links ties many notes (a folder's, a tag's, equally linked
        # ones; ties go by path), and its reasons say little (the Suggested links page hides a
        # pair whose only reason is a folder): the second ascent starts from links instead.
        single = _ascend(quality, alone[LINKS])
    if quality(single) >= quality(found) + MARGIN:
        found = single
    return {name: float(w) for name, w in zip(SIGNALS, found, strict=True)}


def found_by(
    trials: list[Trial], scales: Mapping[str, float], weights: Mapping[str, float]
) -> np.ndarray:
    """Whether each trial's target ranks in the top `TOP` under these weights and scales."""
    ranks, _ = target_ranks(trials, scales)(np.array([weights[name] for name in SIGNALS]))
    return np.asarray(ranks <= TOP)


def by_note(mine: np.ndarray, theirs: np.ndarray, sources: list[str]) -> tuple[int, int]:
    """The notes of which one ranker finds more trials than another (`found_by`; `sources`: each
    trial's note), and those of which it finds fewer: the trials of one note are alike (an index
    note's dozens of links are one case, not dozens), so a note is one toss of `sign_test`."""
    _, note = np.unique(np.array(sources, dtype=object), return_inverse=True)
    gained = np.bincount(note, weights=mine.astype(np.int64) - theirs.astype(np.int64))
    return int(np.count_nonzero(gained > 0)), int(np.count_nonzero(gained < 0))


def sign_test(wins: int, losses: int) -> float:
    """The chance of at least `wins` of `wins + losses` fair coin tosses (1.0 for none)."""
    tosses = wins + losses
    return sum(math.comb(tosses, k) for k in range(wins, tosses + 1)) / 2**tosses


def _ascend(
    quality: Callable[[np.ndarray], float], weights: np.ndarray, fixed: int = LINKS
) -> np.ndarray:
    """Coordinate ascent over `GRID` from `weights` (column `fixed` kept: `links` unless said),
    a step taken only when it gains at least `MARGIN`."""
    best = quality(weights)
    for _ in range(PASSES):
        improved = False
        for column in range(len(SIGNALS)):
            if column == fixed:
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
    return weights
