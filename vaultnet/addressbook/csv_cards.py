"""Contacts CSV exports -> `Card`s: Google Contacts (today's `First Name,...,Labels` and the older
`Name,Given Name,...,Group Membership`), Outlook (`First Name,...,E-mail Address,...,Categories`) and
LinkedIn's `Connections.csv` (`Notes:` lines, then `First Name,Last Name,URL,Email Address,Company,
Position,Connected On`). Columns are found by their header names, so reordered or trimmed exports
read the same. Pure: text in, records out."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable

from vaultnet.addressbook.cards import Card, Skipped, birthday_of, card_of, csv_header

GOOGLE_SEPARATOR = " ::: "
GOOGLE_SYSTEM_LABELS = {"mycontacts"}
"""`* myContacts` (older exports: `* My Contacts`) is on every contact Google exports: not a
group the user made."""
_NUMBERED = re.compile(
    r"^(e-mail|phone|website|organization) (\d+) - (value|name|title|type|label)$"
)
_OTHERS = re.compile(r"company|assistant|callback")
"""Outlook phone columns that reach someone else (the switchboard, an assistant)."""
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
EXPORT_DEFAULTS = frozenset(["0/0/00", "0/0/0000", "normal", "unspecified", "false", "* mycontacts",
                             "* my contacts"])  # fmt: skip
"""Cells an export fills in on every row, no data about anyone: Outlook's empty dates and its
`Priority`, `Sensitivity`, `Gender` and `Private` defaults, Google's system label. A row holding
nothing else is blank."""
EVERY_ROW = {"linkedin": frozenset(["connected on"])}
"""Columns an export fills in on every row: LinkedIn dates even the connections whose name and
profile it leaves out. A row holding nothing else is blank."""

Row = dict[str, str]


def read_csv_cards(text: str, source: str, kind: str) -> tuple[list[Card], list[Skipped]]:
    """Every contact row of a `google`, `outlook` or `linkedin` CSV text, and what was skipped."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    start = csv_header(text) or 0
    reader = csv.reader(lines[start:], strict=False)
    try:
        columns = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], []
    header = [c.lower() for c in columns]
    build = {"google": _google, "outlook": _outlook, "linkedin": _linkedin}[kind]
    cards: list[Card] = []
    skipped: list[Skipped] = []
    line = start + reader.line_num + 1
    try:
        for values in reader:
            row_line, line = line, start + reader.line_num + 1
            held = [
                c
                for c, v in zip(columns, values, strict=False)
                if _holds(v) and c.lower() not in EVERY_ROW.get(kind, ())
            ]
            if not held and not any(_holds(v) for v in values[len(header) :]):
                continue  # a blank row: nothing to import, nothing left out
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                why = f"row has {len(values)} fields, the header {len(header)}; skipped"
                skipped.append(Skipped(source, row_line, why))
                continue
            row = {h: v.strip() for h, v in zip(header, values, strict=False)}
            card, problems = build(row, source, row_line)
            skipped += problems
            if card is None:
                why = f"row has no name (only {_columns(held)}); skipped"
                skipped.append(Skipped(source, row_line, why))
            else:
                cards.append(card)
    except csv.Error as error:
        skipped.append(Skipped(source, line, f"unreadable CSV ({error}); the rest is skipped"))
    return cards, skipped


def _columns(names: list[str], shown: int = 4) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _holds(cell: str) -> bool:
    return bool(cell.strip()) and cell.strip().lower() not in EXPORT_DEFAULTS


def _name(row: Row, *columns: str) -> str:
    return " ".join(row[c] for c in columns if row.get(c))


def _numbered(row: Row, kind: str, part: str) -> list[str]:
    """Google's `E-mail 1 - Value`, `E-mail 2 - Value`...: each cell may hold several values
    joined by ` ::: `."""
    found = []
    for column, value in row.items():
        match = _NUMBERED.match(column)
        if match and match[1] == kind and match[3] == part and value:
            found.append((int(match[2]), value))
    return [v.strip() for _, cell in sorted(found) for v in cell.split(GOOGLE_SEPARATOR.strip())]


def _birthday(
    row: Row, column: str, name: str, source: str, line: int, parse: Callable[[str], str | None]
) -> tuple[str, list[Skipped]]:
    value = row.get(column, "")
    if not value or value in ("0/0/00", "0/0/0000"):  # Outlook's "no birthday"
        return "", []
    found = parse(value)
    if found is None:
        why = f"{name}: birthday {value!r} is not a date; left out"
        return "", [Skipped(source, line, why)]
    return found, []


def _linkedin_url(values: list[str]) -> str:
    return next((v for v in values if "linkedin.com/" in v.lower()), "")


def _google(row: Row, source: str, line: int) -> tuple[Card | None, list[Skipped]]:
    name = row.get("name") or _name(row, "first name", "middle name", "last name")
    name = name or _name(row, "given name", "additional name", "family name")
    parts = _name(row, "first name", "middle name", "last name") or _name(
        row, "given name", "additional name", "family name"
    )
    emails = _numbered(row, "e-mail", "value")
    company = row.get("organization name") or next(iter(_numbered(row, "organization", "name")), "")
    name = name or company
    if not name:
        return None, []
    birthday, problems = _birthday(row, "birthday", name, source, line, birthday_of)
    cell = row.get("labels") or row.get("group membership") or ""
    labels = [label.strip().removeprefix("* ") for label in cell.split(":::")]
    tags = [t for t in labels if "".join(t.split()).lower() not in GOOGLE_SYSTEM_LABELS]
    card = card_of(
        source,
        line,
        name,
        aliases=[row.get("nickname", ""), row.get("short name", ""), parts],
        emails=emails,
        phones=_numbered(row, "phone", "value"),
        company=company,
        role=row.get("organization title")
        or next(iter(_numbered(row, "organization", "title")), ""),
        birthday=birthday,
        tags=tags,
        linkedin=_linkedin_url(_numbered(row, "website", "value")),
        notes=[row.get("notes", "")],
    )
    return card, problems


def outlook_date(text: str) -> str | None:
    """Outlook's `M/D/YYYY` (its US form; `D/M/YYYY` when that is the only valid reading)."""
    match = _US_DATE.fullmatch(text.strip())
    if match is None:
        return birthday_of(text)
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    year = year + (1900 if year > 30 else 2000) if year < 100 else year
    for month, day in ((first, second), (second, first)):
        found = birthday_of(f"{year:04d}-{month:02d}-{day:02d}")
        if found is not None:
            return found
    return None


def _outlook(row: Row, source: str, line: int) -> tuple[Card | None, list[Skipped]]:
    parts = _name(row, "first name", "middle name", "last name", "suffix")
    emails = [row.get(c, "") for c in ("e-mail address", "e-mail 2 address", "e-mail 3 address")]
    name = parts or row.get("company", "")
    if not name:
        return None, []
    birthday, problems = _birthday(row, "birthday", name, source, line, outlook_date)
    phones = [v for c, v in row.items() if re.search(r"\bphone\b", c) and not _OTHERS.search(c)]
    card = card_of(
        source,
        line,
        name,
        aliases=[row.get("nickname", "")],
        emails=emails,
        phones=phones,
        company=row.get("company", ""),
        role=row.get("job title", ""),
        birthday=birthday,
        tags=re.split(r"[;,]", row.get("categories", "")),
        linkedin=_linkedin_url([row.get("web page", ""), row.get("personal web page", "")]),
        notes=[row.get("notes", "")],
    )
    return card, problems


def linkedin_date(text: str) -> dt.date | None:
    """LinkedIn's `03 Dec 2026` (older exports: `12/3/20`, month first)."""
    for form in ("%d %b %Y", "%d %B %Y", "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


def _linkedin(row: Row, source: str, line: int) -> tuple[Card | None, list[Skipped]]:
    name = _name(row, "first name", "last name")
    if not name:
        return None, []
    problems = []
    met = None
    if connected := row.get("connected on", ""):
        met = linkedin_date(connected)
        if met is None:
            why = f"{name}: Connected On {connected!r} is not a date; left out"
            problems.append(Skipped(source, line, why))
    card = card_of(
        source,
        line,
        name,
        emails=[row.get("email address", "")],
        company=row.get("company", ""),
        role=row.get("position", ""),
        linkedin=row.get("url", ""),
        met=met,
    )
    return card, problems
