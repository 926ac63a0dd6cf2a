"""Related notes' reasons are records that name notes by path: every page and the CLI write those
notes in the vault's link style whatever they are called. Related pages are named by Obsidian's
rule for when two notes share a name (`resolve.fold`)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from conftest import context_of

from vaultnet.cli import cli
from vaultnet.index.scan import open_index
from vaultnet.pages.links import no_tags
from vaultnet.related.corpus import Corpus, NoteData
from vaultnet.related.pages import RelatedGenerator, related_page_path
from vaultnet.related.reasons import Reason
from vaultnet.vault.resolve import fold, note_stem

MakeVault = Callable[[dict[str, str | bytes]], Path]

NFC = unicodedata.normalize("NFC", "Café")
NFD = unicodedata.normalize("NFD", "Café")


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
        context = context_of(index, dt.date(2026, 11, 26))
        return {p.path: p.body for p in RelatedGenerator().generate(context)}


@pytest.mark.parametrize(("name", "link"), ODD_NAMES, ids=[n for n, _ in ODD_NAMES])
def test_a_reason_links_a_note_whatever_its_name(
    make_vault: MakeVault, tmp_path: Path, name: str, link: str
) -> None:
    root = make_vault(odd_vault(name))
    page = generate(root, tmp_path / "odd.sqlite")["Vaultnet/Related/Alpha (related).md"]
    assert "- [Beta](../../Beta.md): " in page
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


@pytest.mark.parametrize(
    ("paths", "subject", "page"),
    [
        (["Ideas/Plan.md"], "Ideas/Plan.md", "Plan (related).md"),
        (["Ideas/Plan.md", "Notes/plan.md"], "Notes/plan.md", "Notes - plan (related).md"),
        (["Plan.md", "Notes/PLAN.md"], "Plan.md", "Plan (related).md"),
        # One name to Obsidian (NFC and NFD spellings): two pages of one name would be one file
        # on macOS and one link target in Obsidian.
        ([f"Ideas/{NFC}.md", f"Notes/{NFD}.md"], f"Notes/{NFD}.md", f"Notes - {NFD} (related).md"),
        # Two names to Obsidian, which folds case with `lower()`: "straße" is not "strasse".
        (["Ideas/Straße.md", "Notes/STRASSE.md"], "Ideas/Straße.md", "Straße (related).md"),
        (["Ideas/Loud.MD"], "Ideas/Loud.MD", "Loud (related).md"),
    ],
)
def test_a_related_page_is_named_by_obsidians_name_rule(
    paths: list[str], subject: str, page: str
) -> None:
    corpus = Corpus(NoteData(path, note_stem(path)) for path in paths)
    assert related_page_path("Vaultnet", subject, corpus.name_count) == f"Vaultnet/Related/{page}"


def test_name_counts_follow_edits() -> None:
    corpus = Corpus([NoteData(f"Ideas/{NFC}.md", NFC), NoteData(f"Notes/{NFD}.md", NFD)])
    assert corpus.name_count(NFD) == corpus.name_count("CAFÉ") == 2
    corpus.remove(f"Ideas/{NFC}.md")
    assert corpus.name_count(NFC) == 1
    corpus.put(NoteData("Other/café.md", "café"))
    assert corpus.name_count("Café") == 2


def test_two_spellings_of_one_name_get_two_pages(make_vault: MakeVault, tmp_path: Path) -> None:
    body = "Coffee, croissants and a terrace. [[Terrace]]\n"
    root = make_vault(
        {
            f"Ideas/{NFC}.md": body,
            f"Notes/{NFD}.md": body,
            "Ideas/Terrace.md": "Chairs outside.\n",
            ".vaultnet.toml": "[related]\npairs = 0\n",
        }
    )
    pages = generate(root, tmp_path / "cafe.sqlite")
    assert f"Vaultnet/Related/Ideas - {NFC} (related).md" in pages
    assert f"Vaultnet/Related/Notes - {NFD} (related).md" in pages
    assert len({fold(path) for path in pages}) == len(pages)
