"""One writer per vault: an OS file lock kept beside the index (never inside the synced vault).

The lock is released by the OS when its process ends, even after `kill -9`, so a stale lock file
never blocks the next start. The file holds who has the lock, so a second process can say so.
`touch` does not take it: it only appends to a daily note, which the daemon merely reads.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from vaultnet.errors import LockHeld


def lock_path(index_path: Path) -> Path:
    return index_path.with_name(index_path.name + ".lock")


@contextmanager
def vault_lock(index_path: Path, command: str) -> Iterator[None]:
    """Hold the vault's write lock for the block, or raise LockHeld naming its holder."""
    path = lock_path(index_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        if not _try_lock(handle):
            handle.seek(0)
            raise LockHeld(f"{_holder(handle.read())}; stop it first (`touch` works meanwhile)")
        handle.seek(0)
        handle.truncate()
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command}
        handle.write(json.dumps({**info, "since": time.strftime("%Y-%m-%d %H:%M:%S")}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing the file releases the lock


def _holder(text: str) -> str:
    try:
        info = json.loads(text)
        return (
            f"vaultnet {info['command']} (pid {info['pid']} on {info['host']}, since "
            f"{info['since']}) is already writing this vault's pages"
        )
    except (ValueError, KeyError, TypeError):
        return "another vaultnet process is already writing this vault's pages"


def _try_lock(handle: IO[str]) -> bool:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
