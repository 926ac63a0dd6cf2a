"""Where vaultnet may write: a vault-relative note path, checked against the disk.

A file is only ever written where its path, as written, leads: never outside the vault, never in
a dot folder (`.obsidian`, `.git`, `.trash`), and never through a symlinked folder, wherever it
leads. A folder linked to another folder of the vault is the worst case: what is written through
it appears (to Obsidian, and to the index) under the other folder's path, among the user's
notes, where the next run takes it for a note of theirs and writes the page again under a new
name, without end. So the real location of every folder on the way is checked before a write,
and again just before the rename that makes it (`recheck`).
"""

from __future__ import annotations

import os
from pathlib import Path

from vaultnet.errors import UnsafePath


class UnsafeWrite(UnsafePath):
    """A write vaultnet refuses to make (outside the vault, through a symlink, over a stub...)."""


class SymlinkedFolder(UnsafeWrite):
    """A folder on the way to a file is a symlink (or leads elsewhere): nothing is written
    through it, wherever it leads."""

    def __init__(self, link: str, where: str) -> None:
        self.link = link
        """The vault path of the symlink."""
        lands = "" if where.startswith("outside") else f" (it would land in {where})"
        super().__init__(
            f"{link} is a symlink to {where}; vaultnet never writes through a symlinked "
            f"folder{lands}: replace the link with a real folder"
        )


def target_path(root: Path, path: str) -> Path:
    """The absolute file for a vault-relative `.md` path; raises UnsafeWrite when it would leave
    the vault (`..`, absolute), land in a dot folder, or go through a symlinked folder
    (`SymlinkedFolder`): a file is only ever written where its path, as written, leads."""
    parts = path.split("/")
    if (
        not path.endswith(".md")
        or "\\" in path
        or "\x00" in path  # no file has one (a tab or a line break can be a note's)
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise UnsafeWrite(f"{path}: not a note path inside the vault")
    hidden = next((p for p in parts if p.startswith(".")), None)
    if hidden is not None:
        raise UnsafeWrite(f"{path}: {hidden} is hidden from Obsidian (a dot name); not written")
    check_folder(root, parts[:-1])
    return root.joinpath(*parts)


def check_folder(root: Path, folders: list[str]) -> None:
    """Raise `SymlinkedFolder` unless the vault folder `folders` (its parts; the folders that do
    not exist yet count as real) really is at that path under the vault's real root. A folder
    reached through a symlink is refused wherever it leads: outside the vault, into a dot folder
    (`.obsidian`, `.git`), or into another folder of the vault, where Obsidian and the index see
    the file under another path (so the next run would take it for a note of the user's)."""
    real_root = os.path.realpath(root)
    written = os.path.join(real_root, *folders)
    if os.path.normcase(os.path.realpath(written)) == os.path.normcase(written):
        return
    for depth in range(1, len(folders) + 1):
        here = os.path.join(real_root, *folders[:depth])
        if os.path.islink(here):
            raise SymlinkedFolder("/".join(folders[:depth]), _where(real_root, here))
    raise SymlinkedFolder("/".join(folders), _where(real_root, written))


def _where(real_root: str, folder: str) -> str:
    """Where a linked folder really is: its vault path, or `outside the vault (...)`."""
    real = os.path.realpath(folder)
    if os.path.normcase(real).startswith(os.path.normcase(real_root) + os.sep):
        return os.path.relpath(real, real_root).replace(os.sep, "/")
    return f"outside the vault ({real})" if real != real_root else "the vault's root"


def recheck(root: Path, target: Path) -> None:
    """`check_folder` again for a file `target_path` gave, just before it is written."""
    check_folder(root, list(target.parent.relative_to(root).parts))
