"""Cadence, status and relationship strength of a contact. Pure; every formula is in
`docs/reconnect.md`."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from typing import TYPE_CHECKING, Literal

from vaultnet.people.config import NEVER, PeopleConfig, parse_cadence

if TYPE_CHECKING:
    from vaultnet.index.rows import NoteRow

Status = Literal["inactive", "snoozed", "never", "dormant", "overdue", "due", "ok"]


def own_rhythm(days: list[dt.date], config: PeopleConfig) -> int | None:
    """The median gap between interaction days, within the configured bounds (None when there
    are fewer than `rhythm_min_interactions` days)."""
    if len(days) < config.rhythm_min_interactions:
        return None
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    median = statistics.median(gaps)
    return min(config.rhythm_max_days, max(config.rhythm_min_days, round(median)))


def cadence_of(row: NoteRow, days: list[dt.date], config: PeopleConfig) -> tuple[int | None, str]:
    """(days, or None for never; where it came from). A value of the note's own that is not a
    cadence is ignored (`doctor` lists it)."""
    parsed = parse_cadence(row.properties().get("cadence"))
    if parsed is not None:
        return (None if parsed == NEVER else int(parsed)), "note"
    tags = [t.lower() for t in row.tags]
    for tag in tags:
        if tag in config.cadence_by_tag:
            found = config.cadence_by_tag[tag]
            return (None if found == NEVER else int(found)), "tag"
    for folder in sorted(config.cadence_by_folder, key=len, reverse=True):
        if row.path.startswith(folder + "/"):
            found = config.cadence_by_folder[folder]
            return (None if found == NEVER else int(found)), "folder"
    rhythm = own_rhythm(days, config)
    if rhythm is not None:
        return rhythm, "rhythm"
    return config.default_cadence, "default"


def status_of(
    cadence: int | None,
    last: dt.date | None,
    snooze_until: dt.date | None,
    today: dt.date,
    config: PeopleConfig,
) -> Status:
    """First match wins: inactive, snoozed, never, dormant, overdue, due, ok."""
    if cadence is None:
        return "inactive"
    if snooze_until is not None and snooze_until > today:
        return "snoozed"
    if last is None:
        return "never"
    days = (today - last).days
    if days >= max(config.dormant_factor * cadence, config.dormant_min_days):
        return "dormant"
    if days > cadence:
        return "overdue"
    if cadence - days <= min(config.due_days, cadence * config.due_fraction):
        return "due"
    return "ok"


def strength_of(
    days: list[dt.date], introduced: int, today: dt.date, config: PeopleConfig
) -> float:
    """Each past interaction day counts 0.5 ** (age / half-life); each person introduced adds
    `intro_credit`."""
    decay = sum(0.5 ** ((today - day).days / config.half_life_days) for day in days)
    return round(decay + config.intro_credit * introduced, 4)
