"""Writes into the user's own notes, the only two `touch` makes: one line appended to an existing
note, or a new note created whole. Never a rewrite; both under the vault's write lock."""

from __future__ import annotations

import os
from pathlib import Path

from vaultnet.errors import UnsafePath
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
    full = inside(root, path)
    _refuse_offloaded(full, path)
    full.parent.mkdir(parents=True, exist_ok=True)
    inside(root, path)  # a folder created above cannot have turned into a way out
    data = text.encode("utf-8")
    temp = write_temp_file(full.parent, data)
    try:
        with write_lock(root):
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
    finally:
        temp.unlink(missing_ok=True)


def _refuse_offloaded(full: Path, path: str) -> None:
    """A note iCloud has offloaded (only its `.Name.md.icloud` stub is here) must not get a
    second, fresh copy: iCloud would make a conflict of it when the real note comes back."""
    if os.path.lexists(icloud_stub(full)):
        raise UnsafePath(
            f"{path}: iCloud has offloaded this note; open it in Obsidian to download it first"
        )
