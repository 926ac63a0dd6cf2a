"""The watcher with the built-in generators on a real vault and a real observer: after an edit
the edited note's related page is written first, then everything converges to exactly what a cold
`vaultnet generate` writes; a full run that newer edits make stale stops and starts over. Every
wait polls a condition until a timeout (a timeout is a failure, never a sleep standing in for a
check)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_watch import Daemon, atomic_save, wait_for

from vaultnet.errors import Superseded
from vaultnet.network.page import NetworkGenerator
from vaultnet.pages.api import GenerateContext, Generator, Page
from vaultnet.reconnect.page import ReconnectGenerator
from vaultnet.related.pages import RelatedGenerator
from vaultnet.watch.daemon import URGENT

pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

VAULT = {
    "Ideas/Referrals.md": "---\ntags: [networking]\n---\n"
    "Referrals come from weak ties. A customer referral is worth more than an ad.\n"
    "See [[Community]] and [[Weak ties]].\n",
    "Ideas/Customer value.md": "---\ntags: [networking]\n---\n"
    "Customer value grows when a customer refers a friend: referral, referral, customer.\n"
    "Also [[Community]] and [[Weak ties]].\n",
    "Ideas/Community.md": "Community over audience. [[Weak ties]] matter.\n",
    "Ideas/Weak ties.md": "Weak ties bring news. Granovetter studied them.\n",
    "Ideas/Hosting.md": "Small dinners build community; a host refers friends.\n",
    "Notes/Gardening.md": "Tomatoes need sun and water; compost helps. [[Compost]]\n",
    "Notes/Compost.md": "Compost: kitchen scraps, leaves, patience.\n",
    "Meetings/Jane lunch.md": "---\ndate: 2026-11-02\n---\nLunch with [[Jane Doe]] about weak ties.\n",
    "People/Jane Doe.md": "---\ncadence: 30\n---\nJane works on community.\n",
    "Templates/Idea.md": "---\ntags: [networking]\n---\nReferral customer community template\n",
    ".obsidian/templates.json": '{"folder": "Templates"}',
}
OUTPUT = "Vaultnet/"
TODAY = "2026-11-26"


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[[list[Generator]], Daemon]]:
    started: list[Daemon] = []

    def run(generators: list[Generator]) -> Daemon:
        root = tmp_path / "vault"
        for name, text in VAULT.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        # with every built-in page, as the cold `vaultnet generate` it is compared with
        started.append(Daemon(root, tmp_path / "index.sqlite", [*generators, NetworkGenerator()]))
        return started[-1]

    yield run
    for d in started:
        d.stop()


def files(root: Path) -> dict[str, bytes]:
    """Every file of the vault but vaultnet's locks."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".vaultnet" not in p.parts
    }


def cold_generate(root: Path, folder: Path) -> dict[str, bytes]:
    """Every file of a copy of the vault's notes after a cold `vaultnet generate`, run as its own
    process as a user runs it. (Run in this process beside the watcher's thread, it once made
    the watcher read its notes from the copy: `test_reading.py`.)"""
    copy = folder / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=lambda where, names: [n for n in names if n == "Vaultnet"])
    args = ["--vault", str(copy), "--index", str(folder / "cold.sqlite"), "generate"]
    command = [sys.executable, "-m", "vaultnet", *args, "--today", TODAY]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return files(copy)


def entries(d: Daemon, path: str) -> list[tuple[int, str, list[str]]]:
    """The watcher's history entries about a batch that holds `path`: (position, what, written)."""
    return [(n, what, out) for n, (what, out) in enumerate(d.watcher.history) if path in what]


def full_run(d: Daemon, path: str) -> tuple[int, str, list[str]]:
    """Wait for the full run of the batch that holds `path` (after its urgent pages)."""
    wait_for(lambda: [e for e in entries(d, path) if not e[1].startswith(URGENT)], "a full run")
    return next(e for e in entries(d, path) if not e[1].startswith(URGENT))


def related_page(name: str) -> str:
    return f"{OUTPUT}Related/{name} (related).md"


def first_suggestion(d: Daemon, name: str) -> str:
    text = (d.root / related_page(name)).read_text(encoding="utf-8")
    found = re.search(r"^- \[\[([^\]]+)\]\]", text, re.MULTILINE)
    assert found, text
    return found.group(1)


def test_the_edited_notes_page_comes_first_and_is_already_final(
    start: Callable[[list[Generator]], Daemon],
) -> None:
    d = start([ReconnectGenerator(), RelatedGenerator()])
    note = d.root / "Ideas/Hosting.md"
    # link the note to its best suggestion: its page must change (linked notes are no suggestion)
    best = first_suggestion(d, "Hosting")
    atomic_save(note, note.read_text() + f"See [[{best}]].\n")
    position, _, written = full_run(d, "Ideas/Hosting.md")
    urgent = [e for e in entries(d, "Ideas/Hosting.md") if e[1].startswith(URGENT)]
    assert len(urgent) == 1 and urgent[0][0] == position - 1, d.watcher.history
    assert related_page("Hosting") in urgent[0][2]  # written ahead of the full runs ...
    assert related_page("Hosting") not in written  # ... exactly as the full run computes it
    assert f"[[{best}]]" not in first_suggestion(d, "Hosting")
    assert d.watcher.superseded == 0  # the Reconnect page's own event stops nothing


def test_after_a_series_of_edits_every_file_equals_a_cold_generate(
    start: Callable[[list[Generator]], Daemon], tmp_path: Path
) -> None:
    d = start([ReconnectGenerator(), RelatedGenerator()])
    root = d.root
    atomic_save(root / "Ideas/Referrals.md", "Referrals, customers and hosts. [[Hosting]]\n")
    atomic_save(root / "Ideas/Dinners.md", "Dinners with [[Jane Doe]] build weak ties.\n")
    (root / "Notes/Compost.md").rename(root / "Ideas/Compost.md")
    (root / "Ideas/Weak ties.md").unlink()
    wait_for(lambda: not (root / related_page("Weak ties")).exists(), "a deleted note's page gone")
    atomic_save(root / "Ideas/Community.md", "Community: [[Dinners]], [[Compost]], hosting.\n")
    atomic_save(root / "People/Jane Doe.md", "---\ncadence: 14\n---\nJane hosts dinners.\n")
    expected = cold_generate(root, tmp_path)
    assert any(path.startswith(OUTPUT + "Related/") for path in expected)
    wait_for(lambda: files(root) == expected, "every file as a cold generate writes it")


class StoppedOnce(RelatedGenerator):
    """On its first full run after `arm`, the user saves `edit` and the run waits until the
    watcher has it queued: the run must stop and start over."""

    def __init__(self) -> None:
        super().__init__()
        self.edit: tuple[Path, str] | None = None
        self.stopped: list[bool] = []

    def generate(self, context: GenerateContext) -> list[Page]:
        if self.edit is not None:
            path, text = self.edit
            self.edit = None
            atomic_save(path, text)
            wait_for(context.stale, "the watcher to queue the save")
        try:
            return super().generate(context)
        except Superseded:
            self.stopped.append(True)
            raise


def test_a_full_run_made_stale_by_a_newer_edit_stops_and_starts_over(
    start: Callable[[list[Generator]], Daemon], tmp_path: Path
) -> None:
    related = StoppedOnce()
    d = start([ReconnectGenerator(), related])
    root = d.root
    related.edit = (root / "Ideas/Community.md", "Community: hosting, dinners. [[Hosting]]\n")
    atomic_save(root / "Ideas/Hosting.md", "Hosting small dinners, referrals. [[Referrals]]\n")
    _, what, written = full_run(d, "Ideas/Hosting.md")
    assert related.stopped == [True] and d.watcher.superseded == 1
    assert "related stopped for newer edits" in what
    assert not [p for p in written if p.startswith(OUTPUT + "Related/")]  # nothing stale written
    full_run(d, "Ideas/Community.md")  # the newer edit: urgent pages, then the full run again
    expected = cold_generate(root, tmp_path)
    wait_for(lambda: files(root) == expected, "every file as a cold generate writes it")


def test_a_stopped_run_is_finished_even_when_the_newer_save_changed_nothing(
    start: Callable[[list[Generator]], Daemon], tmp_path: Path
) -> None:
    related = StoppedOnce()
    d = start([ReconnectGenerator(), related])
    root = d.root
    same = (root / "Ideas/Community.md").read_text()
    related.edit = (root / "Ideas/Community.md", same)  # saved again as it was: a new mtime
    atomic_save(root / "Ideas/Hosting.md", "Hosting small dinners, referrals. [[Referrals]]\n")
    full_run(d, "Ideas/Hosting.md")
    assert related.stopped == [True]
    wait_for(lambda: "no change" in d.watcher.history[-1][0], "the batch of the same bytes")
    expected = cold_generate(root, tmp_path)
    wait_for(lambda: files(root) == expected, "every file as a cold generate writes it")


class SavesDuringEachRun(RelatedGenerator):
    """Each full run first saves the next of `saves` and waits until the watcher has queued it:
    a note saved during every run, or an attachment a sync tool brings in."""

    def __init__(self, pending: Callable[[], set[str]]) -> None:
        super().__init__()
        self.saves: list[tuple[Path, str]] = []
        self.pending = pending
        self.outcomes: list[str] = []

    def generate(self, context: GenerateContext) -> list[Page]:
        if self.saves:
            path, text = self.saves.pop(0)
            atomic_save(path, text)
            wait_for(lambda: any(path.as_posix().endswith(p) for p in self.pending()), "queued")
        try:
            pages = super().generate(context)
        except Superseded:
            self.outcomes.append("stopped")
            raise
        self.outcomes.append("finished")
        return pages


def test_an_attachment_arriving_does_not_stop_a_run(
    start: Callable[[list[Generator]], Daemon],
) -> None:
    d: Daemon | None = None
    related = SavesDuringEachRun(lambda: d.watcher.events.snapshot() if d else set())
    d = start([ReconnectGenerator(), related])
    related.saves = [(d.root / "Attachments/pasted.png", "not a note")]
    atomic_save(d.root / "Ideas/Hosting.md", "Hosting small dinners, referrals. [[Referrals]]\n")
    full_run(d, "Ideas/Hosting.md")
    assert related.outcomes[-1] == "finished" and "stopped" not in related.outcomes


def test_a_note_saved_during_every_run_stops_at_most_two_runs(
    start: Callable[[list[Generator]], Daemon], tmp_path: Path
) -> None:
    d: Daemon | None = None
    related = SavesDuringEachRun(lambda: d.watcher.events.snapshot() if d else set())
    d = start([ReconnectGenerator(), related])
    assert related.outcomes == ["finished"]  # the catch-up run
    related.saves = [
        (d.root / "Ideas/Community.md", f"Community, take {n}: hosting. [[Hosting]]\n")
        for n in range(4)
    ]
    atomic_save(d.root / "Ideas/Hosting.md", "Hosting small dinners, referrals. [[Referrals]]\n")
    wait_for(
        lambda: related.outcomes[1:4] == ["stopped", "stopped", "finished"], "a run let finish"
    )
    wait_for(
        lambda: not related.saves and related.outcomes[-1] == "finished", "the last save's run"
    )
    expected = cold_generate(d.root, tmp_path)
    wait_for(lambda: files(d.root) == expected, "every file as a cold generate writes it")
