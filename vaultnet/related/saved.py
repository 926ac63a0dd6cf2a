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
(HMAC-SHA256) with a key only this user's vaultnet knows (`saved-corpus.key` in the user's cache
folder, readable by the user alone, never in the vault), and read only when the signature holds:
an index kept inside a synced vault (possible with `--index`) gives whoever can write to the vault
no way to feed vaultnet a corpus of their own.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from vaultnet.index.rows import FileState
from vaultnet.index.schema import SCHEMA_VERSION, move_aside
from vaultnet.index.view import IndexView
from vaultnet.people.config import PeopleConfig
from vaultnet.related import archive
from vaultnet.related.calibration import Calibration
from vaultnet.related.corpus import Corpus
from vaultnet.related.live import LiveCorpus, Refresh, Snapshot
from vaultnet.related.rankings import Rankings

log = logging.getLogger(__name__)

SUFFIX = ".related"
MAGIC = b"vaultnet related corpus\n"
FORMAT = 5
"""Bump when what is packed changes (`vaultnet.related.packing`), or how index rows become
`NoteData` (SCHEMA_VERSION covers the rows)."""
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
    the corpus fitted again when enough changed (`fit_if_due`)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.live = LiveCorpus()
        self.enabled = enabled
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

    @property
    def corpus(self) -> Corpus:
        return self.live.corpus

    def refresh(self, store: IndexView, people: PeopleConfig) -> Refresh:
        if self.enabled and not self._loaded:
            self._loaded = True
            saved = load(path_for(store))
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

    def save(self, store: IndexView, *, every: float = SAVE_EVERY) -> bool:
        """Write the corpus (and rankings) back when either changed, at most once per `every`
        seconds after the first save. Never raises: an unsaved corpus is only built again."""
        now = time.monotonic()
        if not (self.enabled and (self.live.changed or self._changed)):
            return False
        if self._saved_at is not None and now - self._saved_at < every:
            return False
        snapshot = self.live.snapshot()
        learned = (self.calibration, self.drift, self.fit_drift)
        if snapshot is None:
            return False
        ideas = (self.ideas, self.idea_rule, self.recheck)
        if not save(path_for(store), Saved(snapshot, self.rankings, learned, ideas)):
            return False
        self._saved_at, self._changed = now, False
        return True


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
    return store.path.with_name(store.path.name + SUFFIX)


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


def load(path: Path) -> Saved | None:
    """What was saved at `path`, or None when there is no usable file (missing, damaged,
    unsigned, signed with another key, or written by another version)."""
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
    if not hmac.compare_digest(data[len(MAGIC) : start], _mac(key, payload).digest()):
        log.warning("%s: not signed by this user's vaultnet; ignored (rebuilt)", path)
        return None
    if bytes(payload[: len(archive.MAGIC)]) != archive.MAGIC:  # signed, so ours: an earlier format
        return None
    try:
        return _unpack(payload)
    except Exception as error:  # a damaged file: build the corpus cold
        _set_aside(path, f"unreadable ({error})")
        return None


def _set_aside(path: Path, why: str) -> None:
    """A damaged saved corpus: kept aside (`<file>.damaged-<time>`, one) and built again."""
    try:
        aside = move_aside(path)
    except OSError as error:
        log.warning("%s: %s; ignored (cannot move it aside: %s)", path, why, error)
        return
    log.warning("%s: %s; moved aside to %s and rebuilt", path, why, aside.name)


def save(path: Path, saved: Saved) -> bool:
    """Write `saved` to `path` atomically; False (and a warning) when it cannot."""
    try:
        if path.exists() and not _is_ours(path):
            log.warning("%s: not a file vaultnet wrote; the related corpus is not saved", path)
            return False
        key = _key()
        if key is None:
            return False
        mac = _mac(key)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                # the archive streamed (no copy of the whole: 0.5 GB at 100k), signed as it goes
                out.write(MAGIC + bytes(SIGNATURE))
                for part in _pack(saved):
                    mac.update(part)
                    out.write(part)
                out.seek(len(MAGIC))
                out.write(mac.digest())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as error:
        log.warning("%s: the related corpus could not be saved (%s)", path, error)
        return False
    return True


def _pack(saved: Saved) -> Iterator[bytes | memoryview]:
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
    return archive.parts(arrays)


def _unpack(payload: memoryview) -> Saved | None:
    from vaultnet.related import packing

    arrays = archive.unpack(payload)
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


SIGNATURE = hashlib.sha256().digest_size
KEY_BYTES = 32


def _mac(key: bytes, payload: bytes | memoryview = b"") -> hmac.HMAC:
    """HMAC-SHA256 of `payload`, to be fed the rest (a save signs the archive as it streams)."""
    return hmac.new(key, payload, hashlib.sha256)


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


def _version() -> list[object]:
    """What a saved corpus must have been written with to be used."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("vaultnet")
    except PackageNotFoundError:
        package = "unknown"
    return [FORMAT, SCHEMA_VERSION, package, list(sys.version_info[:2])]
