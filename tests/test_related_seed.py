"""The pair search's first threshold (`pairs._seed_threshold`): the score of the `want`-th best
distinct pair among the sampled notes' rows, as a plain count over every pair says, while each
row keeps only its best few (hypothesis: random rows, pairs scored from both ends, ties)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.related.pairs import _seed_threshold

NOTES = 6

rows = st.dictionaries(
    st.integers(0, NOTES - 1),
    st.dictionaries(st.integers(0, NOTES - 1), st.sampled_from([0.1, 0.2, 0.5, 0.7]), max_size=8),
    max_size=6,
)


def plain_threshold(scored: dict[int, dict[int, float]], want: int) -> float:
    """Every pair once, at its better score from either end; the `want`-th best, or 0."""
    pairs: dict[tuple[int, int], float] = {}
    for source, others in scored.items():
        for other, score in others.items():
            key = (min(source, other), max(source, other))
            pairs[key] = max(pairs.get(key, score), score)
    ranked = sorted(pairs.values(), reverse=True)
    return ranked[want - 1] if len(ranked) >= want else 0.0


@given(rows, st.integers(1, 8))
def test_the_seed_threshold_is_the_wanted_best_of_all_distinct_pairs(
    scored: dict[int, dict[int, float]], want: int
) -> None:
    scored = {s: {o: v for o, v in others.items() if o != s} for s, others in scored.items()}
    found = [
        (
            source,
            np.array(sorted(others), dtype=np.int64),
            np.array([others[o] for o in sorted(others)]),
        )
        for source, others in scored.items()
    ]
    assert _seed_threshold(found, want) == plain_threshold(scored, want)
