"""Birthdays and anniversaries: when each falls next, and which fall soon. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vaultnet.people.contacts import Contact
from vaultnet.vault.dates import parse_month_day
from vaultnet.vault.resolve import fold

DATE_KINDS = ("birthday", "anniversary")


@dataclass(frozen=True, slots=True)
class ImportantDate:
    path: str
    name: str
    kind: str
    date: dt.date
    in_days: int


def next_occurrence(value: Any, today: dt.date) -> dt.date | None:
    """The next date (today included) a birthday-style value falls on; Feb 29 is Feb 28 in
    ordinary years."""
    month_day = parse_month_day(value)
    if month_day is None:
        return None
    month, day = month_day
    for year in (today.year, today.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            when = dt.date(year, 2, 28)
        if when >= today:
            return when
    return None


def important_dates(
    contacts: Iterable[Contact], today: dt.date, window: int
) -> tuple[ImportantDate, ...]:
    """Birthdays and anniversaries within `window` days; never an inactive contact's."""
    found = []
    for contact in contacts:
        if contact.status == "inactive":
            continue
        for kind in DATE_KINDS:
            when = next_occurrence(contact.properties.get(kind), today)
            if when is not None and (when - today).days <= window:
                found.append(
                    ImportantDate(contact.path, contact.name, kind, when, (when - today).days)
                )
    return tuple(sorted(found, key=lambda d: (d.in_days, fold(d.name), d.kind)))
