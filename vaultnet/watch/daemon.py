"""`vaultnet watch`: keep the index and the generated pages current while the user writes.

An event is a hint, never the truth (as in mkdocs serve, watchfiles, Syncthing): the event source
(`vaultnet.watch.events`) only queues paths; one worker waits for a quiet period, then
`Index.update` re-stats and hashes every queued path, and only the generators whose pages the
batch can change run again (`vaultnet.watch.schedule` decides what runs and what is owed).
Anything doubtful (a source that died, a kernel queue overflow, an error) queues a full rescan,
and a periodic rescan catches whatever events missed. vaultnet's own writes cause no work: dot
files (the writer's temp files) and the index's own files (should the index live inside the
vault) are ignored, and every page or block written is put in the index right away, so its event
finds the same hash and changes nothing. The output folder is watched like any folder: a note
the user keeps there is indexed at once, as `scan` would. The source starts before the catch-up
scan, so an edit saved while the daemon starts is queued, never missed.

Each batch reads the settings anew (a settings edit regenerates every page); while they are
invalid, the daemon says so once per change, in one line, and keeps the pages as they are.
After an edit, the generators that offer `urgent_pages` (the related notes) have those few pages
written first, then every affected generator runs in full, each one's pages written before the
next runs. A generator still computing when a newer edit is queued may stop (`Superseded`,
asked through `GenerateContext.stale`): it writes nothing, and runs again with the next batch
(or on its own if that batch changes nothing), so the pages converge once the vault is quiet.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from vaultnet.errors import ConfigError, IndexDamaged, VaultnetError
from vaultnet.index.scan import Index
from vaultnet.index.schema import damage
from vaultnet.pages.api import GenerateContext, Generator, UrgentPages
from vaultnet.pages.generate import GenerateReport, generate_pages, record_problems, write_urgent
from vaultnet.pages.plugins import LoadedGenerators
from vaultnet.people.carry import KeptPeople, carry_people
from vaultnet.session import load_settings, writing
from vaultnet.vault.config import Settings
from vaultnet.vault.model import Problem
from vaultnet.watch.events import (
    RESCAN,
    EventQueue,
    EventSource,
    WatchdogSource,
    can_be_note,
    index_files,
    overflow_rescans,
    quiet_watchdog,
)
from vaultnet.watch.options import WatchConfig, WatchOptions
from vaultnet.watch.schedule import Schedule, affected, describe, with_settings
from vaultnet.watch.signals import StopSignals

log = logging.getLogger("vaultnet.watch.daemon")
URGENT = "urgent"
"""How `Watcher.history` marks the pages written ahead of a full run."""


class Watcher:
    """The daemon's state: the queue, the event source and the worker that applies batches."""

    def __init__(
        self,
        index: Index,
        loaded: LoadedGenerators,
        options: WatchOptions,
        *,
        source: EventSource | None = None,
        settings: Settings | None = None,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.index = index
        self.loaded = loaded
        self.options = options
        self.clock = clock
        self._today = today
        self.events = EventQueue(index_files(index.root, index.path), clock)
        self.source: EventSource = source or WatchdogSource(
            index.root, polling=options.polling, interval=options.poll_interval
        )
        self.settings = settings or load_settings(index, [WatchConfig])
        self._config_error: tuple[str, Any] | None = None  # the error and the file, once
        self.problems: dict[str, list[Problem]] = {"plugins": list(loaded.problems)}
        self.batches = self.rescans = 0
        self.superseded = 0
        """Full runs a generator stopped because newer edits were queued."""
        self.schedule = Schedule(self.today(), clock())
        self.history: list[tuple[str, list[str]]] = []
        """(what changed, pages written or removed) of each batch, newest last (bounded); the
        urgent pages written ahead of a batch's full run have their own entry, marked
        `URGENT`, just before it."""
        self.stopping = threading.Event()
        """Set when the daemon is asked to stop (`run`'s event, or the daemon's from its start)."""
        self._rebuilt = False
        """The index was found damaged and rebuilt since the last `_generate`."""
        self._people: KeptPeople | None = None  # the last batch's people facts, for the next

    @property
    def polling(self) -> bool:
        return self.source.polling

    @property
    def date(self) -> dt.date:
        return self.schedule.date

    def today(self) -> dt.date:
        return self.options.today or self._today()

    # --- events --------------------------------------------------------------------------------

    def enqueue(self, paths: Iterable[str]) -> None:
        self.events.put(paths)

    def start_observer(self) -> None:
        self.source.start(self.events)

    def stop_observer(self) -> None:
        self.source.stop()

    # --- the worker ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching, then catch up: events during the catch-up are queued, not lost."""
        self.start_observer()
        self.catch_up()

    def catch_up(self) -> None:
        """What changed while the daemon was off, then every page, so pages are current now."""
        report = self.index.scan()
        if self._reload_settings():
            self._generate(self.loaded.generators, f"catch-up: {len(report.touched())} changed")

    def run(self, stop: threading.Event) -> None:
        """Apply batches until `stop` is set; the batch in progress is finished, but a long run
        (the related pass) stops at its next check, as for a newer edit."""
        self.stopping = stop
        while not stop.is_set():
            if not self.source.alive():
                log.warning("the file watcher stopped; restarting it and rescanning")
                self.source.stop()
                self.start_observer()
                self.enqueue([RESCAN])
            if self.schedule.rescan_due(self.clock(), self.options.rescan_every):
                self.schedule = self.schedule.rescanned(self.clock())
                self.enqueue([RESCAN])
            batch = self.events.take(stop, self.options.debounce)
            if batch:
                self.apply(batch)
                continue
            work = self.schedule.idle_work(self.clock(), self.today())
            if work == "new day":
                self.schedule = replace(self.schedule, date=self.today())
                self._generate(self.loaded.generators, f"new day {self.date}")
            elif work == "owed":
                self._generate(self._named(self.schedule.owed), "finishing what edits stopped")

    def apply(self, batch: set[str]) -> None:
        """Bring the index up to date for `batch`, then regenerate what it affects."""
        start = time.perf_counter()
        if RESCAN in batch:
            self.rescans += 1
            changed = set(self._safely(lambda: self.index.scan().touched(), "rescan") or [])
        else:
            changed = set(self._update(sorted(batch)))
        changed = with_settings(changed, batch)
        if not self._reload_settings():
            return
        new_day = self.today() != self.date
        self.schedule = replace(self.schedule, date=self.today())
        context = self._context()
        loaded = {g.name: g for g in self.loaded.generators}
        names = affected(
            loaded,
            changed,
            output_folder=self.settings.output_folder,
            new_day=new_day,
            affects=lambda name: self._affects(loaded[name], context, changed),
        )
        what = describe(changed)
        if changed:  # one context: the facts gathered for the urgent pages serve the full run
            self._write_urgent(self._named(names), context, changed, what)
        self._generate(self._named([*names, *self.schedule.owed]), what, start, context)

    def _named(self, names: Iterable[str]) -> list[Generator]:
        """The loaded generators of `names`, in the loaded order."""
        wanted = set(names)
        return [g for g in self.loaded.generators if g.name in wanted]

    def _reload_settings(self) -> bool:
        """Read the settings anew; when they are invalid, say so once per change (one line),
        keep the last valid ones and the pages as they are, and return False."""
        try:
            settings = load_settings(self.index, [WatchConfig])
        except ConfigError as error:
            if (str(error), self.index.config) != self._config_error:  # once per change
                log.error("%s; pages are kept as they are until it is fixed", error)
                self._config_error = (str(error), self.index.config)
            return False
        if self._config_error is not None:
            log.info("the settings are valid again")
            self._config_error = None
        self.settings = settings
        return True

    def _write_urgent(
        self, generators: list[Generator], context: GenerateContext, changed: set[str], what: str
    ) -> None:
        """Write the pages the change affects most (`UrgentPages`) ahead of the full runs."""
        for generator in generators:
            if not isinstance(generator, UrgentPages):
                continue
            start = time.perf_counter()
            try:
                pages = generator.urgent_pages(context, changed)
                if not pages:
                    continue
                written = write_urgent(self.index, self.settings, generator.name, pages).changed()
            except Exception as error:
                if not self._healed(error):
                    log.exception("generator %s failed on its urgent pages", generator.name)
                    self.index.writer.rollback()
                continue
            self.history = [*self.history[-99:], (f"{URGENT} {generator.name}: {what}", written)]
            log.info(
                "%s: %d urgent %s page%s written first (%.0f ms)",
                what,
                len(written),
                generator.name,
                "" if len(written) == 1 else "s",
                (time.perf_counter() - start) * 1000,
            )

    def _stale(self) -> bool:
        """Whether an edit is queued that can change the pages and that the index does not hold
        yet (the pages being computed are stale). Queued events of vaultnet's own writes are
        not: the index already holds those files as they are on disk. Nor are files that are
        not notes (an attachment a sync tool brings in); and a run that must finish
        (`Schedule.must_finish`) is let finish."""
        if self.stopping.is_set():
            return True
        if self.schedule.must_finish():
            return False
        queued = [p for p in self.events.snapshot() if p != RESCAN and can_be_note(p)]
        return any(self.index.differs(path) for path in queued)

    def _update(self, paths: list[str]) -> list[str]:
        touched = self._safely(lambda: self.index.update(paths).touched(), ", ".join(paths[:3]))
        if touched is not None:
            return touched
        # One file broke the batch: apply them one by one so the others still count.
        out: list[str] = []
        for path in paths:
            out += self._safely(lambda p=path: self.index.update([p]).touched(), path) or []  # type: ignore[misc]
        return out

    def _safely(self, work: Callable[[], list[str]], what: str) -> list[str] | None:
        try:
            return work()
        except Exception as error:
            if self._healed(error):
                return None
            log.exception("error while handling %s; going on", what)
            self.index.writer.rollback()
            return None

    def _healed(self, error: Exception) -> bool:
        """When `error` says the index is damaged: move it aside (one warning line) and build
        it again now; every generator then runs again (`_generate`). True; else False."""
        if not damage(error):
            return False
        self.index.heal(error if isinstance(error, IndexDamaged) else IndexDamaged(str(error)))
        self._rebuilt, self._people = True, None
        return True

    def _affects(self, generator: Generator, context: GenerateContext, changed: set[str]) -> bool:
        try:
            return bool(generator.affects(context, changed))
        except Exception as error:
            if not self._healed(error):
                log.exception("generator %s failed to say what it affects", generator.name)
            return True

    def _context(self) -> GenerateContext:
        context = GenerateContext(
            self.index.view, self.index.root, self.settings, self.date, self._stale
        )
        self._people = carry_people(self._people, context.gathering)
        return context

    def _generate(
        self,
        generators: list[Generator],
        what: str,
        start: float | None = None,
        context: GenerateContext | None = None,
    ) -> None:
        start = time.perf_counter() if start is None else start
        report = GenerateReport()
        failed = False
        if generators:  # `generate_pages` writes each generator's pages before the next runs
            try:
                report = generate_pages(
                    self.index,
                    self.settings,
                    generators,
                    self.date,
                    disabled=self.loaded.disabled,
                    block_quiet=self.options.block_quiet,
                    context=context or self._context(),
                )
                self.problems.update(report.problems)
                record_problems(self.index, self.problems)
            except Exception as error:
                failed = not self._healed(error)
                if failed and isinstance(error, VaultnetError):  # a full disk: one line
                    log.error("%s; going on", error)
                elif failed:
                    log.exception("error while generating pages; going on")
        if failed:  # pages may be stale: the next batch gathers anew
            self._people = None
        self.schedule = self.schedule.finished(
            [g.name for g in generators], report.superseded, self.clock(), failed=failed
        )
        if self._rebuilt:  # what ran read a damaged index: every generator is owed, now
            every = frozenset(g.name for g in self.loaded.generators)
            self.schedule, self._rebuilt = replace(self.schedule, owed=every, retry_at=0.0), False
        self.superseded += len(report.superseded)
        if report.superseded:
            what += f"; {', '.join(report.superseded)} stopped for newer edits"
        self.batches += 1
        written = report.changed()
        self.history = [*self.history[-99:], (what, written)]
        refused = report.paths("refused")
        quiet = not written and not refused and not generators  # e.g. our own writes echoing
        log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s; %d page%s written%s%s (%.0f ms)",
            what,
            len(written),
            "" if len(written) == 1 else "s",
            f" ({', '.join(written[:3])}{', ...' if len(written) > 3 else ''})" if written else "",
            f"; {len(refused)} refused (see doctor)" if refused else "",
            (time.perf_counter() - start) * 1000,
        )


def run_watch(
    root: Path, index_path: Path | None, options: WatchOptions, *, verbose: int = 0
) -> None:
    """The `watch` command: lock, clean up, catch up, watch until SIGINT/SIGTERM."""
    from vaultnet.index.scan import open_index

    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
    )
    if verbose < 2:
        quiet_watchdog()
    stop = threading.Event()
    signals = StopSignals(stop)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signals)
    try:
        with open_index(root, index_path) as index:
            settings = load_settings(index, [WatchConfig])
            with writing(index, settings, "watch") as loaded:
                if index_files(index.root, index.path):
                    log.warning(
                        "the index %s is inside the vault: a sync tool can corrupt it; its own "
                        "files are ignored, but keep it outside (the default) if you can",
                        index.path,
                    )
                options = settings.table(WatchConfig).applied(options)
                watcher = Watcher(index, loaded, options, settings=settings)
                watcher.stopping = stop  # a stop whose interrupt got lost still ends the catch-up
                for problem in watcher.problems["plugins"]:
                    log.warning("%s", problem.message)
                try:
                    with overflow_rescans(watcher.events):
                        watcher.start()
                        signals.at_once = False
                        log.info(
                            "watching %s (%s); Ctrl-C stops",
                            index.root,
                            "polling" if watcher.polling else "native events",
                        )
                        watcher.run(stop)
                finally:
                    watcher.stop_observer()
    except KeyboardInterrupt:
        pass
    log.info("stopped")
