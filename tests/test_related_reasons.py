"""Related notes' reasons are records that name notes by path: every page and the CLI write those
notes in the vault's link style whatever they are called."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli
from vaultnet.generators.related import RelatedGenerator
from vaultnet.index import open_index
from vaultnet.links import no_tags
from vaultnet.plugins import GenerateContext
from vaultnet.related import Reason

MakeVault = Callable[[dict[str, str | bytes]], Path]


@pytest.mark.parametrize(
    ("before", "notes", "after", "text"),
    [
        ("both link to ", ["A.md"], "", "both link to <A.md>"),
        (
            "both link to ",
            ["A.md", "B.md"],
            " (+2 more)",
            "both link to <A.md> and <B.md> (+2 more)",
        ),
        ("both mention ", ["A.md", "B.md", "C.md"], "", "both mention <A.md>, <B.md> and <C.md>"),
        (
            "this note mentions ",
            ["X/A.md"],
            " without a link",
            "this note mentions <X/A.md> without a link",
        ),
        ("nothing", [], " named", "nothing named"),
    ],
)
def test_a_reason_is_words_around_the_notes_it_names(
    before: str, notes: list[str], after: str, text: str
) -> None:
    reason = Reason.naming(before, notes, after)
    assert reason.notes == tuple(notes)
    assert reason.render(lambda path: f"<{path}>") == text


def test_only_the_words_are_written_by_the_words_function() -> None:
    reason = Reason.naming("shared #tag, and ", ["#5.md"], " #too")
    assert (
        reason.render(lambda path: f"[[{path}]]", no_tags) == "shared \\#tag, and [[#5.md]] \\#too"
    )
    assert Reason.plain("in the same folder (a)").render(str.upper) == "in the same folder (a)"


# Names the old `[[name]]` strings could not carry: the renderers' regex stopped at `]`, `|` and
# `#`, left the `[[...]]` as it was (a wikilink in a markdown-links vault, or a link to another
# note), and the tag escaping went inside it (`[[Issue \#5]]`).
ODD_NAMES = [
    ("Rock ]] roll", "[Rock \\]\\] roll]({up}Rock%20%5D%5D%20roll.md)"),
    ("Pros | cons", "[Pros | cons]({up}Pros%20%7C%20cons.md)"),
    ("Issue #5", "[Issue #5]({up}Issue%20%235.md)"),
    ("[Draft] plan", "[\\[Draft\\] plan]({up}%5BDraft%5D%20plan.md)"),
]
MARKDOWN = '{"useMarkdownLinks": true, "newLinkFormat": "relative"}'


def odd_vault(name: str) -> dict[str, str | bytes]:
    """Two notes that link to note `name` (and to nothing else), so they are related for it."""
    link = f"[it]({quote(name)}.md)"
    return {
        "Alpha.md": f"Apples and pears. {link}\n",
        "Beta.md": f"Plums and cherries. {link}\n",
        f"{name}.md": "Orchards.\n",
        ".obsidian/app.json": MARKDOWN,
        ".vaultnet.toml": "[related]\npairs = 0\n",
    }


def generate(root: Path, index_path: Path) -> dict[str, str]:
    with open_index(root, index_path) as index:
        index.scan()
        context = GenerateContext(
            index.store, index.root, index.config, index.settings, dt.date(2026, 11, 26)
        )
        return {p.path: p.body for p in RelatedGenerator().generate(context)}


@pytest.mark.parametrize(("name", "link"), ODD_NAMES, ids=[n for n, _ in ODD_NAMES])
def test_a_reason_links_a_note_whatever_its_name(
    make_vault: MakeVault, tmp_path: Path, name: str, link: str
) -> None:
    root = make_vault(odd_vault(name))
    page = generate(root, tmp_path / "odd.sqlite")["Vaultnet/Related/Alpha (related).md"]
    assert "- [Beta](../../Beta.md) (" in page
    assert f"both link to {link.format(up='../../')}" in page
    args = ["--vault", str(root), "related", "Alpha.md", "--json"]
    output = CliRunner().invoke(cli, args, catch_exceptions=False).output
    beta = next(item for item in json.loads(output) if item["path"] == "Beta.md")
    assert f"both link to {link.format(up='')}" in beta["reasons"]


def test_a_shared_name_links_by_path_in_every_reason(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault(
        {
            "Ideas/Alpha.md": "Apples. [[Notes/Plan]] [[Ideas/plan]]\n",
            "Ideas/Beta.md": "Plums. [[Notes/Plan]] [[Ideas/plan]]\n",
            "Notes/Plan.md": "Orchards.\n",
            "Ideas/plan.md": "Orchards too.\n",
            ".vaultnet.toml": "[related]\npairs = 0\n",
        }
    )
    page = generate(root, tmp_path / "plan.sqlite")["Vaultnet/Related/Alpha (related).md"]
    assert "both link to [[Ideas/plan|plan]] and [[Notes/Plan|Plan]]" in page
