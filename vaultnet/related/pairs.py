"""The strongest pairs of idea notes not linked either way (the Suggested links page), found
exactly without scoring every pair.

A pair's score is the larger of its two directions' hybrid scores. The page wants the best few
dozen pairs of a vault whose idea notes make millions of pairs, so the search keeps a threshold
`tau` (the score of the `want`-th best pair found so far, seeded from a sample of full rows) and
skips every pair that provably cannot reach it: each signal's score splits into a part computed
as a sparse product over its *heavy* features (rare tags, small hubs and folders, every mention)
and a bound on the rest (the *light* features: a tag on many notes, a hub with many links, a big
folder; the text and loose cosines, which are at most 1). A note whose bound without any heavy
match stays under `tau` gets only its heavy candidates scored, exactly (`vaultnet.related.rows.
pair_dots`: the same floats as a full row); any other note gets its full row. Every pair at or
above the final `tau` is found, so the page is the same as if every pair had been scored.

`PairTable` keeps those pairs between runs: an edit drops the pairs of the notes whose rows
changed and scores those notes' rows and columns again; only when the table no longer holds
enough pairs above `tau` is the search run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from vaultnet.related.calibration import Calibration
from vaultnet.related.corpus import Corpus
from vaultnet.related.rows import diagonal, pair_dots
from vaultnet.related.signals import SIGNALS, hybrid_columns, hybrid_rows, transform
from vaultnet.related.stats import MAX_FOLDER

PER_NOTE = 3
"""A note appears in at most this many suggested pairs, so one busy note cannot fill the list."""
WANT = 4
"""The search keeps the pairs above the score of this many times as many pairs as the page
lists (the per-note limit skips some); more only when that is not enough."""
SAMPLE = 48
"""Idea notes whose full rows seed the threshold."""
BLOCK = 256
SLACK = 1e-9
"""Bounds are compared with the threshold less this, so rounding can never lose a pair."""


@dataclass
class PairTable:
    """Every pair of idea rows at or above `tau`: (first row, second row) with first < second
    -> (score, source row)."""

    tau: float = 0.0
    found: dict[tuple[int, int], tuple[float, int]] = field(default_factory=dict)
    complete: bool = False
    """`tau` is 0: every pair with a score is here."""

    def add(self, source: int, others: np.ndarray, scores: np.ndarray) -> None:
        """Directional scores `source -> others` (kept when at or above `tau`)."""
        keep = scores >= self.tau
        for other, score in zip(others[keep].tolist(), scores[keep].tolist(), strict=True):
            key = (min(source, other), max(source, other))
            best = self.found.get(key)
            if best is None or (score, source) > (best[0], best[1]):
                self.found[key] = (score, source)

    def drop(self, rows: Iterable[int]) -> None:
        gone = set(rows)
        self.found = {k: v for k, v in self.found.items() if k[0] not in gone and k[1] not in gone}

    def cut(self, tau: float) -> None:
        """Raise the threshold to `tau`, dropping the pairs below it."""
        if tau > self.tau:
            self.tau, self.complete = tau, False
            self.found = {k: v for k, v in self.found.items() if v[0] >= tau}

    def ranked(self, paths: Sequence[str]) -> list[tuple[int, int, float]]:
        """(source, other, score), best first; ties by the pair's paths."""

        def key(item: tuple[tuple[int, int], tuple[float, int]]) -> tuple[float, str, str]:
            (a, b), (score, _) = item
            first, second = sorted((paths[a], paths[b]))
            return (-score, first, second)

        ranked = sorted(self.found.items(), key=key)
        return [(s, b if s == a else a, score) for (a, b), (score, s) in ranked]


def choose(
    table: PairTable, paths: Sequence[str], limit: int
) -> list[tuple[int, int, float]] | None:
    """The `limit` best pairs, each note in at most `PER_NOTE` of them; None when the table
    cannot tell (fewer than `limit` chosen while pairs below `tau` exist)."""
    chosen: list[tuple[int, int, float]] = []
    offered: dict[int, int] = {}
    for source, other, score in table.ranked(paths):
        if len(chosen) >= limit:
            break
        if offered.get(source, 0) >= PER_NOTE or offered.get(other, 0) >= PER_NOTE:
            continue
        offered[source] = offered.get(source, 0) + 1
        offered[other] = offered.get(other, 0) + 1
        chosen.append((source, other, score))
    if len(chosen) < limit and not table.complete:
        return None
    return chosen


def search(
    corpus: Corpus, ideas: np.ndarray, calibration: Calibration, want: int, stale: object = None
) -> PairTable:
    """Every pair of `ideas` rows not linked either way whose score is at or above the score of
    the `want`-th best pair (see the module docstring)."""
    table = PairTable()
    if len(ideas) < 2 or want <= 0:
        table.complete = True
        return table
    member = np.zeros(len(corpus.paths), dtype=bool)
    member[ideas] = True
    check = stale if callable(stale) else None
    sample = ideas[np.linspace(0, len(ideas) - 1, min(SAMPLE, len(ideas))).astype(int)]
    sample = np.unique(sample)
    _full_rows(corpus, sample, member, calibration, table)
    table.cut(_kth(table, want))
    bounds = Bounds(corpus, calibration, member)
    for start in range(0, len(ideas), BLOCK):
        if check is not None and check():
            from vaultnet.errors import Superseded

            raise Superseded("newer edits arrived while related pairs were searched")
        rows = ideas[start : start + BLOCK]
        rows = rows[~np.isin(rows, sample)]
        if not len(rows):
            continue
        _block(corpus, rows, member, calibration, bounds, table)
        table.cut(_kth(table, want))
    table.complete = table.tau <= 0.0
    return table


def update(
    table: PairTable,
    corpus: Corpus,
    ideas: np.ndarray,
    calibration: Calibration,
    rows: Iterable[int],
) -> None:
    """Bring `table` up to date after the rows `rows` changed (or came, went, or became or
    stopped being idea notes): their pairs are dropped and scored again, both directions."""
    rows = np.array(sorted(set(rows)), dtype=np.int64)
    table.drop(rows.tolist())
    member = np.zeros(len(corpus.paths), dtype=bool)
    member[ideas] = True
    rows = rows[member[rows]] if len(rows) else rows
    if not len(rows):
        return
    outward = hybrid_rows(corpus, rows, calibration)
    inward = hybrid_columns(corpus, rows, calibration)
    for i, row in enumerate(rows.tolist()):
        others, scores = _candidates(corpus, row, outward[i], member)
        table.add(row, others, scores)
        others, scores = _candidates(corpus, row, inward[i], member)
        for other, score in zip(others.tolist(), scores.tolist(), strict=True):
            table.add(other, np.array([row]), np.array([score]))


# --- the search, block by block ------------------------------------------------------------


def _kth(table: PairTable, want: int) -> float:
    if len(table.found) < want:
        return table.tau
    scores = np.fromiter((v[0] for v in table.found.values()), np.float64, len(table.found))
    return float(np.partition(scores, len(scores) - want)[len(scores) - want])


def _candidates(
    corpus: Corpus, row: int, scores: np.ndarray, member: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The idea notes `row` scores above 0 and is not linked with either way."""
    ok = (scores > 0.0) & member
    ok[row] = False
    ok[corpus.adj.row(row)[0]] = False
    others = np.flatnonzero(ok)
    return others, scores[others]


def _full_rows(
    corpus: Corpus, rows: np.ndarray, member: np.ndarray, calibration: Calibration, table: PairTable
) -> None:
    for start in range(0, len(rows), 64):
        part = rows[start : start + 64]
        scores = hybrid_rows(corpus, part, calibration)
        for i, row in enumerate(part.tolist()):
            table.add(row, *_candidates(corpus, row, scores[i], member))


class Bounds:
    """Which features of each signal are heavy (scored as products) and the per-feature weight
    of the light ones (bounded)."""

    def __init__(self, corpus: Corpus, calibration: Calibration, member: np.ndarray) -> None:
        from vaultnet.related.shared import person_weights, rarities

        stats = corpus.stats
        assert stats is not None
        heavy = max(200, len(corpus) // 50)
        self.weights, self.scales = calibration.weights, calibration.scales
        self.heavy = heavy
        rows = len(corpus.paths)
        self.rarity = rarities(corpus)
        tag_df = corpus.tagged.column_counts()[: len(corpus.tags)]
        self.light_tags = self.rarity * (tag_df > heavy)
        self.people = person_weights(corpus, rows)
        in_degree = corpus.out.column_counts()[:rows]
        self.light_people = self.people * (in_degree > heavy)
        hubs = np.zeros(rows)
        hubs[: min(rows, len(stats.hubs))] = stats.hubs[:rows]
        self.hubs = hubs
        degree = corpus.adj.column_counts()[:rows]
        self.light_hubs = hubs * (degree > heavy)
        sizes = np.array([stats.size(f) for f in range(len(corpus.folders))])
        self.folder_ok = sizes <= MAX_FOLDER
        self.light_folders = self.folder_ok & (sizes > heavy)
        self.mentions: sp.csr_matrix | None = None
        self.light_mentions = np.zeros(rows)
        if self.weights["mentions"] > 0.0:
            self.mentions, self.light_mentions = idea_mentions(corpus, member, heavy)

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
            "mentions": self.light_mentions[rows],
        }
        light_fw = fw @ diagonal(self.light_folders[: fw.shape[1]].astype(np.float64))
        found["folders"] = np.asarray(light_fw.max(axis=1).todense()).ravel() if n else np.zeros(0)
        return found

    def outside(self, light: dict[str, np.ndarray]) -> np.ndarray:
        """The bound on a note no heavy feature reaches, for each row."""
        total = np.zeros(len(next(iter(light.values()))))
        for name in SIGNALS:
            weight = self.weights[name]
            if weight > 0.0:
                total += transform(light[name], weight, self.scales[name])
        return total


def _block(
    corpus: Corpus,
    rows: np.ndarray,
    member: np.ndarray,
    calibration: Calibration,
    bounds: Bounds,
    table: PairTable,
) -> None:
    light = bounds.light(corpus, rows)
    outside = bounds.outside(light)
    open_rows = outside >= table.tau - SLACK
    if open_rows.any():
        _full_rows(corpus, rows[open_rows], member, calibration, table)
    rows = rows[~open_rows]
    if not len(rows):
        return
    light = {k: v[~open_rows] for k, v in light.items()}
    heavy = _heavy(corpus, rows, member, bounds)
    upper = _upper(heavy, light, bounds, outside[~open_rows]).tocoo()
    keep = upper.data >= table.tau - SLACK
    left, right = rows[upper.row[keep]], upper.col[keep].astype(np.int64)
    left, right = left[left != right], right[left != right]
    linked = pair_dots(corpus.adj.take(left), _unit_rows(right, len(corpus.paths))) > 0.0
    left, right = left[~linked], right[~linked]
    if not len(left):
        return
    scores = pair_scores(corpus, left, right, calibration)
    for source in np.unique(left).tolist():
        mine = left == source
        table.add(source, right[mine], scores[mine])


def _heavy(
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
    if bounds.mentions is not None:
        found["mentions"] = bounds.mentions[rows]
    return {k: _pruned((v @ keep).tocsr()) for k, v in found.items()}


def idea_mentions(
    corpus: Corpus, member: np.ndarray, heavy: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """The heavy part of the mentions scores between idea notes (`N x N`, idea rows and columns
    only; the same floats as a full row) and, per note, the most its light names can add.

    A name is light when its rarest word is in more than `heavy` idea notes (a topic word that
    is a note's whole title): it is never matched, only bounded, by the best score of a light
    name filed under one of the note's words (the note naming it) plus the best of the note's
    own light names (a note naming it)."""
    ideas = np.flatnonzero(member)
    width = len(corpus.paths)
    names = corpus.names
    owner = np.asarray(names.owner, dtype=np.int64)
    score = np.asarray(names.score, dtype=np.float64)
    key = names.keys()
    texts = corpus.counts.take(ideas)
    df = np.bincount(texts.indices, minlength=len(corpus.terms))
    mine = (owner >= 0) & member[np.maximum(owner, 0)] & (score > 0.0)
    light = mine & (df[np.minimum(key, len(df) - 1)] > heavy)
    best_key = np.zeros(len(df))
    np.maximum.at(best_key, key[light], score[light])
    named = np.zeros(width)
    np.maximum.at(named, owner[light], score[light])
    bound = np.zeros(width)
    if texts.nnz:
        per_term = best_key[texts.indices]
        starts = texts.indptr[:-1]
        filled = np.diff(texts.indptr) > 0
        best = np.zeros(len(ideas))
        best[filled] = np.maximum.reduceat(per_term, starts[filled])
        bound[ideas] = best
    bound += named
    parts = []
    for start in range(0, len(ideas), 2048):
        rows = corpus.counts.take(ideas[start : start + 2048])
        parts.append(names.forward_block(rows, width, mine & ~light))
    forward = sp.vstack(parts).tocsr() if parts else sp.csr_matrix((0, width))
    spread = sp.csr_matrix(
        (np.ones(len(ideas)), (ideas, np.arange(len(ideas)))), shape=(width, len(ideas))
    )
    full = (spread @ forward).tocsr()
    both = (full + full.T).tocsr()
    both.eliminate_zeros()
    return both, bound


def _folder_members(corpus: Corpus, fw: sp.csr_matrix) -> sp.csr_matrix:
    from vaultnet.related.folders import scores

    return scores(corpus, fw.tocsr())


def _upper(
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
        value = np.maximum(matrix.data, extra) if name == "folders" else matrix.data + extra
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
            adj = corpus.adj.take(left)
            hubs = np.zeros(rows)
            hubs[: min(rows, len(stats.hubs))] = stats.hubs[:rows]
            x = pair_dots((adj @ diagonal(hubs)).tocsr(), corpus.adj.take(right))
            x = x + pair_dots(adj, _unit_rows(right, rows))
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


def _unit_rows(cols: np.ndarray, width: int) -> sp.csr_matrix:
    return sp.csr_matrix(
        (np.ones(len(cols)), cols, np.arange(len(cols) + 1)), shape=(len(cols), width)
    )


def _pruned(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix.eliminate_zeros()
    return matrix
