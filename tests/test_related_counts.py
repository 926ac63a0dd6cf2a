"""Term counts are kept in two bytes (`content.COUNTS`): a word written more often than that in
one note counts the most two bytes hold, in a corpus built cold from a real index, in one kept
note by note, and in a note asked about as it would be (a learner's trial), never wrapped round
to a small count (70,000 would be 4,464)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vaultnet.index.scan import open_index
from vaultnet.related.content import COUNTS
from vaultnet.related.corpus import Corpus
from vaultnet.related.load import corpus_from_store
from vaultnet.related.notes import NoteData
from vaultnet.related.signals import block_of_notes, block_of_rows

MOST = int(np.iinfo(COUNTS).max)


def _count(corpus: Corpus, path: str, term: str) -> int:
    cols, values = corpus.counts.row(corpus.row_of[path])
    return int(values[cols.tolist().index(corpus.term_of[term])])


def test_a_count_past_two_bytes_is_the_most_they_hold_cold(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Loud.md").write_text("echo " * 70_000 + "\nquiet lines here\n", encoding="utf-8")
    (vault / "Calm.md").write_text("one echo, quiet lines\n", encoding="utf-8")
    with open_index(vault, tmp_path / "index.sqlite") as index:
        index.scan()
        corpus = corpus_from_store(index.view)
    assert _count(corpus, "Loud.md", "echo") == MOST
    assert _count(corpus, "Loud.md", "quiet") == 1
    assert _count(corpus, "Calm.md", "echo") == 1


def test_a_count_past_two_bytes_is_the_most_they_hold_live() -> None:
    loud = NoteData("Loud.md", "Loud", terms=(("echo", 70_000), ("quiet", 1)))
    calm = NoteData("Calm.md", "Calm", terms=(("echo", 1), ("quiet", 1)))
    corpus = Corpus([calm])
    corpus.put(loud)  # a note added to a kept corpus, as after an edit
    assert _count(corpus, "Loud.md", "echo") == MOST
    assert _count(corpus, "Loud.md", "quiet") == 1
    assert corpus.counts.row(corpus.row_of["Loud.md"])[1].dtype == COUNTS


def test_a_note_asked_about_has_the_rows_the_corpus_keeps_for_it() -> None:
    """The rows a note would have (`block_of_notes`, the learner's hidden-link trials) equal the
    rows the corpus holds for the same note, counts past two bytes included."""
    loud = NoteData("Loud.md", "Loud", terms=(("bell", 3), ("echo", 70_000), ("quiet", 2)))
    calm = NoteData("Calm.md", "Calm", terms=(("calm", 1), ("quiet", 1)))
    corpus = Corpus([calm, loud])
    asked = block_of_notes(corpus, [loud])
    held = block_of_rows(corpus, [corpus.row_of["Loud.md"]])
    for name in ("text", "loose", "terms"):
        mine, theirs = getattr(asked, name), getattr(held, name)
        assert (mine != theirs).nnz == 0, name
