"""The first hour: the vault is found or refused (never any folder at all), every writing command
names the vault it wrote to, `--vault`/`--index` go before or after the command, `vaultnet init`
marks a vault, and every command's help has an example and the same words for "how many"."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from vaultnet.cli import cli
from vaultnet.session import TABLES, load_settings
from vaultnet.vault.config import Settings, parse_config, read_settings
from vaultnet.vault.settings import VaultSettings
from vaultnet.vault.starter import STARTER
from vaultnet.watch.options import WatchConfig

MakeVault = Callable[[dict[str, str | bytes]], Path]
CSV = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nMara,Quint,,,,,03 Dec 2026\n"
WRITING = [
    ["generate"],
    ["import", "Connections.csv"],
    ["touch", "Mara Quint"],
    ["create-people", "Mara Quint"],
]
READING = [["scan"], ["doctor"], ["contacts"], ["reconnect"], ["generate", "--dry-run"]]


def invoke(*args: str, **kwargs: Any) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is no vault (no .obsidian/, no .vaultnet.toml here or above)."""
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "Connections.csv").write_text(CSV, encoding="utf-8")
    (folder / "invoice.md").write_text("Paid [[Mara Quint]].\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("command", WRITING, ids=[c[0] for c in WRITING])
def test_outside_a_vault_writing_commands_stop_with_one_line(
    downloads: Path, command: list[str]
) -> None:
    before = files(downloads)
    result = invoke(*command)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: no vault here: neither {downloads} nor a folder above it")
    assert f"name the vault: vaultnet {command[0]} --vault PATH" in line
    assert "VAULTNET_VAULT" in line and "vaultnet init" in line
    assert files(downloads) == before  # nothing written


@pytest.mark.parametrize("command", READING, ids=[" ".join(c) for c in READING])
def test_outside_a_vault_reading_commands_say_which_folder_they_read(
    downloads: Path, command: list[str]
) -> None:
    result = CliRunner().invoke(cli, [*command, "--json"] if command != ["reconnect"] else command)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"vaultnet: reading {downloads} (no .obsidian/ or .vaultnet.toml"
    )
    assert "--vault PATH names a vault" in result.stderr
    if command != ["reconnect"]:
        json.loads(result.stdout)  # stdout stays JSON: the note goes to stderr
    assert not (downloads / "Vaultnet").exists()


def test_a_vault_found_upward_is_used_without_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "Notes"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Daily").mkdir()
    monkeypatch.chdir(vault / "Daily")
    result = CliRunner().invoke(cli, ["generate", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.strip().endswith(f"0 refused, in {vault}")
    assert (vault / "Vaultnet/Reconnect.md").exists()


@pytest.mark.parametrize("where", ["before", "after"])
def test_vault_and_index_go_before_or_after_the_command(
    make_vault: MakeVault, tmp_path: Path, where: str
) -> None:
    root = make_vault({"People/Mara Quint.md": "---\ntags: [person]\n---\n"})
    index = tmp_path / f"{where}.sqlite"
    options = ["--vault", str(root), "--index", str(index)]
    command = ["contacts", "--json"]
    args = [*options, *command] if where == "before" else [*command, *options]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(result.output)] == ["Mara Quint"]
    assert index.exists()


def test_every_command_takes_vault_after_its_name() -> None:
    for name, command in cli.commands.items():
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
        assert {"--vault", "--index", "-v"} <= options, name


def test_two_different_vaults_are_a_usage_error(make_vault: MakeVault) -> None:
    one, two = make_vault({}), make_vault({})
    result = invoke("--vault", str(one), "contacts", "--vault", str(two))
    assert result.exit_code == 2 and "two vaults given" in result.output
    same = invoke("--vault", str(one), "contacts", "--vault", str(one))
    assert same.exit_code == 0, same.output


def test_the_readme_slip_works_as_a_subprocess(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({"People/Mara Quint.md": "---\ntags: [person]\n---\n"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "vaultnet",
            "reconnect",
            "--vault",
            str(root),
            "--today",
            "2026-11-26",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Mara Quint" in done.stdout


def test_every_writing_command_names_the_vault(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({".obsidian/daily-notes.json": '{"folder": "Daily"}'})
    book = tmp_path / "Connections.csv"
    book.write_text(CSV, encoding="utf-8")
    imported = invoke("import", str(book), "--vault", str(root))
    assert f"Created 1 note in People/ of the vault {root.resolve()}" in imported.output
    touched = invoke("touch", "Mara Quint", "--date", "2026-11-20", "--vault", str(root))
    assert (
        touched.output == f"created Daily/2026-11-20.md in {root.resolve()}: - Met [[Mara Quint]]\n"
    )
    generated = invoke("generate", "--vault", str(root), "--json")
    assert json.loads(generated.output)["vault"] == str(root.resolve())


# --- init ---------------------------------------------------------------------------------------


def test_init_marks_the_vault_and_changes_no_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "Notes"
    vault.mkdir()
    monkeypatch.chdir(vault)
    result = invoke("init")
    assert result.exit_code == 0, result.output
    assert (vault / ".vaultnet.toml").read_text("utf-8") == STARTER
    assert f"wrote {vault / '.vaultnet.toml'}" in result.output
    again = invoke("init")
    assert again.exit_code == 1 and "already there; left as it is" in again.output
    assert (vault / ".vaultnet.toml").read_text("utf-8") == STARTER
    # the folder is a vault now: a writing command run below it finds it
    (vault / "Daily").mkdir()
    monkeypatch.chdir(vault / "Daily")
    assert invoke("generate").exit_code == 0
    assert (vault / "Vaultnet/Reconnect.md").exists()


def test_the_starter_settings_are_the_defaults() -> None:
    config = parse_config(STARTER)
    read = read_settings(config, VaultSettings(), (*TABLES, WatchConfig))
    defaults = read_settings(parse_config(""), VaultSettings(), (*TABLES, WatchConfig))
    assert config.output_folder == "Vaultnet" and config.me is None
    for kind in (*TABLES, WatchConfig):
        assert read.table(kind) == defaults.table(kind), kind
    assert isinstance(read, Settings) and load_settings  # the same reader every command uses


def test_init_below_a_vault_asks_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Notes/.obsidian").mkdir(parents=True)
    (tmp_path / "Notes/Sub").mkdir()
    monkeypatch.chdir(tmp_path / "Notes/Sub")
    result = invoke("init")
    assert result.exit_code == 1 and "is inside the vault" in result.output
    assert not (tmp_path / "Notes/Sub/.vaultnet.toml").exists()
    named = invoke("init", str(tmp_path / "Notes/Sub"))
    assert named.exit_code == 0 and (tmp_path / "Notes/Sub/.vaultnet.toml").exists()


# --- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_an_example(name: str) -> None:
    text = invoke(name, "--help").output
    example = text.split("Example:\n", 1)[1].splitlines()[0]
    assert "vaultnet " in example and example.startswith("    "), name
    assert "%Y" not in text and "[%" not in text


@pytest.mark.parametrize("name", ["reconnect", "audience", "related"])
def test_how_many_is_limit_or_n_everywhere(make_vault: MakeVault, name: str) -> None:
    text = invoke(name, "--help").output
    assert "-n, --limit N" in text and "How many" in text
    assert "-k" not in text  # the old spelling still works, unlisted
    root = make_vault(
        {
            "People/Ann Lee.md": "---\ntags: [person, climate]\ncadence: 7\n---\n",
            "People/Sam Lee.md": "---\ntags: [person, climate]\ncadence: 7\n---\n",
            "Daily/2026-01-01.md": "[[Ann Lee]] [[Sam Lee]]\n",
            "Ideas/Heat.md": "---\ntags: [climate]\n---\nHeat and [[Grid]] and pumps.\n",
            "Ideas/Grid.md": "---\ntags: [climate]\n---\nGrid heat pumps.\n",
            "Ideas/Pumps.md": "---\ntags: [climate]\n---\nPumps heat grid.\n",
        }
    )
    target = [] if name == "reconnect" else ["Heat"]
    for flag in ("-n", "--limit", "-k"):
        result = invoke(name, *target, flag, "1", "--json", "--vault", str(root))
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        found = data["suggestions"] if name == "reconnect" else data
        assert len(found) == 1, (name, flag)
