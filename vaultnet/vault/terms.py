"""A note's words, counted: the text signal of related notes reads these. Pure.

Words are runs of letters and digits, case-folded. Scripts written without spaces between words
need a dictionary-free rule: Chinese and Japanese (kana and kanji) become overlapping character
bigrams, the usual way to index them (a lone character stays a unigram); Thai, Lao, Khmer and
Burmese runs are cut at their combining vowel signs and tone marks, and each piece is a term
(pieces close to syllables: on Obsidian's Thai and Khmer help vaults this recovers more hidden
links than bigrams did, 0.50 -> 0.56 and 0.43 -> 0.46 recall@10, docs/benchmarks.md). English
stop words, bare numbers and one-letter words are dropped, and of a URL only its path's words
count (`_url_paths`).

Code blocks count too (`code_terms`): identifiers are split into their words first
(`parseHTTPResponse` -> parse HTTP Response; `snake_case` and `dotted.names` split as any
text does), so a note whose topic is in its code shares words with the notes that explain it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any
from urllib.parse import unquote


@cache
def _mark_ranges() -> str:
    """A character class body of the combining marks (Unicode categories Mn, Mc, Me) of the
    Basic Multilingual Plane: `\\w` leaves them out, which would cut Devanagari, Bengali, Thai or
    Khmer words (and decomposed accents) at every vowel sign."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


@cache
def word_pattern() -> re.Pattern[str]:
    """A word: a run of letters, digits and combining marks. Compiled on first use: finding
    the marks takes 25 ms, which a command that parses no note never spends."""
    return re.compile(rf"(?:[^\W_]|[{_mark_ranges()}])+")


ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
"""`word_pattern()` on ASCII text, without its Unicode classes."""


def words(text: str) -> list[str]:
    """The words of `text` (`word_pattern`): ASCII text never builds the combining marks' class
    (25 ms of the 0.27 s of a `scan` that finds one note of an English vault changed)."""
    return (ASCII_WORD if text.isascii() else word_pattern()).findall(text)


@cache
def _marks() -> re.Pattern[str]:
    return re.compile(f"[{_mark_ranges()}]+")


URL_START = r"\b[a-z][a-z0-9+.-]{0,31}://"
"""Where a URL starts (matched ignoring case): a scheme of at most 32 characters, then `://`. A
longer run of letters and dots before `://` is read in linear time, not from each of its words
(`a.a.a. ... x://` took 18 s at 100,000 characters)."""
_URL_CHAR = r"[^\s?#()<>\[\]]"
URL = re.compile(
    rf"{URL_START}[^/?#\s<>\[\]]*"
    rf"(/(?:{_URL_CHAR}|\({_URL_CHAR}*\))*)?"
    r"[^\s<>\[\]]*",
    re.IGNORECASE,
)
"""A URL: its scheme and host, its path (group 1: one level of parentheses, as in Wikipedia's
`Weak_(sociology)`), then its query and fragment. It ends at a space, a bracket or `<>`, so
`[a](https://x.org/p)|[b](https://y.org)` is two URLs."""


def _url_paths(text: str) -> str:
    """`text` with each URL cut down to its path, unescaped: a repository's owner and name, an
    article's slug are words the note is about; the scheme, host, query and fragment are noise.
    (URLs dropped whole lost obsidian-hub's plugin authors, whose handle is in each plugin note's
    GitHub links: the text signal alone found 0.069 of its hidden links, 0.095 with the path
    words, against 0.096 for a plain TF-IDF over the raw text; docs/benchmarks.md, stop 34.)"""
    return URL.sub(lambda url: f" {unquote(url.group(1) or '')} ", text)


# Han, kana, the CJK ranges, and the Southeast Asian scripts (Thai, Lao, Myanmar, Khmer): no
# spaces between words in these scripts.
_SEA = r"\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_HAN = r"\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{_SEA}{_HAN}]+")
UNSPACED = re.compile(f"(?P<sea>[{_SEA}]+)|[{_HAN}]+")
"""A run of one of the two kinds (`sea`: the Southeast Asian scripts)."""
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
"""Where an identifier's words meet: `parseHTTPResponse` -> parse|HTTP|Response."""
MAX_WORD = 40
"""Longer runs are hashes, base64 or minified code, not words."""

_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    i ll re ve don doesn didn isn aren wasn weren won can't cannot may might must shall us let
    via etc eg ie yes
    http https www com org net html md png jpg
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def note_terms(title: str, body_lines: Iterable[str], properties: dict[str, Any]) -> dict[str, int]:
    """Term counts of a note: its title, body lines (callers leave out code) and string
    property values (keys are not content)."""
    text = "\n".join([title, *body_lines, *strings_in(properties)])
    if "://" in text:  # the only way a URL starts: skip the substitution otherwise
        text = _url_paths(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # `café` typed either way is one word
    counts: dict[str, int] = {}
    get, folded = counts.get, _FOLDED.get
    # Count raw words first (in C), then fold each distinct word once (cached across notes; a
    # stop word is cached as no terms, so it is looked up, not folded again).
    for word, n in Counter(words(text.casefold())).items():
        terms = folded(word)
        for term in _fold(word) if terms is None else terms:
            counts[term] = get(term, 0) + n
    return dict(sorted(counts.items()))


def code_terms(lines: Iterable[str]) -> dict[str, int]:
    """Term counts of code lines: identifiers split into their words, then counted as text."""
    return note_terms("", (CAMEL.sub(" ", line) for line in lines), {})


def add_counts(whole: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    """Both counts together, sorted by term."""
    if not more:
        return whole
    total = dict(whole)
    for term, n in more.items():
        total[term] = total.get(term, 0) + n
    return dict(sorted(total.items()))


def subtract_counts(whole: dict[str, int], part: dict[str, int]) -> dict[str, int]:
    """The counts of `whole` without those of `part`, a piece of the same text (term counts add
    up line by line: no word spans two lines). Terms left at zero drop; the order stays."""
    if not part:
        return whole
    return {t: n - part.get(t, 0) for t, n in whole.items() if n > part.get(t, 0)}


_FOLDED: dict[str, tuple[str, ...]] = {}
"""Raw word -> its terms; a vocabulary is small next to the words written with it."""
_FOLDED_MAX = 500_000


def _fold(word: str) -> tuple[str, ...]:
    if word.isascii() or not CJK.search(word):
        terms: tuple[str, ...] = (_singular(word),) if _keep(word) else ()
    else:
        terms = tuple(_cjk_terms(word))
    if len(_FOLDED) < _FOLDED_MAX:
        _FOLDED[word] = terms
    return terms


def tokens(text: str) -> Iterator[str]:
    """The index terms of `text`, in order."""
    keep, singular, cjk = _keep, _singular, CJK.search
    if "://" in text:  # the only way a URL starts: skip the substitution otherwise
        text = _url_paths(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for word in words(text.casefold()):
        if word.isascii() or not cjk(word):
            if keep(word):
                yield singular(word)
            continue
        yield from _cjk_terms(word)


def _cjk_terms(word: str) -> Iterator[str]:
    """A word mixing scripts: Han and kana runs become character bigrams, Thai, Lao, Khmer and
    Burmese runs their pieces between combining marks, the rest stays whole."""
    start = 0
    for run in UNSPACED.finditer(word):
        if run.start() > start and _keep(word[start : run.start()]):
            yield word[start : run.start()]
        chars = run.group()
        if run.group("sea"):
            yield from _pieces(chars)
        elif len(chars) == 1:
            yield chars
        else:
            yield from (chars[i : i + 2] for i in range(len(chars) - 1))
        start = run.end()
    if start < len(word) and _keep(word[start:]):
        yield word[start:]


def _pieces(chars: str) -> Iterator[str]:
    """A Thai, Lao, Khmer or Burmese run cut at its combining marks: each piece a term (a lone
    letter too, as a lone Han character is), but no number (`๑๒๓`, as `123` is none) and no
    piece past `MAX_WORD` whole (a long run without marks gives its bigrams)."""
    for piece in _marks().split(chars):
        if not piece or piece.isdigit():
            continue
        if len(piece) <= MAX_WORD:
            yield piece
        else:
            yield from (piece[i : i + 2] for i in range(len(piece) - 1))


def _singular(word: str) -> str:
    """A light English plural folding (`customers` -> `customer`, `stories` -> `story`)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _keep(word: str) -> bool:
    return 1 < len(word) <= MAX_WORD and not word.isdigit() and word not in STOP_WORDS


def strings_in(value: Any) -> Iterator[str]:
    """Every text inside a property value (lists and mappings included), in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
