"""Contacts: who is one, and each contact assessed (interactions from `interactions`, cadence,
status and strength from `cadence`). Pure functions over the index's records (gathered by
`vaultnet.people.facts`); every formula is in `docs/reconnect.md`."""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultnet.people.cadence import Status, cadence_of, status_of, strength_of
from vaultnet.people.checks import invalid_properties
from vaultnet.people.config import PeopleConfig
from vaultnet.people.interactions import (
    Evidence,
    Interaction,
    as_interactions,
    collect_mentions,
    date_of,
    pending_key,
)
from vaultnet.vault.model import Problem
from vaultnet.vault.parse import property_tags
from vaultnet.vault.resolve import fold, note_stem
from vaultnet.vault.syntax.wikilinks import find_wikilinks

if TYPE_CHECKING:
    from vaultnet.index.rows import IncomingLink, NoteRow
    from vaultnet.people.unlinked import UnlinkedMention

INTRO_KEYS = ("introduced_by", "referred_by")
_LEADING_JUNK = re.compile(r"^[^\w]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Contact:
    path: str
    name: str
    """The note's file name (without `.md`)."""
    aliases: tuple[str, ...]
    properties: dict[str, Any]
    tags: tuple[str, ...]
    interactions: tuple[Interaction, ...]
    """Past interactions (on or before today), oldest first."""
    upcoming: tuple[Interaction, ...]
    pending: tuple[tuple[dt.date | None, Evidence], ...]
    """Open tasks that mention the person (plans, not contact), with their note's date."""
    introduced: tuple[str, ...]
    """Paths of the contacts whose `introduced_by` / `referred_by` names this person."""
    cadence_days: int | None
    """None when the cadence is `never`."""
    cadence_source: str
    """`note`, `tag`, `folder`, `rhythm` or `default`."""
    status: Status
    days_since: int | None
    next_due: dt.date | None
    strength: float
    snooze_until: dt.date | None
    promise_age: int | None = None
    """Days since the oldest open follow-up with a date (an open promise), up to today."""

    @property
    def last(self) -> Interaction | None:
        return self.interactions[-1] if self.interactions else None

    @property
    def first(self) -> Interaction | None:
        return self.interactions[0] if self.interactions else None


@dataclass(frozen=True, slots=True)
class People:
    contacts: tuple[Contact, ...]
    """Every contact, sorted by name then path."""
    problems: tuple[Problem, ...]
    person_paths: frozenset[str]
    """Every person-like note (contacts, the user's own note, people-folder index notes)."""


def frontmatter_tags(properties: dict[str, Any]) -> set[str]:
    """Lower-cased tags from the `tags` / `tag` property, read as the parser reads them."""
    return {tag.lower() for tag in property_tags(properties)}


def interests_of(contact: Contact, ignore: set[str]) -> set[str]:
    """The tags of the person's note (body and frontmatter), less the note-kind tags."""
    interests = {t.lower() for t in contact.tags} - ignore
    return interests | (frontmatter_tags(contact.properties) - ignore)


def _folders(path: str) -> list[str]:
    return path.split("/")[:-1]


def is_folder_index(path: str) -> bool:
    """`People/People.md` or `People/🗂️ People.md`: a note named like its folder."""
    folders = _folders(path)
    if not folders:
        return False
    stem = _LEADING_JUNK.sub("", note_stem(path)).strip()
    return fold(stem) == fold(folders[-1])


def _property_words(value: Any) -> set[str]:
    items = value if isinstance(value, list) else [value]
    return {fold(str(v).strip().strip("[]").strip()) for v in items if isinstance(v, str)}


def is_person_note(row: NoteRow, config: PeopleConfig) -> bool:
    """A note in a people folder, tagged as a person, or of type/category person (templates,
    excluded and generated notes never are)."""
    if row.template or row.excluded or row.generator:
        return False
    folders = {fold(f) for f in config.folders}
    if any(fold(part) in folders for part in _folders(row.path)):
        return True
    props = row.properties()
    if frontmatter_tags(row.frontmatter) & set(config.tags):
        return True
    types = set(config.types)
    return bool(
        (_property_words(props.get("type")) | _property_words(props.get("category"))) & types
    )


def is_me(row: NoteRow, config: PeopleConfig) -> bool:
    if row.properties().get("me") is True:
        return True
    return config.me is not None and fold(config.me) in {fold(note_stem(row.path)), fold(row.title)}


def find_people(rows: Iterable[NoteRow], config: PeopleConfig) -> tuple[list[NoteRow], set[str]]:
    """(contact notes, every person-like note path including the user's own and index notes)."""
    contacts: list[NoteRow] = []
    person_like: set[str] = set()
    for row in rows:
        if not is_person_note(row, config):
            continue
        person_like.add(row.path)
        if not is_me(row, config) and not is_folder_index(row.path):
            contacts.append(row)
    return contacts, person_like


def _introductions(
    contacts: list[NoteRow], links_by_src: dict[str, list[IncomingLink]]
) -> dict[str, list[str]]:
    """introducer path -> paths of the contacts whose `introduced_by`/`referred_by` names them."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in contacts:
        props = row.properties()
        names = {
            fold(found.parts.target)
            for key in INTRO_KEYS
            for text in _strings(props.get(key))
            for found in find_wikilinks(text)
            if found.parts.target
        }
        if not names:
            continue
        for link in links_by_src.get(row.path, ()):
            if (
                link.kind == "frontmatter"
                and fold(link.target) in names
                and row.path not in found[link.path]
            ):
                found[link.path].append(row.path)
    return found


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def assess(
    contacts: list[NoteRow],
    person_like: set[str],
    links: list[IncomingLink],
    today: dt.date,
    config: PeopleConfig,
    unlinked: Iterable[UnlinkedMention] = (),
) -> People:
    """Every contact with its interactions, cadence, status and strength. `links` are the links
    that resolve to the contacts (and any others: they are ignored); `unlinked`, the lines that
    name them without a link, counted as contact too."""
    named: dict[str, list[UnlinkedMention]] = defaultdict(list)
    for mention in unlinked:
        named[mention.path].append(mention)
    by_target: dict[str, list[IncomingLink]] = defaultdict(list)
    by_src: dict[str, list[IncomingLink]] = defaultdict(list)
    for link in links:
        by_target[link.path].append(link)
        by_src[link.src].append(link)
    contact_paths = {row.path for row in contacts}
    intros = _introductions(contacts, by_src)
    problems: list[Problem] = []
    out: list[Contact] = []
    for row in contacts:
        mentions = collect_mentions(
            row, by_target.get(row.path, []), person_like, today, named.get(row.path)
        )
        interactions = as_interactions(mentions.past)
        days = [i.date for i in interactions]
        cadence, source = cadence_of(row, days, config)
        problems += invalid_properties(row)
        snooze = date_of(row.properties().get("snooze_until"))
        last = days[-1] if days else None
        status = status_of(cadence, last, snooze, today, config)
        introduced = tuple(p for p in intros.get(row.path, ()) if p in contact_paths)
        next_due = last + dt.timedelta(days=cadence) if last and cadence else None
        if status == "snoozed" and snooze is not None and (next_due is None or next_due < snooze):
            next_due = snooze
        out.append(
            Contact(
                path=row.path,
                name=note_stem(row.path),
                aliases=row.aliases,
                properties=row.properties(),
                tags=row.tags,
                interactions=interactions,
                upcoming=as_interactions(mentions.future),
                pending=tuple(sorted(mentions.pending, key=pending_key)),
                introduced=introduced,
                cadence_days=cadence,
                cadence_source=source,
                status=status,
                days_since=(today - last).days if last else None,
                next_due=next_due,
                strength=strength_of(days, len(introduced), today, config),
                snooze_until=snooze,
                promise_age=_promise_age(mentions.pending, today) if mentions.pending else None,
            )
        )
    out.sort(key=lambda c: (fold(c.name), c.path))
    return People(tuple(out), tuple(problems), frozenset(person_like))


def _promise_age(pending: Iterable[tuple[dt.date | None, Evidence]], today: dt.date) -> int | None:
    """Days since the oldest open follow-up with a date up to today (None: none)."""
    return max(((today - d).days for d, _ in pending if d is not None and d <= today), default=None)


def in_folder(path: str, folders: set[str]) -> bool:
    """Whether one of the folders on `path` is named (folded) as one of `folders`."""
    return any(
        (part.lower() if part.isascii() else fold(part)) in folders for part in _folders(path)
    )


@contextmanager
def bulk_records() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of records are built: they
    hold no cycles, and its repeated passes over them cost as much as building them. On the way
    out, freeze + unfreeze moves what was built straight to the oldest generation (CPython), so
    the first collection after the pause does not walk it all once more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def contact_json(contact: Contact) -> dict[str, Any]:
    """The `vaultnet contacts --json` record (a stable contract)."""
    last = contact.last
    return {
        "path": contact.path,
        "name": contact.name,
        "aliases": list(contact.aliases),
        "last_interaction": last.date.isoformat() if last else None,
        "interactions": len(contact.interactions),
        "cadence_days": contact.cadence_days,
        "days_since": contact.days_since,
        "next_due": contact.next_due.isoformat() if contact.next_due else None,
        "status": contact.status,
        "open_promise_days": contact.promise_age,
    }
