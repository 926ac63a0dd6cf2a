"""What to share with a suggested person: idea notes that match their interests and were never
shared with them. `share_ideas` is pure; `load_shares` asks the index for only the notes a share
can come from (the ones linked with the suggested people or carrying one of their tags). Every
formula is in `docs/reconnect.md`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.ideas import IdeaRule, is_idea
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact, People, frontmatter_tags

if TYPE_CHECKING:
    from vaultnet.index.rows import IncomingLink, LinkRow, NoteRow
    from vaultnet.index.store import Store
    from vaultnet.vault.settings import VaultSettings


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
    tags: dict[str, set[str]]
    """Path -> lower-cased tags of the notes that mention the suggested people."""
    links_out: dict[str, list[LinkRow]]
    """Links written in the suggested people's notes and in the notes that mention them."""


def interests_of(contact: Contact, ignore: set[str]) -> set[str]:
    """The tags of the person's note (body and frontmatter), less the note-kind tags."""
    interests = {t.lower() for t in contact.tags} - ignore
    return interests | (frontmatter_tags(contact.properties) - ignore)


def shared_paths(
    person: str,
    dated_lines: set[int],
    links_in: Iterable[IncomingLink],
    links_out: dict[str, list[LinkRow]],
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


def load_shares(
    store: Store,
    suggested: list[Contact],
    rows: dict[str, NoteRow],
    people: People,
    links: list[IncomingLink],
    config: ReconnectConfig,
    settings: VaultSettings | None = None,
    only: set[str] | None = None,
) -> dict[str, tuple[Share, ...]]:
    """Path -> what to share, for each suggested contact. `rows` are the contacts' notes and
    `links` every link into a contact. Only the notes a share can be are read: the notes linked
    with the suggested people and those carrying one of their interests or topics. `settings`
    tell daily notes (by file name) apart; without them only dated notes that mention people
    are left out. `only`: consider these notes alone (their scores are the same as without it:
    a note's score reads only its own tags and links)."""
    wanted = {c.path for c in suggested}
    into: dict[str, list[IncomingLink]] = defaultdict(list)
    for link in links:
        if link.path in wanted:
            into[link.path].append(link)
    sources = {link.src for path in wanted for link in into[path]}
    links_out: dict[str, list[LinkRow]] = defaultdict(list)
    for out in store.links_out_of(sorted(wanted | sources)):
        links_out[out.src].append(out)
    source_tags = store.tags_of(sources)
    ignore = set(config.topic_ignore_tags)
    tags = {t for c in suggested for t in interests_of(c, ignore)}
    tags |= {t for found in source_tags.values() for t in found} - ignore
    if only is not None:
        tags &= {t for found in store.tags_of(only).values() for t in found}
    tagged = store.paths_tagged(tags)
    candidates = sources | {p for paths in tagged.values() for p in paths}
    candidates |= {k.path for path in wanted for k in links_out.get(path, ()) if k.path}
    if only is not None:
        candidates &= only
    # what the links already tell rules out most candidates (the daily and meeting notes)
    candidates -= people.person_paths
    candidates -= {k.src for k in links if not k.src_user or (k.src_date and not k.commented)}
    ideas = idea_titles(store, candidates, people, links, config, settings)
    pool = IdeaPool(
        ideas,
        {tag: [p for p in paths if p in ideas] for tag, paths in tagged.items()},
        source_tags,
        links_out,
    )
    return {
        c.path: share_ideas(
            c, {line for line, _, _ in rows[c.path].dated_lines}, into[c.path], pool, config
        )
        for c in suggested
    }


def idea_titles(
    store: Store,
    paths: Iterable[str],
    people: People,
    links: list[IncomingLink],
    config: ReconnectConfig,
    settings: VaultSettings | None,
) -> dict[str, str]:
    """Path -> title of the notes among `paths` that are ideas under `[reconnect]`'s rule
    (`links`: every link into a contact, which tells the notes that mention people)."""
    heads = store.note_heads(paths)
    mentions_people = {link.src for link in links if not link.commented}
    by_tags = config.exclude_tags or config.idea_tags
    candidate_tags = store.tags_of(heads) if by_tags else {}
    rule = IdeaRule(
        config.idea_folders, config.idea_tags, config.exclude_folders, config.exclude_tags
    )
    return {
        path: head.title
        for path, head in heads.items()
        if is_idea(
            head,
            candidate_tags.get(path, set()),
            person=path in people.person_paths,
            daily=settings is not None and settings.daily_date(path) is not None,
            mentions_people=path in mentions_people,
            rule=rule,
        )
    }
