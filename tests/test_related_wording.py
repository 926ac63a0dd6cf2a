"""What the related pages say: no raw score, "mentions ... without a link" only where the name is
written as a phrase, and a floor under Suggested links (a shared folder or one everyday word is
no reason to link two notes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import without_footer

from vaultnet.cli import cli
from vaultnet.pages.links import LinkStyle
from vaultnet.reasons import Reason
from vaultnet.related.phrases import MENTIONED, MENTIONS, checked, holds_name
from vaultnet.related.rankings import Pair
from vaultnet.related.render import render_suggested
from vaultnet.vault.settings import VaultSettings

MakeVault = Callable[[dict[str, str | bytes]], Path]


@pytest.mark.parametrize(
    ("text", "names", "held"),
    [
        ("We tried the canvas format last week.", ["Canvas format"], True),
        ("The CANVAS, format and all.", ["Canvas format"], True),  # punctuation between words
        ("Un café à Zoë Müller.", ["Zoe Muller"], True),  # accents
        ("The format of the canvas.", ["Canvas format"], False),  # both words, not the phrase
        ("Canvasformat", ["Canvas format"], False),
        # a link is no unlinked mention, its target and its text alike (the note links another
        # note of that name, or this one: then it is linked)
        ("Links: [[Canvas format]]", ["Canvas format"], False),
        ("See [overview](sub/index.md) of apples.", ["index"], False),
        ("See [[sub/index|overview]] of apples.", ["index"], False),
        ("Read [the canvas format](https://example.com/x) now.", ["Canvas format"], False),
        ("Written <https://example.com/canvas-format> once", ["Canvas format"], False),
        ("Not in code: `df.reset_index()`", ["index"], False),
        ("```python\ndf.reset_index()\n```\nno name here", ["index"], False),
        ("~~~\nthe canvas format\n~~~", ["Canvas format"], False),
        ("> ```\n> canvas format\n> ```", ["Canvas format"], False),  # code in a callout
        ('<div class="canvas format">cards</div>', ["Canvas format"], False),
        ("See https://example.com/canvas-format today", ["Canvas format"], False),
        ("See HTTPS://Example.com/canvas-format today", ["Canvas format"], False),
        ("See [the canvas format][cf] today\n\n[cf]: Formats.md", ["Canvas format"], False),
        ("[canvas format]: https://example.com/cf", ["Canvas format"], False),  # a definition
        ("%% the canvas format %% is hidden", ["Canvas format"], False),
        ("%%\nthe canvas format\n%%\nhidden", ["Canvas format"], False),
        # prose around them still counts
        ("```canvas format``` is inline code; the canvas format here", ["Canvas format"], True),
        ("> ```\n> code\n\nThe canvas format, after the quote.", ["Canvas format"], True),
        ("```\ncode\n```js\nstill code\n```\nThe canvas format", ["Canvas format"], True),
        ("```\ncode\n```js\nthe canvas format\n```\nno name", ["Canvas format"], False),
        ("Text\r\n```\r\ncode\r\n```\r\nThe canvas format\r\n", ["Canvas format"], True),
        ("```\ncode\n```\nThe canvas format, after the code.", ["Canvas format"], True),
        ("[[Other]] and the canvas format, beside a link.", ["Canvas format"], True),
        ("````\n```\nstill code\n````\nthe canvas format", ["Canvas format"], True),
        ("<b>Canvas format</b> in bold", ["Canvas format"], True),
        ("Nothing here.", ["Canvas format", "CF"], False),
        (
            "<!-- vaultnet:related:begin hash=0 -->\n- [[Canvas format]]\n<!-- vaultnet:related:end -->",
            ["Canvas format"],
            False,
        ),  # vaultnet's own block is not the note's text
    ],
)
def test_holds_name(text: str, names: list[str], held: bool) -> None:
    assert holds_name(text, names) is held


def test_a_mention_reason_is_kept_only_where_the_phrase_is() -> None:
    texts = {"A.md": "about the format of a canvas", "B.md": "the canvas format again"}
    names = {"A.md": ("A",), "B.md": ("Canvas format",), "C.md": ("Canvas format",)}
    forward = Reason(MENTIONS, ("B.md",))
    back = Reason(MENTIONED)
    other = Reason.plain("similar wording: canvas")
    # A's text holds both words of B's name, never the phrase: the reason goes, the rest stays
    assert checked("A.md", "B.md", (forward, other), names.__getitem__, texts.__getitem__) == (
        other,
    )
    # B's text names C as a phrase: kept
    assert checked(
        "B.md", "C.md", (Reason(MENTIONS, ("C.md",)),), names.__getitem__, texts.__getitem__
    )
    # "mentions this note": A's name in B's text
    assert checked("A.md", "B.md", (back,), names.__getitem__, texts.__getitem__) == ()


def test_pages_drop_a_mention_that_is_not_written(make_vault: MakeVault) -> None:
    root = make_vault(
        {
            "Ideas/Canvas format.md": "---\ntags: [design]\n---\nHow we lay out a canvas format page.\n",
            "Ideas/Layouts.md": "---\ntags: [design]\n---\nThe format of each canvas, and the layout.\n",
            "Ideas/Boards.md": "---\ntags: [design]\n---\nBoards use the canvas format too.\n",
            # notes without those words, so they are rare enough to count (idf above 0)
            **{
                f"Notes/Other {n}.md": f"Gardening note {n}: compost and worms.\n" for n in range(4)
            },
        }
    )
    result = CliRunner().invoke(cli, ["generate", "--vault", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    layouts = without_footer((root / "Vaultnet/Related/Layouts (related).md").read_text("utf-8"))
    boards = without_footer((root / "Vaultnet/Related/Boards (related).md").read_text("utf-8"))
    assert "[[Canvas format]]" in layouts and "mentions [[Canvas format]]" not in layouts
    assert "this note mentions [[Canvas format]] without a link" in boards
    for page in (layouts, boards):
        assert " (0." not in page and " (1." not in page  # no raw score
    out = CliRunner().invoke(cli, ["related", "Layouts", "--json", "--vault", str(root)]).output
    assert "mentions" not in out


def pair(first: str, second: str, score: float, *reasons: str) -> Pair:
    return Pair(first, second, score, tuple(Reason.plain(r) for r in reasons))


def test_suggested_links_have_a_floor() -> None:
    style = LinkStyle.for_vault(VaultSettings(), "Vaultnet/Suggested links.md", [])
    pairs = [
        pair("A.md", "B.md", 1.7, "shared tag #x", "similar wording: a, b"),
        pair("C.md", "D.md", 0.72, "similar wording: see"),
        pair("E.md", "F.md", 0.9, "in the same folder (Ideas)"),
    ]
    page = render_suggested(pairs, style, floor=0.75)
    assert "- [[A]] and [[B]]: shared tag \\#x; similar wording: a, b\n" in page
    assert "[[C]]" not in page and "[[E]]" not in page
    assert "\n2 weaker pairs are left out.\n" in page
    empty = render_suggested(pairs[1:], style, floor=0.75)
    assert "Nothing to suggest yet: two idea notes that share rare words" in empty


def test_related_keeps_a_mention_written_as_an_alias(make_vault: MakeVault) -> None:
    """`vaultnet related` checks a mention against every name of the note asked about: an alias
    written in the other note is a mention (its file name is not written there)."""
    root = make_vault(
        {
            "Ideas/Weak ties.md": "---\naliases: [Granovetter effect]\ntags: [network]\n---\n"
            "Acquaintances bring news from outside the circle.\n",
            "Ideas/Jobs.md": "---\ntags: [network]\n---\n"
            "Most jobs come through the Granovetter effect: news from outside the circle.\n",
            **{
                f"Notes/Other {n}.md": f"Gardening note {n}: compost and worms.\n" for n in range(4)
            },
        }
    )
    args = ["related", "Weak ties", "--json", "--vault", str(root)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    found = {item["path"]: item["reasons"] for item in json.loads(result.output)}
    assert "mentions this note without a link" in found["Ideas/Jobs.md"]
