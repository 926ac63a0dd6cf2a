"""Deterministic synthetic Obsidian vault, shaped like a personal vault, for benchmarks and tests.

    python benchmarks/synth.py OUT --notes 10000 [--seed 1]

The mix: ~15% people (`People/`, `People/Work/`), ~45% daily notes (`Daily/YYYY-MM-DD.md`, going
back day by day from 2026-11-25 with gaps; a large vault reaches back decades), ~10% meetings
(`Meetings/`), ~30% idea notes in topic folders (`Ideas/<Topic>/`, a few organisations in `Orgs/`).
Every file name is unique in the vault, so a bare `[[Name]]` always names one note; the only
unresolved links are the deliberate ones in idea notes. Same arguments, same bytes: all randomness
comes from one `random.Random(seed)` used in a fixed order, and nothing reads the clock.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import statistics
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from synth_notes import render_daily, render_idea, render_meeting, render_org, render_person
from synth_plan import Plan, make_plan
from synth_words import Vocabulary, build_vocabulary

HERE = Path(__file__).resolve().parent
VAULTS = HERE / ".vaults"
GENERATOR_FILES = ("synth.py", "synth_plan.py", "synth_notes.py", "synth_words.py")


def generate_vault(out: Path, notes: int, seed: int = 1) -> None:
    """Write a vault of `notes` notes into `out`, which must be missing or empty."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out}: not empty; synth only writes into a new folder")
    rng = random.Random(seed)
    vocab, pseudo = build_vocabulary(rng)
    plan = make_plan(rng, notes, pseudo)
    write_files(out, render_vault(rng, vocab, plan))


def render_vault(rng: random.Random, vocab: Vocabulary, plan: Plan) -> Iterator[tuple[str, str]]:
    """Every file of the vault as (vault-relative POSIX path, text), in generation order."""
    yield ".obsidian/daily-notes.json", json.dumps({"folder": "Daily", "format": "YYYY-MM-DD"})
    for org in plan.orgs:
        yield org.path, render_org(rng, vocab, org, plan)
    for person in plan.people:
        yield person.path, render_person(rng, vocab, person, plan)
    for idea in plan.ideas:
        yield idea.path, render_idea(rng, vocab, idea, plan)
    for meeting in plan.meetings:
        yield meeting.path, render_meeting(rng, vocab, meeting, plan)
    for day in plan.days:
        yield f"Daily/{day.isoformat()}.md", render_daily(rng, vocab, day, plan)


def write_files(out: Path, files: Iterable[tuple[str, str]]) -> None:
    made: set[Path] = set()
    for rel, text in files:
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))


def note_sizes(vault: Path) -> list[int]:
    return [p.stat().st_size for p in vault.rglob("*.md")]


def generator_version() -> str:
    """A hash of the generator's own source: any change to it makes cached vaults stale."""
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_vault(notes: int, seed: int = 1) -> Path:
    """The cached vault `benchmarks/.vaults/<notes>`, generated once per generator version."""
    vault = VAULTS / str(notes) if seed == 1 else VAULTS / f"{notes}-seed{seed}"
    marker = vault.with_name(vault.name + ".marker.json")
    wanted = {"generator": generator_version(), "notes": notes, "seed": seed}
    if vault.is_dir() and marker.is_file() and json.loads(marker.read_text()) == wanted:
        return vault
    marker.unlink(missing_ok=True)
    staging = vault.with_name(vault.name + ".partial")
    for stale in (vault, staging):
        if stale.exists():
            shutil.rmtree(stale)
    generate_vault(staging, notes, seed)
    staging.rename(vault)
    marker.write_text(json.dumps(wanted) + "\n")
    return vault


@dataclass
class SizeReport:
    sizes: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"notes: {len(self.sizes)}",
            f"mean size: {statistics.fmean(self.sizes):.0f} B",
            f"median size: {statistics.median(self.sizes):.0f} B",
            f"total: {sum(self.sizes) / 1e6:.1f} MB",
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to create (must be missing or empty)")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        generate_vault(args.out, args.notes, args.seed)
    except (FileExistsError, ValueError) as error:
        print(f"synth: {error}", file=sys.stderr)
        return 2
    print("\n".join(SizeReport(note_sizes(args.out)).lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
