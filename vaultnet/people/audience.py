"""The people who would care about an idea: what-to-share read the other way round. For one idea
note, the contacts whose interests it matches (the same scoring as `vaultnet.people.share`, one
implementation), never someone it was already shared with, and never an inactive contact."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vaultnet.errors import NoteNotFound
from vaultnet.people.brief import PeopleFacts, load_facts
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.share import idea_titles, interests_of, load_shares
from vaultnet.vault.resolve import fold

if TYPE_CHECKING:
    from vaultnet.index.store import Store
    from vaultnet.vault.settings import VaultSettings

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
CHUNK = 200
"""Contacts scored at a time: every idea a contact matches is held only for one chunk."""


def load_audience(
    store: Store,
    people_config: PeopleConfig,
    config: ReconnectConfig,
    idea: str,
    today: dt.date,
    settings: VaultSettings | None = None,
    k: int = 5,
) -> tuple[Listener, ...]:
    """The `k` contacts best matched to the idea note at vault path `idea`, best first (score,
    then name); a note that is not an idea under `[reconnect]`'s rule is a `NoteNotFound`."""
    facts = load_facts(store, people_config, today)
    if not idea_titles(store, [idea], facts.people, facts.links, config, settings):
        raise NoteNotFound(
            f"{idea}: not an idea note (a person, daily or meeting note, template, excluded or "
            "generated page); the audience is for ideas"
        )
    return audiences(store, facts, config, [idea], settings, k).get(idea, ())


def audiences(
    store: Store,
    facts: PeopleFacts,
    config: ReconnectConfig,
    ideas: list[str],
    settings: VaultSettings | None = None,
    k: int = 5,
) -> dict[str, tuple[Listener, ...]]:
    """Idea path -> its `k` best listeners, for the ideas that have any. A contact's score for an
    idea depends only on the contact and the idea, so scoring only the contacts the ideas can
    reach (a few ideas) and scoring every contact (many) give the same audiences."""
    contacts = {c.path: c for c in facts.people.contacts if c.status != "inactive"}
    wanted = set(ideas)
    reach = (
        _reach(store, facts, config, ideas, contacts)
        if len(ideas) <= REACH_UP_TO
        else set(contacts)
    )
    chosen = [contacts[p] for p in sorted(reach)]
    every = replace(config, share_limit=ALL)
    found: dict[str, list[Listener]] = defaultdict(list)
    for start in range(0, len(chosen), CHUNK):
        part = chosen[start : start + CHUNK]
        shares = load_shares(
            store, part, facts.rows, facts.people, facts.links, every, settings, wanted
        )
        for contact in part:
            for share in shares[contact.path]:
                if share.path in wanted:
                    found[share.path].append(Listener(contact, share.score, share.reasons))
    return {idea: tuple(sorted(found[idea], key=_rank)[:k]) for idea in sorted(found)}


def _rank(listener: Listener) -> tuple[int, str, str]:
    return (-listener.score, fold(listener.contact.name), listener.contact.path)


def _reach(
    store: Store,
    facts: PeopleFacts,
    config: ReconnectConfig,
    ideas: list[str],
    contacts: dict[str, Contact],
) -> set[str]:
    """The contacts these ideas can score with: tagged like one, linked with one, or mentioned
    in notes tagged like one."""
    ignore = set(config.topic_ignore_tags)
    tags = {t for found in store.tags_of(ideas).values() for t in found} - ignore
    reach = {c for c, contact in contacts.items() if interests_of(contact, ignore) & tags}
    for idea in ideas:
        reach |= {k.path for k in store.links_from(idea) if k.path in contacts}
        reach |= {k.src for k in store.links_to(idea) if k.src in contacts}
    topical = {p for paths in store.paths_tagged(tags).values() for p in paths}
    links = facts.links
    reach |= {k.path for k in links if k.src in topical and k.path in contacts and not k.commented}
    return reach
