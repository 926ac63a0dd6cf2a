"""`.vaultnet.toml` `[related]`: which notes get related-notes pages, and how many suggestions.

Related pages and Suggested links are about idea notes (`vaultnet.people.ideas`: not people, daily
notes, meetings, templates, excluded or generated notes); `folders`/`tags` narrow them.

[related]
mode = "pages"        # "pages" (default), "block" or "off"
folders = ["Ideas"]   # only idea notes under these folders ... (default: every idea note)
tags = ["idea"]       # ... or with one of these tags (either rule is enough)
k = 10                # suggestions per note
pairs = 50            # pairs on the "Suggested links" page (0: no page)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaultnet.people.ideas import IdeaRule
from vaultnet.vault.config import TableReader

MODES = ("pages", "block", "off")


@dataclass(frozen=True, slots=True)
class RelatedConfig:
    mode: str = "pages"
    folders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    k: int = 10
    pairs: int = 50

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
    )
    read.done()
    return result
