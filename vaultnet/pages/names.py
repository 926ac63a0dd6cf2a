"""File names for generated pages: safe on every platform and never shadowing a user's note.

A page's name is what `[[links]]` resolve by, so a page called like a user note would steal that
note's links: such a page gets another name (`Reconnect (vaultnet).md`), and the rename is
reported. Names are compared as Obsidian compares them: NFC, case-insensitive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vaultnet.vault.resolve import fold

FORBIDDEN = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
"""Characters Windows, macOS or Obsidian links cannot carry in a file name."""
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{kind}{n}" for kind in ("com", "lpt") for n in "0123456789¹²³"]
)
MAX_NAME_BYTES = 255
EXTENSION = ".md"


@dataclass(frozen=True, slots=True)
class PlacedPage:
    requested: str
    path: str
    """Where the page is written: `requested` made safe and unique."""
    reason: str = ""
    """Why `path` differs from `requested` (empty when it does not)."""


def safe_stem(stem: str, reserve: int = 0) -> str:
    """`stem` without characters some platform forbids, not a Windows device name, short enough
    that `stem + reserve bytes + .md` fits in 255 bytes (cut on a character boundary)."""
    text = FORBIDDEN.sub("-", unicodedata.normalize("NFC", stem))
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text:
        text = "Untitled"
    head, dot, rest = text.partition(".")
    if head.strip().lower() in WINDOWS_RESERVED:
        text = f"{head}_{dot}{rest}"
    limit = MAX_NAME_BYTES - len(EXTENSION) - reserve
    data = text.encode("utf-8")
    if len(data) > limit:
        text = data[:limit].decode("utf-8", errors="ignore").rstrip(" .")
    return text


def place_pages(requested: Iterable[str], user_notes: Mapping[str, str]) -> list[PlacedPage]:
    """Final paths for page paths in the given order. `user_notes` maps each user note's folded
    name (`resolve.file_name`) to its path. Every result is unique after NFC + case folding, by
    name as well as by path, so a link to a generated page is never ambiguous."""
    used: set[str] = set()
    placed: list[PlacedPage] = []
    for path in requested:
        folder, _, name = path.rpartition("/")
        stem = name[: -len(EXTENSION)] if name.lower().endswith(EXTENSION) else name
        base = safe_stem(stem)
        candidate, n = base, 1
        while fold(candidate) in used or fold(candidate) in user_notes:
            suffix = " (vaultnet)" if n == 1 else f" (vaultnet {n})"
            candidate = safe_stem(stem, reserve=len(suffix.encode())) + suffix
            n += 1
        used.add(fold(candidate))
        final = f"{folder}/{candidate}{EXTENSION}" if folder else f"{candidate}{EXTENSION}"
        reason = ""
        if final != path:
            owner = user_notes.get(fold(base))
            why = (
                f"its name is taken by your note {owner}"
                if owner
                else "its name is not safe on every platform or is used by another page"
            )
            reason = f"page {path} written as {final}: {why}"
        placed.append(PlacedPage(path, final, reason))
    return placed


def edited_copy(path: str, taken: Mapping[str, str]) -> str:
    """Where `generate --force` keeps the user's version of the edited page at `path`: beside
    it as `<name> (edited).md`, else `<name> (edited 2).md`, ..., a name no note or page has
    (`taken`: folded names, as in `place_pages`), so a link to it is never ambiguous."""
    folder, _, name = path.rpartition("/")
    stem = name[: -len(EXTENSION)] if name.lower().endswith(EXTENSION) else name
    n = 1
    while True:
        suffix = " (edited)" if n == 1 else f" (edited {n})"
        candidate = safe_stem(stem, reserve=len(suffix.encode())) + suffix
        if fold(candidate) not in taken:
            return f"{folder}/{candidate}{EXTENSION}" if folder else f"{candidate}{EXTENSION}"
        n += 1
