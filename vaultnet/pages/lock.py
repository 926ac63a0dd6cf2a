"""Locks per vault, in the user's cache folder (never inside the synced vault).

Both are keyed on the vault's real path, not on the index file, so a second vaultnet with another
`--index` (or reaching the vault through a symlink) still meets them:
- `vault_lock`: one process (`watch` or `generate`) writes a vault's pages at a time. Held for the
  whole command; the file says who holds it, so a second process can say so.
- `write_lock`: held for a few milliseconds around every check-and-write of a note (`touch`'s
  append or create, the block writer's re-read and replace, a page's re-read and removal), so an
  appended line can never fall between the writer's last check and its rename.

The OS releases a lock when its process ends, even after `kill -9`: a stale lock file never blocks.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from vaultnet.errors import LockHeld

WINDOWS_LOCK_BYTE = 1 << 16
"""On Windows the byte that is locked: a fixed offset (msvcrt locks at the file position), far
beyond the holder's JSON so a second process can still read who holds the lock."""
WRITE_LOCK_WAIT = 5.0
"""Seconds a writer waits for another one's check-and-write (which takes milliseconds)."""


def lock_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("vaultnet")) / "locks"


def vault_key(root: Path) -> str:
    """The vault's lock name: its real path (case-folded: one vault reached by two spellings on a
    case-insensitive disk is still one vault), hashed."""
    real = os.path.realpath(root)
    digest = hashlib.sha256(real.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{os.path.basename(real)[:40]}-{digest}"


def lock_path(root: Path) -> Path:
    return lock_folder() / f"{vault_key(root)}.lock"


def write_lock_path(root: Path) -> Path:
    return lock_folder() / f"{vault_key(root)}.write.lock"


@contextmanager
def vault_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the vault's page-writing lock for the block, or raise LockHeld naming its holder."""
    handle = _open(lock_path(root))
    try:
        if not _try_lock(handle):
            handle.seek(0)
            text = handle.read().decode("utf-8", "replace")
            raise LockHeld(f"{_holder(text)}; stop it first (`touch` works meanwhile)")
        handle.seek(0)
        handle.truncate()
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command}
        handle.write(json.dumps({**info, "since": time.strftime("%Y-%m-%d %H:%M:%S")}).encode())
        handle.flush()
        yield
    finally:
        handle.close()  # closing the file releases the lock


@contextmanager
def write_lock(root: Path, wait: float = WRITE_LOCK_WAIT) -> Iterator[None]:
    """Hold the vault's short write lock for one check-and-write. Not reentrant: never nest it."""
    handle = _open(write_lock_path(root))
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise LockHeld(
                    f"another vaultnet process has been writing to this vault for {wait:.0f} s; "
                    "try again"
                )
            time.sleep(0.005)
        yield
    finally:
        handle.close()


def _open(path: Path) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a+b")


def _holder(text: str) -> str:
    try:
        info = json.loads(text)
        return (
            f"vaultnet {info['command']} (pid {info['pid']} on {info['host']}, since "
            f"{info['since']}) is already writing this vault's pages"
        )
    except (ValueError, KeyError, TypeError):
        return "another vaultnet process is already writing this vault's pages"


def _try_lock(handle: IO[bytes], *, windows: bool = os.name == "nt") -> bool:
    if windows:
        import msvcrt

        # msvcrt locks bytes at the current position, and "a+" opens at the end, whose offset
        # differs between processes: always lock the same fixed byte.
        handle.seek(WINDOWS_LOCK_BYTE)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        finally:
            handle.seek(0)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
