"""Data-driven resolver tests: each `cases/resolve/<vault>.json` lists files and links to resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
    named = [path for path in files if file_name(path) == link_name(case["link"])]
    if case["link"].strip():
        assert Resolver(named).resolve(case["link"], case["from"]) == case["expect"]


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
