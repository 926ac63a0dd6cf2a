"""Who to reconnect with: suggestions in three groups, their reasons, what to share with each,
and upcoming birthdays/anniversaries. Pure: contacts and index records in, a `Plan` out. Every
formula is in `docs/reconnect.md`."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultnet.dates import parse_date_value, parse_month_day
from vaultnet.people import Contact, Evidence, People, assess, find_people, frontmatter_tags
from vaultnet.people_config import GROUPS, PeopleConfig, ReconnectConfig
from vaultnet.resolve import fold

if TYPE_CHECKING:
    from vaultnet.store import LinkRow, NoteRow, Store

PRIORITY = {"high": 1.5, "1": 1.5, "a": 1.5, "low": 0.75, "3": 0.75, "c": 0.75}
"""`priority` / `tier` values that weigh a current suggestion (anything else: 1)."""
DATE_KINDS = ("birthday", "anniversary")
NEW_DATE_KEYS = ("met", "created", "date")


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason in plain words, optionally pointing at the note (and quoting the line) behind it."""

    text: str
    path: str | None = None
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class Share:
    path: str
    title: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    contact: Contact
    group: str
    score: float
    reasons: tuple[Reason, ...]
    share: tuple[Share, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportantDate:
    path: str
    name: str
    kind: str
    date: dt.date
    in_days: int


@dataclass(frozen=True, slots=True)
class Plan:
    today: dt.date
    suggestions: tuple[Suggestion, ...]
    dates: tuple[ImportantDate, ...]
    never: tuple[Contact, ...]
    """Contacts with no recorded contact that are not `new` (only counted on the page)."""
    contacts: int


def allocate(limit: int, shares: dict[str, float], available: dict[str, int]) -> dict[str, int]:
    """Slots per group: the shares of `limit` rounded by largest remainder (ties in group order);
    slots a group cannot fill go to the others, largest share first."""
    total = sum(shares.values())
    exact = {g: limit * shares[g] / total for g in GROUPS}
    slots = {g: math.floor(exact[g]) for g in GROUPS}
    by_remainder = sorted(GROUPS, key=lambda g: (-(exact[g] - slots[g]), GROUPS.index(g)))
    for g in by_remainder[: limit - sum(slots.values())]:
        slots[g] += 1
    spare = sum(max(0, slots[g] - available[g]) for g in GROUPS)
    slots = {g: min(slots[g], available[g]) for g in GROUPS}
    for g in sorted(GROUPS, key=lambda g: (-shares[g], GROUPS.index(g))):
        extra = min(spare, available[g] - slots[g])
        slots[g] += extra
        spare -= extra
    return slots


def _weight(contact: Contact) -> float:
    for key in ("priority", "tier"):
        value = contact.properties.get(key)
        if value is not None:
            return PRIORITY.get(str(value).strip().lower(), 1.0)
    return 1.0


def _new_since(contact: Contact, today: dt.date, days: int) -> dt.date | None:
    """The date that makes a contact `new` (first interaction, or for a never-contacted person
    their `met`/`created`/`date` property), when within the last `days` days."""
    if contact.first is not None:
        start: dt.date | None = contact.first.date
    else:
        start = next(
            (d for k in NEW_DATE_KEYS if (d := parse_date_value(contact.properties.get(k)))),
            None,
        )
    if start is not None and 0 <= (today - start).days <= days:
        return start
    return None


def group_of(contact: Contact, today: dt.date, config: ReconnectConfig) -> str | None:
    """`new`, then `dormant`, then `current`: each contact in at most one group."""
    if contact.status in ("inactive", "snoozed"):
        return None
    if _new_since(contact, today, config.new_days) is not None:
        return "new"
    if contact.status == "dormant":
        return "dormant"
    if contact.status in ("overdue", "due"):
        return "current"
    return None


def score_of(contact: Contact, group: str, today: dt.date, config: ReconnectConfig) -> float:
    if group == "current":
        ratio = (contact.days_since or 0) / (contact.cadence_days or 1)
        return round(ratio * (1 + math.log1p(contact.strength)) * _weight(contact), 4)
    if group == "dormant":
        return round(contact.strength * _weight(contact), 4)
    start = _new_since(contact, today, config.new_days) or today
    freshness = (config.new_days - (today - start).days + 1) / (config.new_days + 1)
    return round(freshness * _weight(contact), 4)


def _best_evidence(evidence: Iterable[Evidence]) -> Evidence:
    """A body line over a property, then the first by path."""
    return min(evidence, key=lambda e: (e.frontmatter, e.path, e.line))


def _quote(evidence: Evidence) -> str | None:
    return None if evidence.frontmatter else evidence.text


def _cadence_words(contact: Contact) -> str:
    days = contact.cadence_days
    return {
        "note": f"you aim for every {days} days",
        "tag": f"every {days} days (the default for its tag)",
        "folder": f"every {days} days (the default for its folder)",
        "rhythm": f"your usual rhythm is every {days} days",
        "default": f"default cadence of {days} days",
    }[contact.cadence_source]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reasons_for(
    contact: Contact, group: str, today: dt.date, names: dict[str, str]
) -> tuple[Reason, ...]:
    """Plain-word reasons, each pointing at its evidence where there is one."""
    out: list[Reason] = []
    last, first = contact.last, contact.first
    if group == "new" and first is None:
        start = _new_since(contact, today, 10**6)
        when = f" on {start.isoformat()}" if start else ""
        out.append(Reason(f"met{when}, no contact recorded since"))
    elif group == "new" and first is not None:
        evidence = _best_evidence(first.evidence)
        days = (today - first.date).days
        out.append(Reason(f"first contact {days} days ago", evidence.path, _quote(evidence)))
    if last is not None and not (group == "new" and last is first):
        evidence = _best_evidence(last.evidence)
        word = "silent for" if group == "dormant" else "last contact"
        text = f"{word} {contact.days_since} days" + ("" if group == "dormant" else " ago")
        if evidence.line == 0:  # the manual `last_contact` property
            out.append(Reason(f"{text} (last_contact {last.date.isoformat()})"))
        else:
            out.append(Reason(text, evidence.path, _quote(evidence)))
    if contact.cadence_days and group != "new":
        words = _cadence_words(contact)
        if contact.status == "overdue" and contact.next_due:
            words += f"; overdue by {(today - contact.next_due).days} days"
        elif contact.status == "due" and contact.next_due:
            left = (contact.next_due - today).days
            words += "; due today" if left == 0 else f"; due in {left} days"
        out.append(Reason(words))
    if len(contact.interactions) > 1 and first is not None:
        out.append(
            Reason(f"{_plural(len(contact.interactions), 'interaction')} since {first.date.year}")
        )
    weight = next(
        (f"{k} {contact.properties[k]}" for k in ("priority", "tier") if k in contact.properties),
        None,
    )
    if weight:
        out.append(Reason(weight))
    if contact.introduced:
        who = ", ".join(names.get(p, p) for p in contact.introduced)
        out.append(Reason(f"introduced you to {who}"))
    for day, evidence in contact.pending[:2]:
        when = f" from {day.isoformat()}" if day else ""
        out.append(Reason(f"open follow-up{when}", evidence.path, evidence.text))
    if contact.upcoming:
        nxt = contact.upcoming[0]
        evidence = _best_evidence(nxt.evidence)
        out.append(Reason("already planned", evidence.path, None))
    return tuple(out)


def next_occurrence(value: Any, today: dt.date) -> dt.date | None:
    """The next date (today included) a birthday-style value falls on; Feb 29 is Feb 28 in
    ordinary years."""
    month_day = parse_month_day(value)
    if month_day is None:
        return None
    month, day = month_day
    for year in (today.year, today.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            when = dt.date(year, 2, 28)
        if when >= today:
            return when
    return None


def important_dates(
    contacts: Iterable[Contact], today: dt.date, window: int
) -> tuple[ImportantDate, ...]:
    found = []
    for contact in contacts:
        for kind in DATE_KINDS:
            when = next_occurrence(contact.properties.get(kind), today)
            if when is not None and (when - today).days <= window:
                found.append(
                    ImportantDate(contact.path, contact.name, kind, when, (when - today).days)
                )
    return tuple(sorted(found, key=lambda d: (d.in_days, fold(d.name), d.kind)))


def plan(people: People, today: dt.date, config: ReconnectConfig, limit: int | None = None) -> Plan:
    """The suggestions (without what to share), page order: group by group, best first."""
    limit = config.limit if limit is None else limit
    candidates: dict[str, list[tuple[float, Contact]]] = defaultdict(list)
    never: list[Contact] = []
    for contact in people.contacts:
        group = group_of(contact, today, config)
        if group is not None:
            candidates[group].append((score_of(contact, group, today, config), contact))
        elif contact.status == "never":
            never.append(contact)
    slots = allocate(limit, dict(config.shares), {g: len(candidates[g]) for g in GROUPS})
    names = {c.path: c.name for c in people.contacts}
    suggestions = []
    for group in GROUPS:
        ranked = sorted(candidates[group], key=lambda sc: (-sc[0], fold(sc[1].name), sc[1].path))
        for score, contact in ranked[: slots[group]]:
            reasons = reasons_for(contact, group, today, names)
            suggestions.append(Suggestion(contact, group, score, reasons))
    return Plan(
        today,
        tuple(suggestions),
        important_dates(people.contacts, today, config.dates_days),
        tuple(never),
        len(people.contacts),
    )


def is_idea(
    row: NoteRow, people: People, mentions_people: set[str], config: ReconnectConfig
) -> bool:
    """Not a person, daily or dated note that mentions people, template, excluded or generated
    note; inside `idea_folders`/`idea_tags` when those are set; outside the exclusions."""
    if row.template or row.excluded or row.generator or row.path in people.person_paths:
        return False
    if row.date is not None and row.path in mentions_people:
        return False
    tags = {t.lower() for t in row.tags}
    if any(row.path.startswith(f + "/") for f in config.exclude_folders):
        return False
    if tags & set(config.exclude_tags):
        return False
    if config.idea_folders or config.idea_tags:
        return any(row.path.startswith(f + "/") for f in config.idea_folders) or bool(
            tags & set(config.idea_tags)
        )
    return True


def share_ideas(
    contact: Contact,
    notes: dict[str, NoteRow],
    ideas: set[str],
    ideas_by_tag: dict[str, list[str]],
    links_in: list[LinkRow],
    links_out: dict[str, list[LinkRow]],
    config: ReconnectConfig,
) -> tuple[Share, ...]:
    """Up to `share_limit` idea notes matching the person's interests, never shared with them.

    +2 for each tag the idea shares with the person's note, +3 when the idea and the person's
    note link each other, +1 for each tag the idea shares with the notes that mention the person
    (its topics). Shared = a dated note (or a dated line in the person's note) links both."""
    ignore = set(config.topic_ignore_tags)
    interests = {t.lower() for t in contact.tags} - ignore
    interests |= frontmatter_tags(contact.properties) - ignore
    sources = {link.src for link in links_in if not link.link.commented}
    dated_sources = {s for s in sources if s in notes and notes[s].date is not None}
    topics: set[str] = set()
    for src in sources:
        topics |= {t.lower() for t in notes[src].tags} if src in notes else set()
    topics -= ignore | interests
    shared: set[str] = set()
    for src in dated_sources:
        shared |= {link.path for link in links_out.get(src, ()) if link.path}
    dated_lines = {line for line, _, _ in notes[contact.path].dated_lines}
    linked: set[str] = {src for src in sources if src in ideas}
    for link in links_out.get(contact.path, ()):
        if link.path is None or link.link.commented:
            continue
        if link.link.line in dated_lines:
            shared.add(link.path)
        elif link.path in ideas:
            linked.add(link.path)
    scores: dict[str, int] = defaultdict(int)
    matched: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for path in linked:
        scores[path] += 3
    for kind, tags, points in ((0, interests, 2), (1, topics, 1)):
        for tag in sorted(tags):
            for path in ideas_by_tag.get(tag, ()):
                scores[path] += points
                matched[path][kind].append(f"#{tag}")
    first = contact.name.split()[0] if contact.name.split() else contact.name

    def reasons(path: str) -> tuple[str, ...]:
        own, topic = matched[path]
        out = [f"linked with {first}'s note"] if path in linked else []
        if own:
            out.append(f"about {', '.join(own)}, like {first}'s note")
        if topic:
            out.append(f"about {', '.join(topic)}, a topic of your notes with {first}")
        return tuple(out)

    ranked = sorted(
        (p for p in scores if p not in shared and p != contact.path),
        key=lambda p: (-scores[p], p),
    )
    return tuple(
        Share(p, notes[p].title, scores[p], reasons(p)) for p in ranked[: config.share_limit]
    )


def index_ideas(
    notes: dict[str, NoteRow], people: People, mentions_people: set[str], config: ReconnectConfig
) -> tuple[set[str], dict[str, list[str]]]:
    """The idea notes and, per lower-cased tag, the ideas that carry it."""
    ideas = {p for p, row in notes.items() if is_idea(row, people, mentions_people, config)}
    by_tag: dict[str, list[str]] = defaultdict(list)
    for path in sorted(ideas):
        for tag in {t.lower() for t in notes[path].tags}:
            by_tag[tag].append(path)
    return ideas, by_tag


def with_shares(
    result: Plan,
    people: People,
    notes: dict[str, NoteRow],
    links_into_people: list[LinkRow],
    links_out: list[LinkRow],
    config: ReconnectConfig,
) -> Plan:
    """The plan with what to share filled in. `links_out` are the links written in the suggested
    people's notes and in the notes that mention them."""
    mentions_people = {link.src for link in links_into_people if not link.link.commented}
    ideas, ideas_by_tag = index_ideas(notes, people, mentions_people, config)
    into: dict[str, list[LinkRow]] = defaultdict(list)
    for link in links_into_people:
        if link.path is not None:
            into[link.path].append(link)
    out: dict[str, list[LinkRow]] = defaultdict(list)
    for link in links_out:
        out[link.src].append(link)
    suggestions = tuple(
        Suggestion(
            s.contact,
            s.group,
            s.score,
            s.reasons,
            share_ideas(s.contact, notes, ideas, ideas_by_tag, into[s.contact.path], out, config),
        )
        for s in result.suggestions
    )
    return Plan(result.today, suggestions, result.dates, result.never, result.contacts)


def load_plan(
    store: Store,
    people_config: PeopleConfig,
    config: ReconnectConfig,
    today: dt.date,
    limit: int | None = None,
) -> Plan:
    """The full plan from the index in three bulk queries: every note, the links into contacts,
    and the links out of the suggested people's notes and the notes that mention them."""
    notes = {row.path: row for row in store.notes()}
    contacts, person_like = find_people(notes.values(), people_config)
    links = store.links_into(row.path for row in contacts)
    people = assess(contacts, person_like, notes, links, today, people_config)
    result = plan(people, today, config, limit)
    if config.share_limit == 0 or not result.suggestions:
        return result
    wanted = {s.contact.path for s in result.suggestions}
    sources = {link.src for link in links if link.path in wanted}
    links_out = store.links_out_of(sorted(wanted | sources))
    return with_shares(result, people, notes, links, links_out, config)
