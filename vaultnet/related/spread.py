"""Blocks of related-notes work spread over forked worker processes (`vaultnet.workers`).

Ranking every idea note's row, searching the strongest pairs and scoring the learner's trials
are blocks of independent sparse products: from `PARALLEL_FROM` items they run on one worker per
core. Workers are forked, so they inherit the corpus without copying it through a pipe; each
block's result is a function of the corpus alone and results come back in order, so the output
is the same as in one process. `stale` is asked between blocks: when newer edits wait,
`Superseded` is raised and the workers end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from vaultnet.errors import Superseded
from vaultnet.workers import cpu_count, parallel_map

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 1_000_000
"""From this much work (rows asked times the notes each is scored against), the blocks run on
worker processes; below, forking costs more than it saves."""


def spread(
    work: Callable[[Any, T], R],
    state: Any,
    blocks: Sequence[T],
    size: int,
    stale: Callable[[], bool] | None = None,
    done: Callable[[R], None] | None = None,
) -> list[R]:
    """`work(state, block)` for each of `blocks`, in order: on worker processes when `size`
    (the work in all, as in `PARALLEL_FROM`) reaches `PARALLEL_FROM` and there are cores to
    spare. `done` sees each result as it comes (in this process), and then the results are not
    kept (the list returned is empty): a caller that folds them as they come holds one at a time
    (the 100k pair search held every block's candidates, 10 GB, before)."""
    check = stale or _never
    found: list[R] = []
    workers = cpu_count() if size >= PARALLEL_FROM and len(blocks) > 1 else 1
    if workers <= 1:
        for block in blocks:
            if check():
                raise Superseded("newer edits arrived while related notes were ranked")
            result = work(state, block)
            if done is None:
                found.append(result)
            else:
                done(result)
        return found
    # The workers inherit the work with its state bound: nothing kept in this module, so two
    # spreads in one process (the watcher's thread and a `generate`) never meet.
    if check():
        raise Superseded("newer edits arrived before related notes were ranked")
    results = parallel_map(partial(work, state), list(blocks), workers=workers, chunksize=1)
    try:
        for result in results:
            if done is None:
                found.append(result)
            else:
                done(result)
            if check():
                raise Superseded("newer edits arrived while related notes were ranked")
    finally:
        results.close()  # stopped early: the workers end now
    return found


def _never() -> bool:
    return False
