"""The index's write side: what the scan stores, and which pages a generator placed. One
connection, owned here: callers group writes in `transaction()` and never touch the connection.
With `schema` and `view`, the only module with SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from vaultnet.index.rows import LINK_COLUMNS, NOTE_COLUMNS, FileRow, NoteRows
from vaultnet.index.schema import index_error, open_database, translated
from vaultnet.vault.model import Problem

CONTENT = ("files", "notes", "links", "tags", "words", "names", "terms", "problems")
"""The tables a scan fills (everything but `meta` and the pages generators placed)."""


class IndexWriter:
    """The index of one vault, open for writing. Writes wait in one transaction until
    `transaction()` ends (or `commit`); an error inside it rolls everything back."""

    def __init__(self, path: Path, *, replace_foreign: bool = False) -> None:
        """Open (or create) the index at `path` (`vaultnet.index.schema.open_database`)."""
        self.path = path
        self.replace_foreign = replace_foreign
        self._db: sqlite3.Connection = open_database(path, replace_foreign=replace_foreign)
        self._closed = False

    @contextmanager
    def transaction(self) -> Iterator[IndexWriter]:
        """Group writes: committed together on the way out, rolled back on any error (an
        interrupted scan leaves the index as it was before it). What goes wrong with the file
        is raised as `index_error` says it (`IndexDamaged`, a full disk...)."""
        try:
            yield self
            self._db.commit()
        except BaseException as error:
            self.rollback()
            if isinstance(error, sqlite3.Error):
                raise index_error(self.path, error) from error
            raise

    def commit(self) -> None:
        with translated(self.path):
            self._db.commit()

    def rollback(self) -> None:
        """Drop what was written since the last commit (after an error a caller survived). A
        damaged file may refuse even that: what was not committed is gone all the same."""
        with suppress(sqlite3.Error):
            self._db.rollback()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.commit()
        finally:
            self._db.close()

    def abandon(self) -> None:
        """Close without keeping anything uncommitted, whatever state the file is in."""
        self.rollback()
        self._closed = True
        self._db.close()

    # meta
    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        for table in CONTENT:
            self._db.execute(f"DELETE FROM {table}")

    def count(self, table: str) -> int:
        """Rows in one of the index's tables (`files`, `notes`, ...)."""
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # files: what the scan compares with the disk
    def files(self) -> dict[str, FileRow]:
        return {r[0]: FileRow._make(r) for r in self._db.execute("SELECT * FROM files")}

    def files_at(self, paths: Iterable[str]) -> dict[str, FileRow]:
        """The rows of these paths and of every file below them (when a path is a folder)."""
        rows: dict[str, FileRow] = {}
        for path in paths:
            # "/" + 1 is "0": the range holds exactly the paths below the folder
            for r in self._db.execute(
                "SELECT * FROM files WHERE path = ? OR (path >= ? AND path < ?)",
                (path, path + "/", path + "0"),
            ):
                rows[r[0]] = FileRow(*r)
        return rows

    def put_files(self, rows: Iterable[FileRow]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            [(r.path, r.size, r.mtime_ns, r.hash, r.kind) for r in rows],
        )

    def remove_file(self, path: str) -> None:
        self._db.execute("DELETE FROM files WHERE path=?", (path,))
        self.remove_note(path)
        self._db.execute("DELETE FROM problems WHERE path=? AND source='file'", (path,))

    # notes
    def put_notes(self, batch: Iterable[NoteRows], *, replace: bool = True) -> None:
        """Store parsed notes (rows from `note_rows`). `replace` first removes what the index
        held for those paths; a cold scan knows there is nothing and skips it."""
        batch = list(batch)
        if replace:
            for row in batch:
                self.remove_note(row.note[0])
        db = self._db
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
        db.executemany(
            "INSERT OR IGNORE INTO words VALUES (?, ?, ?)", [w for r in batch for w in r.words]
        )
        db.executemany(
            "INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?)", [n for r in batch for n in r.names]
        )
        db.executemany(
            "INSERT INTO terms VALUES (?, ?, ?, ?, ?)", [r.terms for r in batch if r.terms]
        )
        db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, ?)", [p for r in batch for p in r.problems]
        )

    def remove_note(self, path: str) -> None:
        for table, column in (
            ("notes", "path"),
            ("links", "src"),
            ("tags", "path"),
            ("words", "path"),
            ("names", "path"),
            ("terms", "path"),
        ):
            self._db.execute(f"DELETE FROM {table} WHERE {column}=?", (path,))
        self._db.execute("DELETE FROM problems WHERE path=? AND source='note'", (path,))

    # links: re-resolved when a file with their target's name comes or goes
    def links_named(self, names: Iterable[str]) -> list[tuple[str, int, str]]:
        """(src, seq, target) of every link whose target's base name is one of `names`."""
        out: list[tuple[str, int, str]] = []
        names = list(names)
        for i in range(0, len(names), 500):
            chunk = names[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out += self._db.execute(
                f"SELECT src, seq, target FROM links WHERE name IN ({marks})", chunk
            ).fetchall()
        return out

    def set_link_paths(self, updates: list[tuple[str | None, str, int]]) -> None:
        self._db.executemany("UPDATE links SET path=? WHERE src=? AND seq=?", updates)

    # problems
    def put_problems(self, problems: Iterable[Problem], *, source: str) -> None:
        self._db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
            [(p.path, p.line, p.kind, p.message, source) for p in problems],
        )

    def replace_problems(self, problems: Iterable[Problem], *, source: str) -> None:
        self._db.execute("DELETE FROM problems WHERE source=?", (source,))
        self.put_problems(problems, source=source)

    def remove_file_problems(self, paths: Iterable[str]) -> None:
        """Forget what reading these files reported (they are about to be read again)."""
        self._db.executemany(
            "DELETE FROM problems WHERE path=? AND source='file'", [(p,) for p in paths]
        )

    def remove_problems_of_kind(self, kind: str, paths: Iterable[str]) -> None:
        """Forget the `kind` problems of these paths and of everything below them (a folder). No
        write at all when the index holds none of that kind: the watcher calls this on every
        batch, and a write opens the transaction early (a watcher test saw its runs change)."""
        held = self._db.execute("SELECT 1 FROM problems WHERE kind=? LIMIT 1", (kind,)).fetchone()
        if held is None:
            return
        self._db.executemany(
            "DELETE FROM problems WHERE kind=? AND (path=? OR substr(path, 1, length(?) + 1)=?)",
            [(kind, p, p, p + "/") for p in paths],
        )

    # the pages generators placed (`vaultnet.pages.ownership`)
    def set_owned(self, generator: str, kind: str, paths: Iterable[str]) -> None:
        """Record exactly `paths` as `generator`'s own of `kind` (`page` or `block`). The row
        with an empty path says a record exists (it may hold no path at all)."""
        self._db.execute("DELETE FROM pages WHERE generator=? AND kind=?", (generator, kind))
        self._db.executemany(
            "INSERT INTO pages VALUES (?, ?, ?)",
            [(generator, kind, p) for p in ["", *sorted(set(paths) - {""})]],
        )

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the content tables, sorted (for comparing two indexes)."""
        queries = {table: f"SELECT * FROM {table}" for table in CONTENT}
        queries["files"] = "SELECT path, size, hash, kind FROM files"
        return {
            name: sorted(self._db.execute(q).fetchall(), key=repr) for name, q in queries.items()
        }


def _marks(count: int) -> str:
    return ", ".join("?" * count)
