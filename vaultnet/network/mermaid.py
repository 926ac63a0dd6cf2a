"""Mermaid chart text, pure: the few diagram types Obsidian's bundled Mermaid draws (`pie`,
`quadrantChart`, `xychart-beta`; Obsidian 1.13 ships Mermaid 11.13.0, docs/network.md), and
labels from note names made inert for Mermaid.

A name becomes a label through `label()` only: it keeps letters, marks, digits, spaces and a few
punctuation marks and drops everything else, so no label can hold a Mermaid directive or comment
(`%%{init: ...}%%`, `%%`), close its quoted string (`"`), start an HTML tag or entity (`<`, `&`,
`#35;`), open a Templater tag (`<%`) or a code span, or break the fence (a backtick, a line
break). The table under each chart shows the real name, linked and made inert by
`vaultnet.pages.inert`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

FENCE = "```mermaid"
LABEL_CHARS = 22
"""A label longer than this is cut (with `…`): the chart stays readable."""
_KEEP_PUNCTUATION = set(".,'-()/+!?@:*_")
"""Punctuation a label keeps: none of it opens anything in Mermaid, HTML or Obsidian."""


def label(text: str, fallback: str = "someone") -> str:
    """`text` as a Mermaid label: letters, marks, digits, spaces and `.,'-()/+!?@:*_`; any
    other character (quotes, `%`, `{}`, `<>`, `&`, `#`, `;`, `[]`, backticks, line breaks,
    symbols) becomes a space; spaces collapse; at most `LABEL_CHARS` characters. `fallback`
    when nothing is left."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LMN" or ch in _KEEP_PUNCTUATION else " "
        for ch in unicodedata.normalize("NFC", text)
    )
    words = " ".join(kept.split())
    if len(words) > LABEL_CHARS:
        words = words[: LABEL_CHARS - 1].rstrip() + "…"
    return words or fallback


PALETTE = ("#7c5cff", "#e8a33d", "#22a699")
"""Violet, amber, teal: colours that read on Obsidian's light and dark backgrounds alike (the
themes' own pie colours give a near-black slice on the dark one)."""


def fenced(lines: Sequence[str], theme: Sequence[str] = ()) -> list[str]:
    """A Mermaid code block: the fence, `theme` variables as the chart's front matter (Mermaid's
    own config block, no `%%{init}%%` directive), the chart's lines indented, the closing fence."""
    head = ["---", "config:", "  themeVariables:", *(f"    {v}" for v in theme), "---"]
    body = (f"    {line}" if i else line for i, line in enumerate(lines))
    return [FENCE, *(head if theme else ()), *body, "```"]


def xychart(
    title: str, categories: Sequence[str], bar: Sequence[int], line: Sequence[int] | None
) -> list[str]:
    """A bar chart (`xychart-beta`) of `bar` over `categories`, with `line` drawn over it.
    `title` and `categories` are vaultnet's own words (month names), never vault text."""
    top = max([*bar, *(line or ()), 1])
    lines = [
        "xychart-beta",
        f'title "{title}"',
        "x-axis [" + ", ".join(f'"{c}"' for c in categories) + "]",
        f"y-axis 0 --> {_nice_top(top)}",
        "bar [" + ", ".join(map(str, bar)) + "]",
    ]
    if line is not None:
        lines.append("line [" + ", ".join(map(str, line)) + "]")
    palette = ", ".join(PALETTE[:2])
    return fenced(lines, ["xyChart:", f'  plotColorPalette: "{palette}"'])


def _nice_top(value: int) -> int:
    """A round axis end at or above `value` (1, 2, 5 x a power of ten), so ticks read well."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def pie(title: str, slices: Sequence[tuple[str, int]]) -> list[str]:
    """A pie chart with each slice's count shown (`showData`), each slice in its own colour of
    `PALETTE` (by its place in `slices`). Slices of 0 are left out (the table under it has
    them). `title` and the slice names are vaultnet's own words."""
    coloured = [
        (name, value, colour) for (name, value), colour in zip(slices, PALETTE, strict=False)
    ]
    # Mermaid draws the biggest slice first and colours slices in the order it draws them:
    # declared biggest first (stable), each keeps the colour given here
    drawn = sorted((s for s in coloured if s[1] > 0), key=lambda s: -s[1])
    lines = ["pie showData", f"title {title}"]
    lines += [f'"{name}" : {value}' for name, value, _ in drawn]
    theme = [f'pie{i}: "{colour}"' for i, (_, _, colour) in enumerate(drawn, start=1)]
    return fenced(lines, [*theme, 'pieSectionTextColor: "#ffffff"'])


def quadrant(
    title: str,
    x_axis: tuple[str, str],
    y_axis: tuple[str, str],
    quadrants: Sequence[str],
    points: Sequence[tuple[str, float, float]],
) -> list[str]:
    """A `quadrantChart`: axis ends, the four quadrants' names (Mermaid's numbering: top right,
    top left, bottom left, bottom right) and the points (`label()`-made names, x and y within
    0-1). Two points with the same label get ` (2)`, ` (3)`... so both are drawn."""
    lines = [
        "quadrantChart",
        f"title {title}",
        f"x-axis {x_axis[0]} --> {x_axis[1]}",
        f"y-axis {y_axis[0]} --> {y_axis[1]}",
    ]
    lines += [f"quadrant-{i} {name}" for i, name in enumerate(quadrants, start=1)]
    seen: dict[str, int] = {}
    for name, x, y in points:
        seen[name] = seen.get(name, 0) + 1
        shown = name if seen[name] == 1 else f"{name} ({seen[name]})"
        lines.append(f'"{shown}": [{_coordinate(x)}, {_coordinate(y)}]')
    return fenced(lines)


def _coordinate(value: float) -> str:
    """A coordinate as Mermaid's quadrant lexer reads one: `0.xyz`, never `1.0` or `1e-05`."""
    value = min(0.999, max(0.0, value))
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"
