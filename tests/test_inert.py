"""Generated pages are inert: hostile names, aliases, property values and evidence lines give the
exact lines of `tests/cases/inert/pages.yaml`, and (hypothesis) no page ever holds a Templater tag,
a Dataview query or an HTML element from the vault while every link still opens its note."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from network_vaults import MERMAID, assert_safe_mermaid

from vaultnet.cli import cli
from vaultnet.pages.inert import (
    PROPERTY_LESS_THAN,
    inert,
    inert_label,
    inert_line,
    inert_property,
)
from vaultnet.pages.links import LinkStyle
from vaultnet.vault.parse import parse_note
from vaultnet.vault.resolve import Resolver

CASES = Path(__file__).parent / "cases" / "inert" / "pages.yaml"
TODAY = "2026-11-26"
FORBIDDEN = ("<%", "`$=", "`=", "```", "<script", "<iframe", "<img", "<!--")
"""What no generated text may hold when it comes from the vault (`<!--`: vaultnet's own block
markers are checked apart)."""
FENCE = re.compile(r"^(?:\s*(?:[-*+]|\d+[.)]|>))*\s*(?:```|~~~)", re.MULTILINE)
"""A fence opening a code block (`dataview`, `dataviewjs`), at a line's start or in a list item
or quote."""


def _case_vault(text: str, role: str) -> dict[str, str]:
    person = text if role == "name" else "Jane Doe"
    idea = f"{text} heaps" if role == "name" else "Compost heaps"
    props = {
        "property": f"priority: {json.dumps(text)}\n",
        "alias": f"aliases: [{json.dumps(text)}]\n",
    }.get(role, "")
    if role == "evidence":
        daily = f"- Met [[Jane Doe]] {text}\n"
    else:
        label = text if role == "alias" else person
        if "%%" in label:  # it would comment out the daily note's own link
            label = "them"
        label = label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        daily = f"- Met [{label}](People/{quote(person)}.md) about compost\n"
    return {
        f"People/{person}.md": f"---\ntags: [person]\n{props}---\nGardener.\n",
        "Daily/2026-10-01.md": daily,
        f"Ideas/{idea}.md": "#gardening\nCompost heaps turn kitchen scraps into soil; worms and "
        "fungi do the work.\n",
        "Ideas/Worm farms.md": "#gardening\nWorm farms turn kitchen scraps into soil; worms do "
        "the work of compost heaps.\n",
        ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    }


def _generate(root: Path, *, block: bool = False) -> None:
    if block:
        (root / ".vaultnet.toml").write_text('[related]\nmode = "block"\n', encoding="utf-8")
        for file in root.rglob("*.md"):  # a note saved in the last seconds is left alone
            os.utime(file, (1_700_000_000, 1_700_000_000))
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "--index", f"{root}.sqlite", "generate", "--today", TODAY],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "refused" not in result.output.replace("0 refused", ""), result.output


def _body(text: str) -> str:
    """A generated page without its marker frontmatter."""
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def _blocks(root: Path) -> dict[str, str]:
    """The text inside each note's related block."""
    found = {}
    for file in sorted(root.rglob("*.md")):
        text = file.read_text(encoding="utf-8")
        inner = re.search(
            r"^<!-- vaultnet:related:begin hash=\w+ -->\n(.*?)^<!-- vaultnet:related:end -->$",
            text,
            re.MULTILINE | re.DOTALL,
        )
        if inner:
            found[file.relative_to(root).as_posix()] = inner.group(1)
    return found


def _pattern(line: str) -> re.Pattern[str]:
    parts = re.split(r"(\{score\}|\{rest\})", line)
    wild = {"{rest}": r".*"}
    return re.compile("".join(wild.get(p, re.escape(p)) for p in parts))


def _assert_lines(expected: list[str], pages: dict[str, str], where: str) -> None:
    lines = [line for body in pages.values() for line in body.splitlines()]
    for want in expected:
        pattern = _pattern(want)
        assert any(pattern.fullmatch(line) for line in lines), (
            f"{where}: no line {want!r} in\n" + "\n".join(lines)
        )


def _assert_inert(pages: dict[str, str]) -> None:
    for path, body in pages.items():
        if MERMAID.search(body):  # the Network page's charts: vaultnet's own fences
            for block in MERMAID.findall(body):
                assert_safe_mermaid(f"```mermaid\n{block}```")
            body = MERMAID.sub("", body)
        for bad in FORBIDDEN:
            assert bad not in body, f"{path} holds {bad!r}:\n{body}"
        assert not FENCE.search(body), f"{path} opens a fence:\n{body}"


def _expected(case: dict[str, object], page: str) -> list[str]:
    lines = case.get(page, [])
    assert isinstance(lines, list)
    return [str(line) for line in lines]


def _load_cases() -> list[dict[str, object]]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _load_cases(), ids=lambda c: str(c["case"]))
def test_hostile_text_gives_the_exact_lines(
    case: dict[str, object], make_vault: Callable[[dict[str, str]], Path]
) -> None:
    text, role = str(case["text"]), str(case["role"])
    root = make_vault(_case_vault(text, role))
    _generate(root)
    output = root / "Vaultnet"
    reconnect = {"Reconnect.md": _body((output / "Reconnect.md").read_text(encoding="utf-8"))}
    related = {
        p.name: _body(p.read_text(encoding="utf-8")) for p in (output / "Related").glob("*.md")
    }
    _assert_lines(_expected(case, "reconnect"), reconnect, "Reconnect page")
    _assert_lines(_expected(case, "related"), related, "related pages")
    _assert_inert({**reconnect, **related})

    block_root = make_vault(_case_vault(text, role))
    _generate(block_root, block=True)
    blocks = _blocks(block_root)
    _assert_lines(_expected(case, "block"), blocks, "blocks")
    _assert_inert(blocks)
    for path in blocks:  # the block's markers still read as one intact pair
        note = (block_root / path).read_text(encoding="utf-8")
        assert note.count("vaultnet:related:") == 2, note


@pytest.mark.parametrize(
    "text",
    ["Jane Doe", "Q&A", "C# notes", "a < b", "<3", "100%", "Yahoo!", "2026-10-01", "x: y", "é ü"],
)
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert inert_label(text) == text
    assert inert(text) == text
    assert inert_property(text) == text


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("12. item", "12\\. item"),
        ("    code", "code"),
        ("~~~dataviewjs", "\\~~~dataviewjs"),
        ("---", "\\---"),
        ("[^1]: note", "\\[^1]: note"),
        ("Jane Doe", "Jane Doe"),
    ],
)
def test_text_starting_a_line_starts_no_block(text: str, line: str) -> None:
    assert inert_line(text) == line


def test_property_values_break_only_what_runs() -> None:
    assert inert_property("<% tp.file.title %>\nnext <b>") == (
        f"{PROPERTY_LESS_THAN}% tp.file.title %> next {PROPERTY_LESS_THAN}b>"
    )
    assert inert_property("[[Jane Doe]] a < b") == "[[Jane Doe]] a < b"


FRAGMENTS = (
    "<%",
    "%>",
    "<%*",
    "<%-",
    "`",
    "`=",
    "`$=",
    "```dataviewjs",
    "~~~dataview",
    "<script>",
    "<iframe ",
    " onerror=",
    "<!--",
    "-->",
    "]]",
    "[[",
    "[",
    "]",
    "|",
    "#",
    "#tag",
    " ^id",
    "^",
    ">",
    "- ",
    "1. ",
    "%%",
    "&lt;",
    "&",
    "::",
    "vaultnet:related:",
    "!",
    "\\",
    " ",
    "(",
    ")",
    '"',
    "'",
    "$",
    "a",
    "Jane",
    "é",
    "%20",
    "\t",
)


def _hostile(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(FRAGMENTS), min_size=min_size, max_size=8).map("".join)


def _name() -> st.SearchStrategy[str]:
    """A file name a vault can hold (no `/`, not hidden, no outer spaces)."""
    return (
        _hostile()
        .map(lambda s: s.strip())
        .filter(lambda s: s and not s.startswith(".") and len(s.encode()) < 120)
    )


def _page_links(page: str, body: str, files: list[str]) -> list[str | None]:
    resolver = Resolver(files)
    note = parse_note(page, body)
    return [resolver.resolve(link.target, page) for link in note.links]


@settings(max_examples=300, deadline=None)
@given(
    name=_name(),
    folder=st.sampled_from(["", "People", "<% x %>"]),
    markdown=st.booleans(),
    form=st.sampled_from(["shortest", "relative", "absolute"]),
    label=st.none() | _name(),
)
def test_a_link_runs_nothing_and_opens_its_note(
    name: str, folder: str, markdown: bool, form: str, label: str | None
) -> None:
    path = f"{folder}/{name}.md" if folder else f"{name}.md"
    files = [path, "Other.md", "Vaultnet/Reconnect.md"]
    style = LinkStyle(markdown, form, "Vaultnet")
    line = f'- {style.link(path, label)}: {inert(name)} "{inert(label or "")}"'
    for bad in FORBIDDEN:
        assert bad not in line
    assert not FENCE.search(line)
    assert not FENCE.search(f"- {inert(name)}")
    assert "\n" not in line
    assert _page_links("Vaultnet/Reconnect.md", line + "\n", files) == [path]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    # The safe writer refuses a block in a note whose path holds a backslash (test_write.py).
    name=_name().filter(lambda s: "\\" not in s),
    alias=_hostile(),
    value=_hostile(),
    said=_hostile(),
)
def test_no_generated_page_runs_vault_text(
    name: str, alias: str, value: str, said: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    person, idea = f"People/{name}.md", f"Ideas/{name} heaps.md"
    files = {
        person: f"---\ntags: [person]\naliases: [{json.dumps(alias)}]\n"
        f"priority: {json.dumps(value)}\n---\n",
        "Daily/2026-10-01.md": f"- Met [them](People/{quote(name)}.md) and said: {said}\n",
        idea: "#gardening\nCompost heaps turn kitchen scraps into soil; worms do the work.\n",
        "Ideas/Worm farms.md": "#gardening\nWorm farms turn kitchen scraps into soil.\n",
        ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    }
    for block in (False, True):
        root = tmp_path_factory.mktemp("vault")
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        _generate(root, block=block)
        notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
        pages = {
            p: _body((root / p).read_text(encoding="utf-8"))
            for p in notes
            if p.startswith("Vaultnet/")
        }
        pages.update(_blocks(root))
        _assert_inert(pages)
        for page, body in pages.items():
            assert None not in _page_links(page, body, notes), (page, body)
        reconnect = pages["Vaultnet/Reconnect.md"]
        heading = next(line for line in reconnect.splitlines() if line.startswith("### "))
        assert _page_links("Vaultnet/Reconnect.md", heading, notes) == [person]
        if not block:
            related = next(p for p in pages if p.startswith("Vaultnet/Related/") and "heaps" in p)
            first = pages[related].splitlines()[0]
            assert _page_links(related, first, notes) == [idea]


def test_touch_links_a_hostile_name_inertly(make_vault: Callable[[dict[str, str]], Path]) -> None:
    """`touch` appends to the daily note through the same `LinkStyle.link`."""
    root = make_vault({"People/<% tp.file.title %>.md": "---\ntags: [person]\n---\n"})
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "touch", "<% tp.file.title %>", "--date", "2026-11-26"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    daily = (root / "2026-11-26.md").read_text(encoding="utf-8")
    assert daily == "- Met [&lt;% tp.file.title %>](%3C%25%20tp.file.title%20%25%3E.md)\n"
    files = ["People/<% tp.file.title %>.md", "2026-11-26.md"]
    assert _page_links("2026-11-26.md", daily, files) == ["People/<% tp.file.title %>.md"]
