"""The related corpus saved beside the index between processes.

`vaultnet related`, `generate` and a restarted watcher start from the corpus the last process
kept (`LiveCorpus`) and refresh only what changed since, instead of reading every note again (at
10k notes: about 0.3 s instead of 2 s). The file is `<index>.related`: a marker line, a signature, then a
pickle. It is used only when this version of vaultnet wrote it for the same index (the refresh
then brings it exactly to what a cold build gives); anything unreadable is ignored (the corpus is
built cold), and only a file that starts with the marker is ever replaced.

A pickle can run code when it is read, so the file is signed (HMAC-SHA256) with a key only this
user's vaultnet knows (`saved-corpus.key` in the user's cache folder, readable by the user alone,
never in the vault), and read only when the signature holds: an index kept inside a synced vault
(possible with `--index`) gives whoever can write to the vault no way to make vaultnet run code.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from vaultnet.index.schema import SCHEMA_VERSION, move_aside
from vaultnet.index.view import IndexView
from vaultnet.people.config import PeopleConfig
from vaultnet.related.corpus import Corpus, NoteData
from vaultnet.related.hybrid import Calibration
from vaultnet.related.live import LiveCorpus, Refresh, Snapshot

log = logging.getLogger(__name__)

SUFFIX = ".related"
MAGIC = b"vaultnet related corpus\n"
FORMAT = 4
"""Bump when the way index rows become `NoteData` changes (SCHEMA_VERSION covers the rows), or
what the memo holds (the related generator's rankings: `Related`, `Pair`, `Reason`), or
`Calibration`."""
RELEARN_SHARE = 0.1
"""The learned calibration is learned again once this share of the notes it was learned on
changed, came or went (edits counted since; each note once per refresh)."""
RELEARN_MIN = 20
"""... and at least this many (a tiny vault is not relearned on every other edit)."""
SAVE_EVERY = 600.0
"""A long-running process (the watcher) saves its corpus at most this often, in seconds."""


class SavedCorpus:
    """A `LiveCorpus` that starts from the saved copy and writes it back (`enabled=False`: a
    plain `LiveCorpus`, nothing read or written), with a `memo` of what was computed from this
    very corpus (saved with it; emptied whenever a refresh changes the corpus), and the
    calibration learned from the vault (kept across changes until they add up: `stale`)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.live = LiveCorpus()
        self.enabled = enabled
        self.memo: dict[str, Any] = {}
        self.calibration: Calibration | None = None
        """The last learned calibration (None: never learned for this index)."""
        self.drift = 0
        """Notes changed, added or removed since it was learned."""
        self._memo_changed = False
        self._loaded = False
        self._saved_at: float | None = None

    @property
    def corpus(self) -> Corpus:
        return self.live.corpus

    def refresh(self, store: IndexView, people: PeopleConfig) -> Refresh:
        if self.enabled and not self._loaded:
            self._loaded = True
            saved = load(path_for(store))
            if saved is not None:
                self.live.restore(saved[0])
                self.memo = saved[1]
                self.calibration, self.drift = saved[2]
        refresh = self.live.refresh(store, people)
        if refresh.changed:
            self.memo = {}
            self.drift += len(self.corpus) if refresh.rebuilt else len(refresh.edited)
        return refresh

    def stale(self) -> bool:
        """Whether the calibration should be learned (again): none yet, or enough changed."""
        if self.calibration is None:
            return True
        notes = self.calibration.notes
        return self.drift >= max(RELEARN_MIN, RELEARN_SHARE * notes)

    def learned(self, calibration: Calibration) -> None:
        """Keep `calibration`, learned from the corpus as it is now."""
        self.calibration, self.drift = calibration, 0
        self._memo_changed = True

    def remember(self, key: str, value: Any) -> None:
        """Keep `value`, computed from the corpus as it is now, under `key`."""
        self.memo[key] = value
        self._memo_changed = True

    def save(self, store: IndexView, *, every: float = SAVE_EVERY) -> bool:
        """Write the corpus (and memo) back when either changed, at most once per `every`
        seconds after the first save. Never raises: an unsaved corpus is only built again."""
        now = time.monotonic()
        if not (self.enabled and (self.live.changed or self._memo_changed)):
            return False
        if self._saved_at is not None and now - self._saved_at < every:
            return False
        snapshot = self.live.snapshot()
        learned = (self.calibration, self.drift)
        if snapshot is None or not save(path_for(store), snapshot, self.memo, learned):
            return False
        self._saved_at, self._memo_changed = now, False
        return True


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
    return store.path.with_name(store.path.name + SUFFIX)


Learned = tuple[Calibration | None, int]
"""The learned calibration and the changes since (`SavedCorpus.calibration`, `drift`)."""


def load(path: Path) -> tuple[Snapshot, dict[str, Any], Learned] | None:
    """The snapshot, memo and calibration saved at `path`, or None when there is no usable one
    (missing, damaged, unsigned, signed with another key, or written by another version)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    key = _key()
    start = len(MAGIC) + SIGNATURE
    if key is None:
        return None
    if not data.startswith(MAGIC) or len(data) < start:
        if data:
            _set_aside(path, "not a saved related corpus")
        return None
    payload = memoryview(data)[start:]
    if not hmac.compare_digest(data[len(MAGIC) : start], _sign(key, payload)):
        log.warning("%s: not signed by this user's vaultnet; ignored (rebuilt)", path)
        return None
    try:
        version, snapshot, memo, learned = pickle.loads(payload)
    except Exception as error:  # a damaged file: build the corpus cold
        _set_aside(path, f"unreadable ({error})")
        return None
    if version != _version() or not isinstance(snapshot, Snapshot) or not isinstance(memo, dict):
        return None
    if not (isinstance(learned, tuple) and isinstance(learned[0], Calibration | None)):
        return None
    return snapshot, memo, learned


def _set_aside(path: Path, why: str) -> None:
    """A damaged saved corpus: kept aside (`<file>.damaged-<time>`, one) and built again."""
    try:
        aside = move_aside(path)
    except OSError as error:
        log.warning("%s: %s; ignored (cannot move it aside: %s)", path, why, error)
        return
    log.warning("%s: %s; moved aside to %s and rebuilt", path, why, aside.name)


def save(path: Path, snapshot: Snapshot, memo: dict[str, Any], learned: Learned) -> bool:
    """Write `snapshot`, `memo` and `learned` to `path` atomically; False (and a warning) when
    it cannot."""
    try:
        if path.exists() and not _is_ours(path):
            log.warning("%s: not a file vaultnet wrote; the related corpus is not saved", path)
            return False
        key = _key()
        if key is None:
            return False
        payload = pickle.dumps((_version(), snapshot, memo, learned), protocol=5)
        data = MAGIC + _sign(key, payload) + payload
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


SIGNATURE = hashlib.sha256().digest_size
KEY_BYTES = 32


def _sign(key: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def _key() -> bytes | None:
    """This user's signing key, made on first use (None when it cannot be read or made)."""
    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("vaultnet")) / "saved-corpus.key"
    for _ in range(3):
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            key = b""
        except OSError as error:
            log.warning("%s: cannot read the signing key (%s)", path, error)
            return None
        if len(key) == KEY_BYTES:
            return key
        try:
            if key:  # damaged: replaced (what it signed is then rebuilt once)
                path.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            _publish(path, os.urandom(KEY_BYTES))
        except FileExistsError:
            continue  # another process made one first: read theirs
        except OSError as error:
            log.warning("%s: cannot make the signing key (%s)", path, error)
            return None
    return None


def _publish(path: Path, key: bytes) -> None:
    """Create `path` holding `key`, readable by this user only, whole or not at all (a link
    from a finished temporary file: raises FileExistsError when `path` exists)."""
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key)
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, path)
    finally:
        os.unlink(tmp)


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
