"""The vault walk: what is a note, what is skipped, what is reported."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from vaultnet.index.scan import open_index
from vaultnet.index.schema import default_index_path
from vaultnet.vault.config import Config
from vaultnet.vault.files import walk

MakeVault = Callable[[dict[str, str | bytes]], Path]

KINDS = {
    "Note.md": "note",
    "Note 2.md": "conflict",  # iCloud: same beginning as Note.md
    "Week.md": "note",
    "Week 2.md": "note",  # a real note that only looks like an iCloud copy
    "Note.sync-conflict-20261124-101500-ABCDEFG.md": "conflict",
    "Note (Conflicted copy Laptop 202611241015).md": "conflict",
    "Note (Jane's conflicted copy 2026-11-24).md": "conflict",
    "img.png": "attachment",
    "Big.md": "too-large",
}
SKIPPED = [
    ".obsidian/app.json",
    ".trash/Old.md",
    ".git/HEAD",
    ".hidden.md",
    "Note.md~",
    ".Note.md.swp",
    "draft.tmp",
    "Sub/.DS_Store",
]


def test_kinds_of_files(make_vault: MakeVault) -> None:
    files: dict[str, str | bytes] = {name: "same start\nof the note" for name in KINDS}
    files["Week.md"] = "# Week one\n"
    files["Week 2.md"] = "# Week two\n"
    files["Big.md"] = "x" * 2000
    files.update({name: "skip me" for name in SKIPPED})
    root = make_vault(files)
    entries, problems = walk(root, Config(max_note_bytes=1000))
    assert {e.path: e.kind for e in entries} == KINDS
    assert problems == []


def test_offloaded_icloud_note_is_reported(make_vault: MakeVault) -> None:
    root = make_vault({"People/.Jane Doe.md.icloud": b"bplist", "a.md": ""})
    _, problems = walk(root, Config())
    assert [(p.path, p.kind) for p in problems] == [("People/Jane Doe.md", "offloaded")]


def test_symlink_loop_ends(make_vault: MakeVault) -> None:
    root = make_vault({"a/note.md": "[[b]]"})
    os.symlink(root / "a", root / "a" / "loop")
    os.symlink(root, root / "a" / "up")
    entries, problems = walk(root, Config())
    assert [e.path for e in entries] == ["a/note.md"]
    assert {p.kind for p in problems} == {"symlink-loop"}


def test_symlinked_folder_outside_the_vault_is_read_once(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    outside = tmp_path / "shared-notes"
    (outside).mkdir()
    (outside / "Idea.md").write_text("idea")
    root = make_vault({"a.md": "[[Idea]]"})
    os.symlink(outside, root / "Shared")
    entries, _ = walk(root, Config())
    assert [e.path for e in entries] == ["Shared/Idea.md", "a.md"]


def test_templates_and_excluded_notes_are_marked(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            ".obsidian/templates.json": '{"folder": "Templates"}',
            ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "Tpl/Templater"}',
            ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/", "/^Old.*\\\\.md$/"]}',
            "Templates/Daily.md": "[[Name]]",
            "Tpl/Templater/Person.md": "[[Name]]",
            "Archive/2019.md": "[[a]]",
            "Old notes.md": "",
            "a.md": "",
        }
    )
    with open_index(root) as index:
        index.scan()
        flags = {row.path: (row.template, row.excluded) for row in index.view.notes()}
    assert flags == {
        "Templates/Daily.md": (True, False),
        "Tpl/Templater/Person.md": (True, False),
        "Archive/2019.md": (False, True),
        "Old notes.md": (False, True),
        "a.md": (False, False),
    }


def test_malformed_obsidian_settings_are_reported_and_defaults_used(make_vault: MakeVault) -> None:
    root = make_vault({".obsidian/daily-notes.json": "{not json", "2026-11-01.md": ""})
    with open_index(root) as index:
        index.scan()
        problems = [(p.path, p.kind) for p in index.view.problems()]
        note = index.view.note("2026-11-01.md")
    assert problems == [(".obsidian/daily-notes.json", "settings-invalid")]
    assert note is not None and str(note.date) == "2026-11-01"


def test_default_index_lives_outside_the_vault(make_vault: MakeVault) -> None:
    root = make_vault({"a.md": ""})
    path = default_index_path(root)
    assert root not in path.parents
    assert path == default_index_path(root / ".." / root.name)
    assert path != default_index_path(make_vault({"a.md": ""}))


def test_symlink_to_a_folder_of_the_same_vault_is_ignored(make_vault: MakeVault) -> None:
    """Obsidian ignores such links (`Files and folders/Symbolic links and junctions.md` in its
    help): the real folder is read where it stands, whatever the listing order."""
    for name in ("0", "Zeta"):
        root = make_vault({"People/Carol.md": "carol"})
        (root / name).mkdir()
        os.symlink(root / "People", root / name / "link")
        entries, problems = walk(root, Config())
        assert [e.path for e in entries] == ["People/Carol.md"]
        assert problems == []


def test_excluded_files_written_as_one_string(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            ".obsidian/app.json": '{"userIgnoreFilters": "Archive/"}',
            "Archive/old.md": "",
            "Areas/Ann.md": "",
        }
    )
    with open_index(root) as index:
        index.scan()
        excluded = {row.path: row.excluded for row in index.view.notes()}
    assert excluded == {"Archive/old.md": True, "Areas/Ann.md": False}
