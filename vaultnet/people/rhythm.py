"""A person's rhythm: interaction days counted per calendar month, and the one-line strip of
Unicode blocks that shows the last twelve (`▁▁▃▅▂▁▁▁▁▁▁▁`, oldest first). Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultnet.people.contacts import Contact

MONTHS = 12
"""How many months a strip shows: a year, the current month last."""
BLOCKS = "▁▃▄▅▆▇█"
"""One block per month: `▁` no contact, `▃` one interaction day, `▄` two, ... `█` six or more
(one day already stands well above none)."""


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of `day`'s month, `back` months earlier."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def recent_months(today: dt.date, months: int = MONTHS) -> tuple[dt.date, ...]:
    """The first day of each of the last `months` calendar months, oldest first, ending with
    today's month."""
    return tuple(month_start(today, back) for back in range(months - 1, -1, -1))


def monthly_counts(
    days: Iterable[dt.date], today: dt.date, months: int = MONTHS
) -> tuple[int, ...]:
    """How many of `days` fall in each of the last `months` calendar months (oldest first); days
    after `today` or before the first month are not counted."""
    first = month_start(today, months - 1)
    counts = [0] * months
    for day in days:
        if first <= day <= today:
            counts[(day.year - first.year) * 12 + day.month - first.month] += 1
    return tuple(counts)


def strip(counts: Iterable[int]) -> str:
    """One block per month, its height the number of interaction days (`▁` none, `▃` one, `█`
    six or more): the same scale for everyone, so two people's strips compare."""
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[min(max(count, 0), top)] for count in counts)


def rhythm_strip(days: Iterable[dt.date], today: dt.date) -> str:
    """The strip of the last twelve months for these interaction days."""
    return strip(monthly_counts(days, today))


def contact_strip(contact: Contact) -> str:
    """The strip of a contact's last twelve months, up to the day they were assessed on (their
    last interaction + `days_since`); empty without a recorded contact."""
    if contact.last is None or contact.days_since is None:
        return ""
    today = contact.last.date + dt.timedelta(days=contact.days_since)
    return rhythm_strip((i.date for i in contact.interactions), today)
