"""vaultnet's daemon path: one open index, a full scan, then one-note updates as a watcher sends.

    python benchmarks/inprocess_edit.py VAULT INDEX NOTE [--edits 20]

NOTE is vault-relative (`Ideas/Topic/Title.md`). Prints JSON: the scan's seconds and the median
and maximum seconds of `update([NOTE])` after appending a line to NOTE.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from time import perf_counter

from vaultnet.index.scan import open_index


def measure(vault: Path, index: Path, note: str, edits: int) -> dict[str, float]:
    times = []
    with open_index(vault, index) as idx:
        start = perf_counter()
        idx.scan()
        scan = perf_counter() - start
        for n in range(edits):
            with (vault / note).open("a", encoding="utf-8") as file:
                file.write(f"\nIn-process edit {n}.\n")
            start = perf_counter()
            idx.update([note])
            times.append(perf_counter() - start)
    return {"scan": scan, "median": statistics.median(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("note")
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(measure(args.vault, args.index, args.note, args.edits)))


if __name__ == "__main__":
    main()
