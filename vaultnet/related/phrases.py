"""Checking an unlinked-mention reason before a reader sees it. The mentions signal finds a note's
name through the term index: every word of the name somewhere in the other note. A page that
says "mentions this note without a link" must be right, so a mention reason is kept only where
the note's prose holds the name itself, as a phrase (its title, file name or an alias; any case,
accents or punctuation between the words); otherwise the reason is dropped (the score, which
measures shared words, stays). Prose is what a reader reads as the note's own words: not code
(fenced blocks and inline spans: `reset_index` names no note "index"), not a link (its target
or its text: `[overview](sub/index.md)` links another note, it mentions none), not a URL or an
HTML tag. The check is pure; `Mentions` reads what it needs for a run (the
notes' names in one query, each asked-about note's text once)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from vaultnet.index.view import IndexView
from vaultnet.reasons import Reason
from vaultnet.related.calibration import Related
from vaultnet.related.rankings import Pair
from vaultnet.vault.files import read_note_text
from vaultnet.vault.lookup import plain
from vaultnet.vault.resolve import note_stem
from vaultnet.vault.syntax.markdown_links import LINK_DEFINITION, MARKDOWN_LINK, REFERENCE_LINK
from vaultnet.vault.syntax.wikilinks import WIKILINK
from vaultnet.vault.terms import URL

MENTIONS = ("this note mentions ", " without a link")
"""The words of "this note mentions [[B]] without a link" (B's name in this note's text)."""
MENTIONED = ("mentions this note without a link",)
"""The words of "mentions this note without a link" (this note's name in B's text)."""
_NOT_WORD = re.compile(r"[\W_]+")
_BLOCK = re.compile(r"<!-- vaultnet:([a-z0-9_-]+):begin[^\n]*-->.*?<!-- vaultnet:\1:end -->", re.S)
"""A marked block vaultnet wrote into a note (its own words, never the note's)."""


@lru_cache(maxsize=65536)
def _words(text: str) -> str:
    """`text` as matched: plain words between single spaces. Kept per name (a name is asked about
    for many notes)."""
    return f" {_NOT_WORD.sub(' ', plain(text)).strip()} "


_OPENS = re.compile(r"^((?:[ \t]*>)*)[ \t]*(`{3,}(?=[^`]*$)|~{3,})")
"""A line that opens a fenced code block, in quotes or a callout too (group 1: the `>`s); a
backtick fence's info string holds no backtick (` ```x``` ` is inline code)."""
_CLOSES = re.compile(r"^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})[ \t]*$")
"""A line that can close a fenced code block: the fence alone."""
_COMMENT = re.compile(r"%%[\s\S]*?%%")
"""An Obsidian comment, hidden in reading view (one line or many)."""
_NOT_PROSE = re.compile(
    "|".join(
        (
            r"(?P<ticks>`+)[^`\n]*?(?P=ticks)",  # an inline code span
            WIKILINK.pattern,  # a wikilink or embed, its text included
            MARKDOWN_LINK.pattern,  # a markdown link or image, its text included
            REFERENCE_LINK.pattern,
            LINK_DEFINITION.pattern,
            f"(?i:{URL.pattern})",
            r"<[a-zA-Z/!][^<>\n]*>",  # an HTML tag (its attributes too)
        )
    ),
    re.MULTILINE,
)


@lru_cache(maxsize=4096)
def _body(text: str) -> str:
    """A note's prose as matched (`prose`). Kept per text: a page checks its note against each
    related note's names, and a note is related to many (at 10,000 notes the text of each note
    was made plain once per pair: 52 s of a run of every page)."""
    return _words.__wrapped__(prose(text))


def prose(text: str) -> str:
    """`text` without what is not its own prose: vaultnet's marked blocks, fenced code blocks,
    comments, inline code, links with their text (wikilinks, markdown and reference links, link
    definitions), URLs and HTML tags (each becomes a space). Indented code blocks stay."""
    kept: list[str] = []
    fence, depth = "", 0
    for line in _BLOCK.sub(" ", text).split("\n"):
        bare = line.rstrip("\r")
        if fence:
            closes = _CLOSES.match(bare)
            if closes and closes.group(1)[:1] == fence[:1] and len(closes.group(1)) >= len(fence):
                fence = ""
            elif _quotes(bare) < depth:  # the quote ended, and the block with it
                fence = ""
                kept.append(line)
            continue
        opens = _OPENS.match(bare)
        if opens:
            fence, depth = opens.group(2), opens.group(1).count(">")
        else:
            kept.append(line)
    return _NOT_PROSE.sub(" ", _COMMENT.sub(" ", "\n".join(kept)))


def _quotes(line: str) -> int:
    """How many `>` (quote or callout levels) a line starts with."""
    count, at = 0, 0
    while True:
        at = len(line) - len(line[at:].lstrip(" \t"))
        if not line.startswith(">", at):
            return count
        count, at = count + 1, at + 1


def holds_name(text: str, names: Iterable[str]) -> bool:
    """Whether `text` holds one of `names` as a phrase (whole words, any case or accents) in its
    prose (`prose`)."""
    body = _body(text)
    return any(len(form) > 2 and form in body for form in map(_words, names))


def checked(
    subject: str,
    other: str,
    reasons: tuple[Reason, ...],
    names: Callable[[str], Iterable[str]],
    text: Callable[[str], str],
) -> tuple[Reason, ...]:
    """`reasons` why `other` is related to `subject`, each mention reason kept only where the
    name is really written (`names`: a note's names by path; `text`: a note's text by path)."""

    def true(reason: Reason) -> bool:
        if reason.words == MENTIONS:
            return holds_name(text(subject), names(other))
        if reason.words == MENTIONED:
            return holds_name(text(other), names(subject))
        return True

    return tuple(r for r in reasons if true(r))


def true_mentions(
    subject: str,
    related: list[Related],
    names: Callable[[str], Iterable[str]],
    text: Callable[[str], str],
) -> list[Related]:
    """`related` (the notes related to `subject`) with their mention reasons `checked`."""
    out = []
    for item in related:
        kept = checked(subject, item.path, item.reasons, names, text)
        out.append(item if kept == item.reasons else replace(item, reasons=kept))
    return out


class Mentions:
    """What checking mention reasons reads (`vaultnet.related.phrases`): the notes' names (one
    query: of every note, or of `paths`) and the text of the notes it is asked about (read once
    each)."""

    def __init__(self, view: IndexView, root: Path, paths: Iterable[str] | None = None) -> None:
        self._view = view
        self._root = root
        self._paths = paths
        """The only notes it will be asked about, when known (their names alone are read)."""
        self._names: dict[str, tuple[str, ...]] | None = None
        self._texts: dict[str, str] = {}

    def names(self, path: str) -> tuple[str, ...]:
        if self._names is None:
            found = self._view.note_names(self._paths)
            self._names = {p: (note_stem(p), title, *aliases) for p, title, aliases in found}
        return self._names.get(path, (note_stem(path),))

    def text(self, path: str) -> str:
        if path not in self._texts:
            self._texts[path] = read_note_text(self._root, path)
        return self._texts[path]


def checked_pairs(pairs: list[Pair], mentions: Mentions) -> list[Pair]:
    """`pairs` with their mention reasons `checked` (`vaultnet.related.phrases`)."""
    out = []
    for pair in pairs:
        kept = checked(pair.first, pair.second, pair.reasons, mentions.names, mentions.text)
        out.append(pair if kept == pair.reasons else replace(pair, reasons=kept))
    return out


def checked_related(
    view: IndexView, root: Path, subject: str, related: list[Related]
) -> list[Related]:
    """`related` (the notes related to `subject`) with their mention reasons `checked` against
    the vault's text (`Mentions`)."""
    mentions = Mentions(view, root, [subject, *(item.path for item in related)])
    return true_mentions(subject, related, mentions.names, mentions.text)
