"""Related notes for many notes at once: each note's suggestions and the strongest pairs.

One engine serves the whole batch, so each posting list and neighbour set is weighed once, and
each note's ranking is computed once for both outputs. On a large batch the per-note rankings are
split across forked worker processes (they inherit the engine); each note's result is a function
of the corpus alone, and they are merged in path order, so the output is the same bytes as a
serial run. A long batch can be stopped between notes (`stale`) when newer edits make it moot.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vaultnet.errors import Superseded
from vaultnet.related.hybrid import Engine, Related, top
from vaultnet.related.reasons import Reason
from vaultnet.workers import cpu_count, parallel_map

PER_NOTE = 3
"""A note appears in at most this many suggested pairs, so one busy note cannot fill the list."""
PARALLEL_FROM = 1000
"""Below this many notes a batch runs in this process (forking costs more than it saves)."""
CHUNK = 32


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


def related_batch(
    engine: Engine,
    paths: Iterable[str],
    k: int,
    pairs: int,
    workers: int | None = None,
    *,
    stale: Callable[[], bool] | None = None,
) -> Batch:
    """Suggestions for each note in `paths`, and the `pairs` strongest unlinked pairs of two
    notes in `paths`. A pair's score is the larger of its two directions' hybrid scores; ties
    by path. `workers`: processes that rank the notes (default: one per core from
    `PARALLEL_FROM` notes, else this process alone). `stale` is asked every `CHUNK` notes; when
    it says yes, `Superseded` is raised."""
    corpus = engine.corpus
    members = frozenset(paths)
    order = sorted(members)
    found: dict[str, list[Related]] = {}
    best: dict[tuple[str, str], tuple[float, str]] = {}
    results = _rank_all(engine, order, k, members, workers, stale or _never)
    for path, (related, partners) in zip(order, results, strict=True):
        if related:
            found[path] = related
        for other, score in partners:
            if corpus.links_to(other, path):
                continue
            key = (min(path, other), max(path, other))
            if key not in best or (score, path) > best[key]:
                best[key] = (score, path)
    return Batch(found, _strongest(engine, best, pairs))


_Ranked = tuple[list[Related], list[tuple[str, float]]]
"""One note's suggestions (with reasons) and its pair candidates."""

_WORKER: tuple[Engine, int, frozenset[str]] | None = None
_FORKING = threading.Lock()
"""What `_rank_one` works against; set before forking so workers inherit it."""


def suggestions(engine: Engine, paths: Iterable[str], k: int) -> dict[str, list[Related]]:
    """Each note's suggestions exactly as `related_batch` finds them (notes without any are left
    out), ranked in this process: for the few notes an edit affects most."""
    found: dict[str, list[Related]] = {}
    for path in paths:
        ranked = top(_unlinked_scores(engine, path), k)
        if ranked:
            found[path] = [engine.describe(path, other, score) for other, score in ranked]
    return found


def _never() -> bool:
    return False


def _rank_all(
    engine: Engine,
    order: list[str],
    k: int,
    members: frozenset[str],
    workers: int | None,
    stale: Callable[[], bool],
) -> list[_Ranked]:
    """`_rank_one` for each note of `order`, in that order, in this process or in `workers`
    forked ones (`vaultnet.workers`); `Superseded` when `stale()` says yes (asked every `CHUNK` notes; a pool is
    terminated on the way out)."""
    global _WORKER
    if workers is None:
        workers = cpu_count() if len(order) >= PARALLEL_FROM else 1
    if workers <= 1:
        return _collect((_rank(engine, k, members, path) for path in order), stale)
    # Forked workers find the engine in `_WORKER`; one pass at a time per process (the watcher's
    # thread and a `generate` in the same process would otherwise swap each other's engine).
    with _FORKING:
        _WORKER = (engine, k, members)
        try:
            ranked = parallel_map(_rank_one, order, workers=workers, chunksize=CHUNK)
            try:
                return _collect(ranked, stale)
            finally:
                ranked.close()  # stopped early: the workers end now
        finally:
            _WORKER = None


def _collect(ranked: Iterable[_Ranked], stale: Callable[[], bool]) -> list[_Ranked]:
    """The results in order; `stale` asked before the first and after every `CHUNK`."""
    results: list[_Ranked] = []
    if stale():
        raise Superseded("newer edits arrived before related notes were ranked")
    for done, result in enumerate(ranked, 1):
        results.append(result)
        if done % CHUNK == 0 and stale():
            raise Superseded("newer edits arrived while related notes were ranked")
    return results


def _rank_one(path: str) -> _Ranked:
    assert _WORKER is not None
    return _rank(*_WORKER, path)


def _rank(engine: Engine, k: int, members: frozenset[str], path: str) -> _Ranked:
    ranked, partners = _ranked(engine, path, k, members)
    return [engine.describe(path, other, score) for other, score in ranked], partners


def _ranked(
    engine: Engine, path: str, k: int, members: frozenset[str]
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """`path`'s `k` best suggestions, and its best `PER_NOTE * 3` suggestions among `members`
    (the pair candidates): from the one ranking when it holds enough members, else from the
    members' scores alone."""
    scores = _unlinked_scores(engine, path)
    want = PER_NOTE * 3
    ranked = top(scores, max(k, want))
    partners = [item for item in ranked if item[0] in members][:want]
    if len(partners) < want and len(ranked) < len(scores):
        partners = top({p: s for p, s in scores.items() if p in members}, want)
    return ranked[:k], partners


def _unlinked_scores(engine: Engine, path: str) -> dict[str, float]:
    """`path`'s hybrid scores without the notes it already links to (its suggestions)."""
    scores = engine.scores(path)
    note = engine.corpus.notes.get(path)
    if note is not None:
        for target in note.links:
            scores.pop(target, None)
    return scores


def _strongest(
    engine: Engine, best: dict[tuple[str, str], tuple[float, str]], limit: int
) -> list[Pair]:
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    chosen: list[Pair] = []
    offered: dict[str, int] = {}
    for (a, b), (score, source) in ranked:
        if len(chosen) >= limit:
            break
        if offered.get(a, 0) >= PER_NOTE or offered.get(b, 0) >= PER_NOTE:
            continue
        offered[a] = offered.get(a, 0) + 1
        offered[b] = offered.get(b, 0) + 1
        other = b if source == a else a
        chosen.append(Pair(source, other, round(score, 4), tuple(engine.reasons(source, other))))
    return chosen
