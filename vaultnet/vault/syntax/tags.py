"""Inline `#tags` as Obsidian reads them (`Editing and formatting/Tags.md` in Obsidian's help).

A tag follows white space or the start of a line, is made of letters of any script, digits, `_`,
`-`, `/` and emoji, and holds at least one character that is not a digit (`#1984` is no tag).
`_`, `-` and `/` are such characters, so `#19_90`, `#2021/01` and `#2026-goals` are tags, and a
trailing `_` is how users tag a year: Instapaper/obsidian-instapaper#75 appends `_` to numeric tags
"so they can be used within Obsidian"; the regex observed on forum.obsidian.md/t/12949 asks for one
character of `[a-zA-Z/_-]`; rps321321/obsidian-mcp-pro#195 and platers/obsidian-linter#1561 agree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from vaultnet.vault.syntax.comments import in_comment
from vaultnet.vault.syntax.position import line_at

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline

# Everything but white space and punctuation (ASCII, CJK and full-width); `_`, `-`, `/` stay.
TAG_BODY = re.compile(
    r"[^\s!\"#$%&'()*+,.:;<=>?@\[\\\]^`{|}~\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)
ALL_DIGITS = re.compile(r"\d+")


def is_tag(name: str) -> bool:
    """A tag name (without `#`) Obsidian accepts."""
    match = TAG_BODY.fullmatch(name)
    return match is not None and ALL_DIGITS.fullmatch(name) is None


def tag(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "#" or (pos > 0 and not src[pos - 1].isspace()):
        return False
    match = TAG_BODY.match(src, pos + 1)
    if match is None or ALL_DIGITS.fullmatch(match.group()):
        return False
    if not silent and not in_comment(state):
        token = state.push("tag", "", 0)
        token.content = match.group()
        token.meta = {"line": line_at(state, pos)}
    state.pos = match.end()
    return True
