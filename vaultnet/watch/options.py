"""How the watcher runs: the command's options, and `[watch]` in `.vaultnet.toml`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from vaultnet.vault.config import Config, TableReader


def _quiet_seconds() -> float:
    """The writer's own wait for a note just saved (loaded with the writer, when it runs)."""
    from vaultnet.pages.blocks import QUIET_SECONDS

    return QUIET_SECONDS


@dataclass(frozen=True, slots=True)
class WatchOptions:
    today: dt.date | None = None
    """Fixed date (tests, reproducible pages); None follows the clock, midnight included."""
    debounce: float = 0.3
    """Seconds of quiet before a batch is applied."""
    polling: bool = False
    rescan_every: float = 600.0
    """Seconds between full rescans (events can be missed; 0 turns them off)."""
    poll_interval: float = 1.0
    block_quiet: float = field(default_factory=_quiet_seconds)
    """A note saved more recently than this gets its marked block on a later batch."""


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """`[watch]`: `rescan_minutes` (0: never), `poll_seconds` (None: the command's default)."""

    NAME: ClassVar[str] = "watch"
    rescan_minutes: float | None = None
    poll_seconds: float | None = None

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> WatchConfig:
        read = TableReader("watch", table)
        minutes, seconds = read.real("rescan_minutes", -1.0), read.real("poll_seconds", -1.0)
        read.done()
        return cls(minutes if minutes >= 0 else None, seconds if seconds >= 0 else None)

    def applied(self, options: WatchOptions) -> WatchOptions:
        if self.rescan_minutes is not None:
            options = replace(options, rescan_every=self.rescan_minutes * 60.0)
        if self.poll_seconds is not None:
            options = replace(options, poll_interval=self.poll_seconds)
        return options
