"""Writes that finish behind their caller, each on a thread of its own.

Saving the related corpus streams 45 MB at 10,000 notes (0.5 GB at 100,000) through an HMAC and
onto the disk, and both release the GIL: behind `generate`'s next pages (the Network and
Reconnect pages), it costs that command almost nothing, where it cost 0.1-0.2 s in line.

`Behind(name, write)` runs `write()` on a thread at once. Whoever needs what it wrote waits with
`result()` (its return value; None when it raised, which is logged). `settle()` waits for every
write still running: `generate_pages` settles before it returns, so once a run of the generators
is over, everything they wrote is on disk, and what reads it next (the next command, a test)
finds it whole. The threads are not daemons: an interpreter that ends first still waits for
them, so a write is never cut off halfway (it would only leave a temporary file, but the next
process would then start without it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

_running: set[Behind[Any]] = set()
_lock = threading.Lock()


class Behind(Generic[T]):
    """`write()`, running on a thread named `name` from the moment this is made."""

    def __init__(self, name: str, write: Callable[[], T]) -> None:
        self._write: Callable[[], T] | None = write
        self._result: T | None = None
        self._thread = threading.Thread(target=self._run, name=name)
        with _lock:
            _running.add(self)
        try:
            self._thread.start()
        except BaseException:  # no thread (none left to start, or a Ctrl-C): nothing runs
            with _lock:
                _running.discard(self)
            raise

    def _run(self) -> None:
        try:
            assert self._write is not None
            self._result = self._write()
        except Exception:
            log.exception("%s failed", self._thread.name)
        finally:
            self._write = None  # what it wrote is not kept alive until the next settle
            with _lock:
                _running.discard(self)

    def result(self) -> T | None:
        """What `write()` returned, once it has (None when it raised)."""
        self._thread.join()
        return self._result


def settle() -> None:
    """Wait for every write still running."""
    with _lock:
        running = list(_running)
    for write in running:
        write.result()
