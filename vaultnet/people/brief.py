"""A brief before a call: everything the vault knows about one person, each fact with the note
and line that prove it. Pure, over the run's people and idea facts (`brief_named` gathers them)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from vaultnet.errors import NoteNotFound
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.facts import MentionFacts, PeopleFacts, ideas_near, mention_facts, people_facts
from vaultnet.people.interactions import Evidence, line_kind
from vaultnet.people.lookup import find_person
from vaultnet.people.reconnect import ImportantDate, important_dates
from vaultnet.people.share import Share, dated_lines, idea_pool, shared_paths, shares_for
from vaultnet.vault.resolve import fold
from vaultnet.vault.sentences import carries_on

if TYPE_CHECKING:
    from vaultnet.ideas import IdeaFacts
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import IncomingLink, LinkRow, NoteRow

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


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing the vault says, where it says it: note, 1-based line (0: a property), date."""

    text: str
    path: str
    line: int
    date: dt.date | None = None
    property: bool = False
    """The fact is a property of the note (`attendees: [...]`), not a line of its text."""


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
    """(contact path, dated notes both are in), most first: people you often see together."""
    dates: tuple[ImportantDate, ...]
    """Their next birthday and anniversary (within a year)."""


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().removeprefix("[[").removesuffix("]]")


def _fact(evidence: Evidence, day: dt.date | None = None) -> Fact:
    return Fact(evidence.quote, evidence.path, evidence.line, day, evidence.frontmatter)


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
) -> Brief:
    """The brief of `contact` from what the index holds about them: their note's `row`, the
    links into it (`links_in`), the other contacts in the dated notes they are in (`together`:
    path -> count), every contact by path, and the ideas shared and to share."""
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
    seen: set[tuple[str, int]] = set()
    mentions: list[Fact] = []
    for link in sorted(links_in, key=lambda k: (k.src, k.line)):
        where = (link.src, link.line)
        if (
            link.commented
            or not link.src_user
            or link.src_date is not None
            or link.src == row.path
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
            introducers.append((written, names.get(fold(written.split("|")[0]))))
    ranked = sorted(together.items(), key=lambda pc: (-pc[1], fold(contacts[pc[0]].name)))
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
        contact.introduced,
        tuple(ranked[:MANY]),
        important_dates([contact], today, 366),
    )


def note_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, text) of a note's body lines that say something: not the frontmatter,
    headings, code, `%%` comments, blank or rule lines. Pure."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        ends = [n for n, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")]
        start = ends[0] + 1 if ends else 0
    found: list[tuple[int, str]] = []
    fence: str | None = None
    comment = False
    joined = 0
    """Lines joined to the last one found (a sentence wrapped over several lines)."""
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
        if found and found[-1][0] + joined == number - 1 and carries_on(found[-1][1], stripped):
            found[-1] = (found[-1][0], f"{found[-1][1]} {stripped}")  # a wrapped sentence
            joined += 1
            continue
        joined = 0
        found.append((number, stripped))
    return found


def seen_together(
    person: str, sources: set[str], links_out: Iterable[LinkRow], contacts: set[str]
) -> dict[str, int]:
    """Contact path -> how many of the dated notes in `sources` (where `person` is) link them."""
    found: dict[str, set[str]] = defaultdict(set)
    for link in links_out:
        if link.path in contacts and link.path != person and not link.link.commented:
            found[link.path].add(link.src)
    return dict(Counter({path: len(srcs) for path, srcs in found.items()}))


def brief_named(gathering: Gathering, name: str, read: Callable[[str], str] | None = None) -> Brief:
    """The brief of the contact `name` (file name or alias, any case; an unknown or ambiguous
    name is a `NoteNotFound` naming the candidates); `read` gives a note's text by path."""
    people = gathering.facts(people_facts)
    row = find_person(list(people.rows.values()), name)
    if row.path not in {c.path for c in people.people.contacts}:
        raise NoteNotFound(f"{name!r}: {row.path} is not a contact")
    texts = {row.path: read(row.path)} if read else None
    config = gathering.settings.table(ReconnectConfig)
    around = frozenset([row.path])
    mentions, ideas = gathering.facts(mention_facts, around), gathering.facts(ideas_near, around)
    return briefs_of(people, mentions, ideas, config, [row.path], gathering.today, texts)[0]


def briefs_of(
    people: PeopleFacts,
    mentions: MentionFacts,
    ideas: IdeaFacts,
    config: ReconnectConfig,
    paths: list[str],
    today: dt.date,
    texts: dict[str, str] | None = None,
) -> list[Brief]:
    """The briefs of the contacts at `paths`, in that order; `texts`: their notes' text, by path
    (the index keeps no note's body)."""
    contacts = {c.path: c for c in people.people.contacts}
    share_config = replace(config, share_limit=max(config.share_limit, 3))
    pool = idea_pool(mentions, ideas, share_config)
    shares = shares_for([contacts[p] for p in paths], people, pool, share_config)
    titles = ideas.under(config.idea_rule)
    found = []
    for path in paths:
        row = people.rows[path]
        into = people.into(path)
        dated = {k.src for k in into if not k.commented and k.src_date is not None and k.src_user}
        by_src = {src: mentions.links_out.get(src, ()) for src in dated | {path}}
        shared = shared_paths(path, dated_lines(row), into, by_src) - people.person_like
        together = seen_together(
            path, dated, [k for src in sorted(dated) for k in by_src[src]], set(contacts) - {path}
        )
        found.append(
            brief_of(
                contacts[path],
                row,
                into,
                together,
                contacts,
                {p: titles[p] for p in shared if p in titles},
                shares[path],
                today,
                (texts or {}).get(path, ""),
            )
        )
    return found
