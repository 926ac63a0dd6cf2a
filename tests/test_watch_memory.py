"""The watcher's heap between batches (`vaultnet.watch.memory`): tidied once the vault is quiet
(a full collection, then frozen), kept frozen by `bulk_records`, and handed back at stop; cyclic
garbage made between two tidies is collected by the second, never kept."""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from sample_generators import Listing

from vaultnet.index.scan import Index
from vaultnet.pages.plugins import LoadedGenerators
from vaultnet.people.contacts import bulk_records
from vaultnet.watch.daemon import Watcher, WatchOptions
from vaultnet.watch.memory import release, tidy
from vaultnet.watch.schedule import TIDY_SECONDS

DAY = dt.date(2026, 11, 26)


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    release()
    yield
    release()


def test_a_tidy_freezes_what_survives_and_collects_the_cycles_made_since_the_last() -> None:
    kept = Cycle()
    tidy()
    assert gc.get_freeze_count() > 0
    garbage = Cycle()
    gone = weakref.ref(garbage)
    del garbage
    gc.collect()  # made after the tidy: not frozen, collected as ever
    assert gone() is None
    old = Cycle()
    tidy()  # now frozen, with `old` among what survived
    gone = weakref.ref(old)
    del old
    gc.collect()
    assert gone() is not None  # a frozen cycle waits for the next tidy ...
    tidy()
    assert gone() is None  # ... which collects it
    assert kept.me is kept


@pytest.mark.parametrize("frozen", [False, True])
def test_bulk_records_leave_a_frozen_heap_frozen_and_an_unfrozen_one_unfrozen(
    frozen: bool,
) -> None:
    if frozen:
        tidy()
    with bulk_records():
        records = [(n, str(n)) for n in range(10_000)]
    assert (gc.get_freeze_count() > 0) is frozen
    assert len(records) == 10_000


def test_the_watcher_tidies_after_a_quiet_spell_and_hands_the_heap_back_at_stop(
    tmp_path: Path,
) -> None:
    root = tmp_path / "vault"
    (root / "Ideas").mkdir(parents=True)
    (root / "Ideas/Gifts.md").write_text("Gifts.\n", encoding="utf-8")
    now = [1000.0]
    index = Index(root, tmp_path / "index.sqlite")
    watcher = Watcher(
        index,
        LoadedGenerators([Listing()], [], []),
        WatchOptions(DAY, debounce=0, rescan_every=0),
        clock=lambda: now[0],
    )
    watcher.start()  # the catch-up is a batch: a tidy is due once the vault is quiet
    stop = threading.Event()
    runner = threading.Thread(target=watcher.run, args=(stop,))
    runner.start()
    try:
        time.sleep(1.0)  # quiet, but not for long on the watcher's clock
        assert gc.get_freeze_count() == 0 and watcher.schedule.last_batch == 1000.0
        now[0] += TIDY_SECONDS
        deadline = time.monotonic() + 10
        while watcher.schedule.last_batch is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert watcher.schedule.last_batch is None
        assert gc.get_freeze_count() > 0
    finally:
        stop.set()
        runner.join(timeout=10)
        watcher.stop_observer()
        index.close()
    assert gc.get_freeze_count() == 0
