"""Writes land only where their path leads as written (issue 23 items 1, 2 and 8).

Real symlinks in a copy of the example vault (`cases/write/symlinks.yaml`), the real command
(`CliRunner`, and `vaultnet watch` as a process): a page whose folder is reached through a
symlink is refused, whatever the link leads to (another folder of the vault, a dot folder, out
of the vault), in one line naming the link, and is never renamed into a duplicate; nothing else
in the vault changes, run after run; the watcher does not loop. `.vaultnet.toml` values are
checked when a run starts (`cases/config/values.yaml`), and `touch` writes no daily note into a
dot folder or through a link.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import copy_example_vault

from vaultnet.cli import cli
from vaultnet.vault.config import parse_config

CASES = Path(__file__).parent / "cases"
SYMLINKS = yaml.safe_load((CASES / "write" / "symlinks.yaml").read_text(encoding="utf-8"))
VALUES = yaml.safe_load((CASES / "config" / "values.yaml").read_text(encoding="utf-8"))
TODAY = "2026-11-26"


def run(root: Path, index: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(
        cli, ["--vault", str(root), "--index", str(index), *args], catch_exceptions=False
    )
    assert result.exit_code == code, result.output
    return result


def files_of(root: Path) -> dict[str, bytes]:
    """Every real file in the vault, symlinks not followed, but for vaultnet's own lock folder
    (what a symlink points to is listed where it really is)."""
    found: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not (folder == str(root) and d == ".vaultnet")]
        for name in names:
            full = Path(folder, name)
            if not full.is_symlink():
                found[full.relative_to(root).as_posix()] = full.read_bytes()
    return found


def vault_for(case: dict[str, Any], where: Path, *, links: bool) -> Path:
    root = copy_example_vault(where / "vault")
    (where / "OUTSIDE" / "pages").mkdir(parents=True)
    if case.get("config"):
        config = root / ".vaultnet.toml"
        config.write_text(f"{case['config']}\n{config.read_text(encoding='utf-8')}")
    for folder in case.get("folders", []):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for link, target in case.get("links", {}).items() if links else ():
        if target.startswith("OUTSIDE/"):
            target = str(where / target)
        (root / link).symlink_to(target, target_is_directory=True)
    return root


@pytest.mark.parametrize("case", SYMLINKS, ids=[c["name"] for c in SYMLINKS])
def test_nothing_is_written_through_a_symlinked_folder(
    case: dict[str, Any], tmp_path: Path
) -> None:
    plain = vault_for(case, tmp_path / "plain", links=False)
    pages = json.loads(
        run(plain, tmp_path / "plain.db", "generate", "--today", TODAY, "--json").output
    )
    via = case["via"]
    through = sorted(p for p in pages["written"] if p.startswith(via + "/"))
    assert through, "the case must put some page behind its link"
    elsewhere = sorted(set(pages["written"]) - set(through))

    root = vault_for(case, tmp_path / "linked", links=True)
    before = files_of(root)
    index = tmp_path / "linked.db"
    first = run(root, index, "generate", "--today", TODAY)
    refused = [line for line in first.output.splitlines() if line.startswith("refused:")]
    assert len(refused) == 1, first.output
    assert f"{via} is a symlink to {case['lands']}" in refused[0]
    assert first.output.splitlines()[-1] == (
        f"{len(elsewhere)} written, 0 unchanged, 0 removed, {len(through)} refused, in {root}"
    )
    after = files_of(root)
    assert sorted(set(after) - set(before)) == elsewhere  # its own pages, where they belong
    assert {p: after[p] for p in before} == before  # not a byte changed anywhere else
    again = json.loads(run(root, index, "generate", "--today", TODAY, "--json").output)
    assert (again["written"], again["unchanged"]) == ([], elsewhere)
    assert sorted(r["path"] for r in again["refused"]) == through
    assert files_of(root) == after  # the vault never grows
    problems = json.loads(run(root, index, "doctor", "--json").output)["problems"]
    refusals = [p for p in problems if p["kind"] == "page-refused"]
    assert [p["path"] for p in refusals] == [via]
    assert not [p for p in problems if p["kind"] in ("generated-page-moved", "page-renamed")]


# --- the watcher ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "link", "target"),
    [('output_folder = "Link"\n', "Link", "People"), ("", "Vaultnet", "Meta/Gen")],
)
def test_the_watcher_does_not_loop_on_a_symlinked_output_folder(
    tmp_path: Path, config: str, link: str, target: str
) -> None:
    """Was: 54 batches in 40 s, each "56 changed, 56 written", junk pages among contacts."""
    root = copy_example_vault(tmp_path / "vault")
    (root / ".vaultnet.toml").write_text(config + (root / ".vaultnet.toml").read_text())
    (root / target).mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(target, target_is_directory=True)
    before = files_of(root)
    log = tmp_path / "watch.log"
    command = [sys.executable, "-m", "vaultnet", "--vault", str(root), "--index",
               str(tmp_path / "i.db"), "watch", "--today", TODAY, "--debounce", "50"]  # fmt: skip
    with open(log, "w") as out:
        proc = subprocess.Popen(command, stderr=out, stdout=subprocess.DEVNULL)
    try:
        wait_for(log, "watching", proc)
        time.sleep(2.0)
        note = root / "Daily" / "2026-11-21.md"
        with open(note, "a", encoding="utf-8") as file:
            file.write("\nCalled [[Priya Natarajan]] again.\n")
        wait_for(log, "1 changed (Daily/2026-11-21.md)", proc)
        time.sleep(3.0)  # a loop would have run several batches by now
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text()
    batches = [line for line in text.splitlines() if " written" in line]
    assert len(batches) == 2, text  # the catch-up, then the one edit: nothing echoes
    assert all(" 0 pages written" in line and "refused (see doctor)" in line for line in batches)
    after = files_of(root)
    assert set(after) == set(before)  # not one page landed anywhere
    assert {p: b for p, b in after.items() if p != "Daily/2026-11-21.md"} == {
        p: b for p, b in before.items() if p != "Daily/2026-11-21.md"
    }


def wait_for(log: Path, words: str, proc: subprocess.Popen[bytes], bound: float = 60.0) -> None:
    start = time.monotonic()
    while words not in log.read_text():
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() - start < bound, log.read_text()
        time.sleep(0.05)


# --- .vaultnet.toml --------------------------------------------------------------------------


@pytest.mark.parametrize("case", VALUES, ids=[c["toml"][:40] for c in VALUES])
def test_configuration_values(case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / ".vaultnet.toml").write_text(case["toml"] + "\n", encoding="utf-8")
    (root / "Note.md").write_text("x\n")
    if "folder" in case:
        assert parse_config(case["toml"]).output_folder == case["folder"]
        run(root, tmp_path / "i.db", "generate", "--today", TODAY)
        assert (root / case["folder"] / "Suggested links.md").is_file()
        return
    for command in (["generate"], ["doctor"], ["scan"]):
        result = run(root, tmp_path / "i.db", *command, code=1)
        assert result.output.count("\n") == 1
        assert result.output.startswith(f"Error: {case['error']}"), result.output
    assert sorted(p.name for p in root.iterdir()) == [".vaultnet.toml", "Note.md"]


# --- touch -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("daily", "link", "message"),
    [
        (
            {"folder": ".obsidian"},
            None,
            "Error: .obsidian/2026-11-26.md: the daily note's folder or name in "
            ".obsidian/daily-notes.json is hidden from Obsidian (it starts with a dot); no note "
            "is written there\n",
        ),
        (
            {"folder": "Journal/.private"},
            None,
            "Error: Journal/.private/2026-11-26.md: the daily note's folder or name in "
            ".obsidian/daily-notes.json is hidden from Obsidian (it starts with a dot); no note "
            "is written there\n",
        ),
        (
            {"folder": "Log"},
            ("Log", "People"),
            "Error: Log is a symlink to People; vaultnet never writes through a symlinked "
            "folder (it would land in People): replace the link with a real folder\n",
        ),
    ],
)
def test_touch_writes_no_daily_note_where_it_does_not_belong(
    tmp_path: Path, daily: dict[str, str], link: tuple[str, str] | None, message: str
) -> None:
    """Was: `"folder": ".obsidian"` created a daily note inside `.obsidian/`."""
    root = copy_example_vault(tmp_path / "vault")
    (root / ".obsidian" / "daily-notes.json").write_text(json.dumps(daily))
    if link:
        (root / link[0]).symlink_to(link[1], target_is_directory=True)
    before = files_of(root)
    for dry in ([], ["--dry-run"]):
        args = ["touch", "Priya Natarajan", "--date", TODAY, *dry]
        result = run(root, tmp_path / "i.db", *args, code=1)
        assert result.output == message
    assert files_of(root) == before


@pytest.mark.parametrize("folder", [".hidden", "People/.private", "../People", "/tmp/People"])
def test_import_makes_no_note_outside_the_vault_or_in_a_dot_folder(
    tmp_path: Path, folder: str
) -> None:
    root = copy_example_vault(tmp_path / "vault")
    book = tmp_path / "book.vcf"
    book.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Zoë New\nEND:VCARD\n", encoding="utf-8")
    before = files_of(root)
    result = run(root, tmp_path / "i.db", "import", str(book), "--folder", folder, code=2)
    assert f"{folder!r}: a folder inside the vault, such as People/Imported" in result.output
    assert files_of(root) == before


def test_a_control_character_in_obsidians_settings_is_reported_and_defaults_used(
    tmp_path: Path,
) -> None:
    """Was: `internal error: ValueError: embedded null byte` from `touch`."""
    root = copy_example_vault(tmp_path / "vault")
    daily = {"folder": "Daily", "format": "YYYY-MM-DD", "template": "Templ\u0000ates/Daily"}
    (root / ".obsidian" / "daily-notes.json").write_text(json.dumps(daily))
    index = tmp_path / "i.db"
    done = run(root, index, "touch", "Priya Natarajan", "--date", TODAY)
    assert (
        done.output == f"created 2026-11-26.md in {root}: - Met [[Priya Natarajan]]\n"
    )  # defaults
    problems = json.loads(run(root, index, "doctor", "--json").output)["problems"]
    assert {
        "path": ".obsidian/daily-notes.json",
        "line": None,
        "kind": "settings-invalid",
        "message": "'template' holds a control character; using defaults",
    } in problems
