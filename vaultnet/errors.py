"""The one exception hierarchy. Messages name the file (and line) and say what to do."""

from __future__ import annotations


class VaultnetError(Exception):
    """Anything vaultnet reports to the user as one clear line."""


class ConfigError(VaultnetError):
    """`.vaultnet.toml` (or a command-line value) is not valid."""


class VaultNotFound(VaultnetError):
    """The vault folder does not exist or is not a folder."""


class NoteNotFound(VaultnetError):
    """A note named on the command line matches nothing (or more than one note)."""


class IndexUnavailable(VaultnetError):
    """The SQLite index cannot be opened or written."""


class IndexDamaged(IndexUnavailable):
    """The index file is damaged (a torn write, a bad sector): it is only a cache, so it is
    moved aside and rebuilt from the vault."""

    def __init__(self, message: str, *, reason: str = "", healed: bool = False) -> None:
        super().__init__(message)
        self.reason = reason or message
        """What SQLite said of the file."""
        self.healed = healed
        """True once the damaged file was moved aside: running the command again rebuilds it."""


class UnsafePath(VaultnetError):
    """A write would leave the vault (symlink, `..`) or replace a file it must not."""


class UnreadableContacts(VaultnetError):
    """A contacts file that cannot be read at all (missing, not text, not a known format):
    `vaultnet import` writes nothing."""


class WriteFailed(VaultnetError):
    """Writing into the vault failed part-way (disk full, an I/O error): the command stopped
    there; what it wrote before is whole, nothing is half-written."""


class LockHeld(VaultnetError):
    """Another vaultnet process holds this vault's write lock."""


class Superseded(VaultnetError):
    """Newer edits made the pages being computed stale: the work stopped early, to start over
    with the new state (`GenerateContext.stale`)."""


def located(path: str, line: int | None, message: str) -> str:
    """`People/Bob.md:3: message` (the line is left out when unknown)."""
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"
