"""Related pages made again only when what they show changed.

`vaultnet watch` keeps one related generator for its life and runs it after every edit. An edit
moves the rankings of a few notes, yet every run checked the mention reasons of every page and
rendered every page again (3,000 pages at 10,000 notes: about half of a 10 s run). `PageMemo`
keeps each page's body with the inputs it was made from: the note, its related notes with their
reasons, its audience as shown (each listener's contact path and status, and its reasons:
comparing whole contacts cost 5 s a run at 30,000 pages), the link style, and the versions
(content hashes, from the index) of the notes whose names and text the mention check reads. Equal
inputs give the same body, so it is reused; anything else makes the page again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class PageMemo:
    """Page path -> (inputs, body) of the pages made so far."""

    def __init__(self) -> None:
        self._bodies: dict[str, tuple[tuple[Any, ...], str]] = {}

    def body(self, path: str, inputs: tuple[Any, ...], make: Callable[[], str]) -> str:
        """The body made from `inputs` (`make()`), reused when the page's inputs are the same."""
        known = self._bodies.get(path)
        if known is not None and known[0] == inputs:
            return known[1]
        body = make()
        self._bodies[path] = (inputs, body)
        return body

    def keep(self, paths: Iterable[str]) -> None:
        """Forget every page but `paths` (a full run's pages)."""
        wanted = set(paths)
        self._bodies = {p: known for p, known in self._bodies.items() if p in wanted}
