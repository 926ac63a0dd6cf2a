"""Records -> the terminal and JSON: `vaultnet network`. The Network page's figures as a few
block-bar charts and tables in plain text, and as a stable JSON record. Pure."""

from __future__ import annotations

from typing import Any

from vaultnet.network.figures import QUADRANTS, Network
from vaultnet.network.render import GROUP_WORDS, mix_sentence, month_name
from vaultnet.people.rhythm import strip

BAR_WIDTH = 30
"""The longest bar, in characters."""


def _bar(value: int, top: int) -> str:
    """A horizontal bar of full and partial blocks, `BAR_WIDTH` long at `top`."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * BAR_WIDTH * 8 / top))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def network_text(network: Network) -> str:
    """The terminal view: people per month as bars, the mix against the aims, the strongest
    ties and the drifting ones, each with its rhythm strip."""
    if not network.contacted:
        return (
            f"{network.contacts} contacts, none with a recorded contact yet."
            if network.contacts
            else "No contacts found."
        )
    lines = [f"Network on {network.today.isoformat()}", "", "People (and interactions) per month"]
    top = max(m.people for m in network.months)
    for m in network.months:
        count = f"{m.people} ({m.interactions})"
        lines.append(f"  {month_name(m):<8}  {count:>9}  {_bar(m.people, top)}")
    mix = network.mix
    lines += ["", f"Reached in the last {mix.days} days: {mix.people}"]
    if mix.people:
        for g in mix.groups:
            label = f"{GROUP_WORDS[g.group]:<15}  {g.people:>4}  {g.percent:>3}% (aim {g.aim}%)"
            lines.append(f"  {label}  {_bar(g.percent, 100)}")
        lines.append(f"  {mix_sentence(mix)}")
    if network.ties:
        lines += ["", "Strongest ties"]
        rows = [["NAME", "STRENGTH", "DAYS", "CADENCE", "LAST 12 MONTHS", "WHAT TO DO"]]
        rows += [
            [
                t.name,
                f"{t.strength:.2f}",
                str(t.days_since),
                str(t.cadence),
                strip(t.months),
                QUADRANTS[t.quadrant],
            ]
            for t in network.ties
        ]
        lines += ["  " + line for line in _table(rows, {1, 2, 3})]
        if network.ties_more:
            lines.append(f"  and {network.ties_more} more")
    if network.drifting:
        lines += ["", "Drifting ties (interaction days: 6 months before, last 6 months)"]
        rows = [["NAME", "BEFORE", "SINCE", "DAYS", "LAST 12 MONTHS"]]
        rows += [
            [
                d.name,
                str(d.before),
                str(d.recent),
                str((network.today - d.last).days),
                strip(d.months),
            ]
            for d in network.drifting
        ]
        lines += ["  " + line for line in _table(rows, {1, 2, 3})]
        if network.drifting_more:
            lines.append(f"  and {network.drifting_more} more")
    return "\n".join(lines)


def network_json(network: Network) -> dict[str, Any]:
    """The `vaultnet network --json` record (a stable contract)."""
    mix = network.mix
    return {
        "today": network.today.isoformat(),
        "contacts": network.contacts,
        "contacted": network.contacted,
        "months": [
            {"month": m.start.strftime("%Y-%m"), "people": m.people, "interactions": m.interactions}
            for m in network.months
        ],
        "mix": {
            "days": mix.days,
            "people": mix.people,
            "groups": [
                {"group": g.group, "people": g.people, "percent": g.percent, "aim": g.aim}
                for g in mix.groups
            ],
            "short_of": mix.short,
            "sentence": mix_sentence(mix) if mix.people else None,
        },
        "ties": [
            {
                "path": t.path,
                "name": t.name,
                "strength": t.strength,
                "last_interaction": t.last.isoformat(),
                "days_since": t.days_since,
                "cadence_days": t.cadence,
                "quadrant": QUADRANTS[t.quadrant],
                "months": list(t.months),
            }
            for t in network.ties
        ],
        "ties_more": network.ties_more,
        "drifting": [
            {
                "path": d.path,
                "name": d.name,
                "before": d.before,
                "recent": d.recent,
                "strength": d.strength,
                "last_interaction": d.last.isoformat(),
                "months": list(d.months),
            }
            for d in network.drifting
        ],
        "drifting_more": network.drifting_more,
    }
