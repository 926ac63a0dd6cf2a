"""A brief before a call: everything the vault knows about one person, each fact with the note
and line that prove it. Pure, over the run's people and idea facts (`brief_named` gathers them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultnet.errors import NoteNotFound
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.dates import ImportantDate, important_dates
from vaultnet.people.facts import mention_facts, note_words, people_facts
from vaultnet.people.groups import open_promise
from vaultnet.people.interactions import Evidence, line_kind
from vaultnet.people.lookup import find_person
from vaultnet.people.occasions import occasion_facts
from vaultnet.people.share import (
    Share,
    dated_lines,
    ideas_for,
    share_pool,
    shared_paths,
    shares_for,
)
from vaultnet.vault.resolve import fold
from vaultnet.vault.sentences import carries_on

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import IncomingLink, NoteRow

DETAILS = (
    "company",
    "organization",
    "role",
    "title",
    "location",
    "city",
    "how_met",
    "met",
    "email",
    "emails",
    "phone",
    "phones",
    "linkedin",
    "birthday",
    "anniversary",
)
"""The properties of a person's note a reader wants before a call, in this order: every one an
address-book import writes among them (`emails`, `phones`, `linkedin`, `birthday`, `met`)."""
HEADING = re.compile(r"#{1,6}(\s|$)")
RECENT = 5
"""Interactions shown, newest first."""
MANY = 8
"""At most this many lines of the person's note, of other notes, and of people seen together."""
SHARE = 3
"""Ideas to share in a brief, at least (more when `[reconnect] share_limit` says so)."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing the vault says, where it says it: note, 1-based line (0: a property), date."""

    text: str
    path: str
    line: int
    date: dt.date | None = None
    property: bool = False
    """The fact is a property of the note (`attendees: [...]`), not a line of its text."""
    unlinked: bool = False
    """The line names the person without a link (an unlinked mention)."""


@dataclass(frozen=True, slots=True)
class Brief:
    contact: Contact
    details: tuple[tuple[str, str], ...]
    """(property, value as text) of `DETAILS` the person's note has."""
    interactions: tuple[Fact, ...]
    """The last `RECENT` interactions, newest first, each with its best evidence line."""
    follow_ups: tuple[Fact, ...]
    """Open tasks (`- [ ]`) that mention the person, anywhere in the vault, oldest first."""
    own_lines: tuple[Fact, ...]
    """What their own note says: its dated lines newest first, then its other lines in order."""
    mentions: tuple[Fact, ...]
    """Lines of undated notes that mention the person (not tasks): context, not contact."""
    shared: tuple[tuple[str, str], ...]
    """(path, title) of ideas already shared with them (a dated note links both)."""
    share: tuple[Share, ...]
    """Ideas to share now, with the Reconnect page's reasons."""
    introduced_by: tuple[tuple[str, str | None], ...]
    """(name as written, the contact's path or None) of who introduced them."""
    introduced: tuple[str, ...]
    """Paths of the contacts they introduced."""
    together: tuple[tuple[str, int], ...]
    """(contact path, notes where both were at one meeting or on one line), most first: people
    you often see together (`vaultnet.people.occasions`; inactive contacts left out)."""
    dates: tuple[ImportantDate, ...]
    """Their next birthday and anniversary (within a year)."""
    open_promise: int | None = None
    """Days since their oldest open follow-up, when older than `[reconnect] promise_days`."""


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().removeprefix("[[").removesuffix("]]")


def _fact(evidence: Evidence, day: dt.date | None = None) -> Fact:
    return Fact(
        evidence.quote,
        evidence.path,
        evidence.line,
        day,
        evidence.frontmatter,
        evidence.unlinked,
    )


def brief_of(
    contact: Contact,
    row: NoteRow,
    links_in: list[IncomingLink],
    together: dict[str, int],
    contacts: dict[str, Contact],
    shared: dict[str, str],
    share: tuple[Share, ...],
    today: dt.date,
    text: str = "",
    open_promise: int | None = None,
) -> Brief:
    """The brief of `contact` from what the index holds about them: their note's `row`, the
    links into it (`links_in`), the contacts seen with them (`together`: path -> count), every
    contact by path (inactive ones are named nowhere), and the ideas shared and to share."""
    props = contact.properties
    details = tuple(
        (key, shown)
        for key in DETAILS
        if props.get(key) not in (None, "") and (shown := _text(props[key]))
    )
    interactions = tuple(
        _fact(max(i.evidence, key=lambda e: (not e.frontmatter, -e.line)), i.date)
        for i in reversed(contact.interactions[-RECENT:])
    )
    follow_ups = tuple(_fact(evidence, day) for day, evidence in contact.pending)
    dated = [Fact(words, row.path, line, day) for line, day, words in reversed(row.dated_lines)]
    taken = {line for line, _, _ in row.dated_lines}
    own = (*dated, *(Fact(w, row.path, n) for n, w in note_lines(text) if n not in taken))
    inactive = {c.path for c in contacts.values() if c.status == "inactive"}
    seen: set[tuple[str, int]] = set()
    mentions: list[Fact] = []
    for link in sorted(links_in, key=lambda k: (k.src, k.line)):
        where = (link.src, link.line)
        if (
            link.commented
            or not link.src_user
            or link.src_date is not None
            or link.src == row.path
            or link.src in inactive  # an inactive contact's note is named in no other brief
            or link.kind == "frontmatter"
            or where in seen
            or line_kind(link.context) not in ("plain", "quote")
        ):
            continue
        seen.add(where)
        mentions.append(Fact(link.passage or link.context, link.src, link.line))
    names = {fold(c.name): c.path for c in contacts.values()}
    for c in contacts.values():
        names.update({fold(a): c.path for a in c.aliases})
    introducers = []
    for key in ("introduced_by", "referred_by"):
        value = props.get(key)
        for name in value if isinstance(value, list) else [value] if value else []:
            written = _text(name)
            path = names.get(fold(written.split("|")[0]))
            if path not in inactive:
                introducers.append((written, path))
    ranked = sorted(
        ((p, n) for p, n in together.items() if p not in inactive),
        key=lambda pc: (-pc[1], fold(contacts[pc[0]].name)),
    )
    return Brief(
        contact,
        details,
        interactions,
        follow_ups,
        own[:MANY],
        tuple(mentions[:MANY]),
        tuple(sorted(shared.items(), key=lambda pt: fold(pt[1]))),
        share,
        tuple(introducers),
        tuple(p for p in contact.introduced if p not in inactive),
        tuple(ranked[:MANY]),
        important_dates([contact], today, 366),
        open_promise,
    )


def note_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, text) of a note's body lines that say something: not the frontmatter,
    headings, code, `%%` comments, blank or rule lines. Pure."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        ends = [n for n, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")]
        start = ends[0] + 1 if ends else 0
    found: list[tuple[int, list[str]]] = []
    """(line, its text and the lines that carry its sentence on), joined once at the end."""
    fence: str | None = None
    comment = False
    for number, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if fence is not None:
            fence = None if stripped.startswith(fence) else fence
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if stripped.count("%%") % 2 == 1:
            comment = not comment
            continue
        if comment or "%%" in stripped:
            continue
        if not stripped or HEADING.match(stripped) or set(stripped) <= set("-*_ "):
            continue
        if stripped.startswith(("|", "<!--")):
            continue
        if found:
            first, parts = found[-1]
            if first + len(parts) == number and carries_on(parts[-1], stripped):
                parts.append(stripped)  # a wrapped sentence
                continue
        found.append((number, [stripped]))
    return [(number, " ".join(parts)) for number, parts in found]


def brief_named(gathering: Gathering, name: str, read: Callable[[str], str] | None = None) -> Brief:
    """The brief of the contact `name` (file name or alias, any case; an unknown or ambiguous
    name is a `NoteNotFound` naming the candidates); `read` gives a note's text by path."""
    people = gathering.facts(people_facts)
    row = find_person(list(people.rows.values()), name)
    if row.path not in {c.path for c in people.people.contacts}:
        raise NoteNotFound(f"{name!r}: {row.path} is not a contact")
    texts = {row.path: read(row.path)} if read else None
    return briefs_of(gathering, [row.path], texts)[0]


def briefs_of(
    gathering: Gathering, paths: list[str], texts: dict[str, str] | None = None
) -> list[Brief]:
    """The briefs of the contacts at `paths`, in that order, from the run's facts; `texts`:
    their notes' text, by path (the index keeps no note's body)."""
    config = gathering.settings.table(ReconnectConfig)
    around = frozenset(paths)  # the page's scope: what its plan gathered is read again
    people, mentions = gathering.facts(people_facts), gathering.facts(mention_facts, around)
    ideas, occasions = ideas_for(gathering, around), gathering.facts(occasion_facts)
    contacts = {c.path: c for c in people.people.contacts}
    pool = gathering.facts(share_pool, around)
    active = [contacts[p] for p in paths if contacts[p].status != "inactive"]
    words = gathering.facts(note_words, around)
    shares = shares_for(active, people, pool, config, words)
    titles = ideas.under(config.idea_rule)
    limit = max(config.share_limit, SHARE)
    found = []
    for path in paths:
        row = people.rows[path]
        into = people.into(path)
        dated = {k.src for k in into if not k.commented and k.src_date is not None and k.src_user}
        by_src = {src: mentions.links_out.get(src, ()) for src in dated | {path}}
        shared = shared_paths(path, dated_lines(row), into, by_src) - people.person_like
        found.append(
            brief_of(
                contacts[path],
                row,
                into,
                occasions.together(path),
                contacts,
                {p: titles[p] for p in shared if p in titles},
                shares.get(path, ())[:limit],
                gathering.today,
                (texts or {}).get(path, ""),
                open_promise(contacts[path], config),
            )
        )
    return found
