"""Finding a person by what the user typed: a file name, a title or an alias (any case or
accents), or their note's path; a near miss suggests the closest names (`vaultnet.vault.lookup`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultnet.vault.lookup import Named, Wording, find_named
from vaultnet.vault.resolve import note_stem

if TYPE_CHECKING:
    from vaultnet.index.rows import NoteRow

PEOPLE = Wording(
    "person",
    "people",
    " (by file name or alias)",
    "see `vaultnet contacts`",
    show_paths=False,
)


def find_person(contacts: list[NoteRow], name: str) -> NoteRow:
    """The contact `name` names; else a `NoteNotFound` naming the candidates or the closest."""
    rows = {row.path: row for row in contacts}
    items = [Named(row.path, (note_stem(row.path), row.title, *row.aliases)) for row in contacts]
    return rows[find_named(name, items, PEOPLE)]
