"""Occasions: when the notes show people together. The attendees of one meeting (a dated note
that is not a daily note: everyone it links or names), or the people on one line or list item
of a daily note, or on one dated line of a person's own note (with that person). Two people in
the same daily note on different lines were at different events of the day: not together.
Pure, over the run's `PeopleFacts` (`occasion_facts` gathers them once per run); each person's
occasions are worked out when first asked, so a page that asks about ten people reads the notes
of those ten, not every note's date rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from vaultnet.people.facts import PeopleFacts, people_facts

if TYPE_CHECKING:
    import datetime as dt

    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import IncomingLink

Occasion = tuple[str, int]
"""(note, item line): a meeting is (note, 0); a daily note's line or list item is (note, its
first line); a dated line of a person's own note is (note, line)."""


class Occasions:
    """Who was together, from the links into the contacts and their counted unlinked mentions."""

    def __init__(
        self,
        people: PeopleFacts,
        daily: Callable[[str], dt.date | None],
        items: dict[tuple[str, int], int] | None = None,
    ) -> None:
        """`items`: (source, line) -> the first line of its list item, where that is an earlier
        line (`IndexView.items_into`)."""
        self._people = people
        self._daily = daily
        self._items = items or {}
        self._is_daily: dict[str, bool] = {}
        self._dated: dict[str, set[int]] = {}
        self._keys: dict[str, set[Occasion]] = {}
        self._by_src: dict[str, list[IncomingLink]] | None = None
        self._unlinked: dict[str, list[tuple[str, int]]] | None = None
        """Contact -> (source, line) of their counted unlinked mentions; and by source."""
        self._unlinked_in: dict[str, list[tuple[str, int]]] = {}

    def _daily_note(self, src: str) -> bool:
        if src not in self._is_daily:
            self._is_daily[src] = self._daily(src) is not None
        return self._is_daily[src]

    def _dated_lines(self, path: str) -> set[int]:
        if path not in self._dated:
            row = self._people.rows.get(path)
            self._dated[path] = {line for line, _, _ in row.dated_lines} if row else set()
        return self._dated[path]

    def _occasion(self, link: IncomingLink) -> Occasion | None:
        """The occasion a link into a contact is part of, or None (no occasion: an undated
        note, a comment, a template, a person note other than on its own dated lines)."""
        people = self._people
        if link.commented or not link.src_user:
            return None
        if link.src in people.rows:
            return (link.src, link.line) if link.line in self._dated_lines(link.src) else None
        if link.src_date is None or link.src in people.person_like:
            return None
        if self._daily_note(link.src):
            return (link.src, self._items.get((link.src, link.line), link.line))
        return (link.src, 0)

    def _mention(self, src: str, line: int) -> Occasion | None:
        if src in self._people.person_like:
            return None
        return (src, line) if self._daily_note(src) else (src, 0)

    def _index(self) -> None:
        if self._by_src is not None:
            return
        self._by_src = defaultdict(list)
        for link in self._people.links_in:
            self._by_src[link.src].append(link)
        self._unlinked = defaultdict(list)
        for m in self._people.unlinked if self._people.counted else ():
            self._unlinked[m.path].append((m.src, m.line))
            self._unlinked_in.setdefault(m.src, []).append((m.path, m.line))

    def keys(self, person: str) -> set[Occasion]:
        """The occasions `person` was part of."""
        found = self._keys.get(person)
        if found is not None:
            return found
        self._index()
        assert self._by_src is not None and self._unlinked is not None
        found = {o for k in self._people.into(person) if (o := self._occasion(k)) is not None}
        found |= {o for s, n in self._unlinked.get(person, ()) if (o := self._mention(s, n))}
        found |= {(person, k.line) for k in self._by_src.get(person, ()) if self._occasion(k)}
        self._keys[person] = found
        return found

    def together(self, person: str, leave_out: Iterable[str] = ()) -> dict[str, int]:
        """Contact path -> on how many notes they were on an occasion with `person`."""
        keys = self.keys(person)
        assert self._by_src is not None
        notes: dict[str, set[str]] = defaultdict(set)
        for src in {src for src, _ in keys}:
            if src in self._people.rows:
                notes[src].add(src)  # the owner of the dated line they are on
            for link in self._by_src.get(src, ()):
                if self._occasion(link) in keys:
                    notes[link.path].add(src)
            for path, line in self._unlinked_in.get(src, ()):
                if self._mention(src, line) in keys:
                    notes[path].add(src)
        out = {person, *leave_out}
        return {path: len(srcs) for path, srcs in notes.items() if path not in out}

    def met_together(self, a: str, b: str) -> bool:
        return not self.keys(a).isdisjoint(self.keys(b))


def occasion_facts(gathering: Gathering) -> Occasions:
    """The run's occasions (from its `PeopleFacts`, by the vault's daily-note rule, and the
    list items over several lines: one query)."""
    people = gathering.facts(people_facts)
    items = gathering.view.items_into(row for row in people.rows)
    return Occasions(people, gathering.settings.obsidian.daily_date, items)
