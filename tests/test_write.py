"""The safe writer, page names and marked blocks: what may be written, and what never is."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.errors import WriteFailed
from vaultnet.pages import write
from vaultnet.pages.append import append_line
from vaultnet.pages.blocks import begin_marker, end_marker, splice_block, write_block
from vaultnet.pages.names import place_pages, safe_stem
from vaultnet.pages.write import (
    FOOTER,
    REFUSED,
    REMOVED,
    UNCHANGED,
    WRITTEN,
    Outcome,
    UnsafeWrite,
    clean_temp_files,
    is_pristine,
    read_marker,
    remove_conflict_copy,
    remove_page,
    render_page,
    replace_file,
    write_page,
)

PAGE = "Vaultnet/Reconnect.md"
OURS = render_page("reconnect", "# Reconnect\n\n- [[Jane Doe]]\n")


# --- names -----------------------------------------------------------------------------------

SAFE_STEMS = [
    ("Reconnect", "Reconnect"),
    ('a\\b/c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
    ("#tag ^block [link]", "-tag -block -link-"),
    ("CON", "CON_"),
    ("nul.tar", "nul_.tar"),
    ("com1", "com1_"),
    ("CONIN$", "CONIN$_"),
    ("conout$.txt", "conout$_.txt"),
    ("Console", "Console"),
    ("  .hidden.  ", "hidden"),
    ("", "Untitled"),
    ("...", "Untitled"),
    ("tab\there\nnewline", "tab-here-newline"),
    ("Cafe\u0301", "Café"),
]


@pytest.mark.parametrize(("stem", "expected"), SAFE_STEMS)
def test_safe_stem(stem: str, expected: str) -> None:
    assert safe_stem(stem) == expected


@pytest.mark.parametrize("stem", ["é" * 300, "a" * 400, "日本" * 100])
def test_safe_stem_fits_255_bytes_on_a_character_boundary(stem: str) -> None:
    name = safe_stem(stem) + ".md"
    assert len(name.encode()) <= 255
    assert stem.startswith(name[:-3])


PLACEMENTS = [
    # requested pages, user notes (folded name -> path), expected final paths
    ([PAGE], {}, [PAGE]),
    ([PAGE], {"reconnect": "Notes/reconnect.md"}, ["Vaultnet/Reconnect (vaultnet).md"]),
    (
        [PAGE],
        {"reconnect": "a.md", "reconnect (vaultnet)": "b.md"},
        ["Vaultnet/Reconnect (vaultnet 2).md"],
    ),
    (
        ["Vaultnet/Related/Idea.md", "Vaultnet/Related/IDEA.md"],
        {},
        ["Vaultnet/Related/Idea.md", "Vaultnet/Related/IDEA (vaultnet).md"],
    ),
    (
        ["V/Cafe\u0301.md", "W/Café.md"],
        {},
        ["V/Café.md", "W/Café (vaultnet).md"],
    ),
    (["V/What? #1.md"], {}, ["V/What- -1.md"]),
    (["V/CON.md"], {}, ["V/CON_.md"]),
]


@pytest.mark.parametrize(("requested", "user", "expected"), PLACEMENTS)
def test_place_pages(requested: list[str], user: dict[str, str], expected: list[str]) -> None:
    placed = place_pages(requested, user)
    assert [p.path for p in placed] == expected
    for page in placed:
        assert bool(page.reason) == (page.path != page.requested)
    if user:
        assert "your note" in placed[0].reason


# --- markers ---------------------------------------------------------------------------------


def test_marker_names_the_generator_hashes_the_body_and_keeps_pages_unpublished() -> None:
    text = OURS.decode()
    assert text.startswith("---\nvaultnet-generator: reconnect\nvaultnet-hash: ")
    assert "publish: false\ndg-publish: false\n---\n# Reconnect" in text
    marker, body = read_marker(OURS)
    assert marker is not None and marker.generator == "reconnect"
    # every page ends with the line that says what an edit does, and how to undo it
    assert body == f"# Reconnect\n\n- [[Jane Doe]]\n\n{FOOTER}"
    assert render_page("reconnect", body) == OURS  # deterministic (the line once)
    assert is_pristine(OURS)


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t + "my own line\n",
        lambda t: t.replace("Jane Doe", "Jane Doh"),
        lambda t: t.replace("publish: false\n", "publish: false\ntags: [mine]\n", 1),
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.rstrip("\n"),
    ],
)
def test_any_edit_makes_a_page_the_users(edit) -> None:  # type: ignore[no-untyped-def]
    assert not is_pristine(edit(OURS.decode()).encode())


def test_bad_generator_names_are_refused() -> None:
    with pytest.raises(UnsafeWrite):
        render_page("Bad Name: x", "body")


# --- write_page ------------------------------------------------------------------------------

EDITED = OURS + b"my note\n"
USER = b"# Reconnect\n\nMy own note.\n"
OTHER = render_page("related", "other\n")

WRITES = [
    # what is at the page path before, outcome, bytes after (None: same as before)
    (None, WRITTEN, OURS),
    (OURS, UNCHANGED, OURS),
    (render_page("reconnect", "old body\n"), WRITTEN, OURS),
    (EDITED, REFUSED, EDITED),
    (USER, REFUSED, USER),
    (OTHER, REFUSED, OTHER),
    (b"\xff\xfe not utf-8", REFUSED, b"\xff\xfe not utf-8"),
]


@pytest.mark.parametrize(("before", "action", "after"), WRITES)
@pytest.mark.parametrize("dry_run", [False, True])
def test_write_page(
    tmp_path: Path, before: bytes | None, action: str, after: bytes, dry_run: bool
) -> None:
    target = tmp_path / PAGE
    if before is not None:
        target.parent.mkdir()
        target.write_bytes(before)
    outcome = write_page(
        tmp_path, PAGE, "reconnect", "# Reconnect\n\n- [[Jane Doe]]", dry_run=dry_run
    )
    assert outcome.action == action
    assert (outcome.reason != "") == (action == REFUSED)
    expected = before if dry_run else after
    assert (target.read_bytes() if target.exists() else None) == expected
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".vaultnet-tmp")]


@pytest.mark.parametrize(
    "path", ["../outside.md", "/etc/x.md", "a/../../x.md", ".obsidian/x.md", "x.txt", "a\\b.md"]
)
def test_never_writes_outside_the_vault(tmp_path: Path, path: str) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    assert write_page(vault, path, "reconnect", "x").action == REFUSED
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["vault"]


def test_never_writes_through_a_symlink(tmp_path: Path) -> None:
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    vault.mkdir()
    outside.mkdir()
    (vault / "Vaultnet").symlink_to(outside, target_is_directory=True)
    assert write_page(vault, PAGE, "reconnect", "x").action == REFUSED
    (vault / "Notes").mkdir()
    (outside / "secret.md").write_bytes(b"secret")
    (vault / "Notes" / "Reconnect.md").symlink_to(outside / "secret.md")
    outcome = write_page(vault, "Notes/Reconnect.md", "reconnect", "x")
    assert outcome.action == REFUSED and "symlink" in outcome.reason
    assert (outside / "secret.md").read_bytes() == b"secret"
    assert list(outside.iterdir()) == [outside / "secret.md"]


def test_a_folder_linked_to_another_folder_of_the_vault_is_refused(tmp_path: Path) -> None:
    """Was fine (issue 23): the page landed in Real/, where the index saw it as a note of the
    user's, and the next run wrote it again under another name, run after run."""
    (tmp_path / "Real").mkdir()
    (tmp_path / "Vaultnet").symlink_to(tmp_path / "Real", target_is_directory=True)
    outcome = write_page(tmp_path, PAGE, "reconnect", "x")
    assert outcome == Outcome(
        PAGE,
        REFUSED,
        "Vaultnet is a symlink to Real; vaultnet never writes through a symlinked folder (it "
        "would land in Real): replace the link with a real folder",
        via="Vaultnet",
    )
    assert list((tmp_path / "Real").iterdir()) == []


def test_a_folder_that_becomes_a_link_before_the_rename_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folders are checked again under the write lock, just before the rename."""
    (tmp_path / "People").mkdir()
    real_lock = write.write_lock

    @contextmanager
    def swapped(root: Path) -> Iterator[None]:
        with real_lock(root):
            folder = tmp_path / "Vaultnet"
            for temp in folder.iterdir():
                temp.unlink()
            folder.rmdir()
            folder.symlink_to("People", target_is_directory=True)
            yield

    monkeypatch.setattr(write, "write_lock", swapped)
    outcome = write_page(tmp_path, PAGE, "reconnect", "x")
    assert outcome.action == REFUSED and outcome.via == "Vaultnet"
    assert list((tmp_path / "People").iterdir()) == []


def test_never_writes_over_an_offloaded_icloud_stub(tmp_path: Path) -> None:
    (tmp_path / "Vaultnet").mkdir()
    stub = tmp_path / "Vaultnet" / ".Reconnect.md.icloud"
    stub.write_bytes(b"bplist")
    outcome = write_page(tmp_path, PAGE, "reconnect", "x")
    assert outcome.action == REFUSED and "iCloud" in outcome.reason
    assert sorted(p.name for p in (tmp_path / "Vaultnet").iterdir()) == [".Reconnect.md.icloud"]


def test_a_save_during_the_write_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / PAGE
    target.parent.mkdir()
    target.write_bytes(render_page("reconnect", "old\n"))
    real_fsync = os.fsync

    def user_saves(fd: int) -> None:
        real_fsync(fd)
        target.write_bytes(b"typed just now\n")

    monkeypatch.setattr(os, "fsync", user_saves)
    outcome = write_page(tmp_path, PAGE, "reconnect", "new")
    assert outcome.action == REFUSED
    assert target.read_bytes() == b"typed just now\n"
    assert [p.name for p in target.parent.iterdir()] == ["Reconnect.md"]


def test_a_page_with_the_longest_legal_name_is_written(tmp_path: Path) -> None:
    # review finding 8: the temp file name must not grow with the page's name (255-byte limit)
    for stem in ("A" * 300, "é" * 200):
        path = f"Vaultnet/{safe_stem(stem)}.md"
        assert len(path.rpartition("/")[2].encode()) in (254, 255)
        outcome = write_page(tmp_path, path, "related", "# hi\n")
        assert outcome.action == WRITTEN, outcome.reason
        assert is_pristine((tmp_path / path).read_bytes())
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".vaultnet-tmp")]


def test_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / PAGE
    target.parent.mkdir()
    target.write_bytes(render_page("reconnect", "old\n"))
    target.chmod(0o600)
    write_page(tmp_path, PAGE, "reconnect", "new")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("before", "action", "exists_after"),
    [
        (OURS, REMOVED, False),
        (EDITED, REFUSED, True),
        (USER, REFUSED, True),
        (None, UNCHANGED, False),
    ],
)
def test_remove_page(tmp_path: Path, before: bytes | None, action: str, exists_after: bool) -> None:
    target = tmp_path / PAGE
    if before is not None:
        target.parent.mkdir()
        target.write_bytes(before)
    assert remove_page(tmp_path, PAGE, "reconnect").action == action
    assert target.exists() == exists_after


@pytest.mark.parametrize(
    ("copy", "action", "exists_after"),
    [(OURS, REMOVED, False), (EDITED, REFUSED, True), (USER, None, True)],
)
def test_sync_conflict_copies(
    tmp_path: Path, copy: bytes, action: str | None, exists_after: bool
) -> None:
    path = "Vaultnet/Reconnect.sync-conflict-20261124-101500-ABCDEFG.md"
    (tmp_path / "Vaultnet").mkdir()
    (tmp_path / path).write_bytes(copy)
    outcome = remove_conflict_copy(tmp_path, path)
    assert (outcome.action if outcome else None) == action
    assert (tmp_path / path).exists() == exists_after


def test_another_generators_conflict_copy_is_not_removed(tmp_path: Path) -> None:
    path = "Vaultnet/Reconnect.sync-conflict-20261124-101500-ABCDEFG.md"
    (tmp_path / "Vaultnet").mkdir()
    (tmp_path / path).write_bytes(OTHER)
    assert remove_conflict_copy(tmp_path, path, "reconnect") is None
    assert (tmp_path / path).read_bytes() == OTHER


def test_nothing_is_removed_through_a_symlinked_folder_leading_outside(tmp_path: Path) -> None:
    # review finding 13: the conflict-copy removal went around target_path's check
    vault, other = tmp_path / "vault", tmp_path / "other-vault" / "Vaultnet"
    vault.mkdir()
    other.mkdir(parents=True)
    copy = other / "Reconnect.sync-conflict-20261124-101500-ABCDEFG.md"
    copy.write_bytes(OURS)
    (other / "Old.md").write_bytes(OURS)
    (vault / "Shared").symlink_to(other, target_is_directory=True)
    assert remove_conflict_copy(vault, f"Shared/{copy.name}") is None
    assert remove_page(vault, "Shared/Old.md", "reconnect").action == REFUSED
    assert sorted(p.name for p in other.iterdir()) == ["Old.md", copy.name]


def _vanish_after_read(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The user (or a sync tool) deletes the file right after vaultnet read it."""
    real = write.read_current

    def racing(target: Path) -> bytes | None:
        data = real(target)
        if target.name == name and target.exists():
            target.unlink()
        return data

    monkeypatch.setattr(write, "read_current", racing)


CONFLICT = "Vaultnet/Reconnect.sync-conflict-20261124-101500-ABCDEFG.md"
VANISHING: list[tuple[str, Callable[[Path], object]]] = [
    (PAGE, lambda root: remove_page(root, PAGE, "reconnect")),
    (CONFLICT, lambda root: remove_conflict_copy(root, CONFLICT)),
]


@pytest.mark.parametrize(("path", "call"), VANISHING)
def test_a_file_deleted_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, call: Callable[[Path], object]
) -> None:
    # review finding 7: an unguarded unlink raised FileNotFoundError and aborted `generate`
    (tmp_path / "Vaultnet").mkdir()
    (tmp_path / path).write_bytes(OURS)
    _vanish_after_read(monkeypatch, path.rpartition("/")[2])
    outcome = call(tmp_path)
    assert outcome is not None and outcome.action in (UNCHANGED, REMOVED)
    assert not (tmp_path / path).exists()


def test_a_page_edited_just_before_its_removal_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review finding 2: remove_page read the page, then unlinked it later without a re-check
    target = tmp_path / PAGE
    target.parent.mkdir()
    target.write_bytes(OURS)
    real = write.read_current
    calls: list[Path] = []

    def user_types_after_the_first_read(path: Path) -> bytes | None:
        data = real(path)
        calls.append(path)
        if len(calls) == 1:
            target.write_bytes(EDITED)
        return data

    monkeypatch.setattr(write, "read_current", user_types_after_the_first_read)
    outcome = remove_page(tmp_path, PAGE, "reconnect")
    assert outcome.action == REFUSED and "changed while" in outcome.reason
    assert target.read_bytes() == EDITED


# --- crashes ---------------------------------------------------------------------------------

KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from vaultnet.pages import write
def die(*args): os.kill(os.getpid(), signal.SIGKILL)
os.replace = die
write.write_page(Path(sys.argv[1]), "Vaultnet/Reconnect.md", "reconnect", "new body" * 10000)
"""


def test_kill_9_mid_write_leaves_no_truncated_file_and_the_next_start_cleans_up(
    tmp_path: Path,
) -> None:
    target = tmp_path / PAGE
    target.parent.mkdir()
    target.write_bytes(OURS)
    run = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(tmp_path)], check=False)
    assert run.returncode == -9
    assert target.read_bytes() == OURS
    leftovers = [p.name for p in target.parent.iterdir() if p.name != "Reconnect.md"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".vaultnet-")
    old_style = target.parent / ".Reconnect.md.99999.vaultnet-tmp"  # left by an older version
    old_style.write_bytes(b"half")
    assert clean_temp_files(tmp_path) == sorted(
        [f"Vaultnet/{leftovers[0]}", f"Vaultnet/{old_style.name}"]
    )
    assert [p.name for p in target.parent.iterdir()] == ["Reconnect.md"]


def test_a_stale_temp_file_with_our_name_is_never_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Vaultnet"
    folder.mkdir()
    monkeypatch.setattr(write, "_TEMP_NUMBERS", iter(range(5)))
    stale = folder / f".vaultnet-{os.getpid()}-0.vaultnet-tmp"
    stale.write_bytes(b"a killed process's half page")
    assert write_page(tmp_path, PAGE, "reconnect", "x").action == WRITTEN
    assert stale.read_bytes() == b"a killed process's half page"


@pytest.mark.parametrize(
    ("number", "stops"), [(errno.ENOSPC, True), (errno.EIO, True), (errno.EACCES, False)]
)
def test_a_failed_replace_removes_its_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, stops: bool
) -> None:
    """A full disk or an I/O error stops the command (every later write would fail too); a
    file's own trouble (permissions) refuses that page alone."""

    def fail(*args: object) -> None:
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(os, "replace", fail)
    if stops:
        with pytest.raises(
            WriteFailed,
            match=f"Vaultnet/Reconnect.md: cannot write \\({os.strerror(number)}\\); stopped",
        ):
            write_page(tmp_path, PAGE, "reconnect", "x")
    else:
        outcome = write_page(tmp_path, PAGE, "reconnect", "x")
        assert outcome.action == REFUSED and os.strerror(number) in outcome.reason
    assert list((tmp_path / "Vaultnet").iterdir()) == []


def test_replace_file_creates_folders(tmp_path: Path) -> None:
    replace_file(tmp_path, tmp_path / "a" / "b.md", b"x", expect=None)
    assert (tmp_path / "a" / "b.md").read_bytes() == b"x"


def test_a_failed_folder_fsync_after_the_replace_is_no_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def no_folder_open(path: object, flags: int, *args: object) -> int:
        if Path(str(path)) == tmp_path / "Vaultnet":
            raise OSError(22, "Invalid argument")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_folder_open)
    assert write_page(tmp_path, PAGE, "reconnect", "x").action == WRITTEN


# --- marked blocks ---------------------------------------------------------------------------

BLOCK = "- [[Related idea]]\n"
OTHER_BLOCK = "- [[Other]]\n"
WITH_BLOCK = f"{begin_marker('related', BLOCK)}\n{BLOCK}{end_marker('related')}\n"

SPLICES = [
    # note text, block content, expected text
    ("My note\n", BLOCK, "My note\n\n" + WITH_BLOCK),
    ("My note", BLOCK, "My note\n" + WITH_BLOCK),
    ("", BLOCK, "\n" + WITH_BLOCK),
    ("My note\n", "", "My note\n"),
    ("My note\n\n" + WITH_BLOCK, "", "My note\n"),
    ("My note\n" + WITH_BLOCK, "", "My note"),
    ("My note\n\n" + WITH_BLOCK + "typed after\n", "", "My note\ntyped after\n"),
    (
        "My note\n\n" + WITH_BLOCK,
        "- [[Other]]\n",
        "My note\n\n"
        + begin_marker("related", OTHER_BLOCK)
        + f"\n{OTHER_BLOCK}{end_marker('related')}\n",
    ),
]


@pytest.mark.parametrize(("text", "content", "expected"), SPLICES)
def test_splice_block(text: str, content: str, expected: str) -> None:
    assert splice_block(text, "related", content) == expected


DAMAGED = [
    "x\n" + begin_marker("related", BLOCK) + "\n" + BLOCK,  # end marker deleted
    "x\n" + BLOCK + end_marker("related") + "\n",  # begin marker deleted
    "x\n" + WITH_BLOCK + WITH_BLOCK,  # pasted twice
    "x\n" + end_marker("related") + "\n" + BLOCK + begin_marker("related", BLOCK) + "\n",
    "x\n" + WITH_BLOCK.replace("begin hash=", "begin hash=x"),
    "x\n" + WITH_BLOCK.replace("Related idea", "Related idea, my edit"),  # user edited inside
    "x\n" + WITH_BLOCK + "see vaultnet:related:end\n",
]


@pytest.mark.parametrize("text", DAMAGED)
def test_damaged_or_edited_blocks_are_left_alone(text: str) -> None:
    with pytest.raises(ValueError, match=r"vaultnet:related"):
        splice_block(text, "related", "- [[Other]]\n")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r"), max_size=80))
def test_adding_then_removing_a_block_restores_every_byte(text: str) -> None:
    added = splice_block(text, "related", BLOCK)
    assert added.startswith(text)
    assert splice_block(added, "related", "") == text


def test_write_block_waits_for_quiet_and_keeps_crlf(tmp_path: Path) -> None:
    note = tmp_path / "Ideas" / "Idea.md"
    note.parent.mkdir()
    note.write_bytes(b"line one\r\nline two\r\n")
    now = time.time()
    outcome = write_block(tmp_path, "Ideas/Idea.md", "related", BLOCK, now=now)
    assert outcome.action == REFUSED and "few seconds" in outcome.reason
    assert note.read_bytes() == b"line one\r\nline two\r\n"
    assert write_block(tmp_path, "Ideas/Idea.md", "related", BLOCK, now=now + 10).action == WRITTEN
    data = note.read_bytes()
    assert data.startswith(b"line one\r\nline two\r\n\r\n<!-- vaultnet:related:begin")
    assert b"\n" not in data.replace(b"\r\n", b"")
    later = now + 20
    assert write_block(tmp_path, "Ideas/Idea.md", "related", BLOCK, now=later).action == UNCHANGED
    assert write_block(tmp_path, "Ideas/Idea.md", "related", "", now=later).action == REMOVED
    assert note.read_bytes() == b"line one\r\nline two\r\n"


def test_write_block_refuses_a_note_outside_the_vault(tmp_path: Path) -> None:
    # review finding 6: the refusal used `target` before it existed (UnboundLocalError)
    vault, outside = tmp_path / "vault", tmp_path / "shared-notes"
    vault.mkdir()
    outside.mkdir()
    (outside / "Idea.md").write_text("An idea kept in a shared folder.\n")
    (vault / "Shared").symlink_to(outside, target_is_directory=True)
    outcome = write_block(vault, "Shared/Idea.md", "related", BLOCK, now=time.time() + 60)
    assert outcome.action == REFUSED and "outside the vault" in outcome.reason
    assert (outside / "Idea.md").read_text() == "An idea kept in a shared folder.\n"


def test_a_block_write_never_loses_a_line_touch_appends_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review finding 2: `touch` appending between the block writer's re-read and its rename
    note = tmp_path / "2026-11-25.md"
    note.write_text("# Wednesday\n")
    real_replace = os.replace
    toucher = threading.Thread(
        target=append_line, args=(tmp_path, "2026-11-25.md", "- Met [[Jane Doe]]: call\n")
    )

    def replace_while_touch_runs(src: object, dst: object) -> None:
        toucher.start()
        toucher.join(timeout=0.5)  # it waits for the write lock (without it: appends now)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace_while_touch_runs)
    outcome = write_block(tmp_path, "2026-11-25.md", "footer", "Footer\n", now=time.time() + 60)
    toucher.join(timeout=10)
    assert outcome.action == WRITTEN and not toucher.is_alive()
    text = note.read_text()
    assert text.startswith("# Wednesday\n") and "Footer" in text
    assert text.endswith("- Met [[Jane Doe]]: call\n")


def test_write_block_reports_damage_and_missing_notes(tmp_path: Path) -> None:
    (tmp_path / "Idea.md").write_text("x\n" + BLOCK + end_marker("related") + "\n")
    outcome = write_block(tmp_path, "Idea.md", "related", "new\n", now=time.time() + 60)
    assert outcome.action == REFUSED and "damaged" in outcome.reason
    assert write_block(tmp_path, "Gone.md", "related", "", now=0).action == UNCHANGED
    assert write_block(tmp_path, "Gone.md", "related", "x", now=0).action == REFUSED
