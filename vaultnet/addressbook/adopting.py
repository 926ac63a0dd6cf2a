"""Contacts named as a note of the user's that is not a person note: typically the empty note
Obsidian creates when `[[Mara Quint]]` is clicked. Every `[[Mara Quint]]` link reaches that note,
so a second note (`Mara Quint (Northwind)`) would leave her interactions with the first one: the
import makes none. It reports the contact, and with `--adopt` writes the contact's properties at
the top of that note when it has none: the note becomes exactly the properties block followed by
its old bytes (an empty note gets what a new note would hold). Pure: the bytes are read and
written by `importer`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from vaultnet.addressbook.card_note import body_text, frontmatter_text, properties_of
from vaultnet.addressbook.cards import Card, Skipped
from vaultnet.pages.names import safe_stem
from vaultnet.vault.resolve import fold, note_stem

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class OtherNote:
    """A note of the user's that is not a person note, as read for a possible adoption."""

    path: str
    data: bytes | None
    """Its bytes; None when it could not be read."""
    unreadable: str = ""
    """Why it could not be read (`is a symlink; ...`, `iCloud has offloaded this file; ...`)."""
    extra_tags: tuple[str, ...] = ()
    """Tags it gets when adopted: the person tag, outside a people folder."""


@dataclass(frozen=True, slots=True)
class SameName:
    """A contact left out because a note of the user's has its name (and is not adopted)."""

    card: Card
    path: str
    empty: bool
    why: str
    """Why the note cannot be adopted; "" when it can (`--adopt`)."""


@dataclass(frozen=True, slots=True)
class Adoption:
    """A note of the user's that becomes a contact's note: `head` written before its bytes."""

    card: Card
    path: str
    head: str
    """The properties block (for an empty note, the whole note a new one would be)."""
    old: bytes
    """The note's bytes when it was read: the write is refused if they changed since."""


@dataclass(frozen=True, slots=True)
class Claims:
    """What `claim_same_names` decided."""

    cards: frozenset[int] = field(default_factory=frozenset)
    """Positions of the cards it took (no new note for them)."""
    same_name: tuple[SameName, ...] = ()
    adopted: tuple[Adoption, ...] = ()
    left_out: tuple[Skipped, ...] = ()


def card_key(card: Card) -> str:
    """The folded file name a card's note would have: what a link of its name reaches."""
    return fold(safe_stem(card.name))


def refusal(note: OtherNote) -> str:
    """Why `note` cannot be adopted ("" when it can): only a note without properties is, and only
    one whose bytes stay exactly what they are behind the new block."""
    if note.data is None:
        return note.unreadable
    if note.data.startswith(BOM):
        return "it starts with a byte-order mark"
    try:
        text = note.data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    if text.split("\n", 1)[0].rstrip("\r").rstrip() == "---":
        return "it has properties already (tag it person, and an import says what it lacks)"
    return ""


def adoption(card: Card, note: OtherNote) -> tuple[Adoption, list[Skipped]]:
    """The adoption of `note` by `card` (`refusal(note)` must be empty), and the card's text
    that is left out: a note with text of its own gets only properties."""
    old = note.data or b""
    stem = note_stem(note.path)
    aliases = (card.name,) if stem != card.name else ()
    properties = properties_of(card, aliases, note.extra_tags)
    if not old:
        head = frontmatter_text(properties) + body_text(card.notes)
        return Adoption(card, note.path, head, old), []
    first_line = old.split(b"\n", 1)[0]
    newline = "\r\n" if first_line.endswith(b"\r") else "\n"
    left_out = []
    if card.notes:
        why = f"{card.name}: its note is not added to {note.path}, which has text of its own"
        left_out.append(Skipped(card.source, card.line, f"{why}; left out"))
    return Adoption(card, note.path, frontmatter_text(properties, newline), old), left_out


def claim_same_names(cards: Iterable[Card], others: dict[str, OtherNote], *, adopt: bool) -> Claims:
    """The cards (by position) whose name a note in `others` (by folded file name) has: each is
    reported, or with `adopt` adopted when the note can be. Two contacts of one name in the
    files cannot both be the note: both are reported."""
    by_key: dict[str, list[tuple[int, Card]]] = {}
    for n, card in enumerate(cards):
        if card_key(card) in others:
            by_key.setdefault(card_key(card), []).append((n, card))
    taken: set[int] = set()
    same_name: list[SameName] = []
    adopted: list[Adoption] = []
    left_out: list[Skipped] = []
    for key, found in by_key.items():
        note = others[key]
        why = refusal(note)
        if len(found) > 1:
            why = f"{len(found)} contacts in the files have this name; the note can be only one"
        for n, card in found:
            taken.add(n)
            if adopt and not why:
                done, lost = adoption(card, note)
                adopted.append(done)
                left_out += lost
            else:
                same_name.append(SameName(card, note.path, note.data == b"", why))
    return Claims(frozenset(taken), tuple(same_name), tuple(adopted), tuple(left_out))
