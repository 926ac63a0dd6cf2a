"""The people who would care about an idea: what-to-share read the other way round. For one idea
note, the contacts whose interests it matches (the same scoring as `vaultnet.people.share`, one
implementation), never someone it was already shared with, and never an inactive contact. Pure,
over the run's people and idea facts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vaultnet.errors import NoteNotFound
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact, interests_of
from vaultnet.people.facts import MentionFacts, PeopleFacts, idea_facts, mention_facts, people_facts
from vaultnet.people.share import idea_pool, shares_for
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
    return audiences(people, mentions, ideas, config, [idea], k).get(idea, ())


def audiences(
    people: PeopleFacts,
    mentions: MentionFacts,
    ideas: IdeaFacts,
    config: ReconnectConfig,
    wanted: list[str],
    k: int = 5,
) -> dict[str, tuple[Listener, ...]]:
    """Idea path -> its `k` best listeners, for the ideas of `wanted` that have any. A
    contact's score for an idea depends only on the contact and the idea, so scoring only the
    contacts the ideas can reach (a few ideas) and scoring every contact (many) give the same
    audiences."""
    contacts = {c.path: c for c in people.people.contacts if c.status != "inactive"}
    every = replace(config, share_limit=ALL)
    pool = idea_pool(mentions, ideas, every, only=set(wanted))
    reach = (
        _reach(people, mentions, ideas, config, wanted, contacts)
        if len(wanted) <= REACH_UP_TO
        else set(contacts)
    )
    found: dict[str, list[Listener]] = defaultdict(list)
    for path in sorted(reach):
        contact = contacts[path]
        for share in shares_for([contact], people, pool, every)[path]:
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
) -> set[str]:
    """The contacts these ideas can score with: tagged like one, linked with one, or mentioned
    in notes tagged like one."""
    ignore = set(config.topic_ignore_tags)
    tags = {t for idea in wanted for t in ideas.tags.get(idea, ())} - ignore
    reach = {c for c, contact in contacts.items() if interests_of(contact, ignore) & tags}
    chosen = set(wanted)
    for link in people.links_in:
        if link.path not in contacts:
            continue
        topical = not link.commented and not tags.isdisjoint(mentions.tags.get(link.src, ()))
        if link.src in chosen or topical:
            reach.add(link.path)
    for contact in contacts:
        if any(k.path in chosen for k in mentions.links_out.get(contact, ())):
            reach.add(contact)
    return reach
