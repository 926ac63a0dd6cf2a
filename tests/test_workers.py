"""Worker processes that never hang their caller (`vaultnet.workers`), on real forked processes."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import vaultnet.workers
from vaultnet.workers import parallel_map

PARENT = os.getpid()


def square(n: int) -> int:
    return n * n


def dies_on_seven(n: int) -> int:
    if n == 7 and os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-task (the OOM killer, a crash in C code)
    return n * n


def hangs_on_seven(n: int) -> int:
    if n == 7 and os.getpid() != PARENT:
        time.sleep(3600)
    return n * n


def raises_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("a bug in the work itself")
    return n


def slow_zero_then_raises_on_three(n: int) -> int:
    if n == 0:
        time.sleep(0.5)  # the first result comes after the error of a later item
    if n == 3:
        raise ValueError("item 3")
    return n


class Picky(Exception):
    """An error that pickles but cannot be rebuilt from its pickle (a custom `__init__`)."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


def picky_on_five(n: int) -> int:
    if n == 5:
        raise Picky("item 5", "a bug in the work itself")
    return n


def echo_size(blob: bytes) -> bytes:
    return blob + blob  # a large result for a large item


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is not alive
        return stat.read().split(") ")[-1][0] != "Z"


def test_results_in_order_as_map_gives_them() -> None:
    items = list(range(500))
    assert list(parallel_map(square, items, workers=2, chunksize=7)) == [n * n for n in items]
    assert list(parallel_map(square, [], workers=2, chunksize=7)) == []


def test_a_worker_that_dies_is_noticed_and_the_rest_done_here(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="vaultnet.workers"):
        results = list(parallel_map(dies_on_seven, list(range(40)), workers=2, chunksize=3))
    assert results == [n * n for n in range(40)]
    assert "worker processes failed" in caplog.text


def test_a_worker_that_hangs_is_given_up_after_the_bound(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vaultnet.workers, "WAIT_SECONDS", 1.0)
    start = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="vaultnet.workers"):
        results = list(parallel_map(hangs_on_seven, list(range(40)), workers=2, chunksize=3))
    assert results == [n * n for n in range(40)]
    assert time.monotonic() - start < 15
    assert "TimeoutError" in caplog.text


def test_an_error_in_the_work_is_raised_not_swallowed() -> None:
    with pytest.raises(ValueError, match="a bug in the work itself"):
        list(parallel_map(raises_on_seven, list(range(40)), workers=2, chunksize=3))


def test_workers_end_though_the_parent_ignores_sigterm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The daemon's own SIGTERM handler only sets a flag: a worker that inherited it would
    outlive `terminate()` (the hang of issue 15). Workers start with default handling, so
    SIGTERM ends them at once (no SIGKILL needed after the grace period)."""
    monkeypatch.setattr(vaultnet.workers, "STOP_SECONDS", 30.0)
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        import multiprocessing

        ranked = parallel_map(hangs_on_seven, list(range(40)), workers=2, chunksize=3)
        assert next(ranked) == 0
        pids = [p.pid for p in multiprocessing.active_children()]
        assert pids
        start = time.monotonic()
        ranked.close()  # the caller stops early, as a related pass does for a newer edit
        assert time.monotonic() - start < 5
        assert not any(alive(pid) for pid in pids)
    finally:
        signal.signal(signal.SIGTERM, previous)


PARENT_SCRIPT = """
import os, sys, time
sys.path.insert(0, {tests!r})
from vaultnet.workers import parallel_map
import test_workers
work = parallel_map(test_workers.hangs_on_seven, list(range(40)), workers=2, chunksize=3)
next(work)
import multiprocessing
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
time.sleep(3600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_quietly_with_their_parent(tmp_path: Path) -> None:
    script = PARENT_SCRIPT.format(tests=str(Path(__file__).parent))
    with subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as parent:
        assert parent.stdout is not None
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert pids
        parent.kill()  # kill -9: no cleanup of its own runs
        _, errors = parent.communicate(timeout=10)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in pids)
    assert "Traceback" not in errors


def big(n: int) -> bytes:
    return bytes(40_000_000)  # a result that takes a while to cross the pipe


INTERRUPTED_SCRIPT = """
import signal, sys
sys.path.insert(0, {tests!r})
from vaultnet.workers import parallel_map
import test_workers

def interrupt(signum, frame):
    raise KeyboardInterrupt

signal.signal(signal.SIGALRM, interrupt)
for delay in (0.05, 0.1, 0.15, 0.2, 0.3, 0.4):
    signal.setitimer(signal.ITIMER_REAL, delay)
    try:
        for _ in parallel_map(test_workers.big, list(range(12)), workers=2, chunksize=1):
            pass
    except KeyboardInterrupt:
        pass
    signal.setitimer(signal.ITIMER_REAL, 0)
print("exiting", flush=True)
"""


def test_an_interrupt_while_results_cross_the_pipe_leaves_nothing_to_wait_for_at_exit() -> None:
    """The CI hang of a daemon stopped during its catch-up: a Ctrl-C ended the workers while
    one was sending a result, and Python's exit then waited forever on `concurrent.futures`'
    manager thread, blocked reading the half-sent result. Interrupts land at several moments of
    a stream of large results; the process must end promptly every time."""
    script = INTERRUPTED_SCRIPT.format(tests=str(Path(__file__).parent))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "exiting" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_stop_signal_while_a_worker_is_forked_is_handled_after_the_fork() -> None:
    """Raised inside fork's hooks, the daemon's `KeyboardInterrupt` was printed and dropped
    (the catch-up then ran to its end); `_signals_held` brackets each fork."""
    seen: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda sig, _: seen.append(sig))
    try:
        with vaultnet.workers._signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            assert seen == []
        assert seen == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # the handler is back
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_worker_ended_before_it_set_its_own_signals_still_ends_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A SIGTERM that reaches a worker before `_worker_start` resets its signals must not meet
    the handler it inherited (the parent's: here one that ignores it, as the daemon's only sets
    a flag): the worker starts with the stop signals blocked, so the SIGTERM waits and ends it
    as soon as its own handling is set, well before the kill after `STOP_SECONDS`."""
    monkeypatch.setattr(vaultnet.workers, "STOP_SECONDS", 30.0)
    real = vaultnet.workers._worker_start

    def slow_start(parent: int) -> None:
        time.sleep(1.0)  # the window between the fork and the worker's own signal handling
        real(parent)

    monkeypatch.setattr(vaultnet.workers, "_worker_start", slow_start)
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        pool = vaultnet.workers._Pool(square, [[1], [2]], 2)
        pids = [worker.process.pid for worker in pool.workers]
        start = time.monotonic()
        pool.end()  # SIGTERM while both workers are still in their slow start
        assert time.monotonic() - start < 10
        assert not any(alive(pid) for pid in pids if pid is not None)
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_stop_signal_at_any_moment_around_a_fork_is_raised_once_and_leaves_no_trace() -> None:
    """One SIGINT from another thread at a random moment of entering, holding or leaving
    `_signals_held`, 300 times: each raises exactly one `KeyboardInterrupt`, and the handler and
    the signal mask are as they were (an interrupt between blocking the signals and the `try`
    had left them blocked for good, and every later Ctrl-C was lost)."""
    interrupts: list[int] = []

    def stop(sig: int, frame: Any) -> None:
        interrupts.append(sig)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, stop)
    rng = random.Random(7)
    try:
        for _ in range(300):
            go = threading.Event()
            delay = rng.uniform(0, 0.0003)

            def send(go: threading.Event = go, delay: float = delay) -> None:
                go.wait()
                time.sleep(delay)
                os.kill(os.getpid(), signal.SIGINT)

            sender = threading.Thread(target=send)
            sender.start()
            try:
                go.set()
                for _ in range(20_000):
                    with vaultnet.workers._signals_held():
                        pass
            except KeyboardInterrupt:
                pass
            while True:  # anything late is counted too
                try:
                    sender.join()
                    time.sleep(0.002)
                    break
                except KeyboardInterrupt:
                    pass
        assert len(interrupts) == 300
        assert signal.getsignal(signal.SIGINT) is stop
        assert not set(signal.pthread_sigmask(signal.SIG_BLOCK, [])) & {
            signal.SIGINT,
            signal.SIGTERM,
        }
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_error_comes_after_the_results_before_it_as_map_gives_them() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="item 3"):
        for n in parallel_map(
            slow_zero_then_raises_on_three, list(range(8)), workers=2, chunksize=1
        ):
            got.append(n)
    assert got == [0, 1, 2]


def test_an_error_that_cannot_be_rebuilt_is_raised_as_itself() -> None:
    """Its pickle fails to load in this process: the items are done here, which raises it."""
    with pytest.raises(Picky, match="item 5: a bug"):
        list(parallel_map(picky_on_five, list(range(12)), workers=2, chunksize=2))


def test_large_items_and_results_never_block_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Items of 300 KB (more than a pipe's buffer) and results of 600 KB: the caller sends only
    chunk numbers, so it never waits to write while a worker waits to send."""
    monkeypatch.setattr(vaultnet.workers, "WAIT_SECONDS", 10.0)
    items = [bytes([n]) * 300_000 for n in range(12)]
    start = time.monotonic()
    results = list(parallel_map(echo_size, items, workers=1, chunksize=1))
    assert results == [item + item for item in items]
    assert time.monotonic() - start < 10


def resident_mb(_: int = 0) -> int:
    """This process's resident anonymous memory (not the shared libraries' pages, which a
    forked worker counts only once it reads them)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("RssAnon"))
    return int(line.split()[1]) // 1024


@pytest.mark.skipif(vaultnet.workers._malloc_trim() is None, reason="glibc's malloc_trim")
def test_workers_do_not_count_the_memory_their_parent_freed() -> None:
    """numpy's freed temporaries stay in the C heap; a worker forked over them counted them as
    its own (at 100,000 notes, 100-250 MB of the first `generate`'s peak). They are handed back
    before the workers are forked."""
    import numpy as np

    held = [np.ones(12_000) for _ in range(400)]  # 96 KB each: from the heap, not mmap
    last = np.ones(12_000)  # so the freed blocks are not at the heap's top
    del held
    before = resident_mb()
    sizes = list(parallel_map(resident_mb, [1, 2], workers=2, chunksize=1))
    assert last.sum() and max(sizes) < before - 20, (before, sizes)
