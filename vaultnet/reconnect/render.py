"""Records -> markdown: the Reconnect page, and links written the way the vault writes them
(`useMarkdownLinks`, `newLinkFormat`). Pure; the page holds no timestamp."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from vaultnet.pages.inert import inert, no_tags
from vaultnet.pages.links import LinkStyle
from vaultnet.people.actions import Action
from vaultnet.people.config import GROUPS
from vaultnet.people.groups import Mix
from vaultnet.people.introductions import Introduction
from vaultnet.people.reconnect import Plan, Suggestion
from vaultnet.people.rhythm import rhythm_strip
from vaultnet.reasons import Reason
from vaultnet.reconnect.guide import Guide, no_contacts, nobody_due
from vaultnet.vault.resolve import note_stem
from vaultnet.vault.syntax.markdown_links import MARKDOWN_LINK
from vaultnet.vault.syntax.wikilinks import replace_wikilinks
from vaultnet.words import plural, within

GROUP_TITLES = {
    "current": "Keep in touch",
    "dormant": "Revive dormant ties",
    "new": "Follow up while it is fresh",
}
QUOTE_CHARS = 120
LAST_WORDS = ("last contact", "silent for")
"""How the reason that gives the last contact begins (`people.reconnect.reasons_for`)."""
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?:\[.\]\s+)?|^\[.\]\s+")
_SENTENCE_END = re.compile(r"[.!?…][)\]'\u2019\"]*(?=\s)")
CELL_SEPARATOR = " · "
"""Between a table row's cells in a quote."""


def plain_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A line (or a passage of wrapped lines) as readable words: no list marker or checkbox,
    links as their text, a table row as its cells, tags and markup neutralised (so the page
    creates no links or tags; backticks become quotes, so no Dataview inline query), at most
    `limit` characters, cut after a sentence or else between words, with an ellipsis. A page
    also makes it inert (`reason_line`)."""
    text = _LIST_MARK.sub("", text.strip())
    text = replace_wikilinks(
        text, lambda w: w.parts.display or note_stem(w.parts.target) or w.parts.link
    )
    text = MARKDOWN_LINK.sub(lambda m: m[1], text)
    if text.startswith("|"):
        cells = [c.strip() for c in text.strip().strip("|").replace("\\|", "|").split("|")]
        text = CELL_SEPARATOR.join(c for c in cells if c and set(c) - set("-: "))
    text = text.replace("%%", "").replace("`", "'").replace('"', "'")
    return shorten(no_tags(text), limit)


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` whole when it fits; else up to the last sentence that ends within `limit` (when
    that keeps half of it), else up to the last whole word, then an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head + " ")]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]] + " …"
    whole = text[len(head)] == " " or " " not in head  # the head ends between two words
    cut = head if whole else head.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "…"


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


def action_line(action: Action, links: LinkStyle | None) -> str:
    """A thing to do in words, its verb first (bold on a page), then where the vault says so
    (a link on a page, a note name in a terminal) and the line it quotes."""
    reason = action.reason
    text = reason.render(links.link, inert) if links else reason.text
    if action.kind == "follow_up":
        text = ("**Follow up:** " if links else "follow up: ") + text
    elif links:
        verb, _, rest = text.partition(" ")
        text = f"**{verb[:1].upper()}{verb[1:]}** {rest}"
    if reason.path is not None and reason.path not in reason.notes:
        text += f": {links.link(reason.path) if links else note_stem(reason.path)}"
    if reason.quote:
        quote = plain_quote(reason.quote)
        text += f' "{inert(quote) if links else quote}"'
    return text


def action_json(action: Action) -> dict[str, Any]:
    """One action of `reconnect --json`: `kind`, `text` (with the line it quotes), and the
    `path` and `line` of its evidence (null when it has none: a share, a property)."""
    text = action.reason.text
    if action.reason.quote:
        text += f' "{plain_quote(action.reason.quote)}"'
    return {
        "kind": action.kind,
        "text": text,
        "path": action.reason.path if action.kind != "share" else action.reason.notes[0],
        "line": action.line or None,
    }


def _suggestion(s: Suggestion, links: LinkStyle, brief: str | None, today: dt.date) -> list[str]:
    lines = [f"### {links.link(s.contact.path)}", ""]
    lines += [f"- {action_line(a, links)}" for a in s.actions]
    lines += [f"- {reason_line(r, links)}" for r in s.reasons]
    if s.contact.interactions:  # beside the last contact (else the first, for someone new)
        days = (i.date for i in s.contact.interactions)
        at = next((i for i, r in enumerate(s.reasons) if r.text.startswith(LAST_WORDS)), 0)
        lines.insert(3 + len(s.actions) + at, f"- last 12 months: {rhythm_strip(days, today)}")
    if brief:
        lines.append(f"- Before you call: {links.link(brief, 'brief')}")
    return [*lines, ""]


def mix_line(mix: Mix) -> str:
    """How the slots were shared out: what each group got, the shares and the slots they give,
    and what happened to the slots a group could not fill."""
    total = sum(share for _, share in mix.shares) or 1
    got = mix.chosen
    words = (
        f"The mix: {got['current']} to keep in touch, {got['dormant']} dormant, {got['new']} new"
        f" (shares {' / '.join(f'{round(100 * share / total)}%' for _, share in mix.shares)}"
        f" of {mix.limit}: {' / '.join(str(mix.quotas[g]) for g in GROUPS)})"
    )
    if mix.spare:
        n = mix.spare
        words += (
            f"; {n} {'slot' if n == 1 else 'slots'} a group could not fill went to the most"
            " urgent others, open promises first"
        )
    empty = mix.limit - sum(got.values())
    if empty:
        words += f"; {empty} left empty: nobody else needs a message"
    return words + "."


def introduction_line(intro: Introduction, links: LinkStyle | None) -> str:
    names = (
        f"{links.link(intro.a.path)} and {links.link(intro.b.path)}"
        if links
        else f"{intro.a.name} and {intro.b.name}"
    )
    return f"{names}: " + "; ".join(reason_line(r, links) for r in intro.reasons)


def _code(text: str) -> str:
    return f"`{text}`"


def render_page(
    plan: Plan,
    links: LinkStyle,
    briefs: dict[str, str] | None = None,
    guide: Guide | None = None,
) -> str:
    """The Reconnect page (markdown without frontmatter); `briefs`: contact path -> the path of
    their brief page, linked from their suggestion; `guide`: what the page says when it has
    nobody to suggest (`vaultnet.reconnect.guide`)."""
    count = len(plan.suggestions)
    lines = [
        "# Reconnect",
        "",
        f"Suggestions for {plan.today.isoformat()}: "
        + (
            f"{plural(count, 'person')} to get back in touch with, "
            f"from {plural(plan.contacts, 'contact')}."
            if count
            else "no contacts yet."
            if not plan.contacts
            else f"nobody needs a message today ({plural(plan.contacts, 'contact')})."
        ),
        "",
    ]
    if count and plan.mix is not None:
        lines += [mix_line(plan.mix), ""]
    if guide is not None and not plan.contacts:
        lines += ["## Getting started", "", *[inert_guide(g) for g in no_contacts(guide, _code)]]
        lines.append("")
    elif guide is not None and not count:
        lines += [nobody_due(guide), ""]
    for group, title in GROUP_TITLES.items():
        members = [s for s in plan.suggestions if s.group == group]
        if members:
            lines += [f"## {title}", ""]
            for s in members:
                lines += _suggestion(s, links, (briefs or {}).get(s.contact.path), plan.today)
    if plan.introductions:
        lines += ["## Introduce", ""]
        lines += [f"- {introduction_line(i, links)}" for i in plan.introductions]
        lines.append("")
    if plan.dates:
        lines += ["## Upcoming dates", ""]
        for d in plan.dates:
            lines.append(
                f"- {links.link(d.path)}: {d.kind} on {d.date.isoformat()} ({within(d.in_days)})"
            )
        lines.append("")
    elif plan.contacts:
        lines += [
            "## Upcoming dates",
            "",
            "No birthday or anniversary coming up; a person's note with "
            "`birthday: 1990-12-03` (or `--12-03` without the year) shows here two weeks ahead.",
            "",
        ]
    if plan.never:
        lines += ["## No recorded contact", "", *_never(plan, links), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


NEVER_NAMED = 10
"""Up to this many people with no recorded contact are named; more are counted."""
NEVER_HINT = "a daily or meeting note that links them, or `vaultnet touch NAME`, records one"


def _never(plan: Plan, links: LinkStyle) -> list[str]:
    """The people with no recorded contact: those worth a first message with their reasons,
    and the others, named when they are few, else counted."""
    words = f"{plural(len(plan.never), 'person')} with no recorded contact"
    named = {s.contact.path for s in plan.first_messages}
    others = [c for c in plan.never if c.path not in named]
    names = ", ".join(links.link(c.path) for c in others)
    if not named:
        if len(others) <= NEVER_NAMED:
            return [f"{words}: {names} ({NEVER_HINT})."]
        return [f"{words} (`vaultnet contacts` lists them; {NEVER_HINT})."]
    out = [f"{words} ({NEVER_HINT}). Worth a first message:", ""]
    for s in plan.first_messages:
        reasons = "; ".join(
            [
                *(action_line(a, links) for a in s.actions),
                *(reason_line(r, links) for r in s.reasons),
            ]
        )
        out.append(f"- {links.link(s.contact.path)}: {reasons}")
    if others and len(others) <= NEVER_NAMED:
        out += ["", f"The others: {names}."]
    elif others:
        out += ["", f"And {len(others)} others: `vaultnet contacts` lists them."]
    return out


def inert_guide(line: str) -> str:
    """A guide's list item on a page: the likely people's names are vault text (made inert); the
    list marker and the commands in code spans are vaultnet's own."""
    marker, text = ("- ", line[2:]) if line.startswith("- ") else ("", line)
    parts = text.split("`")
    return marker + "`".join(part if n % 2 else inert(part) for n, part in enumerate(parts))
