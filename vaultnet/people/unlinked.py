"""Unlinked mentions: a dated note's line that names a contact by full name or a unique alias
without linking them ("Lunch with Jane Doe"). Pure: the contacts' names and the index's name
lines (`vaultnet.vault.names`, found when the notes were read) in, the mentions out.

What counts, as Obsidian's unlinked mentions find them, with two differences that keep plain
words from becoming contact:
- a name is the note's file name or one of its aliases, of two words or more (a first name or a
  one-word nickname alone never counts: "Jane", "Benji") and held by one contact only;
- it must stand as whole words (`Jane Doeman` is not `Jane Doe`), accents as written (`José` is
  not `Jose`, Obsidian's search ignores no accent), any letter case but its capitals: each word
  the name writes with a capital starts with a capital in the text (`JANE DOE`, `Jane DOE`; never
  `jane doe`, so "a long summer day" never names `Summer Day`);
- in a line that does not link that contact already; the longest name wins where two overlap.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from vaultnet.vault.names import pair_key, plain_text
from vaultnet.vault.resolve import fold, note_stem
from vaultnet.vault.terms import words

MODES = ("count", "report", "off")
"""`[people] unlinked_mentions`: counted as contact (and listed by `doctor`), only listed, or
not looked for."""


@dataclass(frozen=True, slots=True)
class UnlinkedMention:
    """A dated note's line that names a contact without a link."""

    src: str
    path: str
    """The contact named."""
    line: int
    text: str
    """The line, stripped (the evidence)."""
    src_date: dt.date
    name: str
    """The name as the contact's note has it (file name or alias)."""


class Name(NamedTuple):
    """A name that can stand for one contact, and its words (`name_words`). A tuple: a vault
    has tens of thousands, made on every run."""

    text: str
    path: str
    words: tuple[str, ...]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the name stands in `text` (plain text), capitals as the name writes them."""
        found = []
        for match in _pattern(self.text, self.words).finditer(text):
            written = match.groups()
            if all(
                not w[0].isupper() or t[0].isupper()
                for w, t in zip(self.words, written, strict=True)
            ):
                found.append(match.span())
        return found


@lru_cache(maxsize=4096)
def _pattern(name: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """A name's words with what separates them (any white space for a space), as whole words,
    in any case (capitals are checked after the match)."""
    text = _nfc(name)
    pieces, at = [], 0
    for i, word in enumerate(words):
        start = text.index(word, at)
        if i:
            gap = text[at:start]
            pieces.append(
                r"[^\S\x00]+" if gap.isspace() else re.escape(gap.strip()) + r"[^\S\x00]*"
            )
        pieces.append(f"({re.escape(word)})")
        at = start + len(word)
    return re.compile(r"(?<![^\W_])" + "".join(pieces) + r"(?![^\W_])", re.IGNORECASE)


def name_words(name: str) -> list[str]:
    """A name's words, as the index cuts a line's (`vaultnet.vault.names`)."""
    return words(name if name.isascii() else _nfc(name))


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def contact_names(contacts: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[Name]]:
    """Pair key -> the names that can stand for one contact, from (path, aliases) pairs: the
    file name and each alias of two words or more that no other contact also has."""
    held: dict[str, Name | None] = {}
    """Folded name -> its one contact's name, None when two contacts have it."""
    for path, aliases in contacts:
        for name in (note_stem(path), *aliases):
            words = name_words(name)
            if len(words) < 2:
                continue
            folded = name.casefold() if name.isascii() else fold(name)
            found = held.get(folded, _ABSENT)
            if found is _ABSENT:
                held[folded] = Name(name.strip(), path, tuple(words))
            elif found is not None and found.path != path:
                held[folded] = None
    by_key: dict[str, list[Name]] = defaultdict(list)
    for one in held.values():
        if one is not None:
            by_key[pair_key(one.words[0], one.words[1])].append(one)
    return dict(by_key)


_ABSENT = Name("", "", ())


def find_unlinked(
    lines: Iterable[tuple[str, str, int, str, dt.date]],
    names: dict[str, list[Name]],
    linked: set[tuple[str, int, str]],
    skip: set[str],
) -> list[UnlinkedMention]:
    """The unlinked mentions in `lines` ((key, source, line, text, date) of the index's name
    lines), leaving out lines that link the contact (`linked`: (source, line, contact path))
    and sources in `skip` (people's own notes)."""
    by_line: dict[tuple[str, int], list[tuple[str, str, dt.date]]] = defaultdict(list)
    for key, src, line, text, day in lines:
        if src not in skip:
            by_line[(src, line)].append((key, text, day))
    found: list[UnlinkedMention] = []
    for (src, line), keys in sorted(by_line.items()):
        text, day = keys[0][1], keys[0][2]
        plain = plain_text(text)
        spans = [
            (start, end, name)
            for key in sorted({k for k, _, _ in keys})
            for name in names.get(key, ())
            for start, end in name.spans(plain)
        ]
        kept = {
            name.path: name
            for start, end, name in spans
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        }
        for path, name in sorted(kept.items()):
            if (src, line, path) not in linked and src != path:
                found.append(UnlinkedMention(src, path, line, text, day, name.text))
    return found
