"""The CLI's scan, note and doctor commands: JSON contracts, errors, vault discovery."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli

MakeVault = Callable[[dict[str, str | bytes]], Path]
VAULT = {
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    "People/Jane Doe.md": "---\naliases: [JD]\ntags: [person]\n---\nJane.\n",
    "Daily/2026-11-01.md": "Lunch with [[Jane Doe|Jane]] #lunch\n%% [[Secret]] %%\n[[Nobody]]\n",
    "Meetings/Kickoff.md": '---\ndate: 2026-11-03 10:00\nattendees: ["[[Jane Doe]]"]\n---\n',
    "Broken.md": "---\ntags: [a, b\n---\nstill [[Jane Doe]]\n",
    "Latin1.md": "caf\xe9".encode("latin-1"),
    "Note.sync-conflict-20261124-101500-ABCDEFG.md": "copy",
}


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_note_json_contract(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    code, out = run(root, "note", "Daily/2026-11-01.md", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "path",
        "title",
        "aliases",
        "tags",
        "frontmatter",
        "date",
        "links",
        "backlinks",
    ]
    assert data["date"] == "2026-11-01" and data["tags"] == ["lunch"]
    assert data["links"] == [
        {
            "target": "Jane Doe",
            "path": "People/Jane Doe.md",
            "kind": "wikilink",
            "heading": None,
            "block": None,
            "display": "Jane",
            "line": 1,
            "commented": False,
        },
        {
            "target": "Secret",
            "path": None,
            "kind": "wikilink",
            "heading": None,
            "block": None,
            "display": None,
            "line": 2,
            "commented": True,
        },
        {
            "target": "Nobody",
            "path": None,
            "kind": "wikilink",
            "heading": None,
            "block": None,
            "display": None,
            "line": 3,
            "commented": False,
        },
    ]


@pytest.mark.parametrize(
    "name", ["Jane Doe", "jane doe", "[[Jane Doe]]", "JD", "People/Jane Doe.md", "People/Jane Doe"]
)
def test_note_found_by_path_link_text_or_alias(make_vault: MakeVault, name: str) -> None:
    code, out = run(make_vault(VAULT), "note", name, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["path"] == "People/Jane Doe.md"
    assert data["backlinks"] == [
        {"path": "Broken.md", "line": 4},
        {"path": "Daily/2026-11-01.md", "line": 1},
        {"path": "Meetings/Kickoff.md", "line": 3},
    ]


def test_unknown_note_is_one_clear_line(make_vault: MakeVault) -> None:
    code, out = run(make_vault(VAULT), "note", "Nobody at all")
    assert code == 1
    assert out.strip().splitlines() == [
        f"Error: no note named 'Nobody at all' in {out.split(' in ', 1)[1].strip()}"
    ]
    assert "Traceback" not in out


def test_doctor_lists_every_kind_of_problem(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    code, out = run(root, "doctor", "--json")
    assert code == 0
    problems = {(p["path"], p["line"], p["kind"]) for p in json.loads(out)["problems"]}
    assert problems == {
        ("Broken.md", 2, "frontmatter-invalid"),
        ("Daily/2026-11-01.md", 3, "unresolved-link"),
        ("Latin1.md", None, "undecodable"),
        ("Note.sync-conflict-20261124-101500-ABCDEFG.md", None, "conflict-copy"),
    }
    assert run(root, "doctor", "--strict")[0] == 1


def test_scan_json_summary_and_no_change_rescan(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    first = json.loads(run(root, "scan", "--json")[1])
    assert (first["notes"], first["added"], first["problems"]) == (4, 6, 4)
    second = json.loads(run(root, "scan", "--json")[1])
    assert (second["added"], second["changed"], second["removed"]) == (0, 0, 0)


def test_bad_config_is_one_line_naming_the_file(make_vault: MakeVault) -> None:
    root = make_vault({".vaultnet.toml": "output_folder = 3\n", "a.md": ""})
    code, out = run(root, "scan")
    assert code == 1
    assert out.strip() == "Error: .vaultnet.toml: output_folder must be text"


def test_missing_vault_is_one_line(tmp_path: Path) -> None:
    code, out = run(tmp_path / "nowhere", "scan")
    assert code != 0 and "nowhere" in out and "Traceback" not in out


def test_vault_found_upward_from_current_folder(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault(VAULT)
    monkeypatch.chdir(root / "People")
    result = CliRunner().invoke(cli, ["note", "Jane Doe", "--json"], catch_exceptions=False)
    assert json.loads(result.output)["path"] == "People/Jane Doe.md"


def test_vault_from_environment(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = make_vault(VAULT)
    monkeypatch.setenv("VAULTNET_VAULT", str(root))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["note", "JD", "--json"], catch_exceptions=False)
    assert json.loads(result.output)["path"] == "People/Jane Doe.md"


def test_cli_as_a_subprocess(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault(VAULT)
    index = tmp_path / "sub.sqlite"
    command = [sys.executable, "-m", "vaultnet", "--vault", str(root), "--index", str(index)]
    done = subprocess.run([*command, "scan", "--json"], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["notes"] == 4
    failed = subprocess.run([*command, "note", "Nobody"], capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: no note named 'Nobody'")
    assert "Traceback" not in failed.stderr


def test_config_that_is_not_utf8_is_one_line(make_vault: MakeVault) -> None:
    root = make_vault({".vaultnet.toml": "me = 'Ren\xe9'\n".encode("latin-1"), "a.md": ""})
    code, out = run(root, "scan")
    assert code == 1
    assert out.strip() == "Error: .vaultnet.toml: not UTF-8 text (byte 9)"


def test_doctor_spells_markdown_links_as_written(make_vault: MakeVault) -> None:
    root = make_vault({"a.md": "[the plan](Plans/Q3%20plan.md) ![[gone.png]] ![a map](map.png)"})
    problems = json.loads(run(root, "doctor", "--json")[1])["problems"]
    assert [p["message"] for p in problems] == [
        "![[gone.png]] matches no file in the vault",
        "![a map](map.png) matches no file in the vault",
        "[the plan](Plans/Q3 plan.md) matches no file in the vault",
    ]


def test_version_is_the_one_the_package_was_installed_as() -> None:
    """`vaultnet.__version__` (what a saved related corpus is keyed on) is the release the
    installed metadata names, as `--version` prints it."""
    import vaultnet

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.split()[-1] == vaultnet.__version__
