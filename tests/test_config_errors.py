"""A bad `.vaultnet.toml` value is one line naming the key, with exit status 1, in every command
that reads the settings (a scheduled `generate` must not go on saying "0 written"); `doctor`
lists it instead; the watcher says so in one ERROR line per change of the settings, never a
traceback, and keeps the pages as they are until it is fixed."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sample_generators import Listing
from test_watch_seam import ListSource, step

from vaultnet.cli import cli
from vaultnet.index.scan import Index
from vaultnet.pages.plugins import LoadedGenerators
from vaultnet.watch.daemon import Watcher, WatchOptions

MakeVault = Callable[[dict[str, str | bytes]], Path]
BAD = '[reconnect]\nlimit = "ten"\n'
MESSAGE = "Error: .vaultnet.toml: [reconnect] limit must be a whole number >= 1"
VAULT: dict[str, str | bytes] = {
    ".vaultnet.toml": BAD,
    "People/Mara Quint.md": "---\ntags: [person]\n---\n",
    "Ideas/Heat pumps.md": "Heat.\n",
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
}
COMMANDS = [
    ["scan"],
    ["note", "Mara Quint"],
    ["contacts"],
    ["reconnect"],
    ["brief", "Mara Quint"],
    ["audience", "Heat pumps"],
    ["related", "Heat pumps"],
    ["touch", "Mara Quint", "--dry-run"],
    ["generate"],
    ["generate", "--dry-run"],
    ["create-people", "Ann Lee", "--dry-run"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_stops_with_one_line(make_vault: MakeVault, command: list[str]) -> None:
    root = make_vault(VAULT)
    result = CliRunner().invoke(cli, ["--vault", str(root), *command])
    assert result.exit_code == 1, result.output
    assert result.output == f"{MESSAGE}\n"
    assert not (root / "Vaultnet").exists() and not (root / "Daily").exists()


def test_doctor_lists_it_instead(make_vault: MakeVault) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(make_vault(VAULT)), "doctor"])
    assert result.exit_code == 0
    assert ".vaultnet.toml: config-invalid: [reconnect] limit must be a whole number >= 1" in (
        result.output
    )


@pytest.mark.parametrize("command", [["generate"], ["watch", "--today", "2026-11-26"]])
def test_a_scheduled_generate_or_watch_fails_loudly(
    make_vault: MakeVault, tmp_path: Path, command: list[str]
) -> None:
    root = make_vault(VAULT)
    done = subprocess.run(
        [sys.executable, "-m", "vaultnet", *command, "--vault", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == f"{MESSAGE}\n" and done.stdout == ""
    assert not (root / "Vaultnet").exists()


def test_the_watcher_says_it_once_per_change_and_keeps_the_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "vault"
    (root / "Ideas").mkdir(parents=True)
    (root / "Ideas/Gifts.md").write_text("Gifts.\n", encoding="utf-8")
    index = Index(root, tmp_path / "index.sqlite")
    changes = [[".vaultnet.toml"], ["Ideas/Tea.md"], [".vaultnet.toml"], [".vaultnet.toml"]]
    source = ListSource(changes)
    loaded = LoadedGenerators([Listing()], [], [])
    try:
        watcher = Watcher(
            index, loaded, WatchOptions(dt.date(2026, 11, 26), debounce=0), source=source
        )
        watcher.start()
        page = root / "Vaultnet/Listing.md"
        before = page.read_bytes()
        caplog.set_level(logging.INFO, logger="vaultnet")
        errors = lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]  # noqa: E731

        (root / ".vaultnet.toml").write_text(BAD, encoding="utf-8")
        source.emit()
        step(watcher)
        assert [r.getMessage() for r in errors()] == [
            ".vaultnet.toml: [reconnect] limit must be a whole number >= 1; pages are kept as "
            "they are until it is fixed"
        ]
        assert all(r.exc_info is None for r in caplog.records)  # no traceback
        (root / "Ideas/Tea.md").write_text("Tea.\n", encoding="utf-8")
        source.emit()
        step(watcher)
        assert len(errors()) == 1  # the same settings: said once
        assert page.read_bytes() == before  # pages kept as they are
        (root / ".vaultnet.toml").write_text("[reconnect]\nlimit = 0\n", encoding="utf-8")
        source.emit()
        step(watcher)
        assert (
            len(errors()) == 2 and "limit must be a whole number >= 1" in errors()[1].getMessage()
        )
        (root / ".vaultnet.toml").write_text("", encoding="utf-8")
        source.emit()
        step(watcher)
        assert len(errors()) == 2
        assert "the settings are valid again" in [r.getMessage() for r in caplog.records]
        assert "[[Tea]]" in page.read_text("utf-8")  # current again
    finally:
        index.close()
