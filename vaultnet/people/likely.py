"""Likely people: names the user links from dated notes (daily notes, meetings) that have no note
yet, and read like a person's name. A fresh vault full of `[[Mara Quint]]` in its daily notes
has no contact until those notes exist; these are the names `vaultnet create-people` can make
person notes for. Pure, but for the gathering (three bulk queries)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.vault.lookup import plain
from vaultnet.vault.resolve import fold, note_stem

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import LinkRow, NoteHead

PARTICLES = frozenset(
    [
        "al",
        "bin",
        "da",
        "dal",
        "de",
        "del",
        "della",
        "der",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "ibn",
        "la",
        "le",
        "st",
        "van",
        "von",
        "y",
        "zu",
    ]
)
"""Lower-case words a person's name can hold between capitalised ones (`Ana de la Cruz`)."""
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019.-])*")
"""A word of a name: letters, and `'`, `-` or `.` between or after them; no digit."""
MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class LikelyPerson:
    name: str
    """As the links write it (the most frequent spelling)."""
    links: int
    """Links to it from dated notes."""
    notes: int
    """Dated notes that link to it."""
    first: tuple[str, int]
    """The first dated note (by path) that links to it, and the line."""


def looks_like_a_name(text: str) -> bool:
    """Two to four words, each capitalised (or a particle such as `de`, `van`), letters only:
    `Mara Quint`, `José Álvarez`, `Ana de la Cruz`; not `Q3 planning`, `2026-11-05`, `Ideas`."""
    words = text.split()
    if not 2 <= len(words) <= MAX_WORDS:
        return False
    if not all(_WORD.fullmatch(w) for w in words):
        return False
    capitalised = [w for w in words if w[0].isupper()]
    others = [w for w in words if not w[0].isupper()]
    return (
        len(capitalised) >= 2
        and words[0][0].isupper()
        and all(w.lower() in PARTICLES for w in others)
    )


def rank_likely(
    links: list[LinkRow], heads: dict[str, NoteHead], known: set[str]
) -> tuple[LikelyPerson, ...]:
    """The unresolved `links` from dated notes (`heads`: the sources' heads) whose target reads
    like a name that no note has as its name, title or alias (`known`: their plain forms), most
    linked first (then by name)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    notes: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str, int]] = {}
    for row in links:
        head = heads.get(row.src)
        link = row.link
        if head is None or head.date is None or link.kind == "embed" or link.commented:
            continue
        target = " ".join(link.target.split())
        if "/" in target or "." in target.rpartition(" ")[2] or not looks_like_a_name(target):
            continue
        key = plain(target)
        if key in known:
            continue
        spellings[key][target] += 1
        notes[key].add(row.src)
        where = (row.src, link.line)
        first[key] = min(first.get(key, where), where)
    found = []
    for key, counts in spellings.items():
        name = min(counts, key=lambda s: (-counts[s], s))
        found.append(LikelyPerson(name, sum(counts.values()), len(notes[key]), first[key]))
    return tuple(sorted(found, key=lambda p: (-p.links, -p.notes, fold(p.name))))


def likely_people(gathering: Gathering) -> tuple[LikelyPerson, ...]:
    """Gather the likely people: the vault's unresolved links, their sources' heads, and every
    note's names (a name some note has as a title or alias is not missing)."""
    view = gathering.view
    links = view.unresolved_links()
    heads = view.note_heads({row.src for row in links})
    known = {
        plain(name)
        for path, title, aliases in view.note_names()
        for name in (note_stem(path), title, *aliases)
    }
    return rank_likely(links, heads, known)
