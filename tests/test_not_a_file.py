"""Named pipes, devices and sockets in a vault (and symlinks to them) are named by `doctor` as
`not-a-file` and never opened: reading a pipe waits for a writer, `/dev/zero` never ends. Every run
goes through a subprocess with a timeout, so a regression fails instead of hanging the suite."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")

GUARD_SECONDS = 60


def _vaultnet(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "vaultnet",
            "--vault",
            str(root),
            "--index",
            f"{root}.sqlite",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )


@pytest.fixture
def special_vault(make_vault: Callable[[dict[str, str]], Path]) -> Iterator[Path]:
    root = make_vault(
        {
            "People/Jane Doe.md": "---\ntags: [person]\n---\n",
            "Daily/2026-11-20.md": "- Met [[Jane Doe]]\n",
            "Note 2.md": "an iCloud-like name beside a pipe called Note.md\n",
        }
    )
    os.mkfifo(root / "x.md")
    os.mkfifo(root / "People" / "pipe.md")
    os.mkfifo(root / "Note.md")
    os.symlink("/dev/zero", root / "zero.md")
    os.symlink("../x.md", root / "People" / "to pipe.md")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "sock.md"))
    except OSError:  # a tmp path too long for a socket name: the other kinds still count
        server.close()
        server = None  # type: ignore[assignment]
    yield root
    if server is not None:
        server.close()


def test_doctor_names_every_special_file_and_the_scan_goes_on(special_vault: Path) -> None:
    result = _vaultnet(special_vault, "doctor", "--json")
    assert result.returncode == 0, result.stderr
    found = {
        p["path"]: p["message"]
        for p in json.loads(result.stdout)["problems"]
        if p["kind"] == "not-a-file"
    }
    expected = {
        "x.md": "is a named pipe (FIFO), not a file; skipped without opening it",
        "Note.md": "is a named pipe (FIFO), not a file; skipped without opening it",
        "People/pipe.md": "is a named pipe (FIFO), not a file; skipped without opening it",
        "People/to pipe.md": "is a symlink to a named pipe (FIFO), not a file; skipped without "
        "opening it",
        "zero.md": "is a symlink to a character device, not a file; skipped without opening it",
    }
    if (special_vault / "sock.md").exists():
        expected["sock.md"] = "is a socket, not a file; skipped without opening it"
    assert found == expected
    # The rest of the vault is read as usual: the note beside the pipe is a note, not a copy.
    shown = _vaultnet(special_vault, "note", "Note 2", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["path"] == "Note 2.md"


def test_generate_and_touch_never_open_them(special_vault: Path) -> None:
    result = _vaultnet(special_vault, "generate", "--today", "2026-11-26")
    assert result.returncode == 0, result.stderr
    assert (special_vault / "Vaultnet" / "Reconnect.md").is_file()
    os.mkfifo(special_vault / "2026-11-26.md")  # today's daily note (at the root) is a pipe
    touched = _vaultnet(special_vault, "touch", "Jane Doe", "--date", "2026-11-26")
    assert touched.returncode != 0
    assert "2026-11-26.md: cannot read the note" in touched.stderr


def test_reading_a_pipe_put_in_a_note_s_place_is_refused(tmp_path: Path) -> None:
    """A note replaced by a pipe between the walk and the read is refused, not waited on."""
    os.mkfifo(tmp_path / "late.md")
    code = (
        "import sys\nfrom pathlib import Path\nfrom vaultnet.vault.files import read_bytes\n"
        "try:\n    read_bytes(Path(sys.argv[1]), 'late.md')\nexcept OSError as e:\n"
        "    print(e.strerror)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=True,
    )
    assert result.stdout.strip() == "not a regular file"
