"""Link-graph signals: direct links and shared neighbours, weighted as Adamic-Adar (`links`), and
how many notes link to each note the graph reaches (`popular`).

Two notes that share a neighbour `z` (a note linked with both, in either direction: co-citation
when `z` links to both, bibliographic coupling when both link to `z`) score `1 / ln(deg(z))`: a
shared neighbour counts more the fewer links it has (`Stats.hubs`: a neighbour with more than
1,000 links, an index page, counts nothing). A direct link in either direction adds `DIRECT`.
As matrices, with `N` the neighbour matrix (`Corpus.adj`) and `H` the hub weights: the scores of
a block of notes are `(N[block] * H) @ N.T + DIRECT * N[block]`.

The popular signal scores each note the link graph reaches from a note (an entry of its links
row) by how many notes link to it (`Stats.linked`): a hub the vault's notes keep linking to is a
likely link for one more of them, but only among the notes near this one in the graph. It is not
a score of the note alone, so an edit changes it only where the graph changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vaultnet.related.cols import has
from vaultnet.related.reasons import Reason
from vaultnet.related.rows import diagonal, one_hot_rows, pair_dots
from vaultnet.related.sparse import sp

if TYPE_CHECKING:
    from vaultnet.related.corpus import Corpus

DIRECT = 1.0


def scores(corpus: Corpus, neighbours: sp.csr_matrix) -> sp.csr_matrix:
    """Link scores of each row of `neighbours` (a block of notes' neighbour rows) with every
    note: shared neighbours weighted by `Stats.hubs`, plus `DIRECT` for a direct link."""
    assert corpus.stats is not None
    hubs = padded(corpus.stats.hubs, neighbours.shape[1])
    weighted = neighbours @ diagonal(hubs)
    weighted.eliminate_zeros()
    shared = corpus.adj.times(weighted.tocsr())
    return (shared + DIRECT * neighbours).tocsr()


def pair_scores(corpus: Corpus, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The link score `left[i] -> right[i]` of each pair: the floats a full row gives."""
    assert corpus.stats is not None
    rows = len(corpus.paths)
    adj = corpus.adj.take(left)
    hubs = padded(corpus.stats.hubs, rows)
    x = pair_dots((adj @ diagonal(hubs)).tocsr(), corpus.adj.take(right))
    return x + DIRECT * pair_dots(adj, one_hot_rows(right, rows))


def popular(
    corpus: Corpus, links: sp.csr_matrix, out: sp.csr_matrix, fitted: sp.csr_matrix
) -> sp.csr_matrix:
    """The popular scores of a block: for each note its `links` rows reach, how many notes link to
    it, with the block's own links (`out`) in place of those the notes had (`fitted`, the
    corpus's rows: a note asked about with a link hidden does not count it)."""
    assert corpus.stats is not None
    found = links.tocsr().astype(np.float64)  # a copy: `links` is not changed
    found.eliminate_zeros()
    width = found.shape[1]
    change = _sized(out, width) - _sized(fitted, width)
    if change.nnz:  # the reached notes whose count the block's own links change
        change = change.multiply(found != 0.0)
    found.data = padded(corpus.stats.linked, width)[found.indices]
    if change.nnz:
        found = (found + change).tocsr()
        found.data = np.maximum(found.data, 0.0)
    found.eliminate_zeros()
    return found


def popular_reasons(corpus: Corpus, row: int, other: int) -> list[Reason]:
    """The reason "linked from N notes", where the popular signal scores `other` for `row`: the
    link graph reaches it (a link either way, or a shared neighbour of some weight)."""
    assert corpus.stats is not None
    count = corpus.stats.linked_from(other)
    if count < 2 or not pair_scores(corpus, np.array([row]), np.array([other]))[0] > 0.0:
        return []
    return [Reason.plain(f"linked from {count} notes")]


def reasons(corpus: Corpus, row: int, other: int, limit: int = 3) -> list[Reason]:
    found = []
    if has(corpus.out.row(other)[0], row):
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
        out = has(mine, z) and has(theirs, z)
        hub_out = corpus.out.row(z)[0]
        into = has(hub_out, row) and has(hub_out, other)
        key = "both link to" if out else "both linked from" if into else "both connected to"
        groups[key].append(path)
    for words, hubs in groups.items():
        if hubs:
            more = f" (+{len(hubs) - limit} more)" if len(hubs) > limit else ""
            found.append(Reason.naming(f"{words} ", hubs[:limit], more))
    return found


def _sized(matrix: sp.csr_matrix, width: int) -> sp.csr_matrix:
    """`matrix` (link rows) as ones, `width` columns wide (its columns are note rows)."""
    coo = matrix.tocoo()
    keep = coo.col < width
    ones = np.ones(int(keep.sum()))
    return sp.csr_matrix((ones, (coo.row[keep], coo.col[keep])), shape=(matrix.shape[0], width))


def padded(values: np.ndarray, width: int) -> np.ndarray:
    found = np.zeros(width, dtype=np.float64)
    found[: min(width, len(values))] = values[:width]
    return found
