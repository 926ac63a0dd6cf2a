"""Watcher latency and idle CPU on the 10k-note synthetic vault.

    python benchmarks/watch_bench.py [--notes 10000] [--edits 100] [--idle 10]
    python benchmarks/watch_bench.py --related [--notes 10000] [--related-edits 10]
    python benchmarks/watch_bench.py --carry [--notes 10000] [--related-edits 8] [--max-pages 0]
        [--pause 6]

Latency: a note is saved (atomic rename, as editors do), and the clock runs until the generated page
that depends on it holds the new value; the debounce is subtracted. The vault is a copy, so the
cached synthetic vault is never modified. Idle CPU: process CPU seconds over `--idle` seconds with
nothing happening, with native events and with `--polling`.

`--related`: the built-in Reconnect and Related generators, as `vaultnet watch` runs them. Each
edit links an idea note to its best suggestion (so its related page must change); the clocks run
from the save until that page's bytes change, and until the batch's full run is done (every page
converged). Edits alternate between the daemon as it was (`before`: a cold corpus from the index
on every run, no urgent pages) and as it is (`after`: the kept corpus, urgent pages first), in
one process on one vault, so both see the same machine load; medians per mode.

`--carry`: the three built-in generators (Related, Network, Reconnect), as `vaultnet watch` runs
them, with the default settings (the Suggested links page) or `--max-pages 0` (a page per idea
note). Each edit links the first note of a suggested pair to the second (so the Suggested links
page, and that note's page, must change); the clocks run from the save until that page's bytes
change and until the batch's full run is done. Edits alternate between the people facts taken
over from the batch before (`carried`, `vaultnet.people.carry`) and gathered anew (`gathered`:
the watcher forgets the last batch's), in one process on one vault; medians per mode.
`--pause`: seconds of quiet before each edit (the batch of vaultnet's own writes is then done
before the edit comes, as when a user stops typing now and then).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from synth import ensure_vault

from vaultnet.index.scan import Index
from vaultnet.network.page import NetworkGenerator
from vaultnet.pages.api import GenerateContext, Generator, Page
from vaultnet.pages.plugins import LoadedGenerators, run_order
from vaultnet.reconnect.page import ReconnectGenerator
from vaultnet.related.pages import RelatedGenerator
from vaultnet.watch.daemon import URGENT, Watcher, WatchOptions

NOTE = "Bench/Edited.md"


class EchoGenerator:
    """A page showing one note's `value` property: it changes exactly when that note does."""

    name = "bench"

    def generate(self, context: GenerateContext) -> list[Page]:
        row = context.view.note(NOTE)
        value = row.frontmatter.get("value") if row else None
        return [Page(f"{context.config.output_folder}/Bench.md", f"value {value}\n")]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return NOTE in changed


class SwitchedRelated:
    """The related generator either as it was (`before`: a new instance per run, so a corpus
    built cold from the index every time, and no urgent pages) or as it is (`after`)."""

    name = "related"
    order = RelatedGenerator.order

    def __init__(self) -> None:
        self.mode = "after"
        self.kept = RelatedGenerator()

    def generate(self, context: GenerateContext) -> list[Page]:
        generator = self.kept if self.mode == "after" else RelatedGenerator(saved=False)
        return generator.generate(context)

    def urgent_pages(self, context: GenerateContext, changed: set[str]) -> list[Page]:
        return self.kept.urgent_pages(context, changed) if self.mode == "after" else []

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return self.kept.affects(context, changed)


def start(
    root: Path,
    index_path: Path,
    options: WatchOptions,
    generators: list[Generator] | None = None,
) -> tuple[Watcher, threading.Event, threading.Thread]:
    index = Index(root, index_path)
    # in the order `vaultnet watch` runs them (the related notes first)
    loaded = LoadedGenerators(sorted(generators or [EchoGenerator()], key=run_order), [], [])
    watcher = Watcher(index, loaded, options)
    watcher.catch_up()
    watcher.start_observer()
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    return watcher, stop, thread


def save(path: Path, value: int) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(f"---\nvalue: {value}\n---\nBenchmark note.\n")
    os.replace(temp, path)


def wait_page(page: Path, value: int, timeout: float = 10.0) -> float:
    deadline = time.perf_counter() + timeout
    wanted = f"value {value}\n"
    while time.perf_counter() < deadline:
        try:
            if page.read_text().endswith(wanted):
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.001)
    raise TimeoutError(f"page never showed {value}")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 600.0) -> float:
    """Poll `condition` every 5 ms; the time it first held."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.005)
    raise TimeoutError(f"timed out waiting for {what}")


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def full_run_done(watcher: Watcher, note: str, since: int) -> bool:
    """Whether the batch holding `note` has finished its full run (history entries after
    `since`; one that a newer edit stopped does not count)."""
    return any(
        note in what and not what.startswith(URGENT) and "stopped" not in what
        for what, _ in watcher.history[since:]
    )


def subject_of(root: Path, watcher: Watcher, page: Path) -> str:
    """The note a related page is about (its heading links to it: a name, or a path)."""
    heading = next(line for line in page.read_text().splitlines() if line.startswith("# "))
    name = heading.split("[[", 1)[1].split("]]", 1)[0]
    if (root / f"{name}.md").is_file():
        return f"{name}.md"
    notes = watcher.index.view.paths_of_kind("note")
    return next(p for p in notes if p.endswith(f"/{name}.md"))


def time_edit(watcher: Watcher, root: Path, page: Path) -> tuple[float, float]:
    """Link the page's note to its best suggestion; seconds until the page is rewritten, and
    until the batch's full run is done."""
    note = subject_of(root, watcher, page)
    best = next(line for line in page.read_text().splitlines() if line.startswith("- [["))
    return time_link(watcher, root, note, best[4:].split("]]", 1)[0], page)


def time_link(
    watcher: Watcher, root: Path, note: str, target: str, page: Path
) -> tuple[float, float]:
    """Add a link to `target` to `note` (saved as editors save); seconds until `page` is
    rewritten, and until the batch's full run is done."""
    before, since = page.read_bytes(), len(watcher.history)
    temp = (root / note).with_name(f".{(root / note).name}.tmp")
    temp.write_text((root / note).read_text() + f"\nSee [[{target}]].\n")
    saved = time.perf_counter()
    os.replace(temp, root / note)
    rewritten = wait_until(lambda: read(page) not in (before, None), f"{page.name} rewritten")
    done = wait_until(lambda: full_run_done(watcher, note, since), "the full run")
    return rewritten - saved, done - saved


def related_latency(root: Path, index_path: Path, options: WatchOptions, edits: int) -> None:
    related = SwitchedRelated()
    watcher, stop, thread = start(root, index_path, options, [ReconnectGenerator(), related])
    pages = sorted((root / "Vaultnet/Related").glob("*.md"))
    results: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for n, page in enumerate(pages[:: max(1, len(pages) // (edits + 1))][:edits]):
        related.mode = "before" if n % 2 == 0 else "after"
        page_s, full_s = time_edit(watcher, root, page)
        results[related.mode].append((page_s - options.debounce, full_s - options.debounce))
        print(f"  edit {n + 1} ({related.mode}): page {page_s:.2f} s, converged {full_s:.2f} s")
    stop.set()
    thread.join()
    watcher.stop_observer()
    watcher.index.close()
    print("| daemon | edits | edited note's related page rewritten | all pages converged |")
    print("|---|---:|---:|---:|")
    for mode, times in results.items():
        page_s = statistics.median(t[0] for t in times)
        full_s = statistics.median(t[1] for t in times)
        print(f"| {mode} | {len(times)} | {page_s:.2f} s | {full_s:.2f} s |")


def suggested_pair(page: Path) -> tuple[str, str]:
    """The names of the first pair on the Suggested links page."""
    line = next(line for line in page.read_text().splitlines() if line.startswith("- [["))
    first, rest = line[4:].split("]]", 1)
    return first, rest.split("[[", 1)[1].split("]]", 1)[0]


def path_named(watcher: Watcher, name: str) -> str:
    notes = watcher.index.view.paths_of_kind("note")
    return next(p for p in notes if p == f"{name}.md" or p.endswith(f"/{name}.md"))


def carry_latency(
    root: Path, index_path: Path, options: WatchOptions, edits: int, per_note: bool, pause: float
) -> None:
    generators: list[Generator] = [NetworkGenerator(), ReconnectGenerator(), RelatedGenerator()]
    watcher, stop, thread = start(root, index_path, options, generators)
    suggested = root / "Vaultnet/Suggested links.md"
    results: dict[str, list[tuple[float, float]]] = {"gathered": [], "carried": []}
    for n in range(edits):
        time.sleep(pause)  # a user who stops typing now and then
        mode = "gathered" if n % 2 == 0 else "carried"
        if mode == "gathered":
            watcher._people = None  # between batches: the watcher's thread waits for events
        first, second = suggested_pair(suggested)
        note = path_named(watcher, first)
        page = root / f"Vaultnet/Related/{first} (related).md" if per_note else suggested
        page_s, full_s = (
            t - options.debounce for t in time_link(watcher, root, note, second, page)
        )
        results[mode].append((page_s, full_s))
        print(f"  edit {n + 1} ({mode}): page {page_s:.2f} s, converged {full_s:.2f} s")
    stop.set()
    thread.join()
    watcher.stop_observer()
    watcher.index.close()
    what = "the edited note's related page" if per_note else "the Suggested links page"
    print(f"| people facts | edits | {what} rewritten | all pages converged |")
    print("|---|---:|---:|---:|")
    for mode, times in results.items():
        page_s = statistics.median(t[0] for t in times)
        full_s = statistics.median(t[1] for t in times)
        print(f"| {mode} | {len(times)} | {page_s:.2f} s | {full_s:.2f} s |")


def idle_cpu(root: Path, index_path: Path, options: WatchOptions, seconds: float) -> float:
    watcher, stop, thread = start(root, index_path, options)
    time.sleep(2)  # let start-up settle before measuring
    before = time.process_time()
    time.sleep(seconds)
    used = time.process_time() - before
    stop.set()
    thread.join()
    watcher.stop_observer()
    watcher.index.close()
    return used / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--debounce", type=float, default=0.05)
    parser.add_argument("--related", action="store_true", help="related pages: before vs after")
    parser.add_argument("--related-edits", type=int, default=10)
    parser.add_argument("--carry", action="store_true", help="people facts: carried vs gathered")
    parser.add_argument("--max-pages", type=int, default=None, help="[related] max_pages")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between two edits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "vault"
        shutil.copytree(ensure_vault(args.notes), root)
        if args.carry:
            if args.max_pages is not None:
                (root / ".vaultnet.toml").write_text(f"[related]\nmax_pages = {args.max_pages}\n")
            options = WatchOptions(dt.date(2026, 11, 26), debounce=args.debounce, rescan_every=0)
            print(f"{args.notes} notes, max_pages {args.max_pages}, debounce subtracted")
            per_note = args.max_pages == 0
            index_path = Path(folder) / "index.sqlite"
            carry_latency(root, index_path, options, args.related_edits, per_note, args.pause)
            return
        if args.related:
            # every idea note's page, as a user who asks for them (`max_pages = 0`) gets
            (root / ".vaultnet.toml").write_text("[related]\nmax_pages = 0\n")
            options = WatchOptions(dt.date(2026, 11, 26), debounce=args.debounce, rescan_every=0)
            print(f"{args.notes} notes, debounce {args.debounce * 1000:.0f} ms subtracted")
            related_latency(root, Path(folder) / "index.sqlite", options, args.related_edits)
            return
        (root / "Bench").mkdir()
        save(root / NOTE, -1)
        index_path = Path(folder) / "index.sqlite"
        options = WatchOptions(dt.date(2026, 11, 26), debounce=args.debounce, rescan_every=0)
        watcher, stop, thread = start(root, index_path, options)
        page = root / "Vaultnet/Bench.md"
        latencies = []
        for n in range(args.edits):
            saved = time.perf_counter()
            save(root / NOTE, n)
            latencies.append((wait_page(page, n) - saved - args.debounce) * 1000)
        stop.set()
        thread.join()
        watcher.stop_observer()
        watcher.index.close()
        q = statistics.quantiles(latencies, n=100)
        print(
            f"{args.notes} notes, {args.edits} edits, debounce {args.debounce * 1000:.0f} ms subtracted"
        )
        print(f"latency p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, max {max(latencies):.1f} ms")
        native = idle_cpu(root, index_path, options, args.idle)
        print(f"idle CPU, native events: {native * 100:.2f}% of one core")
        polling = WatchOptions(
            options.today, debounce=args.debounce, polling=True, rescan_every=0, poll_interval=1.0
        )
        print(
            f"idle CPU, --polling (1 s interval): {idle_cpu(root, index_path, polling, args.idle) * 100:.1f}% of one core"
        )


if __name__ == "__main__":
    main()
