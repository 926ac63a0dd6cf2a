"""Link-graph signal: direct links and shared neighbours, weighted as Adamic-Adar.

Two notes that share a neighbour `z` (a note linked with both, in either direction: co-citation
when `z` links to both, bibliographic coupling when both link to `z`) score `1 / ln(deg(z))`: a
shared neighbour counts more the fewer links it has. A neighbour with more than `MAX_DEGREE`
links (an index page) is skipped, which bounds the two-hop walk. A direct link in either direction
adds `DIRECT`.
"""

from __future__ import annotations

import math

from vaultnet.related.corpus import Corpus
from vaultnet.related.reasons import Reason

MAX_DEGREE = 1000
DIRECT = 1.0


class GraphSignal:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._neighbours: dict[str, set[str]] = {}

    def neighbours(self, path: str) -> set[str]:
        found = self._neighbours.get(path)
        if found is None:
            found = self._neighbours[path] = self.corpus.neighbours(path)
        return found

    def scores(self, path: str) -> dict[str, float]:
        acc: dict[str, float] = {}
        get = acc.get
        mine = sorted(self.neighbours(path))
        for hub in mine:  # sorted: every note's sum is added up in the same order
            others = self.neighbours(hub)
            if len(others) < 2 or len(others) > MAX_DEGREE:
                continue
            share = 1.0 / math.log(len(others))
            for other in others:
                acc[other] = get(other, 0.0) + share
        for other in mine:
            acc[other] = get(other, 0.0) + DIRECT
        acc.pop(path, None)
        return acc

    def reasons(self, path: str, other: str, limit: int = 3) -> list[Reason]:
        corpus = self.corpus
        found = []
        if corpus.links_to(other, path):
            found.append(Reason.plain("links to this note"))
        shared = [
            z
            for z in self.neighbours(path) & self.neighbours(other)
            if len(self.neighbours(z)) <= MAX_DEGREE
        ]
        shared.sort(key=lambda z: (len(self.neighbours(z)), z))
        groups: dict[str, list[str]] = {
            "both link to": [],
            "both linked from": [],
            "both connected to": [],
        }
        for z in shared:
            out = corpus.links_to(path, z) and corpus.links_to(other, z)
            into = corpus.links_to(z, path) and corpus.links_to(z, other)
            key = "both link to" if out else "both linked from" if into else "both connected to"
            groups[key].append(z)
        for words, hubs in groups.items():
            if hubs:
                more = f" (+{len(hubs) - limit} more)" if len(hubs) > limit else ""
                found.append(Reason.naming(f"{words} ", hubs[:limit], more))
        return found
