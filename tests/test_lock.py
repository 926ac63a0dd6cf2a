"""The per-vault locks: keyed on the vault, not the index; the same byte on Windows; short waits."""

from __future__ import annotations

import sys
import threading
import types
from pathlib import Path

import pytest

from vaultnet.errors import LockHeld
from vaultnet.pages import lock
from vaultnet.pages.lock import lock_path, vault_lock, write_lock


def test_one_lock_per_vault_whatever_path_reaches_it(tmp_path: Path) -> None:
    vault, other = tmp_path / "Vault", tmp_path / "Other"
    vault.mkdir()
    other.mkdir()
    (tmp_path / "link").symlink_to(vault, target_is_directory=True)
    assert lock_path(tmp_path / "link") == lock_path(vault) != lock_path(other)
    assert not lock_path(vault).is_relative_to(vault)  # never inside the synced vault
    with vault_lock(vault, "watch"):
        with (
            pytest.raises(LockHeld, match=r"vaultnet watch \(pid \d+"),
            vault_lock(tmp_path / "link", "generate"),
        ):
            pass
        with vault_lock(other, "generate"):  # another vault is another lock
            pass
    with vault_lock(vault, "generate"):  # released
        pass


class FakeMsvcrt(types.ModuleType):
    """msvcrt.locking as Windows does it: a byte range at the file's current position."""

    LK_NBLCK = 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.locked: dict[int, int] = {}  # byte -> fd

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        import os

        position = os.lseek(fd, 0, os.SEEK_CUR)
        if self.locked.get(position, fd) != fd:
            raise OSError(36, "Resource deadlock avoided")
        self.locked[position] = fd


def test_windows_locks_the_same_byte_in_every_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review finding 5: "a+" opens at the end, whose offset changes once the holder wrote
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    path = tmp_path / "x.lock"
    first = path.open("a+b")
    assert lock._try_lock(first, windows=True)
    first.write(b'{"pid": 1, "host": "h", "command": "watch", "since": "2026-11-26"}')
    first.flush()
    second = path.open("a+b")
    assert not lock._try_lock(second, windows=True)
    assert list(fake.locked) == [lock.WINDOWS_LOCK_BYTE]
    assert second.read().startswith(b'{"pid": 1')  # who holds it is still readable
    first.close()
    second.close()


def test_the_write_lock_waits_briefly_then_says_so(tmp_path: Path) -> None:
    with write_lock(tmp_path):
        with pytest.raises(LockHeld, match="try again"), write_lock(tmp_path, wait=0.05):
            pass
        done = threading.Event()

        def writer() -> None:
            with write_lock(tmp_path):
                done.set()

        thread = threading.Thread(target=writer)
        thread.start()
        assert not done.is_set()
    thread.join(timeout=10)
    assert done.is_set()  # it got the lock once released
