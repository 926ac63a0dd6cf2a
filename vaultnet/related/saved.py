"""The related corpus saved beside the index between processes.

`vaultnet related`, `generate` and a restarted watcher start from the corpus the last process
kept (`LiveCorpus`) and refresh only what changed since, instead of reading every note again. The
file is `<index>.related`: a marker line, a signature, then an archive of the corpus as matrices
(`vaultnet.related.archive`; `vaultnet.related.packing`: term counts, tags, links, names, the
fit's statistics), the weights learned for the vault and the last rankings. It is used only
when this version of vaultnet wrote it for the same index (the refresh then brings it exactly to
what the index holds); anything unreadable is ignored (the corpus is built cold), and only a file
that starts with the marker is ever replaced.

The archive holds numbers only (no pickle), so reading it runs no code; it is still signed
(HMAC-SHA256, `vaultnet.related.signed`) with a key only this user's vaultnet knows, and read
only when the signature holds: an index kept inside a synced vault (possible with `--index`)
gives whoever can write to the vault no way to feed vaultnet a corpus of their own.
"""

from __future__ import annotations

import logging
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from vaultnet.behind import Behind, settle
from vaultnet.index.rows import FileState
from vaultnet.index.schema import SCHEMA_VERSION, move_aside
from vaultnet.index.view import IndexView
from vaultnet.people.config import PeopleConfig
from vaultnet.related import archive, signed
from vaultnet.related.calibration import Calibration
from vaultnet.related.corpus import Corpus
from vaultnet.related.live import LiveCorpus, Refresh, Snapshot
from vaultnet.related.rankings import Rankings

log = logging.getLogger(__name__)

FORMAT = 9
"""Bump when what is packed changes (`vaultnet.related.packing`), how index rows become
`NoteData` (SCHEMA_VERSION covers the rows), or how the weights are learned (a saved calibration
is kept until enough of the vault changed: 6, scales counted per note and a second ascent from
`links` alone; 7, the popular signal and a second ascent from the best signal alone; 8, the
title counted `TITLE_COUNT` times; 9, term counts of two bytes, `content.COUNTS`)."""
RELEARN_SHARE = 0.1
"""The vault statistics are taken again (`Corpus.fit`) and the weights learned again once this
share of the notes they were taken on changed, came or went (edits counted since; each note once
per refresh)."""
RELEARN_MIN = 20
"""... and at least this many (a tiny vault is not relearned on every other edit)."""
EXACT_UP_TO = 2000
"""A vault of at most this many notes is fitted again after every change: it costs little there,
and its pages are then always exactly those of a cold build."""
SAVE_EVERY = 600.0
"""A long-running process (the watcher) saves its corpus at most this often, in seconds."""


class SavedCorpus:
    """A `LiveCorpus` that starts from the saved copy and writes it back (`enabled=False`: a
    plain `LiveCorpus`, nothing read or written), with the last `rankings` (saved with it), the
    calibration learned from the vault (kept across changes until they add up: `stale`), and
    the corpus fitted again when enough changed (`fit_if_due`). `in_place`: for a process that
    answers once and ends, the saved arrays used where they were read (`load`). The first
    refresh uses what the process read ahead (`signed.read_ahead`)."""

    def __init__(self, *, enabled: bool = True, in_place: bool = False) -> None:
        self.live = LiveCorpus()
        self.enabled, self.in_place = enabled, in_place
        self.rankings: Rankings | None = None
        self.calibration: Calibration | None = None
        """The last learned calibration (None: never learned for this index)."""
        self.drift = 0
        """Notes changed, added or removed since it was learned."""
        self.fit_drift = 0
        """Notes changed, added or removed since the corpus was last fitted."""
        self.ideas: set[str] | None = None
        """The idea notes the last run found (None: none known), under `idea_rule`."""
        self.idea_rule = ""
        self.recheck: set[str] = set()
        """Notes changed since then, whose idea status is to be asked again."""
        self._changed = False
        self._loaded = False
        self._saved_at: float | None = None
        self._writing: Behind[bool] | None = None
        """A save still being written (`save(behind=True)`)."""

    @property
    def corpus(self) -> Corpus:
        return self.live.corpus

    def refresh(self, store: IndexView, people: PeopleConfig) -> Refresh:
        self.settle()  # a save behind may still be reading the corpus this changes
        if self.enabled and not self._loaded:
            settle()  # a save this process still writes (another instance's) is read whole
            self._loaded = True
            path = path_for(store)
            saved = load(path, signed.read(path), in_place=self.in_place)
            if saved is not None:
                self.live.restore(saved.snapshot)
                self.rankings = saved.rankings
                self.calibration, self.drift, self.fit_drift = saved.learned
                self.ideas, self.idea_rule, self.recheck = saved.ideas
        refresh = self.live.refresh(store, people)
        if refresh.rebuilt:
            self.rankings, self.fit_drift, self.ideas = None, 0, None
            self.drift += len(self.corpus)
        elif refresh.changed:
            self.drift += len(refresh.edited)
            self.fit_drift += len(refresh.edited)
            if refresh.people:  # who is a contact may have changed: ask every note again
                self.ideas = None
            self.recheck |= refresh.edited | refresh.relinked
        return refresh

    def known_ideas(self, rule: str) -> tuple[set[str] | None, set[str]]:
        """The idea notes known under `rule` (None: none) and the notes to ask again."""
        if self.ideas is None or self.idea_rule != rule:
            return None, set()
        return self.ideas, self.recheck

    def found_ideas(self, rule: str, ideas: set[str]) -> None:
        """Keep the idea notes under `rule`, as the corpus is now."""
        if (self.ideas, self.idea_rule, self.recheck) != (ideas, rule, set()):
            self.ideas, self.idea_rule, self.recheck = ideas, rule, set()
            self._changed = True

    def stale(self) -> bool:
        """Whether the calibration should be learned (again): none yet, or enough changed."""
        if self.calibration is None:
            return True
        notes = self.calibration.notes
        return self.drift >= max(RELEARN_MIN, RELEARN_SHARE * notes)

    def fit_if_due(self, *, full: bool) -> bool:
        """Fit the corpus again when its statistics are due: after any change on a small vault,
        and (in a `full` run) once enough changed; whether it was fitted."""
        self.settle()
        corpus = self.corpus
        stats = corpus.stats
        notes = stats.notes if stats is not None else 0
        small = len(corpus) <= EXACT_UP_TO
        due = self.fit_drift > 0 and (small or (full and self.fit_drift >= _enough(notes)))
        if stats is not None and not due:
            return False
        corpus.fit()
        self.fit_drift = 0
        self._changed = True
        return True

    def learned(self, calibration: Calibration) -> None:
        """Keep `calibration`, learned from the corpus as it is now."""
        self.calibration, self.drift = calibration, 0
        self._changed = True

    def remember(self, rankings: Rankings) -> None:
        """Keep `rankings`, computed from the corpus as it is now."""
        self.rankings = rankings
        self._changed = True

    def save(self, store: IndexView, *, every: float = SAVE_EVERY, behind: bool = False) -> bool:
        """Write the corpus (and rankings) back when either changed, at most once per `every`
        seconds after the first save. Never raises: an unsaved corpus is only built again.
        `behind`: packed here, written on a thread (`vaultnet.behind`) while the caller goes on
        (True: the write started); the next change of the corpus waits for it (`settle`)."""
        self.settle()
        now = time.monotonic()
        if not (self.enabled and (self.live.changed or self._changed)):
            return False
        if self._saved_at is not None and now - self._saved_at < every:
            return False
        self._changed = True  # until written: the snapshot clears what the corpus says changed
        snapshot = self.live.snapshot()
        learned = (self.calibration, self.drift, self.fit_drift)
        if snapshot is None:
            return False
        ideas = (self.ideas, self.idea_rule, self.recheck)
        path, parts = path_for(store), _pack(Saved(snapshot, self.rankings, learned, ideas))
        self._saved_at = now
        if behind:
            try:
                self._writing = Behind("saving the related corpus", partial(write, path, parts))
            except RuntimeError:  # no thread to be had: written here
                pass
            else:
                self._changed = False
                return True
        self._changed = not write(path, parts)  # a failed save is due again (after `every`)
        return not self._changed

    def settle(self) -> None:
        """Wait for a save still being written (`save(behind=True)`); one that failed is due
        again (after `every`)."""
        writing, self._writing = self._writing, None
        if writing is not None and not writing.result():
            self._changed = True


def _enough(notes: int) -> float:
    return max(RELEARN_MIN, RELEARN_SHARE * notes)


def describe(calibration: Calibration, live: SavedCorpus, learn: bool) -> str:
    """One line on where the weights in use come from (`vaultnet related --weights`)."""
    if not learn:
        return "Defaults: [related] learn = false."
    if live.calibration is None:
        return "Defaults: nothing learned yet (the next `vaultnet generate` learns)."
    changed = f"{live.drift} notes changed since"
    if live.stale():
        changed += ": learned again by the next `vaultnet generate`"
    source = calibration.source[:1].upper() + calibration.source[1:]
    return f"{source} (the vault had {calibration.notes} notes); {changed}."


def path_for(store: IndexView) -> Path:
    return signed.beside(store.path)


Learned = tuple[Calibration | None, int, int]
"""The learned calibration, the changes since, and the changes since the last fit."""


class Saved:
    """What the file holds."""

    __slots__ = ("ideas", "learned", "rankings", "snapshot")

    def __init__(
        self,
        snapshot: Snapshot,
        rankings: Rankings | None,
        learned: Learned,
        ideas: tuple[set[str] | None, str, set[str]] = (None, "", set()),
    ) -> None:
        self.snapshot, self.rankings, self.learned = snapshot, rankings, learned
        self.ideas = ideas
        """The idea notes known, their rule, and the notes to ask again."""


def load(path: Path, got: signed.Read | None, *, in_place: bool = False) -> Saved | None:
    """What was saved at `path` (`got`: its bytes and signature, `signed.read`), or None when
    there is no usable file (missing, damaged, unsigned, signed with another key, or written by
    another version). `in_place`: its arrays are views of the bytes read (`archive.unpack`), for
    a process that ends soon after."""
    try:
        payload = signed.payload(path, got)
    except signed.NotOurs as error:
        _set_aside(path, got, str(error))
        return None
    if payload is None:
        return None
    if bytes(payload[: len(archive.MAGIC)]) != archive.MAGIC:  # signed, so ours: an earlier format
        return None
    try:
        return _unpack(payload, in_place)
    except Exception as error:  # a damaged file: build the corpus cold
        _set_aside(path, got, f"unreadable ({error})")
        return None


def _set_aside(path: Path, got: signed.Read | None, why: str) -> None:
    """A damaged saved corpus: kept aside (`<file>.damaged-<time>`, one) and built again; left
    where it is when another process has replaced it since it was read (`got`)."""
    if got is None or not signed.unchanged(path, got):
        return
    try:
        aside = move_aside(path)
    except OSError as error:
        log.warning("%s: %s; ignored (cannot move it aside: %s)", path, why, error)
        return
    log.warning("%s: %s; moved aside to %s and rebuilt", path, why, aside.name)


def write(path: Path, parts: list[bytes | memoryview]) -> bool:
    """Write the packed `parts` (`_pack`) to `path` atomically; False (and a warning) when it
    cannot."""
    try:
        if path.exists() and not signed.is_ours(path):
            log.warning("%s: not a file vaultnet wrote; the related corpus is not saved", path)
            return False
        return signed.write(path, parts)
    except OSError as error:
        log.warning("%s: the related corpus could not be saved (%s)", path, error)
        return False


def _pack(saved: Saved) -> list[bytes | memoryview]:
    """`saved` as the pieces of its file: views of its arrays (no copy of the whole), all taken
    now, so they can be written on another thread."""
    from vaultnet.related import packing

    arrays: dict[str, np.ndarray] = {}
    snapshot = saved.snapshot
    files = sorted(snapshot.files.items())
    data: dict[str, Any] = {
        "version": _version(),
        "basis": snapshot.basis,
        "files": [[p, h, k] for p, (h, k) in files],
        "corpus": packing.pack_corpus(snapshot.corpus, arrays),
        "learned": [packing.calibration_json(saved.learned[0]), *saved.learned[1:]],
        "rankings": None,
        "ideas": [
            None if saved.ideas[0] is None else sorted(saved.ideas[0]),
            saved.ideas[1],
            sorted(saved.ideas[2]),
        ],
    }
    if saved.rankings is not None:
        data["rankings"] = packing.pack_rankings(saved.rankings, arrays)
    arrays["json"] = packing.dumps(data)
    return list(archive.parts(arrays))


def _unpack(payload: memoryview, in_place: bool) -> Saved | None:
    from vaultnet.related import packing

    arrays = archive.unpack(payload, copy=not in_place)
    data = packing.loads(arrays.pop("json"))
    if data["version"] != _version():
        return None
    files = {p: FileState(h, k) for p, h, k in data["files"]}
    corpus = packing.unpack_corpus(data["corpus"], arrays)
    snapshot = Snapshot(data["basis"], files, corpus)
    rankings = None
    if data["rankings"] is not None:
        rankings = packing.unpack_rankings(data["rankings"], arrays)
    calibration, drift, fit_drift = data["learned"]
    known, rule, recheck = data["ideas"]
    ideas = (None if known is None else set(known), rule, set(recheck))
    learned = (packing.calibration_of(calibration), drift, fit_drift)
    return Saved(snapshot, rankings, learned, ideas)


def _version() -> list[object]:
    """What a saved corpus must have been written with to be used."""
    from vaultnet import __version__

    return [FORMAT, SCHEMA_VERSION, __version__, list(sys.version_info[:2])]
