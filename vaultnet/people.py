"""Contacts: who is one, their interactions (with evidence), cadence, status and relationship
strength. Pure functions over the index's `NoteRow` / `LinkRow` records; every formula is in
`docs/reconnect.md`. `load_contacts` is the one function that asks the index (in bulk)."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from vaultnet.dates import parse_date_value
from vaultnet.model import Problem
from vaultnet.people_config import NEVER, PeopleConfig, parse_cadence
from vaultnet.resolve import fold

if TYPE_CHECKING:
    from vaultnet.store import IncomingLink, NoteRow, Store

Status = Literal["inactive", "snoozed", "never", "dormant", "overdue", "due", "ok"]
LineKind = Literal["plain", "done-task", "open-task", "other-task", "quote"]

TASK_RE = re.compile(r"^(?:[-*+]|\d+[.)])\s+\[(.)\]")
INTRO_KEYS = ("introduced_by", "referred_by")
WIKILINK_TARGET = re.compile(r"\[\[([^\[\]|#^]+)")
_LEADING_JUNK = re.compile(r"^[^\w]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a mention is: the note, its 1-based line (0: a property), and that line's text."""

    path: str
    line: int
    text: str
    frontmatter: bool = False


@dataclass(frozen=True, slots=True)
class Interaction:
    """One day of contact; a daily note and a meeting note on the same day are one interaction."""

    date: dt.date
    evidence: tuple[Evidence, ...]


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


def line_kind(text: str) -> LineKind:
    """What a line says about a mention: a quote (callouts too), a task and its state, or plain."""
    if text.startswith(">"):
        return "quote"
    match = TASK_RE.match(text)
    if match is None:
        return "plain"
    mark = match.group(1)
    if mark == " ":
        return "open-task"
    return "done-task" if mark in "xX" else "other-task"


def frontmatter_tags(properties: dict[str, Any]) -> set[str]:
    """Lower-cased tags from the `tags` / `tag` property (a list or a comma/space list)."""
    found: set[str] = set()
    for key in ("tags", "tag"):
        value = properties.get(key)
        items = re.split(r"[,\s]+", value) if isinstance(value, str) else value
        if isinstance(items, list):
            found.update(str(v).strip().lstrip("#").lower() for v in items if v is not None)
    found.discard("")
    return found


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def _folders(path: str) -> list[str]:
    return path.split("/")[:-1]


def is_folder_index(path: str) -> bool:
    """`People/People.md` or `People/🗂️ People.md`: a note named like its folder."""
    folders = _folders(path)
    if not folders:
        return False
    stem = _LEADING_JUNK.sub("", _stem(path)).strip()
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
    return config.me is not None and fold(config.me) in {fold(_stem(row.path)), fold(row.title)}


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


def _date_of(value: Any) -> dt.date | None:
    if isinstance(value, str):
        value = value.strip().removeprefix("[[").removesuffix("]]")
    return parse_date_value(value)


@dataclass(frozen=True, slots=True)
class _Mentions:
    past: dict[dt.date, list[Evidence]]
    future: dict[dt.date, list[Evidence]]
    pending: list[tuple[dt.date | None, Evidence]]


def _collect_mentions(
    row: NoteRow, links: list[IncomingLink], person_like: set[str], today: dt.date
) -> _Mentions:
    past: dict[dt.date, list[Evidence]] = defaultdict(list)
    future: dict[dt.date, list[Evidence]] = defaultdict(list)
    pending: list[tuple[dt.date | None, Evidence]] = []
    seen: set[tuple[str, int]] = set()
    for link in links:
        if link.commented or not link.src_user or link.src in person_like:
            continue
        where = (link.src, link.line)
        if where in seen:
            continue  # two links to the person on one line are one mention
        seen.add(where)
        fm = link.kind == "frontmatter"
        evidence = Evidence(link.src, link.line, link.context, fm)
        kind = "plain" if fm else line_kind(link.context)
        day = link.src_date
        if kind == "open-task":
            pending.append((day, evidence))
        elif kind in ("plain", "done-task") and day is not None:
            (past if day <= today else future)[day].append(evidence)
    for line, day, text in row.dated_lines:
        evidence = Evidence(row.path, line, text)
        kind = line_kind(text)
        if kind == "open-task":
            pending.append((day, evidence))
        elif kind in ("plain", "done-task"):
            (past if day <= today else future)[day].append(evidence)
    last_contact = _date_of(row.properties().get("last_contact"))
    if last_contact is not None and last_contact <= today:
        past[last_contact].append(
            Evidence(row.path, 0, f"last_contact: {last_contact.isoformat()}", True)
        )
    return _Mentions(past, future, pending)


def _interactions(days: dict[dt.date, list[Evidence]]) -> tuple[Interaction, ...]:
    return tuple(Interaction(day, tuple(days[day])) for day in sorted(days))


def own_rhythm(days: list[dt.date], config: PeopleConfig) -> int | None:
    """The median gap between interaction days, within the configured bounds (None when there
    are fewer than `rhythm_min_interactions` days)."""
    if len(days) < config.rhythm_min_interactions:
        return None
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    median = statistics.median(gaps)
    return min(config.rhythm_max_days, max(config.rhythm_min_days, round(median)))


def cadence_of(
    row: NoteRow, days: list[dt.date], config: PeopleConfig
) -> tuple[int | None, str, Problem | None]:
    """(days or None for never, where it came from, a problem with the note's own value)."""
    problem = None
    value = row.properties().get("cadence")
    if value is not None and value != "":
        parsed = parse_cadence(value)
        if parsed is not None:
            return (None if parsed == NEVER else int(parsed)), "note", None
        problem = Problem(
            row.path,
            None,
            "cadence-invalid",
            f"cadence {value!r} is not a cadence (e.g. 30d, 2w, 3m, monthly, never); "
            "using the default",
        )
    tags = [t.lower() for t in row.tags]
    for tag in tags:
        if tag in config.cadence_by_tag:
            found = config.cadence_by_tag[tag]
            return (None if found == NEVER else int(found)), "tag", problem
    for folder in sorted(config.cadence_by_folder, key=len, reverse=True):
        if row.path.startswith(folder + "/"):
            found = config.cadence_by_folder[folder]
            return (None if found == NEVER else int(found)), "folder", problem
    rhythm = own_rhythm(days, config)
    if rhythm is not None:
        return rhythm, "rhythm", problem
    return config.default_cadence, "default", problem


def status_of(
    cadence: int | None,
    last: dt.date | None,
    snooze_until: dt.date | None,
    today: dt.date,
    config: PeopleConfig,
) -> Status:
    """First match wins: inactive, snoozed, never, dormant, overdue, due, ok."""
    if cadence is None:
        return "inactive"
    if snooze_until is not None and snooze_until > today:
        return "snoozed"
    if last is None:
        return "never"
    days = (today - last).days
    if days >= max(config.dormant_factor * cadence, config.dormant_min_days):
        return "dormant"
    if days > cadence:
        return "overdue"
    if cadence - days <= min(config.due_days, cadence * config.due_fraction):
        return "due"
    return "ok"


def strength_of(
    days: list[dt.date], introduced: int, today: dt.date, config: PeopleConfig
) -> float:
    """Each past interaction day counts 0.5 ** (age / half-life); each person introduced adds
    `intro_credit`."""
    decay = sum(0.5 ** ((today - day).days / config.half_life_days) for day in days)
    return round(decay + config.intro_credit * introduced, 4)


def _introductions(
    contacts: list[NoteRow], links_by_src: dict[str, list[IncomingLink]]
) -> dict[str, list[str]]:
    """introducer path -> paths of the contacts whose `introduced_by`/`referred_by` names them."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in contacts:
        props = row.properties()
        names = {
            fold(match.strip())
            for key in INTRO_KEYS
            for text in _strings(props.get(key))
            for match in WIKILINK_TARGET.findall(text)
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
) -> People:
    """Every contact with its interactions, cadence, status and strength. `links` are the links
    that resolve to the contacts (and any others: they are ignored)."""
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
        mentions = _collect_mentions(row, by_target.get(row.path, []), person_like, today)
        interactions = _interactions(mentions.past)
        days = [i.date for i in interactions]
        cadence, source, problem = cadence_of(row, days, config)
        if problem:
            problems.append(problem)
        snooze = _date_of(row.properties().get("snooze_until"))
        last = days[-1] if days else None
        status = status_of(cadence, last, snooze, today, config)
        introduced = tuple(p for p in intros.get(row.path, ()) if p in contact_paths)
        next_due = last + dt.timedelta(days=cadence) if last and cadence else None
        if status == "snoozed" and snooze is not None and (next_due is None or next_due < snooze):
            next_due = snooze
        out.append(
            Contact(
                path=row.path,
                name=_stem(row.path),
                aliases=row.aliases,
                properties=row.properties(),
                tags=row.tags,
                interactions=interactions,
                upcoming=_interactions(mentions.future),
                pending=tuple(sorted(mentions.pending, key=_pending_key)),
                introduced=introduced,
                cadence_days=cadence,
                cadence_source=source,
                status=status,
                days_since=(today - last).days if last else None,
                next_due=next_due,
                strength=strength_of(days, len(introduced), today, config),
                snooze_until=snooze,
            )
        )
    out.sort(key=lambda c: (fold(c.name), c.path))
    return People(tuple(out), tuple(problems), frozenset(person_like))


def _pending_key(item: tuple[dt.date | None, Evidence]) -> tuple[dt.date, str, int]:
    day, evidence = item
    return (day or dt.date.min, evidence.path, evidence.line)


def load_people(store: Store, config: PeopleConfig) -> tuple[list[NoteRow], set[str]]:
    """`find_people` over the index, decoding only the notes that can be people: those in a
    people folder or whose raw properties contain a person tag or type (a superset, so the exact
    test still decides)."""
    folders = {fold(f) for f in config.folders}
    forms = {form for name in (*config.tags, *config.types) for form in (name.lower(), fold(name))}
    needles = forms | {json.dumps(form, ensure_ascii=False)[1:-1] for form in forms}
    candidates = [
        path
        for path, frontmatter, inline in store.user_note_properties()
        if _in_folder(path, folders)
        or _contains_any(frontmatter, needles)
        or _contains_any(inline, needles)
    ]
    return find_people(store.notes_at(candidates), config)


def _in_folder(path: str, folders: set[str]) -> bool:
    return any(
        (part.lower() if part.isascii() else fold(part)) in folders for part in _folders(path)
    )


def _contains_any(text: str, needles: set[str]) -> bool:
    """Whether `text` (raw JSON) holds one of the lower-cased `needles`, in any case or form."""
    if text in ("{}", ""):
        return False
    variants = [text.lower()] if text.isascii() else [text.lower(), fold(text)]
    return any(n in v for n in needles for v in variants)


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


def load_contacts(store: Store, config: PeopleConfig, today: dt.date) -> People:
    """Contacts from the index in two bulk queries (the notes that can be people, then every
    link into a contact with its source's date)."""
    with bulk_records():
        contacts, person_like = load_people(store, config)
        links = store.incoming_links(row.path for row in contacts)
        return assess(contacts, person_like, links, today, config)


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
    }
