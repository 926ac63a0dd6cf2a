"""The saved related corpus as a signed file: a marker line, an HMAC-SHA256 signature, then the
payload (`vaultnet.related.saved` says what the payload holds and why it is signed).

The key is this user's alone (`saved-corpus.key` in the user's cache folder, readable by the user
only, never in the vault). A file is read whole and its signature computed either where it is
needed or ahead, on a thread of its own (`read_ahead`): reading and hashing release the GIL, so
`vaultnet related NOTE` and `generate` have them done while they scan the vault (0.05 s of the
first's 0.5 s at 10,000 notes, on two cores). What was read ahead is used only while the file is
still the one read, the thread never makes the key (a save does), and a file is set aside as
damaged only while it is still the one read (`unchanged`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import mmap
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

MAGIC = b"vaultnet related corpus\n"
SIGNATURE = hashlib.sha256().digest_size
KEY_BYTES = 32
HEAD = len(MAGIC) + SIGNATURE
"""Where the payload starts."""
SUFFIX = ".related"

_ahead: dict[Path, ReadAhead] = {}
"""The file being read ahead (`read_ahead`), by path: at most one."""


class NotOurs(ValueError):
    """A file at the saved corpus's place that does not start with the marker."""


class Read(NamedTuple):
    data: bytearray | mmap.mmap
    signature: bytes | None
    """What this user's key signs the payload with (None: there is no key)."""
    stamp: tuple[int, ...]
    """Which file was read (device, inode, size, modification and change times): `unchanged`."""


def read(path: Path) -> Read | None:
    """The file at `path` and the signature it should carry; None when there is none, or it
    was cut short while read (being replaced). What this process read of it ahead
    (`read_ahead`) is used while the file there is still the one read."""
    ahead = _ahead.pop(path, None)
    if ahead is not None:
        got = ahead.result()
        if got is not None and unchanged(path, got):
            return got
    return _read(path, _key())


def beside(index: Path) -> Path:
    """Where the corpus of the index at `index` is saved: `<index>.related`."""
    return index.with_name(index.name + SUFFIX)


def read_ahead(index: Path) -> None:
    """Start reading the corpus saved beside the index at `index` (`beside`) on a thread of its
    own (`ReadAhead`), for this process's next `read` of it: `vaultnet related` and `generate`
    start it before they scan the vault. One read ahead at a time is kept."""
    _ahead.clear()
    path = beside(index)
    _ahead[path] = ReadAhead(path)


def _read(path: Path, key: bytes | None) -> Read | None:
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            data = _buffer(info.st_size)
            if handle.readinto(data) != len(data):
                return None
    except OSError:
        return None
    signature = None if key is None else _mac(key, memoryview(data)[HEAD:]).digest()
    return Read(data, signature, _stamp(info))


def _buffer(size: int) -> bytearray | mmap.mmap:
    """Writable memory for `size` bytes, not zeroed first: pages of an anonymous map (unlike a
    bytearray's, filled while the GIL is held) come as the file is read into them, with the
    GIL released (and an anonymous map has no file that could shrink under it). Private where
    the system says so: a forked worker's writes stay its own, as a bytearray's would."""
    if not size:
        return bytearray()
    if hasattr(mmap, "MAP_PRIVATE"):  # POSIX (Windows has no flags: its maps are the process's)
        return mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    return mmap.mmap(-1, size)


def unchanged(path: Path, got: Read) -> bool:
    """Whether the file at `path` is still the one `got` read (not replaced since: read ahead,
    another process may have saved a new one meanwhile)."""
    try:
        return _stamp(path.stat()) == got.stamp
    except OSError:
        return False


def _stamp(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def payload(path: Path, got: Read | None) -> memoryview | None:
    """The payload of what was read at `path` (`read`) when this user's key signed it; None
    when there is nothing to use (no file, no key, or signed otherwise: a warning). NotOurs
    when the file is not a saved corpus at all."""
    if got is None:
        return None
    data, signature, _ = got
    if signature is None:
        return None
    if data[: len(MAGIC)] != MAGIC or len(data) < HEAD:
        if data:
            raise NotOurs("not a saved related corpus")
        return None
    if not hmac.compare_digest(bytes(data[len(MAGIC) : HEAD]), signature):
        log.warning("%s: not signed by this user's vaultnet; ignored (rebuilt)", path)
        return None
    return memoryview(data)[HEAD:]


class ReadAhead:
    """`read(path)` on a thread of its own, started now; `result()` waits for it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key = _key(make=False)
        """Read here: the thread makes no key (a save does), and imports nothing (each import
        would hand the GIL back and forth with the caller's scan)."""
        self._got: Read | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name="saved corpus read ahead", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        try:
            self._got = _read(self.path, self._key)
        except BaseException as error:  # raised where the result is asked for
            self._error = error

    def result(self) -> Read | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._got


def write(path: Path, parts: Iterable[bytes | memoryview]) -> bool:
    """Write the payload `parts` to `path` atomically, signed as it streams (no copy of the
    whole: 0.5 GB at 100,000 notes); False when there is no key. Raises OSError."""
    key = _key()
    if key is None:
        return False
    mac = _mac(key)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + bytes(SIGNATURE))
            for part in parts:
                mac.update(part)
                out.write(part)
            out.seek(len(MAGIC))
            out.write(mac.digest())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True


def is_ours(path: Path) -> bool:
    """Whether the file at `path` starts with the marker (only such a file is ever replaced)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _mac(key: bytes, data: bytes | memoryview = b"") -> hmac.HMAC:
    """HMAC-SHA256 of `data`, to be fed the rest."""
    return hmac.new(key, data, hashlib.sha256)


def _key(*, make: bool = True) -> bytes | None:
    """This user's signing key, made on first use (None when it cannot be read or made, or
    there is none and `make` is False)."""
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
        if not make:
            return None
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
