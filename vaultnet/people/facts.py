"""The facts about people and ideas a run gathers once (`Gathering.facts`): the few bulk queries
every people feature needs, asked up front. Everything computed from them is pure: the Reconnect
plan, what to share, briefs, audiences, the related pages' audiences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultnet.ideas import IdeaFacts, idea_facts_from
from vaultnet.index.rows import WORD
from vaultnet.people.config import PeopleConfig
from vaultnet.people.contacts import People, assess, bulk_records, find_people, in_folder
from vaultnet.vault.resolve import fold

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import IncomingLink, LinkRow, NoteRow
    from vaultnet.index.view import IndexView

KIND_KEYS = ("tags", "tag", "type", "category")
"""The properties that can make a note a person's (`is_person_note`)."""


@dataclass(frozen=True, slots=True)
class PeopleFacts:
    """What the vault says about its people: every contact assessed, and the links into them."""

    people: People
    rows: dict[str, NoteRow]
    """The contacts' notes, by path."""
    links_in: tuple[IncomingLink, ...]
    """Every link into a contact, by source and position."""
    _into: dict[str, list[IncomingLink]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for link in self.links_in:
            self._into.setdefault(link.path, []).append(link)

    def into(self, path: str) -> list[IncomingLink]:
        """The links into the contact at `path`."""
        return self._into.get(path, [])

    @property
    def person_like(self) -> frozenset[str]:
        return self.people.person_paths

    @property
    def mentioning(self) -> set[str]:
        """The notes that link to a contact outside a comment."""
        return {link.src for link in self.links_in if not link.commented}


@dataclass(frozen=True, slots=True)
class PersonNotes:
    """The notes of people under the `[people]` settings (no links read)."""

    contacts: list[NoteRow]
    """The contacts' notes, by path."""
    person_like: set[str]
    """Every person-like note: the contacts, the user's own note, people-folder index notes."""


def person_notes(gathering: Gathering) -> PersonNotes:
    """Gather `PersonNotes` in three queries (what `touch` and `import` need of people)."""
    view, config = gathering.view, gathering.settings.table(PeopleConfig)
    with bulk_records():
        return PersonNotes(*find_people(view.notes(person_candidates(view, config)), config))


@dataclass(frozen=True, slots=True)
class MentionFacts:
    """Around the people: what the notes that mention them (and their own notes) link to, and
    how those notes are tagged (what sharing, briefs and audiences read)."""

    links_out: dict[str, tuple[LinkRow, ...]]
    """Links written in the contacts' notes and in every note that mentions a contact."""
    tags: dict[str, set[str]]
    """Lower-cased tags of the notes that mention a contact."""


def people_facts(gathering: Gathering) -> PeopleFacts:
    """Gather `PeopleFacts` under the `[people]` settings: the people's notes, then the links
    into them (one query)."""
    config = gathering.settings.table(PeopleConfig)
    found = gathering.facts(person_notes)
    contacts = found.contacts
    with bulk_records():
        links_in = gathering.view.links_into(row.path for row in contacts)
        people = assess(contacts, found.person_like, links_in, gathering.today, config)
        return PeopleFacts(people, {row.path: row for row in contacts}, tuple(links_in))


def mention_facts(gathering: Gathering) -> MentionFacts:
    """Gather `MentionFacts` (two queries, after the run's `PeopleFacts`)."""
    people = gathering.facts(people_facts)
    sources = {link.src for link in people.links_in}
    links_out: dict[str, list[LinkRow]] = defaultdict(list)
    with bulk_records():
        for link in gathering.view.links_from(sources | people.rows.keys()):
            links_out[link.src].append(link)
    return MentionFacts(
        {src: tuple(links) for src, links in links_out.items()}, gathering.view.tags_of(sources)
    )


def person_candidates(view: IndexView, config: PeopleConfig) -> set[str]:
    """The user notes that can be people: in a people folder, or with a property word of a
    person tag or type (a superset: `is_person_note` still decides)."""
    folders = {fold(f) for f in config.folders}
    found = {path for path in view.user_note_paths() if in_folder(path, folders)}
    words = {w for name in (*config.tags, *config.types) for w in _words(name)}
    return found | view.paths_with_words(KIND_KEYS, words)


def _words(name: str) -> Iterable[str]:
    return WORD.findall(fold(name))


def idea_facts(gathering: Gathering) -> IdeaFacts:
    """Gather `IdeaFacts`: every note's head and tags (two queries), less the people, daily
    notes and meetings (from the run's `PeopleFacts`)."""
    people = gathering.facts(people_facts)
    view = gathering.view
    return idea_facts_from(
        view.note_heads(),
        view.tags_of(),
        person=people.person_like,
        mentioning=people.mentioning,
        daily=gathering.settings.obsidian.daily_date,
    )
