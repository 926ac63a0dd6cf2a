"""What to share with a suggested person: idea notes that match their interests and were never
shared with them. Pure, over the run's `PeopleFacts` and `IdeaFacts`. Every formula is in
`docs/reconnect.md`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact, interests_of
from vaultnet.people.facts import MentionFacts, PeopleFacts

if TYPE_CHECKING:
    from vaultnet.ideas import IdeaFacts
    from vaultnet.index.rows import IncomingLink, LinkRow, NoteRow


@dataclass(frozen=True, slots=True)
class Share:
    path: str
    title: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IdeaPool:
    """What scoring reads: the idea notes a share can be, and the index's facts around them."""

    ideas: dict[str, str]
    """Path -> title of the candidate notes that are ideas."""
    by_tag: dict[str, list[str]]
    """Lower-cased tag -> the ideas that carry it, by path."""
    tags: Mapping[str, Set[str]]
    """Path -> lower-cased tags of the notes that mention people."""
    links_out: Mapping[str, Iterable[LinkRow]]
    """Links written in people's notes and in the notes that mention them."""


def shared_paths(
    person: str,
    dated_lines: set[int],
    links_in: Iterable[IncomingLink],
    links_out: Mapping[str, Iterable[LinkRow]],
) -> set[str]:
    """The notes already shared with the person at `person`: those a dated note that mentions
    them links to, and those a dated line of their own note (`dated_lines`) links to."""
    shared: set[str] = set()
    for src in {k.src for k in links_in if not k.commented and k.src_date is not None}:
        shared |= {link.path for link in links_out.get(src, ()) if link.path}
    for link in links_out.get(person, ()):
        if link.path is not None and not link.link.commented and link.link.line in dated_lines:
            shared.add(link.path)
    return shared


def share_ideas(
    contact: Contact,
    dated_lines: set[int],
    links_in: Iterable[IncomingLink],
    pool: IdeaPool,
    config: ReconnectConfig,
) -> tuple[Share, ...]:
    """Up to `share_limit` idea notes matching the person's interests, never shared with them.

    +2 for each tag the idea shares with the person's note, +3 when the idea and the person's
    note link each other, +1 for each tag the idea shares with the notes that mention the person
    (its topics). Shared = a dated note (or a dated line in the person's note) links both.
    `dated_lines` are the line numbers of the dated lines in the person's note."""
    ignore = set(config.topic_ignore_tags)
    interests = interests_of(contact, ignore)
    mentions = [link for link in links_in if not link.commented]
    sources = {link.src for link in mentions}
    topics: set[str] = set()
    for src in sources:
        topics |= pool.tags.get(src, set())
    topics -= ignore | interests
    shared = shared_paths(contact.path, dated_lines, mentions, pool.links_out)
    linked: set[str] = {src for src in sources if src in pool.ideas}
    for link in pool.links_out.get(contact.path, ()):
        dated = link.link.line in dated_lines
        if link.path in pool.ideas and not link.link.commented and not dated:
            linked.add(link.path)
    scores: dict[str, int] = defaultdict(int)
    matched: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for path in linked:
        scores[path] += 3
    for kind, tags, points in ((0, interests, 2), (1, topics, 1)):
        for tag in sorted(tags):
            for path in pool.by_tag.get(tag, ()):
                scores[path] += points
                matched[path][kind].append(f"#{tag}")
    first = contact.name.split()[0] if contact.name.split() else contact.name

    def reasons(path: str) -> tuple[str, ...]:
        own, topic = matched[path]
        out = [f"linked with {first}'s note"] if path in linked else []
        if own:
            out.append(f"about {', '.join(own)}, like {first}'s note")
        if topic:
            out.append(f"about {', '.join(topic)}, a topic of your notes with {first}")
        return tuple(out)

    ranked = sorted(
        (p for p in scores if p not in shared and p != contact.path),
        key=lambda p: (-scores[p], p),
    )
    return tuple(
        Share(p, pool.ideas[p], scores[p], reasons(p)) for p in ranked[: config.share_limit]
    )


def idea_pool(
    mentions: MentionFacts,
    ideas: IdeaFacts,
    config: ReconnectConfig,
    only: Set[str] | None = None,
) -> IdeaPool:
    """The ideas `[reconnect]`'s rule admits (`only`: of these alone; a note's score reads only
    its own tags and links, so narrowing changes no score), with what scoring reads."""
    chosen = ideas.under(config.idea_rule)
    if only is not None:
        chosen = {path: title for path, title in chosen.items() if path in only}
    return IdeaPool(chosen, ideas.by_tag(chosen), mentions.tags, mentions.links_out)


def shares_for(
    contacts: Iterable[Contact], people: PeopleFacts, pool: IdeaPool, config: ReconnectConfig
) -> dict[str, tuple[Share, ...]]:
    """Path -> what to share, for each of `contacts`."""
    return {
        c.path: share_ideas(c, dated_lines(people.rows[c.path]), people.into(c.path), pool, config)
        for c in contacts
    }


def dated_lines(row: NoteRow) -> set[int]:
    """The line numbers of the dated lines of a person's note (`- 2026-03-07 coffee`)."""
    return {line for line, _, _ in row.dated_lines}
