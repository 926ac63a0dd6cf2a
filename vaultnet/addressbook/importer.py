"""`vaultnet import`: read address-book files (all of them, before anything is written), plan the
import against the index, and create the new person notes -- each one whole, never over an
existing file (`pages.append.create_note`). The I/O edge of `importing`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.addressbook.cards import Card, Skipped, detect_format
from vaultnet.addressbook.csv_cards import read_csv_cards
from vaultnet.addressbook.importing import ImportPlan, Person, person_of, plan_import
from vaultnet.addressbook.vcard import read_vcards
from vaultnet.errors import UnreadableContacts
from vaultnet.index.gathering import Gathering
from vaultnet.people.config import PeopleConfig
from vaultnet.people.facts import person_notes
from vaultnet.vault.config import Settings
from vaultnet.vault.resolve import fold, note_stem

if TYPE_CHECKING:
    from vaultnet.index.scan import Index

MAX_BYTES = 200 * 1024 * 1024
"""A contacts file larger than this is not an address book (and would not fit in memory)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: ImportPlan
    folder: str
    written: bool
    """False for `--dry-run`."""


def decode(data: bytes, label: str) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with its BOM, else Windows-1252,
    the code page Outlook's CSV export uses."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableContacts(
                f"{label}: not valid UTF-16 ({error}); nothing imported"
            ) from None
    if b"\x00" in data:
        raise UnreadableContacts(f"{label}: a binary file, not contacts; nothing imported")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_contacts(text: str, label: str) -> tuple[list[Card], list[Skipped]]:
    """The cards of one file's text, in the format its content shows."""
    kind = detect_format(text)
    if kind is None:
        raise UnreadableContacts(
            f"{label}: not a vCard file, nor a Google, Outlook or LinkedIn contacts CSV "
            "(no BEGIN:VCARD, no known header); nothing imported"
        )
    if kind == "vcard":
        return read_vcards(text, label)
    return read_csv_cards(text, label, kind)


def read_contacts(path: Path, label: str) -> tuple[list[Card], list[Skipped]]:
    try:
        if path.is_dir():
            raise UnreadableContacts(f"{label}: a folder, not a contacts file; nothing imported")
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableContacts(f"{label}: larger than 200 MB; nothing imported")
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise UnreadableContacts(f"{label}: cannot be read ({reason}); nothing imported") from None
    return parse_contacts(decode(data, label), label)


def people_folder(index: Index, config: PeopleConfig, folder: str | None) -> str:
    """`--folder`, else the first configured people folder the vault has, else the first one."""
    if folder is not None:
        return folder.strip().strip("/")
    for name in config.folders:
        if (index.root / name).is_dir():
            return name
    return config.folders[0]


def run_import(
    index: Index,
    settings: Settings,
    files: list[tuple[str, Path]],
    *,
    folder: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Read every file (any unreadable one stops the import before a note is written), plan, then
    create the notes and bring the index up to date with them."""
    cards: list[Card] = []
    skipped: list[Skipped] = []
    for label, path in files:
        found, problems = read_contacts(path, label)
        cards += found
        skipped += problems
    config = settings.table(PeopleConfig)
    target = people_folder(index, config, folder)
    people, names = _vault_people(index, settings)
    in_people_folder = any(fold(p) in {fold(f) for f in config.folders} for p in target.split("/"))
    extra = () if in_people_folder or not config.tags else (config.tags[0],)
    plan = plan_import(cards, skipped, people, names, target, extra)
    if dry_run:
        return ImportResult(plan, target, False)
    from vaultnet.pages.append import create_notes

    errors = create_notes(index.root, [(c.path, c.text) for c in plan.created])
    created = [c for c, error in zip(plan.created, errors, strict=True) if error is None]
    refused = list(plan.skipped) + [
        Skipped(c.card.source, c.card.line, f"{c.card.name}: {error}")
        for c, error in zip(plan.created, errors, strict=True)
        if error is not None
    ]
    if created:
        # one incremental scan: it walks the vault once, where updating thousands of paths
        # one by one looks at each one's folder for iCloud copies
        index.scan()
    plan = replace(plan, created=tuple(created), skipped=tuple(refused))
    return ImportResult(plan, target, True)


def _vault_people(index: Index, settings: Settings) -> tuple[list[Person], set[str]]:
    """Who the vault already knows (what an imported card may match), and every note's folded
    name (what a new note's name must not take)."""
    view = index.view
    found = Gathering(view, settings, dt.date.today()).facts(person_notes)
    rows = list(found.contacts)
    # the user's own note (and a people folder's index note) is no contact, but the user's own
    # card in the address book must match it, not become a second note about them
    rows += view.notes(sorted(found.person_like - {r.path for r in rows}))
    people = [person_of(r.path, r.title, r.aliases, r.properties()) for r in rows]
    return people, {fold(note_stem(path)) for path, _, _ in view.note_names()}
