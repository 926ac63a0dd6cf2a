"""What `vaultnet import` writes into a vault that is not empty or not healthy: a note of the
user's named as a contact (`--adopt`), and a disk that fills up or fails part-way."""

from __future__ import annotations

import errno
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from vaultnet.cli import cli
from vaultnet.pages import append, write

MakeVault = Callable[[dict[str, Any]], Path]
DAILY = '{"folder": "Daily", "format": "YYYY-MM-DD"}'
MARA = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Quint;Mara;;;\r\nFN:Mara Quint\r\nORG:Northwind;\r\n"
    "EMAIL:mara@quint.example\r\nNOTE:Met at the Lisbon product meetup\\, loves climbing\r\n"
    "END:VCARD\r\n"
)


def run(vault: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["--vault", str(vault), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def notes(root: Path) -> dict[str, bytes]:
    """Every file of the vault but Obsidian's settings and vaultnet's locks, temp files
    included."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".obsidian", ".vaultnet"} & set(p.parts)
    }


def test_a_note_made_by_clicking_a_link_is_reported_then_adopted(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """Issue 22: clicking `[[Mara Quint]]` made an empty `Mara Quint.md`; the import made
    `People/Mara Quint (Northwind).md` and her interactions stayed with the other note."""
    vault = make_vault(
        {
            ".obsidian/daily-notes.json": DAILY,
            "Daily/2026-11-20.md": "Coffee with [[Mara Quint]] about climbing gyms.\n",
            "Mara Quint.md": b"",
        }
    )
    book = tmp_path / "phone.vcf"
    book.write_text(MARA, encoding="utf-8")
    before = notes(vault)
    out = run(vault, "import", str(book)).stdout
    assert notes(vault) == before  # reported, not duplicated
    assert "Created 0 notes in People/" in out
    assert "  Mara Quint = Mara Quint.md (empty)\n" in out
    hint = out.rstrip("\n").rsplit("\n", 1)[-1]
    assert hint.startswith("To make them their contacts' notes (properties added at the top")
    command = shlex.split(hint.split("): ", 1)[1])
    assert command == ["vaultnet", "--vault", str(vault), "import", str(book), "--adopt"]

    report = json.loads(run(vault, *command[3:], "--json").stdout)
    assert [a["path"] for a in report["adopted"]] == ["Mara Quint.md"]
    assert report["created"] == report["same_name"] == []
    assert (vault / "Mara Quint.md").read_bytes() == (
        b"---\nemails:\n  - mara@quint.example\ncompany: Northwind\ntags:\n  - person\n---\n"
        b"Met at the Lisbon product meetup, loves climbing\n"
    )
    assert sorted(notes(vault)) == sorted(before)  # nothing else written, no second note
    (mara,) = json.loads(run(vault, "contacts", "--json", "--today", "2026-12-01").stdout)
    assert (mara["path"], mara["last_interaction"]) == ("Mara Quint.md", "2026-11-20")
    again = json.loads(run(vault, "import", str(book), "--adopt", "--json").stdout)
    assert [m["path"] for m in again["matched"]] == ["Mara Quint.md"]
    assert again["matched"][0]["would_add"] == {}  # its note holds the card's text already


def test_adopt_writes_only_properties_before_a_notes_own_bytes(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    own = "Mara's climbing plan.\r\n\r\n- [ ] ask about [[Lisbon]]\r\nno newline at the end"
    vault = make_vault({"Ideas/Mara Quint.md": own.encode("utf-8")})
    os.chmod(vault / "Ideas/Mara Quint.md", 0o640)
    book = tmp_path / "phone.vcf"
    book.write_text(MARA, encoding="utf-8")
    result = run(vault, "import", str(book), "--adopt")
    data = (vault / "Ideas/Mara Quint.md").read_bytes()
    head = (
        b"---\r\nemails:\r\n  - mara@quint.example\r\ncompany: Northwind\r\ntags:\r\n"
        b"  - person\r\n---\r\n"
    )
    assert data == head + own.encode("utf-8")  # its line endings, its bytes, in place
    assert os.stat(vault / "Ideas/Mara Quint.md").st_mode & 0o777 == 0o640
    assert "Adopted 1 note of yours" in result.stdout
    assert result.stderr == (
        f"skipped {book}:1: Mara Quint: its note is not added to Ideas/Mara Quint.md, "
        "which has text of its own; left out\n"
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (
            b"---\nstatus: draft\n---\nplan\n",
            "it has properties already (tag it person, and an import says what it lacks)",
        ),
        (b"---\nan unclosed block, still not for us\n", "it has properties already"),
        (b"\xef\xbb\xbfwith a byte-order mark\n", "it starts with a byte-order mark"),
    ],
)
def test_adopt_refuses_a_note_it_cannot_keep_byte_for_byte(
    make_vault: MakeVault, tmp_path: Path, content: bytes, why: str
) -> None:
    vault = make_vault({"Mara Quint.md": content})
    book = tmp_path / "phone.vcf"
    book.write_text(MARA, encoding="utf-8")
    report = json.loads(run(vault, "import", str(book), "--adopt", "--json").stdout)
    assert (vault / "Mara Quint.md").read_bytes() == content
    assert report["adopted"] == report["created"] == []
    (same,) = report["same_name"]
    assert same["adoptable"] is False
    assert same["why"].startswith(why)


def test_adopt_refuses_a_note_that_changed_after_it_was_read(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user types into the empty note while the import runs: their text stays, alone."""
    vault = make_vault({"Mara Quint.md": b""})
    book = tmp_path / "phone.vcf"
    book.write_text(MARA, encoding="utf-8")
    real = append.create_notes

    def user_types_meanwhile(root: Path, planned: Any) -> append.Batch:
        (root / "Mara Quint.md").write_bytes(b"typed just now\n")
        return real(root, planned)

    monkeypatch.setattr("vaultnet.addressbook.importer.create_notes", user_types_meanwhile)
    result = run(vault, "import", str(book), "--adopt", "--json")
    assert notes(vault) == {"Mara Quint.md": b"typed just now\n"}
    assert json.loads(result.stdout)["adopted"] == []
    assert result.stderr == (
        f"skipped {book}:1: Mara Quint: Mara Quint.md: changed since it was read; left as it is;"
        " not adopted\n"
    )


class FullDisk:
    """`os` for `vaultnet.pages.write` on a disk with room for `room` more bytes: the write that
    reaches the end is short, the next one fails with ENOSPC, as a real full disk does."""

    def __init__(self, room: int) -> None:
        self.room = room

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, fd: int, data: Any) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = os.write(fd, bytes(data[: self.room]))
        self.room -= written
        return written


def imported_elsewhere(
    make_vault: MakeVault, tmp_path: Path, count: int
) -> tuple[Path, dict[str, bytes]]:
    """An address book of `count` cards, and the notes its import writes into an empty vault on
    a healthy disk (what a test's troubled import must end up writing)."""
    reference = make_vault({})
    book = tmp_path / "book.vcf"
    book.write_text(address_book(count), encoding="utf-8")
    run(reference, "--index", str(tmp_path / "ref.sqlite"), "import", str(book))
    return book, notes(reference)


def address_book(count: int) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n:02d}\r\nEMAIL:p{n}@example.org\r\n"
        f"NOTE:{'word ' * 40}\r\nEND:VCARD\r\n"
        for n in range(count)
    )


def test_a_full_disk_stops_the_import_with_one_line_and_exit_1(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: every later row `skipped ...: No space left on device`, exit status 0."""
    book, whole = imported_elsewhere(make_vault, tmp_path, 10)
    vault = make_vault({})
    size = len(whole["People/Person 00.md"])
    monkeypatch.setattr(write, "os", FullDisk(room=3 * size + size // 2))
    result = run(vault, "import", str(book), "--json", code=1)
    assert result.stderr.count("\n") == 1
    assert result.stderr == (
        "Error: People/Person 03.md: cannot be written (No space left on device); the import "
        "stopped there: 3 of 10 notes written, each one whole. Run the same import again once "
        "this is fixed: it writes only what is missing\n"
    )
    written = notes(vault)  # no temp file, no half note
    assert written == {p: whole[p] for p in ["People/Person 00.md", "People/Person 01.md",
                                             "People/Person 02.md"]}  # fmt: skip
    assert [c["path"] for c in json.loads(result.stdout)["created"]] == sorted(written)

    monkeypatch.undo()  # space freed: the same import makes the rest
    again = json.loads(run(vault, "import", str(book), "--json").stdout)
    assert len(again["created"]) == 7 and len(again["matched"]) == 3
    assert notes(vault) == whole


def test_a_failed_adoption_leaves_the_note_as_it_was(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = b"Notes about Mara, no properties yet.\n"
    vault = make_vault({"Mara Quint.md": own})
    book = tmp_path / "phone.vcf"
    book.write_text(MARA, encoding="utf-8")
    monkeypatch.setattr(write, "os", FullDisk(room=20))
    result = run(vault, "import", str(book), "--adopt", code=1)
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: Mara Quint.md: cannot be written (No space left on device)")
    assert "0 of 1 notes written" in error
    assert notes(vault) == {"Mara Quint.md": own}


class NoHardLinks:
    """`os` for `vaultnet.pages.append` on a file system without hard links (`link` fails with
    `error`), whose in-place writes fail after `room` bytes."""

    def __init__(self, error: int) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def link(self, *_: Any) -> None:
        raise OSError(self.error, os.strerror(self.error))


def test_without_hard_links_notes_are_written_in_place(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book, whole = imported_elsewhere(make_vault, tmp_path, 3)
    vault = make_vault({})
    monkeypatch.setattr(append, "os", NoHardLinks(errno.EPERM))
    run(vault, "import", str(book))
    assert notes(vault) == whole


def test_a_link_that_fails_for_want_of_space_is_no_reason_to_write_in_place(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault({})
    book = tmp_path / "book.vcf"
    book.write_text(address_book(3), encoding="utf-8")
    monkeypatch.setattr(append, "os", NoHardLinks(errno.ENOSPC))
    result = run(vault, "import", str(book), code=1)
    assert "People/Person 00.md: cannot be written (No space left on device)" in result.stderr
    assert notes(vault) == {}


def _tmpfs_works() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return False
    probe = [unshare, "--user", "--map-root-user", "--mount", "sh", "-c",
             "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp"]  # fmt: skip
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


DUMP = """
import base64, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
files = {p.relative_to(root).as_posix(): base64.b64encode(p.read_bytes()).decode()
         for p in root.rglob("*")
         if p.is_file() and not {".obsidian", ".vaultnet"} & set(p.parts)}
print(json.dumps(files))
"""


@pytest.mark.skipif(not _tmpfs_works(), reason="needs Linux user namespaces to mount a tmpfs")
def test_a_really_full_disk(tmp_path: Path) -> None:
    """The real program on a real 48 KiB tmpfs (mounted in a user namespace): it stops at the
    first note that does not fit, with one line and exit status 1; every note it made is whole;
    once there is room, the same import makes the rest."""
    vault, book = tmp_path / "vault", tmp_path / "book.vcf"
    vault.mkdir()
    book.write_text(address_book(40), encoding="utf-8")
    vaultnet = f"{shlex.quote(sys.executable)} -m vaultnet --vault {vault} --index {tmp_path}/i"
    dump = f"{shlex.quote(sys.executable)} -c {shlex.quote(DUMP)} {vault}"
    script = f"""
        mount -t tmpfs -o size=48k tmpfs {vault} && mkdir {vault}/.obsidian || exit 99
        {vaultnet} import {book} --json > {tmp_path}/first.json 2> {tmp_path}/first.err
        echo $? > {tmp_path}/first.code
        {dump} > {tmp_path}/full.json
        mount -o remount,size=1m {vault} || exit 99
        {vaultnet} import {book} --json > {tmp_path}/second.json 2> {tmp_path}/second.err
        echo $? > {tmp_path}/second.code
        {dump} > {tmp_path}/done.json
    """
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    first, full, final = (
        json.loads((tmp_path / name).read_text())
        for name in ("first.json", "full.json", "done.json")
    )
    err = (tmp_path / "first.err").read_text()
    assert (tmp_path / "first.code").read_text() == "1\n"
    assert err.count("\n") == 1 and "No space left on device" in err, err
    assert "notes written, each one whole" in err
    assert 0 < len(full) < 40
    assert sorted(full) == [c["path"] for c in first["created"]]  # no temp file left behind
    assert (tmp_path / "second.code").read_text() == "0\n", (tmp_path / "second.err").read_text()
    assert len(final) == 40
    assert {p: final[p] for p in full} == full  # the notes made first were whole
