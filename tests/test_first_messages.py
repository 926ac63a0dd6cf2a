"""The Reconnect page's "No recorded contact" section: a count, and the few never-contacted people
with a reason for a first message, best first."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from vaultnet.cli import cli

MakeVault = Callable[[dict[str, Any]], Path]
PEOPLE = {
    "People/Ann High.md": "---\npriority: high\nmet: 2019-01-01\n---\n",
    "People/Bea Followup.md": "---\nmet: 2018-01-01\n---\n",
    "People/Cid Intro.md": '---\nintroduced_by: "[[Kim Known]]"\n---\n',
    "People/Dan Met.md": "---\nmet: 2024-05-06\n---\n",
    "People/Eve Met Earlier.md": "---\nmet: 2023-05-06\n---\n",
    "People/Fay Nothing.md": "# Fay\n",
    "People/Gus Low.md": "---\npriority: low\nmet: 2025-01-01\n---\n",
    "People/Kim Known.md": "---\ntags: [person]\n---\n",
    "Daily/2026-11-30.md": "- [ ] write to [[Bea Followup]] about the grant\n- coffee with [[Kim Known]]\n",
    ".obsidian/daily-notes.json": '{"folder": "Daily", "format": "YYYY-MM-DD"}',
}


def reconnect(vault: Path, *extra: str) -> dict[str, Any]:
    args = ["--vault", str(vault), "reconnect", "--today", "2026-12-03", "--json", *extra]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_few_worth_a_first_message_best_first(make_vault: MakeVault) -> None:
    vault = make_vault(PEOPLE)
    plan = reconnect(vault)
    assert plan["no_recorded_contact"] == 7
    assert [(f["name"], f["reasons"]) for f in plan["first_messages"]] == [
        ("Ann High", ["high priority", "met on 2019-01-01"]),
        (
            "Bea Followup",
            [
                'open follow-up from 2026-11-30: 2026-11-30 "write to Bea Followup about the grant"',
                "met on 2018-01-01",
            ],
        ),
        ("Cid Intro", ["introduced by Kim Known"]),
    ]


def test_how_many_is_configurable_and_people_without_a_reason_are_only_counted(
    make_vault: MakeVault,
) -> None:
    vault = make_vault({**PEOPLE, ".vaultnet.toml": "[reconnect]\nfirst_messages = 10\n"})
    names = [f["name"] for f in reconnect(vault)["first_messages"]]
    # a low priority weighs less than none; Fay has no reason at all
    assert names == [
        "Ann High",
        "Bea Followup",
        "Cid Intro",
        "Dan Met",
        "Eve Met Earlier",
        "Gus Low",
    ]
    vault = make_vault({**PEOPLE, ".vaultnet.toml": "[reconnect]\nfirst_messages = 0\n"})
    assert reconnect(vault)["first_messages"] == []


def test_the_page_counts_and_names_them(make_vault: MakeVault) -> None:
    vault = make_vault(PEOPLE)
    args = ["--vault", str(vault), "generate", "--today", "2026-12-03"]
    assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
    page = (vault / "Vaultnet" / "Reconnect.md").read_text("utf-8")
    section = page[page.index("## No recorded contact") :]
    assert section.startswith(
        "## No recorded contact\n\n7 people with no recorded contact (a daily or meeting note "
        "that links them, or `vaultnet touch NAME`, records one). Worth a first message:\n\n"
        "- [[Ann High]]: high priority; met on 2019-01-01\n"
        "- [[Bea Followup]]: open follow-up from 2026-11-30: [[2026-11-30]]"
    )
    # the others are few: named, so the page says who they are
    assert "\n\nThe others: [[Dan Met]], [[Eve Met Earlier]], [[Fay Nothing]], [[Gus Low]].\n" in (
        section
    )


def test_many_never_contacted_are_counted_not_listed(make_vault: MakeVault) -> None:
    many = {f"People/Person {n:02}.md": "# someone\n" for n in range(12)}
    vault = make_vault({**PEOPLE, **many})
    args = ["--vault", str(vault), "generate", "--today", "2026-12-03"]
    assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
    page = (vault / "Vaultnet" / "Reconnect.md").read_text("utf-8")
    assert "\n\nAnd 16 others: `vaultnet contacts` lists them.\n" in page
    assert "[[Person 01]]" not in page and "[[Fay Nothing]]" not in page
