"""Records -> markdown: the Network page. Each chart is a Mermaid block Obsidian draws itself,
followed by the same numbers as a table (readable where Mermaid is off, and by screen readers).
Pure; the page holds no timestamp, only the date it is for."""

from __future__ import annotations

from collections.abc import Sequence

from vaultnet.network import mermaid
from vaultnet.network.figures import MAP_SPAN, QUADRANTS, Drift, Mix, Month, Network, Tie
from vaultnet.pages.inert import inert
from vaultnet.pages.links import LinkStyle
from vaultnet.people.rhythm import MONTHS, strip

GROUP_WORDS = {
    "current": "current",
    "revived": "revived dormant",
    "new": "new",
}
SHORT_OF = {
    "current": "fewer current ties kept up than you aim for",
    "revived": "fewer revivals than you aim for",
    "new": "fewer new people than you aim for",
}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_name(month: Month, *, year: bool = True) -> str:
    name = MONTH_NAMES[month.start.month - 1]
    return f"{name} {month.start.year}" if year else name


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _cell(text: str) -> str:
    """Text in a table cell: a `|` (a wikilink's alias, a name) escaped as Obsidian asks."""
    return text.replace("|", "\\|")


def _table(header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> list[str]:
    """A markdown table; `align` holds `l` or `r` per column."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def mix_sentence(mix: Mix) -> str:
    """`61% current, 9% revived, 30% new: fewer revivals than you aim for (25%).`"""
    parts = ", ".join(f"{g.percent}% {g.group}" for g in mix.groups)
    short = next((g for g in mix.groups if g.group == mix.short), None)
    if short is None:
        return f"{parts}: close to the {aims(mix)} you aim for."
    return f"{parts}: {SHORT_OF[short.group]} ({short.aim}%)."


def aims(mix: Mix) -> str:
    """The aimed shares as `60/25/15`."""
    return "/".join(str(g.aim) for g in mix.groups)


def _summary(network: Network, links: LinkStyle) -> list[str]:
    mix = network.mix
    reached = (
        f"On {network.today.isoformat()}: **{_plural(mix.people, 'person', 'people')}** reached "
        f"in the last {mix.days} days, of {_plural(network.contacts, 'contact')}."
    )
    if mix.people:
        reached += f" Mix: {mix_sentence(mix)}"
    lines = [reached, ""]
    now = [t for t in network.ties if t.quadrant == 1]
    if now:
        names = ", ".join(links.link(t.path) for t in now)
        lines.append(
            f"- Reach out now: {names} (strong ties, silent for longer than their cadence)."
        )
    if network.drifting:
        names = ", ".join(links.link(d.path) for d in network.drifting[:3])
        more = len(network.drifting) - 3 + network.drifting_more
        lines.append(f"- Drifting: {names}" + (f" and {more} more." if more > 0 else "."))
    busiest = max(network.months, key=lambda m: (m.people, m.interactions, m.start))
    if busiest.people:
        lines.append(
            f"- Busiest month: {month_name(busiest)} "
            f"({_plural(busiest.people, 'person', 'people')}, "
            f"{_plural(busiest.interactions, 'interaction')})."
        )
    return [*lines, ""] if lines[-1] else lines


def _months(network: Network) -> list[str]:
    months = network.months
    lines = ["## Contact per month", ""]
    span = f"{month_name(months[0])} to {month_name(months[-1])}"
    if len(months) == 1:
        span = month_name(months[0])
    lines += mermaid.xychart(
        f"People (bars) and interactions (line), {span}",
        [month_name(m, year=False) for m in months],
        [m.people for m in months],
        [m.interactions for m in months],
    )
    rows = []
    for m in months:
        name = month_name(m)
        if m.start.year == network.today.year and m.start.month == network.today.month:
            name += f" (to the {network.today.day}{_ordinal(network.today.day)})"
        rows.append([name, str(m.people), str(m.interactions)])
    lines += ["", *_table(["month", "people", "interactions"], "lrr", rows), ""]
    skipped = MONTHS - len(months)
    if skipped:
        lines += [
            f"Your first recorded contact is in {month_name(months[0])}: "
            f"the {_plural(skipped, 'month')} before it {'is' if skipped == 1 else 'are'} "
            "left out.",
            "",
        ]
    return lines


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _mix(mix: Mix) -> list[str]:
    lines = [f"## Who you reached in the last {mix.days} days", ""]
    if not mix.people:
        return [*lines, f"Nobody: no contact recorded in the last {mix.days} days.", ""]
    slices = [(f"{GROUP_WORDS[g.group].capitalize()} (aim {g.aim}%)", g.people) for g in mix.groups]
    lines += mermaid.pie(f"People reached in the last {mix.days} days", slices)
    lines += ["", mix_sentence(mix), ""]
    rows = [[GROUP_WORDS[g.group], str(g.people), f"{g.percent}%", f"{g.aim}%"] for g in mix.groups]
    lines += _table(["group", "people", "share", "aim"], "lrrr", rows)
    return [*lines, ""]


def _ties(network: Network, links: LinkStyle) -> list[str]:
    ties = network.ties
    lines = ["## Strongest ties", ""]
    if not ties:
        return [*lines, "No contact recorded yet.", ""]
    lines += mermaid.quadrant(
        f"The {_plural(len(ties), 'strongest tie')} by last contact",
        ("Within their cadence", "Past their cadence"),
        ("Weaker half", "Stronger half"),
        [QUADRANTS[q] for q in (1, 2, 3, 4)],
        [(mermaid.label(t.name, f"person {i}"), t.x, t.y) for i, t in enumerate(ties, 1)],
    )
    lines += [
        "",
        "Left to right: days since the last contact, counted in each person's cadence (the "
        f"middle: one cadence, due; the right edge: {MAP_SPAN} or more). Bottom to top: by "
        "strength, the stronger half above the middle.",
        "",
    ]
    lines += _table(
        ["tie", "strength", "days since", "cadence", "last 12 months", "what to do"],
        "lrrrll",
        [_tie_row(t, links) for t in ties],
    )
    if network.ties_more:
        lines += ["", f"And {_plural(network.ties_more, 'more tie')} with a recorded contact."]
    return [*lines, ""]


def _tie_row(tie: Tie, links: LinkStyle) -> list[str]:
    return [
        links.link(tie.path),
        f"{tie.strength:.2f}",
        str(tie.days_since),
        str(tie.cadence),
        strip(tie.months),
        QUADRANTS[tie.quadrant],
    ]


def _drifting(network: Network, links: LinkStyle, minimum: int) -> list[str]:
    lines = ["## Drifting ties", ""]
    if not network.drifting:
        return [
            *lines,
            f"None: nobody with {minimum} or more interaction days in the 6 months before the "
            "last 6 was seen less since.",
            "",
        ]
    lines += [
        f"Ties with {minimum} or more interaction days in the 6 months before the last 6, and "
        "fewer since; biggest fall first.",
        "",
    ]
    lines += _table(
        ["tie", "6 months before", "last 6 months", "days since", "last 12 months"],
        "lrrrl",
        [_drift_row(d, links, network) for d in network.drifting],
    )
    if network.drifting_more:
        lines += ["", f"And {_plural(network.drifting_more, 'more drifting tie')}."]
    return [*lines, ""]


def _drift_row(drift: Drift, links: LinkStyle, network: Network) -> list[str]:
    return [
        links.link(drift.path),
        str(drift.before),
        str(drift.recent),
        str((network.today - drift.last).days),
        strip(drift.months),
    ]


def render_page(network: Network, links: LinkStyle, drifting_min: int) -> str:
    """The Network page (markdown without frontmatter)."""
    lines = ["# Network", ""]
    if not network.contacts:
        lines += [
            "No contacts yet: a note in a People or Contacts folder, or tagged person, is a "
            "contact, and a daily or meeting note that links one records a contact.",
        ]
        return "\n".join(lines) + "\n"
    if not network.contacted:
        lines += [
            f"{_plural(network.contacts, 'contact')}, none with a recorded contact yet: a daily "
            "or meeting note that links a person records one.",
        ]
        return "\n".join(lines) + "\n"
    lines += _summary(network, links)
    lines += _months(network)
    lines += _mix(network.mix)
    lines += _ties(network, links)
    lines += _drifting(network, links, drifting_min)
    lines += [
        f"Charts are Mermaid diagrams, drawn by Obsidian; each table holds the same numbers. "
        f"Rhythm strips show interaction days per month, oldest first: "
        f"{inert(strip(range(7)))} = none, 1, 2, ... 6 or more.",
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
