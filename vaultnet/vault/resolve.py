"""Link target -> vault path, by Obsidian's rules (`../shared/OBSIDIAN.md`, "Resolving a link").

Names are compared case-insensitively after Unicode NFC normalisation. Among files that match a
link's path, Obsidian's `getFirstLinkpathDest` order applies (observed on Obsidian 1.13.7,
pvliesdonk/markdown-vault-mcp PR #1380): the exact vault path, then the linking note's own
folder, then the shortest path string.
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections import defaultdict
from collections.abc import Iterable


def fold(text: str) -> str:
    """The form under which Obsidian considers two names equal."""
    return unicodedata.normalize("NFC", text).lower()


def note_stem(path: str) -> str:
    """A note's file name without `.md` (any case): its name as a link or a title shows it."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def link_name(target: str, source: str = "") -> str:
    """The folded base name a target written in `source` can only resolve to (with or without
    `.md`).

    Every file a link can resolve to has this base name, so a new, renamed or deleted file can
    only change the resolution of links whose name is that file's name (the index relies on it).
    A relative target is read from `source`'s folder first, as `Resolver.resolve` reads it:
    `./Ideas/.` names `Ideas`, and `../` the folder above the source's. Spaces around the name
    never count (`b .md` is filed with `b`, where `./b /` finds it).
    """
    wanted = fold(target.strip()).lstrip("/")
    if wanted.startswith(("./", "../")):
        target = posixpath.normpath(posixpath.join(fold(posixpath.dirname(source)), wanted))
    name = fold(target.rstrip("/").rsplit("/", 1)[-1].strip())
    return name[:-3].strip() if name.endswith(".md") else name


def file_name(path: str) -> str:
    """`link_name` of a file: notes lose `.md`, attachments keep their extension."""
    return link_name(path)


class Resolver:
    """Resolves targets against one set of vault files (notes and attachments).

    Answers never depend on the order files were added in: where two files are equally good
    (`Note.md` and `note.md` on a case-sensitive disk) the smaller path wins, so an index
    updated file by file resolves exactly as one built from scratch.
    """

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._by_path: dict[str, list[str]] = defaultdict(list)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            self.add(path)

    def add(self, path: str) -> None:
        twins = self._by_path[fold(path)]
        if path in twins:
            return
        twins.append(path)
        self._by_name[file_name(path)].append(path)

    def remove(self, path: str) -> None:
        folded = fold(path)
        twins = self._by_path.get(folded, [])
        if path not in twins:
            return
        twins.remove(path)
        if not twins:
            del self._by_path[folded]
        bucket = self._by_name[file_name(path)]
        bucket.remove(path)
        if not bucket:
            del self._by_name[file_name(path)]

    def __contains__(self, path: str) -> bool:
        return fold(path) in self._by_path

    def resolve(self, target: str, source: str) -> str | None:
        """The vault path `target` (as written in `source`) opens in Obsidian, or None."""
        target = target.strip()
        if not target:
            return source  # [[#Heading]] points into the note itself
        folder = posixpath.dirname(source)
        wanted = fold(target).lstrip("/")
        if wanted.startswith(("./", "../")):
            wanted = posixpath.normpath(posixpath.join(fold(folder), wanted))
            if wanted.startswith("../"):
                return None
            return self._exact(wanted)
        exact = self._exact(wanted)
        if exact is not None:
            return exact
        candidates = [p for p in self._by_name.get(link_name(target), ()) if _ends_with(p, wanted)]
        if not candidates:
            return None
        same_folder = [p for p in candidates if posixpath.dirname(p) == folder]
        return min(same_folder or candidates, key=lambda p: (len(p), p))

    def _exact(self, wanted: str) -> str | None:
        for form in _forms(wanted):
            twins = self._by_path.get(form)
            if twins:
                return min(twins)
        return None


def _forms(wanted: str) -> tuple[str, ...]:
    """A target names a file as written, or a note without its `.md` (never `x.md.md`)."""
    return (wanted,) if wanted.endswith(".md") else (wanted, wanted + ".md")


def _ends_with(path: str, wanted: str) -> bool:
    folded = fold(path)
    return any(folded == form or folded.endswith("/" + form) for form in _forms(wanted))
