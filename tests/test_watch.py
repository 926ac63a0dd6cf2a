"""The watcher on real vaults with real watchdog observers. Every wait is bounded: it polls the
condition until a timeout, and a timeout is a failure (never a sleep standing in for a check)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sample_generators import Dated, Follower, Footer, Listing, PerIdea

from vaultnet.index.scan import Index
from vaultnet.index.writer import IndexWriter
from vaultnet.network.page import NetworkGenerator
from vaultnet.pages.api import Generator
from vaultnet.pages.plugins import LoadedGenerators
from vaultnet.pages.write import is_pristine
from vaultnet.people.facts import people_facts
from vaultnet.watch.daemon import Watcher, WatchOptions
from vaultnet.watch.events import relevant

# watchdog warns (in its own thread) when a folder created twice in a row is watched again; with
# `filterwarnings = error` that warning would kill the observer thread in tests only.
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")
TIMEOUT = 45.0
"""How long a watcher test waits for what must happen (a bound, never a speed: on a loaded
machine a run takes seconds that a quiet one does in a fraction)."""
FAST = WatchOptions(dt.date(2026, 11, 26), debounce=0.05, rescan_every=0, poll_interval=0.1)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except (OSError, ValueError):
            result = None
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Daemon:
    """A watcher running in a thread, as `vaultnet watch` runs it."""

    def __init__(
        self,
        root: Path,
        index_path: Path,
        generators: list[Generator],
        options: WatchOptions = FAST,
        **kwargs: Any,
    ) -> None:
        self.root, self.index_path = root, index_path
        self.index = Index(root, index_path)
        self.watcher = Watcher(self.index, LoadedGenerators(generators, [], []), options, **kwargs)
        self.watcher.start()  # as `vaultnet watch` starts: observer first, then the catch-up
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop_event,))
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=10)
        self.watcher.stop_observer()
        self.index.close()

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        writer = IndexWriter(self.index_path)
        try:
            return _without_generate_problems(writer.dump())
        finally:
            writer.close()

    def dump_all(self) -> dict[str, list[tuple[Any, ...]]]:
        writer = IndexWriter(self.index_path)
        try:
            return writer.dump()
        finally:
            writer.close()

    def page(self, name: str = "Listing") -> str:
        path = self.root / "Vaultnet" / f"{name}.md"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def indexed(self, path: str) -> bool:
        return any(row[0] == path for row in self.dump()["files"])


def _without_generate_problems(dump: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    dump["problems"] = [p for p in dump["problems"] if p[-1] != "generate"]
    return dump


def cold_dump(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    with tempfile.TemporaryDirectory() as folder:
        index = Index(root, Path(folder) / "cold.sqlite")
        try:
            index.scan()
            return _without_generate_problems(index.writer.dump())
        finally:
            index.close()


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Callable[..., Daemon]]:
    started: list[Daemon] = []

    def start(
        files: dict[str, str | bytes],
        generators: list[Generator] | None = None,
        index_path: Path | None = None,
        **kw: Any,
    ) -> Daemon:
        root = tmp_path / f"vault{len(started)}"
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
        root.mkdir(exist_ok=True)
        d = Daemon(
            root,
            index_path or tmp_path / f"index{len(started)}.sqlite",
            generators or [Listing(), PerIdea()],
            **kw,
        )
        started.append(d)
        return d

    yield start
    for d in started:
        d.stop()


VAULT = {"People/Jane Doe.md": "Jane.\n", "Ideas/Gifts.md": "Introductions are gifts.\n"}


def atomic_save(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp-editor")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


# --- saves -----------------------------------------------------------------------------------


def test_pages_are_current_at_start_and_follow_atomic_saves(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT)
    assert "[[Jane Doe]]" in d.page() and "About [[Gifts]]" in d.page("About Gifts")
    (d.root / "Ideas").mkdir(exist_ok=True)
    atomic_save(d.root / "Ideas/Dinners.md", "Small dinners.\n")
    wait_for(lambda: "[[Dinners]]" in d.page(), "the new note on the page")
    wait_for(lambda: d.page("About Dinners"), "a page about the new idea")


def test_each_generators_pages_land_before_the_next_generator_runs(
    daemon: Callable[..., Daemon],
) -> None:
    follower = Follower()
    d = daemon(VAULT, [Listing(), follower])
    atomic_save(d.root / "Ideas/Dinners.md", "Small dinners.\n")
    wait_for(lambda: True in follower.saw_listing, "the follower to see the new Listing page")


def test_non_atomic_and_vim_style_saves(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT)
    note = d.root / "Ideas/Gifts.md"
    with note.open("w", encoding="utf-8") as handle:  # truncate, then two writes
        handle.write("---\ntitle: Gift")
        handle.flush()
        handle.write("s of time\n---\n")
    wait_for(lambda: "[[Gifts of time]]" in d.page(), "the title from the rewritten note")
    # vim: write a test file "4913", rename the note to a backup, write anew, delete the backup
    (d.root / "Ideas/4913").write_bytes(b"")
    (d.root / "Ideas/4913").unlink()
    note.rename(d.root / "Ideas/Gifts.md~")
    note.write_text("---\ntitle: Vim gifts\n---\n", encoding="utf-8")
    (d.root / "Ideas/Gifts.md~").unlink()
    wait_for(lambda: "[[Vim gifts]]" in d.page(), "the vim-saved title")
    wait_for(lambda: d.dump() == cold_dump(d.root), "index == cold rebuild")
    assert not d.indexed("Ideas/Gifts.md~") and not d.indexed("Ideas/4913")


def test_renames_moves_and_deletes(daemon: Callable[..., Daemon], tmp_path: Path) -> None:
    d = daemon(VAULT)
    (d.root / "People/Jane Doe.md").rename(d.root / "People/Jane Smith.md")
    wait_for(lambda: "[[Jane Smith]]" in d.page() and "[[Jane Doe]]" not in d.page(), "rename")
    outside = tmp_path / "outside"
    (outside / "Ideas2").mkdir(parents=True)
    (outside / "Ideas2/Moved in.md").write_text("hello\n")
    os.rename(outside / "Ideas2", d.root / "Ideas2")  # a folder moved in
    wait_for(lambda: "[[Moved in]]" in d.page(), "a note in a folder moved in")
    os.rename(d.root / "Ideas2", outside / "Back")  # and out again
    wait_for(lambda: "[[Moved in]]" not in d.page(), "the folder moved out")
    (d.root / "Ideas/Gifts.md").unlink()
    wait_for(
        lambda: not (d.root / "Vaultnet/About Gifts.md").exists(), "the page of a deleted idea"
    )
    wait_for(lambda: d.dump() == cold_dump(d.root), "index == cold rebuild")


@pytest.mark.slow
def test_a_burst_of_1000_files(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT)
    before = d.watcher.batches
    for n in range(1000):
        (d.root / "People" / f"Person {n:04}.md").write_text(f"Person {n}.\n")
    wait_for(lambda: "[[Person 0999]]" in d.page() and "[[Person 0000]]" in d.page(), "all 1000")
    wait_for(lambda: d.dump() == cold_dump(d.root), "index == cold rebuild", timeout=30)
    assert d.watcher.batches - before < 200  # debounced into batches, not one run per file


def test_nfc_and_nfd_names(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT)
    nfd = unicodedata.normalize("NFD", "Ideas/Café.md")
    (d.root / nfd).write_text("accents\n")
    (d.root / "People/Zoë.md").write_text("nfc\n")
    wait_for(lambda: unicodedata.normalize("NFC", d.page()).count("Café") == 1, "the NFD note")
    wait_for(lambda: "[[Zoë]]" in d.page(), "the NFC note")
    wait_for(lambda: d.dump() == cold_dump(d.root), "index == cold rebuild")


# --- bad input and errors --------------------------------------------------------------------


def test_malformed_files_are_reported_and_the_daemon_goes_on(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT)
    (d.root / "Ideas/Broken.md").write_text("---\ntags: [a, b\n---\nstill here\n")
    (d.root / "Ideas/Latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    (d.root / "Ideas/Later.md").write_text("fine\n")
    wait_for(lambda: "[[Later]]" in d.page(), "a good note after bad ones")
    kinds = {(p[0], p[2]) for p in d.dump()["problems"]}
    assert ("Ideas/Latin1.md", "undecodable") in kinds
    assert ("Ideas/Broken.md", "frontmatter-invalid") in kinds


def test_an_exception_while_handling_a_file_is_logged_and_the_rest_goes_on(
    daemon: Callable[..., Daemon], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import vaultnet.index.reading

    real = vaultnet.index.reading._read_and_parse

    def explode(reading: Any, item: tuple[str, str | None]) -> Any:
        if "Explode" in item[0]:
            raise RuntimeError("parser bug")
        return real(reading, item)

    class Raising(Listing):
        name = "raising"

        def affects(self, context: Any, changed: set[str]) -> bool:
            raise RuntimeError("affects bug")

    d = daemon(VAULT, [Listing(), Raising()])
    monkeypatch.setattr(vaultnet.index.reading, "_read_and_parse", explode)
    with caplog.at_level(logging.ERROR, logger="vaultnet.watch.daemon"):
        (d.root / "Ideas/Explode.md").write_text("boom\n")
        (d.root / "Ideas/Fine.md").write_text("fine\n")
        wait_for(lambda: "[[Fine]]" in d.page(), "the file beside the one that raised")
        wait_for(lambda: "Ideas/Explode.md" in caplog.text, "the error logged with the file name")
    assert "affects bug" in caplog.text or "raising" in caplog.text
    assert d.thread.is_alive()


NETWORK_VAULT = {
    "People/Jane Doe.md": "---\ncadence: 30\n---\nJane.\n",
    "Meetings/Lunch.md": "---\ndate: 2026-09-02\n---\nLunch with [[Jane Doe]].\n",
    "Ideas/Gifts.md": "Introductions are gifts.\n",
}
"""The Network page counts November's contacts: 0 here, 1 once `Meetings/Call.md` is added."""
CALL = "---\ndate: 2026-11-20\n---\nCall with [[Jane Doe]].\n"


class Gatherer:
    """A plugin that reads the people facts on every batch and writes no page."""

    name = "gatherer"

    def generate(self, context: Any) -> list[Any]:
        context.facts(people_facts)
        return []

    def affects(self, context: Any, changed: set[str]) -> bool:
        return True


@contextlib.contextmanager
def swapped(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, stand_in: Any
) -> Iterator[None]:
    """`owner.name` is `stand_in` inside the block, and what it was after it."""
    real = getattr(owner, name)
    monkeypatch.setattr(owner, name, stand_in)
    yield
    monkeypatch.setattr(owner, name, real)


def network_page_after(d: Daemon, broken: Callable[[], Any], *, then: str = "") -> None:
    """Add a November call while `broken()` is in force (the Network page cannot be made or
    written), then (with `then`, a file to touch first) edit an idea note: the page must come
    out counting the call, though the people facts are carried over by then."""
    wait_for(lambda: "| Nov 2026 (to the 26th) | 0 | 0 |" in d.page("Network"), "the page")
    batches = d.watcher.batches
    with broken():
        atomic_save(d.root / "Meetings/Call.md", CALL)
        wait_for(lambda: d.watcher.batches > batches, "the batch whose Network page fails")
    if then:
        batches = d.watcher.batches
        atomic_save(d.root / then, "a file\n")
        wait_for(lambda: d.watcher.batches > batches, "the batch of the other file")
    atomic_save(d.root / "Ideas/Gifts.md", "Introductions are gifts, and so are thanks.\n")
    wait_for(lambda: "| Nov 2026 (to the 26th) | 1 | 1 |" in d.page("Network"), "the page made")


def test_a_page_whose_generator_failed_is_made_again_when_the_facts_are_carried_over(
    daemon: Callable[..., Daemon], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Network page is left as it is when the people facts were carried over and the page
    stands as made from them; a failed run does not stand, nor does the next run that gathers
    the facts without making the page (here a plugin reading them on an attachment's batch)."""
    import vaultnet.network.page

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("network bug")

    def failing() -> contextlib.AbstractContextManager[None]:
        return swapped(monkeypatch, vaultnet.network.page, "network_of", broken)

    network_page_after(daemon(NETWORK_VAULT, [NetworkGenerator()]), failing)
    network_page_after(
        daemon(NETWORK_VAULT, [NetworkGenerator(), Gatherer()]), failing, then="Ideas/Photo.png"
    )


def test_a_page_whose_write_was_refused_is_made_again_when_the_facts_are_carried_over(
    daemon: Callable[..., Daemon], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync tool or an editor holding `Network.md` refuses its write (not a failure of the
    generator): the page does not stand as made, so the next batch makes it again."""
    import vaultnet.pages.write

    real = vaultnet.pages.write.replace_file

    def held(root: Path, target: Path, data: bytes, **kwargs: Any) -> Any:
        if target.name == "Network.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real(root, target, data, **kwargs)

    def refusing() -> contextlib.AbstractContextManager[None]:
        return swapped(monkeypatch, vaultnet.pages.write, "replace_file", held)

    network_page_after(daemon(NETWORK_VAULT, [NetworkGenerator()]), refusing)


def test_a_user_editing_a_generated_page_is_never_overwritten(
    daemon: Callable[..., Daemon],
) -> None:
    d = daemon(VAULT)
    page = d.root / "Vaultnet/Listing.md"
    edited = page.read_bytes() + b"my own line\n"
    page.write_bytes(edited)
    (d.root / "People/Sam.md").write_text("Sam.\n")
    wait_for(
        lambda: any(
            p[0] == "Vaultnet/Listing.md" and p[2] == "page-refused"
            for p in d.dump_all()["problems"]
        ),
        "the refusal reported",
    )
    assert page.read_bytes() == edited


def test_sync_conflict_copies_of_pages_are_removed(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT)
    copy = d.root / "Vaultnet/Listing.sync-conflict-20261124-101500-ABCDEFG.md"
    copy.write_bytes((d.root / "Vaultnet/Listing.md").read_bytes())
    wait_for(lambda: not copy.exists(), "the identical conflict copy removed")
    user_copy = d.root / "Ideas/Gifts.sync-conflict-20261124-101500-ABCDEFG.md"
    user_copy.write_text("the user's own conflict\n")
    (d.root / "People/Sam.md").write_text("Sam.\n")
    wait_for(lambda: "[[Sam]]" in d.page(), "a later change")
    assert user_copy.read_text() == "the user's own conflict\n"


def test_own_writes_never_trigger_work(daemon: Callable[..., Daemon]) -> None:
    options = WatchOptions(FAST.today, debounce=0.05, rescan_every=0, block_quiet=0.0)
    files = {**VAULT, "Ideas/Hosting.md": "---\nfooter: true\n---\nDinners.\n"}
    d = daemon(files, [Listing(), Footer()], options=options)
    assert "Footer for Hosting" in (d.root / "Ideas/Hosting.md").read_text()  # written at start
    (d.root / "People/Sam.md").write_text("Sam.\n")
    wait_for(lambda: "[[Sam]]" in d.page(), "a user change")
    (d.root / "People/Tom.md").write_text("Tom.\n")  # a sentinel after every earlier event
    wait_for(lambda: "[[Tom]]" in d.page(), "the sentinel")
    history = d.watcher.history
    assert "Ideas/Hosting.md" in history[0][1]
    for what, written in history[1:]:
        assert "Vaultnet/" not in what and "Hosting" not in what, history
        assert written in ([], ["Vaultnet/Listing.md"]), history


def test_a_note_the_user_keeps_in_the_output_folder_is_indexed(
    daemon: Callable[..., Daemon],
) -> None:
    # review finding 11: every output-folder event but conflict copies was dropped
    d = daemon(VAULT)
    (d.root / "Vaultnet/Standup.md").write_text("Standup with [[Jane Doe]]\n")
    wait_for(lambda: "[[Standup]]" in d.page(), "the user's note in the output folder")
    (d.root / "Vaultnet/Standup.md").unlink()
    wait_for(lambda: "[[Standup]]" not in d.page(), "its deletion")
    wait_for(lambda: d.dump() == cold_dump(d.root), "index == cold rebuild")


def test_an_index_inside_the_vault_does_not_feed_the_watcher(
    daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    # review finding 9: the index's own writes (-wal, -shm) were events: a batch per batch
    root = tmp_path / "vault0"
    d = daemon(VAULT, index_path=root / "vaultnet.sqlite")
    (d.root / "People/Sam.md").write_text("Sam.\n")
    wait_for(lambda: "[[Sam]]" in d.page(), "a user change")
    (d.root / "People/Tom.md").write_text("Tom.\n")  # a sentinel after the index was written
    wait_for(lambda: "[[Tom]]" in d.page(), "the sentinel")
    assert not [what for what, _ in d.watcher.history if "sqlite" in what], d.watcher.history


def test_an_edit_saved_while_the_daemon_starts_is_not_missed(
    daemon: Callable[..., Daemon], monkeypatch: pytest.MonkeyPatch
) -> None:
    # review finding 10: the catch-up scan ran before the observer existed
    real_scan = Index.scan

    def scan_then_the_user_saves(self: Index, *args: Any) -> Any:
        report = real_scan(self, *args)
        if not (self.root / "People/Ada.md").exists():
            (self.root / "People/Ada.md").write_text("Ada.\n")
        return report

    monkeypatch.setattr(Index, "scan", scan_then_the_user_saves)
    d = daemon(VAULT)  # periodic rescans are off: only an event can bring Ada in
    wait_for(lambda: "[[Ada]]" in d.page(), "the note saved during the catch-up")


# --- the observer ----------------------------------------------------------------------------


def test_a_dead_observer_is_restarted_and_the_vault_rescanned(
    daemon: Callable[..., Daemon],
) -> None:
    d = daemon(VAULT)
    d.watcher.source.stop()  # as if the observer thread died
    wait_for(lambda: d.watcher.rescans >= 1, "a rescan after the observer died")
    (d.root / "People/Sam.md").write_text("Sam.\n")
    wait_for(lambda: "[[Sam]]" in d.page(), "events again")


def test_an_event_overflow_triggers_a_full_rescan(daemon: Callable[..., Daemon]) -> None:
    from vaultnet.watch.events import OverflowListener

    d = daemon(VAULT)
    listener = OverflowListener(d.watcher.events)
    logger = logging.getLogger("watchdog.observers.inotify_c")
    logger.addHandler(listener)
    try:
        logger.warning("Inotify queue overflowed; filesystem events were lost")
    finally:
        logger.removeHandler(listener)
    wait_for(lambda: d.watcher.rescans >= 1, "a rescan after an overflow")


def test_polling_and_the_automatic_fallback(
    daemon: Callable[..., Daemon], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import watchdog.observers

    def no_watches(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers.Observer, "schedule", no_watches)
    with caplog.at_level(logging.WARNING, logger="vaultnet.watch.daemon"):
        d = daemon(VAULT)
    assert d.watcher.polling and "polling instead" in caplog.text
    (d.root / "People/Sam.md").write_text("Sam.\n")
    wait_for(lambda: "[[Sam]]" in d.page(), "a change seen by polling")


def test_the_date_changes_at_midnight(daemon: Callable[..., Daemon]) -> None:
    day = [dt.date(2026, 11, 26)]
    options = WatchOptions(None, debounce=0.05, rescan_every=0)
    d = daemon(VAULT, [Dated()], options=options, today=lambda: day[0])
    assert "2026-11-26" in d.page("Today")
    day[0] = dt.date(2026, 11, 27)
    wait_for(lambda: "2026-11-27" in d.page("Today"), "the page for the new day")


def test_periodic_rescans(daemon: Callable[..., Daemon]) -> None:
    d = daemon(VAULT, options=WatchOptions(FAST.today, debounce=0.05, rescan_every=0.2))
    wait_for(lambda: d.watcher.rescans >= 2, "two periodic rescans")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Ideas/A.md", True),
        (".obsidian/workspace.json", False),
        (".obsidian/app.json", True),
        (".vaultnet.toml", True),
        (".trash/A.md", False),
        ("Ideas/.A.md.123.vaultnet-tmp", False),
        ("Ideas/A.md~", False),
        ("Ideas/.A.md.swp", False),
        ("Vaultnet/.vaultnet-123-0.vaultnet-tmp", False),
        ("Vaultnet/Listing.md", True),
        ("Vaultnet/Listing.sync-conflict-20261124-101500-ABCDEFG.md", True),
        ("Vaultnetwork/A.md", True),
    ],
)
def test_relevant_paths(path: str, expected: bool) -> None:
    assert relevant(path) == expected


# --- the command -----------------------------------------------------------------------------


@pytest.mark.slow
def test_watch_command_lock_and_clean_stop(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / "Ideas").mkdir(parents=True)
    (root / "Ideas/A.md").write_text("a\n")
    (root / "Vaultnet").mkdir()
    (root / "Vaultnet/.Stale.md.999.vaultnet-tmp").write_bytes(b"half a pa")
    env = {**os.environ, "VAULTNET_INDEX": str(tmp_path / "index.sqlite")}
    base = [sys.executable, "-m", "vaultnet", "--vault", str(root)]
    proc = subprocess.Popen(
        [*base, "watch", "--today", "2026-11-26", "--debounce", "50"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: list[str] = []
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "watching" in line:
                break
        assert any("removed 1 temp file" in line for line in lines), lines
        second = subprocess.run(
            [*base, "generate"], env=env, capture_output=True, text=True, check=False
        )
        assert second.returncode == 1
        assert f"vaultnet watch (pid {proc.pid}" in second.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=20)[1]
    assert proc.returncode == 0 and "stopped" in out
    assert not list(root.rglob("*.vaultnet-tmp"))


# --- random edits while the daemon runs ------------------------------------------------------

NAMES = ["Ideas/A.md", "Ideas/B.md", "People/C.md", "People/D e.md", "Deep/x/E.md"]


class LiveVault(RuleBasedStateMachine):
    """Random create/edit/rename/delete while the daemon runs; then the index equals a cold
    rebuild and every user note holds exactly the bytes the test wrote."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.root = self.folder / "vault"
        self.root.mkdir()
        self.notes: dict[str, bytes] = {}
        self.daemon = Daemon(self.root, self.folder / "index.sqlite", [Listing(), PerIdea()])

    def _write(self, path: str, data: bytes, atomic: bool) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if atomic:
            temp = target.with_name(f".{target.name}.swp")
            temp.write_bytes(data)
            os.replace(temp, target)
        else:
            target.write_bytes(data)
        self.notes[path] = data

    @rule(path=st.sampled_from(NAMES), text=st.text(max_size=40), atomic=st.booleans())
    def write(self, path: str, text: str, atomic: bool) -> None:
        self._write(path, f"[[{text[:10]}]] {text}\n".encode("utf-8", "surrogatepass"), atomic)

    @rule(source=st.sampled_from(NAMES), dest=st.sampled_from(NAMES))
    def rename(self, source: str, dest: str) -> None:
        if source in self.notes and source != dest:
            (self.root / dest).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / source, self.root / dest)
            self.notes[dest] = self.notes.pop(source)

    @rule(path=st.sampled_from(NAMES))
    def delete(self, path: str) -> None:
        if path in self.notes:
            (self.root / path).unlink()
            del self.notes[path]

    @invariant()
    def daemon_alive(self) -> None:
        assert self.daemon.thread.is_alive()

    def teardown(self) -> None:
        try:
            wait_for(lambda: self.daemon.dump() == cold_dump(self.root), "index == cold rebuild")
            for path, data in self.notes.items():
                assert (self.root / path).read_bytes() == data
            pages = [
                p
                for p in self.root.rglob("*.md")
                if p.relative_to(self.root).parts[0] == "Vaultnet"
            ]
            assert all(is_pristine(p.read_bytes()) for p in pages)  # vaultnet's own output
        finally:
            self.daemon.stop()
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.mark.slow
def test_random_edits_while_the_daemon_runs() -> None:
    run_state_machine_as_test(
        LiveVault, settings=settings(max_examples=15, stateful_step_count=10, deadline=None)
    )
