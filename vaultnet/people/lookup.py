"""Finding a person by what the user typed: a file name, a title or an alias."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from vaultnet.errors import NoteNotFound
from vaultnet.vault.resolve import fold

if TYPE_CHECKING:
    from vaultnet.index.rows import NoteRow


def find_person(contacts: list[NoteRow], name: str) -> NoteRow:
    """The contact whose file name or alias is `name` (case-insensitive); else a clear error."""
    wanted = fold(name.strip().removeprefix("[[").removesuffix("]]").strip())
    matches = [
        row
        for row in contacts
        if wanted
        in {fold(posixpath.basename(row.path)[:-3]), fold(row.title)}
        | {fold(a) for a in row.aliases}
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        paths = ", ".join(sorted(row.path for row in matches))
        raise NoteNotFound(f"{name!r} matches several people: {paths}; use the full name")
    near = sorted(
        {
            posixpath.basename(row.path)[:-3]
            for row in contacts
            if wanted
            and any(
                wanted in fold(n).split() or fold(n).startswith(wanted)
                for n in (posixpath.basename(row.path)[:-3], *row.aliases)
            )
        }
    )
    hint = f"; did you mean {' or '.join(near[:3])}?" if near else "; see `vaultnet contacts`"
    raise NoteNotFound(f"no person named {name!r} (by file name or alias){hint}")
