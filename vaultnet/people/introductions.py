"""Introductions ("refer"): pairs of your contacts who should know each other and, as far as the
vault shows, do not. Pure, over the run's people facts and occasions; the rules are in
`docs/reconnect.md`.

Two active contacts (not inactive, not snoozed) make a pair when
- one's note says what they look for (a need line, `vaultnet.vault.needs`, or a `needs` /
  `looking_for` / `seeking` property) and the other's `role` (or `title`, `job`, `position`,
  `occupation`, `expertise`, `skills`) holds its words, or
- their notes share an interest: a tag (not a tag of kind or relation) that few contacts have;

and they have never appeared together: never at the same meeting or on the same line
(`vaultnet.people.occasions`), neither note links the other, neither introduced the other, and
they do not work at the same `company`. Best pairs first, each person in one pair at most.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from vaultnet.people.actions import first_name
from vaultnet.people.contacts import Contact, interests_of
from vaultnet.people.facts import PeopleFacts
from vaultnet.people.occasions import Occasions
from vaultnet.reasons import Reason
from vaultnet.vault.needs import wanted_part
from vaultnet.vault.resolve import fold
from vaultnet.vault.terms import tokens

LIMIT = 3
"""Introductions on the page."""
RARE_TAG = 12
"""A tag more active contacts than this carry is a crowd, not an interest to introduce on."""
ROLE_KEYS = ("role", "title", "job", "position", "occupation", "expertise", "skills")
NEED_KEYS = ("needs", "looking_for", "seeking")
VAGUE = frozenset(
    [
        "people",
        "person",
        "someone",
        "somebody",
        "anyone",
        "talk",
        "chat",
        "intro",
        "introduction",
        "introductions",
        "help",
        "good",
        "great",
        "new",
        "like",
        "love",
        "would",
        "want",
        "wants",
        "need",
        "needs",
        "looking",
    ]
)
"""Words a need holds that say nothing about whom it needs."""


@dataclass(frozen=True, slots=True)
class Introduction:
    a: Contact
    b: Contact
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Need:
    words: frozenset[str]
    text: str
    """What the note says (the line, or the property's value)."""
    line: int
    """0: a property."""


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, str | int | float) and str(v).strip()]


def needs_of(contact: Contact, need_lines: Iterable[tuple[int, str]]) -> list[Need]:
    """What the contact looks for: their note's need lines and need properties."""
    found = []
    for line, text in need_lines:
        wanted = wanted_part(text)
        words = frozenset(tokens(wanted or "")) - VAGUE
        if words:
            found.append(Need(words, text, line))
    for key in NEED_KEYS if not contact.properties.keys().isdisjoint(NEED_KEYS) else ():
        for text in _texts(contact.properties.get(key)):
            words = frozenset(tokens(text)) - VAGUE
            if words:
                found.append(Need(words, f"{key}: {text}", 0))
    return found


def role_of(contact: Contact) -> str | None:
    """The first of the contact's role properties that has a value."""
    if contact.properties.keys().isdisjoint(ROLE_KEYS):
        return None
    for key in ROLE_KEYS:
        texts = _texts(contact.properties.get(key))
        if texts:
            return ", ".join(texts)
    return None


def _company(contact: Contact) -> str:
    texts = _texts(contact.properties.get("company") or contact.properties.get("organization"))
    return fold(texts[0].strip("[]")) if texts else ""


def introductions(
    people: PeopleFacts,
    occasions: Callable[[], Occasions],
    ignore: set[str],
    limit: int = LIMIT,
) -> tuple[Introduction, ...]:
    """Up to `limit` pairs to introduce, best first; `occasions` gives the run's occasions
    (asked only when there is a pair to check)."""
    active = {c.path: c for c in people.people.contacts if c.status not in ("inactive", "snoozed")}
    scores: dict[tuple[str, str], float] = defaultdict(float)
    reasons: dict[tuple[str, str], list[Reason]] = defaultdict(list)
    _by_need(active, people, scores, reasons)
    _by_interest(active, ignore, scores, reasons)
    if not scores:
        return ()
    seen = occasions()
    linked = {(k.src, k.path) for k in people.links_in if not k.commented}
    found = []
    for (a, b), score in scores.items():
        one, two = active[a], active[b]
        if (
            seen.met_together(a, b)
            or (a, b) in linked
            or (b, a) in linked
            or a in two.introduced
            or b in one.introduced
            or (_company(one) and _company(one) == _company(two))
        ):
            continue
        found.append(Introduction(one, two, round(score, 4), tuple(reasons[(a, b)])))
    found.sort(key=lambda i: (-i.score, fold(i.a.name), fold(i.b.name), i.a.path, i.b.path))
    chosen: list[Introduction] = []
    used: set[str] = set()
    for intro in found:
        if len(chosen) < limit and not {intro.a.path, intro.b.path} & used:
            chosen.append(intro)
            used |= {intro.a.path, intro.b.path}
    return tuple(chosen)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _by_need(
    active: Mapping[str, Contact],
    people: PeopleFacts,
    scores: dict[tuple[str, str], float],
    reasons: dict[tuple[str, str], list[Reason]],
) -> None:
    """A need one note states that another's role meets: 3 points and one per shared word."""
    holders: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, tuple[str, frozenset[str]]] = {}
    for path, contact in active.items():
        role = role_of(contact)
        if role:
            roles[path] = (role, frozenset(tokens(role)))
            for word in roles[path][1]:
                holders[word].add(path)
    if not roles:
        return
    for path, contact in active.items():
        for need in needs_of(contact, people.rows[path].need_lines):
            matches: dict[str, int] = defaultdict(int)
            for word in need.words:
                for other in holders.get(word, ()):
                    matches[other] += 1
            for other, shared in sorted(matches.items()):
                if other == path or shared < min(2, len(need.words)):
                    continue
                pair = _pair(path, other)
                if any(r.path == path for r in reasons[pair]):
                    continue  # one need of theirs is reason enough
                scores[pair] += 3 + shared
                said = f"{first_name(active[other])} is {roles[other][0]}; "
                said += f"{first_name(contact)} looks for that"
                reasons[pair].insert(0, Reason.plain(said, path, need.text if need.line else None))


def _by_interest(
    active: Mapping[str, Contact],
    ignore: set[str],
    scores: dict[tuple[str, str], float],
    reasons: dict[tuple[str, str], list[Reason]],
) -> None:
    """Interests both notes carry, each tag a point (and a little more the rarer it is)."""
    by_tag: dict[str, list[str]] = defaultdict(list)
    for path, contact in active.items():
        for tag in interests_of(contact, ignore):
            by_tag[tag].append(path)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for tag, paths in sorted(by_tag.items()):
        if len(paths) > RARE_TAG:
            continue
        for a, b in combinations(sorted(paths), 2):
            shared[(a, b)].append(tag)
            scores[(a, b)] += 1 + 1 / len(paths)
    for pair, tags in shared.items():
        reasons[pair].append(Reason.plain("both into " + _and([f"#{t}" for t in tags])))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
