"""Locks per vault, in the vault itself: `.vaultnet/lock` and `.vaultnet/write.lock` at its root.

A lock must be seen by every process that can write the vault's pages: another `--index`,
another user, another cache folder (`XDG_CACHE_HOME`), the vault reached through a symlink or
another spelling. Only a file in the vault is reached by all of them (by the vault's real
folder; over NFS by the other machines too), so that is where the locks live, in a dot folder
Obsidian and the index never read:
- `vault_lock`: one process (`watch` or `generate`) writes a vault's pages at a time. Held for the
  whole command; who holds it is noted in the user's cache folder, so a second process of the
  same user can say who (another user's is "another vaultnet process").
- `write_lock`: held for a few milliseconds around every check-and-write of a note (`touch`'s
  append or create, the block writer's re-read and replace, a page's re-read and removal), so an
  appended line can never fall between the writer's last check and its rename.

A lock is the operating system's lock on the file (`flock`, `msvcrt.locking`), never the file's
existence or content: the OS releases it when its process ends, even after `kill -9`, so a stale
lock never blocks; the files stay empty and are never written again, so a sync tool copies them
once (a copy holds no lock on another machine) and two machines never make conflicting copies
of them. A file system that cannot lock files (some network drives) falls back to a lock in the
user's cache folder, keyed on the vault's real path, with a warning.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from vaultnet.errors import LockHeld, WriteFailed

log = logging.getLogger(__name__)
LOCK_FOLDER = ".vaultnet"
"""The vault's own dot folder at its root, holding its locks."""
WINDOWS_LOCK_BYTE = 1 << 16
"""On Windows the byte that is locked: a fixed offset (msvcrt locks at the file position), far
beyond the holder's JSON so a second process can still read who holds the lock."""
WRITE_LOCK_WAIT = 5.0
"""Seconds a writer waits for another one's check-and-write (which takes milliseconds)."""
HELD = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK})
"""What a lock attempt fails with while another process holds the lock; any other error means
the file system cannot lock files."""


def lock_path(root: Path) -> Path:
    return Path(os.path.realpath(root), LOCK_FOLDER, "lock")


def write_lock_path(root: Path) -> Path:
    return Path(os.path.realpath(root), LOCK_FOLDER, "write.lock")


def cache_path(root: Path, name: str) -> Path:
    """A file about the vault in the user's cache folder (who holds its lock; the lock itself
    where the vault's file system cannot lock), keyed on the vault's real path (case-folded:
    one vault reached by two spellings on a case-insensitive disk is still one vault)."""
    from platformdirs import user_cache_dir

    real = os.path.realpath(root)
    digest = hashlib.sha256(real.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:16]
    key = f"{os.path.basename(real)[:40]}-{digest}"
    return Path(user_cache_dir("vaultnet")) / "locks" / f"{key}.{name}"


@contextmanager
def vault_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the vault's page-writing lock for the block, or raise LockHeld naming its holder."""
    handle = _locked(root, lock_path(root), wait=0.0)
    if handle is None:
        raise LockHeld(f"{_holder(root)}; stop it first (`touch` works meanwhile)")
    note = cache_path(root, "holder")
    try:
        _say_who(note, command)
        yield
    finally:
        with suppress(OSError):  # before the release: the next holder's note stays
            note.unlink(missing_ok=True)
        handle.close()  # closing the file releases the lock


@contextmanager
def write_lock(root: Path, wait: float = WRITE_LOCK_WAIT) -> Iterator[None]:
    """Hold the vault's short write lock for one check-and-write. Not reentrant: never nest it."""
    handle = _locked(root, write_lock_path(root), wait=wait)
    if handle is None:
        raise LockHeld(
            f"another vaultnet process has been writing to this vault for {wait:.0f} s; try again"
        )
    try:
        yield
    finally:
        handle.close()


def _locked(root: Path, path: Path, *, wait: float) -> IO[bytes] | None:
    """The lock file at `path`, open and locked (waiting up to `wait` seconds), or None when
    another process holds it. Where the file system cannot lock, the fallback lock instead."""
    handle = _open(path)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                if _try_lock(handle):
                    return handle
            except OSError as error:  # no locks on this file system
                handle.close()
                log.warning(
                    "%s: this file system cannot lock files (%s); locking in the user's cache "
                    "folder instead: other users do not see that lock",
                    path,
                    error.strerror or error,
                )
                return _locked(root, cache_path(root, path.name), wait=wait)
            if time.monotonic() >= deadline:
                handle.close()
                return None
            time.sleep(0.005)
    except BaseException:
        handle.close()
        raise


def _open(path: Path) -> IO[bytes]:
    """The lock file, made if absent; read-only when this user may not write it (another user's
    lock file: locking needs no write access)."""
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.parent.name == LOCK_FOLDER:  # nothing in it is worth keeping in git
                with suppress(OSError):  # a full disk: the lock works without it
                    (path.parent / ".gitignore").write_text("# vaultnet's locks\n*\n")
        try:
            return path.open("a+b")
        except PermissionError:
            return path.open("rb")
    except OSError as error:
        raise WriteFailed(
            f"{path}: cannot open the vault's lock file ({error.strerror or error})"
        ) from None


def _say_who(note: Path, command: str) -> None:
    """Note who holds the lock, for a second process of this user to say (never needed for the
    lock to work: a note that cannot be written is skipped)."""
    info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command}
    info["since"] = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text(json.dumps(info), encoding="utf-8")
    except OSError:
        pass


def _holder(root: Path) -> str:
    """Who holds the vault's lock, in words: what the holder noted if it is a process of this
    user that still runs (a note left by one that ended, or none at all: another user's)."""
    anyone = "another vaultnet process is already writing this vault's pages"
    try:
        with cache_path(root, "holder").open("rb") as handle:
            info = json.loads(handle.read(4096).decode("utf-8", "replace"))
        pid, host = int(info["pid"]), str(info["host"])
        said = (
            f"vaultnet {info['command']} (pid {pid} on {host}, since {info['since']}) "
            "is already writing this vault's pages"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return anyone
    if host != socket.gethostname() or not _alive(pid):
        return anyone
    return said


def _alive(pid: int) -> bool:
    if os.name == "nt" or pid == os.getpid():  # on Windows os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _try_lock(handle: IO[bytes], *, windows: bool = os.name == "nt") -> bool:
    """Lock the file without waiting: True when locked, False when another process holds it;
    an OSError when the file system cannot lock at all."""
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
    except OSError as error:
        if error.errno in HELD:
            return False
        raise
    return True
