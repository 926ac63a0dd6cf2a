"""`vaultnet import`: read address-book files (all of them, before anything is written), plan the
import against the index, create the new person notes -- each one whole, never over an existing
file (`pages.append.create_notes`) -- and adopt the notes `--adopt` asks for (`adopting`;
`pages.append.prepend_to_note`). The I/O edge of `importing`; the index is read in
`vault_people` only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.addressbook.adopting import Adoption, OtherNote, card_key
from vaultnet.addressbook.card_note import body_text
from vaultnet.addressbook.cards import Card, Skipped, detect_format
from vaultnet.addressbook.csv_cards import read_csv_cards
from vaultnet.addressbook.importing import ImportPlan, Match, Person, person_of, plan_import
from vaultnet.addressbook.vcard import read_vcards
from vaultnet.errors import UnreadableContacts, VaultnetError, WriteFailed
from vaultnet.index.gathering import Gathering
from vaultnet.pages.append import create_notes, prepend_to_note
from vaultnet.pages.places import target_path
from vaultnet.pages.write import read_current
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
    failure: WriteFailed | None = None
    """The write error that stopped the import (the plan holds what was written before it)."""


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


def people_folder(root: Path, config: PeopleConfig, folder: str | None) -> str:
    """`--folder`, else the first configured people folder the vault has, else the first one."""
    if folder is not None:
        return folder.strip().strip("/")
    for name in config.folders:
        if (root / name).is_dir():
            return name
    return config.folders[0]


@dataclass(frozen=True, slots=True)
class VaultPeople:
    """What an import needs to know of the vault, read from its index."""

    people: list[Person]
    """The person notes, the user's own note and people folders' index notes among them."""
    note_names: set[str]
    """The folded file name of every note."""
    others: dict[str, str]
    """Folded file name -> path of the user's note of that name that is not a person note (of
    several, the one a link reaches from the vault's root: the shortest path)."""


def vault_people(index: Index, settings: Settings) -> VaultPeople:
    """The one place the import reads the index."""
    view = index.view
    found = Gathering(view, settings, dt.date.today()).facts(person_notes)
    rows = list(found.contacts)
    # the user's own note (and a people folder's index note) is no contact, but the user's own
    # card in the address book must match it, not become a second note about them
    rows += view.notes(sorted(found.person_like - {r.path for r in rows}))
    people = [person_of(r.path, r.title, r.aliases, r.properties()) for r in rows]
    names = {fold(note_stem(path)) for path, _, _ in view.note_names()}
    others: dict[str, str] = {}
    not_people = view.user_note_paths() - {r.path for r in rows}
    for path in sorted(not_people, key=lambda p: (len(p), p)):
        others.setdefault(fold(note_stem(path)), path)
    return VaultPeople(people, names, others)


def in_people_folder(folder: str, config: PeopleConfig) -> bool:
    folders = {fold(f) for f in config.folders}
    return any(fold(part) in folders for part in folder.split("/") if part)


def read_others(
    root: Path, cards: list[Card], others: dict[str, str], config: PeopleConfig
) -> dict[str, OtherNote]:
    """The notes in `others` some card is named as, read as they are now (an adoption is refused
    if they change before it is written)."""
    found: dict[str, OtherNote] = {}
    for key in {card_key(c) for c in cards} & others.keys():
        path = others[key]
        folder = path.rpartition("/")[0]
        tags = () if in_people_folder(folder, config) or not config.tags else (config.tags[0],)
        try:
            found[key] = OtherNote(path, read_current(target_path(root, path)), "", tags)
        except VaultnetError as error:
            found[key] = OtherNote(path, None, str(error).partition(": ")[2], tags)
    return found


def run_import(
    index: Index,
    settings: Settings,
    files: list[tuple[str, Path]],
    *,
    folder: str | None = None,
    dry_run: bool = False,
    adopt: bool = False,
) -> ImportResult:
    """Read every file (any unreadable one stops the import before a note is written), plan, then
    create the notes, adopt the notes `adopt` asks for, and bring the index up to date. A write
    that fails (disk full, an I/O error) stops there: `ImportResult.failure`."""
    cards: list[Card] = []
    skipped: list[Skipped] = []
    for label, path in files:
        found, problems = read_contacts(path, label)
        cards += found
        skipped += problems
    return import_cards(
        index, settings, cards, skipped, folder=folder, dry_run=dry_run, adopt=adopt
    )


def import_cards(
    index: Index,
    settings: Settings,
    cards: list[Card],
    skipped: Sequence[Skipped] = (),
    *,
    folder: str | None = None,
    dry_run: bool = False,
    adopt: bool = False,
) -> ImportResult:
    """`run_import` of cards already read (an address book's, or the names `create-people`
    takes from the vault's links): plan against the index, write, bring the index up to
    date."""
    root = index.root
    config = settings.table(PeopleConfig)
    target = people_folder(root, config, folder)
    vault = vault_people(index, settings)
    extra = () if in_people_folder(target, config) or not config.tags else (config.tags[0],)
    others = read_others(root, cards, vault.others, config)
    plan = plan_import(
        cards,
        list(skipped),
        vault.people,
        vault.note_names,
        target,
        extra,
        others=others,
        adopt=adopt,
    )
    plan = replace(plan, matched=tuple(_with_notes(root, m) for m in plan.matched))
    if dry_run:
        return ImportResult(plan, target, False)
    plan, failure = write_plan(root, plan)
    if failure is None and (plan.created or plan.adopted):
        # one incremental scan: it walks the vault once, where updating thousands of paths
        # one by one looks at each one's folder for iCloud copies (after a failed write, the
        # next command's scan finds the notes: the disk may have no room for the index either)
        index.scan()
    return ImportResult(plan, target, True, failure)


def _with_notes(root: Path, match: Match) -> Match:
    """`match` with the card's note among what it would add, unless the person's note already
    holds that text."""
    if not match.card.notes:
        return match
    try:
        text = (read_current(target_path(root, match.path)) or b"").decode("utf-8", "replace")
    except VaultnetError:
        text = ""
    if body_text(match.card.notes) in text.replace("\r\n", "\n"):
        return match
    return replace(match, would_add={**match.would_add, "note": match.card.notes})


def write_plan(root: Path, plan: ImportPlan) -> tuple[ImportPlan, WriteFailed | None]:
    """Create the plan's notes, then adopt its notes, and return the plan of what was done. A
    refusal (a note that appeared, or changed, meanwhile) skips that one note; an I/O error stops
    everything there, and every note written before it is whole."""
    batch = create_notes(root, [(c.path, c.text) for c in plan.created])
    created = [plan.created[n] for n in batch.created]
    refused = [
        Skipped(c.card.source, c.card.line, f"{c.card.name}: {batch.refused[n]}")
        for n, c in enumerate(plan.created)
        if n in batch.refused
    ]
    failure = batch.failure
    adopted: list[Adoption] = []
    for adoption in plan.adopted if failure is None else ():
        try:
            prepend_to_note(root, adoption.path, adoption.head.encode("utf-8"), adoption.old)
            adopted.append(adoption)
        except VaultnetError as error:
            why = f"{adoption.card.name}: {error}; not adopted"
            refused.append(Skipped(adoption.card.source, adoption.card.line, why))
        except OSError as error:
            failure = (adoption.path, error)
            break
    done = replace(
        plan, created=tuple(created), adopted=tuple(adopted), skipped=(*plan.skipped, *refused)
    )
    if failure is None:
        return done, None
    path, cause = failure
    total = len(plan.created) + len(plan.adopted)
    written = len(created) + len(adopted)
    return done, WriteFailed(
        f"{path}: cannot be written ({cause.strerror or cause}); the import stopped there: "
        f"{written} of {total} notes written, each one whole. Run the same import again once "
        "this is fixed: it writes only what is missing"
    )
