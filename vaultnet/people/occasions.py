"""Occasions: when the notes show people together. The attendees of one meeting (a dated note
that is not a daily note: everyone it links or names), or the people on one line or list item
of a daily note, or on one dated line of a person's own note (with that person). Two people in
the same daily note on different lines were at different events of the day: not together.
Pure, over the run's `PeopleFacts` (`occasion_facts` gathers them once per run).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultnet.people.facts import PeopleFacts, people_facts

if TYPE_CHECKING:
    import datetime as dt

    from vaultnet.index.gathering import Gathering

Occasion = tuple[str, int]
"""(note, item line): a meeting is (note, 0); a daily note's line or list item is (note, its
first line); a dated line of a person's own note is (note, line)."""


@dataclass(frozen=True, slots=True)
class Occasions:
    """Who was on each occasion, and each contact's occasions."""

    people: dict[Occasion, set[str]]
    of: dict[str, set[Occasion]] = field(default_factory=dict)

    def together(self, person: str, leave_out: Iterable[str] = ()) -> dict[str, int]:
        """Contact path -> on how many notes they were on an occasion with `person`."""
        out = set(leave_out) | {person}
        notes: dict[str, set[str]] = defaultdict(set)
        for occasion in self.of.get(person, ()):
            for other in self.people[occasion]:
                if other not in out:
                    notes[other].add(occasion[0])
        return dict(Counter({path: len(srcs) for path, srcs in notes.items()}))

    def met_together(self, a: str, b: str) -> bool:
        mine, theirs = self.of.get(a, set()), self.of.get(b, set())
        return not mine.isdisjoint(theirs)


def occasion_of(src: str, line: int, item: int, *, daily: bool, own: bool) -> Occasion:
    """The occasion a mention at `src`:`line` (in the item starting at `item`, 0 in a
    property) belongs to; `daily`: `src` is a daily note; `own`: a person's own note."""
    if own:
        return (src, line)
    if daily:
        return (src, item or line)
    return (src, 0)


def occasions_from(people: PeopleFacts, daily: Callable[[str], dt.date | None]) -> Occasions:
    """Every occasion of the vault's dated notes, and of the people's own dated lines."""
    dated_lines = {
        path: {line for line, _, _ in row.dated_lines} for path, row in people.rows.items()
    }
    is_daily: dict[str, bool] = {}

    def daily_note(src: str) -> bool:
        if src not in is_daily:
            is_daily[src] = daily(src) is not None
        return is_daily[src]

    found: dict[Occasion, set[str]] = defaultdict(set)
    for link in people.links_in:
        if link.commented or not link.src_user:
            continue
        own = link.src in people.rows
        if own and link.line not in dated_lines[link.src]:
            continue
        if not own and (link.src_date is None or link.src in people.person_like):
            continue
        occasion = occasion_of(
            link.src, link.line, link.item_line, daily=not own and daily_note(link.src), own=own
        )
        found[occasion].add(link.path)
        if own:
            found[occasion].add(link.src)
    for mention in people.unlinked if people.counted else ():
        if mention.src not in people.person_like:
            occasion = occasion_of(
                mention.src, mention.line, 0, daily=daily_note(mention.src), own=False
            )
            found[occasion].add(mention.path)
    of: dict[str, set[Occasion]] = defaultdict(set)
    for occasion, paths in found.items():
        for path in paths:
            of[path].add(occasion)
    return Occasions(dict(found), dict(of))


def occasion_facts(gathering: Gathering) -> Occasions:
    """The run's occasions (from its `PeopleFacts`, by the vault's daily-note rule)."""
    return occasions_from(gathering.facts(people_facts), gathering.settings.obsidian.daily_date)
