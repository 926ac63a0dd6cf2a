"""Inert text: what vaultnet quotes from a vault (names, aliases, titles, property values, evidence
lines, reasons) made unable to run code or change a generated page's structure in Obsidian.

Generated pages and marked blocks quote text the user did not write for that page, some of it
written by other people (imported contacts). Obsidian users run plugins that execute text in notes:
Templater runs `<% ... %>` anywhere in a file (on creation when its trigger is on), Dataview runs
inline code spans starting with `=` or `$=` and `dataview`/`dataviewjs` fences, and raw HTML is
rendered. Every piece of such text goes through `inert` (mid-line) or `inert_line` (starting a
line) before it is written; `LinkStyle.link` (`vaultnet.pages.links`) does it for every label and
writes a note whose name needs it as a markdown link with a percent-encoded target, which resolves
and holds nothing to execute.

The escapes are CommonMark's, which Obsidian's reading view and Live Preview render as the
character itself, so names read as they are; Source mode shows them as written:

- `<` that could open a tag (`<%`, `<script`, `</`, `<!--`, `<?`) -> `&lt;` (Templater sees no
  `<%`, no HTML element or comment can start; `a < b` and `<3` are left alone);
- `` ` `` -> `&#96;` (no code span can open, so no Dataview inline query and no fence);
- `%%` -> `%&#37;` (no Obsidian comment that would hide the rest of the page);
- `&` that would start an entity -> `&amp;` (a name holding `&lt;` still reads `&lt;`);
- line breaks -> one space (vault text never starts a line of the page by accident); a first
  character that would start a heading, quote, list, rule, table, fence or footnote where the text
  begins (after a list marker, say) is escaped with a backslash (`# x` -> `\\# x`,
  `1. x` -> `1\\. x`);
- `[[`, `]]` -> `\\[\\[`, `\\]\\]`; `](` -> `\\](` (no markdown link, and no image that
  loads a remote address when the page is shown); a `#tag` -> `\\#tag`; a trailing
  ` ^block-id` -> ` \\^block-id`;
  `::` -> `:\\:` (no Dataview inline field on the page); `vaultnet:` -> `vaultnet\\:` (no text
  that reads as the markers of vaultnet's blocks); `$` -> `\\$` (no math span that would
  swallow the text and links between two dollars).

A `!` right before a link would make it an embed: renderers put a space or a word between vault
text and a link (`Reason.render`'s words end in a space), so a quote ending in `!` stays as it is.

Text that is already inert comes back unchanged (byte for byte), so ordinary names do not change.
"""

from __future__ import annotations

import re

_ENTITY_START = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
_TAG_OPENER = re.compile(r"<(?=[%A-Za-z/!?])")
"""A `<` that opens a Templater tag, an HTML element, a closing tag, a comment or a declaration."""
_COMMENT = re.compile(r"(?<=%)%")
_LINE_BREAK = re.compile(r"(?<![^\S\r\n])[^\S\r\n]*[\r\n]\s*")
"""A line break with the spaces around it; a run of spaces is tried from its start only (from
each of its positions, a long run without a break cost the square of its length)."""
_LINK_OPEN = re.compile(r"\[\[")
_LINK_CLOSE = re.compile(r"\]\]")
_TAG = re.compile(r"(^|[\s(,])#(?=[^\s#])")
_BLOCK_ID = re.compile(r"(\s)\^(?=[A-Za-z0-9-]+\s*\Z)")
_FIELD = re.compile(r"(?<=:):")
_MARKER = re.compile(r"vaultnet:")
_LINK_TEXT_END = re.compile(r"(?<!\\)((?:\\\\)*)\](?=\()")
"""The `](` of a markdown link or image: `![](https://...)` would load that address on sight."""
_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)\$")
"""A `$`, after however many backslashes: an escape is counted, so a note's own `\\` before the
character cannot cancel the escape vaultnet adds (`\\\\$` would leave the `$` open)."""
_LINE_START = re.compile(r"\A(?:([>#=~|+*_\-\[])|(\d{1,9})([.)]))")
"""A character that would make a line a quote, heading, list, rule, fence, table, footnote or
math block (a number followed by `.` or `)` is an ordered list)."""

_LABEL_SPECIAL = re.compile(r"[<`%&\r\n:$]")
"""Every character a rule of `inert_label` starts from: text without one is left as it is (the
common case, checked in one pass)."""
_TEXT_SPECIAL = re.compile(r"[<`%&\r\n:$\[\]#^]")
"""The same for `inert` (its first character is checked apart)."""

PROPERTY_LESS_THAN = "\uff1c"
"""U+FF1C, the fullwidth less-than sign: a YAML value is shown as it is written, so no escape
would render; this lookalike reads the same and opens nothing."""


def no_tags(text: str) -> str:
    """`#word` written so Obsidian shows it but does not read it as a tag of the page."""
    return _TAG.sub(r"\1\\#", text)


def inert(text: str) -> str:
    """`text` written on a generated page or in a marked block (mid-line, or right after a list
    marker): it shows the same words in Obsidian and can neither run (Templater, Dataview, HTML)
    nor add structure (links, tags, block ids, fields, comments, math, line breaks, a heading,
    quote, list or fence where it starts). Unchanged when it holds none of these."""
    if not _TEXT_SPECIAL.search(text):
        return _LINE_START.sub(_escape_start, text, count=1)
    text = _LINK_OPEN.sub(r"\\[\\[", inert_label(text))
    text = _LINK_CLOSE.sub(r"\\]\\]", text)
    text = _LINK_TEXT_END.sub(r"\1\\]", text)
    text = _BLOCK_ID.sub(r"\1\\^", no_tags(text))
    return _LINE_START.sub(_escape_start, text, count=1)


def inert_label(text: str) -> str:
    """`text` as the label of a link (`LinkStyle.link`, which escapes its brackets): `inert`
    without what only matters outside a link (tags, block ids, wikilink brackets)."""
    if not _LABEL_SPECIAL.search(text):
        return text
    text = _LINE_BREAK.sub(" ", text)
    text = _ENTITY_START.sub("&amp;", text)
    text = _TAG_OPENER.sub("&lt;", text)
    text = text.replace("`", "&#96;")
    text = _COMMENT.sub("&#37;", text)
    text = _FIELD.sub(r"\\:", text)
    text = _DOLLAR.sub(r"\1\\$", text)
    return _MARKER.sub(r"vaultnet\\:", text)


def inert_line(text: str) -> str:
    """`inert(text)` for text that starts a line: also without the indent that would make it
    a code block."""
    return inert(text.lstrip())


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def inert_property(value: str) -> str:
    """A text property value (YAML frontmatter) that runs nothing: one line, and no `<` that
    opens a Templater tag or an HTML element (Templater reads the frontmatter too; plugins such as
    Dataview render values as markdown). Links in it (`[[Note]]`) stay links, as a property's do."""
    value = _LINE_BREAK.sub(" ", value).strip()
    return _TAG_OPENER.sub(PROPERTY_LESS_THAN, value)


def is_inert_label(text: str) -> bool:
    """Whether `text` can be a link's label (or a wikilink's target) as it is."""
    return inert_label(text) == text
