"""The vault statistics every signal weighs with, taken once (a fit) and kept until enough
changed.

A word's idf, a tag's rarity, a hub note's weight in the link signal, a person's weight, a
folder's size and how many notes link to each note are counts over the whole vault: with them exact after every edit, one edit would
move every note's score a little, and every page would have to be ranked again. They are taken
when the corpus is fitted (`Stats`) and kept until a tenth of the notes changed (as the learned
weights are, `vaultnet.related.saved`), so between two fits a note's vectors are a function of
its own content, an edit changes only its own rows, and only the pages it can enter or leave are
ranked again. What the fit did not see gets the weight of a thing seen once: a new word the idf
of a word in one note; a new tag, hub or person no weight; a new folder the size 1. A fit on the
same notes always gives the same statistics, so a vault fitted as it is ranks exactly as a cold
build; `vaultnet.related.saved` fits small vaults after every change (it costs little there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_DEGREE = 1000
"""A note linked with more notes (an index page) is no hub of the link signal."""
MAX_MENTIONS = 1000
"""A person linked from more notes is no shared person."""
MIN_TAG_DF = 50
TAG_MAX_SHARE = 0.2
"""A tag on more than max(`MIN_TAG_DF`, this share of the notes) says nothing."""
MAX_FOLDER = 5000
"""Folders with more notes are skipped by the folder signal (bounds its candidates)."""


@dataclass(frozen=True, slots=True, eq=False)
class Stats:
    """The statistics of one fit, indexed by the corpus's ids at that fit."""

    notes: int
    df: np.ndarray
    """Per term: how many notes have it."""
    text_idf: np.ndarray
    """Per term: `ln(N / df)` for a text term (`vaultnet.related.text.is_text_term`), else 0."""
    rarity: np.ndarray
    """Per tag: `ln(N / df)` on 2..max(50, N/5) notes, else 0."""
    hubs: np.ndarray
    """Per note: `1 / ln(degree)` for 2..`MAX_DEGREE` neighbours (either direction), else 0."""
    people: np.ndarray
    """Per note: `1 / ln(1 + notes linking it)` for 2..`MAX_MENTIONS` of them, else 0 (used
    only while the note is a person)."""
    folder_sizes: np.ndarray
    """Per folder: how many notes it holds."""
    linked: np.ndarray
    """Per note: how many notes link to it (the popular signal); 0 for a person: daily notes
    that log meetings make a contact linked, not an idea's likely link."""

    @property
    def unseen_idf(self) -> float:
        """The idf of a term the fit did not see: a word of one note."""
        return math.log(self.notes) if self.notes > 1 else 0.0

    def idf(self, text: np.ndarray) -> np.ndarray:
        """The text idf of every term id up to `len(text)` (`text`: whether each is a text term)."""
        found = np.zeros(len(text), dtype=np.float64)
        known = min(len(text), len(self.text_idf))
        found[:known] = self.text_idf[:known]
        found[known:] = np.where(text[known:], self.unseen_idf, 0.0)
        return found

    def name_idf(self, term: int) -> float:
        """`ln(N / df)` of a term, as the mentions signal weighs a name's words."""
        df = int(self.df[term]) if term < len(self.df) else 0
        return math.log(self.notes / max(df, 1)) if self.notes else 0.0

    def hub(self, row: int) -> float:
        return float(self.hubs[row]) if row < len(self.hubs) else 0.0

    def linked_from(self, row: int) -> int:
        return int(self.linked[row]) if row < len(self.linked) else 0

    def size(self, folder: int) -> int:
        return int(self.folder_sizes[folder]) if folder < len(self.folder_sizes) else 1


def fit_stats(
    notes: int,
    df: np.ndarray,
    text: np.ndarray,
    tag_df: np.ndarray,
    degrees: np.ndarray,
    mentions: np.ndarray,
    folder_sizes: np.ndarray,
    person: np.ndarray,
) -> Stats:
    """The statistics from the counts of a fit (each array indexed by id)."""
    ratio = np.divide(notes, df, out=np.ones(len(df)), where=df > 0)
    text_idf = np.where(text & (df > 0), np.log(ratio), 0.0)
    tag_max = max(MIN_TAG_DF, int(TAG_MAX_SHARE * notes))
    tag_ratio = np.divide(notes, tag_df, out=np.ones(len(tag_df)), where=tag_df > 0)
    rarity = np.where((tag_df > 1) & (tag_df <= tag_max), np.log(tag_ratio), 0.0)
    deg = np.maximum(degrees, 2).astype(np.float64)
    hubs = np.where((degrees >= 2) & (degrees <= MAX_DEGREE), 1.0 / np.log(deg), 0.0)
    mentioned = np.maximum(1 + mentions, 2).astype(np.float64)
    people = np.where((mentions > 1) & (mentions <= MAX_MENTIONS), 1.0 / np.log(mentioned), 0.0)
    is_person = np.zeros(len(mentions), dtype=bool)
    is_person[: min(len(person), len(mentions))] = person[: len(mentions)]
    linked = np.where(is_person, 0, mentions).astype(np.float64)
    return Stats(notes, df, text_idf, rarity, hubs, people, folder_sizes, linked)
