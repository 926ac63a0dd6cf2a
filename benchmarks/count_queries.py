"""How many times one vaultnet command asks its index: every SQL statement run on any of its
connections, counted by the statement's first word (sqlite3's trace callback), for one command
run in this process.

    VENV/bin/python benchmarks/count_queries.py VAULT INDEX -- generate --today 2026-11-26

Run it with the venv of the install to measure (it imports that vaultnet), on a vault whose index
is already current (run the same command once first), so a no-change scan is all the scan does.
A statement run by `executemany` counts once per row.
"""

from __future__ import annotations

import sqlite3
import sys
from collections import Counter
from typing import Any

COUNTS: Counter[str] = Counter()
_connect = sqlite3.connect


def _counting(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    db = _connect(*args, **kwargs)
    db.set_trace_callback(lambda sql: COUNTS.update([sql.split(None, 1)[0].upper()]))
    return db


def main() -> int:
    vault, index, _, *command = sys.argv[1:]
    sqlite3.connect = _counting  # type: ignore[assignment]
    from vaultnet.cli import cli

    cli(["--vault", vault, "--index", index, *command], standalone_mode=False)
    reads = COUNTS["SELECT"] + COUNTS["WITH"]
    print(f"{reads} reads ({dict(sorted(COUNTS.items()))})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
