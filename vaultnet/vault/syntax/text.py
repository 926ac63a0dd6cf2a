"""Plain text: everything up to the next character where one of vaultnet's rules can start.

markdown-it's own text rule stops at every character a CommonMark rule might start with (`-`,
`*`, `_`, `:`, `#`, `!` ...), and there every rule is asked in turn: a line dense in such
characters cost ten rule calls a character. vaultnet enables few rules, so `text` stops only
where one of them can start or a link's text can end: `[`, `]`, `!` before `[`, `#` at the start
or after white space (a tag), `%%`, `$`, a backtick, `\\`, `<`. The tokens are the same.

`unclosed_brackets` goes further on a line where no `]]` and no `](` follows: from a `[` or `!`,
nothing but plain text can start before the line's next `]` (a wikilink needs a `]]`, a link or
image a `](`, reference links being off), so a line of unclosed `[[`, `![[`, `[[a|` is read in
one step instead of a rule call (and a link-text walk) per bracket. A link that does form needs
a `](` after every bracket its text walk meets, so the shortcut never changes one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from vaultnet.vault.syntax.position import per_source

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline

TEXT = re.compile(r"(?:[^!#$%<\[\\\]`]+|(?<=\S)#|%(?!%)|!(?!\[))+")
UNCLOSED = re.compile(r"(?:[^#$%<\\\]`]+|(?<=\S)#|%(?!%))+")
"""`TEXT` and the brackets and `!` that can open nothing."""
NEWLINE = re.compile(r"\n")
CLOSER = re.compile(r"\](?=[\](])")


def text(state: StateInline, silent: bool) -> bool:
    return _take(state, TEXT.match(state.src, state.pos, state.posMax), silent)


def unclosed_brackets(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "[!":
        return False
    line_ends, last_closers = per_source(state, "closers", _closers)
    line = bisect_left(line_ends, pos)
    if last_closers[line] >= pos:
        return False
    return _take(state, UNCLOSED.match(src, pos, min(state.posMax, line_ends[line])), silent)


def _take(state: StateInline, match: re.Match[str] | None, silent: bool) -> bool:
    """The text `match` found, as pending text (none found: the rule does not apply)."""
    if match is None:
        return False
    if not silent:
        state.append_pending(match.group())
    state.pos = match.end()
    return True


def _closers(src: str) -> tuple[list[int], list[int]]:
    """Where each line ends, and where on it the last `]]` or `](` starts (-1: none)."""
    line_ends = [m.start() for m in NEWLINE.finditer(src)]
    line_ends.append(len(src))
    last = [-1] * len(line_ends)
    for closer in CLOSER.finditer(src):
        at = closer.start()
        last[bisect_left(line_ends, at)] = at
    return line_ends, last
