"""The vault on disk: finding it, walking it, reading notes and Obsidian's settings.

Dot folders (`.obsidian`, `.trash`, `.git`, ...) and dot files are skipped; symlinked folders are
followed once (a loop ends); editor temp files are not vault files. Sync-conflict copies are kept
out of the notes (they would duplicate people and backlinks) and reported. So are named pipes,
devices and sockets (and symlinks to them, such as `zero.md -> /dev/zero`): never opened, since
reading one can block forever or never end.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, NamedTuple

from vaultnet.errors import ConfigError, UnsafePath, VaultNotFound
from vaultnet.vault.config import CONFIG_NAME, CONTROL, Config, parse_config
from vaultnet.vault.model import Problem
from vaultnet.vault.settings import VaultSettings, settings_from_json

CONFIG_DIR = ".obsidian"
PATH_KEYS = ("folder", "template", "format", "templates_folder")
"""The Obsidian settings vaultnet makes paths of (daily notes, templates, Templater)."""
EDITOR_TEMP = re.compile(r"(~|\.sw[a-p]|\.tmp|\.crdownload|\.part)\Z", re.IGNORECASE)
CONFLICT_PATTERNS = (
    re.compile(r"\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}", re.IGNORECASE),  # Syncthing
    re.compile(r"\((?:[^()]*'s )?conflicted copy[^()]*\)", re.IGNORECASE),  # Obsidian Sync, Dropbox
)
ICLOUD_DUPLICATE = re.compile(r"(.+) ([2-9])(\.[^./]+)$")
ICLOUD_PLACEHOLDER = re.compile(r"\.(.+)\.icloud$")


OBSIDIAN_SETTINGS = (
    "app.json",
    "daily-notes.json",
    "templates.json",
    "plugins/templater-obsidian/data.json",
)
"""The files in `.obsidian/` that change how vaultnet reads a vault (`settings_from_json` order)."""
SETTINGS_FILES = frozenset({*(f"{CONFIG_DIR}/{name}" for name in OBSIDIAN_SETTINGS), CONFIG_NAME})


def is_settings(path: str) -> bool:
    """A vault-relative path whose change changes how the whole vault reads."""
    return path in SETTINGS_FILES


class FileEntry(NamedTuple):
    """A file met walking the vault (a tuple: a walk makes one per file, 100,000 at times)."""

    path: str
    """Vault-relative POSIX path."""
    size: int
    mtime_ns: int
    kind: str
    """`note` (a `.md` to parse), `attachment`, `conflict`, or `too-large`."""


def find_vault(start: Path) -> Path | None:
    """The nearest folder upward holding `.obsidian/` or `.vaultnet.toml` (None: there is none)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_DIR).is_dir() or (folder / CONFIG_NAME).is_file():
            return folder
    return None


def check_vault(root: Path) -> Path:
    if not root.is_dir():
        raise VaultNotFound(f"{root}: vault folder not found")
    return root.resolve()


def walk(
    root: Path, config: Config, vault: Path | None = None
) -> tuple[list[FileEntry], list[Problem]]:
    """Every vault file below `root`, sorted by path, and the problems met on the way (loops,
    unreadable folders, offloaded notes). `vault` is the vault's root when `root` is one of its
    folders. Problems of single files are the index's to record."""
    entries: list[FileEntry] = []
    problems: list[Problem] = []
    seen_dirs: set[tuple[int, int]] = set()
    inside = os.path.realpath(vault or root) + os.sep
    stack = [("", str(root))]
    while stack:
        rel, folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen_dirs:
                problems.append(
                    Problem(
                        rel, None, "symlink-loop", "folder reached twice through a symlink; skipped"
                    )
                )
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                items = sorted(listing, key=lambda item: item.name)
        except OSError as error:
            problems.append(
                Problem(rel or ".", None, "unreadable", f"cannot read: {error.strerror}")
            )
            continue
        names = {item.name for item in items}
        for item in items:
            path = f"{rel}/{item.name}" if rel else item.name
            if item.name.startswith("."):
                placeholder = ICLOUD_PLACEHOLDER.fullmatch(item.name)
                if placeholder and placeholder.group(1).endswith(".md"):
                    original = f"{rel}/{placeholder.group(1)}" if rel else placeholder.group(1)
                    problems.append(
                        Problem(
                            original,
                            None,
                            "offloaded",
                            "iCloud has offloaded this note; open it to download",
                        )
                    )
                continue
            if is_editor_temp(item.name):
                continue
            try:
                info = item.stat()  # follows symlinks
            except OSError as error:
                problems.append(Problem(path, None, "unreadable", f"cannot read: {error.strerror}"))
                continue
            if stat.S_ISDIR(info.st_mode):
                # Obsidian ignores a symlink from one folder of the vault to another: the
                # real folder is read where it stands, whichever comes first in the listing.
                if not (item.is_symlink() and os.path.realpath(item.path).startswith(inside)):
                    stack.append((path, item.path))
                continue
            if not stat.S_ISREG(info.st_mode):
                problems.append(not_a_file(path, info.st_mode, symlink=item.is_symlink()))
                continue
            entries.append(
                FileEntry(
                    path,
                    info.st_size,
                    info.st_mtime_ns,
                    _kind(root, path, item.name, names, info.st_size, config),
                )
            )
    entries.sort(key=lambda e: e.path)
    return entries, problems


_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(path: str, mode: int, *, symlink: bool = False) -> Problem:
    """The `not-a-file` problem of a vault entry that is neither a folder nor a regular file."""
    what = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
    if symlink:
        what = f"a symlink to {what}"
    return Problem(path, None, "not-a-file", f"is {what}, not a file; skipped without opening it")


def not_a_file_at(root: Path, path: str) -> Problem | None:
    """The `not-a-file` problem of the vault entry at `path` (as `walk` reports it), or None when
    it is a regular file, a folder, gone, or not a vault file. Only `stat`: never opened."""
    if is_hidden(path) or is_editor_temp(path.rsplit("/", 1)[-1]):
        return None
    full = root / path
    try:
        mode = full.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return not_a_file(path, mode, symlink=full.is_symlink())


def read_regular(full: Path, limit: int = -1) -> bytes:
    """The bytes of the regular file at `full` (its first `limit` ones when given). It is opened
    without blocking and checked once open, so a pipe, device or socket put in its place since the
    walk is refused (OSError), never read: reading a pipe waits for a writer, `/dev/zero` never
    ends."""
    fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(full))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", str(full))
        return handle.read(limit)


def is_hidden(path: str) -> bool:
    """A path inside a dot folder, or a dot file: never part of the vault."""
    return any(part.startswith(".") for part in path.split("/"))


def icloud_copies(root: Path, paths: list[str]) -> list[str]:
    """The `Name 2.ext` ... `Name 9.ext` files beside each of `paths` (whose kind depends on it),
    each folder listed once (a run writes thousands of pages into one folder)."""
    listed: dict[str, set[str]] = {}
    found: list[str] = []
    for path in paths:
        folder, _, name = path.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        if not dot:
            continue
        if folder not in listed:
            try:
                listed[folder] = set(os.listdir(root / folder) if folder else os.listdir(root))
            except OSError:
                listed[folder] = set()
        copies = (f"{stem} {n}.{ext}" for n in range(2, 10))
        found += [f"{folder}/{c}" if folder else c for c in copies if c in listed[folder]]
    return found


def is_editor_temp(name: str) -> bool:
    """Editors' swap, backup and partial files (`~`, `.swp`, `.tmp`, ...): never vault files."""
    return EDITOR_TEMP.search(name[-12:]) is not None


def _kind(root: Path, path: str, name: str, siblings: set[str], size: int, config: Config) -> str:
    # Cheap substring tests first: this runs for every file of every scan.
    if ("onflict" in name and any(p.search(name) for p in CONFLICT_PATTERNS)) or (
        " " in name and _icloud_duplicate(root, path, name, siblings)
    ):
        return "conflict"
    if not name.lower().endswith(".md"):
        return "attachment"
    return "too-large" if size > config.max_note_bytes else "note"


def _icloud_duplicate(root: Path, path: str, name: str, siblings: set[str]) -> bool:
    """iCloud's `Note 2.md` beside `Note.md`. A real note may be called `Week 2.md` beside
    `Week.md`, so the copy must also start with the same bytes as the original."""
    match = ICLOUD_DUPLICATE.fullmatch(name)
    if match is None or match.group(1) + match.group(3) not in siblings:
        return False
    copy = root / path
    original = copy.with_name(match.group(1) + match.group(3))
    try:
        return read_regular(copy, 256) == read_regular(original, 256)
    except OSError:
        return False


def read_bytes(root: Path, path: str) -> bytes:
    """The bytes of the vault file at `path` (a regular file only: `read_regular`)."""
    return read_regular(root / path)


def read_note_text(root: Path, path: str) -> str:
    """A note's text as the parser reads it; "" when it cannot be read or decoded (the index
    already reports such a note)."""
    try:
        return read_bytes(root, path).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def load_config(root: Path) -> Config:
    file = root / CONFIG_NAME
    if not file.is_file():
        return Config()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{CONFIG_NAME}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"{CONFIG_NAME}: cannot read ({error.strerror})") from None
    return parse_config(text, CONFIG_NAME)


def load_settings(root: Path) -> tuple[VaultSettings, list[Problem]]:
    """Obsidian's settings from `.obsidian/`; a malformed file is reported and its defaults used."""
    problems: list[Problem] = []

    def read(name: str) -> dict[str, Any]:
        file = root / CONFIG_DIR / name
        if not file.is_file():
            return {}
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            line = getattr(error, "lineno", None)
            problems.append(
                Problem(
                    f"{CONFIG_DIR}/{name}",
                    line,
                    "settings-invalid",
                    f"cannot read Obsidian settings ({error}); using defaults",
                )
            )
            return {}
        if not isinstance(data, dict):
            return {}
        bad = next((k for k in PATH_KEYS if CONTROL.search(str(data.get(k) or ""))), None)
        if bad is not None:  # a folder or name no file can have
            message = f"{bad!r} holds a control character; using defaults"
            problems.append(Problem(f"{CONFIG_DIR}/{name}", None, "settings-invalid", message))
            return {}
        return data

    settings = settings_from_json(*(read(name) for name in OBSIDIAN_SETTINGS))
    return settings, problems


def entry_for(root: Path, path: str, config: Config) -> FileEntry | None:
    """The entry for one vault file as `walk` would give it, or None when it is gone or is not a
    vault file (dot folders, editor temp files, folders)."""
    parts = path.split("/")
    if is_hidden(path) or is_editor_temp(parts[-1]):
        return None
    full = root / path
    try:
        info = full.stat()
        siblings = set(os.listdir(full.parent)) if ICLOUD_DUPLICATE.fullmatch(parts[-1]) else set()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return FileEntry(
        path,
        info.st_size,
        info.st_mtime_ns,
        _kind(root, path, parts[-1], siblings, info.st_size, config),
    )


def inside(root: Path, path: str, action: str = "written") -> Path:
    """The file for vault-relative `path`, refusing any path (or symlink) that leads outside
    ("...; not {action}")."""
    full = root / path
    real_root = os.path.realpath(root)
    real = os.path.realpath(full)
    if ".." in path.split("/") or os.path.commonpath([real_root, real]) != real_root:
        raise UnsafePath(f"{path}: leads outside the vault (symlink or '..'); not {action}")
    return full
