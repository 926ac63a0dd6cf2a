"""Shared labels: tags weighted by rarity, and people both notes mention.

A shared tag scores `ln(N / df)` (a tag on more than `max(50, N / 5)` notes is
skipped). A shared person (a person note both notes link to) scores `1 / ln(1 + mentions)`, where
`mentions` counts the notes linking to that person.
"""

from __future__ import annotations

import math

from vaultnet.related.corpus import Corpus
from vaultnet.related.reasons import Reason, join_words
from vaultnet.related.text import MIN_MAX_DF

MAX_MENTIONS = 1000
TAG_MAX_SHARE = 0.2


class TagSignal:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.n = len(corpus)
        self.max_df = max(MIN_MAX_DF, int(TAG_MAX_SHARE * self.n))

    def rarity(self, tag: str) -> float:
        df = len(self.corpus.tagged.get(tag, ()))
        return math.log(self.n / df) if 1 < df <= self.max_df else 0.0

    def scores(self, path: str) -> dict[str, float]:
        note = self.corpus.notes.get(path)
        acc: dict[str, float] = {}
        if note is None:
            return acc
        for tag in sorted(note.tags):
            rarity = self.rarity(tag)
            if rarity > 0.0:
                for other in self.corpus.tagged[tag]:
                    acc[other] = acc.get(other, 0.0) + rarity
        acc.pop(path, None)
        return acc

    def reasons(self, path: str, other: str, limit: int = 3) -> list[Reason]:
        notes = self.corpus.notes
        shared = [t for t in notes[path].tags & notes[other].tags if self.rarity(t) > 0.0]
        shared.sort(key=lambda t: (-self.rarity(t), t))
        if not shared:
            return []
        rare = "rare " if self.rarity(shared[0]) >= math.log(20) else ""
        label = "tag" if len(shared) == 1 else "tags"
        tags = join_words([f"#{t}" for t in shared[:limit]])
        return [Reason.plain(f"shared {rare}{label} {tags}")]


class PeopleSignal:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def people(self, path: str) -> list[str]:
        note = self.corpus.notes.get(path)
        notes = self.corpus.notes
        if note is None:
            return []
        return sorted(p for p in note.links if p in notes and notes[p].person and p != path)

    def weight(self, person: str) -> float:
        mentions = len(self.corpus.linked_from.get(person, ()))
        return 1.0 / math.log(1 + mentions) if 1 < mentions <= MAX_MENTIONS else 0.0

    def scores(self, path: str) -> dict[str, float]:
        acc: dict[str, float] = {}
        for person in self.people(path):
            weight = self.weight(person)
            if weight > 0.0:
                for other in self.corpus.linked_from[person]:
                    acc[other] = acc.get(other, 0.0) + weight
        acc.pop(path, None)
        return acc

    def reasons(self, path: str, other: str, limit: int = 3) -> list[Reason]:
        theirs = set(self.people(other))
        shared = [p for p in self.people(path) if p in theirs and self.weight(p) > 0.0]
        shared.sort(key=lambda p: (-self.weight(p), p))
        if not shared:
            return []
        return [Reason.naming("both mention ", shared[:limit])]
