"""Obsidian `%% comments %%`, inline or across lines and blocks.

Each `%%` toggles a flag in the parse environment, which persists from one inline block to the
next, so a comment that opens in one paragraph and closes three blocks later covers all of them.
Links inside are still recorded (Obsidian's link cache keeps them) but flagged as commented; tags
inside are not tags. `%%` inside code is consumed by the code rules first and toggles nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline


COMMENTED = "commented"
"""env key: True between an opening and a closing `%%`."""


def in_comment(state: StateInline) -> bool:
    return bool(state.env.get(COMMENTED))


def comment_marker(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("%%", state.pos):
        return False
    if not silent:
        state.env[COMMENTED] = not in_comment(state)
    state.pos += 2
    return True
