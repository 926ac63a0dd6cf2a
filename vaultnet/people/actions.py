"""What to do, not only why: the actions a suggestion carries, each with the line that proves it.
Pure, over the run's `PeopleFacts`; every rule is in `docs/reconnect.md`.

- `follow_up`: an open task that mentions them (a promise), oldest first;
- `thank`: someone they introduced you to (their `introduced_by`), or help a dated line records
  ("Lucas introduced me to ...", "Sam fixed ..."), in the last `thank_days`, with no contact
  since;
- `congratulate`: news about them in a dated line of the last `news_days` ("Mei got promoted"),
  with no contact since;
- `share`: an idea for them (`vaultnet.people.share`, added by the plan).

A line is about the person when they are the last person it names before the word ("Jane said
Mei got promoted" is Mei's news), or when it is a dated line of their own note that names no one
else before it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from vaultnet.people.config import HELP_WORDS, NEWS_WORDS, ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.facts import PeopleFacts
from vaultnet.people.groups import met_date
from vaultnet.people.interactions import Evidence, line_kind
from vaultnet.people.share import Share
from vaultnet.reasons import Reason
from vaultnet.vault.resolve import note_stem
from vaultnet.vault.syntax.markdown_links import MARKDOWN_LINK
from vaultnet.vault.syntax.wikilinks import replace_wikilinks

FOLLOW_UPS = 3
"""At most this many promises per person (the oldest)."""
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?:\[.\]\s+)?")


@dataclass(frozen=True, slots=True)
class Action:
    """A thing to do for a person: its kind, its words (which may name notes) and where the
    vault says so (`reason.path`, `line`: 0 for a property or no line)."""

    kind: str
    """`follow_up`, `thank`, `congratulate` or `share`."""
    reason: Reason
    line: int = 0
    unlinked: bool = False
    """The evidence names the person without a link."""


@dataclass(frozen=True, slots=True)
class Said:
    """A line that mentions a person, and who it mentions where."""

    src: str
    line: int
    text: str
    date: dt.date
    at: dict[str, int]
    """Contact path -> where in `text` they are first named (-1: nowhere found)."""
    own: str | None = None
    """The person whose own note holds the line, when it is one of their dated lines."""
    unlinked: bool = False


def plain_words(text: str) -> str:
    """A task or line as words: no list marker or checkbox, links as their text."""
    text = _LIST_MARK.sub("", text.strip())
    text = replace_wikilinks(
        text, lambda w: w.parts.display or note_stem(w.parts.target) or w.parts.link
    )
    return MARKDOWN_LINK.sub(lambda m: m[1], text)


def first_name(contact: Contact) -> str:
    words = contact.name.split()
    return words[0] if words else contact.name


@cache
def _pattern(words: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every word of `words` (longest first, as whole words, any case), and
    what each word (lower-cased) says."""
    phrases = sorted({w.lower() for w, _ in words}, key=lambda w: (-len(w), w))
    alternatives = "|".join(re.escape(w) for w in phrases)
    what: dict[str, str] = {}
    for word, said in words:
        what.setdefault(word.lower(), said)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE), what


def words_in(text: str, words: tuple[tuple[str, str], ...]) -> list[tuple[int, str]]:
    """(where, what it is) of each of `words` in `text`, as whole words, in text order."""
    pattern, what = _pattern(words)
    return [(m.start(), what[m.group().lower()]) for m in pattern.finditer(text)]


def about(said: Said, person: str, words: tuple[tuple[str, str], ...]) -> str | None:
    """What the line says happened to `person` (the first of `words` that is about them)."""
    for where, what in words_in(said.text, words):
        before = {p: at for p, at in said.at.items() if 0 <= at < where}
        if said.own == person and not (before.keys() - {person}):
            return what
        if person in before and max(before, key=lambda p: (before[p], p)) == person:
            return what
    return None


def follow_ups(contact: Contact, today: dt.date) -> tuple[Action, ...]:
    """The open tasks that mention them, oldest first: what was promised, and how long ago."""
    out = []
    for day, evidence in contact.pending[:FOLLOW_UPS]:
        words = plain_words(evidence.text)
        if day is None:
            when = "open task"
        elif day > today:
            when = f"planned for {day.isoformat()}"
        else:
            days = (today - day).days
            when = "promised today" if days == 0 else f"promised {_days(days)} ago"
        out.append(_action("follow_up", f"{words} ({when})", evidence, quote=False))
    return tuple(out)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _action(kind: str, words: str, evidence: Evidence, *, quote: bool = True) -> Action:
    if evidence.unlinked:
        words += " (named without a link)"
    reason = Reason.plain(words, evidence.path, evidence.text if quote else None)
    return Action(kind, reason, evidence.line, evidence.unlinked)


def share_action(share: Share) -> Action:
    """Share an idea: its note named, and why it fits."""
    return Action("share", Reason.naming("share ", [share.path], ": " + "; ".join(share.reasons)))


def contact_since(contact: Contact, day: dt.date) -> bool:
    """Whether there was contact on a day after `day`."""
    return contact.last is not None and contact.last.date > day


def thank_for_introductions(
    contact: Contact,
    people: PeopleFacts,
    contacts: Mapping[str, Contact],
    today: dt.date,
    days: int,
) -> Action | None:
    """Thank them for the people they introduced you to in the last `days` (the introduced
    person's first contact, else their `met` date), when you have not been in touch since."""
    recent: list[tuple[dt.date, str]] = []
    for path in contact.introduced:
        other = contacts.get(path)
        if other is None or other.status == "inactive":
            continue
        when = other.first.date if other.first is not None else met_date(other)
        if when is None or not 0 <= (today - when).days <= days or contact_since(contact, when):
            continue
        recent.append((when, path))
    if not recent:
        return None
    recent.sort()
    newest = recent[-1][1]
    line = next(
        (k.line for k in people.into(contact.path) if k.src == newest and k.kind == "frontmatter"),
        0,
    )
    reason = Reason.naming(f"thank {first_name(contact)} for introducing ", [p for _, p in recent])
    return Action("thank", Reason(reason.words, reason.notes, newest), line)


def from_lines(
    kind: str,
    contact: Contact,
    lines: Iterable[Said],
    words: tuple[tuple[str, str], ...],
    today: dt.date,
    days: int,
) -> Action | None:
    """The newest line of the last `days` that says `words` happened to them, when you have not
    been in touch since: thank them for it, or congratulate them on it."""
    for said in sorted(lines, key=lambda s: (s.date, s.src, s.line), reverse=True):
        if not 0 <= (today - said.date).days <= days or contact_since(contact, said.date):
            continue
        if line_kind(said.text) not in ("plain", "done-task"):
            continue
        what = about(said, contact.path, words)
        if what is None:
            continue
        name = first_name(contact)
        text = (
            f"congratulate {name} on the {what}"
            if kind == "congratulate"
            else f"thank {name} for the {what} of {said.date.isoformat()}"
        )
        evidence = Evidence(said.src, said.line, said.text, unlinked=said.unlinked)
        return _action(kind, text, evidence)
    return None


def lines_about(
    people: PeopleFacts, contacts: Mapping[str, Contact], since: dt.date, until: dt.date
) -> dict[str, list[Said]]:
    """Contact path -> the lines dated from `since` to `until` that mention them: lines of
    dated notes (linked, or counted unlinked mentions) and the dated lines of their own note,
    each with where every contact on it is named."""
    own_dates: dict[str, dict[int, dt.date]] = {}

    def own_date(path: str, line: int) -> dt.date | None:
        if path not in own_dates:
            own_dates[path] = {n: d for n, d, _ in people.rows[path].dated_lines}
        return own_dates[path].get(line)

    on_line: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    texts: dict[tuple[str, int], tuple[str, dt.date, bool]] = {}
    rows, person_like = people.rows, people.person_like
    for link in people.links_in:
        day = link.src_date
        if day is None:
            if link.src not in rows:
                continue
            day = own_date(link.src, link.line)  # a dated line of a person's own note
            if day is None:
                continue
        elif link.src in person_like:
            continue
        if day < since or day > until or link.commented or not link.src_user:
            continue
        key = (link.src, link.line)
        on_line[key].setdefault(link.path, link.target)
        texts[key] = (link.context, day, False)
    for mention in people.unlinked if people.counted else ():
        if since <= mention.src_date <= until and mention.src not in person_like:
            key = (mention.src, mention.line)
            on_line[key].setdefault(mention.path, mention.name)
            texts.setdefault(key, (mention.text, mention.src_date, True))
    for path, row in rows.items():
        for line, day, text in row.dated_lines:
            if since <= day <= until:
                on_line.setdefault((path, line), {})
                texts.setdefault((path, line), (text, day, False))
    found: dict[str, list[Said]] = defaultdict(list)
    for key, named in sorted(on_line.items()):
        text, day, unlinked = texts[key]
        owner = key[0] if key[0] in rows else None
        at = {p: _where(text, written, contacts.get(p)) for p, written in named.items()}
        said = Said(key[0], key[1], text, day, at, owner, unlinked)
        for path in {*named, *([owner] if owner else [])}:
            found[path].append(said)
    return found


def _where(text: str, written: str, contact: Contact | None) -> int:
    """Where a contact is first named in `text`: as the link or name was written, else their
    name, aliases or first name (-1: nowhere)."""
    folded = text.casefold()
    names = [written, note_stem(written)]
    if contact is not None:
        names += [contact.name, *contact.aliases, first_name(contact)]
    spots = [folded.find(n.casefold()) for n in names if n]
    spots = [s for s in spots if s >= 0]
    return min(spots) if spots else -1


def actions_for(
    contact: Contact,
    said: Iterable[Said],
    people: PeopleFacts,
    contacts: Mapping[str, Contact],
    today: dt.date,
    config: ReconnectConfig,
) -> tuple[Action, ...]:
    """A thank-you, then a congratulation: the actions that make a contact urgent (the
    follow-ups are added for the people shown, `follow_ups`; what to share comes later)."""
    said = list(said)
    thanks = thank_for_introductions(contact, people, contacts, today, config.thank_days)
    if thanks is None:
        help_words = (*config.help_words, *HELP_WORDS)
        thanks = from_lines("thank", contact, said, help_words, today, config.thank_days)
    news_words = (*config.news_words, *NEWS_WORDS)
    news = from_lines("congratulate", contact, said, news_words, today, config.news_days)
    return tuple(a for a in (thanks, news) if a is not None)
