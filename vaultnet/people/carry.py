"""The people facts a long-running process (the watcher) keeps from one batch to the next.

Gathering the people (`people_facts`: every contact's note, every link into them and every line
that names them, each contact assessed; `mention_facts` around them) is most of what a batch
pays for the Reconnect and Network pages and for a related page's "People who would care", and
an edit to an idea note leaves all of it as it was. So a batch takes them over from the batch
before when no file that changed since could change them (`carry_people`), and gathers them
again otherwise. A changed file could change them when it:

- came or went (a link elsewhere may now resolve to it, or no longer);
- was or is a person's note, or may be one (in a people folder, with a person tag or type);
- was or is a source of a link into a contact, or is a note of the user's that links to one now;
- was or is a dated note of the user's, or holds dated lines (where contact is counted and names
  are found).

The files compared are every file of the index (content hash and kind) when the earlier batch
began and now, vaultnet's own pages written in between included. A page of vaultnet's that
changed changes nothing here unless it came or went: the people facts read the user's notes only
(`contact_links`), and the related pages' "People who would care" link to contacts on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import FileState

CARRIED = frozenset({person_notes, contact_links, people_facts, mention_facts})
"""The gathers whose facts a batch can take over (every scope of each)."""


@dataclass(frozen=True, slots=True)
class KeptPeople:
    """A batch's gathering, and the index's files when it began."""

    gathering: Gathering
    files: dict[str, FileState]


def carry_people(kept: KeptPeople | None, now: Gathering) -> KeptPeople:
    """Give the run `now` the people facts of the run `kept` holds when nothing that changed
    since can change them (and its idea facts, with the notes that changed asked again); what
    to keep for the next run."""
    files = now.view.file_states()
    if kept is None:
        return KeptPeople(now, files)
    earlier = kept.gathering
    changed = {p for p in files.keys() | kept.files.keys() if files.get(p) != kept.files.get(p)}
    if _unchanged(earlier, now, changed, came_or_went=files.keys() ^ kept.files.keys()):
        now.take(earlier, CARRIED)
        if earlier.gathered(idea_facts):
            now.put(idea_facts, idea_facts_again(now, earlier.facts(idea_facts), changed))
    return KeptPeople(now, files)


def _unchanged(
    earlier: Gathering, now: Gathering, changed: set[str], came_or_went: set[str]
) -> bool:
    """Whether the people facts `earlier` gathered hold for `now`, `changed` files later."""
    if earlier.today != now.today or earlier.settings != now.settings:
        return False
    if not earlier.gathered(people_facts):
        return False
    if not changed:
        return True
    if came_or_went:
        return False
    found, reach = earlier.facts(person_notes), earlier.facts(contact_links)
    sources = {k.src for k in reach.links_in} | {u.src for u in reach.unlinked}
    if changed & (found.person_like | sources):
        return False
    view, config = now.view, now.settings.table(PeopleConfig)
    if changed & person_candidates(view, config):
        return False
    mine = changed & view.user_note_paths()
    contacts = {row.path for row in found.contacts}
    if any(link.path in contacts for link in view.links_from(mine)):
        return False
    return not any(row.date or row.dated_lines for row in view.notes(mine))
