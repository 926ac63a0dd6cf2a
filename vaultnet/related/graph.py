"""Link-graph signal: direct links and shared neighbours, weighted as Adamic-Adar.

Two notes that share a neighbour `z` (a note linked with both, in either direction: co-citation
when `z` links to both, bibliographic coupling when both link to `z`) score `1 / ln(deg(z))`: a
shared neighbour counts more the fewer links it has (`Stats.hubs`: a neighbour with more than
1,000 links, an index page, counts nothing). A direct link in either direction adds `DIRECT`.
As matrices, with `N` the neighbour matrix (`Corpus.adj`) and `H` the hub weights: the scores of
a block of notes are `(N[block] * H) @ N.T + DIRECT * N[block]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vaultnet.related.reasons import Reason
from vaultnet.related.rows import diagonal
from vaultnet.related.sparse import sp

if TYPE_CHECKING:
    from vaultnet.related.corpus import Corpus

DIRECT = 1.0


def scores(corpus: Corpus, neighbours: sp.csr_matrix) -> sp.csr_matrix:
    """Link scores of each row of `neighbours` (a block of notes' neighbour rows) with every
    note: shared neighbours weighted by `Stats.hubs`, plus `DIRECT` for a direct link."""
    assert corpus.stats is not None
    hubs = _padded(corpus.stats.hubs, neighbours.shape[1])
    weighted = neighbours @ diagonal(hubs)
    weighted.eliminate_zeros()
    shared = corpus.adj.times(weighted.tocsr())
    return (shared + DIRECT * neighbours).tocsr()


def reasons(corpus: Corpus, row: int, other: int, limit: int = 3) -> list[Reason]:
    found = []
    if _has(corpus.out.row(other)[0], row):
        found.append(Reason.plain("links to this note"))
    assert corpus.stats is not None
    shared = np.intersect1d(corpus.adj.row(row)[0], corpus.adj.row(other)[0]).tolist()
    weighted = [(corpus.stats.hub(z), corpus.paths[z], z) for z in shared]
    weighted = sorted((item for item in weighted if item[0] > 0.0), key=lambda i: (-i[0], i[1]))
    groups: dict[str, list[str]] = {
        "both link to": [],
        "both linked from": [],
        "both connected to": [],
    }
    mine, theirs = corpus.out.row(row)[0], corpus.out.row(other)[0]
    for _, path, z in weighted:
        out = _has(mine, z) and _has(theirs, z)
        hub_out = corpus.out.row(z)[0]
        into = _has(hub_out, row) and _has(hub_out, other)
        key = "both link to" if out else "both linked from" if into else "both connected to"
        groups[key].append(path)
    for words, hubs in groups.items():
        if hubs:
            more = f" (+{len(hubs) - limit} more)" if len(hubs) > limit else ""
            found.append(Reason.naming(f"{words} ", hubs[:limit], more))
    return found


def _padded(values: np.ndarray, width: int) -> np.ndarray:
    found = np.zeros(width, dtype=np.float64)
    found[: min(width, len(values))] = values[:width]
    return found


def _has(cols: np.ndarray, col: int) -> bool:
    at = int(np.searchsorted(cols, col))
    return at < len(cols) and int(cols[at]) == col
