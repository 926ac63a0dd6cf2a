"""What to share with a person: idea notes that fit what the vault says about *them*, never
shared with them before. Pure, over the run's `PeopleFacts` and `IdeaFacts`. Every formula is in
`docs/reconnect.md`.

Evidence about a person is their own note (its tags, its words, the ideas it links) and the
lines where you met them (the tags and words on those lines): never the tags of a note they
merely attended, which would offer every attendee the same links. An idea scores
- +3 when it and the person's note link each other;
- +2 for each tag it shares with the person's note (their interests), and for each of its tags
  on a line where you met them;
- +1 for each of its tags written as a word in the person's note, or on a line where you met
  them, and +1 when two or more words of its title are in the person's note;
and is offered from a score of 2. Notes that are the user's unfinished work are never offered
(`is_unfinished`) unless tagged for sharing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vaultnet.people.config import ReconnectConfig
from vaultnet.people.contacts import Contact, interests_of
from vaultnet.people.facts import (
    MentionFacts,
    PeopleFacts,
    idea_facts,
    ideas_near,
    mention_facts,
    note_words,
    people_facts,
    unfinished_candidates,
)
from vaultnet.people.interactions import line_kind
from vaultnet.vault.syntax.tags import TAG_BODY, is_tag
from vaultnet.vault.terms import tokens

if TYPE_CHECKING:
    from vaultnet.ideas import IdeaFacts
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.rows import IncomingLink, LinkRow, NoteRow

MIN_SCORE = 2
"""Less evidence than this is no reason to send someone a note."""
TITLE_WORDS = 2
"""Words of an idea's title that must be in the person's note to count."""
_LINE_TAG = re.compile(r"(?<!\S)#(" + TAG_BODY.pattern + ")")


@dataclass(frozen=True, slots=True)
class Share:
    path: str
    title: str
    score: int
    reasons: tuple[str, ...]
    fit: float = 0.0
    """How specific the evidence is (each tag it rests on counts 1 / the ideas that carry it):
    between two ideas of one score, the one only this fits goes first."""


@dataclass(frozen=True, slots=True)
class IdeaPool:
    """What scoring reads: the idea notes a share can be, and the index's facts around them."""

    ideas: dict[str, str]
    """Path -> title of the candidate notes that are ideas (the user's unfinished work left out)."""
    by_tag: dict[str, list[str]]
    """Lower-cased tag -> the ideas that carry it, by path."""
    links_out: Mapping[str, Iterable[LinkRow]]
    """Links written in people's notes and in the notes that mention them."""
    tag_words: dict[str, str] = field(default_factory=dict)
    """A tag's one word (as the index counts words) -> the tag: `#climate` is `climate`."""
    _title_words: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def title_words(self, path: str) -> frozenset[str]:
        """The words of an idea's title (4 letters or more), read when first asked: only an idea
        with other evidence can use them (they add 1 point, and an offer needs 2)."""
        found = self._title_words.get(path)
        if found is None:
            found = frozenset(w for w in tokens(self.ideas[path]) if len(w) >= 4)
            self._title_words[path] = found
        return found


@dataclass(frozen=True, slots=True)
class Known:
    """What the vault says about one person that an idea can fit."""

    interests: set[str]
    """Their note's tags (less the tags of kind and relation)."""
    words: Set[str]
    """The words of their note (`vaultnet.vault.terms`)."""
    met_tags: dict[str, dt.date]
    """Tags on the lines where you met them -> the latest such line's date."""
    met_words: dict[str, dt.date]
    """Words on those lines -> the latest such line's date."""
    linked: set[str]
    """Ideas their note links (outside its dated lines), or that link them."""


def line_tags(text: str) -> set[str]:
    """The lower-cased tags written on a line, as Obsidian reads them (`#climate.` is
    `climate`; `a#b` is none)."""
    return {m.lower() for m in _LINE_TAG.findall(text) if is_tag(m)}


def is_unfinished(properties: dict[str, Any], tags: Set[str], config: ReconnectConfig) -> bool:
    """The user's own unfinished work: `draft: true`, a `status` of `unfinished_status`
    (`draft`, `wip`, `idea`, `in progress`, ...) or a tag of `unfinished_tags`; or `share:
    false`. A tag of `share_tags` (or `share: true`) offers it all the same."""
    share = _flag(properties.get("share"))
    if share is not None:
        return not share
    if not tags.isdisjoint(config.share_tags):
        return False
    status = properties.get("status")
    statuses = status if isinstance(status, list) else [status]
    return (
        _flag(properties.get("draft")) is True
        or any(
            isinstance(s, str) and s.strip().lower() in config.unfinished_status for s in statuses
        )
        or not tags.isdisjoint(config.unfinished_tags)
    )


def unfinished_ideas(
    ideas: IdeaFacts, properties: Mapping[str, dict[str, Any]], config: ReconnectConfig
) -> set[str]:
    """The idea notes that are the user's unfinished work (`is_unfinished`): among the notes
    whose properties may say so (`properties`) and those tagged as such."""
    empty: frozenset[str] = frozenset()
    tagged = {p for p, tags in ideas.tags.items() if not tags.isdisjoint(config.unfinished_tags)}
    return {
        path
        for path in tagged | (properties.keys() & ideas.titles.keys())
        if is_unfinished(properties.get(path, {}), ideas.tags.get(path, empty), config)
    }


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "no", "false"):
        return value.strip().lower() in ("yes", "true")
    return None


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


def known_about(
    contact: Contact,
    row: NoteRow,
    links_in: Iterable[IncomingLink],
    met_lines: Iterable[tuple[str, dt.date]],
    words: Set[str],
    pool: IdeaPool,
    ignore: set[str],
) -> Known:
    """What an idea can fit in `contact`: their note and the lines where you met them
    (`met_lines`: (text, date))."""
    lines = dated_lines(row)
    met_tags: dict[str, dt.date] = {}
    met_words: dict[str, dt.date] = {}
    for text, day in met_lines:
        for tag in line_tags(text) - ignore:
            met_tags[tag] = max(day, met_tags.get(tag, day))
        for word in set(tokens(text)) & pool.tag_words.keys():
            met_words[word] = max(day, met_words.get(word, day))
    # a task that names them is a plan, not what the note is about
    linked = {
        k.src
        for k in links_in
        if not k.commented and k.src in pool.ideas and line_kind(k.context) in ("plain", "quote")
    }
    for link in pool.links_out.get(contact.path, ()):
        if link.path in pool.ideas and not link.link.commented and link.link.line not in lines:
            linked.add(link.path)
    return Known(interests_of(contact, ignore), words, met_tags, met_words, linked)


def score_ideas(
    contact: Contact, known: Known, pool: IdeaPool, ignore: set[str]
) -> dict[str, tuple[int, list[str], float]]:
    """Idea path -> (score, reasons, fit) of every idea with any evidence for the person."""
    first = contact.name.split()[0] if contact.name.split() else contact.name
    points: dict[str, int] = defaultdict(int)
    fit: dict[str, float] = defaultdict(float)
    why: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    def add(tag: str, n: int, kind: str, shown: str) -> None:
        ideas = pool.by_tag.get(tag, ())
        for path in ideas:
            points[path] += n
            fit[path] += n / len(ideas)
            why[path][kind].append(shown)

    for path in sorted(known.linked):
        points[path] += 3
        fit[path] += 3
        why[path]["linked"].append("")
    for tag in sorted(known.interests):
        add(tag, 2, "own", f"#{tag}")
    for tag, day in sorted(known.met_tags.items()):
        if tag not in known.interests:
            add(tag, 2, f"met {day.isoformat()}", f"#{tag}")
    for word, tag in sorted(pool.tag_words.items()):
        if tag in known.interests or tag in ignore:
            continue
        if word in known.words:
            add(tag, 1, "word", word)
        when = known.met_words.get(word)
        if when is not None and tag not in known.met_tags:
            add(tag, 1, f"met {when.isoformat()}", word)
    for path in sorted(points.keys() - known.linked):  # a link's own words are no more
        found = sorted(pool.title_words(path) & known.words)
        if len(found) >= TITLE_WORDS:
            points[path] += 1
            why[path]["title"] += found
    return {p: (n, _reasons(why[p], first), round(fit[p], 6)) for p, n in points.items()}


def _reasons(why: dict[str, list[str]], first: str) -> list[str]:
    out = []
    for kind, items in sorted(why.items(), key=lambda kv: _ORDER.get(kv[0][:3], 9)):
        shown = ", ".join(dict.fromkeys(items))
        if kind == "linked":
            out.append(f"linked with {first}'s note")
        elif kind == "own":
            out.append(f"about {shown}, like {first}'s note")
        elif kind == "word" or kind == "title":
            out.append(f"{first}'s note mentions {shown}")
        else:
            out.append(f"about {shown}, as when you met {first} on {kind[4:]}")
    return out


_ORDER = {"lin": 0, "own": 1, "met": 2, "wor": 3, "tit": 4}


def share_ideas(
    contact: Contact, known: Known, shared: Set[str], pool: IdeaPool, config: ReconnectConfig
) -> tuple[Share, ...]:
    """Every idea the evidence about the person supports (score >= `MIN_SCORE`), never one
    already `shared` with them, best first (then the more specific fit, then by path)."""
    scores = score_ideas(contact, known, pool, set(config.topic_ignore_tags))
    ranked = sorted(
        (p for p, (n, _, _) in scores.items() if n >= MIN_SCORE and p not in shared),
        key=lambda p: (-scores[p][0], -scores[p][2], p),
    )
    return tuple(
        Share(p, pool.ideas[p], scores[p][0], tuple(scores[p][1]), scores[p][2]) for p in ranked
    )


def idea_pool(
    mentions: MentionFacts,
    ideas: IdeaFacts,
    config: ReconnectConfig,
    only: Set[str] | None = None,
    unfinished: Set[str] = frozenset(),
) -> IdeaPool:
    """The ideas `[reconnect]`'s rule admits but `unfinished` (`only`: of these alone; a note's
    score reads only its own tags and links, so narrowing changes no score), with what scoring
    reads."""
    chosen = ideas.under(config.idea_rule)
    chosen = {
        path: title
        for path, title in chosen.items()
        if path not in unfinished and (only is None or path in only)
    }
    by_tag = ideas.by_tag(chosen)
    tag_words = {}
    for tag in sorted(by_tag):
        words = list(tokens(tag))
        if len(words) == 1 and words[0] not in tag_words:
            tag_words[words[0]] = tag
    return IdeaPool(chosen, by_tag, mentions.links_out, tag_words)


def share_pool(gathering: Gathering, around: frozenset[str] | None = None) -> IdeaPool:
    """The ideas to share with the contacts `around` (None: with anyone), the user's unfinished
    work left out (gathered once per scope: the page and its briefs read the same)."""
    config = gathering.settings.table(ReconnectConfig)
    ideas = ideas_for(gathering, around)
    unfinished = unfinished_ideas(ideas, gathering.facts(unfinished_candidates).properties, config)
    mentions = gathering.facts(mention_facts, *([] if around is None else [around]))
    return idea_pool(mentions, ideas, config, unfinished=unfinished)


def ideas_for(gathering: Gathering, around: frozenset[str] | None) -> IdeaFacts:
    """The idea facts sharing with the contacts `around` reads: the notes near them and those
    tagged as their note's words or the lines where you met them say (`fit_tags`); every idea
    when `around` is None or the run has them all. A narrower pool scores each of them alike:
    an idea's score reads only its own tags and links, and every tag that can score for them
    is asked in full."""
    if around is None or gathering.gathered(idea_facts):
        return gathering.facts(idea_facts)
    return gathering.facts(ideas_near, around, gathering.facts(fit_tags, around))


def fit_tags(gathering: Gathering, around: frozenset[str]) -> frozenset[str]:
    """The tags an idea can fit the contacts `around` by, beyond their note's tags and those of
    the notes that mention them: the tags on the lines where you met them, and the vault's
    one-word tags written as a word in their note or on those lines (one query: the tag
    names)."""
    people = gathering.facts(people_facts)
    words = gathering.facts(note_words, around)
    found: set[str] = set()
    said: set[str] = set()
    for contact in people.people.contacts:
        if contact.path in around:
            said |= words.get(contact.path, set())
            for text, _ in met_lines(contact, people):
                found |= line_tags(text)
                said.update(tokens(text))
    for tag in gathering.view.tag_names():
        one = list(tokens(tag))
        if len(one) == 1 and one[0] in said:
            found.add(tag)
    return frozenset(found)


def met_lines(contact: Contact, people: PeopleFacts) -> list[tuple[str, dt.date]]:
    """The lines where you met the person: their interactions' evidence (dated notes, their own
    dated lines, counted unlinked mentions), properties left out."""
    return [(e.text, i.date) for i in contact.interactions for e in i.evidence if not e.frontmatter]


def shares_for(
    contacts: Iterable[Contact],
    people: PeopleFacts,
    pool: IdeaPool,
    config: ReconnectConfig,
    words: Mapping[str, Set[str]] | None = None,
) -> dict[str, tuple[Share, ...]]:
    """Path -> every idea to share, for each of `contacts`; `words`: the words of their notes
    (`IndexView.terms`), when known."""
    ignore = set(config.topic_ignore_tags)
    out = {}
    for c in contacts:
        row, into = people.rows[c.path], people.into(c.path)
        known = known_about(
            c, row, into, met_lines(c, people), (words or {}).get(c.path, set()), pool, ignore
        )
        shared = shared_paths(c.path, dated_lines(row), into, pool.links_out)
        out[c.path] = share_ideas(c, known, shared, pool, config)
    return out


def dated_lines(row: NoteRow) -> set[int]:
    """The line numbers of the dated lines of a person's note (`- 2026-03-07 coffee`)."""
    return {line for line, _, _ in row.dated_lines}
