"""`vaultnet generate`: pages written once, never over the user's edits, removed when unwanted."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from entry_points import add_entry_points
from sample_generators import Broken, Dated, Footer, Listing, PerIdea

from vaultnet.cli import cli
from vaultnet.errors import Superseded
from vaultnet.index.scan import open_index
from vaultnet.pages.api import GenerateContext, Generator, Page
from vaultnet.pages.generate import GenerateReport, generate_pages, record_problems, write_urgent
from vaultnet.pages.lock import vault_lock
from vaultnet.pages.write import is_pristine, render_page
from vaultnet.session import load_settings

MakeVault = Callable[[dict[str, str | bytes]], Path]
TODAY = dt.date(2026, 11, 26)
VAULT: dict[str, str | bytes] = {
    "People/Jane Doe.md": "Jane.\n",
    "Ideas/Hosting.md": "---\nfooter: true\n---\nSmall dinners.\n",
    "Ideas/Gifts.md": "Introductions are gifts.\n",
}


def run(root: Path, generators: list[Generator], **kwargs: object) -> GenerateReport:
    with open_index(root) as index:
        index.scan()
        report = generate_pages(index, load_settings(index), generators, TODAY, **kwargs)  # type: ignore[arg-type]
        record_problems(index, report.problems)
        return report


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_first_run_writes_marked_pages_and_the_second_writes_nothing(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    first = run(root, [Listing(), PerIdea()])
    assert first.paths("written") == [
        "Vaultnet/About Gifts.md",
        "Vaultnet/About Hosting.md",
        "Vaultnet/Listing.md",
    ]
    page = (root / "Vaultnet/Listing.md").read_bytes()
    assert page == render_page("listing", "- [[Gifts]]\n- [[Hosting]]\n- [[Jane Doe]]\n")
    assert b"publish: false\ndg-publish: false" in page
    before = snapshot(root)
    second = run(root, [Listing(), PerIdea()])
    assert second.paths("written") == [] and len(second.paths("unchanged")) == 3
    assert snapshot(root) == before
    with open_index(root) as index:  # generated pages are known as such, never as user notes
        assert index.view.note("Vaultnet/Listing.md").generator == "listing"  # type: ignore[union-attr]


def test_user_notes_are_never_touched(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    users = snapshot(root)
    run(root, [Listing(), PerIdea()])
    after = snapshot(root)
    assert {k: after[k] for k in users} == users


def test_an_edited_page_is_refused_reported_and_kept(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    run(root, [Listing()])
    page = root / "Vaultnet/Listing.md"
    edited = page.read_bytes() + b"\nMy own thoughts.\n"
    page.write_bytes(edited)
    (root / "People/Sam.md").write_text("Sam.\n")  # so the page would change
    report = run(root, [Listing()])
    assert [o["path"] for o in report.to_json()["refused"]] == ["Vaultnet/Listing.md"]
    assert page.read_bytes() == edited
    _, out = invoke(root, "doctor", "--json")
    kinds = {(p["path"], p["kind"]) for p in json.loads(out)["problems"]}
    assert ("Vaultnet/Listing.md", "page-refused") in kinds


def test_a_page_whose_subject_is_gone_is_removed_unless_edited(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    run(root, [PerIdea()])
    (root / "Vaultnet/About Gifts.md").write_bytes(
        (root / "Vaultnet/About Gifts.md").read_bytes() + b"kept\n"
    )
    (root / "Ideas/Gifts.md").unlink()
    (root / "Ideas/Hosting.md").unlink()
    report = run(root, [PerIdea()])
    assert report.paths("removed") == ["Vaultnet/About Hosting.md"]
    assert report.paths("refused") == ["Vaultnet/About Gifts.md"]
    assert (root / "Vaultnet/About Gifts.md").exists()
    assert not (root / "Vaultnet/About Hosting.md").exists()


def test_a_page_never_shadows_a_user_note_name(make_vault: MakeVault) -> None:
    root = make_vault({**VAULT, "Notes/listing.md": "My own listing.\n"})
    report = run(root, [Listing()])
    assert report.paths("written") == ["Vaultnet/Listing (vaultnet).md"]
    assert (root / "Notes/listing.md").read_text() == "My own listing.\n"
    _, out = invoke(root, "doctor", "--json")
    renamed = [p for p in json.loads(out)["problems"] if p["kind"] == "page-renamed"]
    assert len(renamed) == 1 and "Notes/listing.md" in renamed[0]["message"]
    # the user's note goes away: the page takes its default name, the old one is removed
    (root / "Notes/listing.md").unlink()
    report = run(root, [Listing()])
    assert report.paths("written") == ["Vaultnet/Listing.md"]
    assert report.paths("removed") == ["Vaultnet/Listing (vaultnet).md"]


def moved_pages(report: GenerateReport) -> set[str]:
    return {p.path for p in report.all_problems() if p.kind == "generated-page-moved"}


@pytest.mark.parametrize("rebuilt", [False, True], ids=["same index", "rebuilt index"])
def test_a_page_the_user_moved_or_copied_is_theirs(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuilt: bool
) -> None:
    # review finding 1: a marked page anywhere in the vault was removed as a stale page
    root = make_vault(VAULT)
    run(root, [Listing(), PerIdea()])
    (root / "Archive").mkdir()
    (root / "Vaultnet/Listing.md").rename(root / "Archive/Listing week 48.md")
    shutil.copyfile(root / "Vaultnet/About Gifts.md", root / "Archive/About Gifts kept.md")
    conflict = "Archive/Listing week 48.sync-conflict-20261124-101500-ABCDEFG.md"
    shutil.copyfile(root / "Archive/Listing week 48.md", root / conflict)
    if not rebuilt:  # "Make a copy" in Obsidian: a copy beside the page, in the output folder
        shutil.copyfile(root / "Vaultnet/About Hosting.md", root / "Vaultnet/About Hosting 1.md")
    users = {k: v for k, v in snapshot(root).items() if not k.startswith("Vaultnet/About G")}
    (root / "Ideas/Gifts.md").unlink()  # its page is stale now
    users.pop("Ideas/Gifts.md")
    if rebuilt:
        monkeypatch.setenv("VAULTNET_INDEX", str(tmp_path / "rebuilt.sqlite"))
    report = run(root, [Listing(), PerIdea()])
    assert report.paths("removed") == ["Vaultnet/About Gifts.md"]
    assert report.paths("written") == ["Vaultnet/Listing.md"]
    assert report.paths("refused") == []
    after = snapshot(root)
    assert {k: after.get(k) for k in users} == users
    expected = {"Archive/About Gifts kept.md", "Archive/Listing week 48.md"}
    assert moved_pages(report) == expected | (set() if rebuilt else {"Vaultnet/About Hosting 1.md"})
    _, out = invoke(root, "doctor", "--json")
    listed = {p["path"] for p in json.loads(out)["problems"] if p["kind"] == "generated-page-moved"}
    assert expected <= listed
    assert run(root, [Listing(), PerIdea()]).changed() == []  # and it stays that way


def test_a_user_note_carrying_the_marker_is_theirs(make_vault: MakeVault) -> None:
    # review finding 12: the user made a copy of a page their own note; its name is theirs now
    root = make_vault(VAULT)
    run(root, [Listing()])
    mine = (root / "Vaultnet/Listing.md").read_bytes() + b"\n## My log\n- called [[Jane Doe]]\n"
    (root / "Listing.md").write_bytes(mine)
    report = run(root, [Listing()])
    assert report.paths("written") == ["Vaultnet/Listing (vaultnet).md"]
    assert report.paths("removed") == ["Vaultnet/Listing.md"]
    assert report.paths("refused") == []
    assert (root / "Listing.md").read_bytes() == mine
    kinds = {(p.path, p.kind) for p in report.all_problems()}
    assert ("Listing.md", "generated-page-moved") in kinds
    assert ("Vaultnet/Listing (vaultnet).md", "page-renamed") in kinds
    assert not any(kind == "page-refused" for _, kind in kinds)


class Anywhere:
    """Pages wherever `paths` says (a plugin may place pages outside the output folder)."""

    name = "anywhere"

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def generate(self, context: GenerateContext) -> list[Page]:
        return [Page(path, f"page at {path}\n") for path in self.paths]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True


def test_pages_vaultnet_placed_outside_the_output_folder_are_its_own(
    make_vault: MakeVault,
) -> None:
    root = make_vault(VAULT)
    assert run(root, [Anywhere(["Reports/Weekly.md"])]).paths("written") == ["Reports/Weekly.md"]
    assert run(root, [Anywhere(["Reports/Weekly.md"])]).paths("unchanged") == ["Reports/Weekly.md"]
    report = run(root, [Anywhere([])])
    assert report.paths("removed") == ["Reports/Weekly.md"] and moved_pages(report) == set()
    assert not (root / "Reports/Weekly.md").exists()


def test_urgent_pages_are_written_at_their_own_path_and_nothing_is_removed(
    make_vault: MakeVault,
) -> None:
    root = make_vault(VAULT)
    run(root, [PerIdea()])
    before = snapshot(root)
    del before["Vaultnet/About Gifts.md"]
    (root / "Ideas/New.md").write_text("New.\n")
    with open_index(root) as index:
        index.scan()
        report = write_urgent(
            index,
            load_settings(index),
            "per-idea",
            [
                Page("Vaultnet/About Gifts.md", "Changed\n", subject="Ideas/Gifts.md"),
                Page("Vaultnet/About New.md", "About [[New]]\n", subject="Ideas/New.md"),
                Page("Vaultnet/Jane Doe.md", "a page named like a note waits\n"),
                Page("Ideas/Gifts.md", "a block waits\n", block=True),
            ],
        )
        assert index.view.note("Vaultnet/About New.md").generator == "per-idea"  # type: ignore[union-attr]
    assert report.changed() == ["Vaultnet/About Gifts.md", "Vaultnet/About New.md"]
    after = snapshot(root)
    assert after.pop("Vaultnet/About Gifts.md") == render_page("per-idea", "Changed\n")
    assert after.pop("Vaultnet/About New.md") == render_page("per-idea", "About [[New]]\n")
    assert after == {**before, "Ideas/New.md": b"New.\n"}  # nothing else written or removed
    # the full run owns what was written ahead: it rewrites it, and removes what it no longer wants
    (root / "Ideas/New.md").unlink()
    report = run(root, [PerIdea()])
    assert report.paths("removed") == ["Vaultnet/About New.md"]
    assert report.paths("written") == ["Vaultnet/About Gifts.md"]
    assert not report.all_problems()


def test_urgent_pages_leave_a_page_with_an_edited_conflict_copy_and_an_edited_page(
    make_vault: MakeVault,
) -> None:
    """Ahead of the full run, as in it: a page whose sync conflict copy holds edits waits for
    the user to merge them, and a page the user edited is theirs."""
    root = make_vault(VAULT)
    run(root, [PerIdea()])
    page = root / "Vaultnet/About Gifts.md"
    copy = root / "Vaultnet/About Gifts.sync-conflict-20261124-101500-ABCDEFG.md"
    copy.write_bytes(page.read_bytes() + b"typed on the laptop\n")
    edited = root / "Vaultnet/About Hosting.md"
    edited.write_bytes(edited.read_bytes() + b"my own line\n")
    before = snapshot(root)
    with open_index(root) as index:
        index.scan()
        report = write_urgent(
            index,
            load_settings(index),
            "per-idea",
            [
                Page("Vaultnet/About Gifts.md", "Changed\n", subject="Ideas/Gifts.md"),
                Page("Vaultnet/About Hosting.md", "Changed\n", subject="Ideas/Hosting.md"),
            ],
        )
    assert report.changed() == []
    assert snapshot(root) == before


class Slow:
    """Stops when newer edits are queued, as the related generator does."""

    name = "slow"

    def __init__(self) -> None:
        self.body = "first\n"

    def generate(self, context: GenerateContext) -> list[Page]:
        if context.stale():
            raise Superseded("newer edits")
        return [Page(f"{context.config.output_folder}/Slow.md", self.body)]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True


def test_a_generator_that_stops_for_newer_edits_keeps_its_pages(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    slow = Slow()
    run(root, [Listing(), slow])
    slow.body = "second\n"
    (root / "People/Sam.md").write_text("Sam.\n")
    report = run(root, [Listing(), slow], stale=lambda: True)
    assert report.superseded == ["slow"] and not report.all_problems()
    assert report.changed() == ["Vaultnet/Listing.md"]  # the others still run
    assert (root / "Vaultnet/Slow.md").read_bytes() == render_page("slow", "first\n")
    assert run(root, [Listing(), slow]).changed() == ["Vaultnet/Slow.md"]


def test_dry_run_writes_nothing(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    before = snapshot(root)
    report = run(root, [Listing(), Footer()], dry_run=True, block_quiet=0.0)
    assert report.paths("written") == ["Ideas/Hosting.md", "Vaultnet/Listing.md"]
    assert snapshot(root) == before


def test_a_failing_generator_is_reported_and_its_pages_kept(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    run(root, [Listing()])

    class Failing(Broken):
        name = "listing"

    report = run(root, [Failing(), PerIdea()])
    assert (root / "Vaultnet/Listing.md").exists()
    assert report.paths("written") == ["Vaultnet/About Gifts.md", "Vaultnet/About Hosting.md"]
    assert [p.kind for p in report.problems["listing"]] == ["generator-failed"]


def test_pages_of_a_disabled_generator_are_removed(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    run(root, [Listing(), PerIdea()])
    report = run(root, [PerIdea()], disabled=["listing"])
    assert report.paths("removed") == ["Vaultnet/Listing.md"]


def test_sync_conflict_copies_of_pages(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    run(root, [Listing()])
    page = (root / "Vaultnet/Listing.md").read_bytes()
    same = root / "Vaultnet/Listing.sync-conflict-20261124-101500-ABCDEFG.md"
    same.write_bytes(page)
    report = run(root, [Listing()])
    assert not same.exists() and report.paths("removed") == [same.relative_to(root).as_posix()]
    edited = root / "Vaultnet/Listing (conflicted copy 2026-11-24).md"
    edited.write_bytes(page + b"typed on the laptop\n")
    (root / "People/Sam.md").write_text("Sam.\n")
    report = run(root, [Listing()])
    assert edited.exists()
    refused = {o["path"] for o in report.to_json()["refused"]}
    assert refused == {"Vaultnet/Listing.md", "Vaultnet/Listing (conflicted copy 2026-11-24).md"}
    assert (root / "Vaultnet/Listing.md").read_bytes() == page  # writes to it stopped


def test_blocks_in_user_notes(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    original = (root / "Ideas/Hosting.md").read_bytes()
    report = run(root, [Footer()], block_quiet=0.0)
    assert report.paths("written") == ["Ideas/Hosting.md"]
    text = (root / "Ideas/Hosting.md").read_text()
    assert text.startswith(original.decode()) and "Footer for Hosting" in text
    assert run(root, [Footer()], block_quiet=0.0).paths("unchanged") == ["Ideas/Hosting.md"]
    (root / "Ideas/Hosting.md").write_bytes(
        (root / "Ideas/Hosting.md").read_bytes().replace(b"footer: true", b"footer: false")
    )
    report = run(root, [Footer()], block_quiet=0.0)
    assert report.paths("removed") == ["Ideas/Hosting.md"]
    assert (root / "Ideas/Hosting.md").read_bytes() == original.replace(b"true", b"false")


def test_two_machines_write_byte_identical_pages(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault(VAULT)
    copy = tmp_path / "laptop"
    shutil.copytree(root, copy)
    run(root, [Listing(), PerIdea(), Dated()])
    with open_index(copy, tmp_path / "laptop.sqlite") as index:
        index.scan()
        generate_pages(index, load_settings(index), [Listing(), PerIdea(), Dated()], TODAY)
    ours = {k: v for k, v in snapshot(root).items() if k.startswith("Vaultnet/")}
    assert ours == {k: v for k, v in snapshot(copy).items() if k.startswith("Vaultnet/")}
    assert all(is_pristine(v) for v in ours.values())


# --- the command -------------------------------------------------------------------------------


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_entry_points(
        tmp_path / "site",
        monkeypatch,
        "vaultnet_test_plugins",
        {"listing": "sample_generators:Listing", "dated": "sample_generators:Dated"},
    )


CONFIG = "[generators]\nnetwork = false\nreconnect = false\nrelated = false\n"


@pytest.mark.usefixtures("plugins")
def test_generate_command_json(make_vault: MakeVault) -> None:
    root = make_vault({**VAULT, ".vaultnet.toml": CONFIG})
    code, out = invoke(root, "generate", "--today", "2026-11-26", "--json", "--dry-run")
    data = json.loads(out)
    assert code == 0 and list(data) == [
        "vault",
        "dry_run",
        "written",
        "unchanged",
        "removed",
        "refused",
        "kept",
        "problems",
        "notices",
    ]
    assert data["dry_run"] and data["written"] == ["Vaultnet/Listing.md", "Vaultnet/Today.md"]
    assert not (root / "Vaultnet").exists()
    code, out = invoke(root, "generate", "--today", "2026-11-26", "--json")
    assert json.loads(out)["written"] == ["Vaultnet/Listing.md", "Vaultnet/Today.md"]
    assert "Today is 2026-11-26" in (root / "Vaultnet/Today.md").read_text()
    code, out = invoke(root, "generate", "--today", "2026-11-26")
    assert code == 0 and out.strip() == f"0 written, 2 unchanged, 0 removed, 0 refused, in {root}"


@pytest.mark.usefixtures("plugins")
def test_generate_waits_for_no_one_but_says_who_holds_the_lock(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    root = make_vault({**VAULT, ".vaultnet.toml": CONFIG})
    (tmp_path / "link").symlink_to(root, target_is_directory=True)
    with vault_lock(root, "watch"):
        # review finding 4: the lock is the vault's, whatever index or path reaches it
        for vault, index in [
            (root, None),
            (root, tmp_path / "other.sqlite"),
            (tmp_path / "link", tmp_path / "third.sqlite"),
        ]:
            extra = ["--index", str(index)] if index else []
            result = CliRunner().invoke(
                cli, ["--vault", str(vault), *extra, "generate"], catch_exceptions=False
            )
            assert result.exit_code == 1, (vault, index, result.output)
            assert "vaultnet watch (pid" in result.output and "already writing" in result.output
    assert not (root / "Vaultnet").exists()
    assert invoke(root, "generate")[0] == 0  # released
