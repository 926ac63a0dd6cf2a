"""Why a note is related to another: the one `Reason` record (`vaultnet.reasons`), and how its
words join a list. A signal says which notes a reason names."""

from __future__ import annotations

from collections.abc import Sequence

from vaultnet.reasons import Reason

__all__ = ["Reason", "join_words"]


def join_words(items: Sequence[str]) -> str:
    """The items as "a", "a and b" or "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
