"""`vaultnet import` and `contacts --vcf`: the case files of `tests/cases/import/` (each input with
the notes it must create, byte for byte, and the JSON report), and what must never happen to a
user's notes."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.addressbook.card_note import note_text
from vaultnet.cli import cli
from vaultnet.pages.inert import inert_property

CASES = Path(__file__).parent / "cases" / "import"
FRONTMATTER_ONLY = re.compile(rb"---(\r?\n)(?:[^\r\n]*\1)*?---\1")
MakeVault = Callable[[dict[str, Any]], Path]
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
SPECIAL = {"vault", "expected", "report.json", "args.json"}


def run(vault: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["--vault", str(vault), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (the index lives elsewhere) by its POSIX path, but Obsidian's
    settings and vaultnet's locks."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".obsidian", ".vaultnet"} & set(p.parts)
    }


def inputs(case: Path) -> list[str]:
    """The case's address books, then its extra options (`args.json`, e.g. `["--adopt"]`)."""
    args = (
        json.loads((case / "args.json").read_text("utf-8")) if (case / "args.json").exists() else []
    )
    return sorted(p.name for p in case.iterdir() if p.name not in SPECIAL) + args


def frontmatter_of(note: bytes) -> bytes:
    """A note's properties block (b"" without one)."""
    found = FRONTMATTER_ONLY.match(note)
    return found[0] if found else b""


def case_vault(case: Path, tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    if (case / "vault").is_dir():
        shutil.copytree(case / "vault", vault)
    else:
        vault.mkdir()
    (vault / ".obsidian").mkdir(exist_ok=True)
    return vault


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_creates_exactly_the_expected_notes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES / name
    vault = case_vault(case, tmp_path)
    before = tree(vault)
    monkeypatch.chdir(case)  # the report names the files as the user typed them
    result = run(vault, "import", *inputs(case), "--json")
    after = tree(vault)
    expected = tree(case / "expected")
    report = json.loads((case / "report.json").read_text("utf-8"))
    adopted = {a["path"] for a in report["adopted"]}
    assert {p: after[p] for p in before if p not in adopted} == {
        p: data for p, data in before.items() if p not in adopted
    }, "an existing note changed"
    assert {p: data for p, data in after.items() if before.get(p) != data} == expected
    for path in adopted:  # the properties block, then exactly the old bytes
        head = after[path].removesuffix(before[path])
        assert head + before[path] == after[path]
        assert before[path] == b"" or FRONTMATTER_ONLY.fullmatch(head), head
    printed = json.loads(result.stdout)
    assert printed.pop("vault") == str(vault.resolve())  # the vault it wrote to
    assert printed == report
    assert [line for line in result.stderr.splitlines()] == [
        f"skipped {s['file']}:{s['line']}: {s['reason']}" for s in report["skipped"]
    ]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_a_second_import_creates_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES / name
    vault = case_vault(case, tmp_path)
    monkeypatch.chdir(case)
    first = json.loads(run(vault, "import", *inputs(case), "--json").stdout)
    between = tree(vault)
    second = json.loads(run(vault, "import", *inputs(case), "--json").stdout)
    assert tree(vault) == between
    assert second["created"] == second["adopted"] == []
    assert {m["path"] for m in second["matched"]} == {
        *(c["path"] for c in first["created"]),
        *(m["path"] for m in first["matched"]),
        *(a["path"] for a in first["adopted"]),
    }
    assert second["same_name"] == first["same_name"]


def test_dry_run_writes_nothing_and_says_what_it_would_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES / "vcard3"
    vault = case_vault(case, tmp_path)
    before = tree(vault)
    monkeypatch.chdir(case)
    out = run(vault, "import", "input.vcf", "--dry-run").stdout
    assert tree(vault) == before
    assert f"Would create 4 notes in People/ of the vault {vault.resolve()}" in out
    assert "  People/Jürgen Müller.md" in out
    assert "Jane Doe = People/Jane Doe.md (would add phones: +1 555 0100)" in out
    assert "Siobhán O'Brien: input.vcf:30, input.vcf:61" in out
    dry = json.loads(run(vault, "import", "input.vcf", "--dry-run", "--json").stdout)
    assert dry.pop("vault") == str(vault.resolve())
    assert dry == json.loads((case / "report.json").read_text("utf-8"))


def test_round_trip_import_export_import(tmp_path: Path) -> None:
    """vCard -> notes -> `contacts --vcf` -> notes in an empty vault: the same notes, but for
    their text (the export never copies what a note says into an address book, and the NOTE it
    writes, the vault path, is not read back as text)."""
    first, second = tmp_path / "first", tmp_path / "second"
    for vault in (first, second):
        (vault / ".obsidian").mkdir(parents=True)
    run(first, "import", str(CASES / "vcard3" / "input.vcf"))
    run(first, "import", str(CASES / "vcard4" / "input.vcf"))
    exported = tmp_path / "export.vcf"
    run(first, "--index", str(tmp_path / "i1.sqlite"), "contacts", "--vcf", str(exported))
    text = exported.read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD") == 7
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert "NOTE:People/Jürgen Müller.md\r\n" in text
    assert "Met at the bread fair" not in text
    run(second, "--index", str(tmp_path / "i2.sqlite"), "import", str(exported))
    assert tree(second) == {p: frontmatter_of(d) for p, d in tree(first).items()}
    assert len(tree(first)) == 7
    assert tree(first)["People/Jürgen Müller.md"].endswith(
        b"---\nMet at the bread fair; likes rye.\n"
    )


def test_export_to_standard_output(example_vault: Path) -> None:
    out = run(example_vault, "contacts", "--vcf", "-").stdout_bytes.decode("utf-8")
    assert out.count("BEGIN:VCARD") == out.count("END:VCARD") == 16
    assert "FN:Ben Carter\r\n" in out
    assert "NICKNAME:Benji\r\n" in out
    assert "BDAY:1992-02-29\r\n" in out
    assert "ORG:Acme Corp\r\n" in out  # `company: "[[Acme Corp]]"` as the name it shows
    # the note opens in Obsidian from the address book; the URL is folded at 75 octets
    assert "URL:obsidian://open?vault=example&file=People%2FWork%2FCarol%20Ng.md\r\n" in (
        out.replace("\r\n ", "")
    )


def file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_every_user_note_of_the_example_vault_is_byte_identical(
    example_vault: Path, tmp_path: Path
) -> None:
    book = tmp_path / "book.vcf"
    book.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:JANE DOE\nTEL:+1 555 0100\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Benjamin Carter\nNICKNAME:Benji\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Hugo Lindqvist\nCATEGORIES:Sweden\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Zoë New\nEMAIL:zoe@new.example\nEND:VCARD\n",
        encoding="utf-8",
    )
    before = file_hashes(example_vault)
    report = json.loads(run(example_vault, "import", str(book), "--json").stdout)
    after = file_hashes(example_vault)
    assert {p: after[p] for p in before} == before
    new = sorted(p for p in set(after) - set(before) if not p.startswith(".vaultnet/"))
    assert new == ["People/Benjamin Carter.md", "People/Zoë New.md"]  # and vaultnet's locks
    matched = {m["contact"]: m for m in report["matched"]}
    assert matched["JANE DOE"]["path"] == "People/Jane Doe.md"
    assert matched["Hugo Lindqvist"]["would_add"] == {"tags": ["Sweden"]}


def test_an_unreadable_file_writes_nothing(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    good = CASES / "vcard4" / "input.vcf"
    notes = tmp_path / "notes.md"
    notes.write_text("# Not contacts\n\nJust a note.\n", encoding="utf-8")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    for bad, words in (
        (tmp_path / "missing.csv", "cannot be read"),
        (notes, "not a vCard file, nor a Google, Outlook or LinkedIn contacts CSV"),
        (binary, "a binary file"),
        (tmp_path, "a folder"),
    ):
        result = run(vault, "import", str(good), str(bad), code=1)
        assert f"{bad}: {words}" in result.output
        assert "nothing imported" in result.output
        assert tree(vault) == {}


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    run(vault, "import", code=2)
    run(vault, "import", "x.vcf", "--nope", code=2)


def test_format_is_read_from_the_content_not_the_name(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    misnamed = tmp_path / "contacts.txt"
    shutil.copy(CASES / "linkedin" / "Connections.csv", misnamed)
    report = json.loads(run(vault, "import", str(misnamed), "--json").stdout)
    assert [c["contact"] for c in report["created"]][:2] == ["Priya Natarajan", "Kwame Mensah"]


def test_a_folder_that_is_not_a_people_folder_tags_the_notes_as_people(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    run(vault, "import", str(CASES / "vcard4" / "input.vcf"), "--folder", "Imported/2026")
    text = (vault / "Imported/2026/Marc Dubois.md").read_text("utf-8")
    assert text.endswith("tags:\n  - person\n---\n")
    names = [c["name"] for c in json.loads(run(vault, "contacts", "--json").stdout)]
    assert names == ["Aiko Tanaka", "Marc Dubois"]


def test_stderr_names_file_and_line_as_users_see_it(tmp_path: Path) -> None:
    """The real program, as a subprocess: exit 0 with skipped rows, each on stderr."""
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    case = CASES / "google"
    done = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "import", "contacts.csv"],
        cwd=case,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "skipped contacts.csv:10: row has 31 fields, the header 29; skipped" in done.stderr
    assert "Created 5 notes in People/" in done.stdout


def test_a_phone_card_with_a_large_photo_imports_as_the_program_runs(tmp_path: Path) -> None:
    """Issue 23, the real program: a card with an 8 MB photo (vobject's unfolding took half a
    minute on one), a bad line after it reported at its line, the photo nowhere in the note."""
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    photo = base64.b64encode(bytes(range(256)) * 24_576).decode()  # 6 MB of data, 8 MB of text
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    lines = folded.count("\r\n") + 1
    (tmp_path / "phone.vcf").write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mara Quint\r\nPHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\n"
        "EMAIL:mara@quint.example\r\nBDAY:someday\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "import", "phone.vcf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    bday_line = 4 + lines + 1
    assert done.stderr == (
        f"skipped phone.vcf:{bday_line}: Mara Quint: birthday 'someday' is not a date; left out\n"
    )
    assert (vault / "People/Mara Quint.md").read_text("utf-8") == (
        "---\nemails:\n  - mara@quint.example\n---\n"
    )


@given(st.text(max_size=40))
def test_any_value_reads_back_from_the_yaml_as_its_inert_text(value: str) -> None:
    text = note_text({"company": value, "aliases": [value]})
    if not inert_property(value):
        return
    data = yaml.safe_load(text.removeprefix("---\n").removesuffix("---\n"))
    assert data == {"company": inert_property(value), "aliases": [inert_property(value)]}


@pytest.mark.parametrize(
    "value",
    ["yes", "No", "null", "~", "123", "+49 30 1234", "1e3", "0x1F", "2026-12-03", "@handle",
     "*star", "&anchor", "!tag", "a: b", "a #b", "#tag", "- item", "[x]", "{y}", "'q'", '"q"',
     "%x", "`code`", "trailing: ", "<% tp.date.now() %>", "Zoë", "O'Brien"],
)  # fmt: skip
def test_values_yaml_would_misread_are_quoted(value: str) -> None:
    text = note_text({"role": value})
    assert yaml.safe_load(text.strip("-\n")) == {"role": inert_property(value)}


def test_an_imported_network_does_not_flood_the_reconnect_page(tmp_path: Path) -> None:
    """300 LinkedIn connections from years ago and one from last week: only last week's is
    `new`; the page counts the others and names the few worth a first message."""
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    rows = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for n in range(300):
        day = 1 + n % 28
        rows.append(f"Person,Number{n:03d},,,Co {n},Role,{day:02d} Mar {2015 + n % 8}")
    rows.append("Fresh,Connection,,,New Co,CEO,26 Nov 2026")
    export = tmp_path / "Connections.csv"
    export.write_text("Notes:\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    run(vault, "import", str(export))
    plan = json.loads(run(vault, "reconnect", "--today", "2026-12-03", "--json").stdout)
    assert [(s["name"], s["group"]) for s in plan["suggestions"]] == [("Fresh Connection", "new")]
    out = run(vault, "import", str(export), "--dry-run").stdout  # nothing new: all matched
    assert out.startswith(
        f"Would create 0 notes in People/ of the vault {vault.resolve()}\n\nAlready in the vault (301;"
    )
    assert out.endswith("\n  ... and 251 more (--json lists them all)\n")
    assert plan["no_recorded_contact"] == 300
    # the latest `met` first: 2022 is n % 8 == 7, day 28 is n % 28 == 27: n = 55, 111, 167,
    # 223, 279 share 2022-03-28, and the first three by name are shown
    assert [f["name"] for f in plan["first_messages"]] == [
        "Person Number055",
        "Person Number111",
        "Person Number167",
    ]
    assert plan["first_messages"][0]["reasons"] == ["met on 2022-03-28"]
    run(vault, "generate", "--today", "2026-12-03")
    page = (vault / "Vaultnet" / "Reconnect.md").read_text("utf-8")
    assert "300 people with no recorded contact (a daily or meeting note" in page
    assert "). Worth a first message:\n\n- [[Person Number055]]: met on 2022-03-28\n" in page
    assert "\n\nAnd 297 others: `vaultnet contacts` lists them.\n" in page
    assert page.count("[[Person Number") == 3


def test_a_folder_outside_the_vault_is_a_usage_error(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    for folder in ("../out", "/tmp/out", "People/../../out", "C:/out"):
        result = run(
            vault, "import", str(CASES / "vcard4" / "input.vcf"), "--folder", folder, code=2
        )
        assert "a folder inside the vault" in result.output
    assert tree(vault) == {}


def test_the_users_own_card_matches_their_own_note(make_vault: MakeVault, tmp_path: Path) -> None:
    vault = make_vault(
        {
            ".obsidian/app.json": "{}",
            "People/Me - Alex Rivera.md": "---\nme: true\naliases: [Alex Rivera]\n---\n",
            "People/People.md": "# People\n",
        }
    )
    book = tmp_path / "me.vcf"
    book.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Alex Rivera\nEND:VCARD\n", encoding="utf-8")
    report = json.loads(run(vault, "import", str(book), "--json").stdout)
    assert report["created"] == []
    assert report["matched"][0]["path"] == "People/Me - Alex Rivera.md"
