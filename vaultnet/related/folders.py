"""Folder signal: notes in the folders this note links into (and its own folder).

Vaults file notes by kind and topic, so the folders a note links into say where its next link
may go. Counting the note's own folder as one more link target, a note B in folder F scores
`(links into F / (links + 1)) * min(1, links into F / size(F))`: the share of the note's links
that go to F times the share of F they reach (an index note linking to all of a folder but one
points straight at the one). The score is at most 1 and the hybrid takes it as it is.
Folders with more than `MAX_FOLDER` notes are skipped, which bounds the candidates.
"""

from __future__ import annotations

import posixpath
from collections import Counter

from vaultnet.related.corpus import Corpus
from vaultnet.related.reasons import Reason

MAX_FOLDER = 5000


class FolderSignal:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.n = len(corpus)

    def weights(self, path: str) -> dict[str, float]:
        """folder -> share of the note's links that go there times the share of the folder they
        reach; the note's own folder counts as one more link."""
        note = self.corpus.notes.get(path)
        if note is None:
            return {}
        targets = [t for t in note.links if t in self.corpus.notes]
        counts = Counter(posixpath.dirname(t) for t in targets)
        counts[posixpath.dirname(path)] += 1
        total = len(targets) + 1
        folders = self.corpus.folders
        return {
            folder: count / total * min(1.0, count / len(folders[folder]))
            for folder, count in counts.items()
            if folder in folders
        }

    def scores(self, path: str) -> dict[str, float]:
        acc: dict[str, float] = {}
        for folder, weight in sorted(self.weights(path).items()):
            members = self.corpus.folders[folder]
            if len(members) > MAX_FOLDER:
                continue
            for other in members:
                acc[other] = weight
        acc.pop(path, None)
        return acc

    def reasons(self, path: str, other: str) -> list[Reason]:
        folder = posixpath.dirname(other)
        if folder == posixpath.dirname(path):
            return [Reason.plain(f"in the same folder ({folder or 'vault root'})")]
        return [Reason.plain(f"in {folder}/, where this note links often")] if folder else []
