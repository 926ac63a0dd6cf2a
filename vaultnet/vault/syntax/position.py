"""Line numbers for inline tokens: the block's first line plus the newlines before the position."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline


LINE_KEY = "line0"
"""env key: 1-based line of the inline token's first line, set before each inline parse."""


_COUNTED = "line_counted"
"""env key: (source, position, newlines before it): rules ask in increasing positions, so each
question counts only from the last answer (a 10,000-line table would be quadratic otherwise)."""


def line_at(state: StateInline, pos: int) -> int:
    src, env = state.src, state.env
    counted = env.get(_COUNTED)
    if counted is not None and counted[0] is src and counted[1] <= pos:
        newlines = counted[2] + src.count("\n", counted[1], pos)
    else:
        newlines = src.count("\n", 0, pos)
    env[_COUNTED] = (src, pos, newlines)
    return int(env[LINE_KEY]) + newlines
