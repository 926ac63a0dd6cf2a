"""Work spread over worker processes that can never hang their caller.

The cold scan's parsing and the related pass's ranking run here. Workers are forked, so they
inherit what the caller set up (the resolver, the related engine) without copying it through a
pipe. What keeps them from hanging the daemon (a restarted `vaultnet watch` once waited forever on
a pool whose workers had inherited its SIGTERM handler and so ignored `terminate()`):

- a worker starts with default signal handling: SIGTERM ends it, and Ctrl-C, which the terminal
  sends to the whole process group, is left to the parent, which ends its workers;
- a worker dies with its parent (Linux: the kernel's parent-death signal; elsewhere it watches its
  parent), quietly, so a `kill -9` of the daemon leaves no orphan and no traceback in the log;
- every wait is bounded (`WAIT_SECONDS` for the next results) and a worker that dies is noticed at
  once (`concurrent.futures` marks the pool broken): the problem is logged, the workers are ended,
  and what is left is done in this process, so the results are the same either way.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("vaultnet.workers")

WAIT_SECONDS = 120.0
"""The longest wait for a chunk's results; past it the pool is given up (a chunk is a few dozen
notes: seconds at most, even on 100,000 notes)."""
STOP_SECONDS = 2.0
"""How long ended workers get to exit before they are killed."""
_PR_SET_PDEATHSIG = 1


def parallel_map(
    function: Callable[[T], R], items: list[T], *, workers: int, chunksize: int
) -> Generator[R, None, None]:
    """`map(function, items)`, in order, computed on `workers` forked processes (`function` must
    be a module-level function; module state set before the call reaches the workers). A worker
    that dies or a wait past `WAIT_SECONDS` ends the pool: the problem is logged and the items
    whose results did not come are done in this process. Closing the iterator early (the caller
    stops for newer edits) ends the workers."""
    chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
    done = 0
    executor = _executor(workers)
    try:
        pending: deque[Future[list[R]]] = deque()
        while done < len(chunks):
            while done + len(pending) < len(chunks) and len(pending) < 2 * workers:
                pending.append(_submit(executor, function, chunks[done + len(pending)]))
            results = pending.popleft().result(timeout=WAIT_SECONDS)
            done += 1
            yield from results
    except Exception as error:
        if not _is_pool_failure(error):
            raise
        log.warning(
            "worker processes failed (%s); doing the remaining %d of %d items in this process",
            type(error).__name__ if str(error) == "" else f"{type(error).__name__}: {error}",
            sum(len(c) for c in chunks[done:]),
            len(items),
        )
        end_workers(executor)
        for chunk in chunks[done:]:
            yield from map(function, chunk)
    finally:
        end_workers(executor)


def cpu_count() -> int:
    """The cores this process may use."""
    return os.cpu_count() or 1


def _executor(workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )


def _submit(
    executor: ProcessPoolExecutor, function: Callable[[T], R], chunk: list[T]
) -> Future[list[R]]:
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process that runs threads (the file observer) may
        # deadlock the child: the bounded waits of `parallel_map` are the answer to that.
        warnings.simplefilter("ignore", DeprecationWarning)
        return executor.submit(_run_chunk, function, chunk)


def _run_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def _is_pool_failure(error: Exception) -> bool:
    """A failure of the pool itself (a dead worker, a wait past its bound), not of the work."""
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(error, BrokenProcessPool | FutureTimeout | TimeoutError)


def end_workers(executor: ProcessPoolExecutor) -> None:
    """Stop `executor` without waiting on its workers: cancel what has not started, end the
    workers (SIGTERM, then SIGKILL after `STOP_SECONDS`) and reap them."""
    processes: dict[int, Any] = dict(getattr(executor, "_processes", None) or {})
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes.values():
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(STOP_SECONDS)


def _worker_start(parent: int) -> None:
    """Run first in every worker: default signals, and an exit when the parent is gone."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent hears Ctrl-C and ends its workers
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the above took hold
        os._exit(0)


def _die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)  # quietly: no traceback from a pipe whose reader is gone
