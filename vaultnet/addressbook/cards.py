"""Address-book contacts as read from vCard and CSV files (the `Card` record), the format a file's
text is in, and the name forms a card is matched and merged by. Pure: text in, records out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from vaultnet.vault.lookup import plain
from vaultnet.vault.syntax.tags import TAG_BODY, is_tag

FORMATS = ("vcard", "google", "outlook", "linkedin")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A card or row left out of an import, and why."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Card:
    """One contact as an address book holds it, values already cleaned (no empty strings)."""

    source: str
    """The file it comes from, as the user named it."""
    line: int
    """The line its card or row starts on (1-based)."""
    name: str
    aliases: tuple[str, ...] = ()
    """Nicknames and other forms of the name (never `name` itself)."""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    birthday: str = ""
    """`YYYY-MM-DD`, or `--MM-DD` when the year is unknown."""
    tags: tuple[str, ...] = ()
    """Valid Obsidian tags, without `#`."""
    linkedin: str = ""
    met: dt.date | None = None
    notes: str = ""
    """The address book's free text about the contact (vCard `NOTE`, a CSV's `Notes`): lines
    joined by `\\n`, no trailing spaces, at most one blank line in a row."""
    merged_from: tuple[str, ...] = field(default=())
    """`file:line` of the other cards of the same person merged into this one."""


def detect_format(text: str) -> str | None:
    """`vcard`, `google`, `outlook` or `linkedin` from the content (None: none of them)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    header = csv_header(text)
    if header is None:
        return None
    columns = {c.strip().lower() for c in _split_header(text.splitlines()[header])}
    if {"first name", "last name", "url", "connected on"} <= columns:
        return "linkedin"
    if "e-mail 1 - value" in columns or "group membership" in columns or "labels" in columns:
        return "google"
    if "e-mail address" in columns and "first name" in columns:
        return "outlook"
    return None


def csv_header(text: str) -> int | None:
    """The index of the line holding a contacts CSV header: the first line naming a first-name
    or name column (LinkedIn puts `Notes:` lines before it)."""
    for number, line in enumerate(text.lstrip("\ufeff").splitlines()[:30]):
        columns = {c.strip().lower() for c in _split_header(line)}
        if len(columns) >= 3 and ({"first name", "given name"} & columns or "name" in columns):
            return number
    return None


def _split_header(line: str) -> list[str]:
    return [c.strip().strip('"') for c in line.lstrip("\ufeff").split(",")]


def profile_key(url: str) -> str:
    """A LinkedIn profile URL as two exports of the same profile write it alike: no scheme,
    `www.` or country subdomain, query or trailing slash, percent-decoded, lower case
    (`https://www.linkedin.com/in/Mara-Q/` and `linkedin.com/in/mara-q` are one profile)."""
    text = unquote(url.strip()).lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("?", 1)[0].split("#", 1)[0]
    host, _, path = text.rstrip("/").partition("/")
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        host = "linkedin.com"
    return f"{host}/{path}" if path else host


def different_people(a: Card, b: Card) -> bool:
    """Two cards of one name are two people when both have emails and share none, or both have
    a LinkedIn profile and the profiles differ."""
    emails_a, emails_b = {e.lower() for e in a.emails}, {e.lower() for e in b.emails}
    if emails_a and emails_b and not emails_a & emails_b:
        return True
    return bool(a.linkedin and b.linkedin and profile_key(a.linkedin) != profile_key(b.linkedin))


def match_names(card: Card) -> set[str]:
    """The plain forms a card is known by: its name and the aliases that are full names (a
    nickname alone, such as `Sam`, would match too many people)."""
    return {plain(card.name)} | {plain(a) for a in card.aliases if len(a.split()) > 1}


def as_tag(label: str) -> str:
    """A group or label as a valid Obsidian tag: spaces and punctuation become `-`, and a tag of
    digits only gets a `y` in front, as Obsidian's help suggests (`#1984` is no tag, `#y1984`
    is). Empty when nothing is left."""
    text = "".join(c if TAG_BODY.fullmatch(c) else "-" for c in label.strip().lstrip("#"))
    text = re.sub(r"-{2,}", "-", text).strip("-/")
    if text and not is_tag(text):
        text = "y" + text
    return text


def clean_list(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Non-empty values in order, without repeats (compared case-insensitively)."""
    seen: set[str] = set()
    out = []
    for value in values:
        text = " ".join(value.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return tuple(out)


def card_of(
    source: str,
    line: int,
    name: str,
    *,
    aliases: list[str] | tuple[str, ...] = (),
    emails: list[str] | tuple[str, ...] = (),
    phones: list[str] | tuple[str, ...] = (),
    company: str = "",
    role: str = "",
    birthday: str = "",
    tags: list[str] | tuple[str, ...] = (),
    linkedin: str = "",
    met: dt.date | None = None,
    notes: list[str] | tuple[str, ...] = (),
) -> Card:
    """A `Card` with every value cleaned: one line each, no repeats, tags made valid, aliases
    without the name itself, emails as written (compared case-insensitively)."""
    name = " ".join(name.split())
    return Card(
        source=source,
        line=line,
        name=name,
        aliases=tuple(a for a in clean_list(aliases) if plain(a) != plain(name)),
        emails=clean_list(emails),
        phones=clean_list(phones),
        company=" ".join(company.split()),
        role=" ".join(role.split()),
        birthday=birthday,
        tags=clean_list([t for t in (as_tag(x) for x in tags) if t]),
        linkedin=linkedin.strip(),
        met=met,
        notes=join_texts(notes),
    )


def join_texts(texts: list[str] | tuple[str, ...]) -> str:
    """Free texts as one: each cleaned (`clean_text`), a blank line between them; an empty one,
    or one the texts before it hold already, left out."""
    kept: list[str] = []
    for text in (clean_text(t) for t in texts):
        if text and not any(text in before for before in kept):
            kept.append(text)
    return "\n\n".join(kept)


def clean_text(text: str) -> str:
    """Free text as lines: any line break as `\\n`, no trailing spaces, no blank line at either
    end and never two in a row."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _CONTROL.sub("", line).rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters (but the tab): nothing a note's text should hold."""
_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")


def birthday_of(text: str, omit_year: bool = False) -> str | None:
    """A vCard/CSV birthday as `YYYY-MM-DD` or `--MM-DD`; None when it is not a date.
    `omit_year`: Apple's `X-APPLE-OMIT-YEAR` (the year written is a placeholder)."""
    text = text.strip().split("T", 1)[0]
    if match := _NO_YEAR.fullmatch(text):
        month, day = int(match[1]), int(match[2])
        return f"--{month:02d}-{day:02d}" if _real(2000, month, day) else None
    if match := _FULL_DATE.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        no_year = omit_year or year < 1800  # 1604 and 0000 are placeholders for "no year"
        if not _real(2000 if no_year else year, month, day):
            return None
        if no_year:
            return f"--{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
