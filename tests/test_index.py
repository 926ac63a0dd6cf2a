"""The index: incremental scans equal cold rebuilds, settings and schema changes rebuild."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.errors import IndexUnavailable
from vaultnet.index.scan import open_index
from vaultnet.index.schema import SCHEMA_VERSION
from vaultnet.index.writer import IndexWriter
from vaultnet.vault.files import icloud_copies

NAMES = [
    "Jane Doe",
    "Carol Ng",
    "Idea",
    "Caf\u00e9",
    "Cafe\u0301 2",
    "2026-11-01",
    "b/Idea",
    "b",  # a note named as a folder: what `./b/.` and `../b` name
    "img.png",
    "Idea.sync-conflict-20261124-101500-ABCDEFG",  # a conflict copy: reported, not indexed
]
FOLDERS = ["", "People/", "Daily/", "b/", "a/b/"]
LINKS = [*NAMES, "./b/.", "../", "../b", "./Idea/..", "./a/b/../.."]
"""Link targets: the names, and relative ones whose last part is `.` or `..` (the file they
name is a folder's, `b.md` or the source folder's own: a file of that name coming or going
changes them too)."""


def cold_dump(root: Path, tmp: Path) -> dict[str, list[tuple[object, ...]]]:
    index_file = tmp / f"cold-{len(list(tmp.glob('cold-*')))}.sqlite"
    with open_index(root, index_file) as index:
        index.scan()
        return index.writer.dump()


def note_text(links: list[str], tag: str) -> str:
    body = "\n".join(f"- met [[{name}]] #{tag}" for name in links)
    return f"---\ntags: [{tag}]\n---\n{body}\n"


operation = st.one_of(
    st.tuples(
        st.just("write"),
        st.sampled_from(FOLDERS),
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(LINKS), max_size=3),
        st.sampled_from(["x", "y"]),
    ),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(
        st.just("rename"), st.integers(0, 50), st.sampled_from(FOLDERS), st.sampled_from(NAMES)
    ),
    st.tuples(st.just("settings"), st.sampled_from(["", "Daily"])),
    st.tuples(st.just("touch"), st.integers(0, 50)),  # new mtime, same bytes (sync, git)
)


def apply(root: Path, op: tuple[object, ...], clock: list[int]) -> list[str]:
    """Carry out one random edit; return the vault-relative paths it touched."""
    files = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".obsidian" not in p.parts
    )
    kind = op[0]
    touched: list[str] = []
    if kind == "write":
        _, folder, name, links, tag = op
        rel = f"{folder}{name}" if str(name).endswith(".png") else f"{folder}{name}.md"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(list(links), str(tag)), encoding="utf-8")  # type: ignore[arg-type]
        touched.append(rel)
    elif kind == "delete" and files:
        rel = files[int(op[1]) % len(files)]  # type: ignore[call-overload]
        (root / rel).unlink()
        touched.append(rel)
    elif kind == "rename" and files:
        rel = files[int(op[1]) % len(files)]  # type: ignore[call-overload]
        new = f"{op[2]}{op[3]}" + ("" if str(op[3]).endswith(".png") else ".md")
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        if not (root / new).exists():
            os.replace(root / rel, root / new)
            touched += [rel, new]
    elif kind == "touch" and files:
        touched.append(files[int(op[1]) % len(files)])  # type: ignore[call-overload]
    elif kind == "settings":
        (root / ".obsidian").mkdir(exist_ok=True)
        (root / ".obsidian/daily-notes.json").write_text(f'{{"folder": "{op[1]}"}}')
        touched.append(".obsidian/daily-notes.json")
    for rel in touched:
        if (root / rel).exists():  # distinct mtimes: two saves in one clock tick look alike
            clock[0] += 1_000_000_000
            os.utime(root / rel, ns=(clock[0], clock[0]))
    return touched


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(st.tuples(operation, st.booleans()), min_size=1, max_size=12))
def test_incremental_scan_equals_cold_rebuild(
    tmp_path: Path, ops: list[tuple[object, ...]]
) -> None:
    run = tmp_path / f"run{len(list(tmp_path.glob('run*')))}"
    root = run / "vault"
    root.mkdir(parents=True)
    clock = [1_700_000_000_000_000_000]
    with (
        open_index(root, run / "warm.sqlite") as scanned,
        open_index(root, run / "told.sqlite") as told,
    ):
        scanned.scan()
        told.scan()
        pending: list[str] = []
        for op, index_now in ops:  # several edits may come between two scans
            pending += apply(root, op, clock)
            if index_now:
                scanned.scan()
                told.update(pending)
                pending = []
        scanned.scan()
        told.update(pending)
        cold = cold_dump(root, run)
        assert scanned.writer.dump() == cold
        assert told.writer.dump() == cold


def test_scan_reports_changes_and_rereads_only_what_changed(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({"a.md": "[[b]]", "b.md": "text", "c.png": ""})
    with open_index(root, tmp_path / "i.sqlite") as index:
        first = index.scan()
        assert (first.files, first.notes, len(first.added)) == (3, 2, 3)
        again = index.scan()
        assert (again.added, again.changed, again.removed) == ([], [], [])
        (root / "b.md").unlink()
        (root / "a.md").write_text("[[b]] [[c.png]] changed")
        report = index.scan()
        assert report.removed == ["b.md"] and report.changed == ["a.md"]
        paths = [link.path for link in index.view.links_from(["a.md"])]
        assert paths == [None, "c.png"]


def test_new_note_resolves_links_written_before_it(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({"Daily/2026-11-01.md": "Lunch with [[Jane Doe]]"})
    with open_index(root, tmp_path / "i.sqlite") as index:
        index.scan()
        assert index.view.links_from(["Daily/2026-11-01.md"])[0].path is None
        (root / "People").mkdir()
        (root / "People/Jane Doe.md").write_text("Jane")
        index.update(["People/Jane Doe.md"])
        assert index.view.links_from(["Daily/2026-11-01.md"])[0].path == "People/Jane Doe.md"


def test_older_schema_is_rebuilt_not_misread(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({"a.md": "[[b]]"})
    index_file = tmp_path / "i.sqlite"
    with open_index(root, index_file) as index:
        index.scan()
    db = sqlite3.connect(index_file)
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION - 1),))
    db.execute("UPDATE notes SET title='stale'")
    db.commit()
    db.close()
    with open_index(root, index_file) as index:
        report = index.scan()
        assert report.rebuilt
        assert index.view.note("a.md").title == "a"  # type: ignore[union-attr]


def test_foreign_file_is_never_replaced_unless_in_our_cache(tmp_path: Path) -> None:
    index_file = tmp_path / "other-program.db"
    index_file.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnavailable, match="not a vaultnet index"):
        IndexWriter(index_file)
    assert index_file.read_bytes() == b"this is not a database" * 100
    writer = IndexWriter(index_file, replace_foreign=True)  # the default location is our own
    assert writer.meta("schema_version") == str(SCHEMA_VERSION)
    writer.close()


def test_settings_change_rebuilds(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({"Journal/01-11-2026.md": "x", ".obsidian/daily-notes.json": "{}"})
    with open_index(root, tmp_path / "i.sqlite") as index:
        index.scan()
        assert index.view.note("Journal/01-11-2026.md").date is None  # type: ignore[union-attr]
        (root / ".obsidian/daily-notes.json").write_text(
            '{"folder": "Journal", "format": "DD-MM-YYYY"}'
        )
        assert index.scan().rebuilt
        note = index.view.note("Journal/01-11-2026.md")
        assert note is not None and str(note.date) == "2026-11-01"


def test_parallel_cold_scan_equals_serial(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    files = {f"n{i}.md": f"[[n{(i * 7) % 300}]] #t{i % 5}\n" for i in range(300)}
    root = make_vault(files)
    with open_index(root, tmp_path / "parallel.sqlite") as index:
        index.scan()
        parallel = index.writer.dump()
    monkeypatch.setattr("vaultnet.index.reading.PARALLEL_FROM", 10**9)
    with open_index(root, tmp_path / "serial.sqlite") as index:
        index.scan()
        assert index.writer.dump() == parallel
    shutil.rmtree(root)


def test_a_touched_but_unchanged_note_still_sees_a_new_target(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    """Sync tools and git touch files without changing them; the link must still resolve."""
    root = make_vault({"A.md": "see [[B]]"})
    with (
        open_index(root, tmp_path / "scan.sqlite") as scanned,
        open_index(root, tmp_path / "told.sqlite") as told,
    ):
        scanned.scan()
        told.scan()
        (root / "B.md").write_text("b")
        os.utime(root / "A.md", ns=(1_800_000_000_000_000_000,) * 2)
        scanned.scan()
        told.update(["B.md", "A.md"])
        for index in (scanned, told):
            assert index.view.links_from(["A.md"])[0].path == "B.md"


def test_update_handles_trash_icloud_siblings_and_moved_in_folders(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({"Week 2.md": "# Week\n[[A]]", "A/n.md": "x"})
    with open_index(root, tmp_path / "told.sqlite") as told:
        told.scan()
        (root / "Week.md").write_text("# Week\n[[A]]")  # now `Week 2.md` is an iCloud copy
        told.update(["Week.md"])
        assert told.writer.files()["Week 2.md"].kind == "conflict"
        (root / ".trash").mkdir()
        os.replace(root / "A", root / ".trash" / "A")  # Obsidian's "move to trash"
        told.update(["A", ".trash/A"])
        (root / "G").mkdir()
        (root / "G" / ".o.md.icloud").write_bytes(b"stub")
        told.update(["G"])
        assert told.writer.dump() == cold_dump(root, tmp_path)


def test_update_finds_icloud_copies_of_many_paths_in_several_folders(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    copies = {"Notes/Week 2.md": "# Week\n", "Notes/Day 3.md": "# Day\n", "Top 9.md": "# Top\n"}
    root = make_vault({**copies, "Notes/Other.md": "x"})
    with open_index(root, tmp_path / "told.sqlite") as told:
        told.scan()
        assert {told.writer.files()[p].kind for p in copies} == {"note"}
        for path, text in copies.items():  # each original arrives: each copy is one now
            original = path.replace(" 2", "").replace(" 3", "").replace(" 9", "")
            (root / original).write_text(text)
        told.update(["Notes/Week.md", "Notes/Day.md", "Top.md", "Notes/Other.md"])
        assert {told.writer.files()[p].kind for p in copies} == {"conflict"}
        assert told.writer.dump() == cold_dump(root, tmp_path)


def test_icloud_copies_lists_each_folder_once(
    make_vault: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run writes thousands of pages into one folder and updates the index with all of them:
    listing that folder once per page was quadratic (minutes for 30,000 related pages)."""
    pages = {f"Vaultnet/Related/N{i} (related).md": "x" for i in range(50)}
    root = make_vault({**pages, "Vaultnet/Related/N7 (related) 2.md": "x", "a.md": ""})
    listed: list[str] = []
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda p: listed.append(str(p)) or real(p))
    found = icloud_copies(root, [*pages, "a.md", "b.md"])
    assert found == ["Vaultnet/Related/N7 (related) 2.md"]
    assert sorted(listed) == sorted([str(root), str(root / "Vaultnet/Related")])


def test_a_folder_moved_in_with_a_symlink_into_the_vault_updates_like_a_scan(
    make_vault: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_vault({"People/Carol.md": "carol"})
    with open_index(root, tmp_path / "told.sqlite") as told:
        told.scan()
        (root / "New").mkdir()
        os.symlink(root / "People", root / "New" / "link")  # ignored, as Obsidian does
        told.update(["New"])
        assert told.writer.dump() == cold_dump(root, tmp_path)


def _write(root: Path, path: str, text: str = "changed\n") -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


DIFFERS: list[tuple[str, Callable[[Path], None], bool]] = [
    ("Ideas/A.md", lambda root: None, False),  # as indexed
    ("Ideas/A.md", lambda root: _write(root, "Ideas/A.md", "a longer text now\n"), True),
    ("Ideas/A.md", lambda root: (root / "Ideas/A.md").unlink(), True),
    ("Ideas/A.md", lambda root: _touch_later(root / "Ideas/A.md"), True),  # same size, saved again
    ("Ideas/New.md", lambda root: _write(root, "Ideas/New.md"), True),
    ("Ideas/Gone.md", lambda root: None, False),  # never there, still not there
    ("Ideas", lambda root: _write(root, "Ideas/New.md"), False),  # a folder's own event
    ("Moved", lambda root: _write(root, "Moved/In.md"), True),  # a folder moved in
    ("Empty", lambda root: (root / "Empty").mkdir(), False),
    (".obsidian/app.json", lambda root: None, True),  # settings: always news
]


@pytest.mark.parametrize(("path", "change", "expected"), DIFFERS)
def test_what_differs_from_the_index(
    make_vault: Callable[[dict[str, str | bytes]], Path],
    path: str,
    change: Callable[[Path], None],
    expected: bool,
) -> None:
    root = make_vault({"Ideas/A.md": "a\n", "People/B.md": "b\n"})
    with open_index(root) as index:
        index.scan()
        change(root)
        assert index.differs(path) is expected
