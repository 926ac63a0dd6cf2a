"""The index's read side: the questions features and plugins ask, each answered with records
(never JSON text), over a connection that can only read (a write raises). With `schema` and
`writer`, the only module with SQL.

Questions about many notes take the paths at once and answer in one query (the paths travel as
one JSON array, `json_each`): a feature gathers what it needs up front, never one note at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from vaultnet.errors import IndexDamaged
from vaultnet.index.rows import (
    FileState,
    IncomingLink,
    LinkRow,
    NameLine,
    NoteHead,
    NoteRow,
    TermColumns,
    Terms,
    date_or_none,
    link_row,
    note_row,
    terms_of_columns,
)
from vaultnet.index.schema import open_readonly, translated
from vaultnet.vault.model import Problem

USER = "notes.template = 0 AND notes.excluded = 0 AND notes.generator IS NULL"
"""A note of the user's: not a template, excluded or a generated page."""
UNRESOLVED = """
SELECT {what} FROM links JOIN notes ON notes.path = links.src
WHERE links.path IS NULL AND links.commented = 0 AND notes.template = 0
  AND notes.generator IS NULL
"""


class IndexView:
    """The index of one vault, read-only. Every answer is as of the last commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.real_path = os.path.realpath(path)
        """The index file's path with symlinks resolved: the same however it was named."""
        self._db = open_readonly(path)
        self._states: tuple[int, dict[str, FileState]] | None = None
        """The last `file_states` read, and the `data_version` it was read at."""

    def close(self) -> None:
        self._db.close()

    def reopen(self) -> None:
        """Connect again, to the file now at the index's path (a damaged one was replaced)."""
        self._db.close()
        self._db = open_readonly(self.path)
        self._states = None  # another connection counts its own versions

    def check_integrity(self) -> None:
        """SQLite's full check of the file (a fraction of a second per 10,000 notes; `doctor`
        runs it): raises `IndexDamaged` naming the first damage it finds."""
        with translated(self.path):
            found = [row[0] for row in self._db.execute("PRAGMA integrity_check(1)")]
        if found != ["ok"]:
            reason = f"integrity check: {found[0] if found else 'no answer'}"
            raise IndexDamaged(f"{self.path}: the index is damaged ({reason})", reason=reason)

    def _each(self, query: str, values: Iterable[str]) -> list[tuple[Any, ...]]:
        """`query` with `?` bound to the distinct `values` as a table named `wanted (value)`."""
        wanted = json.dumps(sorted(set(values)), ensure_ascii=False)
        return self._db.execute(
            f"WITH wanted(value) AS (SELECT value FROM json_each(?)) {query}", (wanted,)
        ).fetchall()

    def meta(self, key: str) -> str | None:
        """A value the scan records (`fingerprint`, `root`: what every note's reading depends on)."""
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # files
    def paths_of_kind(self, kind: str) -> list[str]:
        """Paths of the files of one kind (`note`, `attachment`, `conflict`, ...), by path."""
        query = "SELECT path FROM files WHERE kind = ? ORDER BY path"
        return [r[0] for r in self._db.execute(query, (kind,))]

    def file_states(self) -> dict[str, FileState]:
        """Path -> (content hash, kind) of every file: a note whose pair is unchanged holds
        the same content as before (its links may still resolve differently). Read once per
        commit: a watcher's batch asks three times (0.18 s a read at 100,000 files), and the
        answer changes only when another connection (the index's writer) commits, which is
        when SQLite's `data_version` changes. Each caller gets its own copy."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._states is None or self._states[0] != version:
            query = "SELECT path, hash, kind FROM files"
            self._states = (version, {r[0]: FileState(r[1], r[2]) for r in self._db.execute(query)})
        return dict(self._states[1])

    # notes
    def note(self, path: str) -> NoteRow | None:
        row = self._db.execute("SELECT * FROM notes WHERE path=?", (path,)).fetchone()
        return note_row(row) if row else None

    def notes(self, paths: Iterable[str] | None = None) -> list[NoteRow]:
        """Every note, or those at `paths` (absent paths are skipped), by path."""
        if paths is None:
            rows = self._db.execute("SELECT * FROM notes ORDER BY path").fetchall()
        else:
            query = "SELECT notes.* FROM wanted JOIN notes ON notes.path = wanted.value"
            rows = self._each(query + " ORDER BY notes.path", paths)
        return [note_row(r) for r in rows]

    def note_heads(self, paths: Iterable[str] | None = None) -> dict[str, NoteHead]:
        """Path -> title, date and kind of every note, or of those at `paths`."""
        columns = "notes.path, title, date, template, excluded, generator"
        if paths is None:
            rows = self._db.execute(f"SELECT {columns} FROM notes ORDER BY path").fetchall()
        else:
            query = f"SELECT {columns} FROM wanted JOIN notes ON notes.path = wanted.value"
            rows = self._each(query, paths)
        return {
            r[0]: NoteHead(r[0], r[1], date_or_none(r[2]), bool(r[3]), bool(r[4]), r[5])
            for r in rows
        }

    def note_names(
        self, paths: Iterable[str] | None = None
    ) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """(path, title, aliases) of every note, or of those at `paths`: what a name typed by the
        user can match."""
        if paths is None:
            rows = self._db.execute("SELECT path, title, aliases FROM notes").fetchall()
        else:
            query = "SELECT path, title, aliases FROM wanted JOIN notes ON path = wanted.value"
            rows = self._each(query, paths)
        for path, title, aliases in rows:
            yield path, title, tuple(json.loads(aliases))

    def user_note_paths(self) -> set[str]:
        """Paths of the notes that are not templates, excluded or generated pages."""
        return {r[0] for r in self._db.execute(f"SELECT path FROM notes WHERE {USER}")}

    def generated_pages(self) -> dict[str, str]:
        """Path -> generator of every note that carries vaultnet's page marker."""
        query = "SELECT path, generator FROM notes WHERE generator IS NOT NULL"
        return dict(self._db.execute(query).fetchall())

    def paths_with_words(self, keys: Iterable[str], words: Iterable[str]) -> set[str]:
        """User notes with a short property value (or list item) under one of `keys` (lower
        case) that holds one of `words` (folded, `\\w+`): `type: Person`, `tags: [crm/person]`."""
        keys, words = sorted(set(keys)), sorted(set(words))
        if not keys or not words:
            return set()
        query = (
            f"SELECT DISTINCT words.path FROM words JOIN notes ON notes.path = words.path"
            f" WHERE words.key IN ({_marks(keys)}) AND words.word IN ({_marks(words)}) AND {USER}"
        )
        return {r[0] for r in self._db.execute(query, (*keys, *words))}

    # tags and words
    def tags_of(self, paths: Iterable[str] | None = None) -> dict[str, set[str]]:
        """Path -> lower-cased tags of every note, or of those at `paths` (untagged: absent)."""
        if paths is None:
            rows = self._db.execute("SELECT path, tag FROM tags").fetchall()
        else:
            rows = self._each("SELECT path, tag FROM wanted JOIN tags ON path = value", paths)
        found: dict[str, set[str]] = {}
        for path, tag in rows:
            found.setdefault(path, set()).add(tag)
        return found

    def tag_names(self) -> set[str]:
        """Every lower-cased tag the vault's notes carry (once each)."""
        return {r[0] for r in self._db.execute("SELECT DISTINCT tag FROM tags")}

    def paths_tagged(self, tags: Iterable[str]) -> set[str]:
        """The notes that carry one of these lower-cased tags."""
        return {
            r[0]
            for r in self._each("SELECT DISTINCT path FROM wanted JOIN tags ON tag = value", tags)
        }

    def terms(self, paths: Iterable[str] | None = None) -> dict[str, Terms]:
        """Path -> (term counts, anchored term counts, code term counts) of every note with
        words, or of those at `paths` (`Note.terms`, `anchored_terms`, `code_terms`)."""
        return {path: terms_of_columns(c) for path, c in self.term_columns(paths).items()}

    def term_words(self, paths: Iterable[str]) -> dict[str, set[str]]:
        """Path -> the terms of each note at `paths` that has words (`terms` without counts:
        every stored word has a count)."""
        query = "SELECT path, words FROM wanted JOIN terms ON path = value"
        return {path: set(words.split(" ")) for path, words in self._each(query, paths)}

    def term_columns(self, paths: Iterable[str] | None = None) -> dict[str, TermColumns]:
        """`terms` as stored (`TermColumns`): what a reader of many notes' terms decodes in
        bulk (`vaultnet.related.load`)."""
        rows: Iterable[tuple[Any, ...]]
        if paths is None:
            query = "SELECT path, words, counts, anchored, code FROM terms ORDER BY path"
            rows = self._db.execute(query)
        else:
            query = (
                "SELECT path, words, counts, anchored, code FROM wanted JOIN terms ON path = value"
            )
            rows = self._each(query + " ORDER BY path", paths)
        return {path: (words, *blobs) for path, words, *blobs in rows}

    # links
    def links_from(self, sources: Iterable[str] | None = None) -> list[LinkRow]:
        """Every link written in the notes at `sources` (every link of the vault when None),
        by source and position."""
        if sources is None:
            rows = self._db.execute("SELECT * FROM links ORDER BY src, seq").fetchall()
        else:
            query = "SELECT links.* FROM wanted JOIN links ON links.src = wanted.value"
            rows = self._each(query + " ORDER BY links.src, links.seq", sources)
        return [link_row(r) for r in rows]

    def resolved_links(self) -> Iterator[tuple[str, str]]:
        """(source, path it resolves to) of every resolved link of the vault, streamed (at
        100,000 notes every link as a `LinkRow` held at once took over a gigabyte)."""
        yield from self._db.execute("SELECT src, path FROM links WHERE path IS NOT NULL")

    def links_into(self, paths: Iterable[str]) -> list[IncomingLink]:
        """Every link that resolves to one of `paths`, with what counting it as a mention needs
        of its source (date, a user note or not), by source and position. Each source note is
        read once, not once per link (143,000 links from 57,000 notes at 100,000 notes: the
        join read each source again per link, 0.3 s of 0.8 s)."""
        rows = self._each(
            "SELECT links.src, links.path, links.target, links.kind, links.line,"
            " links.commented, links.context, links.passage"
            " FROM wanted JOIN links ON links.path = wanted.value ORDER BY links.src, links.seq",
            paths,
        )
        sources = self._each(
            f"SELECT notes.path, notes.date, {USER}"
            " FROM wanted JOIN notes ON notes.path = wanted.value",
            {row[0] for row in rows},
        )
        days: dict[str, dt.date] = {}
        heads: dict[str, tuple[dt.date | None, bool]] = {}
        for src, day, user in sources:
            if day is not None and day not in days:
                days[day] = dt.date.fromisoformat(day)
            heads[src] = (None if day is None else days[day], bool(user))
        out = []
        for src, path, target, kind, line, commented, context, passage in rows:
            head = heads.get(src)
            if head is None:  # no note holds it: left out, as a join would
                continue
            out.append(
                IncomingLink(
                    src, path, target, kind, line, bool(commented), context, *head, passage
                )
            )
        return out

    def items_into(self, paths: Iterable[str]) -> dict[tuple[str, int], int]:
        """(source, line) -> the line its list item or paragraph starts on, for the links into
        `paths` in an item that starts on an earlier line (the rest start on their own line)."""
        rows = self._each(
            "SELECT DISTINCT links.src, links.line, links.item_line"
            " FROM wanted JOIN links ON links.path = wanted.value"
            " WHERE links.item_line > 0 AND links.item_line != links.line",
            paths,
        )
        return {(src, line): item for src, line, item in rows}

    def name_lines(self, keys: Iterable[str]) -> list[NameLine]:
        """The lines of the user's dated notes that hold one of `keys` (case-folded pairs of
        neighbouring capitalised words, `vaultnet.vault.names.pair_key`), by source and line."""
        rows = self._each(
            "SELECT names.key, names.path, names.line, names.text, notes.date"
            " FROM wanted JOIN names ON names.key = wanted.value"
            f" JOIN notes ON notes.path = names.path WHERE notes.date IS NOT NULL AND {USER}"
            " ORDER BY names.path, names.line, names.key",
            keys,
        )
        return [NameLine(k, p, n, t, dt.date.fromisoformat(d)) for k, p, n, t, d in rows]

    def sources_linking(self, paths: Iterable[str]) -> set[str]:
        """The notes holding a link that resolves to one of `paths`."""
        query = "SELECT DISTINCT src FROM wanted JOIN links ON links.path = wanted.value"
        return {r[0] for r in self._each(query, paths)}

    def sources_naming(self, names: Iterable[str]) -> set[str]:
        """The notes holding a link whose target's base name is one of `names` (what a file
        with that name coming or going can resolve differently)."""
        query = "SELECT DISTINCT src FROM wanted JOIN links ON links.name = wanted.value"
        return {r[0] for r in self._each(query, names)}

    # problems
    def problems(self) -> list[Problem]:
        query = "SELECT path, line, kind, message FROM problems ORDER BY path, line, kind"
        return [Problem(*r) for r in self._db.execute(query)]

    def unresolved_links(self) -> list[LinkRow]:
        """Links that resolve to nothing, outside comments, templates and generated pages."""
        return [link_row(r) for r in self._db.execute(UNRESOLVED.format(what="links.*"))]

    def count_problems(self) -> int:
        """Stored problems plus unresolved links (what `doctor` lists)."""
        stored = self._db.execute("SELECT count(*) FROM problems").fetchone()[0]
        unresolved = self._db.execute(UNRESOLVED.format(what="count(*)")).fetchone()[0]
        return int(stored) + int(unresolved)

    # the pages generators placed
    def owned(self) -> dict[tuple[str, str], frozenset[str]]:
        """(generator, kind) -> the paths it recorded placing: `page`s it wrote, notes holding
        its marked `block`. A generator with no record has no entry."""
        found: dict[tuple[str, str], set[str]] = {}
        for generator, kind, path in self._db.execute("SELECT * FROM pages"):
            paths = found.setdefault((generator, kind), set())
            if path:  # "": the record exists (`IndexWriter.set_owned`)
                paths.add(path)
        return {key: frozenset(paths) for key, paths in found.items()}


def _marks(values: list[str]) -> str:
    return ", ".join("?" * len(values))
