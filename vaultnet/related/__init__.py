"""Related notes: a hybrid of link-graph, text, tag and people signals. Pure: reads a `Corpus`."""

from vaultnet.related.corpus import Corpus, NoteData, corpus_from_store, is_person
from vaultnet.related.hybrid import DEFAULT_WEIGHTS, SIGNALS, Engine, Related
from vaultnet.related.reasons import Reason

__all__ = [
    "DEFAULT_WEIGHTS",
    "SIGNALS",
    "Corpus",
    "Engine",
    "NoteData",
    "Reason",
    "Related",
    "corpus_from_store",
    "is_person",
]
