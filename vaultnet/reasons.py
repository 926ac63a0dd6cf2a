"""Why: the one record every feature explains itself with (a suggestion on the Reconnect page, a
related note), pure. Its words may name notes by path; whoever shows the reason decides how to
write each one (`vaultnet.pages.links.LinkStyle.link`: wikilink or markdown link, name or path),
so a note's name is never written into the words and parsed back out of them. A reason may also
point at the note (and quote the line) that proves it.
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
    path: str | None = None
    """The note that shows it (its evidence), if any."""
    quote: str | None = None
    """The line of that note that says it, if it is worth quoting."""

    @classmethod
    def plain(cls, text: str, path: str | None = None, quote: str | None = None) -> Reason:
        """A reason that names no note (`path`, `quote`: its evidence)."""
        return cls((text,), (), path, quote)

    @classmethod
    def naming(cls, before: str, notes: Sequence[str], after: str = "") -> Reason:
        """`before`, then the notes as "A", "A and B" or "A, B and C", then `after`."""
        if not notes:
            return cls((before + after,))
        gaps = (*[", "] * (len(notes) - 2), " and ") if len(notes) > 1 else ()
        return cls((before, *gaps, after), tuple(notes))

    @property
    def text(self) -> str:
        """The words, each named note by its name (for the terminal and JSON)."""
        return self.render(_stem)

    def render(self, link: Callable[[str], str], words: Callable[[str], str] = _same) -> str:
        """The reason as one line: each note written by `link(path)`, each piece of words by
        `words` (on a page: `vaultnet.pages.inert.inert`)."""
        parts = [words(self.words[0])]
        for path, after in zip(self.notes, self.words[1:], strict=True):
            parts += (link(path), words(after))
        return "".join(parts)


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name
