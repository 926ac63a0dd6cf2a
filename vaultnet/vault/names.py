"""Names written without a link: the name-like words of a dated note's lines, found once when the
note is read, so that finding a person's unlinked mentions is a lookup, never a read of every
note's text (`vaultnet.people.unlinked` matches them against the contacts' names). Pure.

A name is written with capitals (`Jane Doe`, `JANE DOE`, `Maria de la Cruz`): a line's
*capitalised runs* are its sequences of words that start with a capital letter (or belong to a
script without case), joined across up to two short lower-case words (`de la`, `van`). Each pair
of neighbouring words in a run whose first word is capitalised, case-folded, is a key: a name of
two or more words can only be in a line that holds its first two words as such a pair. Text that is no mention is left out
first: links (their display text too), code, math, tags, URLs, HTML and `%%` comments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise

from vaultnet.vault.terms import ASCII_WORD, URL_START, words

LINKS = re.compile(r"!?\[\[[^\[\]\n]*\]\]|!?\[[^\[\]\n]*\]\([^()\n]*\)")
"""Wikilinks, embeds and markdown links, display text included."""
NOT_TEXT = re.compile(
    r"`+[^`\n]*`+"  # inline code
    r"|\$[^$\n]+\$"  # inline math
    r"|<!--|</?[A-Za-z][^<>\n]*>"  # an HTML comment's start (`_without_not_text`) and tags
    rf"|{URL_START}\S+"  # URLs
    r"|(?<!\S)#[^\s#]+",  # tags
    re.IGNORECASE,
)
SHORT_JOINER = 3
"""A lower-case word this short (`de`, `la`, `van`) may sit inside a name."""
CONTEXT_CHARS = 300
GAP = "\0"
"""What a removed link or code span leaves: words on either side never make one name."""
ASCII_PAIR = re.compile(
    r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*[^A-Za-z0-9\n\0]+"
    r"(?:[a-z0-9][A-Za-z0-9]{0,2}[^A-Za-z0-9\n\0]+){0,2}[A-Z]"
)
"""A capitalised word, up to two short lower-case words, a capitalised word: an ASCII line
without this holds no capitalised run (checked before anything costlier)."""
ASCII_RUN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*"
    r"(?:[^A-Za-z0-9\n\0]+(?:[a-z0-9][A-Za-z0-9]{0,2}[^A-Za-z0-9\n\0]+){0,2}[A-Z][A-Za-z0-9]*)+"
)
"""`capital_runs` on ASCII text, in one pattern: capitalised words joined by up to two short
lower-case words, never across a `GAP`."""
_MARKUP = re.compile(r"[\[`$<#%:]")


def plain_text(line: str) -> str:
    """A line without what can hold no unlinked mention: links, code, math, HTML, URLs, tags
    and `%%` comments (each replaced by `GAP`, so no two words meet across it), NFC-normalised."""
    if _MARKUP.search(line):
        if "%%" in line:
            line = re.sub(r"%%.*?(?:%%|$)", GAP, line)
        line = LINKS.sub(GAP, line)
        line = _without_not_text(line)
    if not line.isascii() and not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    return line


def _without_not_text(line: str) -> str:
    """`line` with each `NOT_TEXT` match replaced by `GAP`, an HTML comment from `<!--` to the
    next `-->` (an unclosed `<!--` is text). The end of a comment is found with `str.find`, and
    not again once there is none: a pattern `<!--.*?-->` looked for it from every `<!--` of a
    line full of unclosed ones (8 s at 100,000 characters)."""
    parts: list[str] = []
    start = pos = 0
    closes = "-->" in line
    while found := NOT_TEXT.search(line, pos):
        end = found.end()
        if found.group() == "<!--":
            closing = line.find("-->", end) if closes else -1
            if closing < 0:
                closes = False  # no `-->` after this one: every later `<!--` is text too
                pos = found.start() + 1
                continue
            end = closing + 3
        parts += [line[start : found.start()], GAP]
        start = pos = end
    return "".join(parts) + line[start:] if parts else line


def is_capital(word: str) -> bool:
    """A word that can start a name: a capital first letter, or a script without case."""
    first = word[0]
    return first.isupper() or (first.isalpha() and not first.islower())


def capital_runs(text: str) -> list[list[str]]:
    """The runs of capitalised words in `text` (plain text), two words or more, each a list of
    its words as written."""
    if text.isascii():
        return [ASCII_WORD.findall(m.group()) for m in ASCII_RUN.finditer(text)]
    runs: list[list[str]] = []
    for piece in text.split(GAP):
        runs += _runs(words(piece))
    return runs


def _runs(words: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    run: list[str] = []
    joiners: list[str] = []
    for word in words:
        if is_capital(word):
            run += [*joiners, word] if run else [word]
            joiners = []
        elif run and len(word) <= SHORT_JOINER and len(joiners) < 2:
            joiners.append(word)
        else:
            if len(run) > 1:
                runs.append(run)
            run, joiners = [], []
    if len(run) > 1:
        runs.append(run)
    return runs


def lines_matching(lines: list[str], pattern: re.Pattern[str], text: str | None = None) -> set[int]:
    """The 0-based indexes of the lines where `pattern` (which never spans lines) matches, in
    one search of the whole text (`text`: the lines joined, perhaps lower-cased)."""
    text = "\n".join(lines) if text is None else text
    found: set[int] = set()
    line, at = 0, 0
    for match in pattern.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        found.add(line)
    return found


def pair_key(first: str, second: str) -> str:
    """The key a name's first two words are found under (case-folded)."""
    return f"{first.casefold()} {second.casefold()}"


def name_lines(
    lines: list[str], start: int, code: Iterable[tuple[int, int]]
) -> list[tuple[int, str, tuple[str, ...]]]:
    """(1-based line, stripped line text, pair keys) of the body lines (from `start`, outside
    the `code` ranges and `%%` comments that span lines) that hold a capitalised run."""
    in_code = {n for a, b in code for n in range(a, b)}
    # one search of the whole text, its links left out, finds the ASCII lines worth a look
    text = LINKS.sub(GAP, "\n".join(lines))
    maybe = lines_matching(lines, ASCII_PAIR, text)
    if not text.isascii():
        maybe |= {n for n, line in enumerate(lines) if not line.isascii()}
    found: list[tuple[int, str, tuple[str, ...]]] = []
    comment = False
    for n in range(start, len(lines)):
        line = lines[n]
        if n in in_code or (n not in maybe and not comment and "%%" not in line):
            continue
        if "%%" in line:
            # a comment that spans lines: the part outside it is text
            pieces = line.split("%%")
            kept = [p for i, p in enumerate(pieces) if (i % 2 == 0) != comment]
            if len(pieces) % 2 == 0:
                comment = not comment
            line = GAP.join(kept)
        elif comment:
            continue
        if line.isascii() and not ASCII_PAIR.search(line):
            continue
        keys = {
            pair_key(a, b)
            for run in capital_runs(plain_text(line))
            for a, b in pairwise(run)
            if is_capital(a)
        }
        if keys:
            found.append((n + 1, lines[n].strip()[:CONTEXT_CHARS], tuple(sorted(keys))))
    return found
