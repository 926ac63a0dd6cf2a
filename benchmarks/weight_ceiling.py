"""How far the learned weights are from the best weights for the seven signals, in-sample.

    python benchmarks/weight_ceiling.py VAULT [VAULT ...] [--trials N] [--search N]

For each vault: the learner's trials (`vaultnet.related.learn.trial_scores`, every note's links,
up to `--trials` hidden links), then recall@10 on those trials for each signal alone, the default
weights (at the vault's learned scales, as every row here), the weights `learn.fit` picks, and the
best weights a search finds (random weightings, then small steps from the best: `--search` of
each). The search is told the answers: it measures on the trials it is fitted to, so its figure
is more than any weighting of these signals can be expected to find on new links. Where even it
stays under 1.1x the best single signal, issue 20's bar "the hybrid >= 1.1x its best single
signal" is out of reach of the weights (a search can miss a better weighting: a strong sign, not
a proof); a new signal is what can move it.

A trial keeps only the candidates the learner keeps (`learn.REACH`), so the figures are close to,
not equal to, `related_quality.py`'s on the same links.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from related_quality import indexed_copy

from vaultnet.related import learn
from vaultnet.related.calibration import DEFAULT_WEIGHTS, SIGNALS

Recall = Callable[[np.ndarray], float]


def recall_of(trials: list[learn.Trial], scales: dict[str, float]) -> Recall:
    """Recall@10 on `trials` of a weight vector (signal order), as `learn.fit` ranks them; a
    target no weighted signal reaches (score 0) is not found, as the engine would not list it."""
    ranked = learn.target_ranks(trials, scales)

    def recall(weights: np.ndarray) -> float:
        ranks, scores = ranked(weights)
        return float(np.mean((ranks <= learn.TOP) & (scores > 0.0)))

    return recall


def search(recall: Recall, starts: Sequence[np.ndarray], tries: int, seed: int = 0) -> np.ndarray:
    """The best weights found: the starts, `tries` random weightings (each signal off with
    probability 1/4, else log-uniform over 1/150..20), then `tries` small steps from the best."""
    rng = np.random.default_rng(seed)
    best = max(starts, key=recall)
    found = recall(best)
    for _ in range(tries):
        weights = np.exp(rng.uniform(-5.0, 3.0, len(SIGNALS)))
        weights *= rng.random(len(SIGNALS)) > 0.25
        if (value := recall(weights)) > found:
            best, found = weights, value
    for _ in range(tries):
        weights = best * np.exp(rng.normal(0.0, 0.3, len(SIGNALS)))
        if (value := recall(weights)) >= found:
            best, found = weights, value
    return best


def ceiling(vault: Path, trials: int, tries: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="vaultnet-ceiling-") as tmp:
        corpus, resolver, _, texts = indexed_copy(vault, Path(tmp))
    pool = sorted(corpus.live_paths())
    data = learn.trial_scores(
        corpus, lambda p: texts.get(p, ""), resolver.resolve, pool, "", limit=trials
    )
    if not data:
        return [f"{vault}: no trials"]
    scales = learn.typical_best(data)
    recall = recall_of(data, scales)
    corners = [np.eye(len(SIGNALS))[i] for i in range(len(SIGNALS))]
    alone = {name: recall(w) for name, w in zip(SIGNALS, corners, strict=True)}
    single = max(alone, key=lambda name: alone[name])
    defaults = np.array([DEFAULT_WEIGHTS[name] for name in SIGNALS])
    fitted = learn.fit(data, scales)
    fit = np.array([fitted[name] for name in SIGNALS])
    best = search(recall, [*corners, defaults, fit], tries)
    top = recall(best)
    scoring = {n: any(t.best[c] > 0.0 for t in data) for c, n in enumerate(SIGNALS)}
    lines = [f"{vault}: {len(data)} trials"]
    lines += [f"  {name:9s} alone {value:.3f}" for name, value in alone.items()]
    for label, weights in (("defaults", defaults), ("learn.fit", fit), ("ceiling", best)):
        value = recall(weights)
        # relative to links (the learner's reference) when it counts; "-": scores nothing here
        unit = float(weights[0]) if weights[0] > 0.0 else max(float(weights.max()), 1e-12)
        shown = ", ".join(
            f"{n} {w / unit:.2f}" if scoring[n] else f"{n} -"
            for n, w in zip(SIGNALS, weights, strict=True)
        )
        ratio = value / alone[single] if alone[single] else float("inf")
        lines.append(f"  {label:9s} {value:.3f} ({ratio:.2f}x {single})  [{shown}]")
    lines.append(f"  1.1x {single} would need {1.1 * alone[single]:.3f}; ceiling {top:.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vaults", nargs="+", type=Path)
    parser.add_argument("--trials", type=int, default=2000, help="hidden links per vault")
    parser.add_argument("--search", type=int, default=3000, help="random weightings, then steps")
    args = parser.parse_args(argv)
    for vault in args.vaults:
        print("\n".join(ceiling(vault, args.trials, args.search)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
