"""Who is a candidate for the Reconnect page, in which group, how urgent, and which of them fill
the page's slots (the mix). Pure; every formula is in `docs/reconnect.md`.

Groups: `new` (first contact, or a `met` date, in the last `new_days`), `dormant`, `current`
(overdue or due, or in touch on time but with a promise or news that asks for a message).
Urgency: 2 for an open promise older than `promise_days`, 1 for a thank-you or congratulation
to write, else 0. Within a group the more urgent come first, then the higher score.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from vaultnet.people.config import GROUPS, ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.vault.dates import parse_date_value
from vaultnet.vault.resolve import fold

PRIORITY = {"high": 1.5, "1": 1.5, "a": 1.5, "low": 0.75, "3": 0.75, "c": 0.75}
"""`priority` / `tier` values that weigh a current suggestion (anything else: 1)."""
NEW_DATE_KEYS = ("met", "created", "date")
PROMISE, TIMELY, NONE = 2, 1, 0
"""Urgency: an open promise past `promise_days`; a thank-you or congratulation; nothing."""


@dataclass(frozen=True, slots=True)
class Candidate:
    contact: Contact
    group: str
    score: float
    urgency: int

    def rank(self) -> tuple[int, float, str, str]:
        """Within a group: the more urgent, then the higher score, then by name."""
        return (-self.urgency, -self.score, fold(self.contact.name), self.contact.path)


@dataclass(frozen=True, slots=True)
class Mix:
    """How the page's slots were shared out among the groups."""

    limit: int
    shares: tuple[tuple[str, float], ...]
    quotas: dict[str, int]
    """Each group's slots by its share (largest remainder)."""
    chosen: dict[str, int]
    """How many each group has on the page."""
    spare: int
    """Slots a group could not fill that went to the most urgent others."""


def weight(contact: Contact) -> float:
    for key in ("priority", "tier"):
        value = contact.properties.get(key)
        if value is not None:
            return PRIORITY.get(str(value).strip().lower(), 1.0)
    return 1.0


def met_date(contact: Contact) -> dt.date | None:
    """The contact's `met`, `created` or `date` property, the first that is a date."""
    return next(
        (d for k in NEW_DATE_KEYS if (d := parse_date_value(contact.properties.get(k)))), None
    )


def new_since(contact: Contact, today: dt.date, days: int) -> dt.date | None:
    """The date that makes a contact `new` (first interaction, or for a never-contacted person
    their `met`/`created`/`date` property), when within the last `days` days."""
    start = contact.first.date if contact.first is not None else met_date(contact)
    if start is not None and 0 <= (today - start).days <= days:
        return start
    return None


def open_promise(contact: Contact, config: ReconnectConfig) -> int | None:
    """Days since the oldest open follow-up, when older than `promise_days` (else None)."""
    age = contact.promise_age
    return age if age is not None and age > config.promise_days else None


def urgency_of(contact: Contact, config: ReconnectConfig, timely: bool) -> int:
    if open_promise(contact, config) is not None:
        return PROMISE
    return TIMELY if timely else NONE


def group_of(
    contact: Contact, today: dt.date, config: ReconnectConfig, urgency: int = NONE
) -> str | None:
    """`new`, then `dormant`, then `current`: each contact in at most one group. A contact in
    touch on time is `current` only when something asks for a message (`urgency`)."""
    if contact.status in ("inactive", "snoozed"):
        return None
    if new_since(contact, today, config.new_days) is not None:
        return "new"
    if contact.status == "dormant":
        return "dormant"
    if contact.status in ("overdue", "due") or (contact.status == "ok" and urgency > NONE):
        return "current"
    return None


def score_of(contact: Contact, group: str, today: dt.date, config: ReconnectConfig) -> float:
    if group == "current":
        ratio = (contact.days_since or 0) / (contact.cadence_days or 1)
        return round(ratio * (1 + math.log1p(contact.strength)) * weight(contact), 4)
    if group == "dormant":
        return round(contact.strength * weight(contact), 4)
    start = new_since(contact, today, config.new_days) or today
    freshness = (config.new_days - (today - start).days + 1) / (config.new_days + 1)
    return round(freshness * weight(contact), 4)


def quotas(limit: int, shares: dict[str, float]) -> dict[str, int]:
    """Each group's slots: its share of `limit`, rounded by largest remainder (ties in group
    order)."""
    total = sum(shares.values())
    exact = {g: limit * shares[g] / total for g in GROUPS}
    slots = {g: math.floor(exact[g]) for g in GROUPS}
    by_remainder = sorted(GROUPS, key=lambda g: (-(exact[g] - slots[g]), GROUPS.index(g)))
    for g in by_remainder[: limit - sum(slots.values())]:
        slots[g] += 1
    return slots


def choose(
    candidates: Iterable[Candidate], limit: int, shares: dict[str, float]
) -> tuple[list[Candidate], Mix]:
    """The candidates on the page, group by group, each group in rank order, and the mix.

    Each group fills its quota with its best; the slots a group cannot fill go to the most
    urgent of the rest (a promise first), then by group (largest share first), then by rank."""
    by_group: dict[str, list[Candidate]] = {g: [] for g in GROUPS}
    for candidate in candidates:
        by_group[candidate.group].append(candidate)
    for members in by_group.values():
        members.sort(key=Candidate.rank)
    quota = quotas(limit, shares)
    taken = {g: by_group[g][: quota[g]] for g in GROUPS}
    spare = limit - sum(len(t) for t in taken.values())
    order = sorted(GROUPS, key=lambda g: (-shares[g], GROUPS.index(g)))
    rest = sorted(
        (c for g in GROUPS for c in by_group[g][quota[g] :]),
        key=lambda c: (-c.urgency, order.index(c.group), c.rank()),
    )
    extra = rest[:spare]
    for candidate in extra:
        taken[candidate.group].append(candidate)
    chosen = [c for g in GROUPS for c in sorted(taken[g], key=Candidate.rank)]
    counts = {g: len(taken[g]) for g in GROUPS}
    return chosen, Mix(limit, tuple((g, shares[g]) for g in GROUPS), quota, counts, len(extra))
