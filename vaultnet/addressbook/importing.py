"""The import plan: cards from address books against the people already in the vault. Duplicates
in the files merge into one card; a card that matches a person (an email or the LinkedIn profile on
their note, else the name or a full-name alias, case- and accent-insensitively) is reported with
what it would add, never merged into the note; a card named as a note of the user's that is not a
person note is reported, or adopted (`adopting`); the others become new notes, named as the user
would name them. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from vaultnet.addressbook.adopting import Adoption, OtherNote, SameName, claim_same_names
from vaultnet.addressbook.card_note import note_text, properties_of
from vaultnet.addressbook.cards import (
    Card,
    Skipped,
    different_people,
    join_texts,
    match_names,
    plain,
    profile_key,
)
from vaultnet.pages.names import safe_stem
from vaultnet.vault.resolve import fold

LIST_KEYS = ("aliases", "emails", "phones", "tags")
EMAIL_KEYS = ("emails", "email")


@dataclass(frozen=True, slots=True)
class Person:
    """A person note already in the vault, as the import compares it."""

    path: str
    names: frozenset[str]
    """Plain forms (`cards.plain`) of its file name, title and aliases."""
    emails: frozenset[str]
    """Lower-cased, from its `emails` / `email` properties."""
    properties: dict[str, Any]
    profiles: frozenset[str] = frozenset()
    """Its `linkedin` property's profiles (`cards.profile_key`)."""


@dataclass(frozen=True, slots=True)
class Creation:
    card: Card
    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    card: Card
    path: str
    would_add: dict[str, Any]
    """The properties the import would have added to the note (nothing is written to it)."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    created: tuple[Creation, ...]
    matched: tuple[Match, ...]
    merged: tuple[Card, ...]
    """Cards that absorbed duplicates (`Card.merged_from`)."""
    skipped: tuple[Skipped, ...]
    same_name: tuple[SameName, ...] = ()
    """Cards named as a note that is not a person note, left alone (not adopted)."""
    adopted: tuple[Adoption, ...] = ()
    """Notes of the user's that get a card's properties (`--adopt`)."""


def person_of(path: str, title: str, aliases: Iterable[str], properties: dict[str, Any]) -> Person:
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    emails = {
        str(v).strip().lower().removeprefix("mailto:")
        for key in EMAIL_KEYS
        for v in _as_list(properties.get(key))
        if isinstance(v, str) and v.strip()
    }
    names = {plain(n) for n in (stem, title, *aliases) if n}
    profiles = {
        profile_key(v) for v in _as_list(properties.get("linkedin")) if isinstance(v, str) and v
    }
    return Person(path, frozenset(names), frozenset(emails), properties, frozenset(profiles))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def merge_duplicates(cards: Iterable[Card]) -> list[Card]:
    """One card per person, in first-seen order. Same person: a shared email, the same LinkedIn
    profile, or the same name unless `different_people` (two `John Smith`s with different emails,
    or different LinkedIn profiles, are two)."""
    merged: list[Card] = []
    by_email: dict[str, int] = {}
    by_profile: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for card in cards:
        emails = {e.lower() for e in card.emails}
        profile = profile_key(card.linkedin) if card.linkedin else ""
        target = next((by_email[e] for e in sorted(emails) if e in by_email), None)
        if target is None and profile:
            target = by_profile.get(profile)
        if target is None:
            target = next(
                (
                    i
                    for i in by_name.get(plain(card.name), [])
                    if not different_people(merged[i], card)
                ),
                None,
            )
        if target is None:
            merged.append(card)
            target = len(merged) - 1
            by_name.setdefault(plain(card.name), []).append(target)
        else:
            merged[target] = merge_cards(merged[target], card)
        for email in emails:
            by_email.setdefault(email, target)
        if profile:
            by_profile.setdefault(profile, target)
    return merged


def merge_cards(first: Card, other: Card) -> Card:
    """`other`'s values added to `first`'s: lists joined, the first value of each field kept (a
    birthday with its year over one without), the earliest `met`, `other`'s name as an alias,
    both notes."""

    def join(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        seen = {x.casefold() for x in a}
        return a + tuple(x for x in b if x.casefold() not in seen)

    name_forms = (other.name,) if plain(other.name) != plain(first.name) else ()
    birthday = first.birthday or other.birthday
    if first.birthday.startswith("--") and other.birthday[:1].isdigit():
        birthday = other.birthday
    mets = [d for d in (first.met, other.met) if d is not None]
    return replace(
        first,
        aliases=join(first.aliases, name_forms + other.aliases),
        emails=join(first.emails, other.emails),
        phones=join(first.phones, other.phones),
        company=first.company or other.company,
        role=first.role or other.role,
        birthday=birthday,
        tags=join(first.tags, other.tags),
        linkedin=first.linkedin or other.linkedin,
        met=min(mets) if mets else None,
        notes=join_texts((first.notes, other.notes)),
        merged_from=(*first.merged_from, f"{other.source}:{other.line}"),
    )


@dataclass(frozen=True, slots=True)
class KnownPeople:
    """The vault's people looked up by email, LinkedIn profile and name form (first note wins, by
    path)."""

    by_email: dict[str, Person]
    by_profile: dict[str, Person]
    by_name: dict[str, Person]

    @classmethod
    def of(cls, people: Iterable[Person]) -> KnownPeople:
        by_email: dict[str, Person] = {}
        by_profile: dict[str, Person] = {}
        by_name: dict[str, Person] = {}
        for person in sorted(people, key=lambda p: p.path):
            for email in person.emails:
                by_email.setdefault(email, person)
            for profile in person.profiles:
                by_profile.setdefault(profile, person)
            for name in person.names:
                by_name.setdefault(name, person)
        return cls(by_email, by_profile, by_name)

    def match(self, card: Card) -> Person | None:
        """The person note this card is, by email first, then by LinkedIn profile, then by name
        or full-name alias."""
        for email in sorted(e.lower() for e in card.emails):
            if email in self.by_email:
                return self.by_email[email]
        if card.linkedin and profile_key(card.linkedin) in self.by_profile:
            return self.by_profile[profile_key(card.linkedin)]
        for name in [plain(card.name), *sorted(match_names(card) - {plain(card.name)})]:
            if name in self.by_name:
                return self.by_name[name]
        return None


def would_add(card: Card, person: Person) -> dict[str, Any]:
    """What the card holds that the note does not: list values it lacks, fields it has not set."""
    have = person.properties
    out: dict[str, Any] = {}
    for key, value in properties_of(card, _name_alias(card, person)).items():
        if key in LIST_KEYS:
            present = {_key(key, v) for k in _keys(key) for v in _as_list(have.get(k))}
            if key == "aliases":
                present |= set(person.names)
            missing = [v for v in value if _key(key, v) not in present]
            if missing:
                out[key] = missing
        elif have.get(key) in (None, "", []):
            out[key] = value
    return out


def _name_alias(card: Card, person: Person) -> tuple[str, ...]:
    return () if plain(card.name) in person.names else (card.name,)


def _keys(key: str) -> tuple[str, ...]:
    return {"emails": EMAIL_KEYS, "tags": ("tags", "tag"), "aliases": ("aliases", "alias")}.get(
        key, (key,)
    )


def _key(key: str, value: Any) -> str:
    text = str(value).strip()
    if key == "tags":
        return text.lstrip("#").lower()
    if key == "aliases":
        return plain(text)
    if key == "phones":
        return "".join(c for c in text if c.isdigit() or c == "+")
    return text.lower().removeprefix("mailto:")


def note_stem_for(card: Card, taken: set[str]) -> str:
    """The file name of a new note: the display name made safe on every platform; when a note of
    that name exists anywhere in the vault (links go by name), `Name (Company)`, then `Name (2)`,
    `Name (3)`... Adds the result to `taken` (folded names)."""
    base = safe_stem(card.name)
    candidates = [base]
    if card.company:
        candidates.append(safe_stem(f"{card.name} ({card.company})"))
    for candidate in candidates:
        if fold(candidate) not in taken:
            taken.add(fold(candidate))
            return candidate
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = safe_stem(card.name, len(suffix.encode())) + suffix
        if fold(candidate) not in taken:
            taken.add(fold(candidate))
            return candidate
        n += 1


def plan_import(
    cards: Iterable[Card],
    skipped: Iterable[Skipped],
    people: list[Person],
    note_names: set[str],
    folder: str,
    extra_tags: tuple[str, ...] = (),
    *,
    others: dict[str, OtherNote] | None = None,
    adopt: bool = False,
) -> ImportPlan:
    """What an import does. `note_names`: the folded file names of every note in the vault;
    `extra_tags`: tags every new note gets (the person tag, when `folder` is not a people
    folder, so the notes are contacts all the same); `others`: the user's notes that are not
    person notes, by folded file name (a card of that name is reported, or with `adopt`
    adopted, instead of getting a second note)."""
    created: list[Creation] = []
    matched: list[Match] = []
    taken = set(note_names)
    unique = merge_duplicates(cards)
    known = KnownPeople.of(people)
    unmatched: list[Card] = []
    for card in unique:
        person = known.match(card)
        if person is not None:
            matched.append(Match(card, person.path, would_add(card, person)))
        else:
            unmatched.append(card)
    claims = claim_same_names(unmatched, others or {}, adopt=adopt)
    for n, card in enumerate(unmatched):
        if n in claims.cards:
            continue
        stem = note_stem_for(card, taken)
        aliases = (card.name,) if stem != card.name else ()
        text = note_text(properties_of(card, aliases, extra_tags), card.notes)
        path = f"{folder}/{stem}.md" if folder else f"{stem}.md"
        created.append(Creation(card, path, text))
    merged = tuple(c for c in unique if c.merged_from)
    return ImportPlan(
        tuple(created),
        tuple(matched),
        merged,
        (*skipped, *claims.left_out),
        claims.same_name,
        claims.adopted,
    )


def plan_json(plan: ImportPlan) -> dict[str, Any]:
    """The `vaultnet import --json` record (a stable contract)."""
    return {
        "created": [
            {"contact": c.card.name, "path": c.path, "file": c.card.source, "line": c.card.line}
            for c in plan.created
        ],
        "matched": [
            {"contact": m.card.name, "path": m.path, "would_add": m.would_add} for m in plan.matched
        ],
        "merged": [
            {"contact": c.name, "at": [f"{c.source}:{c.line}", *c.merged_from]} for c in plan.merged
        ],
        "same_name": [
            {
                "contact": s.card.name,
                "path": s.path,
                "file": s.card.source,
                "line": s.card.line,
                "adoptable": not s.why,
                "why": s.why,
            }
            for s in plan.same_name
        ],
        "adopted": [
            {"contact": a.card.name, "path": a.path, "file": a.card.source, "line": a.card.line}
            for a in plan.adopted
        ],
        "skipped": [{"file": s.source, "line": s.line, "reason": s.reason} for s in plan.skipped],
    }
