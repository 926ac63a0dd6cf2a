"""Who to reconnect with: suggestions in three groups, the things to do for each (actions), their
reasons, what to share, introductions to make, and upcoming birthdays/anniversaries. Pure: the
run's people and idea facts in, a `Plan` out. Every formula is in `docs/reconnect.md`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from vaultnet.people.actions import Action, actions_for, follow_ups, lines_about, share_action
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import INTRO_KEYS, Contact, People, bulk_records
from vaultnet.people.dates import ImportantDate, important_dates
from vaultnet.people.facts import PeopleFacts, note_words, people_facts
from vaultnet.people.groups import (
    NONE,
    Candidate,
    Mix,
    choose,
    group_of,
    met_date,
    new_since,
    score_of,
    urgency_of,
    weight,
)
from vaultnet.people.interactions import Evidence
from vaultnet.people.introductions import Introduction, introductions
from vaultnet.people.occasions import occasion_facts
from vaultnet.people.share import Share, share_pool, shares_for
from vaultnet.reasons import Reason
from vaultnet.vault.resolve import fold
from vaultnet.vault.syntax.wikilinks import find_wikilinks
from vaultnet.words import ago, days, plural, within

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering

PER_IDEA = 2
"""An idea is offered to at most this many people on one page: the best fits."""
YEAR = 365
"""Days in the "last 12 months" interactions are counted over."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    contact: Contact
    group: str
    score: float
    reasons: tuple[Reason, ...]
    share: tuple[Share, ...] = ()
    actions: tuple[Action, ...] = ()
    """What to do, most urgent first: follow-ups, a thank-you, a congratulation (the shares
    are the `share` actions, `share_actions`)."""
    urgency: int = NONE


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
    mix: Mix | None = None
    """How the suggestions' slots were shared out among the groups."""
    introductions: tuple[Introduction, ...] = ()


def _best_evidence(evidence: Iterable[Evidence]) -> Evidence:
    """A body line over a property, then the first by path."""
    return min(evidence, key=lambda e: (e.frontmatter, e.path, e.line))


def _quote(evidence: Evidence) -> str | None:
    return None if evidence.frontmatter else evidence.quote


def _unlinked(evidence: Evidence) -> str:
    return " (named without a link)" if evidence.unlinked else ""


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
    contact: Contact,
    group: str,
    today: dt.date,
    names: dict[str, str],
    actions: Iterable[Action] = (),
) -> tuple[Reason, ...]:
    """Plain-word reasons, each pointing at its evidence where there is one (what the
    `actions` say, such as a promise or an introduction to thank for, is not said again)."""
    out: list[Reason] = []
    last, first = contact.last, contact.first
    if group == "new" and first is None:
        start = new_since(contact, today, 10**6)
        when = f" on {start.isoformat()}" if start else ""
        out.append(Reason.plain(f"met{when}, no contact recorded since"))
    elif group == "new" and first is not None:
        evidence = _best_evidence(first.evidence)
        when = ago((today - first.date).days)
        text = f"first contact {when}{_unlinked(evidence)}"
        out.append(Reason.plain(text, evidence.path, _quote(evidence)))
    if last is not None and not (group == "new" and last is first):
        evidence = _best_evidence(last.evidence)
        gap = contact.days_since or 0
        text = f"silent for {days(gap)}" if group == "dormant" else f"last contact {ago(gap)}"
        text += _unlinked(evidence)
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
    introduced = [p for p in contact.introduced if p in names]
    if introduced and not any(a.kind == "thank" and a.reason.notes for a in actions):
        who = ", ".join(names[p] for p in introduced)
        out.append(Reason.plain(f"introduced you to {who}"))
    if contact.upcoming:
        nxt = contact.upcoming[0]
        evidence = _best_evidence(nxt.evidence)
        out.append(Reason.plain("already planned", evidence.path, None))
    return tuple(out)


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
    never: Iterable[Contact],
    names: dict[str, str],
    limit: int,
    actions: Mapping[str, tuple[Action, ...]],
    urgency: Mapping[str, int],
    today: dt.date,
) -> tuple[Suggestion, ...]:
    """Of the people never contacted, the few with a reason to write first: a promise, a
    priority, a thank-you, an introduction (either way), a `met` date. Order: a promise past
    `promise_days` (or a thank-you), then priority weight, then any open follow-up, then an
    introduction, then the latest `met`, then name. Those with no reason are only counted: an
    address book imported whole must not become a wall of names."""
    ranked = []
    for contact in never:
        todo = actions.get(contact.path, ())
        words = _weight_words(contact) if weight(contact) > 1 else None
        reasons = [Reason.plain(words)] if words else []
        introducers = _introducers(contact)
        if introducers:
            reasons.append(Reason.plain(f"introduced by {', '.join(introducers)}"))
        introduced = [p for p in contact.introduced if p in names]
        if introduced and not any(a.kind == "thank" for a in todo):
            reasons.append(
                Reason.plain(f"introduced you to {', '.join(names[p] for p in introduced)}")
            )
        met = met_date(contact)
        if met is not None:
            reasons.append(Reason.plain(f"met on {met.isoformat()}"))
        if not reasons and not todo and not contact.pending:
            continue
        key = (
            -urgency.get(contact.path, NONE),
            -weight(contact),
            not contact.pending,
            not (introducers or introduced),
            -(met.toordinal() if met else 0),
            fold(contact.name),
            contact.path,
        )
        suggestion = Suggestion(
            contact,
            "never",
            weight(contact),
            tuple(reasons),
            (),
            todo,
            urgency.get(contact.path, 0),
        )
        ranked.append((key, suggestion))
    ranked.sort(key=lambda pair: pair[0])
    return tuple(
        replace(s, actions=(*follow_ups(s.contact, today), *s.actions)) for _, s in ranked[:limit]
    )


def plan(
    people: People,
    today: dt.date,
    config: ReconnectConfig,
    limit: int | None = None,
    actions: Mapping[str, tuple[Action, ...]] | None = None,
) -> Plan:
    """The suggestions (without what to share), page order: group by group, the most urgent
    first, then the best; `actions`: each contact's things to do (`all_actions`)."""
    limit = config.limit if limit is None else limit
    actions = actions or {}
    candidates: list[Candidate] = []
    never: list[Contact] = []
    urgency: dict[str, int] = {}
    for contact in people.contacts:
        # `actions` holds only thank-yous and congratulations: each one is timely
        urgency[contact.path] = urgency_of(contact, config, contact.path in actions)
        group = group_of(contact, today, config, urgency[contact.path])
        if group is not None:
            score = score_of(contact, group, today, config)
            candidates.append(Candidate(contact, group, score, urgency[contact.path]))
        elif contact.status == "never":
            never.append(contact)
    chosen, mix = choose(candidates, limit, dict(config.shares))
    names = {c.path: c.name for c in people.contacts if c.status != "inactive"}
    suggestions = []
    for c in chosen:
        todo = (*follow_ups(c.contact, today), *actions.get(c.contact.path, ()))
        reasons = reasons_for(c.contact, c.group, today, names, todo)
        suggestions.append(Suggestion(c.contact, c.group, c.score, reasons, (), todo, c.urgency))
    return Plan(
        today,
        tuple(suggestions),
        important_dates(people.contacts, today, config.dates_days),
        tuple(never),
        len(people.contacts),
        first_messages(never, names, config.first_messages, actions, urgency, today),
        mix,
    )


def all_actions(
    people: PeopleFacts, today: dt.date, config: ReconnectConfig
) -> dict[str, tuple[Action, ...]]:
    """Each active contact's thank-you and congratulation (`people.actions`): what makes them
    urgent. Their follow-ups are written for the people shown (`plan`)."""
    contacts = {c.path: c for c in people.people.contacts}
    since = today - dt.timedelta(days=max(config.thank_days, config.news_days))
    said = lines_about(people, contacts, since, today)
    # only a recent line or someone they introduced can give an action
    asked = said.keys() | {c.path for c in people.people.contacts if c.introduced}
    return {
        path: found
        for path in sorted(asked)
        if contacts[path].status != "inactive"
        and (
            found := actions_for(
                contacts[path], said.get(path, ()), people, contacts, today, config
            )
        )
    }


def assign_shares(
    suggestions: Iterable[Suggestion], shares: Mapping[str, tuple[Share, ...]], limit: int
) -> dict[str, tuple[Share, ...]]:
    """What each suggested person is offered: up to `limit` ideas each, and each idea to at
    most `PER_IDEA` people of the page, the best fits (score, then how specific the fit is,
    then the page's order)."""
    order = {s.contact.path: n for n, s in enumerate(suggestions)}
    offers = sorted(
        ((share, path) for path, found in shares.items() for share in found),
        key=lambda sp: (-sp[0].score, -sp[0].fit, order[sp[1]], sp[0].path),
    )
    taken: dict[str, list[Share]] = {path: [] for path in order}
    given: dict[str, int] = {}
    for share, path in offers:
        if len(taken[path]) < limit and given.get(share.path, 0) < PER_IDEA:
            taken[path].append(share)
            given[share.path] = given.get(share.path, 0) + 1
    return {path: tuple(found) for path, found in taken.items()}


def reconnect_plan(gathering: Gathering, limit: int | None = None) -> Plan:
    """The run's plan: each contact's actions, the suggestions, then, for the suggested only,
    what to share from the idea facts (gathered only when something is to be shared), and the
    introductions to make."""
    config = gathering.settings.table(ReconnectConfig)
    people = gathering.facts(people_facts)
    with bulk_records():  # records without cycles: no collector passes over the run's facts
        actions = all_actions(people, gathering.today, config)
        result = plan(people.people, gathering.today, config, limit, actions)
    if config.introductions:
        ignore = set(config.topic_ignore_tags)
        found = introductions(people, lambda: gathering.facts(occasion_facts), ignore)
        result = replace(result, introductions=found)
    if config.share_limit == 0 or not result.suggestions:
        return result
    suggested = [s.contact for s in result.suggestions]
    around = frozenset(c.path for c in suggested)  # what to share is read around them alone
    pool = gathering.facts(share_pool, around)
    words = gathering.facts(note_words, around)
    offered = assign_shares(
        result.suggestions, shares_for(suggested, people, pool, config, words), config.share_limit
    )
    return replace(
        result,
        suggestions=tuple(
            replace(
                s,
                share=offered[s.contact.path],
                actions=(*s.actions, *map(share_action, offered[s.contact.path])),
            )
            for s in result.suggestions
        ),
    )
