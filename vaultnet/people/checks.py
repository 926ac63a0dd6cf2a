"""Per-person values vaultnet cannot read (a `cadence`, a date such as `snooze_until`, a
`birthday`), as problems `vaultnet doctor` lists (kind `invalid-property`) with the line of the
key. The value is ignored where it is used. Pure: the note's raw text comes from the caller,
since the index does not keep where each property is written. Also what `doctor` says of the
lines that name a contact without a link (kind `unlinked-mention`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from vaultnet.people.config import parse_cadence
from vaultnet.people.interactions import date_of, line_kind
from vaultnet.vault.dates import parse_month_day
from vaultnet.vault.model import Problem
from vaultnet.vault.properties import read_frontmatter
from vaultnet.vault.resolve import note_stem

if TYPE_CHECKING:
    from vaultnet.index.rows import NoteRow
    from vaultnet.people.unlinked import UnlinkedMention

INVALID_PROPERTY = "invalid-property"

_DATE = "is not a date (YYYY-MM-DD)"
_MONTH_DAY = "is not a date (YYYY-MM-DD, --MM-DD or MM-DD)"
CHECKS: tuple[tuple[str, Callable[[Any], object], str], ...] = (
    ("cadence", parse_cadence, "is not a cadence (30d, 2w, 3m, monthly, never, ...); ignored"),
    ("snooze_until", date_of, f"{_DATE}; the contact is not snoozed"),
    ("last_contact", date_of, f"{_DATE}; ignored"),
    ("birthday", parse_month_day, f"{_MONTH_DAY}; not shown"),
    ("anniversary", parse_month_day, f"{_MONTH_DAY}; not shown"),
)
"""(key, reader that returns None for a value it cannot read, what the message says)."""


def invalid_properties(row: NoteRow, text: str | None = None) -> list[Problem]:
    """The person's values that cannot be read. With the note's raw `text`, each problem has the
    line of its key (in the frontmatter, or the `key::` inline field)."""
    properties = row.properties()
    found = []
    for key, read, what in CHECKS:
        value = properties.get(key)
        if value is None or value == "" or read(value) is not None:
            continue
        line = key_line(text, key, inline=key not in row.frontmatter) if text else None
        found.append(Problem(row.path, line, INVALID_PROPERTY, f"{key}: {value!r} {what}"))
    return found


def key_line(text: str, key: str, *, inline: bool = False) -> int | None:
    """The 1-based line where `key` is set: a top-level frontmatter key, or with `inline` a
    Dataview `key::` field in the body (its first one)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = read_frontmatter(lines).body_line
    name = re.escape(key)
    if inline:
        pattern = re.compile(rf"(?:^|[\s\[(*]){name}\**\s*::")
        span = range(body, len(lines))
    else:
        pattern = re.compile(rf"^(?:{name}|\"{name}\"|'{name}')\s*:")
        span = range(1, body)
    return next((n + 1 for n in span if pattern.search(lines[n])), None)


def property_problems(rows: Iterable[NoteRow], read: Callable[[str], bytes]) -> list[Problem]:
    """`invalid_properties` of each of `rows` (the contacts), reading (`read(path)`) only the
    notes that have such a value, to find its line. A note that cannot be read keeps no line."""
    found: list[Problem] = []
    for row in rows:
        if not invalid_properties(row):
            continue
        try:
            text: str | None = read(row.path).decode("utf-8", "replace")
        except OSError:
            text = None
        found += invalid_properties(row, text)
    return found


def unlinked_problems(mentions: Iterable[UnlinkedMention], counted: bool) -> list[Problem]:
    """What `doctor` says of each unlinked mention (kind `unlinked-mention`), so it can be
    linked: what it counts as (`counted`: `[people] unlinked_mentions = "count"`)."""
    found = []
    for m in mentions:
        kind = line_kind(m.text)
        if not counted:
            how = 'not counted: [people] unlinked_mentions = "report"'
        elif kind == "open-task":
            how = "an open follow-up"
        elif kind in ("plain", "done-task"):
            how = "counted as contact"
        else:
            how = "a quote or task state that is no contact"
        message = (
            f"{m.name!r} names {m.path} without a link ({how}); link it: [[{note_stem(m.path)}]]"
        )
        found.append(Problem(m.src, m.line, "unlinked-mention", message))
    return found
