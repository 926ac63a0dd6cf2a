"""The related corpus saved beside the index between processes.

`vaultnet related`, `generate` and a restarted watcher start from the corpus the last process
kept (`LiveCorpus`) and refresh only what changed since, instead of reading every note again (at
10k notes: about 0.3 s instead of 2 s). The file is `<index>.related`, a marker line then a pickle;
it is used only when this version of vaultnet wrote it for the same index (the refresh then
brings it exactly to what a cold build gives), anything unreadable is ignored (the corpus is built
cold), and only a file that starts with the marker is ever replaced. It lives in the user's cache
folder beside the index, never in the vault.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from vaultnet.people_config import PeopleConfig
from vaultnet.related.corpus import Corpus, NoteData
from vaultnet.related.live import LiveCorpus, Refresh, Snapshot
from vaultnet.store import SCHEMA_VERSION, Store

log = logging.getLogger(__name__)

SUFFIX = ".related"
MAGIC = b"vaultnet related corpus\n"
FORMAT = 1
"""Bump when the way index rows become `NoteData` changes (SCHEMA_VERSION covers the rows)."""
SAVE_EVERY = 600.0
"""A long-running process (the watcher) saves its corpus at most this often, in seconds."""


class SavedCorpus:
    """A `LiveCorpus` that starts from the saved copy and writes it back (`enabled=False`: a
    plain `LiveCorpus`, nothing read or written), with a `memo` of what was computed from this
    very corpus (saved with it; emptied whenever a refresh changes the corpus)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.live = LiveCorpus()
        self.enabled = enabled
        self.memo: dict[str, Any] = {}
        self._memo_changed = False
        self._loaded = False
        self._saved_at: float | None = None

    @property
    def corpus(self) -> Corpus:
        return self.live.corpus

    def refresh(self, store: Store, people: PeopleConfig) -> Refresh:
        if self.enabled and not self._loaded:
            self._loaded = True
            saved = load(path_for(store))
            if saved is not None:
                self.live.restore(saved[0])
                self.memo = saved[1]
        refresh = self.live.refresh(store, people)
        if refresh.changed:
            self.memo = {}
        return refresh

    def remember(self, key: str, value: Any) -> None:
        """Keep `value`, computed from the corpus as it is now, under `key`."""
        self.memo[key] = value
        self._memo_changed = True

    def save(self, store: Store, *, every: float = SAVE_EVERY) -> bool:
        """Write the corpus (and memo) back when either changed, at most once per `every`
        seconds after the first save. Never raises: an unsaved corpus is only built again."""
        now = time.monotonic()
        if not (self.enabled and (self.live.changed or self._memo_changed)):
            return False
        if self._saved_at is not None and now - self._saved_at < every:
            return False
        snapshot = self.live.snapshot()
        if snapshot is None or not save(path_for(store), snapshot, self.memo):
            return False
        self._saved_at, self._memo_changed = now, False
        return True


def path_for(store: Store) -> Path:
    return store.path.with_name(store.path.name + SUFFIX)


def load(path: Path) -> tuple[Snapshot, dict[str, Any]] | None:
    """The snapshot and memo saved at `path`, or None when there is no usable one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        version, snapshot, memo = pickle.loads(data[len(MAGIC) :])
    except Exception as error:  # a damaged file: build the corpus cold
        log.warning("%s: the saved related corpus is unreadable (%s); rebuilding it", path, error)
        return None
    if version != _version() or not isinstance(snapshot, Snapshot) or not isinstance(memo, dict):
        return None
    return snapshot, memo


def save(path: Path, snapshot: Snapshot, memo: dict[str, Any]) -> bool:
    """Write `snapshot` and `memo` to `path` atomically; False (and a warning) when it cannot."""
    try:
        if path.exists() and not _is_ours(path):
            log.warning("%s: not a file vaultnet wrote; the related corpus is not saved", path)
            return False
        data = MAGIC + pickle.dumps((_version(), snapshot, memo), protocol=5)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError) as error:
        log.warning("%s: the related corpus could not be saved (%s)", path, error)
        return False
    return True


def _is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _version() -> tuple[object, ...]:
    """What a saved corpus must have been written with to be used."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("vaultnet")
    except PackageNotFoundError:
        package = "unknown"
    names = tuple(f.name for f in fields(NoteData))
    return (FORMAT, SCHEMA_VERSION, package, names, sys.version_info[:2])
