"""The markdown-it instance that reads Obsidian's dialect (imported only when a note is parsed)."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link

from vaultnet.vault.syntax.comments import comment_marker, in_comment
from vaultnet.vault.syntax.math import math
from vaultnet.vault.syntax.nesting import NestingBlockParser
from vaultnet.vault.syntax.position import line_at
from vaultnet.vault.syntax.tags import tag
from vaultnet.vault.syntax.wikilinks import wikilink


def _with_line(rule: Any) -> Any:
    """Wrap markdown-it's own link/image rule so its token remembers line and comment state.

    The rule only looks as far as the end of the line: a link's text never spans lines in a
    note, and unbounded, every unclosed `[` would scan to the end of a 10,000-line table.
    """

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count, limit = state.pos, len(state.tokens), state.posMax
        line_end = state.src.find("\n", start, limit)
        if line_end >= 0:
            state.posMax = line_end
        try:
            matched = rule(state, silent)
        finally:
            state.posMax = limit
        if not matched:
            return False
        if not silent:
            opener = next(t for t in state.tokens[count:] if t.type in ("link_open", "image"))
            opener.meta = {
                "line": line_at(state, start),
                "commented": in_comment(state),
            }
        return True

    return wrapped


def obsidian_markdown() -> MarkdownIt:
    # maxNesting now bounds only the inline rules' recursion (links in link text); lists and
    # quotes nest to any depth through the block parser of `nesting`.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 100})
    block = NestingBlockParser()
    block.ruler = md.block.ruler
    md.block = block
    md.block.ruler.disable(["reference", "hr"])
    md.inline.ruler.disable(["emphasis", "entity", "autolink", "newline"])
    md.inline.ruler2.disable(["emphasis", "balance_pairs"])
    md.core.ruler.disable(["inline", "text_join"])
    md.inline.ruler.before("link", "wikilink", wikilink)
    md.inline.ruler.before("link", "tag", tag)
    md.inline.ruler.before("link", "comment", comment_marker)
    md.inline.ruler.before("link", "math", math)
    md.inline.ruler.at("link", _with_line(link))
    md.inline.ruler.at("image", _with_line(image))
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md
