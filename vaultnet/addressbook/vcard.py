"""vCard 2.1/3.0/4.0 text -> `Card`s, with every malformed card reported at its line.

vobject parses each line: parameters, quoted-printable with its `CHARSET`, escapes and structured
values. The lines are unfolded here, in one pass, and binary properties (a photo, a logo, a sound,
a key: base64 that vaultnet never reads) are dropped before vobject sees them: vobject's own
unfolding copies the line so far for every folded line, so a 30 MB photo took more than ten
minutes (quadratic). Cards are cut by their BEGIN/END lines here rather than by vobject's component
reader, which keeps only the first of a comma-separated `NICKNAME` list and gives wrong line
numbers for unfolded lines (vobject 0.9.9); a line it cannot parse skips its card, reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from vobject.base import ContentLine, ParseError, textLineToContentLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

from vaultnet.addressbook.cards import Card, Skipped, birthday_of, card_of

LINKEDIN = "linkedin.com/"


BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
"""Properties whose value is a file (base64 or a `data:` URI), never read by vaultnet."""
_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")
"""A property's name at the start of its line, after an optional `group.` prefix."""
_BASE64 = re.compile(r"(?:ENCODING=)?(?:B|BASE64)")
_BASE64_21 = re.compile(r"(?i);(?:ENCODING=)?BASE64\b")
_BASE64_DATA = re.compile(r"[A-Za-z0-9+/=\s]+")
"""A line of base64 data: vCard 2.1 writers (`ENCODING=BASE64`) may continue a photo without the
folding space, until a blank line (a property line always holds a `:`)."""
_QP = "quoted-printable"
_PARAM = r'[=,](?>"[^"]*"|[^";:,=]*+)'
_LINE_START = re.compile(
    rf"(?:[a-zA-Z0-9_-]+\.)?[a-zA-Z0-9_-]+;?(?:;[a-zA-Z0-9_-]+(?:{_PARAM})*+)*+:"
)
"""What vobject's `line_re` asks of a line before its value (name, parameters, `:`), in linear
time: its own pattern nests quantifiers, so a line it cannot read took exponential time (`NOTE;X`
then 24 `=`: 2 s, three times longer for each two more). A line without it is malformed."""


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
    for raw, line in logical_lines(text):
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
            if not _LINE_START.match(raw):
                raise ParseError(f"Failed to parse line: {raw}", line)
            current.properties.append(textLineToContentLine(raw, line))
        except (ParseError, UnicodeDecodeError, LookupError, ValueError) as error:
            if current.error is None:
                why = str(error).split(": ", 1)[-1] if "At line" in str(error) else str(error)
                current.error = Skipped(source, line, f"malformed card line ({why}); card skipped")
    if current is not None:
        skipped.append(Skipped(source, current.line, "card has no END:VCARD; skipped"))
    return cards, skipped


def logical_lines(text: str) -> Iterator[tuple[str, int]]:
    """Each unfolded line of a vCard text with the (1-based) line it starts on, in linear time,
    binary properties left out. Unfolding as vobject's reader does it: a line starting with a
    space or tab continues the one before (without that character); a quoted-printable value
    ending in `=` continues on the next line whatever it starts with; a blank line ends one."""
    parts: list[str] = []
    start = 0
    quoted_printable = False  # the line so far names quoted-printable (vobject: anywhere in it)
    continues = False  # its value ends in a quoted-printable soft line break
    binary = False  # the lines being read belong to a binary property: dropped
    loose = False  # ... in vCard 2.1's BASE64, whose data may go on unindented to a blank line
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(keepends=True), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if parts:
                yield "".join(parts), start
            parts, quoted_printable, continues, binary = [], False, False, False
            continue
        if continues:
            piece = "\n" + line
        elif line[0] in " \t":
            if binary:
                continue
            piece = line[1:]
            start = start if parts else number
        elif binary and loose and _BASE64_DATA.fullmatch(line):
            continue
        else:
            if parts:
                yield "".join(parts), start
            parts, start, quoted_printable, binary = [], number, False, is_binary(line)
            loose = binary and _BASE64_21.search(line.split(":", 1)[0]) is not None
            if binary:
                continue
            piece = line
        # the name may be split by the fold: look at the end of the line so far with the piece
        tail = parts[-1][-len(_QP) :] if parts else ""
        parts.append(piece)
        quoted_printable = quoted_printable or _QP in (tail + piece).lower()
        continues = quoted_printable and piece.endswith("=")
    if parts:
        yield "".join(parts), start


def is_binary(line: str) -> bool:
    """Whether the property this line starts holds a file (a photo, logo, sound or key, or any
    base64 value), which vaultnet never reads."""
    match = _NAME.match(line)
    if match is None:
        return False
    if match[1].upper() in BINARY:
        return True
    head = line[match.end() :].split(":", 1)[0]
    return any(_BASE64.fullmatch(p.strip().upper()) for p in head.split(";")[1:])


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
    exported = {_exported_path(_text(p)) for p in by_name.get("URL", [])}
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
        notes=[t for p in by_name.get("NOTE", []) if (t := _text(p)).strip() not in exported],
    )
    return card, problems


def _exported_path(url: str) -> str:
    """The note path of an `obsidian://open?...&file=...` URL (`contacts --vcf` writes it with
    the same path as NOTE, which is no text about the person); "" for any other URL."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "obsidian" or parts.netloc.lower() != "open":
        return ""
    return next(iter(parse_qs(parts.query).get("file", [])), "")
