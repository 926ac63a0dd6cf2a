"""`[[Target#Heading|shown]]` and `![[embed]]`: one markdown-it inline rule for notes, and one
finder for plain text (property values, lines quoted on a page) that every module uses.

The rule runs before markdown-it's own `link` rule, so `[[` never reaches it. Inside tables Obsidian
users escape the alias pipe (`[[T\\|alias]]`); publishing tools write that everywhere, so it is
accepted everywhere and the backslash never stays in the target.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.vault.syntax.comments import in_comment
from vaultnet.vault.syntax.position import line_at, line_end, next_at

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline


@dataclass(frozen=True, slots=True)
class WikiTarget:
    target: str
    heading: str | None
    block: str | None
    display: str | None
    link: str
    """What stands before the `|` (`Note#Heading`), stripped, without the backslash of `\\|`."""


def split_wikilink(inner: str) -> WikiTarget:
    """`T#H|alias` (the text between the brackets) -> its parts."""
    target, display = inner, None
    pipe = inner.find("|")
    if pipe >= 0:
        target = inner[: pipe - 1] if pipe and inner[pipe - 1] == "\\" else inner[:pipe]
        display = inner[pipe + 1 :].replace("\\|", "|").strip()
    link = target.strip()
    heading = block = None
    hash_at = target.find("#")
    if hash_at >= 0:
        subpath = target[hash_at + 1 :].strip()
        target = target[:hash_at]
        if subpath.startswith("^"):
            block = subpath[1:] or None
        else:
            heading = subpath or None
    return WikiTarget(target.strip(), heading, block, display, link)


WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
"""A wikilink or embed in plain text: `[[`, text without brackets or line breaks, `]]`."""


@dataclass(frozen=True, slots=True)
class FoundWikilink:
    """A wikilink found in plain text: where it stands, and its parts as the parser reads them."""

    text: str
    """The whole link as written, `!` of an embed included."""
    start: int
    end: int
    embed: bool
    parts: WikiTarget


def find_wikilinks(text: str) -> Iterator[FoundWikilink]:
    """The wikilinks and embeds of `text`, in order."""
    for match in WIKILINK.finditer(text):
        yield FoundWikilink(
            match.group(0),
            match.start(),
            match.end(),
            bool(match.group(1)),
            split_wikilink(match.group(2)),
        )


def replace_wikilinks(text: str, replace: Callable[[FoundWikilink], str]) -> str:
    """`text` with each wikilink or embed replaced by what `replace` makes of it."""
    out: list[str] = []
    done = 0
    for found in find_wikilinks(text):
        out += (text[done : found.start], replace(found))
        done = found.end
    return "".join(out) + text[done:] if out else text


def wikilink(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    start = pos + 3 if embed else pos + 2
    if (not embed and not src.startswith("[[", pos)) or src.startswith("[[", start):
        return False  # (`[[[[`: a `[[` inside, if this one closes at all)
    end = next_at(state, "]]", start)
    if end < 0 or end >= line_end(state, start):  # links never span lines
        return False
    nested = next_at(state, "[[", start)
    if 0 <= nested <= end - 2:  # `[[` inside: the link starts there, if anywhere
        return False
    inner = src[start:end]
    if not inner.strip():
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.markup = "![[" if embed else "[["
        token.content = inner
        token.meta = {"line": line_at(state, pos), "embed": embed, "commented": in_comment(state)}
    state.pos = end + 2
    return True
