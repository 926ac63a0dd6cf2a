"""Writes into the user's own notes, the only three kinds `touch` and `import` make: one line
appended to an existing note, new notes created whole, and properties put at the top of a note
that has none (`import --adopt`: the rest of its bytes unchanged). All under the vault's write
lock."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultnet.errors import UnsafePath, VaultnetError
from vaultnet.pages.lock import write_lock
from vaultnet.pages.places import recheck, target_path
from vaultnet.pages.write import (
    icloud_stub,
    read_current,
    replace_file,
    write_temp_file,
)

NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}
)
"""What `os.link` fails with where a file system has no hard links (FAT, some network drives):
the note is then written in place instead. Any other error (a full disk, an I/O error) is one."""


def append_line(root: Path, path: str, text: str) -> None:
    """Add `text` at the end of an existing note in one append-mode write: the note is never
    rewritten, so its identity, metadata and sync history stay. Under the vault's write lock, so
    a block write cannot replace the note between its last check and its rename."""
    full = target_path(root, path)
    _refuse_offloaded(full, path)
    with write_lock(root):
        recheck(root, full)
        if not full.is_file():
            raise UnsafePath(f"{path}: not an existing note; not written")
        with open(full, "a", encoding="utf-8", newline="") as file:
            file.write(text)


def create_note(root: Path, path: str, text: str) -> None:
    """Create a new note (and its folders) with `text`; never replaces an existing file. The note
    appears whole or not at all: a temp file is hard-linked to its name, which fails if the name
    exists (where hard links are not supported, an exclusive create is used instead)."""
    batch = create_notes(root, [(path, text)])
    if batch.refused:
        raise batch.refused[0]
    if batch.failure is not None:
        raise batch.failure[1]


@dataclass(frozen=True, slots=True)
class Batch:
    """What `create_notes` did, by the notes' positions."""

    created: tuple[int, ...]
    refused: dict[int, VaultnetError]
    """Notes kept out for themselves (the name exists, an offloaded iCloud note, outside the
    vault): the others are created all the same."""
    failure: tuple[str, OSError] | None
    """The note whose write failed (a full disk, an I/O error) and the error: nothing after it
    was written."""


def create_notes(root: Path, notes: Sequence[tuple[str, str]]) -> Batch:
    """`create_note` for many notes (`(path, text)`), with one flush to disk for all of them
    instead of one per note, and one hold of the write lock: an import of thousands of contacts
    would otherwise spend most of its time in fsync. An I/O error stops the batch: the notes
    whose temp files were complete and flushed before it are created (whole), no other."""
    created: list[int] = []
    refused: dict[int, VaultnetError] = {}
    failure: tuple[str, OSError] | None = None
    temps: dict[int, tuple[Path, Path, bytes]] = {}
    try:
        for n, (path, text) in enumerate(notes):
            try:
                full = target_path(root, path)
                _refuse_offloaded(full, path)
                full.parent.mkdir(parents=True, exist_ok=True)
                recheck(root, full)  # no folder on the way became a symlink meanwhile
                data = text.encode("utf-8")
                temps[n] = (write_temp_file(full.parent, data, sync=False), full, data)
            except VaultnetError as error:
                refused[n] = error
            except OSError as error:
                failure = (path, error)
                break
        try:
            _flush(temp for temp, _, _ in temps.values())
        except OSError as error:  # what was written may not be on disk: no note shows it
            first = notes[min(temps)][0] if temps else ""
            return Batch((), refused, failure or (first, error))
        with write_lock(root):
            for n, (temp, full, data) in temps.items():
                try:
                    recheck(root, full)
                    _place(temp, full, data, notes[n][0])
                    created.append(n)
                except VaultnetError as error:
                    refused[n] = error
                except OSError as error:
                    failure = (notes[n][0], error)
                    break
    finally:
        for temp, _, _ in temps.values():
            temp.unlink(missing_ok=True)
    return Batch(tuple(created), refused, failure)


def prepend_to_note(root: Path, path: str, head: bytes, old: bytes) -> None:
    """Make the note at `path` exactly `head` followed by `old`, the bytes it held when the caller
    read it: atomically (a temp file renamed over it, its mode kept), and only if it still holds
    `old` (checked again under the write lock just before the rename); UnsafePath otherwise."""
    target = target_path(root, path)
    if read_current(target) != old:
        raise UnsafePath(f"{path}: changed since it was read; left as it is")
    replace_file(root, target, head + old, expect=old)


SYNC_ALL_FROM = 16
"""From this many files on, one `sync()` of the system costs less than an fsync each."""


def _flush(temps: Iterable[Path]) -> None:
    """Every temp file's data on disk before any is linked to its name: one `sync()` for many
    files where the system has it (POSIX), else one fsync per file."""
    files = list(temps)
    if len(files) >= SYNC_ALL_FROM and hasattr(os, "sync"):
        os.sync()
        return
    for temp in files:
        fd = os.open(temp, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _place(temp: Path, full: Path, data: bytes, path: str) -> None:
    """The flushed `temp` under its note's name, never over an existing file."""
    try:
        os.link(temp, full)
    except FileExistsError:
        raise UnsafePath(f"{path}: already exists; not overwritten") from None
    except OSError as error:
        if error.errno not in NO_HARD_LINKS:
            raise
        _write_new(full, data, path)


def _write_new(full: Path, data: bytes, path: str) -> None:
    """`data` in a new file `full`, flushed; a write that fails removes the part written (the
    file is this call's own: it was created exclusively)."""
    try:
        file = open(full, "xb")  # noqa: SIM115 (the file is removed if the write fails)
    except FileExistsError:
        raise UnsafePath(f"{path}: already exists; not overwritten") from None
    try:
        with file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        full.unlink(missing_ok=True)
        raise


def _refuse_offloaded(full: Path, path: str) -> None:
    """A note iCloud has offloaded (only its `.Name.md.icloud` stub is here) must not get a
    second, fresh copy: iCloud would make a conflict of it when the real note comes back."""
    if os.path.lexists(icloud_stub(full)):
        raise UnsafePath(
            f"{path}: iCloud has offloaded this note; open it in Obsidian to download it first"
        )
