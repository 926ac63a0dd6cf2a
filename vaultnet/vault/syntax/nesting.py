"""Lists and quotes nested to any depth, read with bounded recursion.

markdown-it reads a nested list or quote by recursion, and past `maxNesting` it skips the rest of
the note without a word (`ParserBlock.tokenize`): after a list 60 levels deep, even the next
paragraph's links were lost. This block parser reads lists and quotes as markdown-it does down to
`MAX_DEPTH` levels. A container deeper than that is read as plain lines: its lines lose their
list and quote markers and are parsed as a document of their own, so its links, tags, code fences
and comments are all still found, and its first line is recorded in the environment
(`TOO_DEEP_KEY`) for the note's `too-deeply-nested` problem: only structure that depth cannot show
(an indented code block past it reads as text) is lost.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markdown_it.parser_block import ParserBlock

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock


MAX_DEPTH = 100
"""Lists and quotes read as markdown-it reads them, one level per list item or quote: a few
Python frames each, well inside the recursion limit."""

DEPTH_KEY = "block_depth"
"""env key: how many lists and quotes enclose the lines being read."""

TOO_DEEP_KEY = "too_deep_from"
"""env key: the 0-based line where the first container past `MAX_DEPTH` begins."""

CONTAINER_MARKERS = re.compile(
    r"^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*", re.M
)
"""What opens a quote or list item (and the indentation before it) at the start of a line."""


class NestingBlockParser(ParserBlock):
    """markdown-it's block parser with the depth rule above (the ruler and rules are its own)."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        depth = int(state.env.get(DEPTH_KEY, 0))
        if depth > MAX_DEPTH:
            _read_flat(self, state, startLine, endLine)
            return
        state.env[DEPTH_KEY] = depth + 1
        try:
            _tokenize(self, state, startLine, endLine)
        finally:
            state.env[DEPTH_KEY] = depth


def too_deep(env: dict[str, Any]) -> tuple[int, str] | None:
    """(0-based line, message) when the parse that used `env` met a container past `MAX_DEPTH`."""
    line = env.get(TOO_DEEP_KEY)
    if line is None:
        return None
    return int(line), (
        f"lists or quotes nest deeper than {MAX_DEPTH} levels here: read as plain lines "
        "(links and tags are kept; an indented code block this deep reads as text)"
    )


def _tokenize(parser: ParserBlock, state: StateBlock, startLine: int, endLine: int) -> None:
    """`ParserBlock.tokenize` of markdown-it-py 4 without its `maxNesting` cut-off (depth is
    bounded above instead)."""
    rules = parser.ruler.getRules("")
    line = startLine
    has_empty_lines = False
    while line < endLine:
        state.line = line = state.skipEmptyLines(line)
        if line >= endLine or state.sCount[line] < state.blkIndent:
            break
        for rule in rules:
            if rule(state, line, endLine, False):
                if state.line <= line:
                    raise RuntimeError("block rule didn't increment state.line")
                break
        else:
            raise RuntimeError("none of the block rules matched")
        state.tight = not has_empty_lines
        line = state.line
        if (line - 1) < endLine and state.isEmpty(line - 1):
            has_empty_lines = True
        if line < endLine and state.isEmpty(line):
            has_empty_lines = True
            line += 1
            state.line = line


def _read_flat(parser: ParserBlock, state: StateBlock, startLine: int, endLine: int) -> None:
    """The container's lines without their markers, parsed apart and their tokens put here."""
    line = state.skipEmptyLines(startLine)
    stop = line
    while stop < endLine and (state.isEmpty(stop) or state.sCount[stop] >= state.blkIndent):
        stop += 1
    state.line = stop
    if line >= stop:
        return
    state.env.setdefault(TOO_DEEP_KEY, line)
    text = CONTAINER_MARKERS.sub("", state.getLines(line, stop, state.blkIndent, False))
    tokens = parser.parse(text, state.md, {}, []) or []
    for token in tokens:
        if token.map:
            token.map = [token.map[0] + line, token.map[1] + line]
        state.tokens.append(token)
