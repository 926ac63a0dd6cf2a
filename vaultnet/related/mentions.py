"""Mentions: one note names the other (its title or an alias) in its text without linking it.

Names and text are compared as terms (`vaultnet.vault.terms.tokens`): B's name is mentioned in A when
every term of the name occurs in A. A mention in either direction scores the sum of the name's
term IDFs (`ln(N / df)`), so "Canvas" counts more than "Format"; when both notes mention each
other the two scores add. This is Obsidian's "unlinked mentions", found through the term index.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from itertools import chain

from vaultnet.related.corpus import Corpus
from vaultnet.related.reasons import Reason

NameIndex = dict[str, list[tuple[str, tuple[str, ...]]]]
"""term -> (note, name) for each name whose rarest term it is."""


def name_index(corpus: Corpus) -> NameIndex:
    """Every note's names, each under its rarest term (in fewest names; the first such term of
    the name): a note can only mention a name whose rarest term it contains, so the names under
    the note's terms are every candidate. It counts every name in the vault, so it is built once
    per corpus (`Corpus.derived`), not per engine."""
    in_names = Counter(
        chain.from_iterable(chain.from_iterable(n.names for n in corpus.notes.values()))
    )
    rarity = in_names.__getitem__
    index: NameIndex = defaultdict(list)
    for path, note in corpus.notes.items():
        for name in note.names:
            if name:
                index[name[0] if len(name) == 1 else min(name, key=rarity)].append((path, name))
    return dict(index)  # shared by every engine: a lookup must not add keys


class MentionSignal:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.n = len(corpus)
        self._name_scores: dict[tuple[str, ...], float] = {}
        """Bounded by the number of distinct names in the vault."""

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
        index, name_score = self.corpus.derived(name_index), self.name_score
        forward: dict[str, float] = {}  # names this note mentions: each note's best one
        best = forward.get
        for term in mine:
            for other, name in index.get(term, ()):
                if len(name) == 1 or mine.issuperset(name):
                    score = name_score(name)
                    if score > best(other, 0.0):
                        forward[other] = score
        acc: dict[str, float] = {}  # first: the notes that mention this note's names
        for name in note.names:
            if not name or any(t not in postings for t in name):
                continue
            score = name_score(name)
            if score <= 0.0:
                continue
            holders = holding_all(postings, name)
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

    def reasons(self, path: str, other: str) -> list[Reason]:
        found = []
        corpus = self.corpus
        if not corpus.links_to(path, other) and self.mention(path, other) > 0.0:
            found.append(Reason.naming("this note mentions ", [other], " without a link"))
        if not corpus.links_to(other, path) and self.mention(other, path) > 0.0:
            found.append(Reason.plain("mentions this note without a link"))
        return found


def holding_all(postings: dict[str, dict[str, int]], terms: tuple[str, ...]) -> AbstractSet[str]:
    """The notes that have every one of `terms` (each a key of `postings`): the shortest posting
    list intersected with the others, so a name with a common word costs its rare word's list."""
    lists = sorted((postings[term] for term in terms), key=len)
    found: AbstractSet[str] = lists[0].keys()
    for more in lists[1:]:
        found = found & more.keys()
    return found
