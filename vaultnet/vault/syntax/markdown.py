"""The markdown-it instance that reads Obsidian's dialect (imported only when a note is parsed)."""

from __future__ import annotations

from markdown_it import MarkdownIt

from vaultnet.vault.syntax.brackets import brackets
from vaultnet.vault.syntax.comments import comment_marker
from vaultnet.vault.syntax.link_label import link_helpers
from vaultnet.vault.syntax.math import math
from vaultnet.vault.syntax.nesting import NestingBlockParser
from vaultnet.vault.syntax.tags import tag
from vaultnet.vault.syntax.text import text


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
    md.inline.ruler.at("text", text)
    md.inline.ruler.disable(["link", "image"])  # both in `brackets`, with wikilinks and embeds
    md.inline.ruler.after("text", "brackets", brackets)
    md.inline.ruler.after("brackets", "tag", tag)
    md.inline.ruler.after("tag", "comment", comment_marker)
    md.inline.ruler.after("comment", "math", math)
    md.helpers = link_helpers()  # type: ignore[assignment]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md
