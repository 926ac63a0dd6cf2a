"""`[` and `!`: a wikilink or embed, a markdown link or image, or plain text, as one rule.

The rules are asked in markdown-it's order (a line of unclosed brackets first, then wikilinks
before links); a bracket that opens nothing is taken as text here, so markdown-it does not go on
to ask every other rule at it, which on a line of `[` cost ten calls a character.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link

from vaultnet.vault.syntax.comments import in_comment
from vaultnet.vault.syntax.link_label import parse_link_label
from vaultnet.vault.syntax.position import line_at, line_end
from vaultnet.vault.syntax.text import unclosed_brackets
from vaultnet.vault.syntax.wikilinks import wikilink

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline


def _on_one_line(rule: Any) -> Any:
    """markdown-it's own link or image rule, its token remembering line and comment state.

    The rule only looks as far as the end of the line: a link's text never spans lines in a
    note, and unbounded, every unclosed `[` would scan to the end of a 10,000-line table.
    """

    def on_one_line(state: StateInline, silent: bool) -> bool:
        start, count, limit = state.pos, len(state.tokens), state.posMax
        end = line_end(state, start)
        if end < limit:
            state.posMax = end
        try:
            matched = rule(state, silent)
        finally:
            state.posMax = limit
        if not matched:
            return False
        if not silent:
            opener = next(t for t in state.tokens[count:] if t.type in ("link_open", "image"))
            opener.meta = {"line": line_at(state, start), "commented": in_comment(state)}
        return True

    return on_one_line


link_on_one_line = _on_one_line(link)
image_on_one_line = _on_one_line(image)


def _may_open(state: StateInline, pos: int) -> bool:
    """Whether the link or image at `pos` has a text that ends in `](` on this line, as its rule
    would find it (asked first, so the rule is not called where a line of `[` cannot open one)."""
    src, limit = state.src, state.posMax
    end = line_end(state, pos)
    if end < limit:
        state.posMax = end
    try:
        if src[pos] == "[":
            label = parse_link_label(state, pos, True)
        elif pos + 1 < state.posMax and src[pos + 1] == "[":
            label = parse_link_label(state, pos + 1, False)
        else:
            return False
        return label >= 0 and label + 1 < state.posMax and src[label + 1] == "("
    finally:
        state.posMax = limit


def brackets(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    first = src[pos]
    if first == "[":
        opens = link_on_one_line
    elif first == "!":
        opens = image_on_one_line
    else:
        return False
    if not silent and state.cache.get(pos) == pos + 1:
        # A link text's walk stepped here and found that nothing opens (markdown-it's
        # `skipToken` cache, made within the line as these rules are): take the run at once.
        end = pos + 1
        while end < state.posMax and src[end] in "[!" and state.cache.get(end) == end + 1:
            end += 1
        state.append_pending(src[pos:end])
        state.pos = end
        return True
    if unclosed_brackets(state, silent) or wikilink(state, silent):
        return True
    if _may_open(state, pos) and opens(state, silent):
        return True
    if not silent:  # what markdown-it does with a character no rule takes
        state.append_pending(first)
    state.pos += 1
    return True
