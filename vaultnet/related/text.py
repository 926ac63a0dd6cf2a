"""Text similarity: a length-normalised cosine (SMART `lnc.ltc`) through each note's keywords.

A candidate note B is a vector of log term frequencies, `1 + ln tf`, divided by its length (the
Euclidean norm over all its terms), so a long note matches no better for being long. The asking
note A weighs its terms `(1 + ln tf) * idf`, `idf = ln((N + 1) / (df + 1)) + 1`, also divided by
its length: rare words count, common ones little. This is the classic `lnc.ltc` scheme: idf on
the query side only, so B's length is a function of B alone, kept until B changes, and an edit
elsewhere never makes every note's length stale. A's keywords are its `KEYWORDS` heaviest terms
among those in the prose of at most `max_df` notes and in at most `MAX_DF` notes in all: a word
in the prose of a twentieth of the vault says little, and skipping words in more than `MAX_DF`
notes bounds every posting list, so one note's query costs at most `KEYWORDS * MAX_DF` steps at
any vault size. (Only prose counts for the first rule: a documentation vault's code examples
repeat the same library words in every note, which would push its topical words over the
limit.)

A word written in a code block counts `CODE_WEIGHT` (0.5) of a prose word
(`vaultnet.related.corpus.log_weight`): code says what a note is about, but less plainly. The
similarity of B to A is the sum over A's keywords of `weight(A) * weight(B)`: the part of the
cosine the keywords carry (between 0 and 1). Only notes that share a keyword are ever looked at,
never all pairs.

`LooseSignal` asks the same question of a note's loose lines only (its body lines that hold no
link), with their own keywords: what the note says without linking it.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping

from vaultnet.related.corpus import Corpus, NoteData, log_weight

KEYWORDS = 30
LOOSE_KEYWORDS = 15
"""Loose lines are short passages: their few distinctive words say what they are about (15
recover as many hidden links as 30 in the evaluation, at half the cost)."""
MAX_DF_SHARE = 0.05
MIN_MAX_DF = 50
MAX_DF = 1000
CACHED_POSTINGS = 4_000_000
"""At most this many weighted postings are memoised (about 16 bytes each); then the memo starts
over, so a batch over 100k notes stays within bounded memory."""


class TextSignal:
    """Text scores over one unchanging corpus; memoises weighted posting lists."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.n = len(corpus)
        self.max_df = min(MAX_DF, max(MIN_MAX_DF, int(MAX_DF_SHARE * self.n)))
        self._idf: dict[str, float] = {}
        self._weighted: dict[str, tuple[tuple[str, ...], array[float]]] = {}
        self._cached = 0
        self._keywords: dict[str, list[tuple[str, float]]] = {}

    def idf(self, term: str) -> float:
        idf = self._idf.get(term)
        if idf is None:
            df = len(self.corpus.postings.get(term, ()))
            idf = self._idf[term] = math.log((self.n + 1) / (df + 1)) + 1.0
        return idf

    def norm(self, terms: tuple[tuple[str, int], ...], in_code: Mapping[str, int]) -> float:
        """The Euclidean length of these counts' weight vector as an asking note (1.0 for no
        terms)."""
        idf, code = self.idf, in_code.get
        # Added up in term order: the same sum on every run.
        total = math.fsum((log_weight(tf, min(tf, code(t, 0))) * idf(t)) ** 2 for t, tf in terms)
        return math.sqrt(total) or 1.0

    def keywords(self, path: str) -> list[tuple[str, float]]:
        """The note's heaviest informative terms, heaviest first (ties by term)."""
        if path in self._keywords:
            return self._keywords[path]
        note = self.corpus.notes.get(path)
        found = self.heaviest(note.terms, note.in_code) if note is not None else []
        self._keywords[path] = found
        return found

    def heaviest(
        self,
        terms: tuple[tuple[str, int], ...],
        in_code: Mapping[str, int],
        limit: int = KEYWORDS,
    ) -> list[tuple[str, float]]:
        """The `limit` heaviest informative terms of a text with these counts (`in_code`: how
        many of each are in code blocks), heaviest first (ties by term), each with its weight in
        the text's normalised vector."""
        found: list[tuple[str, float]] = []
        postings, max_df, code = self.corpus.postings, self.max_df, in_code.get
        prose_df = self.corpus.prose_df
        for term, tf in terms:
            if 1 < len(postings.get(term, ())) <= MAX_DF and prose_df[term] <= max_df:
                found.append((term, log_weight(tf, min(tf, code(term, 0))) * self.idf(term)))
        found.sort(key=lambda item: (-item[1], item[0]))
        norm = self.norm(terms, in_code)
        return [(term, weight / norm) for term, weight in found[:limit]]

    def postings(self, term: str) -> tuple[tuple[str, ...], array[float]]:
        """The notes that have `term`, and the term's weight in each one's normalised
        log-frequency vector (same order)."""
        weighted = self._weighted.get(term)
        if weighted is None:
            notes = self.corpus.notes
            counts = self.corpus.postings.get(term, {})
            paths = tuple(counts)
            weighted = (
                paths,
                array("d", [self._weight(notes[p], term, tf) for p, tf in counts.items()]),
            )
            if self._cached + len(paths) > CACHED_POSTINGS:
                self._weighted.clear()
                self._cached = 0
            self._weighted[term] = weighted
            self._cached += len(paths)
        return weighted

    @staticmethod
    def _weight(note: NoteData, term: str, tf: int) -> float:
        """`term`'s weight in `note`'s normalised vector, as a candidate."""
        return log_weight(tf, note.in_code.get(term, 0)) / note.norm

    def scores(self, path: str) -> dict[str, float]:
        """Similarity of every note sharing a keyword with `path` (never `path` itself)."""
        return self.query(self.keywords(path), path)

    def query(self, keywords: list[tuple[str, float]], path: str) -> dict[str, float]:
        """Sum over `keywords` of `weight * weight(B)` for every note B that has one (never
        `path` itself)."""
        acc: dict[str, float] = {}
        get = acc.get
        # Terms in a fixed order: each note's sum is added up in the same order on every run.
        for term, weight in sorted(keywords):
            paths, weights = self.postings(term)
            for other, product in zip(paths, map(weight.__mul__, weights), strict=True):
                acc[other] = get(other, 0.0) + product
        acc.pop(path, None)
        return acc

    def shared_words(self, path: str, other: str, limit: int = 3) -> list[str]:
        """The keywords of `path` that count most towards `other`'s similarity."""
        return self.heaviest_shared(self.keywords(path), other, limit)

    def heaviest_shared(
        self, keywords: list[tuple[str, float]], other: str, limit: int = 3
    ) -> list[str]:
        """The `keywords` that count most towards `other`'s score in `query`."""
        counts, note = self.corpus.postings, self.corpus.notes[other]
        shared = [
            (weight * self._weight(note, term, counts[term][other]), term)
            for term, weight in keywords
            if other in counts.get(term, {})
        ]
        shared.sort(key=lambda item: (-item[0], item[1]))
        return [term for _, term in shared[:limit]]


class LooseSignal:
    """Text similarity of a note's loose lines (those that hold no link) to whole notes: what a
    note says without linking it. An index note whose line describes another note without a link
    is found here, where its thousands of other words would drown it in the text signal."""

    def __init__(self, text: TextSignal) -> None:
        self.text = text
        self._keywords: dict[str, list[tuple[str, float]]] = {}

    def keywords(self, path: str) -> list[tuple[str, float]]:
        found = self._keywords.get(path)
        if found is None:
            note = self.text.corpus.notes.get(path)
            found = []
            if note is not None:
                loose = note.loose()
                found = self.text.heaviest(loose, note.in_code, LOOSE_KEYWORDS)
            self._keywords[path] = found
        return found

    def scores(self, path: str) -> dict[str, float]:
        return self.text.query(self.keywords(path), path)

    def shared_words(self, path: str, other: str, limit: int = 3) -> list[str]:
        return self.text.heaviest_shared(self.keywords(path), other, limit)
