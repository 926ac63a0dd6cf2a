"""`vaultnet contacts`, `reconnect`, `touch` and `generate` on a copy of the example vault."""

from __future__ import annotations

import json
import re
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
    keys |= {"days_since", "next_due", "status", "open_promise_days"}
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
        "open_promise_days": None,  # its open task is in an undated project note
    }
    assert by_name["Sam Lee"]["last_interaction"] == "2026-11-18"  # a done task counts
    assert by_name["Priya Natarajan"]["last_interaction"] == "2026-09-10"  # not the open task
    assert by_name["Mei Tanaka"]["last_interaction"] == "2026-07-02"  # a line in her note
    assert by_name["Diego Alvarez"]["last_interaction"] == "2026-03-07"  # not 2026-12-02
    assert by_name["Tom Becker"]["last_interaction"] == "2026-05-02"  # last_contact; not Archive/
    assert by_name["Ravi Shah"]["cadence_days"] is None
    # "Bumped into Nadia Haddad at the bookshop": her full name, without a link, counts
    assert by_name["Nadia Haddad"]["last_interaction"] == "2026-11-22"
    assert by_name["Sam Lee"]["open_promise_days"] == 16


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
    assert "Sam Lee          open promise, 16 days  2026-11-18" in out


def test_reconnect_json(vault: Path) -> None:
    data = json.loads(invoke(vault, "reconnect", *TODAY, "--json"))
    assert data["today"] == "2026-11-26"
    got = [(s["group"], s["name"]) for s in data["suggestions"]]
    assert got == [
        ("current", "Sam Lee"),  # a promise 16 days old: before everyone without one
        ("current", "Ben Carter"),  # news 2 days old: in touch on time, but congratulate him
        ("current", "Priya Natarajan"),
        ("current", "Mei Tanaka"),
        ("current", "Carol Ng"),
        ("dormant", "Diego Alvarez"),
        ("dormant", "Tom Becker"),
        ("new", "Lucas Moreau"),  # an introduction to thank him for
        ("new", "Grace Kim"),
        ("new", "Amara Okafor"),
    ]
    assert data["mix"] == {
        "limit": 10,
        "shares": {"current": 0.6, "dormant": 0.25, "new": 0.15},
        "slots": {"current": 6, "dormant": 3, "new": 1},
        "chosen": {"current": 5, "dormant": 2, "new": 3},
    }
    by_name = {s["name"]: s for s in data["suggestions"]}
    priya = by_name["Priya Natarajan"]
    assert priya["days_since"] == 77 and priya["cadence_days"] == 42
    # every action kind, each with the note and line that prove it
    actions = {(s["name"], a["kind"]): a for s in data["suggestions"] for a in s["actions"]}
    assert actions[("Priya Natarajan", "follow_up")] == {
        "kind": "follow_up",
        "text": "Send Priya Natarajan the deck with the pilot numbers (promised 5 days ago)",
        "path": "Daily/2026-11-21.md",
        "line": 7,
    }
    assert actions[("Lucas Moreau", "thank")] == {
        "kind": "thank",
        "text": "thank Lucas for introducing Grace Kim",
        "path": "Notes/Grace Kim.md",
        "line": 3,
    }
    assert actions[("Ben Carter", "congratulate")] == {
        "kind": "congratulate",
        "text": 'congratulate Ben on the win "Ben Carter won the neighbourhood cook-off with his'
        ' mushroom risotto."',
        "path": "Daily/2026-11-24.md",
        "line": 6,
    }
    assert actions[("Sam Lee", "share")] == {
        "kind": "share",
        "text": "share Introductions are gifts: linked with Sam's note",
        "path": "Ideas/Introductions are gifts.md",
        "line": None,
    }
    # no idea goes to more than two people; the draft playbook and the project go to nobody
    offered = [i["path"] for s in data["suggestions"] for i in s["share"]]
    assert max(offered.count(p) for p in offered) == 2
    assert not {"Ideas/Customer advisory group playbook.md", "Projects/Support lead hire.md"} & {
        *offered
    }
    [amara_mei, *_] = data["introductions"]
    assert (amara_mei["a"]["name"], amara_mei["b"]["name"]) == ("Amara Okafor", "Mei Tanaka")
    assert amara_mei["reasons"] == [
        "Mei is Head of customer support and success at Fieldline; Amara looks for that:"
        ' Amara Okafor "Looking for customer-success people to talk about onboarding small co-ops."'
    ]
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
    ]  # not Ravi Shah's birthday on 2026-12-01: he is inactive (cadence: never)
    limited = json.loads(invoke(vault, "reconnect", *TODAY, "--limit", "2", "--json"))
    assert [s["name"] for s in limited["suggestions"]] == ["Sam Lee", "Diego Alvarez"]
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
    assert json.loads(result.stdout)["suggestions"][0]["name"] == "Sam Lee"


def test_readme_excerpts_are_the_example_vaults_pages(vault: Path) -> None:
    """The README shows the example vault's Reconnect page and a brief: every line it shows is
    on the page `generate` writes, in that order (`...` stands for the lines it leaves out)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    excerpts = re.findall(r"```markdown\n(# (?:Reconnect|Brief: .*?)\n.*?)```", readme, re.DOTALL)
    assert len(excerpts) == 2
    invoke(vault, "generate", *TODAY)
    for excerpt in excerpts:
        title = excerpt.splitlines()[0]
        name = "Reconnect" if title == "# Reconnect" else f"Briefs/{title[9:]} (brief)"
        page = (vault / "Vaultnet" / f"{name}.md").read_text(encoding="utf-8")
        at = 0
        for line in excerpt.splitlines():
            if line.strip() and line != "...":
                found = page.find(f"\n{line}\n", at)
                assert found >= 0, f"{name}: {line!r} is not on the page (after {at})"
                at = found + len(line)
