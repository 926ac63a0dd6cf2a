"""The README's promises: two commands, CI runs exactly the test command, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

from vaultnet.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)]


def test_two_commands_and_ci_runs_both_in_a_newcomers_order() -> None:
    """CI runs the README's main job on the example vault first, then (after the linters)
    exactly its test command: the tests must pass whatever the first command left in
    `examples/vault/`."""
    install_and_run, install_and_test = shell_blocks()[:2]
    assert "examples/vault" in install_and_run and "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == install_and_test and install_and_run in ci[:-1]
    lint = next(n for n, line in enumerate(ci) if "ruff check" in line)
    assert ci.index(install_and_run) < lint < len(ci) - 1
    assert "ruff format --check" in ci[lint] and "mypy" in ci[lint]


def test_try_it_with_your_own_vault_in_three_commands() -> None:
    """The newcomer's path on their own vault (`tests/test_newcomer.py` runs it)."""
    own = shell_blocks()[2]
    commands = [line.split("#")[0].split() for line in own.splitlines()]
    assert [c[:2] for c in commands] == [
        ["cd", "~/Notes"],
        ["vaultnet", "import"],
        ["vaultnet", "generate"],
    ]


def test_every_command_is_documented() -> None:
    documented = set(re.findall(r"^### `vaultnet ([\w-]+)", README, flags=re.MULTILINE))
    assert documented == set(cli.commands)


NOT_KINDS = {"open-task", "done-task", "other-task", "vaultnet-generator", "vaultnet-hash"}
NOT_KINDS |= {"e-mail", "x-socialprofile", "quoted-printable"}  # a CSV column, vCard words
NOT_KINDS |= {"create-people"}  # a command
NOT_KINDS |= {"xychart-beta"}  # a Mermaid diagram type
"""Hyphenated string constants in the code that are not problem kinds."""


def test_every_problem_kind_is_in_the_doctor_table() -> None:
    kinds = set()
    for module in (ROOT / "vaultnet").rglob("*.py"):
        kinds |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', module.read_text(encoding="utf-8")))
    table = set(re.findall(r"^\| `([a-z-]+)` \|", README, flags=re.MULTILINE))
    assert kinds - NOT_KINDS <= table, kinds - NOT_KINDS - table
