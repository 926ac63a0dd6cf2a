"""The vaults of `tests/cases/network/pages.yaml`, built from each case, and what every
Mermaid block on a page must look like (the Network case test, the inert test and the render
check share them)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

CASES = Path(__file__).parent / "cases" / "network" / "pages.yaml"
MERMAID = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)
ALLOWED_TYPES = ("pie", "quadrantChart", "xychart-beta")
PLAIN_LABEL = re.compile(r"[^\"%{}<>&#;\[\]`\\\n]*")
"""What a label between double quotes may hold: nothing that ends it or opens anything."""
SAFE_LINES = [
    re.compile(r'    "(?P<label>[^"]*)": \[0(\.\d{1,3})?, 0(\.\d{1,3})?\]'),  # a quadrant point
    re.compile(r'    "[A-Z][a-z ]+ \(aim \d+%\)" : \d+'),  # a pie slice: vaultnet's words
    re.compile(r'    x-axis \[(?P<labels>"[A-Z][a-z]{2}"(, "[A-Z][a-z]{2}")*)\]'),
    re.compile(r"    (bar|line) \[\d+(, \d+)*\]"),
    re.compile(r"    y-axis 0 --> \d+"),
    re.compile(r'    title "?[A-Za-z0-9 (),]+"?'),
    re.compile(r"    [xy]-axis [A-Za-z ]+ --> [A-Za-z ]+"),
    re.compile(r"    quadrant-[1-4] [A-Za-z ]+"),
]
FRONT_MATTER = [
    "---",
    "config:",
    "  themeVariables:",
    "    xyChart:",
    '      plotColorPalette: "#7c5cff, #e8a33d"',
    *(f'    pie{i}: "{c}"' for i in (1, 2, 3) for c in ("#7c5cff", "#e8a33d", "#22a699")),
    '    pieSectionTextColor: "#ffffff"',
]
"""The only lines a block's front matter (Mermaid's config: theme colours) may hold."""
"""Every line a Mermaid block may hold after its type: each is vaultnet's own words or numbers,
but for the labels, checked apart."""


def load_cases() -> list[dict[str, Any]]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def case_files(case: dict[str, Any]) -> dict[str, str]:
    """The case's vault: person notes, and a daily note per day linking everyone met then."""
    people: dict[str, Any] = dict(case.get("people") or {})
    for i in range(1, int(case.get("crowd", 0)) + 1):
        people[f"Person {i:04d}"] = _crowd_days(i, dt.date.fromisoformat(str(case["today"])))
    files = {".obsidian/daily-notes.json": '{"folder": "Daily"}'}
    met: dict[str, list[str]] = defaultdict(list)
    for name, spec in people.items():
        days = spec["days"] if isinstance(spec, dict) else spec
        cadence = f"cadence: {spec['cadence']}\n" if isinstance(spec, dict) else ""
        files[f"People/{name}.md"] = f"---\ntags: [person]\n{cadence}---\n"
        for day in days:
            met[str(day)].append(name)
    for day, names in met.items():
        files[f"Daily/{day}.md"] = "".join(
            f"- Met [them](../People/{quote(name)}.md)\n" for name in names
        )
    return files


def _crowd_days(i: int, today: dt.date) -> list[dt.date]:
    """A few days in the last year, spread by `i` (the same days on every run)."""
    first = 5 + (i * 37) % 340
    return [today - dt.timedelta(days=first + k * (20 + i % 50)) for k in range(1 + i % 3)]


def assert_safe_mermaid(page: str) -> None:
    """Every Mermaid block is an allowed type, and every line of it is vaultnet's own words,
    numbers, or a label holding nothing that ends its string or opens anything."""
    for block in MERMAID.findall(page):
        lines = block.splitlines()
        if lines[0] == "---":
            end = lines.index("---", 1)
            assert set(lines[: end + 1]) <= set(FRONT_MATTER), lines[: end + 1]
            lines = lines[end + 1 :]
        kind, *lines = lines
        assert kind.split()[0] in ALLOWED_TYPES, kind
        for line in lines:
            match = next((m for p in SAFE_LINES if (m := p.fullmatch(line))), None)
            assert match is not None, f"unexpected Mermaid line {line!r}"
            label = match.groupdict().get("label")
            assert label is None or PLAIN_LABEL.fullmatch(label), line
