"""Line numbers for inline tokens: the block's first line plus the newlines before the position."""

from __future__ import annotations

from markdown_it.rules_inline import StateInline

LINE_KEY = "line0"
"""env key: 1-based line of the inline token's first line, set before each inline parse."""


def line_at(state: StateInline, pos: int) -> int:
    return int(state.env[LINE_KEY]) + state.src.count("\n", 0, pos)
