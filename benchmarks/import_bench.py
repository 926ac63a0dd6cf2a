"""Import benchmark: `vaultnet import` of a large address book into the synthetic vault, and the
no-change `scan` after it.

    python benchmarks/import_bench.py [--notes 10000] [--contacts 5000]

The vault comes from synth.py (cached in benchmarks/.vaults/) and is copied to a temporary folder,
since an import writes into it. The address book is a deterministic vCard 3.0 file: `--contacts`
cards with emails, phones, birthdays (some without a year), companies, groups and folded lines;
one card in 20 repeats an earlier one (merged) and one in 10 is a person already in the vault
(matched by name). Measured, each as a user runs it (a subprocess, start-up and the no-change scan
every command does first included), side by side in one run:
- `scan` before the import (no change: the baseline every command pays);
- `import --dry-run` (read, parse, plan; nothing written);
- `import` (the same, and every note created, and the index brought up to date with them);
- `scan` after the import: it must find nothing to re-read (the import updated the index).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import ensure_vault

GROUPS = ("Friends", "Work", "Family", "Book Club", "Climbing", "Old School", "Neighbours")
FIRST = ("Ada", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Greta", "Hiro", "Inés", "Jonas")
LAST = ("Abbott", "Björk", "Castillo", "Dubois", "Eriksen", "Fujita", "García", "Haddad")


def vcard_book(contacts: int, existing: list[str], seed: int = 1) -> str:
    """`contacts` cards, deterministic for a seed."""
    rng = random.Random(seed)
    cards: list[str] = []
    for n in range(contacts):
        if n % 20 == 19 and cards:
            cards.append(cards[rng.randrange(len(cards))])  # a duplicate, merged
            continue
        if n % 10 == 9 and existing:
            name = existing[rng.randrange(len(existing))]  # already a person note: matched
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n:05d}"
        given, _, family = name.rpartition(" ")
        email = f"contact{n}@example.org"
        bday = (
            f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if n % 3 == 0
            else f"BDAY:{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        note = "A long note, folded the way address books fold lines longer than seventy-five "
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{family};{given};;;",
            f"FN:{name}",
            f"EMAIL;type=INTERNET;type=WORK:{email}",
            f"TEL;type=CELL:+1 555 {n:07d}",
            f"ORG:{rng.choice(LAST)} & Co",
            "TITLE:Engineer",
            bday,
            f"CATEGORIES:{rng.choice(GROUPS)},{rng.choice(GROUPS)}",
            f"NOTE:{note[:60]}",
            f" {note[60:]}octets.",
            "END:VCARD",
        ]
        cards.append("\r\n".join(lines) + "\r\n")
    return "".join(cards)


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--contacts", type=int, default=5000)
    args = parser.parse_args()
    source = ensure_vault(args.notes)
    with tempfile.TemporaryDirectory(prefix="vaultnet-import-bench-") as tmp:
        vault = Path(tmp) / "vault"
        shutil.copytree(source, vault)
        index = Path(tmp) / "index.sqlite"
        base = [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--index", str(index)]
        cold, _ = timed([*base, "scan", "--json"])
        people = sorted(p.stem for p in (vault / "People").rglob("*.md"))
        book = Path(tmp) / "contacts.vcf"
        book.write_text(vcard_book(args.contacts, people), encoding="utf-8", newline="")
        before, _ = timed([*base, "scan", "--json"])
        dry, _ = timed([*base, "import", str(book), "--dry-run", "--json"])
        run, out = timed([*base, "import", str(book), "--json"])
        report = json.loads(out)
        after, out = timed([*base, "scan", "--json"])
        scan = json.loads(out)
    reread = scan["added"] + scan["changed"] + scan["removed"]
    print(
        f"{args.notes} notes, {args.contacts} cards (created {len(report['created'])}, matched {len(report['matched'])}, "
        f"merged {len(report['merged'])}, skipped {len(report['skipped'])}); cold scan {cold:.2f} s"
    )
    print()
    print("| step | seconds | x no-change scan |")
    print("|---|---:|---:|")
    for name, seconds in (
        ("`scan`, no change (before)", before),
        ("`import --dry-run`", dry),
        ("`import`", run),
        ("`scan` after the import", after),
    ):
        print(f"| {name} | {seconds:.2f} | {seconds / before:.1f} |")
    print()
    print(f"scan after the import re-read {reread} files ({scan['notes']} notes indexed)")
    return 0 if reread == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
