"""Related notes for many notes at once: the per-note suggestions and the vault's strongest pairs.

One engine serves the whole batch, so each posting list and neighbour set is weighed once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vaultnet.related.hybrid import Engine, Related


@dataclass(frozen=True, slots=True)
class Pair:
    """Two notes related to each other that do not link to each other in either direction."""

    first: str
    second: str
    score: float
    reasons: tuple[str, ...]
    """Why, from `first`'s side."""


def suggestions(engine: Engine, paths: Iterable[str], k: int) -> dict[str, list[Related]]:
    """The `k` best not-yet-linked related notes of each note in `paths` (notes with none drop)."""
    found = {}
    for path in sorted(paths):
        related = engine.related(path, k, suggestions=True)
        if related:
            found[path] = related
    return found


def strongest_pairs(engine: Engine, limit: int, per_note: int = 3) -> list[Pair]:
    """The `limit` strongest pairs of notes not linked either way, best first.

    A pair's score is the larger of its two directions' hybrid scores; each note offers its
    `per_note` best suggestions, so one busy note cannot fill the list alone.
    """
    corpus = engine.corpus
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for path in sorted(corpus.notes):
        for other, score in engine.ranking(path, suggestions=True)[: per_note * 3]:
            if corpus.links_to(other, path):
                continue
            key = (min(path, other), max(path, other))
            if key not in best or score > best[key][0]:
                best[key] = (score, path)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    pairs: list[Pair] = []
    offered: dict[str, int] = {}
    for (a, b), (score, source) in ranked:
        if len(pairs) >= limit:
            break
        if offered.get(a, 0) >= per_note or offered.get(b, 0) >= per_note:
            continue
        offered[a] = offered.get(a, 0) + 1
        offered[b] = offered.get(b, 0) + 1
        other = b if source == a else a
        pairs.append(Pair(source, other, round(score, 4), tuple(engine.reasons(source, other))))
    return pairs
