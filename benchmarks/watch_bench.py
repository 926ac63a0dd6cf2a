"""Watcher latency and idle CPU on the 10k-note synthetic vault.

    python benchmarks/watch_bench.py [--notes 10000] [--edits 100] [--idle 10]

Latency: a note is saved (atomic rename, as editors do), and the clock runs until the generated page
that depends on it holds the new value; the debounce is subtracted. The vault is a copy, so the
cached synthetic vault is never modified. Idle CPU: process CPU seconds over `--idle` seconds with
nothing happening, with native events and with `--polling`.
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
from pathlib import Path

from synth import ensure_vault

from vaultnet.index import Index
from vaultnet.plugins import GenerateContext, LoadedGenerators, Page
from vaultnet.watch import Watcher, WatchOptions

NOTE = "Bench/Edited.md"


class EchoGenerator:
    """A page showing one note's `value` property: it changes exactly when that note does."""

    name = "bench"

    def generate(self, context: GenerateContext) -> list[Page]:
        row = context.store.note(NOTE)
        value = row.frontmatter.get("value") if row else None
        return [Page(f"{context.config.output_folder}/Bench.md", f"value {value}\n")]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return NOTE in changed


def start(
    root: Path, index_path: Path, options: WatchOptions
) -> tuple[Watcher, threading.Event, threading.Thread]:
    index = Index(root, index_path)
    watcher = Watcher(index, LoadedGenerators([EchoGenerator()], [], []), options)
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "vault"
        shutil.copytree(ensure_vault(args.notes), root)
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
