"""One run's reading of the vault: the index (read-only), the settings and the date, and the facts
features gather from them, each gathered once per run and shared by every feature that asks.

A feature's facts come from a gather function, `gather(gathering, *scope) -> facts`, that asks
the view what it needs in a few bulk queries (`vaultnet.people.facts.people_facts`, ...); the
computation that follows is pure. `gathering.facts(people_facts)` runs it the first time and hands
every later caller in the same run the same record, so the Reconnect page, the briefs, the
audiences and the related pages read the people once. A gather may take a scope (hashable: the
few people the Reconnect page suggests, say) and gather only around it; the same scope asked
again is the same record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from vaultnet.index.view import IndexView
from vaultnet.vault.config import Settings

T = TypeVar("T")


class Gathering:
    """The index, the settings and the date of one run, and the facts gathered so far."""

    def __init__(self, view: IndexView, settings: Settings, today: dt.date) -> None:
        self.view = view
        self.settings = settings
        self.today = today
        self._facts: dict[tuple[Callable[..., Any], tuple[Any, ...]], Any] = {}
        self._taken: set[Callable[..., Any]] = set()
        self.pages_made: set[str] = set()
        """The generators whose pages stand as made from this run's facts (`made`): a run that
        takes the facts over (`take`) takes this over with them."""

    def facts(self, gather: Callable[..., T], *scope: Any) -> T:
        """`gather(self, *scope)`, computed the first time this run asks for it."""
        key = (gather, scope)
        if key not in self._facts:
            self._facts[key] = gather(self, *scope)
        result: T = self._facts[key]
        return result

    def gathered(self, gather: Callable[..., Any], *scope: Any) -> bool:
        """Whether this run already has `gather(self, *scope)`."""
        return (gather, scope) in self._facts

    def take(self, earlier: Gathering, gathers: Collection[Callable[..., Any]]) -> None:
        """Take what `earlier` gathered with `gathers` (every scope) as this run's facts: for a
        caller that knows nothing they read changed since (`vaultnet.people.carry`)."""
        for key, found in earlier._facts.items():
            if key[0] in gathers:
                self._facts.setdefault(key, found)
                self._taken.add(key[0])
        if self._taken:
            self.pages_made |= earlier.pages_made

    def took(self, gather: Callable[..., Any]) -> bool:
        """Whether this run took `gather`'s facts over from an earlier run (`take`): what they
        say is what they said then."""
        return gather in self._taken

    def made(self, ran: Iterable[str], settled: Iterable[str]) -> None:
        """The generators `ran` on this run's facts, and the `settled` ones of them have their
        pages written as made (none failed, stopped or refused): a generator whose pages come
        from these facts alone may leave them as they are on a run that takes them over."""
        self.pages_made = (self.pages_made - set(ran)) | set(settled)

    def put(self, gather: Callable[..., T], found: T, *scope: Any) -> None:
        """Hold `found` as this run's `gather(self, *scope)` (what a caller brought up to date
        from an earlier run's: `vaultnet.people.carry`)."""
        self._facts[(gather, scope)] = found
