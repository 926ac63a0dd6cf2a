"""The parser's worst cases: one line of an unclosed construct, repeated, against plain prose.

    python benchmarks/parse_worst.py [--sizes 50000,200000,1000000] [--patterns '[[,`'] [--budget 60]

Each pattern (an unclosed `[[`, `![[`, `[`, backtick, `%%`, `<!--`, ...; see `PATTERNS`) is
made into a note of each size, on one line, and read with `vaultnet.vault.parse.parse_note`;
beside it, plain prose of the same size (lines of words, paragraphs) through `parse_note`, and
the same text through plain `MarkdownIt("commonmark")` (up to `--markdown-it-max` characters,
as it is quadratic on most of them). Each time is the best of `--rounds` runs in this process.
The table gives seconds, seconds per MB, the ratio to prose of the same size, and the growth
from one size to the next divided by the growth in size (1.0 is linear; 5.0 from 200 KB to 1 MB
is quadratic). A pattern whose time passes `--budget` seconds is not run at the larger sizes.
Exit status 1 when a pattern grows faster than `--max-growth` (default 1.6), or one of `WORST`
takes more than `--max-ratio` (default 5) times prose at a size.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable

from markdown_it import MarkdownIt

from vaultnet.vault.parse import parse_note

WORST = ["[[", "![[", "[[a|", "[[a#", "[", "![", "](", "`", "`a", "``a`", "%%", "$", "$a", "<!--"]
"""What issue 23 names: an unclosed construct repeated on one line. Bar: 5x prose, linear."""
HARDER = [
    "a <!--\n",
    "#1",
    "[[a]]",
    "[a](b) ",
    "[[+]]",
    "[+](x)",
    "![+](x)",
    "[[a|+]]",
    "[a+](x)",
    "[a](",
    "k:: a+ +b",
    "(k::+ +x",
    "a+*+b::",
]
"""Bar: linear time. `a <!--\\n`: one per line of a paragraph; two of closed links, which every
note has; then `A+B` and `A+B+C`: `A` repeated then `B` once (a closer at the end of a line of
brackets, so every bracket may open a link), or `A`, then `B` repeated, then `C`."""
PATTERNS = WORST + HARDER


def worst_text(pattern: str, size: int) -> str:
    """`pattern` made into a note of `size` characters."""
    parts = pattern.split("+") if len(pattern) > 2 and "+" in pattern else [pattern]
    if len(parts) == 3:
        head, body, tail = parts
        return head + body * ((size - len(head) - len(tail)) // len(body)) + tail
    if len(parts) == 2:
        body, tail = parts
        return body * ((size - len(tail)) // len(body)) + tail
    return (pattern * (size // len(pattern) + 1))[:size]


WORDS = ("the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "by")


def prose(size: int, seed: int = 1) -> str:
    """Plain text of `size` characters: lines of about 80, a blank line every 6 lines."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    line: list[str] = []
    lines = 0
    while total < size:
        word = rng.choice(WORDS) + rng.choice(["", "s", "ed", "ing", "ly"])
        line.append(word)
        if sum(len(w) + 1 for w in line) > 80:
            text = " ".join(line) + ("\n\n" if lines % 6 == 5 else "\n")
            out.append(text)
            total += len(text)
            line, lines = [], lines + 1
    return "".join(out)[:size]


def best(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,200000,1000000")
    parser.add_argument("--patterns", default=None, help="comma-separated; default: all")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--max-growth", type=float, default=1.6)
    parser.add_argument("--max-ratio", type=float, default=5.0)
    parser.add_argument(
        "--markdown-it-max",
        type=int,
        default=200_000,
        help="time plain markdown-it up to this size only (it is quadratic on most patterns)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    patterns = args.patterns.split(",") if args.patterns else PATTERNS
    commonmark = MarkdownIt("commonmark")
    parse_note("warm-up.md", "# warm [[up]] #tag")

    prose_time = {n: best(lambda n=n: parse_note("p.md", prose(n)), args.rounds) for n in sizes}
    print(
        "| pattern | size | vaultnet | s/MB | x prose | growth / size growth | plain markdown-it |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        print(
            f"| prose | {n:,} | {prose_time[n]:.3f} s | {prose_time[n] / n * 1e6:.2f} | 1.0 | | |"
        )
    failed = []
    for pattern in patterns:
        previous: tuple[int, float] | None = None
        for n in sizes:
            text = worst_text(pattern, n)
            rounds = args.rounds if previous is None or previous[1] < 5 else 1
            took = best(lambda text=text: parse_note("w.md", text), rounds)
            plain = (
                f"{best(lambda text=text: commonmark.parse(text), 1):.3f} s"
                if n <= args.markdown_it_max
                else "-"
            )
            ratio = took / prose_time[n]
            growth = ""
            if previous is not None:
                scaled = (took / previous[1]) / (n / previous[0])
                growth = f"{scaled:.2f}"
                if scaled > args.max_growth and took > 0.05:
                    failed.append(f"{pattern!r} grows {scaled:.2f}x faster than its size at {n:,}")
            if pattern in WORST and ratio > args.max_ratio:
                failed.append(f"{pattern!r} takes {ratio:.1f}x prose at {n:,}")
            shown = pattern.replace("\n", "\\n").replace("|", "\\|").replace("`", "\\`")
            print(
                f"| `{shown}` | {n:,} | {took:.3f} s | {took / n * 1e6:.2f} | {ratio:.2f} "
                f"| {growth} | {plain} |",
                flush=True,
            )
            previous = (n, took)
            if took > args.budget:
                print(f"| `{shown}` | larger sizes not run: over the {args.budget:.0f} s budget |")
                break
    for line in failed:
        print("FAILED:", line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
