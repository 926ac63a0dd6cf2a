"""`vaultnet touch NAME`: log a contact as one line in that day's daily note.

The daily note is created from Obsidian's configured folder, format and template when it does not
exist; otherwise the line is appended in one append-mode write (never a rewrite of the note), with
the note's own line ending (a CRLF note stays CRLF).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.errors import NoteNotFound, UnsafePath
from vaultnet.pages.links import LinkStyle
from vaultnet.pages.places import target_path
from vaultnet.people.facts import person_notes
from vaultnet.people.lookup import find_person
from vaultnet.vault.dates import fill_template, format_moment
from vaultnet.vault.settings import VaultSettings

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import NoteRow


@dataclass(frozen=True, slots=True)
class TouchPlan:
    person: str
    """The person's note path."""
    path: str
    """The daily note the line goes to."""
    line: str
    """The line, without its newline."""
    create: bool
    """True: the daily note does not exist and is created with `text`."""
    text: str
    """What is written: the whole new note, or what is appended to the existing one."""


def daily_path(settings: VaultSettings, day: dt.date) -> str:
    """The daily note for `day` in Obsidian's configured folder and format."""
    name = format_moment(day, settings.daily_format) + ".md"
    return f"{settings.daily_folder}/{name}" if settings.daily_folder else name


def contact_line(link: str, note: str | None) -> str:
    text = " ".join((note or "").split())
    return f"- Met {link}: {text}" if text else f"- Met {link}"


def plan_touch(
    *,
    person: NoteRow,
    notes: list[str],
    settings: VaultSettings,
    day: dt.date,
    note: str | None,
    existing: str | None,
    template: str | None,
    now: dt.datetime,
) -> TouchPlan:
    """What to write. `existing` is the daily note's text (None when absent); `template` the
    daily-note template's text (None when there is none); `now` fills `{{time}}`."""
    path = daily_path(settings, day)
    link = LinkStyle.for_vault(settings, path, notes).link(person.path)
    line = contact_line(link, note)
    if existing is not None:
        newline = _newline(existing)
        prefix = "" if existing == "" or existing.endswith("\n") else newline
        return TouchPlan(person.path, path, line, False, f"{prefix}{line}{newline}")
    body = ""
    if template is not None:
        title = posixpath.basename(path)[:-3]
        when = dt.datetime.combine(day, now.time())
        body = fill_template(template, title=title, when=when, date_format=settings.daily_format)
    newline = _newline(body)
    if body and not body.endswith("\n"):
        body += newline
    return TouchPlan(person.path, path, line, True, f"{body}{line}{newline}")


def _newline(text: str) -> str:
    """The note's line ending: CRLF when its first line ends so, else LF."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _read(root: Path, path: str) -> str | None:
    from vaultnet.vault.files import inside, read_regular

    full = inside(root, path.lstrip("/"), "read")
    try:
        return read_regular(full).decode("utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise NoteNotFound(f"{path}: cannot read the note ({error})") from None


def touch(
    gathering: Gathering,
    root: Path,
    name: str,
    *,
    day: dt.date,
    note: str | None,
    now: dt.datetime,
    dry_run: bool = False,
) -> TouchPlan:
    """Find the person, build the line, and (unless `dry_run`) write it."""
    from vaultnet.pages.append import append_line, create_note

    settings = gathering.settings.obsidian
    person = find_person(gathering.facts(person_notes).contacts, name)
    path = daily_path(settings, day)
    if any(part.startswith(".") for part in path.split("/")):
        raise UnsafePath(
            f"{path}: the daily note's folder or name in .obsidian/daily-notes.json is hidden "
            "from Obsidian (it starts with a dot); no note is written there"
        )
    target_path(root, path)  # refused here too, dry run or not: a folder linked elsewhere
    template = None
    if settings.daily_template:
        name_md = settings.daily_template
        template = _read(root, name_md if name_md.lower().endswith(".md") else name_md + ".md")
    result = plan_touch(
        person=person,
        notes=gathering.view.paths_of_kind("note"),
        settings=settings,
        day=day,
        note=note,
        existing=_read(root, path),
        template=template,
        now=now,
    )
    if not dry_run:
        if result.create:
            create_note(root, result.path, result.text)
        else:
            append_line(root, result.path, result.text)
    return result
