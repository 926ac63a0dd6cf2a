"""The index's queries and updates: every question a feature asks of the index, and the writes
the scan makes. With `schema`, the only module with SQL."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from vaultnet.index.rows import (
    LINK_COLUMNS,
    NOTE_COLUMNS,
    FileRow,
    IncomingLink,
    LinkRow,
    NoteHead,
    NoteRow,
    NoteRows,
    date_or_none,
    link_row,
    note_row,
)
from vaultnet.index.schema import open_database
from vaultnet.vault.model import Problem

Terms = tuple[dict[str, int], dict[str, int], dict[str, int]]
"""A note's (term counts, anchored term counts, code term counts)."""


class Store:
    """The index of one vault, open. Writes are committed by `commit` (or `close`)."""

    def __init__(self, path: Path, *, replace_foreign: bool = False) -> None:
        """Open (or create) the index at `path` (`vaultnet.index.schema.open_database`)."""
        self.path = path
        self.db: sqlite3.Connection = open_database(path, replace_foreign=replace_foreign)

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    # meta
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        for table in ("files", "notes", "links", "tags", "terms", "problems"):
            self.db.execute(f"DELETE FROM {table}")

    # files
    def files(self) -> dict[str, FileRow]:
        return {r[0]: FileRow(*r) for r in self.db.execute("SELECT * FROM files")}

    def count(self, table: str) -> int:
        """Rows in one of the index's tables (`files`, `notes`, ...)."""
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def files_at(self, paths: Iterable[str]) -> dict[str, FileRow]:
        """The rows of these paths and of every file below them (when a path is a folder)."""
        rows: dict[str, FileRow] = {}
        for path in paths:
            # "/" + 1 is "0": the range holds exactly the paths below the folder
            for r in self.db.execute(
                "SELECT * FROM files WHERE path = ? OR (path >= ? AND path < ?)",
                (path, path + "/", path + "0"),
            ):
                rows[r[0]] = FileRow(*r)
        return rows

    def put_files(self, rows: Iterable[FileRow]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            [(r.path, r.size, r.mtime_ns, r.hash, r.kind) for r in rows],
        )

    def remove_file_problems(self, paths: Iterable[str]) -> None:
        """Forget what reading these files reported (they are about to be read again)."""
        self.db.executemany(
            "DELETE FROM problems WHERE path=? AND source='file'", [(p,) for p in paths]
        )

    def remove_file(self, path: str) -> None:
        self.db.execute("DELETE FROM files WHERE path=?", (path,))
        self.remove_note(path)
        self.db.execute("DELETE FROM problems WHERE path=? AND source='file'", (path,))

    # notes
    def put_notes(self, batch: Iterable[NoteRows], *, replace: bool = True) -> None:
        """Store parsed notes (rows from `note_rows`). `replace` first removes what the index
        held for those paths; a cold scan knows there is nothing and skips it."""
        batch = list(batch)
        if replace:
            for row in batch:
                self.remove_note(row.note[0])
        db = self.db
        db.executemany(
            f"INSERT INTO notes VALUES ({_marks(NOTE_COLUMNS)})", [r.note for r in batch]
        )
        db.executemany(
            f"INSERT INTO links VALUES ({_marks(LINK_COLUMNS)})",
            [k for r in batch for k in r.links],
        )
        db.executemany(
            "INSERT OR IGNORE INTO tags VALUES (?, ?)", [t for r in batch for t in r.tags]
        )
        db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?)", [r.terms for r in batch if r.terms])
        db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, ?)", [p for r in batch for p in r.problems]
        )

    def remove_note(self, path: str) -> None:
        for table, column in (
            ("notes", "path"),
            ("links", "src"),
            ("tags", "path"),
            ("terms", "path"),
        ):
            self.db.execute(f"DELETE FROM {table} WHERE {column}=?", (path,))
        self.db.execute("DELETE FROM problems WHERE path=? AND source='note'", (path,))

    def note(self, path: str) -> NoteRow | None:
        row = self.db.execute("SELECT * FROM notes WHERE path=?", (path,)).fetchone()
        return note_row(row) if row else None

    def generated_pages(self) -> dict[str, str]:
        """Path -> generator name of every vaultnet-generated page in the index."""
        query = "SELECT path, generator FROM notes WHERE generator IS NOT NULL"
        return dict(self.db.execute(query).fetchall())

    def note_names(self) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """(path, title, aliases) of every note: what a name typed by the user can match,
        without decoding every note's properties."""
        for path, title, aliases in self.db.execute("SELECT path, title, aliases FROM notes"):
            yield path, title, tuple(json.loads(aliases))

    def notes(self) -> Iterator[NoteRow]:
        for row in self.db.execute("SELECT * FROM notes ORDER BY path"):
            yield note_row(row)

    def user_note_properties(self) -> Iterator[tuple[str, str, str]]:
        """(path, frontmatter JSON, inline fields JSON) of every note that is not a template,
        excluded or generated, by path: undecoded, so a caller can test the text first."""
        yield from self.db.execute(
            "SELECT path, frontmatter, inline_fields FROM notes"
            " WHERE template = 0 AND excluded = 0 AND generator IS NULL ORDER BY path"
        )

    def notes_at(self, paths: Iterable[str]) -> list[NoteRow]:
        """The rows of these notes (absent paths are skipped), by path."""
        self._fill_wanted(paths)
        rows = self.db.execute(
            "SELECT notes.* FROM temp.wanted JOIN notes ON notes.path = wanted.value"
            " ORDER BY notes.path"
        ).fetchall()
        return [note_row(r) for r in rows]

    def note_heads(self, paths: Iterable[str]) -> dict[str, NoteHead]:
        """Path -> title, date and kind flags of these notes (no JSON decoded)."""
        self._fill_wanted(paths)
        query = (
            "SELECT path, title, date, template, excluded, generator"
            " FROM temp.wanted JOIN notes ON notes.path = wanted.value"
        )
        return {
            r[0]: NoteHead(r[0], r[1], date_or_none(r[2]), bool(r[3]), bool(r[4]), r[5])
            for r in self.db.execute(query).fetchall()
        }

    def tags_of(self, paths: Iterable[str]) -> dict[str, set[str]]:
        """Path -> lower-cased tags of these notes (notes without tags are absent)."""
        self._fill_wanted(paths)
        found: dict[str, set[str]] = {}
        query = "SELECT path, tag FROM temp.wanted JOIN tags ON tags.path = wanted.value"
        for path, tag in self.db.execute(query).fetchall():
            found.setdefault(path, set()).add(tag)
        return found

    def paths_tagged(self, tags: Iterable[str]) -> dict[str, list[str]]:
        """Lower-cased tag -> paths of the notes that carry it, by path."""
        self._fill_wanted(tags)
        found: dict[str, list[str]] = {}
        query = (
            "SELECT tag, path FROM temp.wanted JOIN tags ON tags.tag = wanted.value ORDER BY path"
        )
        for tag, path in self.db.execute(query).fetchall():
            found.setdefault(tag, []).append(path)
        return found

    def paths_of_kind(self, kind: str) -> list[str]:
        """Paths of the files of one kind (`note`, ...)."""
        query = "SELECT path FROM files WHERE kind = ?"
        return [r[0] for r in self.db.execute(query, (kind,))]

    # what a long-running reader (the watcher's related corpus) compares between runs
    def file_states(self) -> dict[str, tuple[str | None, str]]:
        """Path -> (content hash, kind) of every file: a note whose pair is unchanged holds
        the same content as before (its links may still resolve differently)."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT path, hash, kind FROM files")}

    def user_note_paths(self) -> set[str]:
        """Paths of the notes that are not templates, excluded or generated pages."""
        query = "SELECT path FROM notes WHERE template = 0 AND excluded = 0 AND generator IS NULL"
        return {r[0] for r in self.db.execute(query)}

    def sources_linking(self, paths: Iterable[str]) -> set[str]:
        """The notes holding a link that resolves to one of `paths`."""
        self._fill_wanted(paths)
        query = "SELECT DISTINCT src FROM temp.wanted JOIN links ON links.path = wanted.value"
        return {r[0] for r in self.db.execute(query).fetchall()}

    def terms_of(self, paths: Iterable[str]) -> dict[str, Terms]:
        """Path -> (term counts, anchored term counts, code term counts) of these notes, as
        `terms` gives them (notes without words are absent)."""
        self._fill_wanted(paths)
        query = (
            "SELECT path, counts, anchored, code FROM temp.wanted "
            "JOIN terms ON terms.path = wanted.value"
        )
        loads = json.loads
        return {
            path: (loads(counts), loads(anchored), loads(code))
            for path, counts, anchored, code in self.db.execute(query).fetchall()
        }

    # links
    def links_from(self, src: str) -> list[LinkRow]:
        return [
            link_row(r)
            for r in self.db.execute("SELECT * FROM links WHERE src=? ORDER BY seq", (src,))
        ]

    def links_to(self, path: str) -> list[LinkRow]:
        return [
            link_row(r)
            for r in self.db.execute("SELECT * FROM links WHERE path=? ORDER BY src, seq", (path,))
        ]

    def links_out_of(self, sources: Iterable[str]) -> list[LinkRow]:
        """Every link written in one of `sources` (one query, however many sources)."""
        return [link_row(r) for r in self._links_where("src", sources)]

    def _links_where(self, column: str, values: Iterable[str]) -> list[tuple[Any, ...]]:
        self._fill_wanted(values)
        rows = self.db.execute(
            f"SELECT links.* FROM temp.wanted JOIN links ON links.{column} = wanted.value"
            " ORDER BY links.src, links.seq"
        ).fetchall()
        self.db.execute("DELETE FROM temp.wanted")
        return rows

    def incoming_links(self, paths: Iterable[str]) -> list[IncomingLink]:
        """Every link that resolves to one of `paths`, by source and position, in one pass."""
        self._fill_wanted(paths)
        rows = self.db.execute(
            "SELECT links.src, links.path, links.target, links.kind, links.line,"
            " links.commented, links.context, notes.date,"
            " notes.template = 0 AND notes.excluded = 0 AND notes.generator IS NULL"
            " FROM temp.wanted JOIN links ON links.path = wanted.value"
            " JOIN notes ON notes.path = links.src ORDER BY links.src, links.seq"
        ).fetchall()
        dates: dict[str | None, dt.date | None] = {None: None}
        out = []
        for src, path, target, kind, line, commented, context, day, user in rows:
            if day not in dates:
                dates[day] = dt.date.fromisoformat(day)
            out.append(
                IncomingLink(
                    src, path, target, kind, line, bool(commented), context, dates[day], bool(user)
                )
            )
        return out

    def _fill_wanted(self, values: Iterable[str]) -> None:
        """Put `values` in the temporary table `wanted` (the keys of the next join)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (value TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM temp.wanted")
        self.db.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", ((v,) for v in values))

    def all_links(self) -> Iterator[LinkRow]:
        for row in self.db.execute("SELECT * FROM links ORDER BY src, seq"):
            yield link_row(row)

    def links_named(self, names: Iterable[str]) -> list[tuple[str, int, str]]:
        """(src, seq, target) of every link whose target's base name is one of `names`."""
        out: list[tuple[str, int, str]] = []
        names = list(names)
        for i in range(0, len(names), 500):
            chunk = names[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out += self.db.execute(
                f"SELECT src, seq, target FROM links WHERE name IN ({marks})", chunk
            ).fetchall()
        return out

    def set_link_paths(self, updates: list[tuple[str | None, str, int]]) -> None:
        self.db.executemany("UPDATE links SET path=? WHERE src=? AND seq=?", updates)

    # problems
    def put_problems(self, problems: Iterable[Problem], *, source: str) -> None:
        self.db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
            [(p.path, p.line, p.kind, p.message, source) for p in problems],
        )

    def replace_problems(self, problems: Iterable[Problem], *, source: str) -> None:
        self.db.execute("DELETE FROM problems WHERE source=?", (source,))
        self.put_problems(problems, source=source)

    def remove_problems_of_kind(self, kind: str, paths: Iterable[str]) -> None:
        """Forget the `kind` problems of these paths and of everything below them (a folder). No
        write at all when the index holds none of that kind: the watcher calls this on every
        batch, and a write opens the transaction early (a watcher test saw its runs change)."""
        held = self.db.execute("SELECT 1 FROM problems WHERE kind=? LIMIT 1", (kind,)).fetchone()
        if held is None:
            return
        self.db.executemany(
            "DELETE FROM problems WHERE kind=? AND (path=? OR substr(path, 1, length(?) + 1)=?)",
            [(kind, p, p, p + "/") for p in paths],
        )

    def problems(self) -> list[Problem]:
        return [
            Problem(*r)
            for r in self.db.execute(
                "SELECT path, line, kind, message FROM problems ORDER BY path, line, kind"
            )
        ]

    # terms
    def terms(self) -> Iterator[tuple[str, dict[str, int], dict[str, int], dict[str, int]]]:
        """(path, term counts, anchored term counts, code term counts) of every note that has
        words, by path (`Note.terms`, `Note.anchored_terms`, `Note.code_terms`)."""
        loads = json.loads
        for path, counts, anchored, code in self.db.execute(
            "SELECT path, counts, anchored, code FROM terms ORDER BY path"
        ):
            yield path, loads(counts), loads(anchored), loads(code)

    def unresolved_links(self) -> list[LinkRow]:
        """Links that resolve to nothing, outside comments, templates and generated pages."""
        return [link_row(r) for r in self.db.execute(UNRESOLVED.format(what="links.*"))]

    def count_problems(self) -> int:
        """Stored problems plus unresolved links (what `doctor` lists)."""
        stored = self.db.execute("SELECT count(*) FROM problems").fetchone()[0]
        return int(stored) + int(self.db.execute(UNRESOLVED.format(what="count(*)")).fetchone()[0])

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the content tables, sorted (for comparing two indexes)."""
        queries = {
            "files": "SELECT path, size, hash, kind FROM files",
            "notes": "SELECT * FROM notes",
            "links": "SELECT * FROM links",
            "tags": "SELECT * FROM tags",
            "terms": "SELECT * FROM terms",
            "problems": "SELECT path, line, kind, message, source FROM problems",
        }
        return {
            name: sorted(self.db.execute(q).fetchall(), key=repr) for name, q in queries.items()
        }


UNRESOLVED = """
SELECT {what} FROM links JOIN notes ON notes.path = links.src
WHERE links.path IS NULL AND links.commented = 0 AND notes.template = 0
  AND notes.generator IS NULL
"""


def _marks(count: int) -> str:
    return ", ".join("?" * count)
