"""The records every other module passes around. A note's identity is its vault-relative POSIX path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from vaultnet.vault.terms import subtract_counts

NoteId = str
"""A vault-relative POSIX path such as `People/Jane Doe.md`."""

LinkKind = Literal["wikilink", "embed", "markdown", "frontmatter"]

GENERATOR_KEY = "vaultnet-generator"
"""Frontmatter key that marks vaultnet's own generated pages (its value names the generator)."""
HASH_KEY = "vaultnet-hash"
"""Frontmatter key holding the hash of the body vaultnet wrote (a user's edit changes it)."""


def block_begin(name: str, content_hash: str) -> str:
    """The line that opens generator `name`'s marked block inside a user's note."""
    return f"<!-- vaultnet:{name}:begin hash={content_hash} -->"


def block_end(name: str) -> str:
    """The line that closes generator `name`'s marked block."""
    return f"<!-- vaultnet:{name}:end -->"


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    """The path part as written: no heading, block or alias; empty for `[[#Heading]]`."""
    kind: LinkKind
    line: int
    """1-based line in the raw file (frontmatter lines count)."""
    heading: str | None = None
    block: str | None = None
    """Block id without `^`."""
    display: str | None = None
    commented: bool = False
    """Inside `%% ... %%`: recorded, as Obsidian's link cache does, but never a contact or idea."""
    context: str = ""
    """The stripped text of the line the link is on (the evidence for an interaction)."""
    item_line: int = 0
    """1-based line where the paragraph or list item holding the link starts (two links with
    the same one are in the same item); 0 for a link in a property."""
    passage: str = ""
    """When the link's line is part of a sentence wrapped over several lines of a paragraph or
    list item: that sentence's lines joined (what a quote shows); else empty (`context` is
    whole)."""
    markdown: bool = False
    """Written in markdown's syntax: `[text](path)`, or an image, `![alt](path)` (an embed)."""


@dataclass(frozen=True, slots=True)
class Problem:
    path: NoteId
    line: int | None
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class Note:
    path: NoteId
    title: str
    frontmatter: dict[str, Any]
    """Properties as Obsidian shows them; empty when the block is missing or malformed."""
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    date: dt.date | None = None
    inline_fields: dict[str, Any] = field(default_factory=dict)
    """Dataview `key:: value` fields (never override frontmatter)."""
    problems: tuple[Problem, ...] = ()
    generator: str | None = None
    """Set on vaultnet's own generated pages (from their frontmatter marker): never user content."""
    terms: dict[str, int] = field(default_factory=dict)
    """Word counts of the title, body (code blocks with identifiers split) and property values
    (`vaultnet.vault.terms`)."""
    anchored_terms: dict[str, int] = field(default_factory=dict)
    """The part of `terms` that is not loose: the words of the title, the property values and the
    body lines that hold a link (usually few; see `loose_terms`)."""
    code_terms: dict[str, int] = field(default_factory=dict)
    """Word counts of the code blocks alone: the part of `terms` the text signal weighs less."""
    dated_lines: tuple[tuple[int, str, str], ...] = ()
    """List items that start with a date (`- 2026-03-07 coffee`): (line, ISO date, line text)."""
    name_lines: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    """A dated note's lines that hold capitalised words, where a name can be written without a
    link: (line, line text, pair keys) (`vaultnet.vault.names`)."""
    need_lines: tuple[tuple[int, str], ...] = ()
    """An undated note's lines that say what someone looks for: (line, line text)
    (`vaultnet.vault.needs`; a person's note is undated)."""

    def loose_terms(self) -> dict[str, int]:
        """Word counts of the body lines (without code) that hold no link: what the note says
        without linking it, which the related-notes "loose" signal matches against others."""
        return subtract_counts(self.terms, self.anchored_terms)

    def properties(self) -> dict[str, Any]:
        """Frontmatter, with Dataview inline fields filling in keys the frontmatter lacks."""
        return {**self.inline_fields, **self.frontmatter}


def to_json(value: Any) -> Any:
    """Properties as JSON values: dates as `YYYY-MM-DD`, date-times as `YYYY-MM-DDTHH:MM:SS`."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset):  # YAML `!!set`
        return sorted((to_json(v) for v in value), key=repr)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
