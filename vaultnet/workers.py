"""Work spread over worker processes that can never hang their caller.

The cold scan's parsing and the related pass's ranking run here. Workers are forked, so they
inherit what the caller set up (the resolver, the related engine) without copying it through a
pipe. What keeps them from hanging the daemon:

- a worker starts with default signal handling: SIGTERM ends it (a restarted `vaultnet watch` once
  waited forever on workers that had inherited its SIGTERM handler), and Ctrl-C, which the
  terminal sends to the whole process group, is left to the parent, which ends its workers;
- a signal that arrives while a worker is forked is handled once the fork is done: raised inside
  fork's hooks (logging's lock), a Ctrl-C's `KeyboardInterrupt` was printed and lost;
- a worker dies with its parent (Linux: the kernel's parent-death signal; elsewhere it watches its
  parent), quietly, so a `kill -9` of the daemon leaves no orphan and no traceback in the log;
- the pool is a pipe per worker, read only by the caller's own thread: no background thread,
  so nothing is left to join at exit (`concurrent.futures` kept a manager thread that could
  block forever reading the half-sent result of a worker ended by a Ctrl-C, and the interpreter
  then waited for it at exit). The workers inherit the chunks, so
  the caller sends only chunk numbers: its writes are a few bytes and never wait on a worker
  busy sending a large result; each worker has its next chunk number waiting while it works;
- every wait is bounded (`WAIT_SECONDS` for the next results) and a worker that dies is noticed at
  once (its pipe ends): the problem is logged, the workers are ended, and what is left is done in
  this process, so the results are the same either way.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("vaultnet.workers")

WAIT_SECONDS = 120.0
"""The longest wait for a chunk's results; past it the pool is given up (a chunk is a few dozen
notes: seconds at most, even on 100,000 notes)."""
STOP_SECONDS = 2.0
"""How long ended workers get to exit before they are killed."""
_PR_SET_PDEATHSIG = 1


class WorkerLost(Exception):
    """A worker process ended before it sent the results of its chunk."""


def parallel_map(
    function: Callable[[T], R], items: list[T], *, workers: int, chunksize: int
) -> Generator[R, None, None]:
    """`map(function, items)`, in order, computed on `workers` forked processes (what `function`
    reads was set before the call, and the workers inherit it and the items; results come back
    through a pipe, so they must pickle). An error of the work is raised where `map` would
    raise it, after the results before it. A worker that dies, a result that cannot be read or
    a wait past `WAIT_SECONDS` ends the pool: the problem is logged and the items whose results
    did not come are done in this process. Closing the iterator early (the caller stops for
    newer edits, or a Ctrl-C unwinds it) ends the workers."""
    chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
    if not chunks:
        return
    done = 0
    pool = _Pool(function, chunks, min(workers, len(chunks)))
    try:
        ready: dict[int, tuple[list[R] | None, BaseException | None]] = {}
        sent = 0
        while done < len(chunks):
            while done not in ready:
                sent = pool.feed(sent, upto=min(done + AHEAD * workers, len(chunks)))
                index, results, error = pool.receive(WAIT_SECONDS)
                ready[index] = (results, error)
            results, error = ready.pop(done)
            if error is not None:
                raise error
            yield from results or ()
            done += 1
    except (WorkerLost, TimeoutError) as error:
        log.warning(
            "worker processes failed (%s: %s); doing the remaining %d of %d items in this process",
            type(error).__name__,
            error,
            sum(len(c) for c in chunks[done:]),
            len(items),
        )
        pool.end()
        for chunk in chunks[done:]:
            yield from map(function, chunk)
    finally:
        pool.end()


def cpu_count() -> int:
    """The cores this process may use."""
    return os.cpu_count() or 1


AHEAD = 2
"""Chunk numbers sent to a worker ahead of its results: the one it works on and the next."""


@dataclass
class _Worker:
    process: BaseProcess
    pipe: Connection
    chunks: deque[int] = field(default_factory=deque)
    """The chunks sent and not answered yet, in the order they were sent."""


class _Pool:
    """Forked workers, each behind its own pipe, driven from the caller's thread."""

    def __init__(
        self, function: Callable[[Any], Any], chunks: list[list[Any]], workers: int
    ) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        release_free_memory()
        try:
            for _ in range(workers):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_serve, args=(function, chunks, theirs, os.getpid()), daemon=True
                )
                with warnings.catch_warnings(), _signals_held():
                    # Python 3.12+ warns that forking a process that runs threads (the file
                    # observer) may deadlock the child: the bounded waits here are the answer.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    process.start()
                    # Known to `end` before a held Ctrl-C is raised again at the block's end.
                    self.workers.append(_Worker(process, ours))
                    theirs.close()  # so that a worker's death reads as the end of its pipe
        except BaseException:
            self.end()
            raise

    def feed(self, sent: int, *, upto: int) -> int:
        """Send the numbers of the next chunks below `upto`, up to `AHEAD` per worker; the count
        sent."""
        for worker in self.workers:
            while len(worker.chunks) < AHEAD and sent < upto:
                try:
                    worker.pipe.send(sent)
                except OSError as error:
                    raise WorkerLost(f"a worker process ended ({error})") from error
                worker.chunks.append(sent)
                sent += 1
        return sent

    def receive(self, timeout: float) -> tuple[int, list[Any] | None, BaseException | None]:
        """The next (chunk, results, error of the work) to come from any worker."""
        from multiprocessing.connection import wait

        busy = [worker for worker in self.workers if worker.chunks]
        ready = wait(
            [worker.pipe for worker in busy] + [worker.process.sentinel for worker in self.workers],
            timeout,
        )
        if not ready:
            raise TimeoutError(f"no results in {timeout:g} s")
        for worker in busy:
            if worker.pipe in ready:
                try:
                    index, results, error = worker.pipe.recv()
                except (EOFError, OSError) as lost:
                    raise WorkerLost(
                        f"a worker process ended while on chunk {worker.chunks[0]}"
                    ) from lost
                except Exception as unreadable:  # e.g. an error whose class does not unpickle
                    raise WorkerLost(
                        f"the results of chunk {worker.chunks[0]} could not be read "
                        f"({type(unreadable).__name__}: {unreadable})"
                    ) from unreadable
                worker.chunks.popleft()
                return index, results, error
        raise WorkerLost("a worker process ended")

    def end(self) -> None:
        """End the workers without waiting on their work: SIGTERM, then SIGKILL after
        `STOP_SECONDS`; reap them and close the pipes. Safe to call twice."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(STOP_SECONDS)
            worker.pipe.close()
        self.workers = []


def release_free_memory() -> None:
    """Hand the free pages of the C heap back to the system (glibc's `malloc_trim`; elsewhere
    nothing). numpy's temporaries, freed, stay in the heap, counted in this process's memory
    and in every worker forked from it: at 100,000 notes, 100-250 MB of the first `generate`'s
    peak (docs/benchmarks.md). Tens of milliseconds at most (65 ms handing back 700 MB)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, OSError, AttributeError):  # no ctypes, or a C library without it (musl)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return cast("Callable[[int], int]", trim)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM that arrive while a worker is forked are handled when the fork is
    done, on both sides of it.

    In this process: Python runs a signal's handler in the main thread between two steps of
    whatever runs there, and during a fork that is fork's own hooks, which print and drop an
    exception (the daemon's handler raises `KeyboardInterrupt` to stop: the stop was lost). So
    the handlers only note the signal meanwhile, and it is raised again after.

    In the worker: it starts with the signals blocked (the forking thread's mask), so one sent
    before it set its own handling (`_worker_start`, which unblocks them) waits for it instead of
    reaching the handler it inherited (a SIGTERM from `terminate()` was swallowed there, and the
    worker lived on until killed)."""
    held: list[int] = []
    replaced: dict[int, Any] = {}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, []) if _MASKS else set()  # asks only
    try:
        # The noting handlers go in before the mask changes and come out after it is back, so
        # no handler that raises can run between the two (a Ctrl-C raised there had left the
        # signals blocked for good).
        if threading.current_thread() is threading.main_thread():  # only it may set handlers
            _set_handlers({sig: lambda s, _: held.append(s) for sig in _STOPS}, replaced)
        if _MASKS:
            signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        yield
    finally:
        if _MASKS:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [s for s in _STOPS if s not in blocked])
        _set_handlers(replaced, {})
        for caught in held:
            signal.raise_signal(caught)


def _set_handlers(handlers: dict[int, Any], replaced: dict[int, Any]) -> None:
    """Set each signal's handler, noting in `replaced` what it replaced. Python runs the
    handlers of signals that are due when a handler is set, and one may raise (the daemon's
    Ctrl-C): every handler is set all the same, and the first such error is raised after."""
    error: BaseException | None = None
    for sig, handler in handlers.items():
        replaced.setdefault(sig, signal.getsignal(sig))
        for _ in range(3):
            try:
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)
                break
            except BaseException as raised:  # a due handler's error: raised below
                error = error or raised
    if error is not None:
        raise error


_STOPS = (signal.SIGINT, signal.SIGTERM)
_MASKS = hasattr(signal, "pthread_sigmask")


def _serve(
    function: Callable[[Any], Any], chunks: list[list[Any]], pipe: Connection, parent: int
) -> None:
    """A worker's life: chunk numbers in, results (or the work's error) out, until the pipe
    ends."""
    _worker_start(parent)
    while True:
        try:
            index = pipe.recv()
        except (EOFError, OSError):
            return
        try:
            pipe.send((index, [function(item) for item in chunks[index]], None))
        except Exception as error:
            error.add_note(f"in a worker process:\n{traceback.format_exc()}")
            try:
                pipe.send((index, None, error))
            except Exception:  # an error that does not pickle still reaches the caller
                pipe.send((index, None, RuntimeError(traceback.format_exc())))


def _worker_start(parent: int) -> None:
    """Run first in every worker: default signals, and an exit when the parent is gone."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent hears Ctrl-C and ends its workers
    if _MASKS:  # blocked since the fork (`_signals_held`): a SIGTERM sent meanwhile ends it now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
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
