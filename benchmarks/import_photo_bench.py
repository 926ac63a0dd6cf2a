"""Photo benchmark: `vaultnet import` of a phone's card whose PHOTO is N MB (issue 23: a 30 MB photo
ran for more than ten minutes), beside the same card without the photo, and the card read the way
the code before read it (vobject's own line unfolding), side by side in one run.

    python benchmarks/import_photo_bench.py [--sizes 0.25,0.5,1,2,4,30] [--before-max 4] [--rounds 3]

Measured, best of `--rounds` interleaved rounds:
- `import`: the command as a user runs it (a subprocess into a fresh empty vault: start-up, the
  scan every command does first, reading, planning, writing the note, indexing it);
- `read`: `read_vcards` in-process, the part the photo costs (CPU seconds of the process, which
  other processes on a busy machine do not add to);
- `read before`: the same with vobject's `getLogicalLines` unfolding the lines, as before issue 23
  (only up to `--before-max` MB: it grows with the square of the size).
The photo is random base64 folded at 75 octets with CRLF, as iOS writes it. Exit status 1 when the
import of the largest card takes longer than 10 seconds.
"""

from __future__ import annotations

import argparse
import base64
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from vobject.base import getLogicalLines

import vaultnet.addressbook.vcard as vcard


def card(megabytes: float) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:Quint;Mara;;;", "FN:Mara Quint", "ORG:Northwind;"]
    if megabytes:
        data = base64.b64encode(random.Random(23).randbytes(int(megabytes * 786_432))).decode()
        first, rest = data[:48], data[48:]
        folded = [f"PHOTO;ENCODING=b;TYPE=JPEG:{first}"]
        folded += [" " + rest[i : i + 74] for i in range(0, len(rest), 74)]
        lines += folded
    lines += [
        "EMAIL;type=INTERNET;type=HOME:mara@quint.example",
        "NOTE:Met at the Lisbon product meetup\\, loves climbing",
        "END:VCARD",
    ]
    return "\r\n".join(lines) + "\r\n"


class _Reader:
    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")


def vobject_lines(text: str) -> Iterator[tuple[str, int]]:
    """The unfolding before issue 23."""
    for line, number in getLogicalLines(_Reader(text.removeprefix("\ufeff")), allowQP=True):
        yield line, max(number, 1)


def read_time(text: str, unfold: Callable[[str], Iterator[tuple[str, int]]]) -> float:
    current = vcard.logical_lines
    vcard.logical_lines = unfold
    try:
        start = time.process_time()
        cards, _ = vcard.read_vcards(text, "phone.vcf")
        seconds = time.process_time() - start
    finally:
        vcard.logical_lines = current
    assert [c.name for c in cards] == ["Mara Quint"], cards
    return seconds


def import_time(book: Path, work: Path) -> float:
    vault = Path(tempfile.mkdtemp(dir=work))
    (vault / ".obsidian").mkdir()
    command = [sys.executable, "-m", "vaultnet", "--vault", str(vault)]
    command += ["--index", str(vault.with_suffix(".sqlite")), "import", str(book)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    assert (vault / "People" / "Mara Quint.md").is_file()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2,4,30")
    parser.add_argument("--before-max", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [0.0, *(float(s) for s in args.sizes.split(","))]
    best: dict[tuple[str, float], float] = {}
    with tempfile.TemporaryDirectory(prefix="vaultnet-photo-bench-") as tmp:
        work = Path(tmp)
        books, lengths = {}, {}
        for size in sizes:
            books[size] = work / f"card-{size}.vcf"
            books[size].write_text(card(size), encoding="utf-8", newline="")
            lengths[size] = books[size].stat().st_size
        for _ in range(args.rounds):
            for size in sizes:
                text = books[size].read_text(encoding="utf-8")
                runs = {"import": import_time(books[size], work)}
                runs["read"] = read_time(text, vcard.logical_lines)
                if size <= args.before_max:
                    runs["before"] = read_time(text, vobject_lines)
                for name, seconds in runs.items():
                    best[name, size] = min(best.get((name, size), seconds), seconds)
    print("| photo (MB) | card (bytes) | `import` (s) | x no photo | read (s) | read before (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        before = best.get(("before", size))
        shown = f"{before:.3f}" if before is not None else "(not run)"
        print(
            f"| {size:g} | {lengths[size]:,} | {best['import', size]:.2f} | "
            f"{best['import', size] / best['import', 0.0]:.2f} | {best['read', size]:.3f} | {shown} |"
        )
    print()
    doubled = [(a, b) for a in sizes for b in sizes if a and b == 2 * a]
    for a, b in doubled:
        growth = best["read", b] / best["read", a]
        line = f"read {b:g} MB / {a:g} MB: {growth:.2f}"
        if ("before", b) in best:
            line += f" (before: {best['before', b] / best['before', a]:.2f})"
        print(line)
    return 0 if best["import", sizes[-1]] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
