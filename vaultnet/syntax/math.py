"""`$inline math$` and `$$display math$$`: consumed whole, so nothing inside is a link or tag.

Inline math opens with `$` followed by a non-space and closes with a `$` preceded by a non-space,
as in Obsidian (and pandoc); an unmatched `$` is plain text.
"""

from __future__ import annotations

from markdown_it.rules_inline import StateInline


def math(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "$":
        return False
    if src.startswith("$$", pos):
        end = src.find("$$", pos + 2)
        if end < 0:
            return False
        state.pos = end + 2
        return True
    if pos + 1 >= len(src) or src[pos + 1].isspace():
        return False
    end = pos + 1
    while True:
        end = src.find("$", end + 1)
        if end < 0:
            return False
        if not src[end - 1].isspace() and src[end - 1] != "\\":
            break
    state.pos = end + 1
    return True
