"""Positions in an inline source, each found once per source so no rule rescans the line.

Line numbers for inline tokens (the block's first line plus the newlines before the position), and
where lines end and where `[[` and `]]` stand: a rule asks "the next `]]` on this line" in constant
time, where `str.find` from every `[[` of a long line made the line cost quadratic time.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline


T = TypeVar("T")

LINE_KEY = "line0"
"""env key: 1-based line of the inline token's first line, set before each inline parse."""

_SOURCE = "_vaultnet_source"
"""Attribute of the inline state: its `_Source` (an image's text is parsed by a state of its own
in the middle of its paragraph's, so each state keeps its own)."""


class _Source:
    __slots__ = ("counted", "line", "src", "values")

    def __init__(self, src: str) -> None:
        self.src = src
        self.values: dict[str, Any] = {}
        self.line = (0, -1)
        """(start, end) of the line asked last: rules ask about one line many times."""
        self.counted = (0, 0)
        """(position, newlines before it): rules ask in increasing positions, so each question
        counts only from the last answer (a 10,000-line table would be quadratic otherwise)."""


def _source(state: StateInline) -> _Source:
    attributes = vars(state)
    source: _Source | None = attributes.get(_SOURCE)
    if source is None:
        source = attributes[_SOURCE] = _Source(state.src)
    return source


def per_source(state: StateInline, key: str, build: Callable[[str], T]) -> T:
    """`build(source)` for the state's inline source, computed once per source."""
    values = _source(state).values
    if key not in values:
        values[key] = build(state.src)
    return cast(T, values[key])


def _find_all(src: str, needle: str) -> list[int]:
    found = []
    at = src.find(needle)
    while at >= 0:
        found.append(at)
        at = src.find(needle, at + 1)
    return found


def next_at(state: StateInline, needle: str, pos: int) -> int:
    """The first position at or after `pos` where `needle` starts in the source, or -1
    (overlapping: `]]]` holds `]]` twice)."""
    positions = per_source(state, needle, lambda src: _find_all(src, needle))
    i = bisect_left(positions, pos)
    return positions[i] if i < len(positions) else -1


def line_end(state: StateInline, pos: int) -> int:
    """Where the line holding `pos` ends: its `\\n`, or the end of the source."""
    source = _source(state)
    start, end = source.line
    if not start <= pos <= end:
        end = next_at(state, "\n", pos)
        if end < 0:
            end = len(state.src)
        start = state.src.rfind("\n", 0, pos) + 1
        source.line = (start, end)
    return end


def line_at(state: StateInline, pos: int) -> int:
    source = _source(state)
    at, newlines = source.counted
    if at <= pos:
        newlines += state.src.count("\n", at, pos)
    else:
        newlines = state.src.count("\n", 0, pos)
    source.counted = (pos, newlines)
    return int(state.env[LINE_KEY]) + newlines
