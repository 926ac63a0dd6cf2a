"""A plain TF-IDF cosine over each note's whole text: the baseline related notes must beat.

Written independently of vaultnet (no project code), as scikit-learn's `TfidfVectorizer` computes
it by default: lower-cased tokens of two or more word characters (`(?u)\\b\\w\\w+\\b`), raw term
counts, smoothed idf `ln((1 + n) / (1 + df)) + 1`, each vector scaled to unit length; similarity
is the dot product. One change, so the baseline is fair to scripts written without spaces
(Chinese, Japanese, Thai, Khmer, Lao, Burmese): their runs become overlapping character bigrams
instead of one token per run. Code blocks, frontmatter and link syntax are all part of the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

TOKEN = re.compile(r"(?u)\b\w\w+\b")
UNSPACED = re.compile(
    r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}"
)


def tokens(text: str) -> list[str]:
    found: list[str] = []
    for token in TOKEN.findall(text.lower()):
        runs = UNSPACED.findall(token)
        if not runs:
            found.append(token)
            continue
        rest = UNSPACED.sub(" ", token).split()
        found += [t for t in rest if len(t) > 1]
        for run in runs:
            found += [run[i : i + 2] for i in range(len(run) - 1)]
    return found


class TfidfBaseline:
    """TF-IDF vectors of a fixed set of texts; `scores` compares a new text with all of them."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        counts = {path: Counter(tokens(text)) for path, text in texts.items()}
        df: Counter[str] = Counter()
        for terms in counts.values():
            df.update(terms.keys())
        n = len(counts)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        self.postings: dict[str, list[tuple[str, float]]] = {}
        self._like: dict[str, tuple[Counter[str], dict[str, float]]] = {}
        for path, terms in sorted(counts.items()):
            for term, weight in self.vector(terms).items():
                self.postings.setdefault(term, []).append((path, weight))

    def vector(self, terms: Mapping[str, int]) -> dict[str, float]:
        weights = {t: c * self.idf.get(t, 0.0) for t, c in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items() if w}

    def scores(self, text: str, like: str | None = None) -> dict[str, float]:
        """Cosine of `text` with every stored text that shares a token with it. `like`: a text
        `text` differs little from (a note before a link was cut): its dot products are kept and
        only the difference is computed, which gives the same cosines far faster."""
        counts = Counter(tokens(text))
        if like is None:
            acc = self._dots(counts)
        else:
            before = self._like.get(like)
            if before is None:
                before = self._like[like] = (
                    Counter(tokens(like)),
                    self._dots(Counter(tokens(like))),
                )
            old, acc = before[0], dict(before[1])
            for path, value in self._dots(counts - old).items():
                acc[path] = acc.get(path, 0.0) + value
            for path, value in self._dots(old - counts).items():
                acc[path] = acc.get(path, 0.0) - value
        weights = [c * self.idf.get(t, 0.0) for t, c in counts.items()]
        norm = math.sqrt(sum(w * w for w in weights)) or 1.0
        return {path: value / norm for path, value in acc.items() if value > 1e-12}

    def _dots(self, counts: Mapping[str, int]) -> dict[str, float]:
        """Dot products of the raw (not normalised) TF-IDF vector of `counts` with every stored
        (normalised) vector."""
        acc: dict[str, float] = {}
        for term, count in sorted(counts.items()):
            weight = count * self.idf.get(term, 0.0)
            for path, other in self.postings.get(term, ()):
                acc[path] = acc.get(path, 0.0) + weight * other
        return acc


class SublinearTfidf:
    """The stronger plain baseline: TF-IDF with sublinear term frequency over each note's whole
    raw text. Tokens are runs of three or more letters (`(?u)[^\\W\\d_]{3,}`, lower-cased) with
    scikit-learn's English stop words removed (its `CountVectorizer` does the tokenising and
    counting); a term weighs `(1 + ln tf) * ln(N / df)`, written here with scipy because
    scikit-learn's `TfidfTransformer` adds 1 to every idf; each vector is scaled to unit length
    and similarity is the dot product (cosine). The vocabulary and idf come from the notes as they
    are; a query text is weighed with them."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import CountVectorizer

        self.paths = sorted(texts)
        self.counter = CountVectorizer(
            token_pattern=r"(?u)[^\W\d_]{3,}", stop_words="english", lowercase=True
        )
        counts = self.counter.fit_transform([texts[p] for p in self.paths]).tocsr()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf = np.log(len(self.paths) / np.maximum(df, 1))
        self.matrix = self.weigh(counts).T.tocsr()  # terms x notes
        self._like: dict[str, object] = {}

    def weigh(self, counts: object) -> object:
        """Counts (rows of texts) -> unit-length `(1 + ln tf) * idf` rows."""
        import numpy as np
        import scipy.sparse as sp

        weights = sp.csr_matrix(counts, dtype=np.float64, copy=True)
        weights.data = (1.0 + np.log(weights.data)) * self.idf[weights.indices]
        norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
        return sp.diags(1.0 / np.where(norms > 0.0, norms, 1.0)) @ weights

    def scores(self, text: str, like: str | None = None) -> dict[str, float]:
        """Cosine of `text` with every note that shares a term with it (`like` is accepted for
        the same call as `TfidfBaseline.scores` and not needed: one product is fast)."""
        row = self.weigh(self.counter.transform([text])) @ self.matrix
        row = row.tocoo()
        return {
            self.paths[j]: float(v) for j, v in zip(row.col, row.data, strict=True) if v > 1e-12
        }
