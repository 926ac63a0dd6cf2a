"""The index's SQLite file: its tables, its version, and opening it (an index of another version is
discarded and rebuilt, and a file that is not a vaultnet index is never overwritten by mistake).

The index is a cache: everything in it can be rebuilt from the vault.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from vaultnet.errors import IndexUnavailable

SCHEMA_VERSION = 9
"""Bump it when the tables change OR when the parser records something differently: an index
written by another version is rebuilt, never misread."""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT, kind TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE notes (
    path TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT, frontmatter TEXT NOT NULL,
    inline_fields TEXT NOT NULL, aliases TEXT NOT NULL, tags TEXT NOT NULL,
    generator TEXT, template INTEGER NOT NULL, excluded INTEGER NOT NULL,
    dated_lines TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE TABLE links (
    src TEXT NOT NULL, seq INTEGER NOT NULL, target TEXT NOT NULL, name TEXT NOT NULL,
    path TEXT, kind TEXT NOT NULL, heading TEXT, block TEXT, display TEXT,
    line INTEGER NOT NULL, commented INTEGER NOT NULL, context TEXT NOT NULL,
    PRIMARY KEY (src, seq)
) WITHOUT ROWID;
CREATE INDEX links_name ON links (name);
CREATE INDEX links_path ON links (path);
CREATE TABLE tags (path TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (path, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);
CREATE TABLE terms (
    path TEXT PRIMARY KEY, counts TEXT NOT NULL, anchored TEXT NOT NULL, code TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE words (
    path TEXT NOT NULL, key TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (word, key, path)
) WITHOUT ROWID;
CREATE TABLE pages (
    generator TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
    PRIMARY KEY (generator, kind, path)
) WITHOUT ROWID;
CREATE TABLE problems (
    path TEXT NOT NULL, line INTEGER, kind TEXT NOT NULL, message TEXT NOT NULL, source TEXT NOT NULL
);
CREATE INDEX problems_source ON problems (source);
"""


def open_database(path: Path, *, replace_foreign: bool = False) -> sqlite3.Connection:
    """Open (or create) the index at `path`. An index of another schema version is rebuilt.
    A file that is not a vaultnet index is only replaced when `replace_foreign` is set (the
    default location in vaultnet's own cache folder): a mistyped `--index` never destroys
    another program's file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        version = _existing_version(path)
        if version is None and path.exists() and path.stat().st_size and not replace_foreign:
            raise IndexUnavailable(
                f"{path}: not a vaultnet index; delete it or choose another --index"
            )
        if version != SCHEMA_VERSION:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = _connect(path)
        if version != SCHEMA_VERSION:
            db.executescript(SCHEMA)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", ("schema_version", str(SCHEMA_VERSION))
            )
            db.commit()
    except (sqlite3.Error, OSError) as error:
        raise IndexUnavailable(f"{path}: cannot open the index ({error})") from None
    return db


def open_readonly(path: Path) -> sqlite3.Connection:
    """A second connection to the index at `path` that can only read: any write raises
    `sqlite3.OperationalError` (the view features and plugins get)."""
    try:
        db = sqlite3.connect(
            path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False
        )
        db.execute("PRAGMA busy_timeout=5000")
    except sqlite3.Error as error:
        raise IndexUnavailable(f"{path}: cannot open the index ({error})") from None
    return db


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def _existing_version(path: Path) -> int | None:
    """The schema version of the vaultnet index at `path`, or None (absent or foreign)."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return int(row[0]) if row else None


def default_index_path(root: Path) -> Path:
    """One index per vault in the user's cache folder, outside the (possibly synced) vault."""
    import hashlib  # OpenSSL loads slowly: only when there is something to hash

    from platformdirs import user_cache_dir

    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(user_cache_dir("vaultnet")) / f"{root.resolve().name[:40]}-{key}.sqlite"
