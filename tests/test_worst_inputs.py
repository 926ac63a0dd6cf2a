"""No text a user writes stalls a command (issue 23), beyond the parser's own readers
(`tests/test_parse_worst.py`): each reader of a note's lines, a property value, a template or a
quote takes time in proportion to the length of its worst input. Each of these once took time in
the square of its length (a helper's audit, stop 35: a person note of wrapped lines, 17 s for
`brief` at 40,000 characters). The cost is a ratio, never a time: twice the input may take at
most `MAX_GROWTH` times as long (linear: 2; quadratic: 4), CPU time, the best of three each."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest

from vaultnet.pages.inert import inert, inert_label, inert_property
from vaultnet.people.actions import plain_words
from vaultnet.people.brief import note_lines
from vaultnet.reconnect.render import plain_quote
from vaultnet.vault.dates import fill_template

SIZE = 50_000
MAX_GROWTH = 3.0


def fill(text: str) -> object:
    return fill_template(text, title="Day", when=dt.datetime(2026, 12, 7, 9, 30))


WORST: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "a person note of wrapped lines": (note_lines, lambda size: "a and\n" * (size // 6)),
    "spaces without a line break in a property": (
        inert_property,
        lambda size: "a" + " " * (size - 3) + "b:",
    ),
    "spaces without a line break in a label": (
        inert_label,
        lambda size: "a" + " " * (size - 3) + "b:",
    ),
    "spaces without a line break in a page's text": (
        inert,
        lambda size: "a" + " " * (size - 3) + "<b",
    ),
    "unclosed date variables in a template": (fill, lambda size: "{{date:" * (size // 7)),
    "unclosed angle destinations in a quote": (plain_quote, lambda size: "[](<" * (size // 4)),
    "unclosed angle destinations in a task": (plain_words, lambda size: "[](<" * (size // 4)),
}


def cpu_time(read: Callable[[str], object], text: str) -> float:
    """The CPU time of one `read(text)`, repeated to at least 20 ms (a fast reader's one call is
    too short to time)."""
    calls, start = 0, time.process_time()
    while (spent := time.process_time() - start) < 0.02:
        read(text)
        calls += 1
    return spent / calls


@pytest.mark.parametrize("case", WORST)
def test_a_worst_input_takes_time_in_proportion_to_its_length(case: str) -> None:
    read, make = WORST[case]
    read(make(1000))  # warm: patterns compiled, modules loaded
    once_text, twice_text = make(SIZE), make(2 * SIZE)
    once, twice = [], []
    for _ in range(3):  # in turns: a burst of load meets both sizes
        once.append(cpu_time(read, once_text))
        twice.append(cpu_time(read, twice_text))
    growth = min(twice) / min(once)
    assert growth <= MAX_GROWTH, f"{case}: {min(once):.4f} s, twice as long {min(twice):.4f} s"
