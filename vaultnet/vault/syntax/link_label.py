"""markdown-it's `parseLinkLabel`, in linear time on any line.

To find where the text of `[text](dest)` ends, markdown-it steps over the tokens after the `[`,
counting the brackets that are plain text (`helpers/parse_link_label.py`), from every `[` the link
and image rules meet. On a line of unclosed `[` (or `[[`, `![[`, `[[a|` ...) each of them steps
to the end of the line: a 100 KB line took 15 s, a 1 MB note 15 minutes.

This is the same walk, but each label's end, once found, is remembered, and a walk that steps
onto a `[` whose own label was already read jumps over that label (or gives up with it, when it
has no end) instead of stepping through it again. The results are markdown-it's own: the step
from each position (`ParserInline.skipToken`) is cached by markdown-it on its first use and never
changes, so a jump lands exactly where the step-by-step walk would.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from markdown_it import helpers

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline

_ENDS = "_vaultnet_label_ends"
"""Attribute of the inline state: (start, posMax, nested links refused) -> end of the label."""

Key = tuple[int, int, bool]


def link_helpers() -> SimpleNamespace:
    """markdown-it's `helpers` with this `parseLinkLabel` (for `MarkdownIt.helpers`)."""
    return SimpleNamespace(
        parseLinkLabel=parse_link_label,
        parseLinkDestination=helpers.parseLinkDestination,
        parseLinkTitle=helpers.parseLinkTitle,
    )


def parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:
    """Where the label opened by the `[` at `start` ends (its `]`), or -1; as markdown-it's."""
    ends: dict[Key, int] = vars(state).setdefault(_ENDS, {})
    key = (start, state.posMax, disableNested)
    end = ends.get(key)
    if end is None:
        end = ends[key] = _walk(state, start, disableNested, ends)
    return end


def _walk(state: StateInline, start: int, refuse_nested: bool, ends: dict[Key, int]) -> int:
    old_pos, limit, src = state.pos, state.posMax, state.src
    skip = state.md.inline.skipToken
    level, pos, end = 1, start + 1, -1
    while pos < limit:
        marker = src[pos]
        if marker == "]":
            level -= 1
            if level == 0:
                end = pos
                break
        state.pos = pos
        skip(state)
        if marker == "[":
            if state.pos == pos + 1:  # a `[` that is text: it opens a nested bracket
                inner = _known_end(ends, pos, limit, refuse_nested)
                if inner is None:
                    level += 1
                elif inner < 0:  # never closed: neither is this one
                    break
                else:  # step off its `]` as the walk would after coming back to this level
                    state.pos = inner
                    skip(state)
            elif refuse_nested:  # a link inside a link's text
                break
        pos = state.pos
    state.pos = old_pos
    return end


def _known_end(ends: dict[Key, int], start: int, limit: int, refuse_nested: bool) -> int | None:
    """The end of the label at `start` as this walk would find it, if already known.

    A walk that refuses nested links finds the same end as one that does not when it ends at
    all (it met no link), and no end when the other found none."""
    end = ends.get((start, limit, refuse_nested))
    if end is None:
        other = ends.get((start, limit, not refuse_nested))
        if other is not None and (other >= 0) != refuse_nested:
            end = other
    return end
