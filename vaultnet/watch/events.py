"""File events as batches: an event source (watchdog's observer, or a scripted list in tests)
puts vault-relative paths in an `EventQueue`, which filters them and collects them until a quiet
period (the debounce). The only module that talks to watchdog."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from vaultnet.vault.files import is_editor_temp, is_settings

log = logging.getLogger("vaultnet.watch.events")
RESCAN = "\0rescan"
"""Queued instead of a path: rescan the whole vault."""


def can_be_note(path: str) -> bool:
    """A note, a settings file, or a folder (which may hold notes): not an attachment. A folder
    whose name has a dot counts as a file here: then a run goes on, and the next batch sees it."""
    name = path.rsplit("/", 1)[-1]
    return is_settings(path) or name.lower().endswith(".md") or "." not in name.lstrip(".")


def relevant(path: str) -> bool:
    """Whether a vault-relative path can matter: not a dot file or folder (but Obsidian's
    settings files are), not an editor temp file."""
    if is_settings(path):
        return True
    parts = path.split("/")
    return not (any(p.startswith(".") for p in parts) or is_editor_temp(parts[-1]))


def index_files(root: Path, index_path: Path) -> str | None:
    """The vault-relative path of the index when it lies inside the vault (its `-wal`, `-shm`
    and `-journal` files share it as a prefix), else None."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(index_path)
    if os.path.commonpath([real_root, real]) != real_root:
        return None
    return os.path.relpath(real, real_root).replace(os.sep, "/")


class EventQueue:
    """The paths events named since the last batch; `take` waits for a quiet period first."""

    def __init__(self, own_files: str | None, clock: Callable[[], float]) -> None:
        self._own = own_files
        """The index's own files, should the index live inside the vault: never queued."""
        self._clock = clock
        self._pending: set[str] = set()
        self._last_event = 0.0
        self._wake = threading.Condition()

    def put(self, paths: Iterable[str]) -> None:
        """Queue the paths that can matter (and `RESCAN`), and restart the quiet period."""
        own = self._own
        wanted = [
            p for p in paths if p == RESCAN or (relevant(p) and not (own and p.startswith(own)))
        ]
        if not wanted:
            return
        with self._wake:
            self._pending.update(wanted)
            self._last_event = self._clock()
            self._wake.notify()

    def take(self, stop: threading.Event, debounce: float) -> set[str]:
        """Wait (at most half a second) for events, then for `debounce` seconds of quiet; take
        the batch (empty when nothing came)."""
        with self._wake:
            if not self._pending:
                self._wake.wait(timeout=0.5)
            while self._pending and not stop.is_set():
                quiet = self._clock() - self._last_event
                if quiet >= debounce:
                    break
                self._wake.wait(timeout=debounce - quiet)
            batch, self._pending = self._pending, set()
        return batch

    def snapshot(self) -> set[str]:
        """What is queued now (for a run that asks whether newer edits wait)."""
        with self._wake:
            return set(self._pending)


class EventSource(Protocol):
    """Where file events come from: it puts vault-relative paths (or `RESCAN`) in the queue
    from `start` until `stop`."""

    polling: bool
    """Whether it polls the disk (costly on a large vault) rather than getting native events."""

    def start(self, events: EventQueue) -> None: ...

    def alive(self) -> bool:
        """False once it died (the watcher restarts it and rescans)."""
        ...

    def stop(self) -> None: ...


class WatchdogSource:
    """watchdog's observer on the vault folder: native events, or polling (asked for, or when
    the system's inotify limits are reached)."""

    def __init__(self, root: Path, *, polling: bool = False, interval: float = 1.0) -> None:
        self.root = root
        self.polling = polling
        self.interval = interval
        self._observer: Any = None

    def start(self, events: EventQueue) -> None:
        self._observer, self.polling = start_observer(
            self.root, events, polling=self.polling, interval=self.interval
        )

    def alive(self) -> bool:
        return self._observer is not None and bool(self._observer.is_alive())

    def stop(self) -> None:
        if self._observer is not None:
            stop_observer(self._observer)
            self._observer = None


def start_observer(
    root: Path, events: EventQueue, *, polling: bool, interval: float
) -> tuple[Any, bool]:
    """A started observer that queues `root`'s events in `events`, and whether it polls: native
    events unless `polling` is asked for or the system's inotify limits are reached."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    handler = _Handler(root, events)
    if not polling:
        try:
            observer: Any = Observer()
            observer.schedule(handler, str(root), recursive=True)
            observer.start()
            return observer, False
        except OSError as error:
            log.warning(
                "native file events unavailable (%s); polling instead, which costs more CPU "
                "on a large vault (raise fs.inotify.max_user_watches to avoid this)",
                error.strerror or error,
            )
    observer = PollingObserver(timeout=interval)
    observer.schedule(handler, str(root), recursive=True)
    observer.start()
    log.info("polling %s every %.1f s", root, interval)
    return observer, True


def stop_observer(observer: Any) -> None:
    observer.stop()
    observer.join(timeout=5)


class _Handler:
    """A watchdog handler that only queues vault-relative paths (it must never block or raise)."""

    def __init__(self, root: Path, events: EventQueue) -> None:
        self.events = events
        self.root = str(root)

    def dispatch(self, event: Any) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            # A folder's listing changed: the files that came, went or changed have their own
            # events. Queued, the folder was read again whole, every page in it, after each
            # batch that wrote pages (3,000 related pages: 0.6 s in the way of the next edit).
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        rel = [self._relative(os.fsdecode(p)) for p in paths if p]
        self.events.put(p for p in rel if p)

    def _relative(self, path: str) -> str | None:
        if not path.startswith(self.root + os.sep):
            return None
        return path[len(self.root) + 1 :].replace(os.sep, "/")


class OverflowListener(logging.Handler):
    """watchdog reports a kernel queue overflow only as a log warning: turn it into a rescan."""

    def __init__(self, events: EventQueue) -> None:
        super().__init__(logging.WARNING)
        self.events = events

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.events.put([RESCAN])


@contextmanager
def overflow_rescans(events: EventQueue) -> Iterator[None]:
    """While inside, a kernel queue overflow reported by watchdog queues a full rescan."""
    listener = OverflowListener(events)
    logging.getLogger("watchdog").addHandler(listener)
    try:
        yield
    finally:
        logging.getLogger("watchdog").removeHandler(listener)


def quiet_watchdog() -> None:
    """watchdog's own info and debug lines only with `-vv`."""
    logging.getLogger("watchdog").setLevel(logging.WARNING)
