"""The network's figures: contact per month, the mix of people reached against the aimed shares,
the strongest ties placed by strength and silence, and the ties that are drifting. Pure: contacts
(with their interactions) in, a `Network` record out; every rule is in `docs/network.md`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from vaultnet.network.config import NetworkConfig
from vaultnet.people.config import PeopleConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.rhythm import month_start, monthly_counts, recent_months
from vaultnet.vault.resolve import fold

MIX_GROUPS = ("current", "revived", "new")
"""The mix's groups, in the order of `[reconnect.shares]` (`current`, `dormant`, `new`)."""
HALF_YEAR = 182
"""Drifting compares the last 182 days (26 weeks) with the 182 before."""
MAP_SPAN = 4
"""The map's horizontal axis measures silence in the person's own cadences, on a square-root
scale up to 4 cadences, so its middle line falls on one cadence: the day they are due."""
CLOSE = 10
"""A mix within this many percentage points of every aim is "close to what you aim for"."""
QUADRANTS = {
    1: "Reach out now",
    2: "Keep it up",
    3: "Build on it",
    4: "Light touch",
}
"""What to do with a tie in each quadrant of the map (Mermaid's numbering: 1 strong and silent
for long, 2 strong and recent, 3 weaker and recent, 4 weaker and silent for long)."""


@dataclass(frozen=True, slots=True)
class Month:
    start: dt.date
    """The month's first day."""
    people: int
    """Distinct people with at least one interaction that month."""
    interactions: int
    """Interaction days summed over people (a meeting with three people counts three)."""


@dataclass(frozen=True, slots=True)
class MixGroup:
    group: str
    people: int
    percent: int
    aim: int
    """The aimed share in percent, from `[reconnect.shares]`."""


@dataclass(frozen=True, slots=True)
class Mix:
    days: int
    groups: tuple[MixGroup, ...]
    short: str | None
    """The group most short of its aim, when some group is more than `CLOSE` points off its
    aim; None when the mix is close to the aims (or nobody was contacted)."""

    @property
    def people(self) -> int:
        return sum(g.people for g in self.groups)


@dataclass(frozen=True, slots=True)
class Tie:
    path: str
    name: str
    strength: float
    days_since: int
    last: dt.date
    cadence: int
    x: float
    """Position on the map, 0-1: days since the last contact in the person's cadences, on a
    square-root scale up to `MAP_SPAN` cadences (0.5: one cadence, due)."""
    y: float
    """Position on the map, 0-1: rank by strength, the stronger half of the map above the
    middle, each tie at its own height (so no two labels overlap)."""
    quadrant: int
    months: tuple[int, ...]
    """Interaction days in each of the last twelve months (the rhythm strip)."""


@dataclass(frozen=True, slots=True)
class Drift:
    path: str
    name: str
    before: int
    """Interaction days in the 182 days before the last 182."""
    recent: int
    """Interaction days in the last 182 days."""
    strength: float
    last: dt.date
    months: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Network:
    today: dt.date
    contacts: int
    contacted: int
    """People contacted at least once, ever."""
    months: tuple[Month, ...]
    """The last twelve months, oldest first; fewer when the first interaction is more recent."""
    mix: Mix
    ties: tuple[Tie, ...]
    ties_more: int
    """Ties with a recorded contact left off the map."""
    drifting: tuple[Drift, ...]
    drifting_more: int


def percents(counts: Sequence[float]) -> tuple[int, ...]:
    """Whole percents that add up to 100 (largest remainder; ties to the first); all 0 for
    nothing."""
    total = sum(counts)
    if total <= 0:
        return tuple(0 for _ in counts)
    exact = [100 * c / total for c in counts]
    whole = [math.floor(e) for e in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return tuple(whole)


def months_of(contacts: Sequence[Contact], today: dt.date) -> tuple[Month, ...]:
    """People and interactions per month over the last twelve months, from the month of the
    vault's first interaction when that is more recent (a young vault has no empty past)."""
    starts = recent_months(today)
    people = [0] * len(starts)
    interactions = [0] * len(starts)
    first: dt.date | None = None
    for contact in contacts:
        if contact.first is not None and (first is None or contact.first.date < first):
            first = contact.first.date
        for i, count in enumerate(monthly_counts((d.date for d in contact.interactions), today)):
            people[i] += count > 0
            interactions[i] += count
    skip = 0
    if first is not None and month_start(first) > starts[0]:
        skip = starts.index(month_start(first))
    return tuple(
        Month(start, people[i], interactions[i]) for i, start in enumerate(starts) if i >= skip
    )


def mix_group(contact: Contact, today: dt.date, days: int, people: PeopleConfig) -> str | None:
    """The contact's group in the last `days` days: None when not contacted then; `new` when
    that was the first contact ever; `revived` when the contact before was so long before that
    they were dormant then (`max(dormant_factor x cadence, dormant_min_days)`); else `current`."""
    window = [i.date for i in contact.interactions if 0 <= (today - i.date).days < days]
    if not window:
        return None
    earlier = [i.date for i in contact.interactions if i.date < window[0]]
    if not earlier:
        return "new"
    cadence = contact.cadence_days or people.default_cadence
    dormant = max(people.dormant_factor * cadence, people.dormant_min_days)
    return "revived" if (window[0] - earlier[-1]).days >= dormant else "current"


def mix_of(
    contacts: Sequence[Contact],
    today: dt.date,
    days: int,
    people: PeopleConfig,
    shares: Sequence[tuple[str, float]],
) -> Mix:
    """Who was contacted in the last `days` days, by group, against the aimed shares."""
    counts = dict.fromkeys(MIX_GROUPS, 0)
    for contact in contacts:
        group = mix_group(contact, today, days, people)
        if group is not None:
            counts[group] += 1
    actual = percents([counts[g] for g in MIX_GROUPS])
    aims = percents([share for _, share in shares])
    groups = tuple(MixGroup(g, counts[g], actual[i], aims[i]) for i, g in enumerate(MIX_GROUPS))
    return Mix(days, groups, short_of(groups))


def short_of(groups: Sequence[MixGroup]) -> str | None:
    """The group most short of its aim (ties in group order), or None when every group is
    within `CLOSE` points of its aim or nobody was contacted."""
    if not any(g.people for g in groups) or all(abs(g.percent - g.aim) <= CLOSE for g in groups):
        return None
    return min(groups, key=lambda g: (g.percent - g.aim, MIX_GROUPS.index(g.group))).group


def _order(contact: Contact) -> tuple[float, str, str]:
    return (-contact.strength, fold(contact.name), contact.path)


def map_of(contacts: Sequence[Contact], today: dt.date, limit: int) -> tuple[tuple[Tie, ...], int]:
    """The `limit` strongest ties (any contact with a recorded contact, not `inactive`), each
    placed by silence (x) and strength (y, `heights`); and how many were left off."""
    ties = sorted(
        (c for c in contacts if c.last is not None and c.cadence_days and c.strength > 0),
        key=_order,
    )
    shown = []
    ys = heights(min(limit, len(ties)))
    for contact, y in zip(ties[:limit], ys, strict=True):
        assert contact.last is not None and contact.cadence_days  # filtered above
        days, cadence = (today - contact.last.date).days, contact.cadence_days
        far, strong = days > cadence, y > 0.5
        shown.append(
            Tie(
                path=contact.path,
                name=contact.name,
                strength=contact.strength,
                days_since=days,
                last=contact.last.date,
                cadence=cadence,
                x=_side(_position(math.sqrt(min(days / cadence, MAP_SPAN) / MAP_SPAN)), far),
                y=y,
                quadrant=(1 if far else 2) if strong else (4 if far else 3),
                months=monthly_counts((i.date for i in contact.interactions), today),
            )
        )
    return tuple(shown), len(ties) - len(shown)


STRONG_BAND = (0.9, 0.55)
WEAK_BAND = (0.4, 0.05)
"""Heights on the map, top to bottom, of the stronger and the weaker half: clear of the middle
line and of the quadrant names Mermaid writes at the top of each quadrant."""


def heights(count: int) -> tuple[float, ...]:
    """The height of each of `count` ties ranked by strength: the stronger half (one more when
    odd) evenly over `STRONG_BAND`, the rest over `WEAK_BAND`."""
    strong = (count + 1) // 2
    return _spread(strong, STRONG_BAND) + _spread(count - strong, WEAK_BAND)


def _spread(count: int, band: tuple[float, float]) -> tuple[float, ...]:
    top, bottom = band
    if count == 1:
        return (round((top + bottom) / 2, 3),)
    return tuple(round(top - (top - bottom) * i / (count - 1), 3) for i in range(count))


def _side(x: float, far: bool) -> float:
    """A point right on the middle line drawn on its quadrant's side of it."""
    return max(x, 0.52) if far else min(x, 0.48)


def _position(value: float) -> float:
    """A coordinate kept off the chart's sides (a label centred on a point there would be cut),
    3 decimals."""
    return round(min(0.9, max(0.1, value)), 3)


def drifting_of(
    contacts: Sequence[Contact], today: dt.date, limit: int, minimum: int
) -> tuple[tuple[Drift, ...], int]:
    """Ties whose contact fell most: at least `minimum` interaction days in the 182 days before
    the last 182, fewer in the last 182; biggest fall first, then the biggest fall relative to
    before, then the strongest. Inactive contacts are left out. Also how many were left off."""
    found = []
    for contact in contacts:
        if contact.status == "inactive" or contact.last is None:
            continue
        ages = [(today - i.date).days for i in contact.interactions]
        recent = sum(0 <= a < HALF_YEAR for a in ages)
        before = sum(HALF_YEAR <= a < 2 * HALF_YEAR for a in ages)
        if before >= minimum and recent < before:
            found.append(
                Drift(
                    path=contact.path,
                    name=contact.name,
                    before=before,
                    recent=recent,
                    strength=contact.strength,
                    last=contact.last.date,
                    months=monthly_counts((i.date for i in contact.interactions), today),
                )
            )
    found.sort(
        key=lambda d: (d.recent - d.before, d.recent / d.before, -d.strength, fold(d.name), d.path)
    )
    return tuple(found[:limit]), max(0, len(found) - limit)


def network_of(
    contacts: Sequence[Contact],
    today: dt.date,
    people: PeopleConfig,
    shares: Sequence[tuple[str, float]],
    config: NetworkConfig,
) -> Network:
    """Every figure of the Network page and `vaultnet network`."""
    ties, ties_more = map_of(contacts, today, config.map_people)
    drifting, drifting_more = drifting_of(contacts, today, config.drifting, config.drifting_min)
    return Network(
        today=today,
        contacts=len(contacts),
        contacted=sum(c.last is not None for c in contacts),
        months=months_of(contacts, today),
        mix=mix_of(contacts, today, config.mix_days, people, shares),
        ties=ties,
        ties_more=ties_more,
        drifting=drifting,
        drifting_more=drifting_more,
    )
