"""Folder signal: notes in the folders this note links into (and its own folder).

Vaults file notes by kind and topic, so the folders a note links into say where its next link
may go. Counting the note's own folder as one more link target, a note B in folder F scores
`(links into F / (links + 1)) * min(1, links into F / size(F))`: the share of the note's links
that go to F times the share of F they reach (an index note linking to all of a folder but one
points straight at the one). The score is at most 1 and the hybrid takes it as it is. Folders
with more than `MAX_FOLDER` notes are skipped, which bounds the candidates; sizes are the fit's
(`Stats.folder_sizes`). As a matrix: a note's row holds its weight for each folder
(`Corpus.fw`, `vaultnet.related.vectors`), and a candidate's score is its folder's weight.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

import numpy as np

from vaultnet.related.reasons import Reason
from vaultnet.related.sparse import sp
from vaultnet.related.stats import MAX_FOLDER

if TYPE_CHECKING:
    from vaultnet.related.corpus import Corpus


def scores(corpus: Corpus, weights: sp.csr_matrix) -> sp.csr_matrix:
    """Folder scores of each row of `weights` (a block of notes' folder weights) with every
    note: the weight of the note's folder, for folders of at most `MAX_FOLDER` notes."""
    assert corpus.stats is not None
    rows = len(corpus.paths)
    sizes = np.array([corpus.stats.size(f) for f in range(len(corpus.folders))])
    usable = (sizes <= MAX_FOLDER).astype(np.float64)
    member = sp.csr_matrix(
        (
            corpus.alive[:rows].astype(np.float64) * usable[corpus.fid[:rows]],
            (corpus.fid[:rows], np.arange(rows)),
        ),
        shape=(len(corpus.folders), rows),
    )
    weights = sp.csr_matrix(weights, shape=(weights.shape[0], len(corpus.folders)))
    found = (weights @ member).tocsr()
    found.eliminate_zeros()
    return found


def reasons(corpus: Corpus, row: int, other: int) -> list[Reason]:
    folder = posixpath.dirname(corpus.paths[other])
    if folder == posixpath.dirname(corpus.paths[row]):
        return [Reason.plain(f"in the same folder ({folder or 'vault root'})")]
    return [Reason.plain(f"in {folder}/, where this note links often")] if folder else []
