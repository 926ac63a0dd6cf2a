"""The per-vault locks: in the vault itself, so every process sees them (another `--index`,
another user, another cache folder, a symlinked path); the OS's lock on the file, never its
existence, so a lock left by a killed process or copied by a sync tool never blocks; the same
byte on Windows; short waits."""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli
from vaultnet.errors import LockHeld
from vaultnet.pages import lock
from vaultnet.pages.lock import lock_path, vault_lock, write_lock, write_lock_path


def test_the_lock_lives_in_the_vault_whatever_path_reaches_it(tmp_path: Path) -> None:
    vault, other = tmp_path / "Vault", tmp_path / "Other"
    vault.mkdir()
    other.mkdir()
    (tmp_path / "link").symlink_to(vault, target_is_directory=True)
    assert lock_path(tmp_path / "link") == lock_path(vault) == vault / ".vaultnet" / "lock"
    with vault_lock(vault, "watch"):
        with (
            pytest.raises(LockHeld, match=r"vaultnet watch \(pid \d+"),
            vault_lock(tmp_path / "link", "generate"),
        ):
            pass
        with vault_lock(other, "generate"):  # another vault is another lock
            pass
    with vault_lock(vault, "generate"), write_lock(vault):  # released
        pass
    # The files are never written: nothing for a sync tool to copy twice or to conflict on.
    assert lock_path(vault).read_bytes() == write_lock_path(vault).read_bytes() == b""
    names = sorted(p.name for p in (vault / ".vaultnet").iterdir())
    assert names == [".gitignore", "lock", "write.lock"]


HOLDER = """
import sys, time
from pathlib import Path
from vaultnet.pages.lock import vault_lock
with vault_lock(Path(sys.argv[1]), "watch"):
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.mark.slow
def test_two_cache_folders_one_lock_and_a_killed_holder_blocks_nothing(tmp_path: Path) -> None:
    """Was: the lock lived in the user's cache folder, so two users (or two XDG_CACHE_HOMEs)
    could both write the same vault's pages."""
    vault = tmp_path / "vault"
    (vault / "Ideas").mkdir(parents=True)
    (vault / "Ideas" / "A.md").write_text("An idea.\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "first-cache")}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        other = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "second-cache")}
        command = [sys.executable, "-m", "vaultnet", "--vault", str(vault), "generate"]
        blocked = subprocess.run(command, env=other, capture_output=True, text=True, check=False)
        assert blocked.returncode == 1
        assert blocked.stderr == (
            "Error: another vaultnet process is already writing this vault's pages; stop it "
            "first (`touch` works meanwhile)\n"
        )
        same = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert f"vaultnet watch (pid {holder.pid} on " in same.stderr  # the same cache: who
        assert not (vault / "Vaultnet").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    done = subprocess.run(command, env=other, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr  # a killed holder's lock is gone with it
    assert (vault / "Vaultnet" / "Suggested links.md").is_file()


def test_a_lock_file_a_sync_tool_copied_holds_no_lock(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".vaultnet").mkdir(parents=True)
    (vault / ".vaultnet" / "lock").write_text('{"pid": 1, "host": "laptop", "command": "watch"}')
    with vault_lock(vault, "generate"):
        pass


def test_a_holder_that_ended_is_not_named(tmp_path: Path) -> None:
    note = lock.cache_path(tmp_path, "holder")
    note.parent.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    note.write_text(
        f'{{"pid": {dead.stdout.strip()}, "host": "{os.uname().nodename}", '
        '"command": "watch", "since": "2026-11-26 10:00:00"}'
    )
    assert (
        lock._holder(tmp_path) == "another vaultnet process is already writing this vault's pages"
    )


def test_a_file_system_without_locks_falls_back_to_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_flock = fcntl.flock
    vault = tmp_path / "vault"
    vault.mkdir()

    def no_locks_in_the_vault(fd: int, operation: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(vault)):
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", no_locks_in_the_vault)
    with vault_lock(vault, "watch"), pytest.raises(LockHeld), vault_lock(vault, "generate"):
        pass
    assert "cannot lock files" in caplog.text
    assert lock.cache_path(vault, "lock").exists()


def test_generate_holds_the_lock_in_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "Ideas").mkdir(parents=True)
    (vault / "Ideas" / "A.md").write_text("An idea.\n")
    with vault_lock(vault, "watch"):
        result = CliRunner().invoke(cli, ["--vault", str(vault), "generate"])
    assert result.exit_code == 1 and "vaultnet watch (pid" in result.output


class FakeMsvcrt(types.ModuleType):
    """msvcrt.locking as Windows does it: a byte range at the file's current position."""

    LK_NBLCK = 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.locked: dict[int, int] = {}  # byte -> fd

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
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
