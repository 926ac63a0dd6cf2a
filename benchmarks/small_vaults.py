"""What a vault with few links to learn from should weigh its signals with: the defaults, the
weights learned on those few hidden links as they come, or (what vaultnet does,
`learn.calibrated`) the learned ones only when they find more than the defaults on clearly more
notes.

A small vault is simulated from a larger one: a few of its notes (picked by a hash, whole notes,
until their hidden links number at least a `--sizes` value) are the trials to learn from, and the
hidden links of all its other notes measure the result: recall@10, the share of them found in the
top 10. Each size is drawn `--draws` times; a draw of `MIN_TRIALS` trials or more (a note with
many links came last) is left out, as vaultnet would learn from it as it comes. The trials are
the learner's own (`learn.trial_scores`, up to `--max-trials`). What the simulation is not:
- a note of a large vault gives only those of its links that were drawn among the first
  `--max-trials` (the table says how many of the vault's links are trials);
- the candidates are every note of the large vault, not of a small one;
- "best single signal" is chosen on the measured notes (an oracle: no user could pick it so).

    python benchmarks/small_vaults.py [VAULT ...] [--sizes 10 15 25 40] [--draws 12]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from statistics import median

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from related_quality import default_vaults, indexed_copy

from vaultnet.related import learn
from vaultnet.related.calibration import DEFAULTS, SIGNALS, Calibration

RANKERS = ("defaults", "learned as they come", "vaultnet", "best single signal (oracle)")
MEASURED_AT_LEAST = 20
"""Hidden links of the other notes a draw needs to be measured on."""
Split = tuple[list[learn.Trial], list[learn.Trial]]


def trials_by_note(vault: Path, limit: int) -> tuple[dict[str, list[learn.Trial]], int]:
    """The vault's hidden-link trials grouped by the note they were hidden from, and how many
    links the notes with enough links have (what the trials were drawn from)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus, resolver, _, texts = indexed_copy(vault, Path(tmp))
        pool = sorted(corpus.live_paths())
        read = lambda path: texts.get(path, "")  # noqa: E731
        found = learn.trial_scores(corpus, read, resolver.resolve, pool, "", limit=limit)
        links = sum(len(ls) for p in pool if len(ls := corpus.links(p)) >= learn.MIN_LINKS)
    notes: dict[str, list[learn.Trial]] = {}
    for trial in found:
        notes.setdefault(trial.source, []).append(trial)
    return notes, links


def draw(notes: dict[str, list[learn.Trial]], size: int, seed: int) -> Split | None:
    """Trials to learn from (whole notes, at least `size` trials, fewer than `MIN_TRIALS`) and
    the other notes' trials to measure on; None when there are not both."""
    order = learn.ordered(notes, f"{seed}\0{size}")
    train: list[learn.Trial] = []
    taken = 0
    while taken < len(order) and len(train) < size:
        train += notes[order[taken]]
        taken += 1
    rest = [t for path in order[taken:] for t in notes[path]]
    fits = size <= len(train) < learn.MIN_TRIALS and len(rest) >= MEASURED_AT_LEAST
    return (train, rest) if fits else None


def recall(trials: list[learn.Trial], calibration: Calibration) -> float:
    return float(np.mean(learn.found_by(trials, calibration.scales, calibration.weights)))


def measure(train: list[learn.Trial], rest: list[learn.Trial]) -> dict[str, float]:
    scales = learn.typical_best(train)
    as_they_come = Calibration(learn.fit(train, scales), scales)
    singles = (Calibration({s: float(s == name) for s in SIGNALS}) for name in SIGNALS)
    return {
        "defaults": recall(rest, DEFAULTS),
        "learned as they come": recall(rest, as_they_come),
        "vaultnet": recall(rest, learn.calibrated(train, 0)),
        "best single signal (oracle)": max(recall(rest, single) for single in singles),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vaults", nargs="*", type=Path)
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 15, 25, 40])
    parser.add_argument("--draws", type=int, default=12)
    parser.add_argument("--max-trials", type=int, default=2000)
    args = parser.parse_args(argv)
    totals: dict[int, dict[str, list[float]]] = {size: {} for size in args.sizes}
    print("| vault | trials of links | size: draws, median trials | " + " | ".join(RANKERS) + " |")
    print("|---|---:|---|" + "---|" * len(RANKERS))
    for vault in args.vaults or default_vaults():
        notes, links = trials_by_note(vault, args.max_trials)
        count = sum(len(t) for t in notes.values())
        for size in args.sizes:
            draws = [d for seed in range(args.draws) if (d := draw(notes, size, seed))]
            if not draws:
                continue
            found = [measure(train, rest) for train, rest in draws]
            means = {name: float(np.mean([f[name] for f in found])) for name in RANKERS}
            for name, mean in means.items():
                totals[size].setdefault(name, []).append(mean)
            taken = median(len(train) for train, _ in draws)
            cells = " | ".join(f"{mean:.3f}" for mean in means.values())
            print(
                f"| {vault.name} | {count} of {links} | {size}: {len(draws)}, {taken:g} | {cells} |"
            )
    print()
    for size, by_ranker in totals.items():
        if by_ranker:
            line = ", ".join(f"{name} {np.mean(v):.3f}" for name, v in by_ranker.items())
            print(f"size {size}, mean over {len(by_ranker['defaults'])} vaults: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
