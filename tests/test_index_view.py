"""The index's read side: a view that cannot write, and runs that gather their facts in a fixed
number of queries, however many people and ideas the vault holds (no query inside a loop)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import context_of, gathering_of
from hypothesis import given
from hypothesis import strategies as st

import vaultnet.index.schema
from vaultnet.cli import cli
from vaultnet.index.rows import FileState, changed_files, term_columns, terms_of_columns
from vaultnet.index.scan import open_index
from vaultnet.index.schema import open_readonly
from vaultnet.people.reconnect import reconnect_plan
from vaultnet.reconnect.page import ReconnectGenerator
from vaultnet.related.pages import RelatedGenerator
from vaultnet.vault.parse import parse_note

TODAY = dt.date(2026, 11, 26)
MakeVault = Callable[[dict[str, Any]], Path]


def vault_of(people: int) -> dict[str, str]:
    """`people` contacts, each met in a daily note and tagged like two idea notes."""
    files = {".obsidian/daily-notes.json": '{"folder": "Daily"}'}
    for n in range(people):
        files[f"People/Person {n}.md"] = f"---\ntags: [topic{n % 5}]\ncadence: 7\n---\n"
        day = TODAY - dt.timedelta(days=20 + n)
        files[f"Daily/{day.isoformat()}.md"] = f"- Coffee with [[Person {n}]] #topic{n % 5}\n"
        files[f"Ideas/Idea {n}.md"] = (
            f"---\ntags: [topic{n % 5}]\n---\nAn idea. [[Idea {n // 2}]]\n"
        )
    return files


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every statement run on an index connection opened from now on, by its first word."""
    counts: Counter[str] = Counter()
    real = sqlite3.connect

    def counting(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = real(*args, **kwargs)
        db.set_trace_callback(lambda sql: counts.update([sql.split(None, 1)[0].upper()]))
        return db

    monkeypatch.setattr(vaultnet.index.schema.sqlite3, "connect", counting)
    return counts


def test_the_view_cannot_write(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({"A.md": "a\n"})
    with open_index(root, tmp_path / "i.sqlite") as index:
        index.scan()
        assert [row.path for row in index.view.notes()] == ["A.md"]
    db = open_readonly(tmp_path / "i.sqlite")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("DELETE FROM notes")
    db.close()


def run_queries(root: Path, index_path: Path, reads: Counter[str], work: str) -> int:
    """The statements one run of `work` asks of the (scanned) index."""
    with open_index(root, index_path) as index:
        index.scan()
        reads.clear()
        if work == "plan":
            assert reconnect_plan(gathering_of(index, TODAY)).suggestions
        else:
            context = context_of(index, TODAY)
            for generator in (ReconnectGenerator(), RelatedGenerator(saved=False)):
                assert generator.generate(context)
        return sum(reads.values())


@pytest.mark.parametrize("work", ["plan", "pages"])
def test_a_run_asks_the_same_number_of_queries_for_10_or_40_people(
    make_vault: MakeVault, tmp_path: Path, reads: Counter[str], work: str
) -> None:
    """The Reconnect plan, its briefs, the related pages and their audiences gather their facts
    up front: four times the people and ideas, not one query more."""
    few = run_queries(make_vault(vault_of(10)), tmp_path / "few.sqlite", reads, work)
    many = run_queries(make_vault(vault_of(40)), tmp_path / "many.sqlite", reads, work)
    assert few == many
    assert few < 40


def test_doctor_lists_every_invalid_table(make_vault: MakeVault, tmp_path: Path) -> None:
    toml = "[people]\ndefault_cadence = 'soon'\n[related]\nk = 0\n[watch]\nnope = 1\n"
    root = make_vault({".vaultnet.toml": toml, "A.md": "a\n"})
    result = CliRunner().invoke(cli, ["--vault", str(root), "doctor"], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if "config-invalid" in line]
    assert len(lines) == 3, result.output
    assert any("[people] default_cadence" in line for line in lines)
    assert any("[related] k must be" in line for line in lines)
    assert any("[watch] unknown setting 'nope'" in line for line in lines)
    # every other command stops at the first, in one line
    other = CliRunner().invoke(cli, ["--vault", str(root), "contacts"])
    assert other.exit_code == 1 and other.output.count("\n") == 1, other.output


FS = FileState


@pytest.mark.parametrize(
    ("before", "after", "changed", "moved"),
    [
        ({}, {}, set(), set()),
        ({"a.md": FS("1", "note")}, {"a.md": FS("1", "note")}, set(), set()),
        ({"a.md": FS("1", "note")}, {"a.md": FS("2", "note")}, {"a.md"}, set()),
        ({"a.md": FS("1", "note")}, {}, {"a.md"}, {"a.md"}),
        ({}, {"b.md": FS("1", "note")}, {"b.md"}, {"b.md"}),
        ({"a 2.md": FS("1", "note")}, {"a 2.md": FS("1", "conflict")}, {"a 2.md"}, {"a 2.md"}),
        (
            {"a.md": FS("1", "note"), "b.md": FS("1", "note"), "c.md": FS(None, "too-large")},
            {"a.md": FS("1", "note"), "c.md": FS("2", "too-large"), "d.png": FS("3", "attachment")},
            {"b.md", "c.md", "d.png"},
            {"b.md", "d.png"},
        ),
    ],
)
def test_changed_files_names_what_differs_and_what_came_went_or_changed_kind(
    before: dict[str, FileState],
    after: dict[str, FileState],
    changed: set[str],
    moved: set[str],
) -> None:
    assert changed_files(before, after) == (changed, moved)


def test_file_states_are_read_once_per_commit_and_each_caller_gets_a_copy(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    root = make_vault({"A.md": "a\n", "B.md": "b\n"})
    with open_index(root, tmp_path / "i.sqlite") as index:
        index.scan()
        view = index.view
        statements: list[str] = []
        view._db.set_trace_callback(statements.append)
        first = view.file_states()
        before = first["B.md"]
        first["A.md"] = FileState("a caller's own", "note")
        again = view.file_states()
        assert again["A.md"] != first["A.md"]
        assert again["B.md"] == before
        (root / "B.md").write_text("b, changed\n", encoding="utf-8")
        index.update(["B.md"])  # the writer's connection commits
        after = view.file_states()
        assert after["B.md"] != before
        assert after["A.md"] == again["A.md"]
        assert sum("FROM files" in sql for sql in statements) == 2


TERM_NOTES = {
    "Plain.md": "Gardens grow slowly. Gardens need water.\n",
    "Linked.md": "# Soil\nSee [[Plain]] about soil.\n\n```python\ndef water_plants(): pass\n```\n",
    "Mixed.md": "---\ntitle: Café 東京 notes\ntags: [x]\n---\n東京の庭 and `code_word` here\n",
    "Empty.md": "",
    "A.md": "",  # no word: a one-letter title, no body
}


def test_the_index_gives_back_each_notes_terms_as_parsed(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """Terms, anchored terms and code terms survive the index's compact storage exactly (the
    words and three aligned count arrays, `vaultnet.index.rows.term_columns`)."""
    root = make_vault(TERM_NOTES)
    with open_index(root, tmp_path / "i.sqlite") as index:
        index.scan()
        stored = index.view.terms()
        for path, text in TERM_NOTES.items():
            note = parse_note(path, text)
            expected = (note.terms, note.anchored_terms, note.code_terms)
            assert stored.get(path, ({}, {}, {})) == expected, path
        assert set(stored) == set(TERM_NOTES) - {"A.md"}  # no row for no words
        assert stored["Linked.md"][1] and stored["Linked.md"][2]  # anchored and code terms
        assert index.view.term_words(TERM_NOTES) == {p: set(t[0]) for p, t in stored.items()}


@given(
    st.dictionaries(
        st.text(st.characters(categories=["L", "N", "Mn"]), min_size=1, max_size=6),
        st.tuples(*[st.integers(0, 2**31 - 1)] * 3),
        max_size=12,
    )
)
def test_term_columns_read_back_what_was_stored(counts: dict[str, tuple[int, int, int]]) -> None:
    terms = tuple({w: c[i] for w, c in counts.items() if c[i]} for i in range(3))
    assert terms_of_columns(term_columns(terms)) == terms  # type: ignore[arg-type]


PIECES = ["a", "B", "é", "東京", "の", "한국", " ", "\t", "\u3000", "\n", "`", "_", "```\n"]
PIECES += ["camelCase", "https://x.org/a%20b", "[[x y]]", "#tag ", "---\ntitle: a b\n---\n"]


@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_no_term_holds_a_space(text: str) -> None:
    """The index stores a note's terms space-separated (`term_columns`): a term never holds one."""
    note = parse_note("A note.md", text)
    for counts in (note.terms, note.anchored_terms, note.code_terms):
        assert not any(" " in term for term in counts), counts
