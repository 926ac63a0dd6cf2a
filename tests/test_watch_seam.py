"""The watcher without watchdog: its decisions as pure data (`vaultnet.watch.schedule`, case
file `tests/cases/watch/schedule.yaml`), and the daemon driven by a scripted event source, as
watchfiles' own tests swap the OS layer for a list of changes. (Real observers on real folders:
`test_watch.py`.)"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from sample_generators import Dated, Listing, PerIdea
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from vaultnet.index.scan import Index
from vaultnet.pages.plugins import LoadedGenerators
from vaultnet.watch.daemon import Watcher, WatchOptions
from vaultnet.watch.events import RESCAN, EventQueue, _Handler
from vaultnet.watch.schedule import Schedule, affected

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "watch" / "schedule.yaml").read_text())
DAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_schedule_case(case: dict[str, Any]) -> None:
    schedule = Schedule(DAY, 0.0)
    for step in case["steps"]:
        if "finished" in step:
            f = step["finished"]
            schedule = schedule.finished(
                f["ran"], f["stopped"], f["now"], failed=f.get("failed", False)
            )
        elif "rescanned" in step:
            schedule = schedule.rescanned(step["rescanned"])
        else:
            check(schedule, step["expect"])


def check(schedule: Schedule, expect: dict[str, Any]) -> None:
    for key, wanted in expect.items():
        if key == "owed":
            assert sorted(schedule.owed) == wanted
        elif key == "idle_work_at":
            now, work = wanted
            assert schedule.idle_work(now, DAY) == work
        elif key == "idle_work_on":
            day, now, work = wanted
            assert schedule.idle_work(now, dt.date.fromisoformat(day)) == work
        elif key == "must_finish":
            assert schedule.must_finish() is wanted
        elif key == "rescan_due":
            (now, every), due = wanted
            assert schedule.rescan_due(now, every) is due
        else:
            assert getattr(schedule, key) == wanted, key


@pytest.mark.parametrize(
    ("changed", "new_day", "expected"),
    [
        (set(), False, []),
        ({"People/Jane.md"}, False, ["listing"]),
        ({"Ideas/A.md"}, False, ["listing", "per-idea"]),
        ({"Vaultnet/Listing.md"}, False, ["listing", "per-idea", "dated"]),  # maybe theirs
        ({".vaultnet.toml"}, False, ["listing", "per-idea", "dated"]),  # the settings changed
        ({".obsidian/app.json"}, False, ["listing", "per-idea", "dated"]),
        (set(), True, ["listing", "per-idea", "dated"]),
    ],
)
def test_what_a_batch_affects(changed: set[str], new_day: bool, expected: list[str]) -> None:
    affects = {
        "listing": lambda: True,
        "per-idea": lambda: any(p.startswith("Ideas/") for p in changed),
        "dated": lambda: False,
    }
    found = affected(
        affects, changed, output_folder="Vaultnet", new_day=new_day, affects=lambda n: affects[n]()
    )
    assert found == expected


@dataclass
class ListSource:
    """An event source fed from a list of changes (each a list of vault paths)."""

    changes: list[list[str]]
    polling: bool = False
    started: int = 0
    stopped: bool = False
    events: EventQueue | None = field(default=None, repr=False)

    def start(self, events: EventQueue) -> None:
        self.events, self.started, self.stopped = events, self.started + 1, False

    def alive(self) -> bool:
        return not self.stopped

    def stop(self) -> None:
        self.stopped = True

    def emit(self) -> None:
        """Queue the next scripted change."""
        assert self.events is not None
        self.events.put(self.changes.pop(0))


@pytest.fixture
def scripted(tmp_path: Path) -> Iterator[Any]:
    opened: list[Index] = []

    def make(files: dict[str, str], changes: Iterable[list[str]]) -> tuple[Watcher, ListSource]:
        root = tmp_path / "vault"
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        index = Index(root, tmp_path / "index.sqlite")
        opened.append(index)
        source = ListSource(list(changes))
        loaded = LoadedGenerators([Listing(), PerIdea(), Dated()], [], [])
        watcher = Watcher(index, loaded, WatchOptions(DAY, debounce=0), source=source)
        watcher.start()
        return watcher, source

    yield make
    for index in opened:
        index.close()


def step(watcher: Watcher) -> None:
    """Apply what is queued, as one turn of `Watcher.run` does."""
    batch = watcher.events.take(threading.Event(), 0)
    assert batch, "nothing was queued"
    watcher.apply(batch)


def test_a_scripted_edit_regenerates_only_what_it_affects(scripted: Any) -> None:
    watcher, source = scripted(
        {"People/Jane.md": "Jane.\n", "Ideas/Gifts.md": "Gifts.\n"},
        [["People/Sam.md"], ["Ideas/Tea.md"]],
    )
    root = watcher.index.root
    assert source.started == 1
    assert watcher.history[-1][1] == sorted(
        ["Vaultnet/About Gifts.md", "Vaultnet/Listing.md", "Vaultnet/Today.md"]
    )
    (root / "People/Sam.md").write_text("Sam.\n", encoding="utf-8")
    source.emit()
    step(watcher)
    assert watcher.history[-1] == ("1 changed (People/Sam.md)", ["Vaultnet/Listing.md"])
    (root / "Ideas/Tea.md").write_text("Tea.\n", encoding="utf-8")
    source.emit()
    step(watcher)
    assert watcher.history[-1][1] == ["Vaultnet/About Tea.md", "Vaultnet/Listing.md"]
    assert "[[Tea]]" in (root / "Vaultnet/Listing.md").read_text(encoding="utf-8")


def test_events_of_its_own_writes_change_nothing(scripted: Any) -> None:
    watcher, source = scripted({"Ideas/Gifts.md": "Gifts.\n"}, [["Vaultnet/Listing.md"]])
    before = (watcher.index.root / "Vaultnet/Listing.md").read_bytes()
    source.emit()  # the echo of the catch-up's own write
    step(watcher)
    assert watcher.history[-1] == ("no change", [])
    assert (watcher.index.root / "Vaultnet/Listing.md").read_bytes() == before


def test_a_dead_source_is_restarted_and_the_vault_rescanned(scripted: Any) -> None:
    watcher, source = scripted({"Ideas/Gifts.md": "Gifts.\n"}, [])
    source.stop()  # as if the observer thread died
    (watcher.index.root / "Ideas/Tea.md").write_text("Tea.\n", encoding="utf-8")  # unseen
    stop = threading.Event()
    runner = threading.Thread(target=watcher.run, args=(stop,))
    runner.start()
    try:
        for _ in range(200):
            if watcher.rescans:
                break
            threading.Event().wait(0.02)
    finally:
        stop.set()
        runner.join(timeout=10)
    assert source.started == 2 and watcher.rescans >= 1
    assert RESCAN not in watcher.events.snapshot()
    assert (watcher.index.root / "Vaultnet/About Tea.md").exists()


@pytest.mark.parametrize(
    ("kind", "paths", "queued"),
    [
        (FileModifiedEvent, ["Ideas/A.md"], {"Ideas/A.md"}),
        (FileMovedEvent, ["Ideas/A.md", "Ideas/B.md"], {"Ideas/A.md", "Ideas/B.md"}),
        (DirMovedEvent, ["Ideas", "Notes"], {"Ideas", "Notes"}),  # read whole
        (DirCreatedEvent, ["Moved in"], {"Moved in"}),
        # a folder's listing changed: its files have their own events (every page written in
        # the output folder brought one, and the folder was read again whole)
        (DirModifiedEvent, ["Vaultnet/Related"], set()),
        (FileOpenedEvent, ["Ideas/A.md"], set()),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_which_file_events_are_queued(
    kind: type, paths: list[str], queued: set[str], tmp_path: Path
) -> None:
    events = EventQueue(None, lambda: 0.0)
    _Handler(tmp_path, events).dispatch(kind(*(str(tmp_path / p) for p in paths)))
    assert events.snapshot() == queued
