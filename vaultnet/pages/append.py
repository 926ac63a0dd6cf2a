"""Writes into the user's own notes, the only two kinds `touch` and `import` make: one line
appended to an existing note, or new notes created whole. Never a rewrite; both under the vault's
write lock."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from vaultnet.errors import UnsafePath, VaultnetError
from vaultnet.pages.lock import write_lock
from vaultnet.pages.write import icloud_stub, write_temp_file
from vaultnet.vault.files import inside


def append_line(root: Path, path: str, text: str) -> None:
    """Add `text` at the end of an existing note in one append-mode write: the note is never
    rewritten, so its identity, metadata and sync history stay. Under the vault's write lock, so
    a block write cannot replace the note between its last check and its rename."""
    full = inside(root, path)
    _refuse_offloaded(full, path)
    with write_lock(root):
        if not full.is_file():
            raise UnsafePath(f"{path}: not an existing note; not written")
        with open(full, "a", encoding="utf-8", newline="") as file:
            file.write(text)


def create_note(root: Path, path: str, text: str) -> None:
    """Create a new note (and its folders) with `text`; never replaces an existing file. The note
    appears whole or not at all: a temp file is hard-linked to its name, which fails if the name
    exists (where hard links are not supported, an exclusive create is used instead)."""
    error = create_notes(root, [(path, text)])[0]
    if error is not None:
        raise error


def create_notes(
    root: Path, notes: Sequence[tuple[str, str]]
) -> list[VaultnetError | OSError | None]:
    """`create_note` for many notes (`(path, text)`), with one flush to disk for all of them
    instead of one per note, and one hold of the write lock: an import of thousands of contacts
    would otherwise spend most of its time in fsync. Per note, in order: None when it was
    created, else the error that kept it out (the others are created all the same)."""
    results: list[VaultnetError | OSError | None] = [None] * len(notes)
    temps: dict[int, tuple[Path, Path, bytes]] = {}
    try:
        for n, (path, text) in enumerate(notes):
            try:
                full = inside(root, path)
                _refuse_offloaded(full, path)
                full.parent.mkdir(parents=True, exist_ok=True)
                inside(root, path)  # a folder created above cannot have turned into a way out
                data = text.encode("utf-8")
                temps[n] = (write_temp_file(full.parent, data, sync=False), full, data)
            except (VaultnetError, OSError) as error:
                results[n] = error
        _flush(temp for temp, _, _ in temps.values())
        with write_lock(root):
            for n, (temp, full, data) in temps.items():
                try:
                    _place(temp, full, data, notes[n][0])
                except (VaultnetError, OSError) as error:
                    results[n] = error
    finally:
        for temp, _, _ in temps.values():
            temp.unlink(missing_ok=True)
    return results


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
    except OSError:  # no hard links on this file system (FAT, some network drives)
        try:
            with open(full, "xb") as file:
                file.write(data)
        except FileExistsError:
            raise UnsafePath(f"{path}: already exists; not overwritten") from None


def _refuse_offloaded(full: Path, path: str) -> None:
    """A note iCloud has offloaded (only its `.Name.md.icloud` stub is here) must not get a
    second, fresh copy: iCloud would make a conflict of it when the real note comes back."""
    if os.path.lexists(icloud_stub(full)):
        raise UnsafePath(
            f"{path}: iCloud has offloaded this note; open it in Obsidian to download it first"
        )
