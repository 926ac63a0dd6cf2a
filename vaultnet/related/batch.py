"""Related notes for many notes at once: each note's suggestions and the strongest pairs.

One engine serves the whole batch, so each posting list and neighbour set is weighed once, and
each note's ranking is computed once for both outputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vaultnet.related.hybrid import Engine, Related, top

PER_NOTE = 3
"""A note appears in at most this many suggested pairs, so one busy note cannot fill the list."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two notes related to each other that do not link to each other in either direction."""

    first: str
    second: str
    score: float
    reasons: tuple[str, ...]
    """Why, from `first`'s side."""


@dataclass(frozen=True, slots=True)
class Batch:
    suggestions: dict[str, list[Related]]
    """Each note's best not-yet-linked related notes (notes without any are left out)."""
    pairs: list[Pair]


def related_batch(engine: Engine, paths: Iterable[str], k: int, pairs: int) -> Batch:
    """Suggestions for each note in `paths`, and the `pairs` strongest unlinked pairs of two
    notes in `paths`. A pair's score is the larger of its two directions' hybrid scores; ties
    by path."""
    corpus = engine.corpus
    members = frozenset(paths)
    found: dict[str, list[Related]] = {}
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for path in sorted(members):
        ranked, partners = _ranked(engine, path, k, members)
        if ranked:
            found[path] = [engine.describe(path, other, score) for other, score in ranked]
        for other, score in partners:
            if corpus.links_to(other, path):
                continue
            key = (min(path, other), max(path, other))
            if key not in best or (score, path) > best[key]:
                best[key] = (score, path)
    return Batch(found, _strongest(engine, best, pairs))


def _ranked(
    engine: Engine, path: str, k: int, members: frozenset[str]
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """`path`'s `k` best suggestions, and its best `PER_NOTE * 3` suggestions among `members`
    (the pair candidates): from the one ranking when it holds enough members, else from the
    members' scores alone."""
    scores = engine.scores(path)
    note = engine.corpus.notes.get(path)
    if note is not None:
        for target in note.links:
            scores.pop(target, None)
    want = PER_NOTE * 3
    ranked = top(scores, max(k, want))
    partners = [item for item in ranked if item[0] in members][:want]
    if len(partners) < want and len(ranked) < len(scores):
        partners = top({p: s for p, s in scores.items() if p in members}, want)
    return ranked[:k], partners


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
