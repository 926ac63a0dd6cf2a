"""`generate` on a full or failing disk (issue 23): it stops at the first page that cannot be
written, with one line naming it and exit status 1 (was: every page "refused: cannot write: No
space left on device", exit status 0); every page written before is whole (no half page, no
temp file), and once there is room the same command writes the rest."""

from __future__ import annotations

import errno
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import copy_example_vault

from vaultnet.cli import cli
from vaultnet.pages import write
from vaultnet.pages.write import TEMP_SUFFIX, is_pristine

TODAY = "2026-11-26"


class FullDisk:
    """`os` for `vaultnet.pages.write` on a disk with room for `room` more bytes (the write
    that reaches the end is short, the next one fails), or failing with `error` from then on."""

    def __init__(self, room: int, error: int = errno.ENOSPC) -> None:
        self.room = room
        self.error = error

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, fd: int, data: Any) -> int:
        if self.room <= 0:
            raise OSError(self.error, os.strerror(self.error))
        written = os.write(fd, bytes(data[: self.room]))
        self.room -= written
        return written


def pages(root: Path) -> dict[str, bytes]:
    """Every file in the output folder, temp files included."""
    folder = root / "Vaultnet"
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO, errno.EFBIG])
def test_a_full_disk_stops_generate_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    reference = copy_example_vault(tmp_path / "reference")
    args = ["generate", "--today", TODAY]
    invoke = CliRunner().invoke
    done = invoke(cli, ["--vault", str(reference), "--index", str(tmp_path / "r.db"), *args])
    assert done.exit_code == 0, done.output
    whole = pages(reference)
    root = copy_example_vault(tmp_path / "vault")
    monkeypatch.setattr(write, "os", FullDisk(room=sum(map(len, whole.values())) // 3, error=error))
    failed = invoke(cli, ["--vault", str(root), *args])
    assert failed.exit_code == 1
    assert failed.output.count("\n") == 1
    assert failed.output.startswith("Error: Vaultnet/")
    assert failed.output.endswith(
        f": cannot write ({os.strerror(error)}); stopped there: what was written before is whole\n"
    )
    written = pages(root)
    assert 0 < len(written) < len(whole)
    assert all(is_pristine(data) and data == whole[path] for path, data in written.items())
    monkeypatch.undo()  # room again: the same command writes the rest
    again = invoke(cli, ["--vault", str(root), *args, "--json"])
    assert again.exit_code == 0, again.output
    assert sorted(json.loads(again.output)["unchanged"]) == sorted(written)
    assert pages(root) == whole


def _unshare_works() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return False
    probe = [unshare, "--user", "--map-root-user", "--mount", "sh", "-c",
             "mount -t tmpfs -o size=64k tmpfs /mnt"]  # fmt: skip
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs Linux user namespaces to mount a tmpfs")
def test_a_really_full_disk(tmp_path: Path) -> None:
    """The real program, the vault on a real tmpfs (mounted in a user namespace) with room for
    the notes and a few pages."""
    source = copy_example_vault(tmp_path / "source")
    vault = tmp_path / "vault"
    vault.mkdir()
    size = sum(p.stat().st_size // 4096 * 4096 + 4096 for p in source.rglob("*") if p.is_file())
    vaultnet = f"{shlex.quote(sys.executable)} -m vaultnet --vault {vault} --index {tmp_path}/i"
    script = f"""
        mount -t tmpfs -o size={size + 6 * 4096} tmpfs {vault} || exit 99
        cp -r {source}/. {vault}/ || exit 98
        {vaultnet} generate --today {TODAY} > {tmp_path}/first.out 2> {tmp_path}/first.err
        echo $? > {tmp_path}/first.code
        cp -r {vault}/Vaultnet {tmp_path}/full || mkdir {tmp_path}/full
        mount -o remount,size=4m {vault} || exit 99
        {vaultnet} generate --today {TODAY} > {tmp_path}/second.out 2> {tmp_path}/second.err
        echo $? > {tmp_path}/second.code
        cp -r {vault}/Vaultnet {tmp_path}/done
    """
    ran = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert ran.returncode == 0, ran.stderr
    err = (tmp_path / "first.err").read_text()
    assert (tmp_path / "first.code").read_text() == "1\n", err
    assert err.count("\n") == 1 and "(No space left on device); stopped there" in err, err
    full = {
        p.relative_to(tmp_path / "full"): p.read_bytes()
        for p in (tmp_path / "full").rglob("*")
        if p.is_file()
    }
    assert full and all(is_pristine(data) for data in full.values())  # whole pages only
    assert not [p for p in full if p.name.endswith(TEMP_SUFFIX)]
    assert (tmp_path / "second.code").read_text() == "0\n", (tmp_path / "second.err").read_text()
    done = {
        p.relative_to(tmp_path / "done"): p.read_bytes()
        for p in (tmp_path / "done").rglob("*")
        if p.is_file()
    }
    assert {p: done[p] for p in full} == full
    reference = copy_example_vault(tmp_path / "reference")
    assert (
        CliRunner().invoke(cli, ["--vault", str(reference), "generate", "--today", TODAY]).exit_code
        == 0
    )
    assert done == {
        p.relative_to(reference / "Vaultnet"): p.read_bytes()
        for p in (reference / "Vaultnet").rglob("*")
        if p.is_file()
    }
