"""What an empty list says instead of nothing: how a note becomes a contact in this vault, how to
bring contacts in (`import`), the names the user already links that look like people (with the
command that makes their notes), and, when nobody is due, who is next. The same words on the
Reconnect page and in the terminal. Pure, but for `guide_of`, which gathers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.people.config import PeopleConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.facts import people_facts
from vaultnet.people.likely import LikelyPerson, likely_people
from vaultnet.words import plural, within

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering

NAMES_SHOWN = 8
"""Likely people named in a guide (the command creates them all)."""


@dataclass(frozen=True, slots=True)
class Guide:
    """What the empty states say, for one vault."""

    today: dt.date
    folder: str
    """The first people folder (`[people] folders`): where new person notes go."""
    tag: str
    """The first person tag (`[people] tags`)."""
    contacts: int
    likely: tuple[LikelyPerson, ...]
    """Names linked from dated notes that look like people and have no note."""
    next_due: Contact | None = None
    """The contact due next (when nobody is due today)."""


def guide_of(gathering: Gathering) -> Guide:
    """The guide for the run's vault: its people settings, its contacts and (only when it has
    none) the likely people."""
    config = gathering.settings.table(PeopleConfig)
    people = gathering.facts(people_facts).people.contacts
    likely = () if people else gathering.facts(likely_people)
    due = [c for c in people if c.next_due is not None and c.status in ("ok", "due")]
    soonest = min(due, key=lambda c: (c.next_due, c.name), default=None)
    return Guide(
        gathering.today,
        config.folders[0] if config.folders else "People",
        config.tags[0] if config.tags else "person",
        len(people),
        likely,
        soonest,
    )


def no_contacts(guide: Guide, code: Callable[[str], str] = str) -> list[str]:
    """What makes a contact and how to get some, as list items (`code`: how a command or
    property is written; a page makes it a code span)."""
    lines = [
        f"- A note is a contact when it is in a {guide.folder}/ folder, tagged {guide.tag}, or "
        f"has the property {code('type: person')}.",
        "- Import an address book (LinkedIn's Connections.csv, a Google or Outlook CSV export, "
        f"vCards): {code('vaultnet import FILE... --dry-run')}, then the same without --dry-run.",
    ]
    if guide.likely:
        shown = guide.likely[:NAMES_SHOWN]
        names = ", ".join(f"{p.name} ({plural(p.links, 'link')})" for p in shown)
        more = len(guide.likely) - len(shown)
        names += f" and {more} more" if more else ""
        count = len(guide.likely)
        lines.append(
            f"- {plural(count, 'name')} you link from dated notes "
            f"{'has' if count == 1 else 'have'} no note yet and "
            f"{'looks' if count == 1 else 'look'} like {'a person' if count == 1 else 'people'}: "
            f"{names}. To create their person notes in {guide.folder}/ (no note of yours is "
            f"changed): {code('vaultnet create-people --dry-run')}, then the same without "
            "--dry-run."
        )
    else:
        lines.append(
            f"- Or make a note for someone in {guide.folder}/ and link it from a daily note "
            f"({code('[[Their Name]]')}): each day that links them is a contact."
        )
    return lines


def nobody_due(guide: Guide) -> str:
    """Why no suggestion, when there are contacts: who is due next."""
    nxt = guide.next_due
    if nxt is None or nxt.next_due is None:
        return (
            "Nobody is due: a person shows here once their cadence has passed (every 90 days "
            "unless their note or [people] says otherwise) or when you met them recently."
        )
    when = within((nxt.next_due - guide.today).days)
    return (
        f"Everyone is within their cadence; next due: {nxt.name}, "
        f"{nxt.next_due.isoformat()} ({when})."
    )
