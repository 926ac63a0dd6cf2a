"""Text in, a `Note` out: frontmatter, links, tags, aliases, inline fields and date. No file I/O."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from vaultnet.vault.dates import parse_date_value
from vaultnet.vault.model import (
    GENERATOR_KEY,
    Link,
    LinkKind,
    Note,
    Problem,
    block_begin,
    block_end,
)
from vaultnet.vault.names import name_lines
from vaultnet.vault.needs import may_need, need_lines
from vaultnet.vault.properties import read_frontmatter
from vaultnet.vault.resolve import note_stem
from vaultnet.vault.sentences import wrapped_passage
from vaultnet.vault.settings import VaultSettings
from vaultnet.vault.syntax.position import LINE_KEY
from vaultnet.vault.syntax.tags import is_tag
from vaultnet.vault.syntax.wikilinks import find_wikilinks, split_wikilink
from vaultnet.vault.terms import add_counts, code_terms, note_terms, strings_in

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


URL_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
# Keys and values are taken whole and stripped after (possessive, no lazy part before `\s*`): a
# line of spaces or `*` would otherwise cost cubic time in backtracking.
INLINE_FIELD_LINE = re.compile(
    r"^\s*(?:>\s*)*(?:[-*+]\s+(?:\[.\]\s+)?|\d+[.)]\s+)?\**([^\s:*\[\]()>#][^:\[\]()]*+)::(.*)"
)
INLINE_FIELD_BRACKETED = re.compile(r"[\[(]([^\s:\[\]()][^:\[\]()]*+)::([^\[\]()]*+)[\])]")
# Only these characters can start something the inline rules look for: skip other blocks.
INLINE_TRIGGERS = re.compile(r"[\[#%]")
DATED_LINE = re.compile(
    r"^[ \t]*[-*+][ \t]+(?:\[.\][ \t]+)?(?:\*\*|\[\[)?(\d{4}-\d\d-\d\d)(?:\*\*|\]\])?(?=[\s:,.;)]|$)",
    re.MULTILINE,
)
CONTEXT_CHARS = 300


@cache
def _markdown() -> MarkdownIt:
    from vaultnet.vault.syntax.markdown import obsidian_markdown  # markdown-it loads only to parse

    return obsidian_markdown()


_BLOCK_BEGIN = re.compile(block_begin("([a-z0-9_-]+)", "[0-9a-f]{32}"))
"""`model.block_begin` with the generator's name captured."""


def _without_marked_blocks(lines: list[str]) -> list[str]:
    """vaultnet's marked blocks (`vaultnet.pages.blocks`) blanked: its output is never read back as
    the note's content. Line numbers stay; a begin marker without its end is left as text."""
    lines = list(lines)
    i = 0
    while i < len(lines):
        begin = _BLOCK_BEGIN.fullmatch(lines[i])
        end = block_end(begin.group(1)) if begin else ""
        stop = next((j for j in range(i + 1, len(lines)) if lines[j] == end), None) if end else None
        if stop is None:
            i += 1
            continue
        lines[i : stop + 1] = [""] * (stop + 1 - i)
        i = stop + 1
    return lines


def parse_note(path: str, text: str, settings: VaultSettings | None = None) -> Note:
    """Read one note as Obsidian would. `path` is vault-relative POSIX; never raises on bad input."""
    settings = settings or VaultSettings()
    text = text.removeprefix("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "<!-- vaultnet:" in text:
        lines = _without_marked_blocks(lines)
    fm = read_frontmatter(lines)
    problems = []
    if fm.error:
        line, kind, message = fm.error
        problems.append(Problem(path, line, kind, message))
    properties = fm.properties
    body = "\n" * fm.body_line + "\n".join(lines[fm.body_line :])
    links: list[Link] = list(_frontmatter_links(properties, lines[: fm.body_line], fm.body_line))
    body_tags: list[str] = []
    code_lines, too_deep = _scan_body(body, links, body_tags)
    if too_deep is not None:
        problems.append(Problem(path, too_deep[0] + 1, "too-deeply-nested", too_deep[1]))
    contexts: dict[int, str] = {}  # each line stripped once, however many links it holds
    for i, link in enumerate(links):
        links[i] = _with_context(link, lines, contexts)
    inline_fields = _inline_fields(lines, fm.body_line, code_lines) if "::" in body else {}
    dated = dated_lines(lines, fm.body_line, code_lines) if DATED_LINE.search(body) else []
    title = properties.get("title")
    title = title.strip() if isinstance(title, str) and title.strip() else note_stem(path)
    code = code_terms(_code_text(lines, code_lines))
    generator = properties.get(GENERATOR_KEY)
    date = settings.daily_date(path) or _property_date({**inline_fields, **properties})
    names = name_lines(lines, fm.body_line, code_lines) if date and not generator else []
    # what someone looks for is read from their own note: never a dated one (a day, a meeting)
    needs = need_lines(lines, fm.body_line, code_lines) if not date and may_need(body) else []
    return Note(
        path=path,
        title=title,
        frontmatter=properties,
        links=tuple(links),
        tags=_distinct([*property_tags(properties), *body_tags]),
        aliases=_distinct(_property_list(properties, "aliases", "alias")),
        date=date,
        inline_fields=inline_fields,
        problems=tuple(problems),
        generator=str(generator) if generator else None,
        terms=add_counts(
            note_terms(title, _prose_lines(lines, fm.body_line, code_lines), properties), code
        ),
        anchored_terms=note_terms(
            title, _linked_lines(lines, fm.body_line, code_lines, links), properties
        ),
        dated_lines=tuple(dated),
        name_lines=tuple(names),
        need_lines=tuple(needs),
        code_terms=code,
    )


def dated_lines(
    lines: list[str], start: int = 0, code: list[tuple[int, int]] | None = None
) -> list[tuple[int, str, str]]:
    """List items that start with a real date, outside code: (1-based line, ISO date, stripped
    line text). `- 2026-03-07 coffee`, `- [x] 2026-03-07: call`, `- [[2026-03-07]] lunch`."""
    found: list[tuple[int, str, str]] = []
    in_code = _code_lines(code or ())
    for n in range(start, len(lines)):
        match = DATED_LINE.match(lines[n])
        if match is None or n in in_code:
            continue
        day = parse_date_value(match.group(1))
        if day is not None:
            found.append((n + 1, day.isoformat(), lines[n].strip()[:CONTEXT_CHARS]))
    return found


def _code_lines(code: Iterable[tuple[int, int]]) -> set[int]:
    """The 0-based line numbers inside code blocks, from their (start, end) ranges."""
    return {n for a, b in code for n in range(a, b)}


def _prose_lines(lines: list[str], start: int, code: list[tuple[int, int]]) -> list[str]:
    """Body lines outside code blocks."""
    prose = lines[start:]
    for a, b in reversed(code):  # code ranges are body-relative line numbers, in order
        del prose[max(a - start, 0) : max(b - start, 0)]
    return prose


def _code_text(lines: list[str], code: list[tuple[int, int]]) -> list[str]:
    """The lines of the code blocks, fences included (`python` says what the code is)."""
    return [line for a, b in code for line in lines[a:b]]


def _linked_lines(
    lines: list[str], start: int, code: list[tuple[int, int]], links: list[Link]
) -> list[str]:
    """The body lines outside code blocks that hold a link (each once)."""
    in_code = _code_lines(code)
    numbers = {link.line - 1 for link in links}
    return [lines[n] for n in sorted(numbers) if start <= n < len(lines) and n not in in_code]


def _scan_body(
    body: str, links: list[Link], tags: list[str]
) -> tuple[list[tuple[int, int]], tuple[int, str] | None]:
    """Append the body's links and tags in document order; return the code blocks' line ranges
    and, when lists or quotes nest too deep to read exactly, (0-based line, message)."""
    from vaultnet.vault.syntax.nesting import too_deep  # markdown-it loads only to parse

    md = _markdown()
    env: dict[str, Any] = {}
    code: list[tuple[int, int]] = []
    for token in md.parse(body, env):
        if token.type in ("fence", "code_block") and token.map:
            code.append((token.map[0], token.map[1]))
        if token.type != "inline" or not INLINE_TRIGGERS.search(token.content):
            continue
        env[LINE_KEY] = (token.map[0] if token.map else 0) + 1
        children: list[Token] = []
        md.inline.parse(token.content, md, env, children)
        count = len(links)
        _collect(children, links, tags, env[LINE_KEY])
        if len(links) > count and token.map and "\n" in token.content:
            lines = token.content.split("\n")
            if len(lines) == token.map[1] - token.map[0]:
                passages: dict[int, str] = {}  # each line's once, however many links it holds
                for i in range(count, len(links)):
                    at = links[i].line - 1 - token.map[0]
                    if at not in passages:
                        passages[at] = wrapped_passage(lines, at)
                    links[i] = replace(links[i], passage=passages[at])
    return code, too_deep(env)


def _collect(children: list[Token], links: list[Link], tags: list[str], item: int) -> None:
    """Append the links and tags of one inline block that starts at line `item`."""
    for i, token in enumerate(children):
        if token.type == "wikilink":
            parts = split_wikilink(token.content)
            kind: LinkKind = "embed" if token.meta["embed"] else "wikilink"
            links.append(
                Link(
                    parts.target,
                    kind,
                    token.meta["line"],
                    parts.heading,
                    parts.block,
                    parts.display,
                    token.meta["commented"],
                    item_line=item,
                )
            )
        elif token.type == "tag":
            tags.append(token.content)
        elif token.type in ("link_open", "image"):
            href = str(token.attrGet("href" if token.type == "link_open" else "src") or "")
            display = token.content if token.type == "image" else _link_text(children, i)
            link = _markdown_link(href, display, token, item)
            if link is not None:
                links.append(link)


def _markdown_link(href: str, display: str, token: Token, item: int) -> Link | None:
    """`[text](Folder/My%20Note.md#Heading)` -> a link, unless it points outside the vault."""
    if not href or URL_SCHEME.match(href) or href.startswith("//"):
        return None
    path, _, fragment = href.partition("#")
    fragment = unquote(fragment).strip()
    heading = block = None
    if fragment.startswith("^"):
        block = fragment[1:]
    elif fragment:
        heading = fragment
    if not path and not fragment:
        return None
    kind: LinkKind = "embed" if token.type == "image" else "markdown"
    meta = token.meta or {}
    return Link(
        unquote(path).strip(),
        kind,
        int(meta.get("line", 0)),
        heading,
        block,
        display,
        bool(meta.get("commented")),
        item_line=item,
        markdown=True,
    )


def _link_text(children: list[Token], start: int) -> str:
    parts = []
    for i in range(start + 1, len(children)):  # not a slice: a line of links stays linear
        if children[i].type == "link_close":
            break
        parts.append(children[i].content)
    return "".join(parts).strip()


def _frontmatter_links(properties: dict[str, Any], fm_lines: list[str], end: int) -> Iterator[Link]:
    """Wikilinks in (quoted) property values; each on the first frontmatter line that shows it
    (from the line of the link before it on), else on the first line that does, else line 1."""
    shown_on: dict[str, list[int]] = defaultdict(list)
    for n in range(end):  # a link written as it reads (no YAML escape or folding) is found here
        for written in find_wikilinks(fm_lines[n]):
            shown_on[written.text].append(n)
            if written.embed:  # `[[x]]` shows in `![[x]]` too
                shown_on[written.text[1:]].append(n)
    cursor = 0
    for value in strings_in(properties):
        for found in find_wikilinks(value):
            lines = shown_on.get(found.text, [])
            at = bisect_left(lines, cursor)
            line = lines[at] if at < len(lines) else lines[0] if lines else 0
            cursor = line
            parts = found.parts
            yield Link(
                parts.target, "frontmatter", line + 1, parts.heading, parts.block, parts.display
            )


def _with_context(link: Link, lines: list[str], contexts: dict[int, str]) -> Link:
    text = contexts.get(link.line)
    if text is None:
        n = link.line
        text = contexts[n] = lines[n - 1].strip()[:CONTEXT_CHARS] if 0 < n <= len(lines) else ""
    return replace(link, context=text)


def property_tags(properties: dict[str, Any]) -> list[str]:
    """The tags of the `tags` / `tag` property, by Obsidian's rules (no `#`, no numbers alone)."""
    return _property_list(properties, "tags", "tag", tags=True)


def _property_list(properties: dict[str, Any], *keys: str, tags: bool = False) -> list[str]:
    """`tags`/`aliases` and their deprecated singular: a list, or a comma-separated string."""
    items: list[str] = []
    for key in keys:
        value = properties.get(key)
        if isinstance(value, str):
            parts = re.split(r"[,\s]+" if tags else r",", value)
        elif isinstance(value, list):
            parts = [
                str(v)
                for v in value
                if v is not None and not isinstance(v, dict | list | bool)  # `- true` is no name
            ]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            parts = [str(value)]
        else:
            continue
        for part in parts:
            item = part.strip().lstrip("#").strip() if tags else part.strip()
            if item and (not tags or is_tag(item)):
                items.append(item)
    return items


def _distinct(items: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return tuple(seen.values())


def _property_date(properties: dict[str, Any]) -> dt.date | None:
    return parse_date_value(properties.get("date"))


def _inline_fields(lines: list[str], start: int, code: list[tuple[int, int]]) -> dict[str, Any]:
    """Dataview `key:: value` fields (whole-line, `[key:: value]` and `(key:: value)`)."""
    fields: dict[str, Any] = {}
    in_code = _code_lines(code)
    for n in range(start, len(lines)):
        line = lines[n]
        if "::" not in line or n in in_code:
            continue
        pairs = INLINE_FIELD_BRACKETED.findall(line)
        if not pairs:
            match = INLINE_FIELD_LINE.match(line)
            # `**key**:: value`: the key without the bold's stars
            pairs = [(match[1].rstrip().rstrip("*"), match[2])] if match else []
        for key, value in pairs:
            key = key.strip()
            value = value.strip() or None
            if key in fields:
                previous = fields[key]
                fields[key] = (
                    [*previous, value] if isinstance(previous, list) else [previous, value]
                )
            else:
                fields[key] = value
    return fields
