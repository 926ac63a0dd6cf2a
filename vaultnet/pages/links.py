"""Links as the vault writes them: wikilinks or markdown links, shortest, relative or absolute
(`useMarkdownLinks` and `newLinkFormat` in `.obsidian/app.json`), for every generated text."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from vaultnet.pages.inert import inert_label, is_inert_label, no_tags
from vaultnet.vault.resolve import fold, note_stem
from vaultnet.vault.settings import VaultSettings

__all__ = ["LinkStyle", "no_tags"]

_NOT_IN_WIKILINK = re.compile(r"[|#^\[\]\\]")
"""Characters a wikilink's target or text cannot hold (they end or split it): a note whose name
has one is written as a markdown link, which Obsidian opens in any vault. So is a note whose name
or label would run or break something on the page (`vaultnet.pages.inert`): the label is escaped,
the target percent-encoded, and nothing of it is left to execute."""
_LABEL_ESCAPE = re.compile(r"[\[\]]|\\(?=[!-/:-@\[-`{-~]|\Z)")
"""Brackets, and a backslash that would escape the next character (or the closing bracket)."""


def shared_names(notes: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """The folded file names more than one of `notes` has, with how many have each."""
    counts = Counter(fold(note_stem(p)) for p in notes if p.lower().endswith(".md"))
    return tuple(sorted((n, c) for n, c in counts.items() if c > 1))


@dataclass(frozen=True, slots=True)
class LinkStyle:
    """How to write a link to a note from a page in `folder`, as Obsidian would."""

    markdown: bool = False
    new_link_format: str = "shortest"
    """`shortest` | `relative` | `absolute`."""
    folder: str = ""
    """The folder of the page the links are written in."""
    name_counts: tuple[tuple[str, int], ...] = ()
    """How many notes share each folded file name (a name used once links by name alone)."""

    @classmethod
    def for_vault(cls, settings: VaultSettings, page: str, notes: Iterable[str]) -> LinkStyle:
        return cls.with_names(settings, page, shared_names(notes))

    @classmethod
    def with_names(
        cls, settings: VaultSettings, page: str, shared: tuple[tuple[str, int], ...]
    ) -> LinkStyle:
        """The style of `page` given the vault's `shared_names`."""
        return cls(
            settings.use_markdown_links, settings.new_link_format, posixpath.dirname(page), shared
        )

    def _target(self, path: str, markdown: bool) -> str:
        """The path part of the link (with `.md` for markdown links, without for wikilinks)."""
        shared = dict(self.name_counts)
        if self.new_link_format == "relative":
            target = posixpath.relpath(path, self.folder or ".")
        elif self.new_link_format == "absolute" or fold(note_stem(path)) in shared:
            target = path
        else:
            target = path.rsplit("/", 1)[-1]
        return target if markdown else target[:-3] if target.endswith(".md") else target

    def link(self, path: str, label: str | None = None) -> str:
        """A link to the note at `path` showing `label` (default: the note's name), made inert
        (`vaultnet.pages.inert`): it opens that note and runs nothing."""
        label = label or note_stem(path)
        markdown = (
            self.markdown
            or bool(_NOT_IN_WIKILINK.search(path + label))
            or not (is_inert_label(path) and is_inert_label(label))
        )
        target = self._target(path, markdown)
        if markdown:
            text = inert_label(_LABEL_ESCAPE.sub(lambda m: "\\" + m[0], label))
            return f"[{text}]({quote(target, safe='/')})"
        return f"[[{target}]]" if target == label else f"[[{target}|{label}]]"
