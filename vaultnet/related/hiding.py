"""Hiding one link from a note, as the link-recovery protocol does: pure, text in, records out.

A note's links to a target are cut from its text with their anchor text (wikilinks, embeds,
markdown links; links elsewhere stay), and the note's record follows without a re-parse: the cut
snippets' words leave its term counts, and a line left without any link takes its words out of
the anchored counts, so they count as loose. Both the learner (`vaultnet.related.learn`) and the
evaluation (`benchmarks/related_quality.py`) hide links this way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import unquote

from vaultnet.related.corpus import NoteData
from vaultnet.vault.parse import URL_SCHEME, parse_note
from vaultnet.vault.syntax.markdown_links import MARKDOWN_LINK
from vaultnet.vault.syntax.wikilinks import FoundWikilink, replace_wikilinks
from vaultnet.vault.terms import tokens

Resolve = Callable[[str, str], str | None]
"""(link target, source note) -> the note it opens, as Obsidian resolves it."""

_ESCAPED = re.compile(r"\\([^\w\s])")
"""A backslash-escaped punctuation character (`T\\(x.md` is `T(x.md`, as the parser reads it)."""


def hide_links(text: str, source: str, target: str, resolve: Resolve) -> tuple[str, list[str]]:
    """`text` of note `source` without any link (and its anchor text) that opens `target`, and
    the removed snippets."""
    removed: list[str] = []

    def wikilink(found: FoundWikilink) -> str:
        if resolve(found.parts.target, source) != target:
            return found.text
        removed.append(found.text)
        return ""

    def markdown(match: re.Match[str]) -> str:
        href = _ESCAPED.sub(r"\1", match.group(2).strip("<>"))
        if not href or URL_SCHEME.match(href):
            return match.group(0)
        path = unquote(href.partition("#")[0]).strip()
        if not path or resolve(path, source) != target:
            return match.group(0)
        removed.append(match.group(0))
        return ""

    return MARKDOWN_LINK.sub(markdown, replace_wikilinks(text, wikilink)), removed


def without(note: NoteData, target: str, removed: list[str], before: str, after: str) -> NoteData:
    """`note` after its links to `target` and their text are removed (`before` -> `after`):
    equal to a re-read except in rare cases (a removal that joins two words, a link cut from the
    frontmatter)."""
    counts = dict(note.terms)
    for snippet in removed:
        for term in tokens(snippet):
            if counts.get(term, 0) > 1:
                counts[term] -= 1
            else:
                counts.pop(term, None)
    anchored = Counter(dict(note.anchored))
    for old, new in zip(before.split("\n"), after.split("\n"), strict=True):
        if old != new:  # a line that held a link to the target
            anchored.subtract(tokens(old))
            if parse_note("line.md", new).links:
                anchored.update(tokens(new))
    return NoteData(
        note.path,
        note.title,
        note.tags,
        tuple(sorted(counts.items())),
        note.links - {target},
        note.person,
        note.names,
        tuple(sorted((t, n) for t, n in anchored.items() if n > 0)),
        note.code,
    )
