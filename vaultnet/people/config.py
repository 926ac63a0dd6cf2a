"""The `[people]` and `[reconnect]` tables of `.vaultnet.toml`, validated with messages naming the
key. Every key is optional; the defaults are the documented ones (`docs/reconnect.md`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from vaultnet.errors import ConfigError
from vaultnet.ideas import IdeaRule
from vaultnet.vault.config import Config, TableReader

NEVER = "never"
"""The cadence that makes a contact inactive."""

_CADENCE_WORDS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "fortnightly": 14,
    "monthly": 30,
    "quarterly": 90,
    "yearly": 365,
    "annually": 365,
}
_CADENCE_UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}
_CADENCE_RE = re.compile(r"(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)?")


def parse_cadence(value: object) -> int | str | None:
    """A cadence as days, `NEVER`, or None when it is not one (`30d`, `2w`, `3m`, `1y`,
    `weekly`, `monthly`, `quarterly`, `yearly`, a number of days, `never`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if value >= 1 else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text == NEVER:
        return NEVER
    if text in _CADENCE_WORDS:
        return _CADENCE_WORDS[text]
    match = _CADENCE_RE.fullmatch(text)
    if match is None or int(match[1]) < 1:
        return None
    return int(match[1]) * _CADENCE_UNITS[(match[2] or "d")[0]]


@dataclass(frozen=True, slots=True)
class PeopleConfig:
    """`[people]`: who is a contact, and how often to be in touch (`docs/reconnect.md`)."""

    NAME: ClassVar[str] = "people"
    folders: tuple[str, ...] = ("People", "Contacts")
    """A note in a folder with one of these names (at any depth) is a contact."""
    tags: tuple[str, ...] = ("person", "people", "contact")
    types: tuple[str, ...] = ("person",)
    """Values of the `type` / `category` property that make a note a contact."""
    me: str | None = None
    default_cadence: int = 90
    cadence_by_tag: dict[str, int | str] = field(default_factory=dict)
    cadence_by_folder: dict[str, int | str] = field(default_factory=dict)
    rhythm_min_interactions: int = 3
    rhythm_min_days: int = 14
    rhythm_max_days: int = 365
    dormant_factor: float = 3.0
    dormant_min_days: int = 180
    due_days: int = 7
    due_fraction: float = 0.25
    half_life_days: int = 180
    intro_credit: float = 0.5

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> PeopleConfig:
        return people_config(table, config.me)


@dataclass(frozen=True, slots=True)
class ReconnectConfig:
    """`[reconnect]`: the Reconnect page's suggestions, what to share, the briefs."""

    NAME: ClassVar[str] = "reconnect"
    limit: int = 10
    shares: tuple[tuple[str, float], ...] = (("current", 0.60), ("dormant", 0.25), ("new", 0.15))
    new_days: int = 60
    share_limit: int = 3
    dates_days: int = 14
    first_messages: int = 3
    """How many never-contacted people the page names as worth a first message."""
    briefs: bool = True
    """`generate` writes a brief page for each suggested person."""
    idea_folders: tuple[str, ...] = ()
    """When set, only notes in these folders are ideas (or with one of `idea_tags`)."""
    idea_tags: tuple[str, ...] = ()
    exclude_folders: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    topic_ignore_tags: tuple[str, ...] = (
        "daily",
        "journal",
        "meeting",
        "meetings",
        "idea",
        "ideas",
        "todo",
        "person",
        "people",
        "contact",
        "index",
    )
    """Tags that say what kind of note a note is, not what it is about (never an interest)."""

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> ReconnectConfig:
        return reconnect_config(table)

    @property
    def idea_rule(self) -> IdeaRule:
        """The ideas worth sharing."""
        return IdeaRule(self.idea_folders, self.idea_tags, self.exclude_folders, self.exclude_tags)


GROUPS = ("current", "dormant", "new")


def people_config(table: dict[str, Any], me: str | None = None) -> PeopleConfig:
    """Validate `[people]`; `me` is the top-level `me` setting."""
    check = _Checker("people", table)
    default = PeopleConfig()
    cadence = check.cadence("default_cadence", default.default_cadence)
    result = PeopleConfig(
        folders=check.strings("folders", default.folders),
        tags=tuple(t.lower().lstrip("#") for t in check.strings("tags", default.tags)),
        types=tuple(t.lower() for t in check.strings("types", default.types)),
        me=me,
        default_cadence=cadence if isinstance(cadence, int) else default.default_cadence,
        cadence_by_tag={k.lower().lstrip("#"): v for k, v in check.cadences("cadence_by_tag")},
        cadence_by_folder={k.strip("/"): v for k, v in check.cadences("cadence_by_folder")},
        rhythm_min_interactions=check.number("rhythm_min_interactions", 3, minimum=2),
        rhythm_min_days=check.number("rhythm_min_days", 14, minimum=1),
        rhythm_max_days=check.number("rhythm_max_days", 365, minimum=1),
        dormant_factor=check.real("dormant_factor", 3.0),
        dormant_min_days=check.number("dormant_min_days", 180, minimum=1),
        due_days=check.number("due_days", 7, minimum=0),
        due_fraction=check.real("due_fraction", 0.25),
        half_life_days=check.number("half_life_days", 180, minimum=1),
        intro_credit=check.real("intro_credit", 0.5),
    )
    if cadence == NEVER:
        raise ConfigError(".vaultnet.toml: [people] default_cadence cannot be 'never'")
    if result.rhythm_min_days > result.rhythm_max_days:
        raise ConfigError(
            ".vaultnet.toml: [people] rhythm_min_days must not exceed rhythm_max_days"
        )
    check.done()
    return result


def reconnect_config(table: dict[str, Any]) -> ReconnectConfig:
    """Validate `[reconnect]`."""
    check = _Checker("reconnect", table)
    default = ReconnectConfig()
    shares = dict(default.shares)
    raw = check.get("shares")
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise check.error("shares", "a table of group = share")
    for key, value in raw.items():
        if key not in shares:
            raise ConfigError(
                f".vaultnet.toml: [reconnect] shares: unknown group {key!r} "
                f"(known: {', '.join(GROUPS)})"
            )
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise check.error(f"shares.{key}", "a number >= 0")
        shares[key] = float(value)
    if sum(shares.values()) <= 0:
        raise ConfigError(".vaultnet.toml: [reconnect] shares must not all be 0")
    result = ReconnectConfig(
        limit=check.number("limit", default.limit, minimum=1),
        shares=tuple((g, shares[g]) for g in GROUPS),
        new_days=check.number("new_days", default.new_days, minimum=1),
        share_limit=check.number("share_limit", default.share_limit, minimum=0),
        dates_days=check.number("dates_days", default.dates_days, minimum=0),
        first_messages=check.number("first_messages", default.first_messages, minimum=0),
        briefs=check.flag("briefs", default.briefs),
        idea_folders=tuple(f.strip("/") for f in check.strings("idea_folders", ())),
        idea_tags=tuple(t.lower().lstrip("#") for t in check.strings("idea_tags", ())),
        exclude_folders=tuple(f.strip("/") for f in check.strings("exclude_folders", ())),
        exclude_tags=tuple(t.lower().lstrip("#") for t in check.strings("exclude_tags", ())),
        topic_ignore_tags=tuple(
            t.lower().lstrip("#")
            for t in check.strings("topic_ignore_tags", default.topic_ignore_tags)
        ),
    )
    check.done()
    return result


class _Checker(TableReader):
    """A `TableReader` that also reads cadences."""

    def cadence(self, key: str, default: int) -> int | str:
        value = self.get(key)
        if value is None:
            return default
        days = parse_cadence(value)
        if days is None:
            raise self.error(key, "a cadence such as 30, '30d', '2w', '3m', '1y' or 'monthly'")
        return days

    def cadences(self, key: str) -> list[tuple[str, int | str]]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, dict):
            raise self.error(key, "a table such as { friend = 'monthly' }")
        out = []
        for name, raw in value.items():
            days = parse_cadence(raw)
            if days is None:
                raise self.error(f"{key}.{name}", "a cadence such as '30d', '2w' or 'never'")
            out.append((str(name), days))
        return out
