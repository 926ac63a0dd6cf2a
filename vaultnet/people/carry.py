"""The people facts a long-running process (the watcher) keeps from one batch to the next.

Gathering the people (`people_facts`: every contact's note, every link into them and every line
that names them, each contact assessed; `mention_facts` around them) is most of what a batch
pays for the Reconnect and Network pages and for a related page's "People who would care", and
an edit to an idea note leaves all of it as it was. So a batch takes them over from the batch
before when no file that changed since could change them (`carry_people`), and gathers them
again otherwise. A changed file could change them when it:

- came or went, or changed kind (a link elsewhere may now resolve to it, or no longer: an
  iCloud copy `Plan 2.md` is a conflict, out of the resolver, only while it starts as `Plan.md`);
- was or is a person's note, or may be one (in a people folder, with a person tag or type);
- was or is a source of a link into a contact, or links to one now (vaultnet's pages aside);
- was or is a dated note, or holds dated lines (where contact is counted and names are found).

The files compared are every file of the index (content hash and kind) when the earlier batch
began and now, vaultnet's own pages written in between included. A page of vaultnet's that
changed changes nothing here unless it came or went: the people facts never read vaultnet's pages
(`contact_links`), and the related pages' "People who would care" link to contacts on every run.
Reading the index for this is never the batch's undoing: on any error nothing is carried, and the
batch's own reads meet a damaged index and heal it as they did.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.index.rows import changed_files
from vaultnet.people.config import PeopleConfig
from vaultnet.people.facts import (
    contact_links,
    idea_facts,
    idea_facts_again,
    mention_facts,
    people_facts,
    person_candidates,
    person_notes,
)
from vaultnet.people.occasions import occasion_facts

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import FileState

log = logging.getLogger(__name__)
CARRIED = frozenset({person_notes, contact_links, people_facts, mention_facts, occasion_facts})
"""The gathers whose facts a batch can take over (every scope of each). The occasions (who was
seen together: the briefs read them) are made from the people facts and from the list items the
links into the contacts sit in, read for those links alone (their sources, never vaultnet's
pages, are the files the check looks at)."""


@dataclass(frozen=True, slots=True)
class KeptPeople:
    """A batch's gathering, and the index's files when it began."""

    gathering: Gathering
    files: dict[str, FileState]


def carry_people(kept: KeptPeople | None, now: Gathering) -> KeptPeople | None:
    """Give the run `now` the people facts of the run `kept` holds when nothing that changed
    since can change them (and its idea facts, with the notes that changed asked again); what
    to keep for the next run."""
    try:
        files = now.view.file_states()
        if kept is not None:
            _carry(kept, now, files)
    except Exception:
        log.debug("people facts not carried over", exc_info=True)
        return None
    return KeptPeople(now, files)


def _carry(kept: KeptPeople, now: Gathering, files: dict[str, FileState]) -> None:
    earlier = kept.gathering
    changed, moved = changed_files(kept.files, files)
    if _unchanged(earlier, now, changed, moved):
        now.take(earlier, CARRIED)
        if earlier.gathered(idea_facts):
            now.put(idea_facts, idea_facts_again(now, earlier.facts(idea_facts), changed))


def _unchanged(earlier: Gathering, now: Gathering, changed: set[str], moved: set[str]) -> bool:
    """Whether the people facts `earlier` gathered hold for `now`, `changed` files later (of
    which `moved` came, went or changed kind)."""
    if earlier.today != now.today or earlier.settings != now.settings:
        return False
    if not earlier.gathered(people_facts):
        return False
    if not changed:
        return True
    if moved:
        return False
    found, reach = earlier.facts(person_notes), earlier.facts(contact_links)
    sources = {k.src for k in reach.links_in} | {u.src for u in reach.unlinked}
    if changed & (found.person_like | sources):
        return False
    view, config = now.view, now.settings.table(PeopleConfig)
    if person_candidates(view, config, among=changed):
        return False
    theirs = changed - view.generated_pages().keys()
    contacts = {row.path for row in found.contacts}
    if any(link.path in contacts for link in view.links_from(theirs)):
        return False
    return not any(row.date or row.dated_lines for row in view.notes(theirs))
