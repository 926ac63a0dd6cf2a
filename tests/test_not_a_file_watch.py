"""`not-a-file` on the watcher's path (`Index.update`) and where the walk compares two files: real
pipes (`os.mkfifo`), never opened. The library runs in-process here, so each test runs under
`SIGALRM`: a regression that opens a pipe fails the test instead of hanging the suite
(`tests/test_not_a_file.py` covers the CLI, as a subprocess)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest

from vaultnet.index.scan import open_index

pytestmark = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
    reason="needs named pipes and /dev/zero (POSIX)",
)
GUARD_SECONDS = 30


class Hung(BaseException):
    """Not an OSError (`TimeoutError` is one): no `except OSError` in the code can swallow it."""


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail the test, rather than hang the suite, if something opens a pipe or reads /dev/zero."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"still running after {GUARD_SECONDS} s: a special file was opened")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_update_reports_a_pipe_and_forgets_it_as_a_cold_scan_does(
    make_vault: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """The watcher's path (`Index.update`) ends where a cold scan of the same vault ends."""
    root = make_vault({"Note.md": "text\n", "Notes/Week.md": "# Week\n"})

    def cold_problems() -> list[tuple[str, str]]:
        with open_index(root, tmp_path / f"cold{next(counter)}.sqlite") as cold:
            cold.scan()
            return [(p.path, p.kind) for p in cold.view.problems()]

    counter = iter(range(100))
    with open_index(root, tmp_path / "live.sqlite") as index:
        index.scan()
        os.mkfifo(root / "Notes" / "x.md")
        index.update(["Notes/x.md"])
        assert [(p.path, p.kind) for p in index.view.problems()] == [("Notes/x.md", "not-a-file")]
        assert [(p.path, p.kind) for p in index.view.problems()] == cold_problems()
        index.update(["Notes/x.md"])  # told twice: still one problem
        assert len(index.view.problems()) == 1

        (root / "Notes" / "x.md").unlink()
        (root / "Notes" / "x.md").write_text("now a note\n", encoding="utf-8")
        index.update(["Notes/x.md"])
        assert index.view.problems() == []
        assert index.view.note("Notes/x.md") is not None
        assert cold_problems() == []

        # A folder moved in with a pipe inside is walked: the pipe is named, once.
        moved = root / "Moved"
        moved.mkdir()
        os.mkfifo(moved / "p.md")
        index.update(["Moved"])
        index.update(["Moved"])
        assert [(p.path, p.kind) for p in index.view.problems()] == [("Moved/p.md", "not-a-file")]
        assert [(p.path, p.kind) for p in index.view.problems()] == cold_problems()


def test_a_pipe_beside_its_icloud_look_alike_is_never_opened(
    make_vault: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """`Week 2.md` is compared with `Week.md` to tell an iCloud copy: a pipe there is not read."""
    root = make_vault({"Week 2.md": "# Week\n"})
    os.mkfifo(root / "Week.md")
    with open_index(root, tmp_path / "index.sqlite") as index:
        index.scan()
        assert index.view.note("Week 2.md") is not None
        assert [(p.path, p.kind) for p in index.view.problems()] == [("Week.md", "not-a-file")]
