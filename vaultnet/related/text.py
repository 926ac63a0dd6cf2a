"""Text similarity: BM25 term weights, compared through each note's keywords.

A term's weight in a note is its BM25 weight, `idf * tf*(k1+1) / (tf + k1*(1-b+b*len/avglen))`.
A note's keywords are its `KEYWORDS` heaviest terms among those in at most `max_df` notes (a word
in a twentieth of the vault says little, and skipping it bounds every posting list). The similarity
of B to A is the sum over A's keywords of `weight(A) * weight(B)`: only notes that share a keyword
are ever looked at, never all pairs.
"""

from __future__ import annotations

import math

from vaultnet.related.corpus import Corpus

K1 = 1.2
B = 0.75
KEYWORDS = 30
MAX_DF_SHARE = 0.05
MIN_MAX_DF = 50


class TextSignal:
    """Text scores over one unchanging corpus; memoises weighted posting lists for batches."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.n = len(corpus)
        self.avg_length = corpus.total_length / self.n if self.n else 1.0
        self.max_df = max(MIN_MAX_DF, int(MAX_DF_SHARE * self.n))
        self._weighted: dict[str, list[tuple[str, float]]] = {}
        self._keywords: dict[str, list[tuple[str, float]]] = {}

    def idf(self, term: str) -> float:
        df = len(self.corpus.postings.get(term, ()))
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def weight(self, tf: int, length: int, idf: float) -> float:
        norm = K1 * (1.0 - B + B * length / self.avg_length) if self.avg_length else K1
        return idf * tf * (K1 + 1.0) / (tf + norm)

    def keywords(self, path: str) -> list[tuple[str, float]]:
        """The note's heaviest informative terms, heaviest first (ties by term)."""
        if path in self._keywords:
            return self._keywords[path]
        note = self.corpus.notes.get(path)
        found: list[tuple[str, float]] = []
        if note is not None:
            length = note.length
            for term, tf in note.terms:
                df = len(self.corpus.postings.get(term, ()))
                if 1 < df <= self.max_df:
                    found.append((term, self.weight(tf, length, self.idf(term))))
        found.sort(key=lambda item: (-item[1], item[0]))
        self._keywords[path] = found = found[:KEYWORDS]
        return found

    def postings(self, term: str) -> list[tuple[str, float]]:
        """(path, weight) of every note that has `term`."""
        weighted = self._weighted.get(term)
        if weighted is None:
            idf = self.idf(term)
            notes = self.corpus.notes
            weighted = [
                (path, self.weight(tf, notes[path].length, idf))
                for path, tf in self.corpus.postings.get(term, {}).items()
            ]
            self._weighted[term] = weighted
        return weighted

    def scores(self, path: str) -> dict[str, float]:
        """Similarity of every note sharing a keyword with `path` (never `path` itself)."""
        acc: dict[str, float] = {}
        get = acc.get
        # Terms in a fixed order: each note's sum is added up in the same order on every run.
        for term, weight in sorted(self.keywords(path)):
            for other, other_weight in self.postings(term):
                acc[other] = get(other, 0.0) + weight * other_weight
        acc.pop(path, None)
        return acc

    def shared_words(self, path: str, other: str, limit: int = 3) -> list[str]:
        """The keywords of `path` that count most towards `other`'s similarity."""
        counts = self.corpus.postings
        shared = [
            (weight * self.weight(counts[term][other], self.corpus.notes[other].length, 1.0), term)
            for term, weight in self.keywords(path)
            if other in counts.get(term, {})
        ]
        shared.sort(key=lambda item: (-item[0], item[1]))
        return [term for _, term in shared[:limit]]
