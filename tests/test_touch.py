"""`touch`: one appended line in the day's daily note, created from Obsidian's template if absent."""

from __future__ import annotations

import builtins
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import gathering_of

from vaultnet.errors import NoteNotFound, UnsafePath
from vaultnet.index.scan import open_index
from vaultnet.pages.append import append_line, create_note
from vaultnet.reconnect.touch import TouchPlan, touch

MakeVault = Callable[[dict[str, Any]], Path]
NOW = dt.datetime(2026, 11, 26, 9, 30)
DAILY = '{"folder": "Journal", "format": "YYYY/MM/YYYY-MM-DD", "template": "Templates/Day"}'


def run(root: Path, name: str, **kwargs: Any) -> TouchPlan:
    with open_index(root) as index:
        index.scan()
        options = {"day": NOW.date(), "note": None, "now": NOW, **kwargs}
        return touch(gathering_of(index, NOW.date()), root, name, **options)


def vault(make_vault: MakeVault, **extra: Any) -> Path:
    return make_vault(
        {
            ".obsidian/daily-notes.json": DAILY,
            "Templates/Day.md": "# {{title}}\n\nMade {{date}} at {{time}}, {{date:dddd}}\n",
            "People/Jane Doe.md": "---\naliases: [Janie]\n---\n",
            "People/Sam Lee.md": "---\naliases: [Sam]\n---\n",
            "Work/People/Sam Lee.md": "---\naliases: [Sam]\n---\n",
            **extra,
        }
    )


def test_appends_one_line_in_one_write(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = "---\ntags: [daily]\n---\n# Day\n\n- something else"  # no final newline
    root = vault(make_vault, **{"Journal/2026/11/2026-11-26.md": original})
    note = root / "Journal/2026/11/2026-11-26.md"
    inode = note.stat().st_ino
    modes: list[str] = []
    real_open = builtins.open

    def spy(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("2026-11-26.md"):
            modes.append(mode)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    result = run(root, "janie", note="coffee,  talked  about hiring")
    assert modes == ["a"]
    assert result.path == "Journal/2026/11/2026-11-26.md" and not result.create
    assert note.stat().st_ino == inode
    assert (
        note.read_text(encoding="utf-8")
        == original + "\n- Met [[Jane Doe]]: coffee, talked about hiring\n"
    )


def test_creates_the_daily_note_from_its_template(make_vault: MakeVault) -> None:
    root = vault(make_vault)
    result = run(root, "JANE DOE", day=dt.date(2026, 11, 20))
    assert result.create
    text = (root / "Journal/2026/11/2026-11-20.md").read_text(encoding="utf-8")
    assert text == "# 2026-11-20\n\nMade 2026/11/2026-11-20 at 09:30, Friday\n- Met [[Jane Doe]]\n"


def test_without_template_or_settings(make_vault: MakeVault) -> None:
    root = make_vault(
        {"People/Jane Doe.md": "", ".obsidian/app.json": '{"useMarkdownLinks": true}'}
    )
    result = run(root, "jane doe", note="lunch")
    assert result.path == "2026-11-26.md"
    assert (root / "2026-11-26.md").read_text() == "- Met [Jane Doe](Jane%20Doe.md): lunch\n"


def test_dry_run_writes_nothing(make_vault: MakeVault) -> None:
    root = vault(make_vault)
    result = run(root, "Janie", dry_run=True)
    assert result.create and result.line == "- Met [[Jane Doe]]"
    assert not (root / "Journal").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Sam", "'Sam' matches several people: People/Sam Lee.md, Work/People/Sam Lee.md"),
        ("Bob", "no person named 'Bob' \\(by file name or alias\\); see `vaultnet contacts`"),
        ("jane", "no person named 'jane' \\(by file name or alias\\); did you mean Jane Doe\\?"),
    ],
)
def test_ambiguous_or_unknown_name(make_vault: MakeVault, name: str, message: str) -> None:
    root = vault(make_vault)
    with pytest.raises(NoteNotFound, match=message):
        run(root, name)


def test_refuses_symlink_out_of_the_vault(make_vault: MakeVault, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("keep\n")
    root = vault(make_vault)
    (root / "Journal/2026/11").mkdir(parents=True)
    os.symlink(outside, root / "Journal/2026/11/2026-11-26.md")
    with pytest.raises(UnsafePath, match="leads outside the vault"):
        run(root, "Janie")
    assert outside.read_text() == "keep\n"
    with pytest.raises(UnsafePath, match="not a note path inside the vault"):
        append_line(root, "../outside.md", "x")


def test_create_note_never_overwrites(tmp_path: Path) -> None:
    create_note(tmp_path, "A/b.md", "one\n")
    with pytest.raises(UnsafePath, match="already exists"):
        create_note(tmp_path, "A/b.md", "two\n")
    assert (tmp_path / "A/b.md").read_text() == "one\n"
    with pytest.raises(UnsafePath, match="not an existing note"):
        append_line(tmp_path, "A/missing.md", "x")


# --- review findings -------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True])
def test_never_writes_beside_an_offloaded_daily_note(make_vault: MakeVault, existing: bool) -> None:
    # review finding 3: only iCloud's stub of the day's note is here; the real note is in iCloud
    root = vault(make_vault, **{"Journal/2026/11/.2026-11-26.md.icloud": b"bplist00"})
    if existing:  # a stub beside a file of the same name: still never written
        (root / "Journal/2026/11/2026-11-26.md").write_text("# Day\n")
    with pytest.raises(UnsafePath, match="iCloud has offloaded this note"):
        run(root, "Janie")
    folder = sorted(p.name for p in (root / "Journal/2026/11").iterdir())
    assert folder == [".2026-11-26.md.icloud", *(["2026-11-26.md"] if existing else [])]
    if existing:
        assert (root / "Journal/2026/11/2026-11-26.md").read_text() == "# Day\n"


LINE_ENDINGS = [
    # the daily note before, the note after
    (b"# Day\r\n\r\nStandup\r\n", b"# Day\r\n\r\nStandup\r\n- Met [[Jane Doe]]\r\n"),
    (b"# Day\r\nStandup", b"# Day\r\nStandup\r\n- Met [[Jane Doe]]\r\n"),
    (b"# Day\nStandup", b"# Day\nStandup\n- Met [[Jane Doe]]\n"),
    (b"", b"- Met [[Jane Doe]]\n"),
]


@pytest.mark.parametrize(("before", "after"), LINE_ENDINGS)
def test_appends_with_the_notes_own_line_ending(
    make_vault: MakeVault, before: bytes, after: bytes
) -> None:
    # review finding 14: an LF line appended to a CRLF note
    root = vault(make_vault, **{"Journal/2026/11/2026-11-26.md": before})
    run(root, "Janie")
    assert (root / "Journal/2026/11/2026-11-26.md").read_bytes() == after


def test_a_crlf_template_makes_a_crlf_note(make_vault: MakeVault) -> None:
    root = vault(make_vault, **{"Templates/Day.md": b"# {{title}}\r\n\r\nNotes"})
    run(root, "Janie")
    data = (root / "Journal/2026/11/2026-11-26.md").read_bytes()
    assert data == b"# 2026-11-26\r\n\r\nNotes\r\n- Met [[Jane Doe]]\r\n"


@pytest.mark.parametrize("template", ["../secret", "Templates/../../secret", "Outside/secret"])
def test_the_template_is_never_read_from_outside_the_vault(
    make_vault: MakeVault, tmp_path: Path, template: str
) -> None:
    # review finding 15: the daily-note template `../secret` was read and copied into the vault
    settings = DAILY.replace("Templates/Day", template)
    root = vault(make_vault, **{".obsidian/daily-notes.json": settings})
    (root.parent / "secret.md").write_text("TOP SECRET\n")
    (root / "Outside").symlink_to(root.parent, target_is_directory=True)
    with pytest.raises(UnsafePath, match="outside the vault"):
        run(root, "Janie")
    assert not (root / "Journal").exists()


def test_a_template_path_with_a_leading_slash_is_vault_relative(make_vault: MakeVault) -> None:
    settings = DAILY.replace("Templates/Day", "/Templates/Day")
    root = vault(make_vault, **{".obsidian/daily-notes.json": settings})
    run(root, "Janie")
    assert (root / "Journal/2026/11/2026-11-26.md").read_text().startswith("# 2026-11-26\n")


def test_a_new_note_appears_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_note(tmp_path, "A/b.md", "one\n")
    assert sorted(p.name for p in (tmp_path / "A").iterdir()) == ["b.md"]  # no temp file left

    def no_hard_links(*args: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)  # FAT, some network drives
    create_note(tmp_path, "A/c.md", "two\n")
    with pytest.raises(UnsafePath, match="already exists"):
        create_note(tmp_path, "A/c.md", "three\n")
    assert (tmp_path / "A/c.md").read_text() == "two\n"
    assert sorted(p.name for p in (tmp_path / "A").iterdir()) == ["b.md", "c.md"]
