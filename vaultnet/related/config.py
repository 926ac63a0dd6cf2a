"""`.vaultnet.toml` `[related]`: which notes get related-notes pages, and how many suggestions.

Related pages and Suggested links are about idea notes (`vaultnet.ideas`: not people, daily
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

from vaultnet.errors import ConfigError
from vaultnet.ideas import IdeaRule

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
    known = {"mode", "folders", "tags", "k", "pairs"}
    for key in section:
        if key not in known:
            raise ConfigError(
                f".vaultnet.toml: [related] {key}: unknown key ({', '.join(sorted(known))})"
            )
    mode = section.get("mode", "pages")
    if mode not in MODES:
        raise ConfigError(f".vaultnet.toml: [related] mode must be one of {', '.join(MODES)}")
    return RelatedConfig(
        mode,
        _strings(section, "folders", ()),
        tuple(t.lstrip("#").lower() for t in _strings(section, "tags", ())),
        _count(section, "k", 10, minimum=1),
        _count(section, "pairs", 50, minimum=0),
    )


def _strings(section: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = section.get(key, default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f".vaultnet.toml: [related] {key} must be a list of strings")
    return tuple(v.strip().strip("/") for v in value if v.strip())


def _count(section: dict[str, Any], key: str, default: int, *, minimum: int) -> int:
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f".vaultnet.toml: [related] {key} must be a whole number >= {minimum}")
    return value
