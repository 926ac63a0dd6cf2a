"""Dates as people type them: `YYYY-MM-DD`, `today`, `yesterday`, `-3d` wherever a command takes
a date (`--today`, `touch --date`), counted from the real date (pinned here)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultnet import cli_base
from vaultnet.cli import cli
from vaultnet.vault.dates import typed_day

MakeVault = Callable[[dict[str, str | bytes]], Path]
DATA = json.loads((Path(__file__).parent / "cases/dates/typed_days.json").read_text("utf-8"))
TODAY = dt.date.fromisoformat(DATA["today"])


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["text"] or "empty" for c in DATA["cases"]])
def test_typed_day(case: dict[str, Any]) -> None:
    expected = dt.date.fromisoformat(case["date"]) if case["date"] else None
    assert typed_day(case["text"], TODAY) == expected


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(cli_base, "real_today", lambda: TODAY)
    return TODAY


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--vault", str(root), *args], catch_exceptions=False)


VAULT: dict[str, str | bytes] = {
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    "People/Priya Raman.md": "---\ntags: [person]\n---\n",
}


@pytest.mark.usefixtures("pinned")
@pytest.mark.parametrize(
    ("typed", "note"),
    [
        ("yesterday", "Daily/2026-11-25.md"),
        ("-3d", "Daily/2026-11-23.md"),
        ("today", "Daily/2026-11-26.md"),
        ("2026-11-01", "Daily/2026-11-01.md"),
    ],
)
def test_touch_takes_relative_dates(make_vault: MakeVault, typed: str, note: str) -> None:
    root = make_vault(VAULT)
    result = invoke(root, "touch", "Priya Raman", "--date", typed)
    assert result.exit_code == 0, result.output
    assert (root / note).read_text() == "- Met [[Priya Raman]]\n"


@pytest.mark.usefixtures("pinned")
def test_today_takes_relative_dates(make_vault: MakeVault) -> None:
    root = make_vault({**VAULT, "Daily/2026-11-20.md": "Call with [[Priya Raman]]\n"})
    for typed, days in (("yesterday", 5), ("-6d", 0), ("2026-11-30", 10)):
        data = json.loads(invoke(root, "contacts", "--today", typed, "--json").output)
        assert data[0]["days_since"] == days, typed


@pytest.mark.usefixtures("pinned")
def test_a_wrong_date_says_what_is_accepted(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    result = invoke(root, "touch", "Priya Raman", "--date", "last week")
    assert result.exit_code == 2
    assert "'last week' is not a date: write YYYY-MM-DD, today, yesterday or -3d" in result.output
    assert not (root / "Daily").exists()


def test_dates_show_as_yyyy_mm_dd_in_help() -> None:
    for command in ("touch", "generate", "contacts", "reconnect", "brief", "audience", "watch"):
        text = CliRunner().invoke(cli, [command, "--help"]).output
        assert "YYYY-MM-DD" in text and "%Y" not in text, command
