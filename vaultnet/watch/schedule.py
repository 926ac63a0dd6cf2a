"""The watcher's decisions, pure: when to rescan, which generators a batch runs, what is owed
after a run that stopped or failed, when an idle loop has work, and when a run must finish
however many edits arrive. `vaultnet.watch.daemon` carries them out.

A generator still computing when a newer edit is queued may stop (`Superseded`): it is then
owed, and runs again with the next batch or, if none comes, on its own. After `MAX_STOPS` stops
in a row a run is let finish, so pages converge even while someone saves every few seconds. A
run that fails as a whole (the disk, the index) leaves what was owed owed, retried after
`RETRY_SECONDS` (a lasting error must not spin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from vaultnet.vault.files import is_settings

MAX_STOPS = 2
"""After this many runs in a row stopped for newer edits, the next run finishes regardless."""
RETRY_SECONDS = 30.0
"""After a run that failed, how long owed generators wait before they are tried again."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """What the watcher owes, as of the last step."""

    date: dt.date
    """The day the pages were last generated for."""
    last_rescan: float
    """Clock time of the last full rescan (queued)."""
    owed: frozenset[str] = frozenset()
    """Generators whose last run stopped early or failed: they run again."""
    stops: int = 0
    """Runs stopped for newer edits in a row."""
    retry_at: float = 0.0
    """After a failed run, owed generators are retried from this clock time (not at once)."""

    def rescan_due(self, now: float, every: float) -> bool:
        """Whether a periodic full rescan is due (`every` seconds; 0: never)."""
        return bool(every) and now - self.last_rescan >= every

    def rescanned(self, now: float) -> Schedule:
        return replace(self, last_rescan=now)

    def idle_work(self, now: float, today: dt.date) -> str | None:
        """With no batch waiting: `new day` (every page depends on the date), `owed` (a run
        stopped or failed, and its retry is due), or None."""
        if today != self.date:
            return "new day"
        if self.owed and now >= self.retry_at:
            return "owed"
        return None

    def must_finish(self) -> bool:
        """Whether the next run finishes even though newer edits wait."""
        return self.stops >= MAX_STOPS

    def finished(
        self, ran: Iterable[str], stopped: Iterable[str], now: float, *, failed: bool = False
    ) -> Schedule:
        """After a run of the generators `ran`, of which `stopped` stopped for newer edits (or,
        `failed`, the whole run failed: nothing is settled, a retry is due later)."""
        stopped = frozenset(stopped)
        stops = self.stops + 1 if stopped else 0
        if failed:
            return replace(self, stops=stops, retry_at=now + RETRY_SECONDS)
        return replace(self, owed=(self.owed - set(ran)) | stopped, stops=stops)


def affected(
    order: Iterable[str],
    changed: set[str],
    *,
    output_folder: str,
    new_day: bool,
    affects: Callable[[str], bool],
) -> list[str]:
    """The generators a batch affects, in the loaded `order`: every one on a new day, when a
    page in the output folder changed (it may be one of theirs) or when the settings did
    (`.vaultnet.toml`, Obsidian's), else those whose pages `changed` can change
    (`affects(name)`). The owed ones run too (`Schedule.owed`)."""
    order = list(order)
    if new_day or any(
        path.startswith(output_folder + "/") or is_settings(path) for path in changed
    ):
        return order
    return [name for name in order if affects(name)] if changed else []


def with_settings(changed: set[str], batch: Iterable[str]) -> set[str]:
    """The paths a batch changed, and the settings files among what it queued: no note, and
    not in the index, but after one changes every page can read differently (and edits made
    while the settings were invalid were indexed, never generated): `affected` runs all."""
    return changed | {path for path in batch if is_settings(path)}


def describe(changed: set[str]) -> str:
    """A batch in a few words, for the log."""
    if not changed:
        return "no change"
    names = sorted(changed)
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"{len(names)} changed ({', '.join(names[:3])}{more})"
