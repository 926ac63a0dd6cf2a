"""`.vaultnet.toml` `[network]`: the Network page (`Vaultnet/Network.md`) and `vaultnet network`.

[network]
enabled = true        # false: no Network page (an unedited one is removed)
mix_days = 90         # the window of "who you reached": the last 90 days
map_people = 20       # the strongest ties on the map (at most 20, so labels stay readable)
drifting = 10         # how many drifting ties are listed
drifting_min = 3      # a drifting tie had at least this many interaction days in the 6 months before
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from vaultnet.vault.config import Config, TableReader

MAP_MAX = 20
"""More labels than this overlap on a quadrant chart: the cap whatever `map_people` says."""


@dataclass(frozen=True, slots=True)
class NetworkConfig:
    NAME: ClassVar[str] = "network"
    enabled: bool = True
    mix_days: int = 90
    map_people: int = MAP_MAX
    drifting: int = 10
    drifting_min: int = 3

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> NetworkConfig:
        return network_config(table)


def network_config(section: dict[str, Any]) -> NetworkConfig:
    """Validate the `[network]` table; a wrong value is a `ConfigError` naming the key."""
    read = TableReader("network", section)
    result = NetworkConfig(
        enabled=read.flag("enabled", True),
        mix_days=read.number("mix_days", 90, minimum=1),
        map_people=read.number("map_people", MAP_MAX, minimum=1),
        drifting=read.number("drifting", 10, minimum=0),
        drifting_min=read.number("drifting_min", 3, minimum=1),
    )
    read.done()
    if result.map_people > MAP_MAX:
        raise read.error("map_people", f"a whole number from 1 to {MAP_MAX}")
    return result
