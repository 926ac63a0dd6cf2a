"""Mentions: one note names the other (its title or an alias) in its text without linking it.

Names and text are compared as terms (`vaultnet.terms.tokens`): B's name is mentioned in A when
every term of the name occurs in A. A mention in either direction scores the sum of the name's
term IDFs (`ln(N / df)`), so "Canvas" counts more than "Format"; when both notes mention each
other the two scores add. This is Obsidian's "unlinked mentions", found through the term index.
"""

from __future__ import annotations

import math
from collections import defaultdict

from vaultnet.related.corpus import Corpus
from vaultnet.related.graph import link_text


class MentionSignal:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.n = len(corpus)
        self._named: dict[str, set[str]] | None = None
        self._name_scores: dict[tuple[str, ...], float] = {}
        """Bounded by the number of distinct names in the vault."""

    def named(self) -> dict[str, set[str]]:
        """term -> notes with a name whose rarest term (in fewest names) it is; a note can only
        mention a name whose rarest term it contains, so this finds every candidate."""
        if self._named is None:
            in_names: dict[str, int] = defaultdict(int)
            for note in self.corpus.notes.values():
                for name in note.names:
                    for term in name:
                        in_names[term] += 1
            named: dict[str, set[str]] = defaultdict(set)
            for path, note in self.corpus.notes.items():
                for name in note.names:
                    if name:
                        named[min(name, key=lambda t: (in_names[t], t))].add(path)
            self._named = named
        return self._named

    def idf(self, term: str) -> float:
        df = len(self.corpus.postings.get(term, ()))
        return math.log(self.n / df) if df else 0.0

    def mention(self, path: str, other: str) -> float:
        """How strongly `path`'s text names `other` (0 when it does not)."""
        terms = self.corpus.postings
        best = 0.0
        for name in self.corpus.notes[other].names:
            if name and all(path in terms.get(term, ()) for term in name):
                best = max(best, self.name_score(name))
        return best

    def name_score(self, name: tuple[str, ...]) -> float:
        score = self._name_scores.get(name)
        if score is None:
            score = self._name_scores[name] = math.fsum(self.idf(term) for term in name)
        return score

    def scores(self, path: str) -> dict[str, float]:
        note = self.corpus.notes.get(path)
        if note is None:
            return {}
        postings = self.corpus.postings
        mine = {term for term, _ in note.terms}
        notes, named, name_score = self.corpus.notes, self.named(), self.name_score
        forward: dict[str, float] = {}  # names this note mentions
        seen: set[str] = set()
        for term in mine:
            for other in named.get(term, ()):
                if other in seen:
                    continue
                seen.add(other)
                best = 0.0
                for name in notes[other].names:
                    if name and mine.issuperset(name):
                        best = max(best, name_score(name))
                if best > 0.0:
                    forward[other] = best
        acc: dict[str, float] = {}  # first: the notes that mention this note's names
        for name in note.names:
            if not name or any(t not in postings for t in name):
                continue
            score = name_score(name)
            if score <= 0.0:
                continue
            holders = set(postings[name[0]]).intersection(*(postings[t] for t in name[1:]))
            if not acc:
                acc = dict.fromkeys(holders, score)
                continue
            for other in holders:
                if score > acc.get(other, 0.0):
                    acc[other] = score
        get = acc.get
        for other, score in forward.items():
            acc[other] = score + get(other, 0.0)
        acc.pop(path, None)
        return acc

    def reasons(self, path: str, other: str) -> list[str]:
        found = []
        corpus = self.corpus
        if not corpus.links_to(path, other) and self.mention(path, other) > 0.0:
            found.append(f"this note mentions [[{link_text(corpus, other)}]] without a link")
        if not corpus.links_to(other, path) and self.mention(other, path) > 0.0:
            found.append("mentions this note without a link")
        return found
