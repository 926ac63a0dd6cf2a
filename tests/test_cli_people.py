"""`vaultnet contacts`, `reconnect`, `touch` and `generate` on a copy of the example vault."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli

TODAY = ["--today", "2026-11-26"]

# The intended statuses of the example vault's contacts on 2026-11-26.
STATUSES = {
    "Jane Doe": "ok",
    "Carol Ng": "due",
    "Sam Lee": "ok",
    "Priya Natarajan": "overdue",
    "Mei Tanaka": "overdue",
    "Diego Alvarez": "dormant",
    "Tom Becker": "dormant",
    "Amara Okafor": "never",
    "Lucas Moreau": "ok",
    "Grace Kim": "ok",
    "Ravi Shah": "inactive",
    "Sofia Rossi": "snoozed",
    "Ben Carter": "ok",
    "Olivia Grant": "ok",
    "Nadia Haddad": "ok",
    "Hugo Lindqvist": "never",
}


@pytest.fixture
def vault(example_vault: Path) -> Path:
    return example_vault


def invoke(vault: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--vault", str(vault), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_contacts_json_statuses(vault: Path) -> None:
    data = json.loads(invoke(vault, "contacts", *TODAY, "--json"))
    assert {c["name"]: c["status"] for c in data} == STATUSES
    keys = {"path", "name", "aliases", "last_interaction", "interactions", "cadence_days"}
    keys |= {"days_since", "next_due", "status"}
    assert all(set(c) == keys for c in data)
    by_name = {c["name"]: c for c in data}
    assert by_name["Jane Doe"]["last_interaction"] == "2026-11-20"  # via a markdown link
    assert by_name["Carol Ng"] == {
        "path": "People/Work/Carol Ng.md",
        "name": "Carol Ng",
        "aliases": [],
        "last_interaction": "2026-11-12",
        "interactions": 6,
        "cadence_days": 14,
        "days_since": 14,
        "next_due": "2026-11-26",
        "status": "due",
    }
    assert by_name["Sam Lee"]["last_interaction"] == "2026-11-18"  # a done task counts
    assert by_name["Priya Natarajan"]["last_interaction"] == "2026-09-10"  # not the open task
    assert by_name["Mei Tanaka"]["last_interaction"] == "2026-07-02"  # a line in her note
    assert by_name["Diego Alvarez"]["last_interaction"] == "2026-03-07"  # not 2026-12-02
    assert by_name["Tom Becker"]["last_interaction"] == "2026-05-02"  # last_contact; not Archive/
    assert by_name["Ravi Shah"]["cadence_days"] is None


def test_contacts_table(vault: Path) -> None:
    out = invoke(vault, "contacts", *TODAY)
    assert out.splitlines()[0].split() == [
        "NAME",
        "STATUS",
        "LAST",
        "DAYS",
        "CADENCE",
        "NEXT",
        "DUE",
        "PATH",
    ]
    assert "Priya Natarajan  overdue" in out


def test_reconnect_json(vault: Path) -> None:
    data = json.loads(invoke(vault, "reconnect", *TODAY, "--json"))
    assert data["today"] == "2026-11-26"
    got = [(s["group"], s["name"]) for s in data["suggestions"]]
    assert got == [
        ("current", "Priya Natarajan"),
        ("current", "Mei Tanaka"),
        ("current", "Carol Ng"),
        ("dormant", "Diego Alvarez"),
        ("dormant", "Tom Becker"),
        ("new", "Grace Kim"),
        ("new", "Amara Okafor"),
        ("new", "Lucas Moreau"),
    ]
    priya = data["suggestions"][0]
    assert priya["days_since"] == 77 and priya["cadence_days"] == 42
    assert "open follow-up from 2026-11-21" in " ".join(priya["reasons"])
    shared = {i["path"] for s in data["suggestions"] for i in s["share"]}
    assert "Notes/Acme Corp.md" not in shared  # the example's config excludes #company notes
    assert all(
        set(i) == {"path", "title", "reasons"} and i["reasons"]
        for s in data["suggestions"]
        for i in s["share"]
    )
    assert data["dates"] == [
        {
            "path": "People/Jane Doe.md",
            "name": "Jane Doe",
            "kind": "birthday",
            "date": "2026-12-03",
            "in_days": 7,
        },
        {
            "path": "People/Mei Tanaka.md",
            "name": "Mei Tanaka",
            "kind": "birthday",
            "date": "2026-12-05",
            "in_days": 9,
        },
    ]
    limited = json.loads(invoke(vault, "reconnect", *TODAY, "--limit", "2", "--json"))
    assert [s["name"] for s in limited["suggestions"]] == ["Priya Natarajan", "Diego Alvarez"]
    assert "Priya Natarajan" in invoke(vault, "reconnect", *TODAY)


def test_touch_then_contacts(vault: Path) -> None:
    out = invoke(
        vault, "touch", "priya natarajan", "--note", "sent the deck", "--date", "2026-11-26"
    )
    assert (
        out == f"created Daily/2026-11-26.md in {vault}: - Met [[Priya Natarajan]]: sent the deck\n"
    )
    text = (vault / "Daily/2026-11-26.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntags: [daily]\n---\n# 2026-11-26\n\nCreated 2026-11-26.\n")
    assert text.endswith("\n- Met [[Priya Natarajan]]: sent the deck\n")
    data = json.loads(invoke(vault, "contacts", *TODAY, "--json"))
    assert {c["name"]: c["status"] for c in data}["Priya Natarajan"] == "ok"
    dry = invoke(vault, "touch", "Janie", "--date", "2026-11-26", "--dry-run")
    assert dry == f"would be appended to Daily/2026-11-26.md in {vault}: - Met [[Jane Doe]]\n"
    assert "Jane" not in (vault / "Daily/2026-11-26.md").read_text(encoding="utf-8")


def test_touch_unknown_name_is_one_clear_error(vault: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "touch", "Nobody"])
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: no person named 'Nobody' (by file name or alias); see `vaultnet contacts`\n"
    )


def test_bad_config_names_the_key(vault: Path) -> None:
    (vault / ".vaultnet.toml").write_text("[people]\ndefault_cadence = 'soon'\n")
    result = CliRunner().invoke(cli, ["--vault", str(vault), "contacts"])
    assert result.exit_code == 1
    assert "[people] default_cadence must be a cadence" in result.output


def test_generate_writes_the_reconnect_page_once(vault: Path) -> None:
    first = json.loads(invoke(vault, "generate", *TODAY, "--json"))
    assert "Vaultnet/Reconnect.md" in first["written"]
    page = (vault / "Vaultnet/Reconnect.md").read_text(encoding="utf-8")
    assert "### [[Priya Natarajan]]" in page and "## Revive dormant ties" in page
    assert "- [[Jane Doe]]: birthday on 2026-12-03 (in 7 days)" in page
    second = json.loads(invoke(vault, "generate", *TODAY, "--json"))
    assert second["written"] == [] and "Vaultnet/Reconnect.md" in second["unchanged"]
    # the generated page is never read back as an interaction
    data = json.loads(invoke(vault, "contacts", *TODAY, "--json"))
    assert {c["name"]: c["status"] for c in data} == STATUSES


def test_reconnect_as_a_subprocess(vault: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "vaultnet",
            "--vault",
            str(vault),
            "--index",
            str(tmp_path / "i.sqlite"),
            "reconnect",
            *TODAY,
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["suggestions"][0]["name"] == "Priya Natarajan"
