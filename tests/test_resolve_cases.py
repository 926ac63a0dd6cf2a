"""Data-driven resolver tests: each `cases/resolve/<vault>.json` lists files and links to resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vaultnet.index.scan import open_index
from vaultnet.vault.resolve import Resolver, file_name, link_name

CASES = Path(__file__).parent / "cases" / "resolve"


def load_cases() -> list[tuple[str, list[str], dict[str, Any]]]:
    out = []
    for file in sorted(CASES.glob("*.json")):
        spec = json.loads(file.read_text(encoding="utf-8"))
        out += [(file.stem, spec["files"], case) for case in spec["cases"]]
    return out


@pytest.mark.parametrize(
    ("vault", "files", "case"),
    load_cases(),
    ids=[f"{v}:{c['from']}->{c['link']}" for v, _, c in load_cases()],
)
def test_resolve_case(vault: str, files: list[str], case: dict[str, Any]) -> None:
    resolver = Resolver(files)
    assert resolver.resolve(case["link"], case["from"]) == case["expect"], case.get("why")


@pytest.mark.parametrize(
    ("vault", "files", "case"),
    load_cases(),
    ids=[f"{v}:{c['from']}->{c['link']}" for v, _, c in load_cases()],
)
def test_only_files_of_the_link_name_answer(
    vault: str, files: list[str], case: dict[str, Any]
) -> None:
    """What `Index.resolve` relies on: a resolver of the files named as the link answers alike."""
    named = [path for path in files if file_name(path) == link_name(case["link"], case["from"])]
    if case["link"].strip():
        assert Resolver(named).resolve(case["link"], case["from"]) == case["expect"]


@pytest.mark.parametrize("vault", sorted(p.stem for p in CASES.glob("*.json")))
def test_the_index_answers_one_link_as_the_whole_resolver(vault: str, tmp_path: Path) -> None:
    """`Index.resolve` after a scan that built no resolver (nothing changed), for every case's
    link and relative forms of it (`./a/..` names its folder's file, not `a`'s)."""
    spec = json.loads((CASES / f"{vault}.json").read_text(encoding="utf-8"))
    files = spec["files"]
    root = tmp_path / "vault"
    for path in files:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("x\n", encoding="utf-8")
    with open_index(root, tmp_path / "index.sqlite") as index:
        index.scan()
    whole = Resolver(files)
    links = [(case["link"], case["from"]) for case in spec["cases"]]
    links += [(f"./{link}/..", source) for link, source in links]
    links += [(f"../{link}/.", source) for link, source in links]
    for link, source in links:
        with open_index(root, tmp_path / "index.sqlite") as index:
            index.scan()  # nothing changed: no resolver built
            assert index.resolve(link, source) == whole.resolve(link, source), (link, source)


def test_resolution_survives_incremental_changes() -> None:
    """Adding and removing files gives the same answers as a resolver built from scratch."""
    files = ["Note.md", "a/Note.md", "a/b/Note.md", "zzzz/Note.md", "img.png"]
    resolver = Resolver(files)
    resolver.remove("Note.md")
    resolver.add("b/Note.md")
    fresh = Resolver([*files[1:], "b/Note.md"])
    for source in ("x.md", "a/x.md", "a/b/x.md", "zzzz/x.md"):
        for target in ("Note", "b/Note", "note.md", "img.png", "Missing"):
            assert resolver.resolve(target, source) == fresh.resolve(target, source)


def test_case_twins_resolve_alike_in_any_order() -> None:
    files = ["note.md", "Note.md", "b/NOTE.md"]
    for order in (files, files[::-1]):
        resolver = Resolver(order)
        assert resolver.resolve("NOTE", "x.md") == "Note.md"
    resolver.remove("Note.md")
    assert resolver.resolve("NOTE", "x.md") == "note.md"


@pytest.mark.parametrize(
    ("source", "link", "target"),
    [
        ("x.md", "./b/.", "b.md"),
        ("a/b/x.md", "../", "a.md"),
        ("b/x.md", "../b", "b.md"),
        ("b/x.md", "./Idea/..", "b.md"),
        ("a/b/x.md", "./c/../..", "a.md"),
        ("b/x.md", "/./B/.", "b/b.md"),
        ("x.md", "./b /.", "b .md"),  # the space stays in the name, around it counts for none
        ("x.md", "./b /", "b .md"),
    ],
)
def test_a_relative_link_follows_the_file_it_names_as_it_comes_and_goes(
    tmp_path: Path, source: str, link: str, target: str
) -> None:
    """Was: a link whose last part is `.` or `..` was filed under that part's name, so a scan
    never resolved it again when the folder's note came or went (a cold rebuild did)."""
    root = tmp_path / "vault"
    (root / source).parent.mkdir(parents=True)
    (root / source).write_text(f"- met [[{link}]]\n", encoding="utf-8")

    def resolved(index_file: str) -> str | None:
        with open_index(root, tmp_path / index_file) as index:
            index.scan()
            return index.view.links_from([source])[0].path

    assert resolved("kept.sqlite") is None
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    (root / target).write_text("x\n", encoding="utf-8")
    assert resolved("kept.sqlite") == target == resolved("cold.sqlite")
    (root / target).unlink()
    assert resolved("kept.sqlite") is None
