"""Why a note is related to another, as records: the words, and the notes they name by path.

A signal says which notes a reason names; whoever shows the reason decides how to write each one
(`vaultnet.pages.links.LinkStyle.link`: wikilink or markdown link, name or path), so a note's name is
never written into the words and parsed back out of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason in words that may name notes: `words[0]`, then for each note of `notes` its link
    and the next piece of `words` (there is one more piece of words than notes)."""

    words: tuple[str, ...]
    notes: tuple[str, ...] = ()
    """Vault paths of the notes named, in the order they are written."""

    @classmethod
    def plain(cls, text: str) -> Reason:
        """A reason that names no note."""
        return cls((text,))

    @classmethod
    def naming(cls, before: str, notes: Sequence[str], after: str = "") -> Reason:
        """`before`, then the notes as "A", "A and B" or "A, B and C", then `after`."""
        if not notes:
            return cls((before + after,))
        gaps = (*[", "] * (len(notes) - 2), " and ") if len(notes) > 1 else ()
        return cls((before, *gaps, after), tuple(notes))

    def render(self, link: Callable[[str], str], words: Callable[[str], str] = _same) -> str:
        """The reason as one line: each note written by `link(path)`, each piece of words by
        `words` (on a page: `vaultnet.pages.inert.inert`)."""
        parts = [words(self.words[0])]
        for path, after in zip(self.notes, self.words[1:], strict=True):
            parts += (link(path), words(after))
        return "".join(parts)


def join_words(items: Sequence[str]) -> str:
    """The items as "a", "a and b" or "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
