"""The people who would care about an idea: what-to-share read the other way round. For one idea
note, the contacts whose interests it matches (the same scoring as `vaultnet.people.share`, one
implementation), never someone it was already shared with, and never an inactive contact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vaultnet.errors import NoteNotFound
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.people.contacts import Contact, assess, bulk_records, load_people
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
    then name). Only the contacts the idea can reach are scored: those tagged like it, linked
    with it, or mentioned in notes tagged like it."""
    with bulk_records():
        rows, person_like = load_people(store, people_config)
        links = store.incoming_links(r.path for r in rows)
        people = assess(rows, person_like, links, today, people_config)
    if not idea_titles(store, [idea], people, links, config, settings):
        raise NoteNotFound(
            f"{idea}: not an idea note (a person, daily or meeting note, template, excluded or "
            "generated page); the audience is for ideas"
        )
    contacts = {c.path: c for c in people.contacts if c.status != "inactive"}
    ignore = set(config.topic_ignore_tags)
    tags = store.tags_of([idea]).get(idea, set()) - ignore
    reach = {c for c, contact in contacts.items() if interests_of(contact, ignore) & tags}
    reach |= {k.path for k in store.links_from(idea) if k.path in contacts}
    reach |= {k.src for k in store.links_to(idea) if k.src in contacts}
    topical = {p for paths in store.paths_tagged(tags).values() for p in paths}
    reach |= {k.path for k in links if k.src in topical and k.path in contacts and not k.commented}
    chosen = [contacts[p] for p in sorted(reach)]
    if not chosen:
        return ()
    every = replace(config, share_limit=ALL)
    by_path = {r.path: r for r in rows}
    shares = load_shares(store, chosen, by_path, people, links, every, settings)
    found = [
        Listener(contact, share.score, share.reasons)
        for contact in chosen
        for share in shares[contact.path]
        if share.path == idea
    ]
    found.sort(key=lambda f: (-f.score, fold(f.contact.name), f.contact.path))
    return tuple(found[:k])
