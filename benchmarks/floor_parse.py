"""The floor: read every note and parse it with plain CommonMark, nothing else.

    python benchmarks/floor_parse.py VAULT

Run as its own process, so that its time includes starting Python and importing markdown-it, as
the vaultnet CLI's does. Prints the number of notes parsed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from markdown_it import MarkdownIt


def parse_all(vault: Path) -> int:
    md = MarkdownIt("commonmark")
    count = 0
    for path in vault.rglob("*.md"):
        md.parse(path.read_text(encoding="utf-8"))
        count += 1
    return count


if __name__ == "__main__":
    print(parse_all(Path(sys.argv[1])))
