"""The synthetic vault's cast and layout, decided before any note is written.

Planning first lets every note link to any other by its final name, and keeps file names unique
(case-insensitively, as Obsidian resolves them) across the whole vault.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from synth_words import Vocabulary, unique_pseudo_words, zipf_cum_weights

LAST_DAY = date(2026, 11, 25)
DAILY_DENSITY = 0.75
"""Share of days that have a daily note: people skip days."""

_FIRST_NAMES = (
    "Ada Alan Alice Amir Ana Anna Ari Ava Ben Bea Carl Carla Chen Chloe Dan Dana David Diego Dora "
    "Eli Ella Emma Eric Eva Felix Finn Gia Grace Hana Hugo Ian Ida Ines Ivan Jack Jade James Jana "
    "Jin Joao Jonas Jose Julia Kai Kate Kim Lara Leo Lena Liam Lina Lucas Luis Maja Mara Maria "
    "Mark Maya Mia Milo Nadia Nina Noah Nora Olga Omar Oscar Paul Petra Priya Quinn Rafael Rosa "
    "Ruth Sam Sara Sofia Tara Theo Tom Uma Vera Victor Wen Yara Yusuf Zara Zoe José Zoë Renée "
    "Łukasz Søren"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abbott Adler Alvarez Bauer Becker Berg Brown Carter Castro Chen Costa Cruz Dahl Diaz Dubois "
    "Duarte Ek Evans Fischer Fontaine Garcia Gomez Gupta Haas Hansen Hill Ito Jensen Johnson Kato "
    "Khan Klein Kowalski Lang Larsen Lee Lopez Meyer Miller Moreau Muller Nagy Novak Okafor Olsen "
    "Park Patel Perez Quinn Reyes Rossi Sato Schmidt Silva Singh Smith Sousa Tanaka Torres Vogel "
    "Wagner Walker Wang Weber Wright Yamada Young Zhang Zimmermann Núñez Brontë"
)
LAST_NAMES = tuple(_LAST_NAMES.split())
ORG_SUFFIXES = ("Labs", "Inc", "GmbH", "Studio", "Collective", "Foundation", "Systems", "& Co")
MEETING_KINDS = ("sync", "review", "planning", "retro", "kickoff", "1on1", "workshop")
CADENCES = ("weekly", "biweekly", "monthly", "quarterly", "yearly")


@dataclass(frozen=True, slots=True)
class Org:
    name: str

    @property
    def path(self) -> str:
        return f"Orgs/{self.name}.md"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    folder: str
    """`People` or `People/Work`."""
    aliases: tuple[str, ...]
    company: str | None
    """An org's note name, linked from the `company` property."""

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}.md"


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    tag: str
    keywords: Vocabulary
    """Words that notes of this topic share, Zipf-weighted like the main vocabulary."""


@dataclass(frozen=True, slots=True)
class Idea:
    title: str
    topic: int
    folder: str
    block_id: str
    """Every idea ends its summary with `^block_id`, so `[[Title#^block_id]]` resolves."""

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.title}.md"


@dataclass(frozen=True, slots=True)
class Meeting:
    title: str
    day: date
    attendees: tuple[int, ...]
    """Indexes into `Plan.people`."""

    @property
    def path(self) -> str:
        return f"Meetings/{self.title}.md"


@dataclass(frozen=True, slots=True)
class Plan:
    orgs: list[Org]
    people: list[Person]
    people_cum: tuple[float, ...]
    """Popularity: a few people are mentioned often, most rarely (Zipf over list order)."""
    topics: list[Topic]
    ideas: list[Idea]
    topic_members: list[list[int]]
    """For each topic, the indexes of its ideas."""
    meetings: list[Meeting]
    days: list[date]
    meetings_by_day: dict[date, list[int]]
    missing: list[str]
    """Note names that no file has: targets of deliberately unresolved links."""

    def pick_person(self, rng: random.Random) -> Person:
        return rng.choices(self.people, cum_weights=self.people_cum, k=1)[0]

    def pick_people(self, rng: random.Random, count: int) -> list[Person]:
        """`count` distinct people (fewer if the vault has fewer)."""
        chosen: dict[str, Person] = {}
        for _ in range(count * 3):
            if len(chosen) == min(count, len(self.people)):
                break
            person = self.pick_person(rng)
            chosen.setdefault(person.name, person)
        return list(chosen.values())


@dataclass(frozen=True, slots=True)
class Counts:
    people: int
    days: int
    meetings: int
    orgs: int
    ideas: int


def split_counts(notes: int) -> Counts:
    """How many notes of each kind: 15% people, 45% daily, 10% meetings, 30% ideas and orgs."""
    if notes < 20:
        raise ValueError(f"--notes {notes}: a vault needs at least 20 notes")
    people = round(notes * 0.15)
    meetings = round(notes * 0.10)
    idea_like = round(notes * 0.30)
    orgs = max(2, idea_like // 30)
    return Counts(people, notes - people - meetings - idea_like, meetings, orgs, idea_like - orgs)


class NameBook:
    """Hands out note names that are unique in the vault, ignoring case."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, name: str) -> str:
        """`name`, or `name 2`, `name 3`... whichever is free first."""
        candidate, n = name, 1
        while candidate.casefold() in self.taken:
            n += 1
            candidate = f"{name} {n}"
        self.taken.add(candidate.casefold())
        return candidate


def make_plan(rng: random.Random, notes: int, pseudo: list[str]) -> Plan:
    counts = split_counts(notes)
    book = NameBook()
    days = plan_days(rng, counts.days)
    for day in days:
        book.claim(day.isoformat())
    orgs = [Org(book.claim(org_name(rng, pseudo))) for _ in range(counts.orgs)]
    people = plan_people(rng, counts.people, orgs, pseudo, book)
    topics = plan_topics(rng, counts.ideas, pseudo)
    ideas, members = plan_ideas(rng, counts.ideas, topics, book)
    meetings = plan_meetings(rng, counts.meetings, days, people, topics, book)
    by_day: dict[date, list[int]] = {}
    for index, meeting in enumerate(meetings):
        by_day.setdefault(meeting.day, []).append(index)
    missing = [
        name
        for name in (idea_title(rng, topics[0]) for _ in range(50))
        if name.casefold() not in book.taken
    ]
    cum = zipf_cum_weights(len(people), exponent=0.9, offset=1.0)
    return Plan(orgs, people, cum, topics, ideas, members, meetings, days, by_day, missing)


def plan_days(rng: random.Random, count: int) -> list[date]:
    """`count` dates, oldest first, ending on or before `LAST_DAY`."""
    days: list[date] = []
    day = LAST_DAY
    while len(days) < count:
        if rng.random() < DAILY_DENSITY:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def org_name(rng: random.Random, pseudo: list[str]) -> str:
    return f"{rng.choice(pseudo).capitalize()} {rng.choice(ORG_SUFFIXES)}"


def person_names(rng: random.Random, count: int, pseudo: list[str]) -> list[str]:
    """`count` distinct full names; invented surnames join the real ones when those run out."""
    surnames = list(LAST_NAMES)
    while len(FIRST_NAMES) * len(surnames) < count * 2:
        surnames.append(rng.choice(pseudo).capitalize())
    pairs = [f"{first} {last}" for first in FIRST_NAMES for last in dict.fromkeys(surnames)]
    return rng.sample(pairs, count)


def plan_people(
    rng: random.Random, count: int, orgs: list[Org], pseudo: list[str], book: NameBook
) -> list[Person]:
    people = []
    for full in person_names(rng, count, pseudo):
        name = book.claim(full)
        at_work = rng.random() < 0.35
        first = full.split()[0]
        aliases: tuple[str, ...] = (first,) if rng.random() < 0.6 else ()
        if rng.random() < 0.15:
            aliases += (first[:3] + rng.choice(("y", "o", "ie")),)
        company = rng.choice(orgs).name if at_work or rng.random() < 0.3 else None
        people.append(Person(name, "People/Work" if at_work else "People", aliases, company))
    return people


def plan_topics(rng: random.Random, ideas: int, pseudo: list[str]) -> list[Topic]:
    """Clusters of ideas: about sqrt(ideas) topics, each with its own keywords."""
    count = min(200, max(3, round(math.sqrt(ideas) * 1.2)))
    names = unique_pseudo_words(rng, count, set(pseudo))
    topics = []
    for name in names:
        keywords = tuple(rng.sample(pseudo[100:2500], 30))
        topics.append(
            Topic(
                name.capitalize(),
                f"topic/{name}",
                Vocabulary(keywords, zipf_cum_weights(len(keywords))),
            )
        )
    return topics


def idea_title(rng: random.Random, topic: Topic) -> str:
    words = topic.keywords.sample(rng, rng.randint(1, 3))
    words.insert(
        rng.randrange(len(words)),
        rng.choice(("notes on", "thoughts on", "how", "why", "the", "on", "against")),
    )
    text = " ".join(words)
    return text[0].upper() + text[1:]


def plan_ideas(
    rng: random.Random, count: int, topics: list[Topic], book: NameBook
) -> tuple[list[Idea], list[list[int]]]:
    sizes = zipf_cum_weights(len(topics), exponent=0.7)
    ideas: list[Idea] = []
    members: list[list[int]] = [[] for _ in topics]
    order = list(range(len(topics)))
    for index in range(count):
        # Every topic gets an idea first, then they grow unevenly.
        t = order[index] if index < len(order) else rng.choices(order, cum_weights=sizes)[0]
        title = book.claim(idea_title(rng, topics[t]))
        folder = f"Ideas/{topics[t].name}"
        ideas.append(Idea(title, t, folder, f"{rng.getrandbits(24):06x}"))
        members[t].append(index)
    return ideas, members


def plan_meetings(
    rng: random.Random,
    count: int,
    days: list[date],
    people: list[Person],
    topics: list[Topic],
    book: NameBook,
) -> list[Meeting]:
    """Meetings on days that have a daily note, mostly with people from `People/Work`."""
    everyone = list(range(len(people)))
    colleagues = [i for i, p in enumerate(people) if p.folder == "People/Work"]
    meetings = []
    for _ in range(count):
        day = rng.choice(days)
        kind = rng.choice(MEETING_KINDS)
        pool = colleagues if len(colleagues) >= 6 and rng.random() < 0.8 else everyone
        size = 1 if kind == "1on1" else min(len(pool), rng.randint(2, 6))
        attendees = tuple(rng.sample(pool, size))
        subject = rng.choice(topics).keywords.sample(rng, 1)[0].capitalize()
        meetings.append(Meeting(book.claim(f"{day.isoformat()} {subject} {kind}"), day, attendees))
    meetings.sort(key=lambda m: (m.day, m.title))
    return meetings
