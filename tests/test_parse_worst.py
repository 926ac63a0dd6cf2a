"""No note stalls a scan (issue 23): the parser's linear-time devices read every note exactly as
markdown-it's own rules would, and its worst cases cost no more than plain prose of their size.

The devices (`vaultnet.vault.syntax`: `text`, `link_label`, the wikilink rule's position lookups)
are checked against a reference parser built from markdown-it's own text rule and
`parseLinkLabel` and a `str.find` wikilink rule, on random notes dense in brackets and markup
(hypothesis). The cost is checked as a ratio, never a time: each worst case at 200 KB on one
line takes at most 5 times plain prose of the same size (`benchmarks/parse_worst.py` measures
them up to 1 MB; docs/benchmarks.md).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import markdown_it
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.text import text as markdown_it_text

from vaultnet.vault import parse
from vaultnet.vault.model import Note
from vaultnet.vault.parse import parse_note
from vaultnet.vault.syntax.brackets import image_on_one_line, link_on_one_line
from vaultnet.vault.syntax.comments import in_comment
from vaultnet.vault.syntax.markdown import obsidian_markdown
from vaultnet.vault.syntax.position import line_at

WORST = ["[[", "![[", "[[a|", "[[a#", "[", "![", "](", "`", "``a`", "%%", "$", "$a", "<!--"]
"""Unclosed constructs the issue names, each repeated on one line."""
WORST_LINES = {
    "spaces in an inline field": lambda size: "(k::" + " " * (size - 5) + "x",
    "stars in an inline field's key": lambda size: "a" + "*" * (size - 4) + "b::",
    "a paragraph of unclosed comments": lambda size: ("a <!--\n" * size)[:size],
    "a long scheme before a URL": lambda size: ("a." * size)[: size - 5] + " x://",
}
"""Lines that once cost more than linear time elsewhere in the parser."""
SIZE = 200_000
MAX_RATIO = 5.0


def _find_wikilink(state: StateInline, silent: bool) -> bool:
    """The wikilink rule as it was before the position lookups: `str.find` from each `[[`."""
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    start = pos + 3 if embed else pos + 2
    if not embed and not src.startswith("[[", pos):
        return False
    line_end = src.find("\n", start)
    end = src.find("]]", start, len(src) if line_end < 0 else line_end)
    if end < 0:
        return False
    inner = src[start:end]
    if not inner.strip() or "[[" in inner:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.markup = "![[" if embed else "[["
        token.content = inner
        token.meta = {"line": line_at(state, pos), "embed": embed, "commented": in_comment(state)}
    state.pos = end + 2
    return True


def _reference_brackets(state: StateInline, silent: bool) -> bool:
    """The bracket rules one by one, as markdown-it asks them."""
    return (
        _find_wikilink(state, silent)
        or (state.src[state.pos] == "[" and link_on_one_line(state, silent))
        or (state.src[state.pos] == "!" and image_on_one_line(state, silent))
    )


def reference_markdown() -> MarkdownIt:
    md = obsidian_markdown()
    md.inline.ruler.at("text", markdown_it_text)
    md.inline.ruler.at("brackets", _reference_brackets)
    md.helpers = markdown_it.helpers
    return md


def read(note: Note) -> tuple[object, ...]:
    links = [
        (k.target, k.kind, k.line, k.heading, k.block, k.display, k.commented) for k in note.links
    ]
    return links, note.tags, note.problems, note.terms, note.anchored_terms


ALPHABET = st.sampled_from(
    ["[a](x.md)", "[[x]]", "![[x|y]]", "![a](x.png)", "[b [c] d](<x y.md>)", "`code`", "$m$",
     "![a [b [c](d) e] f](g)", "[[a] b](x)", "[`]`](y)",
     "[", "[", "[[", "]", "]", "]]", "(", ")", "](", "!", "#", "#a", "%%", "$", "`", "\\", "<",
     "<!--", "-->", ">", "a", "b1", " ", " ", "\n", "|", "^", "*", "-", ":", "x.md", "\t"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(ALPHABET, max_size=40))
def test_the_linear_devices_read_as_markdown_it_does(parts: list[str]) -> None:
    text = "".join(parts)
    fast = parse_note("Note.md", text)
    original = parse._markdown
    reference = reference_markdown()
    try:
        parse._markdown = lambda: reference  # type: ignore[assignment]
        expected = parse_note("Note.md", text)
    finally:
        parse._markdown = original  # type: ignore[assignment]
    assert read(fast) == read(expected), text


def prose(size: int) -> str:
    """Lines of common words, a blank line every sixth: the same size of ordinary text."""
    rng = random.Random(1)
    words = ("the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "by")
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(words) for _ in range(14)) + (
            "\n" if len(lines) % 6 == 5 else ""
        )
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:size]


def parse_worst(text: str) -> Note:
    return parse_note("Worst.md", text)


def best_time(text: str, rounds: int = 3, read: Callable[[str], object] = parse_worst) -> float:
    """The best of `rounds` of this process's CPU time for `read(text)` (another process on a
    busy machine adds nothing to it)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        read(text)
        times.append(time.process_time() - start)
    return min(times)


@pytest.fixture(scope="module")
def prose_time() -> float:
    parse_note("Warm.md", prose(1000))
    return best_time(prose(SIZE))


RELATED_WORST = [*WORST, "[a](", "[a](<", '[a](x "', "[a]((", "<div", "<!--<b", "```\n", "a-", "%%"]
"""Lines for the related engine's own readers of a note's text (hiding a link, the prose a
mention is checked in, the terms): `[a](` repeated once cost 150 s at 200 KB there."""
RELATED_WORST_LINES = {
    "spaces in a link": lambda size: "[a](" + " " * (size - 4),
    "a long scheme": lambda size: ("a." * size)[: size - 5] + " x://",
}


def related_readers(text: str) -> None:
    from vaultnet.related.hiding import hide_links
    from vaultnet.related.phrases import prose as prose_of
    from vaultnet.vault.terms import tokens

    hide_links(text, "Worst.md", "Target.md", lambda target, source: target)
    prose_of(text)
    list(tokens(text))


def times_prose(worst: str, read: Callable[[str], object]) -> float:
    """How many times as long as prose of the same size `read(worst)` takes (warmed first)."""
    read(prose(1000))
    return best_time(worst, read=read) / best_time(prose(SIZE), read=read)


def worst_lines(patterns: list[str], lines: dict[str, Callable[[int], str]]) -> dict[str, str]:
    """Name -> line: each pattern repeated to `SIZE` characters, then each of `lines`."""
    repeated = {p: (p * (SIZE // len(p) + 1))[:SIZE] for p in patterns}
    return repeated | {name: make(SIZE) for name, make in lines.items()}


PARSER_LINES = worst_lines(WORST, WORST_LINES)


@pytest.mark.slow
@pytest.mark.parametrize("worst", list(PARSER_LINES.values()), ids=list(PARSER_LINES))
def test_a_worst_case_line_costs_no_more_than_prose(worst: str, prose_time: float) -> None:
    ratio = best_time(worst) / prose_time
    assert ratio <= MAX_RATIO, f"{worst[:12]!r}... ({SIZE:,} characters): {ratio:.1f} times prose"


def parse_daily(text: str) -> Note:
    """A daily note's line that starts with a name: the parser also keeps its names
    (`vaultnet.vault.names`), whose patterns once took 18 s on `a.` repeated, then ` x://`."""
    return parse_note("2026-12-07.md", "Jane Doe " + text)


def readers_and_lines() -> list[object]:
    """(reader, worst line) parameters: the related engine's readers and a daily note's parse."""
    readers = {
        "related readers": (related_readers, worst_lines(RELATED_WORST, RELATED_WORST_LINES)),
        "a daily note": (parse_daily, PARSER_LINES),
    }
    return [
        pytest.param(read, line, id=f"{name}: {line_id}")
        for name, (read, lines) in readers.items()
        for line_id, line in lines.items()
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("read", "worst"), readers_and_lines())
def test_a_worst_case_line_costs_a_reader_no_more_than_prose(
    read: Callable[[str], object], worst: str
) -> None:
    ratio = times_prose(worst, read)
    assert ratio <= MAX_RATIO, f"{worst[:12]!r}... ({SIZE:,} characters): {ratio:.1f} times prose"


@pytest.mark.slow
@pytest.mark.parametrize("link", ["[[a]] ", "[a](b) "])
def test_a_wrapped_line_of_links_costs_no_more_than_the_same_links_alone(link: str) -> None:
    """Each link's passage (the sentence wrapped around it) was looked for again from each link
    of its line, over the whole line: 20 s for a paragraph of 6,000 links at 40,000 characters.
    A line's links cost what they cost (each one a record); wrapping the line adds little."""
    line = (link * SIZE)[: SIZE - 6]
    parse_worst(line)
    ratio = best_time(line + "\nand b") / best_time(line)
    assert ratio <= 2.0, f"{link!r}... ({SIZE:,} characters), wrapped: {ratio:.1f} times unwrapped"
