"""The watcher's heap between batches: collected while the vault is quiet, frozen for the next.

A long-running watcher holds hundreds of thousands of objects (the related corpus and rankings,
a page per idea note, the facts a batch keeps for the next). Python's collector walks them all
whenever enough objects outlived a batch: 0.3-0.4 s of every second edit's batch on a 10,000-note
vault with a page per idea note (`benchmarks/watch_bench.py --carry`, docs/benchmarks.md). So the
watcher tidies once the vault has been quiet for a while (`vaultnet.watch.schedule`): a full
collection, then everything that survived is frozen (`gc.freeze`: the collector no longer walks
it, and forked workers do not copy it). Between tidies the collector walks only what the
batches since made (what they drop is freed by its reference counts, as ever); the next tidy
unfreezes and collects it all. `vaultnet.people.contacts.bulk_records` keeps a frozen heap frozen.
"""

from __future__ import annotations

import gc


def tidy() -> None:
    """Collect every generation, then freeze what is left."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def release() -> None:
    """Hand the frozen heap back to the collector (the watcher stops; its process may go on)."""
    gc.unfreeze()
