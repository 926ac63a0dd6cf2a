"""The index's SQLite file: its tables, its version, and opening it (an index of another version is
discarded and rebuilt, and a file that is not a vaultnet index is never overwritten by mistake).

The index is a cache: everything in it can be rebuilt from the vault. So a damaged index (a torn
write, a bad sector, a garbage WAL) is moved aside and rebuilt, and what goes wrong with it is
said in one line naming the file (`index_error`): damage, a full disk, an I/O error, no
permission.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vaultnet.errors import IndexDamaged, IndexUnavailable, VaultnetError

log = logging.getLogger("vaultnet.index")

SCHEMA_VERSION = 16
"""Bump it when the tables change OR when the parser records something differently: an index
written by another version is rebuilt, never misread."""

SQLITE_MAGIC = b"SQLite format 3\x00"
"""How every SQLite database file starts."""
OUR_SCHEMA = b"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
"""Text the first page of every vaultnet index holds (its schema)."""
PAGE_SIZE = 4096
"""SQLite's page size, which every vaultnet index has: its file is whole pages."""
DAMAGED = ".damaged-"
"""A damaged cache file is kept as `<file>.damaged-<time>` (`move_aside`)."""
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
DAMAGE_WORDS = frozenset({"database disk image is malformed", "file is not a database"})
"""SQLite's messages for those codes (all an error keeps when it crosses processes)."""

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
    dated_lines TEXT NOT NULL DEFAULT '[]', need_lines TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE TABLE links (
    src TEXT NOT NULL, seq INTEGER NOT NULL, target TEXT NOT NULL, name TEXT NOT NULL,
    path TEXT, kind TEXT NOT NULL, heading TEXT, block TEXT, display TEXT,
    line INTEGER NOT NULL, commented INTEGER NOT NULL, context TEXT NOT NULL,
    item_line INTEGER NOT NULL, passage TEXT NOT NULL, markdown INTEGER NOT NULL,
    PRIMARY KEY (src, seq)
) WITHOUT ROWID;
CREATE INDEX links_name ON links (name);
CREATE INDEX links_path ON links (path);
CREATE TABLE tags (path TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (path, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);
CREATE TABLE terms (
    path TEXT PRIMARY KEY, words TEXT NOT NULL,
    counts BLOB NOT NULL, anchored BLOB NOT NULL, code BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE words (
    path TEXT NOT NULL, key TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (word, key, path)
) WITHOUT ROWID;
CREATE TABLE names (
    key TEXT NOT NULL, path TEXT NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (key, path, line)
) WITHOUT ROWID;
CREATE INDEX names_path ON names (path);
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
    """Open (or create) the index at `path`. An index of another schema version is rebuilt; a
    damaged one is moved aside (`move_aside`) and rebuilt, with a warning. A file that is not a
    vaultnet index is only moved aside when `replace_foreign` is set (the default location in
    vaultnet's own cache folder): a mistyped `--index` never touches another program's file.
    Other failures (read-only, a full disk, an I/O error) raise one line naming the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        version = _existing_version(path, ours=replace_foreign)
        if version != SCHEMA_VERSION:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = _connect(path)
        try:
            if version != SCHEMA_VERSION:
                db.executescript(SCHEMA)
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    ("schema_version", str(SCHEMA_VERSION)),
                )
                db.commit()
        except BaseException:
            db.close()
            if version != SCHEMA_VERSION:  # a new file, half made (a full disk): not kept
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise
    except (sqlite3.Error, OSError) as error:
        raise index_error(path, error) from None
    return db


def open_readonly(path: Path) -> sqlite3.Connection:
    """A second connection to the index at `path` that can only read: any write raises
    `sqlite3.OperationalError` (the view features and plugins get)."""
    try:
        db = sqlite3.connect(_read_only_uri(path), uri=True, check_same_thread=False)
        db.execute("PRAGMA busy_timeout=5000")
    except sqlite3.Error as error:
        raise index_error(path, error) from None
    return db


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=5000")
    except BaseException:
        db.close()
        raise
    return db


def _existing_version(path: Path, *, ours: bool) -> int | None:
    """The schema version of the vaultnet index at `path`; None when there is none (absent,
    empty, or damaged and moved aside). `ours`: whatever is at `path` is vaultnet's (its own
    cache folder). Otherwise a file that is not an SQLite database, or another program's
    database, raises IndexUnavailable and is left as it is."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    if not head:
        return None
    if head != SQLITE_MAGIC and not (ours or _damaged_index(path)):
        raise IndexUnavailable(
            f"{path}: not a vaultnet index (not an SQLite database at all); vaultnet leaves it "
            "as it is: give --index the name of a new file, or of a vaultnet index"
        )
    try:
        db = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        if damage(error) or head != SQLITE_MAGIC:
            heal(path, str(error))
            return None
        if not _missing_table(error):
            raise
        if not ours:
            raise _foreign(path) from None
        heal(path, "another program's database")
        return None
    if row is None or not str(row[0]).isdigit():
        if not ours:
            raise _foreign(path)
        heal(path, "no schema version")
        return None
    return int(row[0])


def _foreign(path: Path) -> IndexUnavailable:
    return IndexUnavailable(
        f"{path}: an SQLite database of another program, not a vaultnet index; vaultnet leaves "
        "it as it is: give --index the name of a new file, or of a vaultnet index"
    )


def _missing_table(error: sqlite3.DatabaseError) -> bool:
    return str(error).startswith("no such table")


def _damaged_index(path: Path) -> bool:
    """Whether a file without SQLite's header is still a damaged database: its first pages hold
    vaultnet's schema, or it is binary and made of whole pages (a note, a CSV or another
    program's file is text, or of any other size)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            start = file.read(1 << 16)
    except OSError:
        return False
    whole_pages = size >= 2 * PAGE_SIZE and size % PAGE_SIZE == 0
    return OUR_SCHEMA in start or (whole_pages and b"\x00" in start)


def heal(path: Path, reason: str) -> Path:
    """Move the damaged index at `path` aside and say so in one warning line; the caller then
    builds it again (cold). Returns where it went."""
    aside = move_aside(path)
    log.warning(
        "%s: the index was damaged (%s); moved aside to %s and rebuilt from the vault",
        path,
        reason,
        aside.name,
    )
    return aside


def move_aside(path: Path) -> Path:
    """Rename a damaged cache file to `<path>.damaged-<time>` (an index's `-wal` goes with it,
    as that copy's own WAL; its `-shm` is removed), after removing the copy an earlier damage
    left: one is kept, whatever happens."""
    for earlier in path.parent.glob(glob.escape(path.name) + DAMAGED + "*"):
        earlier.unlink(missing_ok=True)
    aside = path.with_name(f"{path.name}{DAMAGED}{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(path, aside)
    wal = Path(f"{path}-wal")
    if wal.exists():
        os.replace(wal, f"{aside}-wal")
    Path(f"{path}-shm").unlink(missing_ok=True)
    return aside


def damage(error: BaseException) -> bool:
    """Whether `error` says the index file is damaged (also when it crossed a process boundary,
    which keeps only its message)."""
    if isinstance(error, IndexDamaged):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in DAMAGE_CODES:
        return True
    return isinstance(error, sqlite3.DatabaseError) and str(error) in DAMAGE_WORDS


def index_error(path: Path, error: BaseException) -> VaultnetError:
    """`error`, met opening or using the index at `path`, as one line naming the file and saying
    what happened: damage (`IndexDamaged`), a full disk, an I/O error, no permission."""
    if isinstance(error, VaultnetError):
        return error
    what = getattr(error, "strerror", None) or str(error)
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    number = getattr(error, "errno", None)
    if damage(error):
        return IndexDamaged(f"{path}: the index is damaged ({what})", reason=what)
    if primary == sqlite3.SQLITE_FULL or number in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return IndexUnavailable(f"{path}: the disk is full; the index cannot be written ({what})")
    if primary == sqlite3.SQLITE_IOERR or number in (errno.EIO, errno.EFBIG):
        return IndexUnavailable(f"{path}: I/O error on the index ({what})")
    if (
        primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN)
        or isinstance(error, PermissionError)
        or number == errno.EROFS
    ):
        return IndexUnavailable(
            f"{path}: the index cannot be written ({what}): make the file and its folder "
            "writable, or choose another --index"
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return IndexUnavailable(f"{path}: another process keeps the index busy ({what}); try again")
    return IndexUnavailable(f"{path}: cannot use the index ({what})")


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Raise what goes wrong with the index inside the block as `index_error` says it."""
    try:
        yield
    except sqlite3.Error as error:
        raise index_error(path, error) from error


def default_index_path(root: Path) -> Path:
    """One index per vault in the user's cache folder, outside the (possibly synced) vault."""
    import hashlib  # OpenSSL loads slowly: only when there is something to hash

    from platformdirs import user_cache_dir

    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(user_cache_dir("vaultnet")) / f"{root.resolve().name[:40]}-{key}.sqlite"
