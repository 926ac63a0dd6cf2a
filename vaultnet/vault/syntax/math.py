"""`$inline math$` and `$$display math$$`: consumed whole, so nothing inside is a link or tag.

Inline math opens with `$` followed by a non-space and closes with a `$` preceded by a non-space,
as in Obsidian (and pandoc); an unmatched `$` is plain text.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from vaultnet.vault.syntax.position import per_source

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline


def math(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "$":
        return False
    doubles, singles = _closers(state)
    if src.startswith("$$", pos):
        end = _first_after(doubles, pos + 2)
        if end < 0:
            return False
        state.pos = end + 2
        return True
    if pos + 1 >= len(src) or src[pos + 1].isspace():
        return False
    end = _first_after(singles, pos + 2)
    if end < 0:
        return False
    state.pos = end + 1
    return True


def _closers(state: StateInline) -> tuple[list[int], list[int]]:
    """Where `$$` and closing `$` stand in this block, found once (a text full of prices
    would otherwise search to its end from every `$`)."""
    return per_source(state, "math closers", _find_closers)


def _find_closers(src: str) -> tuple[list[int], list[int]]:
    doubles, singles = [], []
    at = src.find("$")
    while at >= 0:
        if src.startswith("$$", at):
            doubles.append(at)
        if at and not src[at - 1].isspace() and src[at - 1] != "\\":
            singles.append(at)
        at = src.find("$", at + 1)
    return doubles, singles


def _first_after(positions: list[int], start: int) -> int:
    i = bisect_left(positions, start)
    return positions[i] if i < len(positions) else -1
