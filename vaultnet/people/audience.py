"""The people who would care about an idea: what-to-share read the other way round. For one idea
note, the contacts whose interests it matches (the same scoring as `vaultnet.people.share`, one
implementation), never someone it was already shared with, and never an inactive contact. Pure,
over the run's people and idea facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vaultnet.errors import NoteNotFound
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact, interests_of
from vaultnet.people.facts import MentionFacts, PeopleFacts, idea_facts, mention_facts, people_facts
from vaultnet.people.share import idea_pool, met_lines, shares_for
from vaultnet.vault.resolve import fold

if TYPE_CHECKING:
    from vaultnet.ideas import IdeaFacts
    from vaultnet.index.gathering import Gathering

ALL = 1_000_000
"""A share limit no vault reaches: every idea a person's interests match is scored."""


@dataclass(frozen=True, slots=True)
class Listener:
    """A contact who would care about the idea, and why."""

    contact: Contact
    score: int
    reasons: tuple[str, ...]


REACH_UP_TO = 20
"""Up to this many ideas, only the contacts they can reach are scored; beyond, every contact."""


def audience_of(gathering: Gathering, idea: str, k: int = 5) -> tuple[Listener, ...]:
    """The `k` contacts best matched to the idea note at vault path `idea`, best first (score,
    then name); a note that is not an idea under `[reconnect]`'s rule is a `NoteNotFound`."""
    config = gathering.settings.table(ReconnectConfig)
    ideas = gathering.facts(idea_facts)
    if idea not in ideas.under(config.idea_rule):
        raise NoteNotFound(
            f"{idea}: not an idea note (a person, daily or meeting note, template, excluded or "
            "generated page); the audience is for ideas"
        )
    people, mentions = gathering.facts(people_facts), gathering.facts(mention_facts)
    active = [c.path for c in people.people.contacts if c.status != "inactive"]
    words = gathering.view.term_words(active)
    return audiences(people, mentions, ideas, config, [idea], k, words).get(idea, ())


def audiences(
    people: PeopleFacts,
    mentions: MentionFacts,
    ideas: IdeaFacts,
    config: ReconnectConfig,
    wanted: list[str],
    k: int = 5,
    words: Mapping[str, Set[str]] | None = None,
) -> dict[str, tuple[Listener, ...]]:
    """Idea path -> its `k` best listeners, for the ideas of `wanted` that have any; `words`:
    the words of the contacts' notes, when known (else their words are no evidence). A
    contact's score for an idea depends only on the contact and the idea, so scoring only the
    contacts the ideas can reach (a few ideas) and scoring every contact (many) give the same
    audiences."""
    contacts = {c.path: c for c in people.people.contacts if c.status != "inactive"}
    every = replace(config, share_limit=ALL)
    pool = idea_pool(mentions, ideas, every, only=set(wanted))
    reach = (
        _reach(people, mentions, ideas, config, wanted, contacts, words)
        if len(wanted) <= REACH_UP_TO
        else set(contacts)
    )
    found: dict[str, list[Listener]] = defaultdict(list)
    for path in sorted(reach):
        contact = contacts[path]
        for share in shares_for([contact], people, pool, every, words)[path]:
            found[share.path].append(Listener(contact, share.score, share.reasons))
    return {idea: tuple(sorted(found[idea], key=_rank)[:k]) for idea in sorted(found)}


def _rank(listener: Listener) -> tuple[int, str, str]:
    return (-listener.score, fold(listener.contact.name), listener.contact.path)


def _reach(
    people: PeopleFacts,
    mentions: MentionFacts,
    ideas: IdeaFacts,
    config: ReconnectConfig,
    wanted: list[str],
    contacts: dict[str, Contact],
    words: Mapping[str, Set[str]] | None,
) -> set[str]:
    """The contacts these ideas can score with: tagged like one, linked with one, met on a
    line that holds one of its tags or their words, or whose note holds one as a word."""
    ignore = set(config.topic_ignore_tags)
    tags = {t for idea in wanted for t in ideas.tags.get(idea, ())} - ignore
    reach = {c for c, contact in contacts.items() if interests_of(contact, ignore) & tags}
    for path, contact in contacts.items():  # a superset: scoring decides
        lines = " ".join(text for text, _ in met_lines(contact, people)).casefold()
        if any(t in lines for t in tags) or any(t in (words or {}).get(path, ()) for t in tags):
            reach.add(path)
    chosen = set(wanted)
    for link in people.links_in:
        if link.path in contacts and link.src in chosen:
            reach.add(link.path)
    for path in contacts:
        if any(k.path in chosen for k in mentions.links_out.get(path, ())):
            reach.add(path)
    return reach
