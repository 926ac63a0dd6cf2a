"""Markdown links in plain text (a note's raw text, outside the parser): `[text](destination
"title")`, images `![...](...)`, and reference links with their definitions. Pure regexes, each
linear in the length of a line: no quantifier can take the same characters as its neighbour, so
a line of `[a](` or of spaces repeated costs no more than prose (tests/test_parse_worst.py)."""

from __future__ import annotations

import re

_PLAIN = r"[^()\[\]\s\\]"
"""A character of a bare destination that needs no rule: no bracket, parenthesis, space or `\\`."""
MARKDOWN_LINK = re.compile(
    r"!?\[([^\[\]\n]*)\]\("
    r"\s*+"
    rf"(<[^<>\n]*>|(?:{_PLAIN}|\\.|\({_PLAIN}*\)|\[{_PLAIN}*\])*+)"
    r"(?:\s++\"[^\"\n]*\")?"
    r"\s*+\)"
)
"""`[text](destination "title")` or `![...](...)`: group 1 the text, group 2 the destination, as
written. A bare destination may hold an escaped character (`T\\(x.md`) and one level of balanced
parentheses or brackets (`Meeting%20(2024).md`, as Obsidian writes a link to `Meeting (2024).md`;
`T[1].md`); an angled one (`<a b.md>`) anything but `<` and `>`."""
REFERENCE_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\[[^\[\]\n]*\]")
"""`[text][label]` (or `[text][]`): a link whose destination a definition gives."""
LINK_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\[\]\n]+\]:[ \t]*\S+[^\n]*$", re.MULTILINE)
"""`[label]: destination "title"`, a reference link's definition, on a line of its own."""
