"""The Reconnect plan outside the vault: `vaultnet reconnect`'s terminal view and its JSON,
and the table of `vaultnet contacts` (the page itself is `vaultnet.reconnect.render`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vaultnet.people.contacts import Contact
from vaultnet.people.reconnect import Plan
from vaultnet.reconnect.guide import Guide, no_contacts, nobody_due
from vaultnet.reconnect.render import (
    NEVER_HINT,
    NEVER_NAMED,
    action_json,
    action_line,
    introduction_line,
    mix_line,
    reason_line,
)
from vaultnet.words import plural, within


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
                "actions": [action_json(a) for a in s.actions],
                "reasons": [reason_line(r, None) for r in s.reasons],
                "share": [
                    {"path": i.path, "title": i.title, "reasons": list(i.reasons)} for i in s.share
                ],
            }
            for s in plan.suggestions
        ],
        "mix": None
        if plan.mix is None
        else {
            "limit": plan.mix.limit,
            "shares": dict(plan.mix.shares),
            "slots": plan.mix.quotas,
            "chosen": plan.mix.chosen,
        },
        "introductions": [
            {
                "a": {"path": i.a.path, "name": i.a.name},
                "b": {"path": i.b.path, "name": i.b.name},
                "reasons": [reason_line(r, None) for r in i.reasons],
            }
            for i in plan.introductions
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
                "actions": [action_json(a) for a in s.actions],
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


def plan_text(plan: Plan, guide: Guide | None = None) -> str:
    """The terminal view of `vaultnet reconnect`: a table, then each person's reasons; with
    nobody to suggest, what would change that (`guide`)."""
    if not plan.suggestions:
        lines = [f"Nobody to reconnect with on {plan.today.isoformat()}."]
        if guide is not None and not plan.contacts:
            lines = ["No contacts yet, so nobody to reconnect with.", *no_contacts(guide)]
        elif guide is not None:
            lines.append(nobody_due(guide))
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
        if plan.mix is not None:
            lines += ["", mix_line(plan.mix)]
        for s in plan.suggestions:
            lines += ["", f"{s.contact.name} ({s.group})"]
            lines += [f"  * {action_line(a, None)}" for a in s.actions]
            lines += [f"  - {reason_line(r, None)}" for r in s.reasons]
    if plan.introductions:
        lines += ["", "Introduce:"]
        lines += [f"  {introduction_line(i, None)}" for i in plan.introductions]
    if plan.dates:
        lines.append("")
        for d in plan.dates:
            lines.append(f"{d.name}: {d.kind} on {d.date.isoformat()} ({within(d.in_days)})")
    if plan.never:
        words = f"{plural(len(plan.never), 'person')} with no recorded contact"
        if len(plan.never) <= NEVER_NAMED:
            words += ": " + ", ".join(c.name for c in plan.never)
        lines += ["", f"{words} ({NEVER_HINT.replace('`', '')})."]
        for s in plan.first_messages:
            lines.append(
                f"  worth a first message: {s.contact.name} ({'; '.join(reason_line(r, None) for r in s.reasons)})"
            )
    return "\n".join(lines)


def status_words(contact: Contact, promise_days: int) -> str:
    """The status, unless an open promise older than `promise_days` says more."""
    age = contact.promise_age
    if age is not None and age > promise_days and contact.status != "inactive":
        return f"open promise, {age} days"
    return contact.status


def contacts_text(
    contacts: Iterable[Contact], guide: Guide | None = None, promise_days: int = 7
) -> str:
    """The terminal table of `vaultnet contacts` (none: what makes a contact, from `guide`)."""
    rows = [["NAME", "STATUS", "LAST", "DAYS", "CADENCE", "NEXT DUE", "PATH"]]
    for c in contacts:
        rows.append(
            [
                c.name,
                status_words(c, promise_days),
                c.last.date.isoformat() if c.last else "-",
                "-" if c.days_since is None else str(c.days_since),
                "never" if c.cadence_days is None else f"{c.cadence_days}d",
                c.next_due.isoformat() if c.next_due else "-",
                c.path,
            ]
        )
    if len(rows) > 1:
        return "\n".join(_table(rows))
    return "\n".join(["No contacts yet.", *(no_contacts(guide) if guide else [])])
