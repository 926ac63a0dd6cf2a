"""Interactions: which mentions of a person are contact, on which day, with their evidence.
Pure: a person's note and the links into it in, past/upcoming days and open follow-ups out."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from vaultnet.vault.dates import parse_date_value

if TYPE_CHECKING:
    from vaultnet.index.rows import IncomingLink, NoteRow

LineKind = Literal["plain", "done-task", "open-task", "other-task", "quote"]

TASK_RE = re.compile(r"^(?:[-*+]|\d+[.)])\s+\[(.)\]")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a mention is: the note, its 1-based line (0: a property), and that line's text."""

    path: str
    line: int
    text: str
    frontmatter: bool = False
    passage: str = ""
    """The sentence the line is part of, when it is wrapped over several lines (`Link.passage`)."""

    @property
    def quote(self) -> str:
        """What a quote of it shows: the whole sentence, or the line."""
        return self.passage or self.text


@dataclass(frozen=True, slots=True)
class Interaction:
    """One day of contact; a daily note and a meeting note on the same day are one interaction."""

    date: dt.date
    evidence: tuple[Evidence, ...]


def line_kind(text: str) -> LineKind:
    """What a line says about a mention: a quote (callouts too), a task and its state, or plain."""
    if text.startswith(">"):
        return "quote"
    match = TASK_RE.match(text)
    if match is None:
        return "plain"
    mark = match.group(1)
    if mark == " ":
        return "open-task"
    return "done-task" if mark in "xX" else "other-task"


def date_of(value: Any) -> dt.date | None:
    """A property read as a date (`2026-03-07`, `[[2026-03-07]]`), or None."""
    if isinstance(value, str):
        value = value.strip().removeprefix("[[").removesuffix("]]")
    return parse_date_value(value)


@dataclass(frozen=True, slots=True)
class Mentions:
    past: dict[dt.date, list[Evidence]]
    future: dict[dt.date, list[Evidence]]
    pending: list[tuple[dt.date | None, Evidence]]


def collect_mentions(
    row: NoteRow, links: list[IncomingLink], person_like: set[str], today: dt.date
) -> Mentions:
    """The person's mentions in dated notes (`links`: the links into `row`), the dated lines of
    their own note and its `last_contact`: past and upcoming by day, and open tasks."""
    past: dict[dt.date, list[Evidence]] = defaultdict(list)
    future: dict[dt.date, list[Evidence]] = defaultdict(list)
    pending: list[tuple[dt.date | None, Evidence]] = []
    seen: set[tuple[str, int]] = set()
    for link in links:
        if link.commented or not link.src_user or link.src in person_like:
            continue
        where = (link.src, link.line)
        if where in seen:
            continue  # two links to the person on one line are one mention
        seen.add(where)
        fm = link.kind == "frontmatter"
        evidence = Evidence(link.src, link.line, link.context, fm, link.passage)
        kind = "plain" if fm else line_kind(link.context)
        day = link.src_date
        if kind == "open-task":
            pending.append((day, evidence))
        elif kind in ("plain", "done-task") and day is not None:
            (past if day <= today else future)[day].append(evidence)
    for line, day, text in row.dated_lines:
        evidence = Evidence(row.path, line, text)
        kind = line_kind(text)
        if kind == "open-task":
            pending.append((day, evidence))
        elif kind in ("plain", "done-task"):
            (past if day <= today else future)[day].append(evidence)
    last_contact = date_of(row.properties().get("last_contact"))
    if last_contact is not None and last_contact <= today:
        past[last_contact].append(
            Evidence(row.path, 0, f"last_contact: {last_contact.isoformat()}", True)
        )
    return Mentions(past, future, pending)


def as_interactions(days: dict[dt.date, list[Evidence]]) -> tuple[Interaction, ...]:
    """One interaction per day, oldest first."""
    return tuple(Interaction(day, tuple(days[day])) for day in sorted(days))


def pending_key(item: tuple[dt.date | None, Evidence]) -> tuple[dt.date, str, int]:
    day, evidence = item
    return (day or dt.date.min, evidence.path, evidence.line)
