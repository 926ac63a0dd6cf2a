"""Writes behind their caller (`vaultnet.behind`): a result once written, a failure logged, and
`settle` waiting for every write still running."""

from __future__ import annotations

import logging
import threading

import pytest

from vaultnet.behind import Behind, settle


def test_a_write_behind_gives_its_result_once_done() -> None:
    release = threading.Event()
    done: list[str] = []

    def write() -> int:
        release.wait(10)
        done.append("written")
        return 7

    writing = Behind("a test write", write)
    assert not done  # still held: the caller went on
    release.set()
    assert writing.result() == 7 and done == ["written"]


def test_a_failed_write_is_logged_and_gives_none(caplog: pytest.LogCaptureFixture) -> None:
    def write() -> int:
        raise OSError("disk full")

    with caplog.at_level(logging.ERROR, logger="vaultnet.behind"):
        assert Behind("saving the test file", write).result() is None
    assert "saving the test file failed" in caplog.text and "disk full" in caplog.text


def test_settle_waits_for_every_write_still_running() -> None:
    releases = [threading.Event(), threading.Event()]
    written: list[int] = []

    def write(n: int) -> None:
        releases[n].wait(10)
        written.append(n)

    for n in range(2):
        Behind(f"write {n}", lambda n=n: write(n))
    settled = threading.Event()
    waiter = threading.Thread(target=lambda: (settle(), settled.set()))
    waiter.start()
    releases[1].set()
    assert not settled.wait(0.2)  # write 0 is still held
    releases[0].set()
    assert settled.wait(10)
    waiter.join()
    assert sorted(written) == [0, 1]
    settle()  # nothing left: returns at once


def test_a_write_whose_thread_cannot_start_leaves_nothing_to_wait_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Was: it stayed among the running writes, and every later `settle` raised."""

    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with monkeypatch.context() as patched:
        patched.setattr(threading.Thread, "start", no_thread)
        with pytest.raises(RuntimeError, match="can't start new thread"):
            Behind("a write with no thread", lambda: 1)
    settle()  # nothing is waited for
    assert Behind("the next write", lambda: 2).result() == 2
