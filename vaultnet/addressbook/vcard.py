"""vCard 2.1/3.0/4.0 text -> `Card`s, with every malformed card reported at its line.

vobject does the syntax: unfolding, parameters, quoted-printable with its `CHARSET`, escapes and
structured values. Cards are cut by their BEGIN/END lines here rather than by vobject's component
reader, which keeps only the first of a comma-separated `NICKNAME` list and gives wrong line
numbers for unfolded lines (vobject 0.9.9); a line it cannot parse skips its card, reported."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from vobject.base import ContentLine, ParseError, getLogicalLines, textLineToContentLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

from vaultnet.addressbook.cards import Card, Skipped, birthday_of, card_of

LINKEDIN = "linkedin.com/"


class _Lines:
    """The `readline` vobject's line reader asks for, over text already in memory."""

    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")


@dataclass(slots=True)
class _Open:
    line: int
    properties: list[ContentLine] = field(default_factory=list)
    error: Skipped | None = None


def read_vcards(text: str, source: str) -> tuple[list[Card], list[Skipped]]:
    """Every card of a `.vcf` text, and what was skipped (file:line and why)."""
    cards: list[Card] = []
    skipped: list[Skipped] = []
    current: _Open | None = None
    for raw, number in _logical_lines(text):
        line = max(number, 1)  # vobject numbers the first line 0
        head = raw.strip().upper()
        if head == "BEGIN:VCARD":
            if current is not None:
                skipped.append(Skipped(source, current.line, "card has no END:VCARD; skipped"))
            current = _Open(line)
            continue
        if current is None:
            if raw.strip():
                skipped.append(Skipped(source, line, "text outside a BEGIN:VCARD card; skipped"))
            continue
        if head == "END:VCARD":
            if current.error is not None:
                skipped.append(current.error)
            else:
                card, problems = card_from(current.properties, source, current.line)
                skipped += problems
                if card is not None:
                    cards.append(card)
            current = None
            continue
        try:
            current.properties.append(textLineToContentLine(raw, line))
        except (ParseError, UnicodeDecodeError, LookupError, ValueError) as error:
            if current.error is None:
                why = str(error).split(": ", 1)[-1] if "At line" in str(error) else str(error)
                current.error = Skipped(source, line, f"malformed card line ({why}); card skipped")
    if current is not None:
        skipped.append(Skipped(source, current.line, "card has no END:VCARD; skipped"))
    return cards, skipped


def _logical_lines(text: str) -> Iterator[tuple[str, int]]:
    yield from getLogicalLines(_Lines(text.removeprefix("\ufeff")), allowQP=True)


def _text(line: ContentLine) -> str:
    """A single text value, unescaped (an unescaped comma is kept as written)."""
    return ",".join(stringToTextValues(str(line.value)))


def _texts(line: ContentLine) -> list[str]:
    return [v for v in stringToTextValues(str(line.value)) if v.strip()]


def _fields(line: ContentLine) -> list[str]:
    return [",".join(stringToTextValues(f)) for f in splitFields(str(line.value))]


def _types(line: ContentLine) -> set[str]:
    values = line.params.get("TYPE", []) + line.singletonparams
    return {t.lower() for value in values for t in str(value).split(",")}


def card_from(
    properties: list[ContentLine], source: str, line: int
) -> tuple[Card | None, list[Skipped]]:
    """One card's properties as a `Card` (None, reported, when it has no name at all)."""
    by_name: dict[str, list[ContentLine]] = {}
    for prop in properties:
        by_name.setdefault(prop.name.upper(), []).append(prop)

    def first(key: str) -> str:
        return next((t for p in by_name.get(key, []) if (t := _text(p).strip())), "")

    problems: list[Skipped] = []
    structured = next((_fields(p) for p in by_name.get("N", [])), [])
    family, given, middle = ([*structured, "", "", ""])[:3]
    from_parts = " ".join(" ".join(p.split()) for p in (given, middle, family) if p.strip())
    org = next((_fields(p)[0] for p in by_name.get("ORG", []) if _fields(p)), "")
    emails = [_text(p).strip() for p in by_name.get("EMAIL", [])]
    name = first("FN") or from_parts or org.strip()
    if not name:
        why = "card has no name (FN, N or ORG; only an email or a phone); skipped"
        return None, [Skipped(source, line, why)]
    birthday = ""
    for prop in by_name.get("BDAY", []):
        value = _text(prop)
        found = birthday_of(value, omit_year="X-APPLE-OMIT-YEAR" in prop.params)
        if found is None:
            problems.append(
                Skipped(
                    source,
                    prop.lineNumber or line,
                    f"{name}: birthday {value!r} is not a date; left out",
                )
            )
        else:
            birthday = found
            break
    links = [
        _text(p).strip()
        for key in ("X-SOCIALPROFILE", "URL")
        for p in by_name.get(key, [])
        if "linkedin" in _types(p) or LINKEDIN in _text(p).lower()
    ]
    card = card_of(
        source,
        line,
        name,
        aliases=[n for p in by_name.get("NICKNAME", []) for n in _texts(p)] + [from_parts],
        emails=emails,
        phones=[_text(p).strip().removeprefix("tel:") for p in by_name.get("TEL", [])],
        company=org,
        role=first("TITLE") or first("ROLE"),
        birthday=birthday,
        tags=[c for p in by_name.get("CATEGORIES", []) for c in _texts(p)],
        linkedin=next((u for u in links if u), ""),
    )
    return card, problems
