"""`.vaultnet.toml` tables: one reader (`TableReader`) for every feature's table, so each reads
values and names a wrong key the same way."""

from __future__ import annotations

from typing import Any

import pytest

from vaultnet.errors import ConfigError
from vaultnet.vault.config import Config, TableReader
from vaultnet.watch.options import WatchConfig, WatchOptions


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"k": 0}, "[t] k must be a whole number >= 1"),
        ({"k": True}, "[t] k must be a whole number >= 1"),
        ({"share": -0.5}, "[t] share must be a number >= 0"),
        ({"names": [1]}, "[t] names must be a list of text values"),
        ({"mode": "all"}, "[t] mode must be one of 'pages', 'off'"),
        ({"kk": 3}, "[t] unknown setting 'kk' (known: k, mode, names, share)"),
    ],
)
def test_a_wrong_value_names_the_table_and_key(table: dict[str, Any], message: str) -> None:
    read = TableReader("t", table)
    with pytest.raises(ConfigError) as error:
        read.number("k", 10, minimum=1)
        read.real("share", 1.0)
        read.strings("names", ())
        read.choice("mode", "pages", ("pages", "off"))
        read.done()
    assert str(error.value) == f".vaultnet.toml: {message}"


def test_defaults_and_values() -> None:
    read = TableReader("t", {"k": 3, "names": "One", "mode": "off"})
    assert read.number("k", 10, minimum=1) == 3
    assert read.real("share", 1.5) == 1.5
    assert read.strings("names", ()) == ("One",)
    assert read.choice("mode", "pages", ("pages", "off")) == "off"
    read.done()


def test_watch_table() -> None:
    def applied(table: dict[str, Any]) -> WatchOptions:
        return WatchConfig.from_toml(table, Config()).applied(WatchOptions())

    options = applied({"rescan_minutes": 0, "poll_seconds": 2.5})
    assert (options.rescan_every, options.poll_interval) == (0.0, 2.5)
    assert applied({}) == WatchOptions()
    with pytest.raises(ConfigError, match=r"\[watch\] poll_seconds must be a number >= 0"):
        applied({"poll_seconds": "fast"})
    with pytest.raises(ConfigError, match=r"\[watch\] unknown setting 'rescan'"):
        applied({"rescan": 5})
