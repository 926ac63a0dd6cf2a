"""Sentences wrapped over several lines: many people wrap a paragraph or a list item by hand (or
their editor does), so a link's line can stop mid-sentence. A quote of it joins the lines that
carry the sentence on. Pure."""

from __future__ import annotations

import re

PASSAGE_CHARS = 600
"""A passage is cut at this many characters (a quote shows far fewer)."""
_SENTENCE_END = ".!?:;…"
_CLOSERS = ")]*_'\"\u2019"
"""What may follow a sentence's last mark: `(see this.)`, `*done.*`, a closing quote."""
_CARRIES_ON = re.compile(
    r"(?:[,(\-\u2013\u2014/&+]|\b(?:and|or|but|with|to|of|the|a|an|for|in|on|at|by|from|about|that|as|via|than|into|like))$",
    re.IGNORECASE,
)
"""Read on a line's last `_TAIL` characters, trailing spaces cut: a search of the whole line
from each of its positions cost the square of its length (a paragraph of 6,000 links)."""
_TAIL = 12
_STARTS_BLOCK = re.compile(r"(?:[-*+]|\d+[.)])\s|[#>|]")
"""A line that starts a list item, heading, quote or table row starts something new."""
PASSAGE_LINES = 4
"""At most this many lines either side of a link's line join its passage."""


def carries_on(line: str, following: str) -> bool:
    """Whether `following` carries on the sentence `line` started: `line` ends no sentence and
    either stops on a word that cannot end one (`with`, `and`, a comma) or `following` starts in
    lower case. A table row, a list item, a heading or a quote never joins the line before."""
    following = following.lstrip()
    if not following or line.lstrip().startswith("|") or _STARTS_BLOCK.match(following):
        return False
    end = line.rstrip()
    last = end.rstrip(_CLOSERS)[-1:]
    if last and last in _SENTENCE_END:
        return False
    return bool(_CARRIES_ON.search(end[-_TAIL:])) or following[0].islower()


def wrapped_passage(lines: list[str], at: int) -> str:
    """The sentence around line `at` of a paragraph's `lines` when it is wrapped over several
    of them: the lines that carry it on joined with spaces (at most `PASSAGE_CHARS`); "" when
    line `at` stands alone."""
    if not 0 <= at < len(lines):
        return ""
    start = at
    while start > 0 and at - start < PASSAGE_LINES and carries_on(lines[start - 1], lines[start]):
        start -= 1
    end = at
    while (
        end + 1 < len(lines) and end - at < PASSAGE_LINES and carries_on(lines[end], lines[end + 1])
    ):
        end += 1
    if start == end:
        return ""
    return " ".join(line.strip() for line in lines[start : end + 1])[:PASSAGE_CHARS]
