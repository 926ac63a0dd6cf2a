"""Forgiving lookups: what the user types on the command line (a name in any case or accents, a
vault path, link text) finds the person or note, and a near miss suggests the closest names, in
every command that takes one (`tests/cases/lookup/`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli
from vaultnet.vault.lookup import Named, Wording, distance, find_named, suggestions

MakeVault = Callable[[dict[str, str | bytes]], Path]
CASES = json.loads((Path(__file__).parent / "cases/lookup/vault.json").read_text("utf-8"))


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, [*args, "--vault", str(root)], catch_exceptions=False)


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lookup")
    for name, text in CASES["files"].items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def check(result: Any, case: dict[str, Any], found: Callable[[str], str]) -> None:
    if "found" in case:
        assert result.exit_code == 0, (case["why"], result.output)
        assert found(result.output) == case["found"], case["why"]
        return
    assert result.exit_code == 1, (case["why"], result.output)
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert line.startswith(f"Error: {case['error']}"), (case["why"], line)
    if "suggests" in case:
        assert line.endswith(f"; did you mean {case['suggests']}?"), (case["why"], line)
    else:
        assert "did you mean" not in line, case["why"]


@pytest.mark.parametrize("case", CASES["people"], ids=[c["why"] for c in CASES["people"]])
def test_brief_finds_the_person_typed(
    vault: Path, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VAULTNET_INDEX", str(tmp_path / "index.sqlite"))
    result = invoke(vault, "brief", case["typed"], "--json", "--today", "2026-11-26")
    check(result, case, lambda out: json.loads(out)["path"])


@pytest.mark.parametrize("case", CASES["notes"], ids=[c["why"] for c in CASES["notes"]])
def test_note_finds_the_note_typed(
    vault: Path, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VAULTNET_INDEX", str(tmp_path / "index.sqlite"))
    check(invoke(vault, "note", case["typed"], "--json"), case, lambda out: json.loads(out)["path"])


def test_every_command_that_takes_a_name_forgives(make_vault: MakeVault) -> None:
    root = make_vault({**CASES["files"], ".obsidian/daily-notes.json": '{"folder": "Daily"}'})
    touched = invoke(root, "touch", "jose alvarez", "--date", "2026-11-20")
    assert touched.exit_code == 0, touched.output
    assert (root / "Daily/2026-11-20.md").read_text() == "- Met [[José Álvarez]]\n"
    audience = invoke(root, "audience", "climate startups to watch", "--json")
    assert audience.exit_code == 0, audience.output
    related = invoke(root, "related", "Ideas/Climate startups to watch", "--json")
    assert related.exit_code == 0, related.output
    for command in (["audience"], ["related"]):
        missed = invoke(root, *command, "Climate startups")
        assert missed.exit_code == 1
        assert "did you mean Ideas/Climate startups to watch.md?" in missed.output
    wrong = invoke(root, "touch", "Priya Rman", "--dry-run")
    assert wrong.exit_code == 1 and "did you mean Priya Raman?" in wrong.output
    assert sorted(p.name for p in (root / "Daily").iterdir()) == ["2026-11-20.md"]


def test_two_equally_named_people_are_never_guessed(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            "People/Sam Lee.md": "---\ntags: [person]\n---\n",
            "Work/People/Sam Lee.md": "---\ntags: [person]\n---\n",
        }
    )
    result = invoke(root, "brief", "sam lee")
    assert result.exit_code == 1
    assert "'sam lee' matches several people: People/Sam Lee.md, Work/People/Sam Lee.md" in (
        result.output
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("priya rman", "priya raman", 1),
        ("pryia", "priya", 1),  # a swap is one edit
        ("kitten", "sitting", 3),
        ("same", "same", 0),
        ("", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, expected: int) -> None:
    assert distance(a, b, 5) == expected
    assert distance(a, b, expected - 1) == expected if expected == 0 else expected


def test_distance_stops_past_the_limit() -> None:
    assert distance("abcdefgh", "zyxwvuts", 2) == 3


def test_suggestions_rank_a_start_before_a_typo() -> None:
    items = [Named("A.md", ("Pria",)), Named("B.md", ("Priya Raman",)), Named("C.md", ("Ramen",))]
    # "priya" starts one name (rank 0) and is one edit from another (rank 2); "Ramen" is far
    assert suggestions("priya", items) == ["Priya Raman", "Pria"]
    assert suggestions("", items) == []


def test_the_wording_names_what_was_looked_for() -> None:
    items = [Named("Vaultnet/Reconnect.md", ("Reconnect",))]
    wording = Wording("generated page", "generated pages", show_paths=True)
    assert find_named("reconnect", items, wording) == "Vaultnet/Reconnect.md"
    with pytest.raises(Exception, match="no generated page named 'Reconect'; did you mean"):
        find_named("Reconect", items, wording)
