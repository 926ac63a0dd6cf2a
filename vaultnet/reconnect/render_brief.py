"""Records -> markdown: a person's brief (the `brief` command and the brief pages), and its JSON.
Pure; every fact links the note it comes from and quotes its line."""

from __future__ import annotations

from typing import Any

from vaultnet.pages.inert import inert
from vaultnet.pages.links import LinkStyle
from vaultnet.people.brief import Brief, Fact
from vaultnet.people.contacts import contact_json
from vaultnet.people.rhythm import contact_strip
from vaultnet.reconnect.render import plain_quote
from vaultnet.vault.dates import parse_month_day
from vaultnet.vault.resolve import note_stem
from vaultnet.words import ago, days, plural, within

LABELS = {
    "how_met": "how you met",
    "emails": "email",
    "phones": "phone",
    "linkedin": "LinkedIn",
}
"""A detail's words where its property's name is not a word."""
NONE_YET = [
    "- None recorded yet: a daily or meeting note that links them records one (or "
    "`vaultnet touch NAME`)."
]
"""What the empty "Last interactions" section says would fill it."""
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _where(path: str, line: int, links: LinkStyle | None) -> str:
    """The note (a link on a page, its path in a terminal) and the line, when it is one."""
    place = links.link(path) if links else path
    return f"{place}, line {line}" if line else place


def _fact(fact: Fact, links: LinkStyle | None, *, dated: bool = True) -> str:
    when = f"{fact.date.isoformat()}: " if dated and fact.date else ""
    if fact.property:  # `attendees: [...]` reads better as where the person is listed
        key = fact.text.split(":", 1)[0].strip()
        return f"- {when}listed in {_words(key, links)} ({_where(fact.path, fact.line, links)})"
    quote = _words(plain_quote(fact.text), links)
    return f'- {when}"{quote}" ({_where(fact.path, fact.line, links)})'


def _words(text: str, links: LinkStyle | None) -> str:
    """Vault text on a page is inert (`vaultnet.pages.inert`); in a terminal it stays as written."""
    return inert(text) if links else text


def _name(path: str, links: LinkStyle | None) -> str:
    return links.link(path) if links else note_stem(path)


def render_brief(brief: Brief, links: LinkStyle | None) -> str:
    """The brief as markdown (`links`: the vault's link style on a page; None in a terminal,
    where notes are named by path)."""
    c = brief.contact
    last = c.last.date.isoformat() if c.last else "never"
    every = f"every {days(c.cadence_days)}" if c.cadence_days else "no cadence"
    since = f" ({ago(c.days_since)})" if c.days_since is not None else ""
    if c.last is not None:
        since += f", last 12 months {contact_strip(c)}"
    lines = [
        f"# Brief: {_words(c.name, links)}",
        "",
        f"{_name(c.path, links)}: {c.status}, {every}; last contact {last}{since}"
        + (f"; next due {c.next_due.isoformat()}" if c.next_due else "")
        + ".",
        "",
    ]
    who = [f"- {_detail(key, value, links)}" for key, value in brief.details]
    if c.aliases:
        who.insert(0, f"- also: {_words(', '.join(c.aliases), links)}")
    if c.tags:
        who.append(f"- tags: {_words(', '.join(t.lstrip('#') for t in c.tags), links)}")
    for written, path in brief.introduced_by:
        who.append(f"- introduced by {_name(path, links) if path else _words(written, links)}")
    if brief.introduced:
        who.append(f"- introduced you to {', '.join(_name(p, links) for p in brief.introduced)}")
    sections: list[tuple[str, list[str]]] = [
        ("Who", who),
        ("Last interactions", [_fact(f, links) for f in brief.interactions] or NONE_YET),
        ("Open follow-ups", [_fact(f, links) for f in brief.follow_ups]),
        ("From their note", [_fact(f, links) for f in brief.own_lines]),
        ("Mentioned elsewhere", [_fact(f, links, dated=False) for f in brief.mentions]),
        ("Ideas", _ideas(brief, links)),
        (
            "Often seen with",
            [f"- {_name(path, links)} ({plural(count, 'note')})" for path, count in brief.together],
        ),
        (
            "Dates",
            [f"- {d.kind} on {d.date.isoformat()} ({within(d.in_days)})" for d in brief.dates],
        ),
    ]
    for title, items in sections:
        if items:
            lines += [f"## {title}", "", *items, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _detail(key: str, value: str, links: LinkStyle | None) -> str:
    """A detail as `words: value`; a birthday without its year as the day it falls on."""
    label = LABELS.get(key, key.replace("_", " "))
    if key in ("birthday", "anniversary") and value.startswith("--"):
        month_day = parse_month_day(value)
        if month_day is not None:
            value = f"{MONTHS[month_day[0] - 1]} {month_day[1]} (year not known)"
    return f"{label}: {_words(plain_quote(value, limit=300), links)}"


def _ideas(brief: Brief, links: LinkStyle | None) -> list[str]:
    out = []
    if brief.share:
        out.append("- To share now:")
        out += [
            f"    - {links.link(s.path, s.title) if links else s.path}: "
            f"{_words('; '.join(s.reasons), links)}"
            for s in brief.share
        ]
    if brief.shared:
        shared = ", ".join(links.link(p, t) if links else p for p, t in brief.shared)
        out.append(f"- Already shared: {shared}")
    return out


def _fact_json(fact: Fact) -> dict[str, Any]:
    return {
        "text": fact.text,
        "path": fact.path,
        "line": fact.line,
        "date": fact.date.isoformat() if fact.date else None,
        "property": fact.property,
    }


def brief_json(brief: Brief) -> dict[str, Any]:
    """The `vaultnet brief --json` record: the person as `contacts --json` gives them (but
    `interactions`, here the last ones with their evidence), and each section of the brief."""
    person = {k: v for k, v in contact_json(brief.contact).items() if k != "interactions"}
    return {
        **person,
        "tags": list(brief.contact.tags),
        "details": dict(brief.details),
        "interactions": [_fact_json(f) for f in brief.interactions],
        "follow_ups": [_fact_json(f) for f in brief.follow_ups],
        "own_lines": [_fact_json(f) for f in brief.own_lines],
        "mentions": [_fact_json(f) for f in brief.mentions],
        "shared": [{"path": p, "title": t} for p, t in brief.shared],
        "share": [
            {"path": s.path, "title": s.title, "reasons": list(s.reasons)} for s in brief.share
        ],
        "introduced_by": [{"name": n, "path": p} for n, p in brief.introduced_by],
        "introduced": list(brief.introduced),
        "together": [{"path": p, "count": n} for p, n in brief.together],
        "dates": [
            {"kind": d.kind, "date": d.date.isoformat(), "in_days": d.in_days} for d in brief.dates
        ],
    }
