"""Bounds on the hybrid score for the pair search (`vaultnet.related.pairs`): what can be
skipped without scoring it.

Each signal's score splits into a heavy part, computed as a sparse product over the features that
reach few notes (a tag on at most `heavy` notes, a hub with at most `heavy` links, a folder of at
most `heavy` notes), and a light part, bounded per note by what its light features can add at
most (the text and loose cosines, at most 1; the mentions, at most the best name filed under one
of the note's words plus its own best name; the popular signal, at most the most linked idea note
next to one of the note's light hubs). `upper` turns the heavy scores of a block of notes into a bound on each candidate's score;
`Bounds.outside` bounds a note's score with any candidate no heavy feature reaches.
`pair_scores` then scores the candidates that may reach the threshold exactly: the same floats as
a full row (`vaultnet.related.rows.pair_dots`).
"""

from __future__ import annotations

import numpy as np

from vaultnet.related import graph
from vaultnet.related.calibration import Calibration
from vaultnet.related.corpus import Corpus
from vaultnet.related.rows import diagonal, pair_dots
from vaultnet.related.signals import SIGNALS, transform
from vaultnet.related.sparse import sp
from vaultnet.related.stats import MAX_FOLDER

HEAVY_FROM = 200
"""A feature reaching at most this many notes (or a fiftieth of the vault) is heavy."""


class Bounds:
    """Which features of each signal are heavy (scored as products) and the per-feature weight
    of the light ones (bounded)."""

    def __init__(self, corpus: Corpus, calibration: Calibration, member: np.ndarray) -> None:
        from vaultnet.related.shared import person_weights, rarities

        stats = corpus.stats
        assert stats is not None
        heavy = max(HEAVY_FROM, len(corpus) // 50)
        self.weights, self.scales = calibration.weights, calibration.scales
        self.heavy = heavy
        rows = len(corpus.paths)
        self.rarity = rarities(corpus)
        tag_df = corpus.tagged.column_counts()[: len(corpus.tags)]
        self.light_tags = self.rarity * (tag_df > heavy)
        self.people = person_weights(corpus, rows)
        in_degree = corpus.out.column_counts()[:rows]
        self.light_people = self.people * (in_degree > heavy)
        hubs = graph.padded(stats.hubs, rows)
        self.hubs = hubs
        degree = corpus.adj.column_counts()[:rows]
        self.light_hubs = hubs * (degree > heavy)
        # popular: each idea note's links count; for each note, the most linked idea note
        # among its neighbours (what a light hub can bring a note to)
        self.linked = graph.padded(stats.linked, rows) * member[:rows]
        self.most_linked_near = _row_max_of(corpus.adj.take(np.arange(rows)), self.linked)
        sizes = np.array([stats.size(f) for f in range(len(corpus.folders))])
        self.folder_ok = sizes <= MAX_FOLDER
        self.light_folders = self.folder_ok & (sizes > heavy)
        # Mentions are light throughout: a note's text holds at most the best name filed under
        # one of its terms, and its own best name is the most another note's text can hold.
        names = corpus.names
        owner, score, key = names.owners(), names.scores(), names.keys()
        ideas_names = (owner >= 0) & member[np.maximum(owner, 0)] & (score > 0.0)
        self.best_named = np.zeros(len(corpus.terms) + 1)
        np.maximum.at(self.best_named, key[ideas_names], score[ideas_names])
        self.own_name = np.zeros(rows)
        np.maximum.at(self.own_name, owner[ideas_names], score[ideas_names])

    def light(self, corpus: Corpus, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Per signal, the most the light features can add for each of `rows`."""
        n = len(rows)
        tagged, out = corpus.tagged.take(rows), corpus.out.take(rows)
        adj, fw = corpus.adj.take(rows), corpus.fw.take(rows)
        found = {
            "text": np.ones(n),
            "loose": np.ones(n),
            "tags": np.asarray(tagged @ self.light_tags[: tagged.shape[1]]).ravel(),
            "people": np.asarray(out @ self.light_people[: out.shape[1]]).ravel(),
            "links": np.asarray(adj @ self.light_hubs[: adj.shape[1]]).ravel(),
            "mentions": self._mentions(corpus, rows),
        }
        found["popular"] = _row_max_of(adj, self.most_linked_near * (self.light_hubs > 0.0))
        light_fw = fw @ diagonal(self.light_folders[: fw.shape[1]].astype(np.float64))
        found["folders"] = _row_max(light_fw)
        return found

    def _mentions(self, corpus: Corpus, rows: np.ndarray) -> np.ndarray:
        """The most the mentions signal can give each of `rows` with an idea note."""
        texts = corpus.counts.take(rows)
        named = self.best_named[np.minimum(texts.indices, len(self.best_named) - 1)]
        best = sp.csr_matrix((named, texts.indices, texts.indptr), shape=texts.shape)
        return _row_max(best) + self.own_name[rows]

    def outside(self, light: dict[str, np.ndarray]) -> np.ndarray:
        """The bound on a note no heavy feature reaches, for each row."""
        total = np.zeros(len(next(iter(light.values()))))
        for name in SIGNALS:
            weight = self.weights[name]
            if weight > 0.0:
                total += transform(light[name], weight, self.scales[name])
        return total


def heavy_scores(
    corpus: Corpus, rows: np.ndarray, member: np.ndarray, bounds: Bounds
) -> dict[str, sp.csr_matrix]:
    """Per signal, the heavy part of each row's scores with the idea notes."""
    keep = diagonal(member.astype(np.float64))
    tagged = corpus.tagged.take(rows)
    heavy_tags = bounds.rarity[: tagged.shape[1]] - bounds.light_tags[: tagged.shape[1]]
    out = corpus.out.take(rows)
    heavy_people = bounds.people[: out.shape[1]] - bounds.light_people[: out.shape[1]]
    adj = corpus.adj.take(rows)
    heavy_hubs = bounds.hubs[: adj.shape[1]] - bounds.light_hubs[: adj.shape[1]]
    fw = corpus.fw.take(rows)
    heavy_folders = bounds.folder_ok & ~bounds.light_folders
    found = {
        "tags": corpus.tagged.times((tagged @ diagonal(heavy_tags)).tocsr()),
        "people": corpus.out.times((out @ diagonal(heavy_people)).tocsr()),
        "links": corpus.adj.times((adj @ diagonal(heavy_hubs)).tocsr()),
        "folders": _folder_members(corpus, fw @ diagonal(heavy_folders[: fw.shape[1]] * 1.0)),
    }
    found = {k: _pruned((v @ keep).tocsr()) for k, v in found.items()}
    reached = found["links"]
    counts = bounds.linked[reached.indices]
    popular = (counts, reached.indices.copy(), reached.indptr.copy())  # pruned in place below
    found["popular"] = _pruned(sp.csr_matrix(popular, reached.shape))
    return found


def _folder_members(corpus: Corpus, fw: sp.csr_matrix) -> sp.csr_matrix:
    from vaultnet.related.folders import scores

    return scores(corpus, fw.tocsr())


def upper(
    heavy: dict[str, sp.csr_matrix],
    light: dict[str, np.ndarray],
    bounds: Bounds,
    outside: np.ndarray,
) -> sp.csr_matrix:
    """For each (row, candidate) a heavy feature reaches: the bound on its score (the bound
    outside every heavy feature plus what each heavy score adds to it)."""
    total = None
    for name in SIGNALS:
        weight = bounds.weights[name]
        matrix = heavy.get(name)
        if weight <= 0.0 or matrix is None or not matrix.nnz:
            continue
        extra = light[name][np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))]
        # a folder's weight and a links count are one feature's, not a sum over features
        one = name in ("folders", "popular")
        value = np.maximum(matrix.data, extra) if one else matrix.data + extra
        scale = bounds.scales[name]
        gain = transform(value, weight, scale) - transform(extra, weight, scale)
        part = sp.csr_matrix((gain, matrix.indices, matrix.indptr), shape=matrix.shape)
        total = part if total is None else total + part
    if total is None:
        return sp.csr_matrix((len(outside), 0))
    total = total.tocsr()
    total.data += np.repeat(outside, np.diff(total.indptr))
    return total


def pair_scores(
    corpus: Corpus, left: np.ndarray, right: np.ndarray, calibration: Calibration
) -> np.ndarray:
    """The hybrid score `left[i] -> right[i]` of each pair: the floats a full row gives."""
    from vaultnet.related.shared import person_weights, rarities

    stats = corpus.stats
    assert stats is not None
    total = np.zeros(len(left))
    rows = len(corpus.paths)
    links: np.ndarray | None = None
    for name in SIGNALS:
        weight = calibration.weights[name]
        if weight <= 0.0:
            continue
        if name == "text":
            x = pair_dots(corpus.x.take(left), corpus.x.take(right))
        elif name == "loose":
            x = pair_dots(corpus.loose.take(left), corpus.x.take(right))
        elif name == "tags":
            tagged = corpus.tagged.take(left)
            x = pair_dots((tagged @ diagonal(rarities(corpus))).tocsr(), corpus.tagged.take(right))
        elif name == "people":
            out = corpus.out.take(left)
            x = pair_dots(
                (out @ diagonal(person_weights(corpus, rows))).tocsr(), corpus.out.take(right)
            )
        elif name == "links":
            x = links = graph.pair_scores(corpus, left, right)
        elif name == "popular":
            if links is None:
                links = graph.pair_scores(corpus, left, right)
            x = graph.padded(stats.linked, rows)[right] * (links > 0.0)
        elif name == "mentions":
            texts = corpus.counts.take
            x = corpus.names.pair_forward(left, right, texts)
            x = x + corpus.names.pair_forward(right, left, texts)
        else:
            fw = corpus.fw.take(left)
            sizes = np.array([stats.size(f) for f in range(len(corpus.folders))])
            folder = corpus.fid[right]
            x = np.asarray(fw[np.arange(len(left)), folder]).ravel() * (sizes[folder] <= MAX_FOLDER)
        total += transform(x, weight, calibration.scales[name])
    return total


def _row_max(matrix: sp.csr_matrix) -> np.ndarray:
    """Each row's largest entry (0 for an empty row; entries are never negative)."""
    if not matrix.shape[0]:
        return np.zeros(0)
    return np.asarray(matrix.max(axis=1).todense()).ravel()


def _row_max_of(matrix: sp.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Each row's largest `values[column]` over the columns it has an entry in."""
    at = sp.csr_matrix((values[matrix.indices], matrix.indices, matrix.indptr), shape=matrix.shape)
    return _row_max(at)


def _pruned(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix.eliminate_zeros()
    return matrix
