"""An edited page says so and is never lost: every page tells its reader that editing it stops
its updates and how to get them back; `generate` and `doctor` say the same; an edited page keeps
the pages it links to (no frozen Reconnect page links to a brief that is gone); and
`generate --force [--page NAME]` replaces it, the user's version kept first beside it as
`<name> (edited).md`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli
from vaultnet.pages.api import Page
from vaultnet.pages.keep import kept_copy
from vaultnet.pages.names import edited_copy
from vaultnet.pages.plan import plan_pages, starting_state
from vaultnet.pages.write import (
    FOOTER,
    GENERATOR_KEY,
    HASH_KEY,
    _page_bytes,
    is_pristine,
    read_marker,
    render_page,
)

MakeVault = Callable[[dict[str, str | bytes]], Path]
RECONNECT = "Vaultnet/Reconnect.md"


def invoke(root: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--vault", str(root)], catch_exceptions=False)
    return result


def generate(root: Path, today: str, *extra: str) -> dict[str, Any]:
    result = invoke(root, "generate", "--today", today, "--json", *extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def edit(path: Path, line: str = "My own line.\n") -> bytes:
    data = path.read_bytes() + line.encode()
    path.write_bytes(data)
    return data


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*.md")
        if ".obsidian" not in p.parts
    }


# --- the page says so --------------------------------------------------------------------------


def test_every_page_ends_with_what_an_edit_does(example_vault: Path) -> None:
    generate(example_vault, "2026-11-26")
    pages = [p for p in (example_vault / "Vaultnet").rglob("*.md")]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text("utf-8")
        assert text.endswith(f"\n\n{FOOTER}"), page
        assert "If you edit it, it stops updating" in text and "generate --force" in text


def test_a_page_from_before_the_footer_is_still_vaultnets_own() -> None:
    """An upgrade must not take every page for an edited one."""
    old = _page_bytes("reconnect", "# Reconnect\n\n- [[Jane Doe]]\n")
    assert is_pristine(old)
    assert not is_pristine(old + b"edited\n")
    assert render_page("reconnect", "# Reconnect\n\n- [[Jane Doe]]\n") != old


def test_generate_and_doctor_say_how_to_get_updates_back(example_vault: Path) -> None:
    generate(example_vault, "2026-11-26")
    edit(example_vault / RECONNECT)
    text = invoke(example_vault, "generate", "--today", "2026-11-26").output
    reason = (
        "you edited this page, so vaultnet no longer updates it; to get updates back, delete it "
        "or run: vaultnet generate --force --page Reconnect (your version is kept beside it as "
        "'Reconnect (edited).md')"
    )
    assert f"refused: {RECONNECT}: {reason}\n" in text
    doctor = json.loads(invoke(example_vault, "doctor", "--json").output)["problems"]
    assert {
        "path": RECONNECT,
        "line": None,
        "kind": "page-refused",
        "message": f"reconnect: {reason}",
    } in doctor


# --- a frozen page keeps what it links to -------------------------------------------------------


def test_an_edited_reconnect_page_keeps_the_briefs_it_links_to(example_vault: Path) -> None:
    first = generate(example_vault, "2026-11-26")
    briefs = sorted(p for p in first["written"] if "/Briefs/" in p)
    assert "Vaultnet/Briefs/Grace Kim (brief).md" in briefs
    edited = edit(example_vault / RECONNECT)
    # months later the suggestions differ: without the edit, some briefs would go
    later = generate(example_vault, "2027-06-01")
    assert (example_vault / RECONNECT).read_bytes() == edited
    assert later["removed"] == []
    for brief in briefs:  # every brief the frozen page links to is still there
        assert (example_vault / brief).exists(), brief
    # once the page is replaced, the briefs nobody links to any more go
    forced = generate(example_vault, "2027-06-01", "--force")
    assert RECONNECT in forced["written"]
    assert set(forced["removed"]) and set(forced["removed"]) <= set(briefs)
    kept = example_vault / "Vaultnet/Reconnect (edited).md"
    assert kept.read_bytes() == kept_copy(edited)


def test_a_fresh_page_would_have_removed_them(example_vault: Path) -> None:
    """The same two runs without the edit: the control for the test above."""
    generate(example_vault, "2026-11-26")
    later = generate(example_vault, "2027-06-01")
    assert any("/Briefs/" in p for p in later["removed"])


# --- --force ------------------------------------------------------------------------------------


def test_force_keeps_the_users_version_then_replaces_the_page(example_vault: Path) -> None:
    generate(example_vault, "2026-11-26")
    edited = edit(example_vault / RECONNECT, "- call the bank\n")
    brief = example_vault / "Vaultnet/Briefs/Carol Ng (brief).md"
    edited_brief = edit(brief)
    before = tree(example_vault)
    dry = generate(example_vault, "2026-11-26", "--force", "--dry-run")
    assert tree(example_vault) == before  # a dry run writes nothing
    assert {k["path"] for k in dry["kept"]} == {
        "Vaultnet/Reconnect (edited).md",
        "Vaultnet/Briefs/Carol Ng (brief) (edited).md",
    }
    data = generate(example_vault, "2026-11-26", "--force")
    assert data["kept"] == [
        {
            "path": "Vaultnet/Briefs/Carol Ng (brief) (edited).md",
            "page": brief.relative_to(example_vault).as_posix(),
        },
        {"path": "Vaultnet/Reconnect (edited).md", "page": RECONNECT},
    ]
    assert data["refused"] == []
    assert is_pristine((example_vault / RECONNECT).read_bytes())
    assert is_pristine(brief.read_bytes())
    kept = (example_vault / "Vaultnet/Reconnect (edited).md").read_bytes()
    assert kept == kept_copy(edited)
    assert kept.endswith(b"- call the bank\n") and read_marker(kept)[0] is None
    assert (example_vault / "Vaultnet/Briefs/Carol Ng (brief) (edited).md").read_bytes() == (
        kept_copy(edited_brief)
    )
    # the kept copies are the user's notes now: the next run leaves them alone, reports nothing,
    # and reads nothing from them (no brief quotes the old Reconnect page)
    again = generate(example_vault, "2026-11-26")
    assert again["written"] == again["removed"] == again["refused"] == again["kept"] == []
    problems = json.loads(invoke(example_vault, "doctor", "--json").output)["problems"]
    assert not [p for p in problems if p["kind"].startswith(("page-", "generated-"))]
    assert "(edited)" not in brief.read_text("utf-8")


def test_force_with_page_replaces_only_that_page(example_vault: Path) -> None:
    generate(example_vault, "2026-11-26")
    edit(example_vault / RECONNECT)
    brief = example_vault / "Vaultnet/Briefs/Carol Ng (brief).md"
    edited_brief = edit(brief)
    data = generate(example_vault, "2026-11-26", "--force", "--page", "reconnect")
    assert [k["path"] for k in data["kept"]] == ["Vaultnet/Reconnect (edited).md"]
    assert brief.read_bytes() == edited_brief
    assert [r["path"] for r in data["refused"]] == [brief.relative_to(example_vault).as_posix()]
    by_path = generate(
        example_vault, "2026-11-26", "--force", "--page", "Vaultnet/Briefs/Carol Ng (brief).md"
    )
    assert [k["path"] for k in by_path["kept"]] == ["Vaultnet/Briefs/Carol Ng (brief) (edited).md"]


def test_a_second_force_never_overwrites_the_first_copy(example_vault: Path) -> None:
    generate(example_vault, "2026-11-26")
    first = edit(example_vault / RECONNECT, "first edit\n")
    generate(example_vault, "2026-11-26", "--force")
    second = edit(example_vault / RECONNECT, "second edit\n")
    data = generate(example_vault, "2026-11-26", "--force")
    assert [k["path"] for k in data["kept"]] == ["Vaultnet/Reconnect (edited 2).md"]
    assert (example_vault / "Vaultnet/Reconnect (edited).md").read_bytes() == kept_copy(first)
    assert (example_vault / "Vaultnet/Reconnect (edited 2).md").read_bytes() == kept_copy(second)


def test_page_without_force_and_unknown_pages_are_one_line(example_vault: Path) -> None:
    generate(example_vault, "2026-11-26")
    alone = invoke(example_vault, "generate", "--page", "Reconnect")
    assert (
        alone.exit_code == 2
        and "--page names a page to replace: use it with --force" in alone.output
    )
    unknown = invoke(example_vault, "generate", "--force", "--page", "Reconect")
    assert unknown.exit_code == 1
    assert unknown.output.strip() == (
        "Error: no generated page named 'Reconect'; did you mean Vaultnet/Reconnect.md?"
    )


def test_force_never_replaces_a_note_of_yours(make_vault: MakeVault) -> None:
    root = make_vault({"People/Jane Doe.md": "---\ntags: [person]\n---\n", RECONNECT: "mine\n"})
    data = generate(root, "2026-11-26", "--force")
    assert (root / RECONNECT).read_bytes() == b"mine\n"
    assert data["kept"] == []
    assert "Vaultnet/Reconnect (vaultnet).md" in data["written"]  # renamed, as ever


# --- the pure parts -----------------------------------------------------------------------------


def test_the_plan_keeps_what_an_edited_page_links_to_until_it_is_forced() -> None:
    existing = {"V/Page.md": "gen", "V/A.md": "gen", "V/B.md": "gen"}
    state = starting_state(existing, [*existing, "Note.md"], ["gen"])
    wanted = [Page("V/Page.md", "new page"), Page("V/B.md", "b")]
    edited = {"V/Page.md": frozenset({"V/A.md", "Note.md"})}
    plan, _ = plan_pages(state, "gen", wanted, edited=edited)
    assert [(a.kind, a.path, a.keep_as) for a in plan.actions] == [
        ("write", "V/B.md", None),
        ("write", "V/Page.md", None),  # the writer refuses it: edited
    ]
    assert "V/A.md" in plan.keep  # still linked from the edited page: neither removed nor lost
    plan, _ = plan_pages(state, "gen", wanted, edited=edited, force={"V/Page.md"})
    assert [(a.kind, a.path, a.keep_as) for a in plan.actions] == [
        ("write", "V/B.md", None),
        ("write", "V/Page.md", "V/Page (edited).md"),
        ("remove", "V/A.md", None),
    ]


def test_an_edited_page_nobody_wants_is_kept_as_a_copy_when_forced() -> None:
    existing = {"V/Gone.md": "gen"}
    state = starting_state(existing, [*existing, "V/Gone (edited).md"], ["gen"])
    plan, _ = plan_pages(state, "gen", [], edited={"V/Gone.md": frozenset()}, force={"V/Gone.md"})
    assert [(a.kind, a.path, a.keep_as) for a in plan.actions] == [
        ("remove", "V/Gone.md", "V/Gone (edited 2).md")  # the first name is a note already
    ]


@pytest.mark.parametrize(
    ("path", "taken", "expected"),
    [
        ("Vaultnet/Reconnect.md", set(), "Vaultnet/Reconnect (edited).md"),
        ("Vaultnet/Reconnect.md", {"reconnect (edited)"}, "Vaultnet/Reconnect (edited 2).md"),
        (
            "Vaultnet/Reconnect.md",
            {"reconnect (edited)", "reconnect (edited 2)"},
            "Vaultnet/Reconnect (edited 3).md",
        ),
        ("Top.md", set(), "Top (edited).md"),
    ],
)
def test_edited_copy_names(path: str, taken: set[str], expected: str) -> None:
    assert edited_copy(path, dict.fromkeys(taken, "x")) == expected


def test_a_kept_copy_keeps_every_byte_but_the_marker() -> None:
    page = render_page("reconnect", "# Reconnect\n") + b"mine\n"
    kept = kept_copy(page)
    marker = page.split(b"\n")[1] + b"\n" + page.split(b"\n")[2] + b"\n"
    assert marker.startswith(f"{GENERATOR_KEY}: reconnect\n{HASH_KEY}: ".encode())
    assert kept == page.replace(marker, f"{GENERATOR_KEY}: edited\n".encode(), 1)
    assert read_marker(kept)[0] is None  # no page of a generator's: never written or removed
    assert kept_copy(b"no marker\n") == b"no marker\n"
