"""A `Card` as the text of a new person note: YAML frontmatter that Obsidian's property editor and
Dataview read (lists as block lists, dates as YYYY-MM-DD), every value from the file made inert and
quoted wherever YAML would read it as something else; the address book's note about the contact,
each line made inert, as the body. Pure."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from vaultnet.addressbook.cards import Card
from vaultnet.pages.inert import inert_line, inert_property

ORDER = ("aliases", "emails", "phones", "company", "role", "birthday", "linkedin", "met", "tags")
"""Property order in a new note (`would_add` reports the same keys)."""
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`<=+~.][^#]*")
_RISKY = re.compile(r":\s|\s#|:$|^[-?:]\s|[\t]")
_WORDS = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null"])
"""Plain scalars starting with a letter that YAML reads as something else (YAML 1.1 booleans,
null)."""
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""What YAML refuses to read as it is (control characters, lone surrogates): escaped."""


def properties_of(
    card: Card, aliases: tuple[str, ...] = (), extra_tags: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The properties a card gives a note, in `ORDER`, empty ones left out. `aliases` come first
    (the contact's name when the note is named otherwise)."""
    values: dict[str, Any] = {
        "aliases": list(dict.fromkeys((*aliases, *card.aliases))),
        "emails": list(card.emails),
        "phones": list(card.phones),
        "company": card.company,
        "role": card.role,
        "birthday": card.birthday,
        "linkedin": card.linkedin,
        "met": card.met.isoformat() if card.met else "",
        "tags": list(dict.fromkeys((*card.tags, *extra_tags))),
    }
    return {key: values[key] for key in ORDER if values[key]}


def note_text(properties: dict[str, Any], notes: str = "") -> str:
    """The whole note: the frontmatter (none without properties), then the address book's
    `notes` as the body (`body_text`)."""
    return frontmatter_text(properties) + body_text(notes)


def body_text(notes: str) -> str:
    """Free text from an address book as a note's body: line by line, blank lines kept, each line
    inert (`inert_line`: no Templater tag, HTML, code, Dataview query, link, tag, heading, list or
    fence can come of someone else's text)."""
    if not notes.strip():
        return ""
    return "".join(f"{inert_line(line)}\n" if line.strip() else "\n" for line in notes.split("\n"))


def frontmatter_text(properties: dict[str, Any], newline: str = "\n") -> str:
    """The properties as a YAML frontmatter block, `newline` ending each line; empty without
    properties."""
    if not properties:
        return ""
    lines = ["---"]
    for key, value in properties.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {yaml_scalar(v, key)}" for v in value]
        else:
            lines.append(f"{key}: {yaml_scalar(value, key)}")
    lines.append("---")
    return newline.join(lines) + newline


def yaml_scalar(value: str, key: str = "") -> str:
    """`value` as a YAML scalar that reads back as exactly that text (a date property as a date):
    plain when YAML reads it so, else double-quoted. `yes`, `null`, `+49 30`, `1e3`, `@handle`,
    `a: b`, `#x` and `2026-01-01` (as a name) are quoted; the value is made inert first."""
    text = inert_property(value)
    if key in ("birthday", "met") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # a date property: Obsidian and Dataview read it as a date
    plain = _PLAIN.fullmatch(text) and not _RISKY.search(text) and not _UNPRINTABLE.search(text)
    if plain and text == text.strip() and text[0].isalpha() and text.lower() not in _WORDS:
        return text  # YAML reads a plain scalar starting with a letter as text, but for _WORDS
    if plain and text == text.strip():
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)
