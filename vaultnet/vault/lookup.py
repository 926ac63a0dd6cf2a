"""Finding what the user typed: a note, a person or a page named on the command line, forgiving
the way people type. A vault path (`People/Priya Raman.md`, with or without `.md`, `\\` or `./`)
or link text (`[[Priya Raman|Priya]]`) is taken as written; a name matches a note's file name,
title or an alias in any case, then without accents (`jose alvarez` is `José Álvarez`). Nothing
else is guessed: a near miss is an error that suggests the closest names ("did you mean"), by
edit distance (`Priya Rman`) or because the typed words start a name (`Climate startups` ->
`Climate startups to watch`). Pure."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from vaultnet.errors import NoteNotFound
from vaultnet.vault.resolve import fold

SUGGESTIONS = 3
"""At most this many names after "did you mean"."""


def plain(text: str) -> str:
    """The matching form of a name: Obsidian's fold without accents and extra spaces
    (`Zoë  Müller` and `zoe muller` are the same person)."""
    if not text.isascii():  # (ASCII has nothing to decompose: most notes' whole text)
        decomposed = unicodedata.normalize("NFKD", text)
        combining = unicodedata.combining  # every combining mark is at U+0300 or above
        text = "".join(c for c in decomposed if c < "\u0300" or not combining(c))
    return fold(" ".join(text.split()))


@dataclass(frozen=True, slots=True)
class Named:
    """Something the user can name: a note (or page) by its path, file name, title and aliases."""

    path: str
    names: tuple[str, ...]
    """Its file name first, then its title and aliases."""

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.path


def link_text(typed: str) -> str:
    """What the user typed without link brackets, `|display` or `#heading`."""
    text = typed.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].split("|")[0].split("#")[0]
    return text.strip()


def as_path(typed: str) -> str:
    """Typed text as a vault path would be written (`\\` and a leading `./` as `/`)."""
    return typed.strip().replace("\\", "/").removeprefix("./").strip("/")


@dataclass(frozen=True, slots=True)
class Wording:
    """How a lookup's errors name what was looked for."""

    what: str = "note"
    several: str = "notes"
    where: str = ""
    """After "no note named X" (` in /vault`, ` (by file name or alias)`)."""
    otherwise: str = ""
    """What to do when nothing is close (`see vaultnet contacts`)."""
    show_paths: bool = True
    """Suggest paths (notes), or names (people)."""


def find_named(typed: str, items: Sequence[Named], wording: Wording = Wording()) -> str:
    """The path of the one item `typed` names: by vault path, then by name in any case, then by
    name without accents. None, or several, is a `NoteNotFound` naming the candidates, or
    suggesting the closest names."""
    path = fold(as_path(typed))
    if path:
        for item in items:
            if fold(item.path) in (path, f"{path}.md"):
                return item.path
    text = link_text(typed)
    for form in (fold, plain):
        wanted = form(text)
        found = sorted({item.path for item in items if wanted in {form(n) for n in item.names}})
        if len(found) == 1:
            return found[0]
        if found:
            raise NoteNotFound(
                f"{typed!r} matches several {wording.several}: {', '.join(found)}; give the path"
            )
    near = suggestions(text, items, show_paths=wording.show_paths)
    hint = f"; did you mean {_either(near)}?" if near else ""
    if not near and wording.otherwise:
        hint = f"; {wording.otherwise}"
    raise NoteNotFound(f"no {wording.what} named {typed!r}{wording.where}{hint}")


def suggestions(typed: str, items: Sequence[Named], *, show_paths: bool = False) -> list[str]:
    """The closest names to `typed`, best first: names the typed words start (or a word of
    them), then names within a few typos (`max(1, len // 4)` edits, a swap counting one), then
    names sharing a whole word with what was typed (`Bo Lee` -> `Bo Li`)."""
    wanted = plain(typed)
    if not wanted:
        return []
    limit = max(1, len(wanted) // 4)
    words = {word for word in wanted.split() if len(word) > 1}
    ranked: dict[str, tuple[int, str]] = {}
    for item in items:
        label = item.path if show_paths else item.name
        for name in item.names:
            form = plain(name)
            if form.startswith(wanted) or wanted in form.split():
                rank = 0
            else:
                rank = distance(wanted, form, limit) + 1
                if rank > limit + 1 and not words & set(form.split()):
                    continue
            if label not in ranked or rank < ranked[label][0]:
                ranked[label] = (rank, fold(label))
    return sorted(ranked, key=lambda label: ranked[label])[:SUGGESTIONS]


def distance(a: str, b: str, limit: int) -> int:
    """The edit distance between `a` and `b` (insertions, deletions, substitutions and swaps of
    two neighbours, each one edit), or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i, *([0] * len(b))]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return min(row[-1], limit + 1)


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
