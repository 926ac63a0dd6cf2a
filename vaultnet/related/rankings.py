"""Related notes for many notes at once, and kept up to date edit by edit.

`Rankings` holds what the related pages show: each idea note's best suggestions (`RowTop`: the
`k + SLACK` best notes it does not link to, with scores, and its best text and loose scores for
the reasons) when there is a page per idea note, and the strongest pairs of idea notes for the
Suggested links page (`vaultnet.related.pairs`). `rank` computes them from scratch: every idea
note's row in blocks (a sparse product per signal, then the hybrid), and the pair search.

`update` brings them up to date after an edit, with the corpus's statistics unchanged (between
two fits only the rows of the notes an edit touched change, `Corpus.dirty`): a changed note's
own list is ranked again; another note's list is ranked again only when it held a changed note
(its score moved, and the note after the last one is not known); otherwise a changed note that
now beats the last of a list takes its place. The result is what `rank` gives for the same
corpus, float for float, at the cost of a few rows instead of all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from vaultnet.related import pairs as pair_search
from vaultnet.related.calibration import Calibration, Related
from vaultnet.related.cols import entry
from vaultnet.related.corpus import Corpus
from vaultnet.related.explain import Best, beats, describe_all, explain, row_bests
from vaultnet.related.reasons import Reason
from vaultnet.related.signals import SIGNALS, block_of_rows, hybrid, raw_columns, raw_scores
from vaultnet.related.sparse import sp
from vaultnet.related.spread import spread

SLACK = 10
"""A list keeps this many notes past `k`, so an edit that pushes a few out needs no new row."""
BLOCK_CELLS = 4_000_000
"""Rows are ranked in blocks of about this many (row, note) scores."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two notes related to each other that do not link to each other in either direction."""

    first: str
    second: str
    score: float
    reasons: tuple[Reason, ...]
    """Why, from `first`'s side."""


@dataclass(frozen=True, slots=True)
class Batch:
    suggestions: dict[str, list[Related]]
    """Each note's best not-yet-linked related notes (notes without any are left out)."""
    pairs: list[Pair]


@dataclass
class RowTop:
    """One note's best suggestions, best first (ties by path)."""

    cols: np.ndarray
    scores: np.ndarray
    full: bool
    """The list holds every note with a score (none beyond it)."""
    best: Best


@dataclass
class Rankings:
    """What the related pages show, for one corpus fit and calibration (module docstring)."""

    calibration: Calibration
    generation: int
    k: int
    limit: int
    """Pairs on the Suggested links page."""
    lists: bool
    """Whether each idea note's list is kept (a page per idea note)."""
    ideas: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tops: dict[int, RowTop] = field(default_factory=dict)
    related: dict[int, list[Related]] = field(default_factory=dict)
    table: pair_search.PairTable | None = None
    want: int = 0
    chosen: list[Pair] = field(default_factory=list)
    bests: dict[int, Best] = field(default_factory=dict)
    """The best text and loose scores of the chosen pairs' first notes (for their reasons)."""

    def matches(
        self, calibration: Calibration, generation: int, k: int, limit: int, lists: bool
    ) -> bool:
        return (self.calibration, self.generation, self.k, self.limit, self.lists) == (
            calibration,
            generation,
            k,
            limit,
            lists,
        )

    def batch(self, corpus: Corpus) -> Batch:
        paths = corpus.paths
        found = {paths[row]: items for row, items in sorted(self.related.items()) if items}
        return Batch(found, list(self.chosen))


def rank(
    corpus: Corpus,
    ideas: Iterable[str],
    calibration: Calibration,
    k: int,
    limit: int,
    *,
    lists: bool,
    stale: Callable[[], bool] | None = None,
    generation: int = 0,
) -> Rankings:
    """The rankings of these idea notes from scratch."""
    found = Rankings(calibration, generation, k, limit, lists)
    found.ideas = _rows(corpus, ideas)
    if lists:
        for row, top in _tops(corpus, found.ideas, calibration, k + SLACK, stale).items():
            found.tops[row] = top
            found.related[row] = _describe(corpus, calibration, row, top, k)
    _pairs_from_scratch(found, corpus, stale)
    return found


def update(
    found: Rankings,
    corpus: Corpus,
    ideas: Iterable[str],
    dirty: Iterable[int],
    stale: Callable[[], bool] | None = None,
) -> bool:
    """Bring `found` up to date with `corpus` after the rows `dirty` changed (same fit); whether
    anything changed (no dirty row and the same idea notes: nothing to do)."""
    calibration = found.calibration
    now = _rows(corpus, ideas)
    before = set(found.ideas.tolist())
    changed = set(dirty) | (set(now.tolist()) ^ before)
    found.ideas = now
    if not changed:
        return False
    idea_set = set(now.tolist())
    for row in list(found.tops):
        if row not in idea_set:
            del found.tops[row]
            found.related.pop(row, None)
    live = np.array(sorted(r for r in changed if r < len(corpus.paths) and corpus.alive[r]))
    columns, raw = _columns(corpus, live, calibration)
    # `_raised` reads the text and loose scores with `entry`, which needs sorted indices
    raw = {s: m.sorted_indices() if s in ("text", "loose") else m for s, m in raw.items()}
    again: set[int] = set()
    redescribe: set[int] = set()
    if found.lists:
        size = found.k + SLACK
        for row in now.tolist():
            top = found.tops.get(row)
            if row in changed or top is None or _holds(top, changed):
                again.add(row)
                continue
            if _insert(corpus, top, row, live, columns, raw, size):
                redescribe.add(row)
        near = {int(n) for d in changed if d < len(corpus.paths) for n in corpus.adj.row(d)[0]}
        redescribe |= near & idea_set
        for row, top in _tops(corpus, np.array(sorted(again)), calibration, size, stale).items():
            found.tops[row] = top
        for row in sorted((again | redescribe) & set(found.tops)):
            found.related[row] = _describe(corpus, calibration, row, found.tops[row], found.k)
    if found.table is None:
        _pairs_from_scratch(found, corpus, stale)
        return True
    near = {int(n) for d in changed if d < len(corpus.paths) for n in corpus.adj.row(d)[0]}
    kept = {}
    for row, best in found.bests.items():
        if row in changed or row in near or best.text_at in changed or best.loose_at in changed:
            continue
        raised = best
        for i, other in enumerate(live.tolist()):
            raised = _raised(raised, raw, i, row, other)
        if raised == best:
            kept[row] = best
    found.bests = kept
    pair_search.update(found.table, corpus, now, calibration, changed)
    if not _choose(found, corpus, changed | near):
        _pairs_from_scratch(found, corpus, stale, more=True)
    return True


# --- lists ------------------------------------------------------------------------------------


def _rows(corpus: Corpus, paths: Iterable[str]) -> np.ndarray:
    rows = [corpus.row_of[p] for p in paths if p in corpus]
    return np.array(sorted(rows), dtype=np.int64)


def _tops(
    corpus: Corpus,
    rows: np.ndarray,
    calibration: Calibration,
    size: int,
    stale: Callable[[], bool] | None,
) -> dict[int, RowTop]:
    """Each row's best `size` suggestions, ranked in blocks of full rows."""
    step = max(1, min(256, BLOCK_CELLS // max(1, len(corpus.paths))))
    blocks = [rows[start : start + step] for start in range(0, len(rows), step)]
    found: dict[int, RowTop] = {}
    for part in spread(
        _tops_block, (corpus, calibration, size), blocks, len(rows) * len(corpus), stale
    ):
        found |= part
    return found


def _tops_block(state: tuple[Corpus, Calibration, int], block: np.ndarray) -> dict[int, RowTop]:
    corpus, calibration, size = state
    raw = raw_scores(corpus, block_of_rows(corpus, block), _wanted(calibration))
    scores = _hybrid(raw, calibration, len(block), len(corpus.paths))
    text, loose = (row_bests(raw.get(s), len(block)) for s in ("text", "loose"))
    return {
        row: _top(corpus, row, scores[i], size, Best(*text[i], *loose[i]))
        for i, row in enumerate(block.tolist())
    }


def _top(corpus: Corpus, row: int, scores: np.ndarray, size: int, best: Best) -> RowTop:
    from vaultnet.related.hybrid import top

    ranked = top(scores, corpus.paths, size + 1, corpus.out.row(row)[0])
    full = len(ranked) <= size
    ranked = ranked[:size]
    cols = np.array([c for c, _ in ranked], dtype=np.int64)
    return RowTop(cols, np.array([s for _, s in ranked]), full, best)


def _holds(top: RowTop, rows: set[int]) -> bool:
    return (
        bool(rows.intersection(top.cols.tolist()))
        or top.best.text_at in rows
        or top.best.loose_at in rows
    )


def _insert(
    corpus: Corpus,
    top: RowTop,
    row: int,
    live: np.ndarray,
    columns: np.ndarray,
    raw: dict[str, sp.csr_matrix],
    size: int,
) -> bool:
    """Put the changed notes `live` that now beat the last of `row`'s list into it (none of
    them was in it), and raise its best text and loose scores; whether anything changed."""
    changed = False
    paths = corpus.paths
    linked = set(corpus.out.row(row)[0].tolist())
    for i, other in enumerate(live.tolist()):
        best = _raised(top.best, raw, i, row, other)
        if best != top.best:
            top.best, changed = best, True
        score = float(columns[i, row])
        if score <= 0.0 or other == row or other in linked:
            continue
        if len(top.cols) and not top.full:
            last, last_score = int(top.cols[-1]), float(top.scores[-1])
            if (-score, paths[other]) >= (-last_score, paths[last]):
                continue
        items = [*zip(top.cols.tolist(), top.scores.tolist(), strict=True), (other, score)]
        items.sort(key=lambda item: (-item[1], paths[item[0]]))
        full = top.full and len(items) <= size
        items = items[:size]
        top.cols = np.array([c for c, _ in items], dtype=np.int64)
        top.scores = np.array([s for _, s in items])
        top.full = full
        changed = True
    return changed


def _raised(best: Best, raw: dict[str, sp.csr_matrix], i: int, row: int, other: int) -> Best:
    """`best` raised by `row`'s scores of the changed note `other` (column `i` of `raw`)."""
    text_value = entry(raw["text"], i, row) if "text" in raw else 0.0
    loose_value = entry(raw["loose"], i, row) if "loose" in raw else 0.0
    text_better = beats(text_value, other, best.text, best.text_at)
    loose_better = beats(loose_value, other, best.loose, best.loose_at)
    if not (text_better or loose_better):
        return best
    return Best(
        text_value if text_better else best.text,
        other if text_better else best.text_at,
        loose_value if loose_better else best.loose,
        other if loose_better else best.loose_at,
    )


def _describe(
    corpus: Corpus, calibration: Calibration, row: int, top: RowTop, k: int
) -> list[Related]:
    found = list(zip(top.cols[:k].tolist(), top.scores[:k].tolist(), strict=True))
    return describe_all(corpus, calibration.weights, row, found, top.best)


def _wanted(calibration: Calibration) -> list[str]:
    """The weighted signals, and always text and loose (their best scores feed the reasons)."""
    return [s for s in SIGNALS if calibration.weights[s] > 0.0 or s in ("text", "loose")]


def _hybrid(
    raw: dict[str, sp.csr_matrix], calibration: Calibration, rows: int, width: int
) -> np.ndarray:
    weighted = {k: v for k, v in raw.items() if calibration.weights[k] > 0.0}
    if not weighted:
        return np.zeros((rows, width))
    return hybrid(weighted, calibration.weights, calibration.scales)


def _columns(
    corpus: Corpus, rows: np.ndarray, calibration: Calibration
) -> tuple[np.ndarray, dict[str, sp.csr_matrix]]:
    """Each note's hybrid score of each of `rows` (entry (i, A)), and the raw ones."""
    if not len(rows):
        return np.zeros((0, len(corpus.paths))), {}
    raw = raw_columns(corpus, rows, _wanted(calibration))
    return _hybrid(raw, calibration, len(rows), len(corpus.paths)), raw


# --- pairs ------------------------------------------------------------------------------------


def _pairs_from_scratch(
    found: Rankings, corpus: Corpus, stale: Callable[[], bool] | None, *, more: bool = False
) -> None:
    if found.limit <= 0:
        found.table, found.chosen = None, []
        return
    found.want = found.want * 4 if more and found.want else pair_search.WANT * found.limit
    while True:
        found.table = pair_search.search(corpus, found.ideas, found.calibration, found.want, stale)
        if _choose(found, corpus):
            return
        found.want *= 4


def _choose(found: Rankings, corpus: Corpus, touched: set[int] | None = None) -> bool:
    """Choose the pairs from the table and explain them; `touched`: the notes whose rows (or
    neighbours' rows) changed since the last choice (None: explain every pair again)."""
    assert found.table is not None
    chosen = pair_search.choose(found.table, corpus.paths, found.limit)
    if chosen is None:
        return False
    weights = found.calibration.weights
    sources = sorted({source for source, _, _ in chosen})
    missing = [row for row in sources if row not in found.bests]
    found.bests = {r: found.bests[r] for r in sources if r in found.bests}
    found.bests |= _bests(corpus, missing, found.calibration)
    before = {(p.first, p.second): p.reasons for p in found.chosen}
    fresh = set(missing)
    paths = corpus.paths
    found.chosen = []
    for source, other, score in chosen:
        reasons = before.get((paths[source], paths[other]))
        if reasons is None or source in fresh or touched is None or {source, other} & touched:
            reasons = tuple(explain(corpus, weights, source, other, found.bests[source]))
        found.chosen.append(Pair(paths[source], paths[other], round(score, 4), reasons))
    return True


def _bests(corpus: Corpus, rows: list[int], calibration: Calibration) -> dict[int, Best]:
    """Each row's best text and loose scores, in blocks of `BLOCK_CELLS`, one signal's products at
    a time (at 100,000 notes a block's two together were a first `generate`'s peak)."""
    step, found = max(1, BLOCK_CELLS // max(1, len(corpus.paths))), dict[int, Best]()
    wanted = [s for s in ("text", "loose") if calibration.weights[s] > 0.0]
    for block in (rows[start : start + step] for start in range(0, len(rows), step)):
        best = {s: row_bests(None, len(block)) for s in ("text", "loose")}
        if wanted:
            of_block = block_of_rows(corpus, block)
            for s in wanted:  # each signal's products dropped before the next are made
                best[s] = row_bests(raw_scores(corpus, of_block, [s])[s], len(block))
        found |= {row: Best(*best["text"][i], *best["loose"][i]) for i, row in enumerate(block)}
    return found


def suggestions(
    corpus: Corpus, paths: Iterable[str], calibration: Calibration, k: int
) -> dict[str, list[Related]]:
    """Each note's suggestions exactly as `rank` finds them (notes without any are left out),
    for a few notes."""
    rows = np.array([corpus.row_of[p] for p in paths if p in corpus], dtype=np.int64)
    tops = _tops(corpus, rows, calibration, k, None)
    found = {}
    for row in rows.tolist():
        items = _describe(corpus, calibration, row, tops[row], k)
        if items:
            found[corpus.paths[row]] = items
    return found
