"""Related notes: a hybrid of link-graph, text, tag and people signals. Pure: reads a `Corpus`."""

from vaultnet.related.corpus import Corpus, NoteData, corpus_from_store, is_person
from vaultnet.related.hybrid import DEFAULT_WEIGHTS, SIGNALS, Engine, Related

__all__ = [
    "DEFAULT_WEIGHTS",
    "SIGNALS",
    "Corpus",
    "Engine",
    "NoteData",
    "Related",
    "corpus_from_store",
    "is_person",
]
