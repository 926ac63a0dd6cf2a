"""The facts about people and ideas a run gathers once (`Gathering.facts`): the few bulk queries
every people feature needs, asked up front. Everything computed from them is pure: the Reconnect
plan, what to share, briefs, audiences, the related pages' audiences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vaultnet.ideas import IdeaFacts, idea_facts_from
from vaultnet.index.rows import WORD
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.people.contacts import (
    People,
    assess,
    bulk_records,
    find_people,
    in_folder,
    interests_of,
)
from vaultnet.people.unlinked import UnlinkedMention, contact_names, find_unlinked
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
    """Every link into a contact but those of vaultnet's pages, by source and position."""
    unlinked: tuple[UnlinkedMention, ...] = ()
    """The dated lines that name a contact without a link (`[people] unlinked_mentions`)."""
    counted: bool = True
    """Whether `unlinked` count as contact (mode `count`) or are only reported."""
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


@dataclass(frozen=True, slots=True)
class ContactLinks:
    """How the dated notes reach the contacts: the links into them and the lines that name them
    without a link (no contact assessed: what `doctor` needs)."""

    links_in: list[IncomingLink]
    """The links into the contacts, but those of vaultnet's own pages (made from these facts,
    they are never the user's word on anyone)."""
    unlinked: list[UnlinkedMention]
    """Empty when `[people] unlinked_mentions = "off"`."""
    counted: bool
    """Whether `unlinked` count as contact (mode `count`) or are only reported."""


def contact_links(gathering: Gathering) -> ContactLinks:
    """Gather `ContactLinks` (two queries after the run's `PersonNotes`)."""
    config = gathering.settings.table(PeopleConfig)
    found = gathering.facts(person_notes)
    contacts = found.contacts
    with bulk_records():
        links = gathering.view.links_into(row.path for row in contacts)
        pages = gathering.view.generated_pages()
        links_in = [link for link in links if link.src not in pages]
        unlinked = (
            unlinked_mentions(gathering.view, contacts, links_in, found.person_like)
            if config.unlinked_mentions != "off"
            else []
        )
    return ContactLinks(links_in, unlinked, config.unlinked_mentions == "count")


def people_facts(gathering: Gathering) -> PeopleFacts:
    """Gather `PeopleFacts` under the `[people]` settings: the people's notes, the links into
    them and the lines that name them without a link (`ContactLinks`), every contact assessed."""
    config = gathering.settings.table(PeopleConfig)
    found = gathering.facts(person_notes)
    contacts = found.contacts
    reach = gathering.facts(contact_links)
    unlinked, counted = reach.unlinked, reach.counted
    with bulk_records():
        people = assess(
            contacts,
            found.person_like,
            reach.links_in,
            gathering.today,
            config,
            unlinked if counted else (),
        )
        rows = {row.path: row for row in contacts}
        return PeopleFacts(people, rows, tuple(reach.links_in), tuple(unlinked), counted)


def unlinked_mentions(
    view: IndexView, contacts: list[NoteRow], links_in: list[IncomingLink], person_like: set[str]
) -> list[UnlinkedMention]:
    """The lines of dated notes that name a contact without a link (one query: the index's
    name lines under the names' first two words)."""
    names = contact_names((row.path, row.aliases) for row in contacts)
    if not names:
        return []
    lines = view.name_lines(names)
    if not lines:
        return []
    linked = {(k.src, k.line, k.path) for k in links_in}
    rows = ((n.key, n.src, n.line, n.text, n.src_date) for n in lines)
    return find_unlinked(rows, names, linked, person_like)


def mention_facts(gathering: Gathering, around: frozenset[str] | None = None) -> MentionFacts:
    """Gather `MentionFacts` around every contact, or `around` these alone (the few the
    Reconnect page suggests: what their shares and briefs read), in two queries after the run's
    `PeopleFacts`. Once the run has them around everyone, those serve every scope."""
    if around is not None and gathering.gathered(mention_facts):
        return gathering.facts(mention_facts)
    people = gathering.facts(people_facts)
    contacts = people.rows.keys() if around is None else around
    sources = {link.src for path in contacts for link in people.into(path)}
    links_out: dict[str, list[LinkRow]] = defaultdict(list)
    with bulk_records():
        for link in gathering.view.links_from(sources | contacts):
            links_out[link.src].append(link)
    return MentionFacts(
        {src: tuple(links) for src, links in links_out.items()}, gathering.view.tags_of(sources)
    )


def person_candidates(
    view: IndexView, config: PeopleConfig, among: AbstractSet[str] | None = None
) -> set[str]:
    """The user notes that can be people: in a people folder, or with a property word of a
    person tag or type (a superset: `is_person_note` still decides). With `among`, only those
    of these paths, and any of them in a people folder even when it is not a user note (for a
    caller that asks about a few paths: 100,000 folder checks cost 0.3 s)."""
    folders = {fold(f) for f in config.folders}
    paths = view.user_note_paths() if among is None else among
    found = {path for path in paths if in_folder(path, folders)}
    words = {w for name in (*config.tags, *config.types) for w in _words(name)}
    worded = view.paths_with_words(KIND_KEYS, words)
    return found | (worded if among is None else worded & among)


def _words(name: str) -> Iterable[str]:
    return WORD.findall(fold(name))


UNFINISHED_KEYS = ("status", "draft", "share")
"""The properties that can make a note the user's unfinished work (`share.is_unfinished`)."""


@dataclass(frozen=True, slots=True)
class NoteProperties:
    """The properties of the few notes whose `status`, `draft` or `share` may say they are the
    user's unfinished work (what `share.is_unfinished` reads)."""

    properties: dict[str, dict[str, Any]]
    """Path -> properties."""


def unfinished_candidates(gathering: Gathering) -> NoteProperties:
    """Gather `NoteProperties`: the user notes with a `status` word of `[reconnect]
    unfinished_status`, a `draft` or a `share` flag (two queries, few notes)."""
    config = gathering.settings.table(ReconnectConfig)
    words = {w for status in config.unfinished_status for w in _words(status)}
    words |= {"true", "false", "yes", "no"}
    paths = gathering.view.paths_with_words(UNFINISHED_KEYS, words)
    return NoteProperties({row.path: row.properties() for row in gathering.view.notes(paths)})


def idea_facts(gathering: Gathering) -> IdeaFacts:
    """Gather `IdeaFacts`: every note's head and tags (two queries), less the people, daily
    notes and meetings (from the run's `PeopleFacts`)."""
    return _ideas_among(gathering, None)


def idea_facts_again(gathering: Gathering, earlier: IdeaFacts, changed: set[str]) -> IdeaFacts:
    """`IdeaFacts` from those of an earlier run, `earlier`, whose people facts this run took
    over (`vaultnet.people.carry`): the notes at `changed` asked again (two small queries), every
    other one as it was (what decides whether it can be an idea did not change)."""
    fresh = _ideas_among(gathering, changed)
    titles = {p: t for p, t in earlier.titles.items() if p not in changed} | fresh.titles
    tags = {p: t for p, t in earlier.tags.items() if p not in changed} | fresh.tags
    return IdeaFacts(
        dict(sorted(titles.items())), {p: tags[p] for p in sorted(titles) if p in tags}
    )


def ideas_near(
    gathering: Gathering, around: frozenset[str], fits: frozenset[str] = frozenset()
) -> IdeaFacts:
    """Gather the `IdeaFacts` of the notes an idea shared with the contacts `around` can be, or
    was (`vaultnet.people.share`, their briefs): the notes linked with them, those that mention
    them and what those link to, and those tagged with one of their interests, their notes'
    topics or the `fits` (`share.fit_tags`: tags their note's words or the lines where you met
    them name) (three queries after the run's mention facts). Once the run has every idea, that
    serves every scope."""
    if gathering.gathered(idea_facts):
        return gathering.facts(idea_facts)
    people = gathering.facts(people_facts)
    mentions = gathering.facts(mention_facts, around)
    ignore = set(gathering.settings.table(ReconnectConfig).topic_ignore_tags)
    contacts = [c for c in people.people.contacts if c.path in around]
    tags = {t for c in contacts for t in interests_of(c, ignore)}
    sources = {link.src for path in around for link in people.into(path)}
    tags |= {t for src in sources for t in mentions.tags.get(src, ())} - ignore
    tags |= fits
    out = (k.path for src in {*around, *sources} for k in mentions.links_out.get(src, ()))
    linked = {path for path in out if path is not None}
    candidates = sources | linked | gathering.view.paths_tagged(tags)
    # what the links already tell rules out most candidates (the daily and meeting notes)
    candidates -= people.person_like
    candidates -= {
        k.src for k in people.links_in if not k.src_user or (k.src_date and not k.commented)
    }
    return _ideas_among(gathering, candidates)


def note_words(gathering: Gathering, around: frozenset[str]) -> dict[str, set[str]]:
    """Path -> the words of each note at `around` (`IndexView.term_words`: what sharing reads of
    a person's note), in one query."""
    return gathering.view.term_words(around)


def _ideas_among(gathering: Gathering, paths: set[str] | None) -> IdeaFacts:
    people = gathering.facts(people_facts)
    view = gathering.view
    with bulk_records():  # every note's head and tags: no collector passes over them
        return idea_facts_from(
            view.note_heads(paths),
            view.tags_of(paths),
            person=people.person_like,
            mentioning=people.mentioning,
            daily=gathering.settings.obsidian.daily_date,
        )
