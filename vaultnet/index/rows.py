"""The index's records: what features read (`NoteRow`, `LinkRow`, ...), and a parsed note as the
rows that store it. Pure: conversions between records and table rows, no SQL."""

from __future__ import annotations

import datetime as dt
import json
import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any, NamedTuple

from vaultnet.vault.model import Link, Note, to_json

WORD = re.compile(r"\w+")
LONGEST_VALUE = 200
"""Property values longer than this (descriptions, not kinds) give no words."""


class FileRow(NamedTuple):
    """A file as the scan last saw it (a tuple: the scan reads one per file of the vault)."""

    path: str
    size: int
    mtime_ns: int
    hash: str | None
    kind: str


class FileState(NamedTuple):
    """What a file's content and kind are, as far as a reader comparing two moments cares."""

    hash: str | None
    kind: str


def changed_files(
    before: Mapping[str, FileState], after: Mapping[str, FileState]
) -> tuple[set[str], set[str]]:
    """The paths whose (content hash, kind) differ between two moments, and those of them that
    came, went or changed kind (a link elsewhere may now resolve to them, or no longer)."""
    if before == after:  # the usual answer, in C: 50 ms less per comparison at 100,000 files
        return set(), set()
    changed = {p for p, state in after.items() if before.get(p) != state}
    changed |= before.keys() - after.keys()
    return changed, {p for p in changed if _kind(before, p) != _kind(after, p)}


def _kind(files: Mapping[str, FileState], path: str) -> str:
    """The kind of file at `path` ("" when there is none)."""
    found = files.get(path)
    return found.kind if found is not None else ""


Terms = tuple[dict[str, int], dict[str, int], dict[str, int]]
"""A note's (term counts, anchored term counts, code term counts)."""
TermColumns = tuple[str, bytes, bytes, bytes]
"""A note's terms as the index stores them: its words, space-separated (a term holds only
letters, digits and marks), then its term, anchored term and code term counts, each an array of
32-bit integers aligned with the words (`array("i")`, a C int: 4 bytes in the machine's own order
on every platform Python runs on, as `np.int32` reads it; empty when all are zero). Reading them is a
split and three array reads, where three JSON objects per note were a quarter of building the
related corpus at 10,000 notes (docs/benchmarks.md, stop 35)."""


def aligned_counts(
    terms: Mapping[str, int], *more: Mapping[str, int]
) -> tuple[list[str], list[list[int]]]:
    """The words of these counts (each once, those of `terms` first) and each one's counts
    aligned with them (an empty list for empty counts)."""
    words = list(dict.fromkeys(chain(terms, *more))) if any(more) else list(terms)
    return words, [[c.get(w, 0) for w in words] if c else [] for c in (terms, *more)]


def term_columns(terms: Terms) -> TermColumns:
    """A note's `Terms` as the index stores them (`TermColumns`)."""
    words, (counts, anchored, code) = aligned_counts(*terms)
    return " ".join(words), _blob(counts), _blob(anchored), _blob(code)


def _blob(counts: list[int]) -> bytes:
    return array("i", counts).tobytes()


def terms_of_columns(columns: TermColumns) -> Terms:
    """`Terms` from `term_columns` (terms whose count is zero left out)."""
    words = columns[0].split(" ")
    counts, anchored, code = (  # (an empty array: no word has a count there)
        {w: n for w, n in zip(words, array("i", blob), strict=False) if n} for blob in columns[1:]
    )
    return counts, anchored, code


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note as the index holds it (what features read)."""

    path: str
    title: str
    date: dt.date | None
    frontmatter: dict[str, Any]
    inline_fields: dict[str, Any]
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    generator: str | None
    template: bool
    excluded: bool
    dated_lines: tuple[tuple[int, dt.date, str], ...] = ()
    """List items starting with a date (`- 2026-03-07 coffee`): (line, date, line text)."""
    need_lines: tuple[tuple[int, str], ...] = ()
    """Lines that say what someone looks for: (line, line text) (`vaultnet.vault.needs`)."""

    def properties(self) -> dict[str, Any]:
        return {**self.inline_fields, **self.frontmatter}


@dataclass(frozen=True, slots=True)
class NoteHead:
    """What a note is without its JSON columns: title, date and what kind of note it is."""

    path: str
    title: str
    date: dt.date | None
    template: bool
    excluded: bool
    generator: str | None


@dataclass(frozen=True, slots=True)
class IncomingLink:
    """A link into an asked-for note, with what counting it as a mention needs of its source."""

    src: str
    path: str
    target: str
    kind: str
    line: int
    commented: bool
    context: str
    src_date: dt.date | None
    src_user: bool
    """False when the source is a template, excluded or generated note."""
    passage: str = ""
    """The link's sentence when it is wrapped over several lines (`Link.passage`)."""


@dataclass(frozen=True, slots=True)
class NameLine:
    """A dated note's line that may name a person without a link (`vaultnet.vault.names`)."""

    key: str
    """The case-folded pair of words it was found under."""
    src: str
    line: int
    text: str
    src_date: dt.date


@dataclass(frozen=True, slots=True)
class LinkRow:
    src: str
    link: Link
    path: str | None
    """The resolved vault path, or None."""


NOTE_COLUMNS = 12
LINK_COLUMNS = 15


@dataclass(frozen=True, slots=True)
class NoteRows:
    """One note as rows of the index's tables (built where the note was parsed)."""

    note: tuple[Any, ...]
    links: list[tuple[Any, ...]]
    tags: list[tuple[str, str]]
    words: list[tuple[str, str, str]]
    names: list[tuple[str, str, int, str]]
    """(pair key, path, line, line text) of the lines where a name can be written unlinked."""
    terms: tuple[str, str, bytes, bytes, bytes] | None
    problems: list[tuple[Any, ...]]


def property_words(path: str, properties: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, lower-cased key, word) for every word of a short text value (or list item) of the
    note's properties: what lets a feature find the notes whose `type` or `tags` can name a
    kind (`IndexView.paths_with_words`) without decoding every note's properties."""
    from vaultnet.vault.resolve import fold

    found: set[tuple[str, str, str]] = set()
    for key, value in properties.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):  # `draft: true`: the word says it
                found.add((path, str(key).lower(), str(item).lower()))
            elif isinstance(item, str) and len(item) <= LONGEST_VALUE:
                found.update((path, str(key).lower(), w) for w in WORD.findall(fold(item)))
    return sorted(found)


def note_rows(
    note: Note, resolved: list[str | None], *, template: bool, excluded: bool
) -> NoteRows:
    """The rows that store `note`, whose links resolve to `resolved` (pure: runs in workers)."""
    from vaultnet.vault.resolve import link_name

    dumps = json.dumps
    return NoteRows(
        note=(
            note.path,
            note.title,
            note.date.isoformat() if note.date else None,
            dumps(to_json(note.frontmatter), ensure_ascii=False),
            dumps(to_json(note.inline_fields), ensure_ascii=False),
            dumps(note.aliases, ensure_ascii=False),
            dumps(note.tags, ensure_ascii=False),
            note.generator,
            int(template),
            int(excluded),
            dumps(note.dated_lines, ensure_ascii=False) if note.dated_lines else "[]",
            dumps(note.need_lines, ensure_ascii=False) if note.need_lines else "[]",
        ),
        links=[
            (
                note.path,
                seq,
                k.target,
                link_name(k.target, note.path) if k.target else "",
                path,
                k.kind,
                k.heading,
                k.block,
                k.display,
                k.line,
                int(k.commented),
                k.context,
                k.item_line,
                k.passage,
                int(k.markdown),
            )
            for seq, (k, path) in enumerate(zip(note.links, resolved, strict=True))
        ],
        tags=list(dict.fromkeys((note.path, t.lower()) for t in note.tags)),
        words=property_words(note.path, {**note.inline_fields, **note.frontmatter}),
        names=[
            (key, note.path, line, text) for line, text, keys in note.name_lines for key in keys
        ],
        terms=(note.path, *term_columns((note.terms, note.anchored_terms, note.code_terms)))
        if note.terms
        else None,
        problems=[(p.path, p.line, p.kind, p.message, "note") for p in note.problems],
    )


def date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def note_row(row: tuple[Any, ...]) -> NoteRow:
    loads = json.loads
    return NoteRow(
        row[0],
        row[1],
        dt.date.fromisoformat(row[2]) if row[2] else None,
        loads(row[3]),
        loads(row[4]),
        tuple(loads(row[5])),
        tuple(loads(row[6])),
        row[7],
        bool(row[8]),
        bool(row[9]),
        tuple((n, dt.date.fromisoformat(d), t) for n, d, t in loads(row[10]))
        if row[10] != "[]"
        else (),
        tuple((n, t) for n, t in loads(row[11])) if row[11] != "[]" else (),
    )


def link_row(row: tuple[Any, ...]) -> LinkRow:
    (
        src,
        _seq,
        target,
        _name,
        path,
        kind,
        heading,
        block,
        display,
        line,
        commented,
        context,
        item,
        passage,
        markdown,
    ) = row
    link = Link(
        target,
        kind,
        line,
        heading,
        block,
        display,
        bool(commented),
        context,
        item,
        passage,
        bool(markdown),
    )
    return LinkRow(src, link, path)
