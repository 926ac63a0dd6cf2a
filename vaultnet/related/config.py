"""`.vaultnet.toml` `[related]`: which notes get related-notes pages, and how many suggestions.

Related pages and Suggested links are about idea notes (`vaultnet.ideas`: not people, daily
notes, meetings, templates, excluded or generated notes); `folders`/`tags` narrow them.

[related]
mode = "pages"        # "pages" (default), "block" or "off"
folders = ["Ideas"]   # only idea notes under these folders ... (default: every idea note)
tags = ["idea"]       # ... or with one of these tags (either rule is enough)
k = 10                # suggestions per note
pairs = 50            # pairs on the "Suggested links" page (0: no page)
max_pages = 500       # "pages" mode: a page per idea note only up to this many idea notes (0: any)
learn = true          # weights learned from the vault's own links (false: the defaults)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from vaultnet.ideas import IdeaRule
from vaultnet.vault.config import Config, TableReader

MODES = ("pages", "block", "off")


@dataclass(frozen=True, slots=True)
class RelatedConfig:
    NAME: ClassVar[str] = "related"
    mode: str = "pages"
    folders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    k: int = 10
    pairs: int = 50
    max_pages: int = 500
    """In `pages` mode, a vault with more idea notes than this gets only the Suggested links
    page, not a page per idea note (which would flood it with files); 0: no limit."""
    learn: bool = True
    """Combine the signals with weights learned from the vault (`vaultnet.related.learn`)."""

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> RelatedConfig:
        return related_config(table)

    def pages_limited(self, ideas: int) -> bool:
        """Whether a vault with `ideas` idea notes gets no page per idea note by this rule."""
        return self.mode == "pages" and 0 < self.max_pages < ideas

    @property
    def ideas(self) -> IdeaRule:
        """The idea notes this feature is about: all of them, or those in `folders`/`tags`."""
        return IdeaRule(self.folders, self.tags)


def related_config(section: dict[str, Any]) -> RelatedConfig:
    """Validate the `[related]` table; a wrong value is a `ConfigError` naming the key."""
    read = TableReader("related", section)
    result = RelatedConfig(
        read.choice("mode", "pages", MODES),
        tuple(f.strip("/") for f in read.strings("folders", ())),
        tuple(t.lstrip("#").lower() for t in read.strings("tags", ())),
        read.number("k", 10, minimum=1),
        read.number("pairs", 50, minimum=0),
        read.number("max_pages", 500, minimum=0),
        read.flag("learn", True),
    )
    read.done()
    return result
