"""Who to reconnect with: suggestions in three groups, their reasons, what to share with each,
and upcoming birthdays/anniversaries. Pure: the run's people and idea facts in, a `Plan` out.
Every formula is in `docs/reconnect.md`."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from vaultnet.people.config import GROUPS, ReconnectConfig
from vaultnet.people.contacts import INTRO_KEYS, Contact, People
from vaultnet.people.facts import ideas_near, mention_facts, people_facts
from vaultnet.people.interactions import Evidence
from vaultnet.people.share import Share, idea_pool, shares_for
from vaultnet.reasons import Reason
from vaultnet.vault.dates import parse_date_value, parse_month_day
from vaultnet.vault.resolve import fold
from vaultnet.vault.syntax.wikilinks import find_wikilinks
from vaultnet.words import ago, days, plural, within

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering

PRIORITY = {"high": 1.5, "1": 1.5, "a": 1.5, "low": 0.75, "3": 0.75, "c": 0.75}
"""`priority` / `tier` values that weigh a current suggestion (anything else: 1)."""
DATE_KINDS = ("birthday", "anniversary")
NEW_DATE_KEYS = ("met", "created", "date")
YEAR = 365
"""Days in the "last 12 months" interactions are counted over."""


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
    """Contacts with no recorded contact that are not `new` (counted on the page)."""
    contacts: int
    first_messages: tuple[Suggestion, ...] = ()
    """The few of `never` worth a first message (group `never`), best first."""


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
    return None if evidence.frontmatter else evidence.quote


def _cadence_words(contact: Contact) -> str:
    days = contact.cadence_days
    return {
        "note": f"you aim for every {days} days",
        "tag": f"every {days} days (the default for its tag)",
        "folder": f"every {days} days (the default for its folder)",
        "rhythm": f"your usual rhythm is every {days} days",
        "default": f"default cadence of {days} days",
    }[contact.cadence_source]


PRIORITY_WORDS = frozenset({"high", "low", "medium", "normal", "urgent", "top"})


def _weight_words(contact: Contact) -> str | None:
    """The contact's priority in words: `high priority`, `priority 1`, `tier 1`."""
    for key in ("priority", "tier"):
        if key in contact.properties:
            value = str(contact.properties[key]).strip()
            if key == "priority" and value.lower() in PRIORITY_WORDS:
                return f"{value} priority"
            return f"{key} {value}"
    return None


def interaction_count(contact: Contact, today: dt.date) -> str:
    """How many interactions, over a window a reader can place: the last 12 months (when there
    were none then, all of them and the years they span)."""
    recent = sum(1 for i in contact.interactions if 0 <= (today - i.date).days < YEAR)
    if recent:
        return f"{plural(recent, 'interaction')} in the last 12 months"
    first, last = contact.interactions[0].date.year, contact.interactions[-1].date.year
    span = str(first) if first == last else f"{first} to {last}"
    return (
        f"{plural(len(contact.interactions), 'interaction')} ({span}), none in the last 12 months"
    )


def reasons_for(
    contact: Contact, group: str, today: dt.date, names: dict[str, str]
) -> tuple[Reason, ...]:
    """Plain-word reasons, each pointing at its evidence where there is one."""
    out: list[Reason] = []
    last, first = contact.last, contact.first
    if group == "new" and first is None:
        start = _new_since(contact, today, 10**6)
        when = f" on {start.isoformat()}" if start else ""
        out.append(Reason.plain(f"met{when}, no contact recorded since"))
    elif group == "new" and first is not None:
        evidence = _best_evidence(first.evidence)
        when = ago((today - first.date).days)
        out.append(Reason.plain(f"first contact {when}", evidence.path, _quote(evidence)))
    if last is not None and not (group == "new" and last is first):
        evidence = _best_evidence(last.evidence)
        gap = contact.days_since or 0
        text = f"silent for {days(gap)}" if group == "dormant" else f"last contact {ago(gap)}"
        if evidence.line == 0:  # the `last_contact` property of their note: said in words
            text += f" (on {last.date.isoformat()}, as their note records)"
            out.append(Reason.plain(text))
        else:
            out.append(Reason.plain(text, evidence.path, _quote(evidence)))
    if contact.cadence_days and group != "new":
        words = _cadence_words(contact)
        if contact.status == "overdue" and contact.next_due:
            words += f"; overdue by {days((today - contact.next_due).days)}"
        elif contact.status == "due" and contact.next_due:
            words += f"; due {within((contact.next_due - today).days)}"
        out.append(Reason.plain(words))
    if len(contact.interactions) > 1 and first is not None:
        out.append(Reason.plain(interaction_count(contact, today)))
    weight = _weight_words(contact)
    if weight:
        out.append(Reason.plain(weight))
    if contact.introduced:
        who = ", ".join(names.get(p, p) for p in contact.introduced)
        out.append(Reason.plain(f"introduced you to {who}"))
    for day, evidence in contact.pending[:2]:
        when = f" from {day.isoformat()}" if day else ""
        out.append(Reason.plain(f"open follow-up{when}", evidence.path, evidence.quote))
    if contact.upcoming:
        nxt = contact.upcoming[0]
        evidence = _best_evidence(nxt.evidence)
        out.append(Reason.plain("already planned", evidence.path, None))
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


def _introducers(contact: Contact) -> list[str]:
    """The names in the contact's `introduced_by` / `referred_by` links."""
    return [
        found.parts.target
        for key in INTRO_KEYS
        for value in _as_texts(contact.properties.get(key))
        for found in find_wikilinks(value)
        if found.parts.target
    ]


def _as_texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str)]


def first_messages(
    never: Iterable[Contact], names: dict[str, str], limit: int
) -> tuple[Suggestion, ...]:
    """Of the people never contacted, the few with a reason to write first: a priority, an open
    follow-up, an introduction (either way), a `met` date. Order: priority weight, then an open
    follow-up, then an introduction, then the latest `met`, then name. Those with no reason are
    only counted: an address book imported whole must not become a wall of names."""
    ranked = []
    for contact in never:
        weight = _weight_words(contact) if _weight(contact) > 1 else None
        reasons = [Reason.plain(weight)] if weight else []
        for day, evidence in contact.pending[:1]:
            when = f" from {day.isoformat()}" if day else ""
            reasons.append(Reason.plain(f"open follow-up{when}", evidence.path, evidence.quote))
        introducers = _introducers(contact)
        if introducers:
            reasons.append(Reason.plain(f"introduced by {', '.join(introducers)}"))
        if contact.introduced:
            who = ", ".join(names.get(p, p) for p in contact.introduced)
            reasons.append(Reason.plain(f"introduced you to {who}"))
        met = next(
            (d for k in NEW_DATE_KEYS if (d := parse_date_value(contact.properties.get(k)))), None
        )
        if met is not None:
            reasons.append(Reason.plain(f"met on {met.isoformat()}"))
        if not reasons:
            continue
        key = (
            -_weight(contact),
            not contact.pending,
            not (introducers or contact.introduced),
            -(met.toordinal() if met else 0),
            fold(contact.name),
            contact.path,
        )
        ranked.append((key, Suggestion(contact, "never", _weight(contact), tuple(reasons))))
    ranked.sort(key=lambda pair: pair[0])
    return tuple(s for _, s in ranked[:limit])


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
        first_messages(never, names, config.first_messages),
    )


def reconnect_plan(gathering: Gathering, limit: int | None = None) -> Plan:
    """The run's plan: the suggestions from the people's facts, then what to share with them,
    from the facts around them alone (gathered only when something is to be shared)."""
    config = gathering.settings.table(ReconnectConfig)
    people = gathering.facts(people_facts)
    result = plan(people.people, gathering.today, config, limit)
    if config.share_limit == 0 or not result.suggestions:
        return result
    suggested = frozenset(s.contact.path for s in result.suggestions)
    mentions = gathering.facts(mention_facts, suggested)
    pool = idea_pool(mentions, gathering.facts(ideas_near, suggested), config)
    shares = shares_for([s.contact for s in result.suggestions], people, pool, config)
    return replace(
        result,
        suggestions=tuple(replace(s, share=shares[s.contact.path]) for s in result.suggestions),
    )
