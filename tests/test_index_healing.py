"""The index heals itself (issue 23 item 3): it is a cache of the vault, so a damaged SQLite file
(garbage written into it, a destroyed header, damage SQLite only finds in a full check) is moved
aside as `<index>.damaged-<time>` (one kept), said in one warning line, and rebuilt from the
vault, and the command's answer is the one a healthy index gives; the watcher does the same
while it runs and goes on. A file that is no SQLite database at all is never touched; a full or
failing disk and a read-only file system are one line naming the index. Really damaged files,
the real program as a process.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_example_vault

from vaultnet.related.signed import MAGIC

TODAY = "2026-11-26"
WARNING = "the index was damaged ("


CACHE: dict[str, str] = {}
"""`XDG_CACHE_HOME` for every process of this module (the healthy copies' related corpus is
signed with the key found there)."""


def vaultnet(
    root: Path, index: Path | None, *args: str, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    where = ["--index", str(index)] if index is not None else []
    env = kwargs.pop("env", None) or {**os.environ, **CACHE}
    return subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(root), *where, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        **kwargs,  # type: ignore[call-overload]
    )


def garbage(path: Path, offset: int, size: int = 32768) -> None:
    """Overwrite `size` bytes of `path` from `offset` with garbage (the same on every run)."""
    size = min(size, path.stat().st_size - offset)
    with open(path, "r+b") as file:
        file.seek(offset)
        file.write(random.Random(offset).randbytes(size))


def damaged_copies(index: Path) -> list[str]:
    return sorted(p.name for p in index.parent.glob(index.name + ".damaged-*"))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The example vault with its pages, its index, and what commands answer from it."""
    work = tmp_path_factory.mktemp("healthy")
    CACHE["XDG_CACHE_HOME"] = str(work / "cache")
    root, index = copy_example_vault(work / "vault"), work / "index.sqlite"
    assert vaultnet(root, index, "generate", "--today", TODAY).returncode == 0
    answers = {name: vaultnet(root, index, *args).stdout for name, args in COMMANDS.items()}
    return root, index, answers


COMMANDS = {
    "contacts": ["contacts", "--json", "--today", TODAY],
    "doctor": ["doctor", "--json"],
    "related": ["related", "Ideas/Cadence is a floor, not a quota.md", "--json"],
    "generate": ["generate", "--today", TODAY, "--json"],
}


def copy_of(healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> tuple[Path, Path]:
    root, index, _ = healthy
    shutil.copytree(root, tmp_path / "vault", symlinks=True)
    for suffix in ("", ".related"):
        shutil.copy(f"{index}{suffix}", tmp_path / f"index.sqlite{suffix}")
    return tmp_path / "vault", tmp_path / "index.sqlite"


@pytest.mark.parametrize("where", [0, 100, 4096, 0.25, 0.5, 0.8])
def test_a_damaged_index_is_moved_aside_and_rebuilt(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path, where: float
) -> None:
    """Was: every command, doctor included: `internal error: DatabaseError: database disk
    image is malformed`, exit status 2, forever."""
    root, index = copy_of(healthy, tmp_path)
    offset = where if isinstance(where, int) else int(index.stat().st_size * where) // 4096 * 4096
    garbage(index, offset)
    warnings = []
    for name in ("contacts", "related", "doctor", "generate", "contacts"):
        done = vaultnet(root, index, *COMMANDS[name])
        assert done.returncode == 0, done.stderr
        # The vault is another copy: its folder (named in generate's answer) aside.
        assert done.stdout.replace(str(root), "VAULT") == healthy[2][name].replace(
            str(healthy[0]), "VAULT"
        )
        warnings += done.stderr.splitlines()
    # The damage is met by the first command that reads it (doctor checks the whole file).
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{index}: {WARNING}")
    copies = [c for c in damaged_copies(index) if not c.endswith("-wal")]
    assert len(copies) == 1 and warnings[0].endswith(
        f"moved aside to {copies[0]} and rebuilt from the vault"
    )
    assert json.loads(vaultnet(root, index, *COMMANDS["generate"]).stdout)["written"] == []


def test_one_damaged_copy_is_kept(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    root, index = copy_of(healthy, tmp_path)
    for round_ in range(3):
        garbage(index, 4096 * (round_ + 1))
        done = vaultnet(root, index, *COMMANDS["doctor"])
        assert done.returncode == 0 and WARNING in done.stderr
        time.sleep(1.1)  # another second: another name
    assert len([c for c in damaged_copies(index) if not c.endswith("-wal")]) == 1


def test_a_whole_file_of_garbage_in_vaultnets_own_cache_folder_is_rebuilt(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = copy_of(healthy, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "VAULTNET_INDEX"}
    env["XDG_CACHE_HOME"] = CACHE["XDG_CACHE_HOME"]
    assert vaultnet(root, None, "scan", env=env).returncode == 0
    (index,) = Path(CACHE["XDG_CACHE_HOME"], "vaultnet").glob(f"{root.name}-*.sqlite")
    index.write_bytes(random.Random(1).randbytes(5000))  # not even whole pages
    done = vaultnet(root, None, *COMMANDS["contacts"], env=env)
    assert (done.returncode, done.stdout) == (0, healthy[2]["contacts"])
    assert done.stderr.count("\n") == 1 and WARNING in done.stderr


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("People/Jane Doe.md", None),  # `--index` pointed at a note of the user's
        ("contacts.csv", b"name,email\nJane Doe,jane@example.org\n"),
        ("photo.jpg", bytes(range(256)) * 20),
    ],
)
def test_a_file_that_is_no_sqlite_database_is_left_alone(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path, name: str, data: bytes | None
) -> None:
    """Was: "not a vaultnet index; delete it" for a note of the user's."""
    root, _ = copy_of(healthy, tmp_path)
    target = root / name
    if data is not None:
        target.write_bytes(data)
    before = target.read_bytes()
    done = vaultnet(root, target, *COMMANDS["contacts"])
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {target}: not a vaultnet index (not an SQLite database at all); vaultnet "
        "leaves it as it is: give --index the name of a new file, or of a vaultnet index\n"
    )
    assert "delete" not in done.stderr
    assert target.read_bytes() == before
    assert not damaged_copies(target) and not Path(f"{target}-wal").exists()


def test_another_programs_database_is_left_alone(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = copy_of(healthy, tmp_path)
    other = tmp_path / "places.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE bookmarks (url TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    done = vaultnet(root, other, "scan")
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {other}: an SQLite database of another program, not a vaultnet index; "
        "vaultnet leaves it as it is: give --index the name of a new file, or of a vaultnet "
        "index\n"
    )
    assert other.read_bytes() == before and not damaged_copies(other)


WAL_WRITER = """
import os, shutil, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("BEGIN")
db.execute("UPDATE links SET context = context || ' '")
db.execute("COMMIT")
os._exit(0)  # no checkpoint: the transaction stays in the WAL
"""


@pytest.mark.parametrize("tear", ["half", "garbage", "shm"])
def test_a_torn_wal_is_no_harm(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path, tear: str
) -> None:
    """A WAL cut short (a crash mid-write), full of garbage, or a garbage shared-memory file:
    SQLite drops what is not whole, and the index answers as a healthy one (the next scan
    re-reads whatever the lost writes were about)."""
    root, index = copy_of(healthy, tmp_path)
    subprocess.run([sys.executable, "-c", WAL_WRITER, str(index)], check=True)
    wal = Path(f"{index}-wal")
    assert wal.stat().st_size > 4096
    if tear == "half":
        os.truncate(wal, wal.stat().st_size // 2)
    elif tear == "garbage":
        garbage(wal, 0, wal.stat().st_size)
    else:
        Path(f"{index}-shm").write_bytes(random.Random(3).randbytes(32768))
    for name in ("contacts", "related", "doctor"):
        done = vaultnet(root, index, *COMMANDS[name])
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        assert done.stdout == healthy[2][name]


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_file_size_limit_is_an_io_error(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """Was: `ulimit -f` reported as "not a vaultnet index; delete it"."""
    root, _ = copy_of(healthy, tmp_path)
    index = tmp_path / "fresh.sqlite"
    for _ in range(2):  # the half-made index is not taken for another program's file
        done = vaultnet(root, index, "scan", preexec_fn=_limit_file_size)
        assert done.returncode == 1
        assert done.stderr == f"Error: {index}: I/O error on the index (disk I/O error)\n"
    done = vaultnet(root, index, *COMMANDS["contacts"])
    assert (done.returncode, done.stdout, done.stderr) == (0, healthy[2]["contacts"], "")


def _unshare_works() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return False
    probe = [unshare, "--user", "--map-root-user", "--mount", "sh", "-c",
             "mount -t tmpfs tmpfs /mnt"]  # fmt: skip
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs Linux user namespaces to mount a tmpfs")
def test_a_read_only_index_is_one_line(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """Was: `internal error: OperationalError`. The index's folder, a real tmpfs, is remounted
    read-only (chmod means nothing to root)."""
    root, _ = copy_of(healthy, tmp_path)
    folder = tmp_path / "ro"
    folder.mkdir()
    command = f"{sys.executable} -m vaultnet --vault {root} --index {folder}/i.sqlite"
    script = f"""
        mount -t tmpfs tmpfs {folder} || exit 99
        {command} scan > /dev/null || exit 98
        mount -o remount,ro {folder} || exit 99
        {command} contacts --today {TODAY} > {tmp_path}/out 2> {tmp_path}/err
        echo $? > {tmp_path}/code
    """
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "code").read_text() == "1\n"
    err = (tmp_path / "err").read_text()
    assert err.count("\n") == 1 and err.startswith(
        f"Error: {folder}/i.sqlite: the index cannot be written ("
    ), err
    assert "make the file and its folder writable, or choose another --index" in err


def test_a_garbage_related_corpus_is_replaced_once(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """Was: reported on every run and never replaced."""
    root, index = copy_of(healthy, tmp_path)
    saved = Path(f"{index}.related")
    saved.write_bytes(random.Random(5).randbytes(40000))
    first = vaultnet(root, index, *COMMANDS["related"])
    assert (first.returncode, first.stdout) == (0, healthy[2]["related"])
    assert first.stderr.startswith(f"{saved}: not a saved related corpus; moved aside to ")
    assert first.stderr.count("\n") == 1
    assert saved.read_bytes().startswith(MAGIC)
    second = vaultnet(root, index, *COMMANDS["related"])
    assert (second.stdout, second.stderr) == (healthy[2]["related"], "")
    assert len(damaged_copies(saved)) == 1


@pytest.mark.slow
def test_the_watcher_heals_a_damaged_index_and_goes_on(
    healthy: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """Was: a traceback per batch, its rescan failing too, the pages silently stale. Here the
    WAL the running daemon reads from gets garbage in its middle."""
    root, index = copy_of(healthy, tmp_path)
    log = tmp_path / "watch.log"
    command = [sys.executable, "-m", "vaultnet", "--vault", str(root), "--index", str(index),
               "watch", "--today", TODAY, "--debounce", "50"]  # fmt: skip
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command, stderr=out, stdout=subprocess.DEVNULL, env={**os.environ, **CACHE}
        )
    try:
        wait_for(log, "watching", proc)
        note = root / "Daily" / "2026-11-21.md"
        with open(note, "a", encoding="utf-8") as file:
            file.write("\nLunch with [[Carol Ng]].\n")
        wait_for(log, "1 changed (Daily/2026-11-21.md)", proc)
        wal = Path(f"{index}-wal")
        size = wal.stat().st_size
        garbage(wal, size // 4, size // 2)
        with open(note, "a", encoding="utf-8") as file:
            file.write("\nCalled [[Priya Natarajan]] and [[Tom Becker]].\n")
        wait_for(log, WARNING, proc)
        wait_for(log, "no change; 0 pages written", proc)  # every generator ran again
        with open(note, "a", encoding="utf-8") as file:
            file.write("\nMet [[Sofia Rossi]].\n")
        wait_for(log, "1 changed (Daily/2026-11-21.md)", proc, times=3)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text()
    assert proc.returncode == 0 and "Traceback" not in text, text
    assert text.count(WARNING) == 1
    # The pages are what a cold `generate` of the same vault writes.
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("Vaultnet"))
    assert vaultnet(cold, tmp_path / "cold.sqlite", "generate", "--today", TODAY).returncode == 0
    assert pages(root) == pages(cold)


def pages(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "Vaultnet").rglob("*.md")
    }


def wait_for(
    log: Path, words: str, proc: subprocess.Popen[bytes], bound: float = 60.0, times: int = 1
) -> None:
    start = time.monotonic()
    while log.read_text().count(words) < times:
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() - start < bound, log.read_text()
        time.sleep(0.05)
