"""Records -> markdown: the Reconnect page, and links written the way the vault writes them
(`useMarkdownLinks`, `newLinkFormat`). Pure; the page holds no timestamp."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from vaultnet.pages.inert import inert, no_tags
from vaultnet.pages.links import LinkStyle
from vaultnet.people.contacts import Contact
from vaultnet.people.reconnect import Plan, Suggestion
from vaultnet.people.rhythm import rhythm_strip
from vaultnet.reasons import Reason
from vaultnet.vault.resolve import note_stem
from vaultnet.vault.syntax.wikilinks import replace_wikilinks

GROUP_TITLES = {
    "current": "Keep in touch",
    "dormant": "Revive dormant ties",
    "new": "Follow up while it is fresh",
}
QUOTE_CHARS = 120
LAST_WORDS = ("last contact", "silent for")
"""How the reason that gives the last contact begins (`people.reconnect.reasons_for`)."""
_MDLINK = re.compile(r"!?\[([^\[\]]*)\]\((?:<[^>]*>|[^()\s]*)\)")
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?:\[.\]\s+)?")


def plain_quote(text: str) -> str:
    """A line as readable words: no list marker or checkbox, links as their text, tags and
    markup neutralised (so the page creates no links or tags; backticks become quotes, so no
    Dataview inline query), at most `QUOTE_CHARS`. A page also makes it inert (`reason_line`)."""
    text = _LIST_MARK.sub("", text.strip())
    text = replace_wikilinks(
        text, lambda w: w.parts.display or note_stem(w.parts.target) or w.parts.link
    )
    text = _MDLINK.sub(lambda m: m[1], text)
    text = text.replace("%%", "").replace("`", "'").replace('"', "'")
    text = no_tags(text)
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return text


def reason_line(reason: Reason, links: LinkStyle | None) -> str:
    """A reason in words; with `links`, as a page writes it (evidence as a link, every word
    inert: `vaultnet.pages.inert`), else as plain words naming a path (terminal/JSON)."""
    text = inert(reason.text) if links else reason.text
    if reason.path is not None:
        where = links.link(reason.path) if links else note_stem(reason.path)
        text += f": {where}"
    if reason.quote:
        quote = plain_quote(reason.quote)
        text += f' "{inert(quote) if links else quote}"'
    return text


def _suggestion(s: Suggestion, links: LinkStyle, brief: str | None, today: dt.date) -> list[str]:
    lines = [f"### {links.link(s.contact.path)}", ""]
    lines += [f"- {reason_line(r, links)}" for r in s.reasons]
    if s.contact.interactions:  # beside the last contact (else the first, for someone new)
        days = (i.date for i in s.contact.interactions)
        at = next((i for i, r in enumerate(s.reasons) if r.text.startswith(LAST_WORDS)), 0)
        lines.insert(3 + at, f"- last 12 months: {rhythm_strip(days, today)}")
    if brief:
        lines.append(f"- Before you call: {links.link(brief, 'brief')}")
    if s.share:
        lines.append("- Share:")
        lines += [
            f"    - {links.link(i.path, i.title)}: {inert('; '.join(i.reasons))}" for i in s.share
        ]
    return [*lines, ""]


def render_page(plan: Plan, links: LinkStyle, briefs: dict[str, str] | None = None) -> str:
    """The Reconnect page (markdown without frontmatter); `briefs`: contact path -> the path of
    their brief page, linked from their suggestion."""
    count = len(plan.suggestions)
    lines = [
        "# Reconnect",
        "",
        f"Suggestions for {plan.today.isoformat()}: "
        + (
            f"{count} {'person' if count == 1 else 'people'} to get back in touch with, "
            f"from {plan.contacts} contacts."
            if count
            else f"nobody needs a message today ({plan.contacts} contacts)."
        ),
        "",
    ]
    for group, title in GROUP_TITLES.items():
        members = [s for s in plan.suggestions if s.group == group]
        if members:
            lines += [f"## {title}", ""]
            for s in members:
                lines += _suggestion(s, links, (briefs or {}).get(s.contact.path), plan.today)
    if plan.dates:
        lines += ["## Upcoming dates", ""]
        for d in plan.dates:
            when = "today" if d.in_days == 0 else f"in {d.in_days} days"
            lines.append(f"- {links.link(d.path)}: {d.kind} on {d.date.isoformat()} ({when})")
        lines.append("")
    if plan.never:
        n = len(plan.never)
        words = f"{n} {'person' if n == 1 else 'people'} with no recorded contact"
        lines += ["## No recorded contact", ""]
        if not plan.first_messages:
            lines += [f"{words}.", ""]
        else:
            lines += [f"{words}; worth a first message:", ""]
            for s in plan.first_messages:
                reasons = "; ".join(reason_line(r, links) for r in s.reasons)
                lines.append(f"- {links.link(s.contact.path)}: {reasons}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def plan_json(plan: Plan) -> dict[str, Any]:
    """The `vaultnet reconnect --json` record (a stable contract)."""
    return {
        "today": plan.today.isoformat(),
        "suggestions": [
            {
                "path": s.contact.path,
                "name": s.contact.name,
                "group": s.group,
                "score": s.score,
                "days_since": s.contact.days_since,
                "cadence_days": s.contact.cadence_days,
                "reasons": [reason_line(r, None) for r in s.reasons],
                "share": [
                    {"path": i.path, "title": i.title, "reasons": list(i.reasons)} for i in s.share
                ],
            }
            for s in plan.suggestions
        ],
        "dates": [
            {
                "path": d.path,
                "name": d.name,
                "kind": d.kind,
                "date": d.date.isoformat(),
                "in_days": d.in_days,
            }
            for d in plan.dates
        ],
        "no_recorded_contact": len(plan.never),
        "first_messages": [
            {
                "path": s.contact.path,
                "name": s.contact.name,
                "reasons": [reason_line(r, None) for r in s.reasons],
            }
            for s in plan.first_messages
        ],
    }


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def plan_text(plan: Plan) -> str:
    """The terminal view of `vaultnet reconnect`: a table, then each person's reasons."""
    if not plan.suggestions:
        lines = [f"Nobody to reconnect with on {plan.today.isoformat()}."]
    else:
        rows = [["GROUP", "NAME", "DAYS", "CADENCE", "SCORE"]]
        rows += [
            [
                s.group,
                s.contact.name,
                "-" if s.contact.days_since is None else str(s.contact.days_since),
                "-" if s.contact.cadence_days is None else f"{s.contact.cadence_days}d",
                f"{s.score:g}",
            ]
            for s in plan.suggestions
        ]
        lines = _table(rows)
        for s in plan.suggestions:
            lines += ["", f"{s.contact.name} ({s.group})"]
            lines += [f"  - {reason_line(r, None)}" for r in s.reasons]
            lines += [f"  share: {i.title} ({'; '.join(i.reasons)})" for i in s.share]
    if plan.dates:
        lines.append("")
        for d in plan.dates:
            lines.append(f"{d.name}: {d.kind} on {d.date.isoformat()} (in {d.in_days} days)")
    if plan.never:
        lines += ["", f"{len(plan.never)} with no recorded contact."]
        for s in plan.first_messages:
            lines.append(
                f"  worth a first message: {s.contact.name} ({'; '.join(reason_line(r, None) for r in s.reasons)})"
            )
    return "\n".join(lines)


def contacts_text(contacts: Iterable[Contact]) -> str:
    """The terminal table of `vaultnet contacts`."""
    rows = [["NAME", "STATUS", "LAST", "DAYS", "CADENCE", "NEXT DUE", "PATH"]]
    for c in contacts:
        rows.append(
            [
                c.name,
                c.status,
                c.last.date.isoformat() if c.last else "-",
                "-" if c.days_since is None else str(c.days_since),
                "never" if c.cadence_days is None else f"{c.cadence_days}d",
                c.next_due.isoformat() if c.next_due else "-",
                c.path,
            ]
        )
    return "\n".join(_table(rows)) if len(rows) > 1 else "No contacts found."
