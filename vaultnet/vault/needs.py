"""Lines that say what someone is looking for ("Looking for a designer", "would love an intro to
someone in hardware", "hiring a support lead"): kept when a note is read, so that a person's
needs are known without reading their note again (`vaultnet.people.introductions` matches them
with other people's roles). English phrases; a need in another language goes in a `needs`
property. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vaultnet.vault.names import lines_matching

NEED = re.compile(
    r"\b(?:looking for|searching for|seeking|in need of|needs?|"
    r"(?:wants?|would like|would love|asked (?:me )?for) (?:an? )?(?:intros?|introductions?)(?: to)?|"
    r"hiring(?: for)?)\b",
    re.IGNORECASE,
)
CONTEXT_CHARS = 300
STEMS = ("look", "search", "seek", "need", "intro", "hiring")
"""Every need phrase holds one of these (lower case): a quick test before the pattern."""
STEM = re.compile("|".join(STEMS))


def may_need(text: str) -> bool:
    """Whether `text` can hold a need phrase (a superset of `NEED`, much faster)."""
    lower = text.lower()
    return any(stem in lower for stem in STEMS)


def need_lines(
    lines: list[str], start: int, code: Iterable[tuple[int, int]]
) -> list[tuple[int, str]]:
    """(1-based line, stripped text) of the body lines (from `start`, outside the `code` ranges
    and `%%` comments) that say someone looks for something."""
    in_code = {n for a, b in code for n in range(a, b)}
    maybe = lines_matching(lines, STEM, "\n".join(lines).lower())
    found: list[tuple[int, str]] = []
    comment = False
    for n in range(start, len(lines)):
        line = lines[n]
        if n in in_code:
            continue
        if "%%" in line:
            comment ^= line.count("%%") % 2 == 1
            continue
        if comment or n not in maybe or NEED.search(line) is None:
            continue
        found.append((n + 1, line.strip()[:CONTEXT_CHARS]))
    return found


def wanted_part(text: str) -> str | None:
    """What a need line asks for: the words after its first need phrase, or None."""
    match = NEED.search(text)
    return text[match.end() :] if match else None
