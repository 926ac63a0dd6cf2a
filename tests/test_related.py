"""Related notes: the tokenizer, each signal's reasons, determinism, the generator and the
evaluation protocol (on a tiny vault; the real measurement is benchmarks/related_quality.py)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

import pytest
from conftest import context_of, copy_example_vault
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.errors import ConfigError, Superseded
from vaultnet.ideas import IdeaRule
from vaultnet.index.scan import open_index
from vaultnet.pages.generate import GenerateReport, generate_pages
from vaultnet.related.build import _position
from vaultnet.related.config import RelatedConfig, related_config
from vaultnet.related.corpus import Corpus, NoteData
from vaultnet.related.hybrid import DEFAULTS, Calibration, Engine, Related
from vaultnet.related.load import corpus_from_store
from vaultnet.related.pages import RelatedGenerator
from vaultnet.related.rankings import Pair, rank, suggestions
from vaultnet.related.reasons import Reason
from vaultnet.session import load_settings
from vaultnet.vault.terms import tokens

CASES = Path(__file__).parent / "cases" / "related"
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
MakeVault = Callable[[dict[str, str | bytes]], Path]

VAULT = {
    "Ideas/Referrals.md": "---\ntags: [networking]\n---\n"
    "Referrals come from weak ties. A customer referral is worth more than an ad.\n"
    "See [[Community]] and [[Weak ties]].\n",
    "Ideas/Customer value.md": "---\ntags: [networking]\n---\n"
    "Customer value grows when a customer refers a friend: referral, referral, customer.\n"
    "Also [[Community]] and [[Weak ties]].\n",
    "Ideas/Community.md": "Community over audience. [[Weak ties]] matter.\n",
    "Ideas/Weak ties.md": "Weak ties bring news. Granovetter studied them.\n",
    "Notes/Gardening.md": "Tomatoes need sun and water; compost helps. [[Compost]]\n",
    "Notes/Compost.md": "Compost: kitchen scraps, leaves, patience.\n",
    "Meetings/Jane lunch.md": "Lunch with [[Jane Doe]] about weak ties.\n",
    "Meetings/Jane call.md": "Call with [[Jane Doe]] about gardening.\n",
    "People/Jane Doe.md": "Jane works on community.\n",
    "Templates/Idea.md": "---\ntags: [networking]\n---\nReferral customer community template\n",
    ".obsidian/templates.json": '{"folder": "Templates"}',
}


def load_cases(name: str) -> list[dict[str, object]]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", load_cases("tokens.json"), ids=lambda c: str(c["text"])[:30])
def test_tokens(case: dict[str, object]) -> None:
    assert list(tokens(str(case["text"]))) == case["tokens"]


def said(item: Related) -> list[str]:
    """`item`'s reasons in words, each note named by its vault path."""
    return [reason.render(lambda path: f"[[{path}]]") for reason in item.reasons]


def engine_for(root: Path, index_path: Path) -> Engine:
    with open_index(root, index_path) as index:
        index.scan()
        return Engine(corpus_from_store(index.view))


@pytest.fixture
def engine(make_vault: MakeVault, tmp_path: Path) -> Engine:
    return engine_for(make_vault(VAULT), tmp_path / "related.sqlite")


def test_related_ranks_shared_links_tags_and_words_first(engine: Engine) -> None:
    found = engine.related("Ideas/Referrals.md", 5)
    assert [r.path for r in found][:1] == ["Ideas/Customer value.md"]
    first = found[0]
    assert not first.linked
    both = Reason(("both link to ", " and ", ""), ("Ideas/Community.md", "Ideas/Weak ties.md"))
    assert both in first.reasons
    assert "both link to [[Ideas/Community.md]] and [[Ideas/Weak ties.md]]" in said(first)
    assert Reason(("shared tag #networking",)) in first.reasons
    assert any(r.startswith("similar wording: ") and "referral" in r for r in said(first))
    assert "Ideas/Referrals.md" not in [r.path for r in found]
    linked = {r.path: r.linked for r in found}
    assert linked.get("Ideas/Community.md") is True


def test_templates_and_unrelated_notes_stay_out(engine: Engine) -> None:
    paths = [r.path for r in engine.related("Ideas/Referrals.md", 20)]
    assert "Templates/Idea.md" not in paths
    assert "Notes/Compost.md" not in paths


def test_shared_people_and_mentions_have_reasons(engine: Engine) -> None:
    found = {r.path: r for r in engine.related("Meetings/Jane lunch.md", 10)}
    assert "both mention [[People/Jane Doe.md]]" in said(found["Meetings/Jane call.md"])
    mentions = "this note mentions [[Ideas/Weak ties.md]] without a link"
    assert mentions in said(found["Ideas/Weak ties.md"])


def test_an_index_note_points_at_the_one_note_of_its_folder_it_misses() -> None:
    plugins = [NoteData(f"Plugins/P{i}.md", f"P{i}") for i in range(4)]
    index = NoteData("Plugins.md", "Plugins", links=frozenset(p.path for p in plugins[:3]))
    engine = Engine(Corpus([*plugins, index, NoteData("Other/Q.md", "Q")]))
    (first,) = engine.related("Plugins.md", 1, suggestions=True)
    assert first.path == "Plugins/P3.md"
    assert first.reasons == (Reason(("in Plugins/, where this note links often",)),)


def test_an_unlinked_line_finds_the_note_it_describes(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """The loose signal: an index note's line that links nothing reads like the note it is
    about, whatever the index note's other lines say."""
    plugins = {
        "Alpha": "Render statblocks for tabletop games in notes.",
        "Beta": "Sync notes with a calendar and agenda of meetings.",
        "Gamma": "Chat with language models about your vault, summarize pages.",
        "Delta": "Draw diagrams and sketches with a pen inside notes.",
        "Epsilon": "Export notes as slides for a presentation or talk.",
        "Zeta": "Track habits, streaks and daily goals with checkboxes.",
        "Eta": "Fetch book covers, authors and ratings from libraries.",
        "Theta": "Translate paragraphs between languages inline, offline dictionaries.",
        "Iota": "Encrypt secrets with passwords, lock sensitive folders.",
        "Kappa": "Spaced repetition flashcards, review decks, memory.",
    }
    vault = {f"Plugins/{name}.md": f"# {name}\n\n{text}\n" for name, text in plugins.items()}
    lines = [f"- [[{n}]]: {t}" for n, t in plugins.items() if n != "Gamma"]
    lines.insert(2, "- : " + plugins["Gamma"])
    vault["Plugin list.md"] = "# Plugins\n\n" + "\n".join(lines) + "\n"
    vault["Misc/Errands.md"] = "Buy paper for notes; call about the vault door.\n"
    vault["Misc/Talks.md"] = "Pages of a talk about your favourite books.\n"
    engine = engine_for(make_vault(vault), tmp_path / "loose.sqlite")
    loose = engine.signal_scores("Plugin list.md")["loose"]
    assert max(loose, key=loose.__getitem__) == "Plugins/Gamma.md"
    # Only the unlinked lines' words make the loose vector, not the linked lines'.
    corpus = engine.corpus
    words = {corpus.terms[t] for t in corpus.loose.row(corpus.row_of["Plugin list.md"])[0]}
    assert words <= set(tokens("Plugins " + plugins["Gamma"]))
    first, *others = engine.related("Plugin list.md", 10, suggestions=True)
    assert first.path == "Plugins/Gamma.md"
    assert any(r.startswith("unlinked lines share wording: ") for r in said(first))
    # The weak loose matches (everyday words such as "notes") give no such reason.
    weak = [r for r in others if engine.share("loose", "Plugin list.md", r.path) < 0.5]
    assert weak
    assert not any(x.startswith("unlinked lines") for r in weak for x in said(r))


def test_suggestions_leave_out_linked_notes(engine: Engine) -> None:
    found = engine.related("Ideas/Referrals.md", 10, suggestions=True)
    assert found
    assert all(not r.linked for r in found)


def test_ties_break_by_path() -> None:
    notes = [NoteData(f"N{i}.md", f"N{i}", links=frozenset({"Hub.md"})) for i in (3, 1, 2)]
    corpus = Corpus(
        [*notes, NoteData("Hub.md", "Hub"), NoteData("A.md", "A", links=frozenset({"Hub.md"}))]
    )
    assert [r.path for r in Engine(corpus).related("A.md", 3)] == ["Hub.md", "N1.md", "N2.md"]


def test_edits_converge_to_the_cold_result(engine: Engine) -> None:
    """A corpus changed note by note (any order, with removals) and fitted again ranks exactly
    like a cold one."""
    cold = engine.corpus
    notes = [cold.note(p) for p in cold.live_paths()]
    random.Random(7).shuffle(notes)
    warm = Corpus(notes[:3])
    for note in notes[3:]:
        warm.put(NoteData(note.path, "draft", terms=(("zzz", 4),), links=frozenset({"X.md"})))
    warm.remove(notes[4].path)
    for note in notes[3:]:
        warm.put(note)
    warm.fit()
    again = Engine(warm)
    for path in sorted(cold.live_paths()):
        assert warm.note(path) == cold.note(path)
        assert again.related(path, 10) == engine.related(path, 10)
        assert again.ranking(path) == engine.ranking(path)


def random_notes(size: int, seed: int = 3) -> list[NoteData]:
    """`size` notes with random words, tags, names and links in a few folders (ties included)."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(60)]
    paths = [f"F{i % 4}/N{i}.md" for i in range(size)]
    return [
        NoteData(
            path,
            path,
            frozenset(rng.sample(["a", "b", "c", "d", "e"], 2)),
            tuple(sorted((w, rng.randint(1, 3)) for w in rng.sample(words, 8))),
            frozenset(rng.sample(paths, 3)) - {path},
            person=i % 10 == 0,
            names=((rng.choice(words),),),
            anchored=tuple(sorted((w, 1) for w in rng.sample(words, 2))),
        )
        for i, path in enumerate(paths)
    ]


def random_corpus(size: int, seed: int = 3) -> Corpus:
    return Corpus(random_notes(size, seed))


def test_rankings_are_each_notes_own_ranking() -> None:
    """Every idea note's list is its own ranking's best suggestions, and the pairs are the
    strongest unlinked pairs of idea notes (a note in at most 3), both directions considered."""
    corpus = random_corpus(120)
    ideas = [p for p in corpus.live_paths() if not corpus.is_person(p)]
    found = rank(corpus, ideas, DEFAULTS, 7, 10, lists=True).batch(corpus)
    engine = Engine(corpus)
    for path in ideas:
        assert found.suggestions.get(path, []) == engine.related(path, 7, suggestions=True)
    assert len(found.pairs) == 10
    assert pair_list(found.pairs) == expected_pairs(corpus, ideas, engine, 10)


def expected_pairs(
    corpus: Corpus, ideas: list[str], engine: Engine, want: int
) -> list[tuple[tuple[str, str], float]]:
    """The Suggested links page's pairs by scoring every pair: each unlinked pair of idea notes
    at its better direction's score, best first (ties by path), a note in at most 3."""
    best: dict[tuple[str, str], float] = {}
    for path in ideas:
        for other, score in engine.ranking(path, suggestions=True):
            if other in ideas and not corpus.links_to(other, path):
                key = (min(path, other), max(path, other))
                best[key] = max(best.get(key, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    offered: dict[str, int] = {}
    expected = []
    for (a, b), score in ranked:
        if offered.get(a, 0) < 3 and offered.get(b, 0) < 3 and len(expected) < want:
            offered[a], offered[b] = offered.get(a, 0) + 1, offered.get(b, 0) + 1
            expected.append(((a, b), round(score, 4)))
    return expected


def pair_list(pairs: Iterable[Pair]) -> list[tuple[tuple[str, str], float]]:
    return [((min(p.first, p.second), max(p.first, p.second)), p.score) for p in pairs]


def test_rankings_on_worker_processes_equal_those_of_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forked workers rank their blocks of notes (lists, pairs, learning trials); merged, the
    result is the one process's, float for float."""
    import vaultnet.related.spread

    corpus = random_corpus(300)
    ideas = [p for p in corpus.live_paths() if not corpus.is_person(p)]
    serial = rank(corpus, ideas, DEFAULTS, 10, 20, lists=True).batch(corpus)
    monkeypatch.setattr(vaultnet.related.spread, "PARALLEL_FROM", 1)
    monkeypatch.setattr(vaultnet.related.pairs, "BLOCK", 16)
    parallel = rank(corpus, ideas, DEFAULTS, 10, 20, lists=True).batch(corpus)
    assert serial.suggestions and serial.pairs
    assert parallel == serial and repr(parallel) == repr(serial)  # floats to the last bit


def test_rankings_in_blocks_of_a_few_rows_equal_those_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lists, pairs and the pairs' reasons (each source's best wording, `_bests`) are the same
    ranked three rows at a time, float for float."""
    import vaultnet.related.rankings

    corpus = random_corpus(300)
    ideas = [p for p in corpus.live_paths() if not corpus.is_person(p)]
    whole = rank(corpus, ideas, DEFAULTS, 10, 20, lists=True)
    monkeypatch.setattr(vaultnet.related.rankings, "BLOCK_CELLS", 3 * len(corpus.paths))
    blocks = rank(corpus, ideas, DEFAULTS, 10, 20, lists=True)
    assert len(whole.bests) > 3 and all(best.loose > 0.0 for best in whole.bests.values())
    assert blocks.bests == whole.bests
    assert blocks.batch(corpus) == whole.batch(corpus)
    assert repr(blocks.batch(corpus)) == repr(whole.batch(corpus))


def test_a_ranking_stops_when_newer_edits_make_it_stale() -> None:
    corpus = random_corpus(300)
    ideas = corpus.live_paths()
    asked: list[int] = []

    def stale() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Superseded):
        rank(corpus, ideas, DEFAULTS, 10, 50, lists=True, stale=stale)
    assert len(asked) == 3


def test_suggestions_for_a_few_notes_equal_the_rankings() -> None:
    corpus = random_corpus(120)
    ideas = corpus.live_paths()
    batch = rank(corpus, ideas, DEFAULTS, 7, 10, lists=True).batch(corpus)
    few = ideas[5:9]
    assert suggestions(corpus, few, DEFAULTS, 7) == {p: batch.suggestions[p] for p in few}


def named_corpus(size: int, seed: int = 5) -> Corpus:
    """`size` notes whose names (title and aliases) and words come from one small vocabulary,
    so notes mention each other's names, in part and in full."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(25)]
    return Corpus(
        NoteData(
            f"N{i}.md",
            f"N{i}",
            terms=tuple(sorted((w, rng.randint(1, 3)) for w in rng.sample(words, 6))),
            names=tuple(
                dict.fromkeys(tuple(rng.sample(words, rng.randint(1, 3))) for _ in range(2))
            ),
        )
        for i in range(size)
    )


def pairwise_mentions(corpus: Corpus, path: str) -> dict[str, float]:
    """Mention scores of `path` by the definition: each other note checked both ways (a name of
    the other note whose every term the text holds: the best such name's score)."""

    def mention(a: str, b: str) -> float:
        terms = {corpus.terms[t] for t in corpus.counts.row(corpus.row_of[a])[0]}
        names = corpus.names
        return max(
            (
                names.score[i]
                for i in names.of_row.get(corpus.row_of[b], ())
                if {corpus.terms[t] for t in names.terms[i]} <= terms
            ),
            default=0.0,
        )

    found = {}
    for other in corpus.live_paths():
        forward, backward = mention(path, other), mention(other, path)
        if other != path and (forward > 0.0 or backward > 0.0):
            found[other] = forward + backward
    return found


def test_mentions_equal_the_pairwise_definition_after_edits() -> None:
    """Each note's mention scores are those of checking every other note both ways (the names
    filed by their rarest word only narrow the candidates), also after edits that change names."""
    corpus = named_corpus(60)
    for step in range(3):
        if step:
            for i in range(step, 60, 7):
                old = corpus.note(f"N{i}.md")
                corpus.put(NoteData(old.path, old.title, terms=old.terms, names=(("w24", "w3"),)))
            corpus.remove("N5.md")
        engine = Engine(corpus, Calibration.of({"mentions": 1.0}))
        for path in corpus.live_paths():
            found = engine.signal_scores(path)["mentions"]
            assert found == pairwise_mentions(corpus, path), (step, path)
            assert found, path  # the vocabulary is small: every note has some


def test_config_is_validated() -> None:
    assert related_config({}) == RelatedConfig()
    assert related_config({"tags": ["#Idea"], "folders": "Notes/"}).ideas == IdeaRule(
        ("Notes",), ("idea",)
    )
    for bad in ({"mode": "all"}, {"k": 0}, {"tags": [1]}, {"colour": "red"}):
        with pytest.raises(ConfigError, match=r"\[related\]"):
            related_config(bad)


def generate(root: Path, index_path: Path) -> list[tuple[str, str, str | None]]:
    import datetime as dt

    with open_index(root, index_path) as index:
        index.scan()
        context = context_of(index, dt.date(2026, 11, 26))
        return [(p.path, p.body, p.subject) for p in RelatedGenerator().generate(context)]


def test_generator_writes_suggested_links_and_idea_pages(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    root = make_vault(VAULT)
    pages = generate(root, tmp_path / "g.sqlite")
    assert pages == generate(root, tmp_path / "g2.sqlite")  # a cold index: the same bytes
    by_path = {path: (body, subject) for path, body, subject in pages}
    body, subject = by_path["Vaultnet/Suggested links.md"]
    assert subject is None
    assert (
        "- [[Customer value]] and [[Referrals]]" in body
        or "- [[Referrals]] and [[Customer value]]" in body
    )
    assert "\\#networking" in body  # shown, but not a tag of the page
    page, subject = by_path["Vaultnet/Related/Referrals (related).md"]
    assert subject == "Ideas/Referrals.md"
    assert page.startswith("# Related to [[Referrals]]\n")
    assert "[[Customer value]]" in page
    assert all(p.startswith(("Vaultnet/Related/", "Vaultnet/Suggested")) for p in by_path)
    assert "Vaultnet/Related/Gardening (related).md" in by_path  # every idea note by default
    assert not any("Jane Doe" in p for p in by_path)  # a person is not an idea note


def test_folders_and_tags_narrow_the_idea_notes(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({**VAULT, ".vaultnet.toml": '[related]\nfolders = ["Ideas"]\n'})
    subjects = {subject for _, _, subject in generate(root, tmp_path / "n.sqlite")}
    assert subjects - {None} == {
        "Ideas/Referrals.md",
        "Ideas/Customer value.md",
        "Ideas/Community.md",
        "Ideas/Weak ties.md",
    }


def example_ideas(paths: list[str]) -> set[str]:
    """The example vault's idea notes, by hand: not daily, dated meeting, person, template,
    archived (excluded) notes."""
    not_ideas = ("Daily/", "People/", "Templates/", "Archive/", "Vaultnet/")
    return {
        p
        for p in paths
        if not p.startswith(not_ideas)
        and p != "Notes/Grace Kim.md"  # tagged person
        and not (p.startswith("Meetings/") and p[9:10].isdigit())  # dated, mentions people
    }


def test_example_vault_pages_are_about_idea_notes_only(tmp_path: Path) -> None:
    root = copy_example_vault(tmp_path / "vault")
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    ideas = example_ideas(paths)
    pages = {path: (body, subject) for path, body, subject in generate(root, tmp_path / "e.db")}
    subjects = {subject for _, subject in pages.values() if subject is not None}
    assert subjects and subjects <= ideas
    assert "Vaultnet/Related/2026-11-20 (related).md" not in pages  # a daily note tagged #idea
    by_name = {p.rsplit("/", 1)[-1].removesuffix(".md"): p for p in paths}
    pairs = [line.split(": ")[0] for line in pages["Vaultnet/Suggested links.md"][0].splitlines()]
    pairs = [line.removeprefix("- ") for line in pairs if line.startswith("- [[")]
    assert pairs
    for pair in pairs:
        first, second = (name.strip("[]") for name in pair.split("]] and [["))
        assert {by_name[first], by_name[second]} <= ideas, pair
    for body, _ in pages.values():
        assert "Archive/" not in body and "[[Networking goals 2024]]" not in body  # excluded


def test_generator_modes(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({**VAULT, ".vaultnet.toml": '[related]\nmode = "off"\n'})
    assert [p for p, _, _ in generate(root, tmp_path / "off.sqlite")] == [
        "Vaultnet/Suggested links.md"
    ]


def run_generate(root: Path, index_path: Path, **kwargs: object) -> GenerateReport:
    with open_index(root, index_path) as index:
        index.scan()
        return generate_pages(
            index,
            load_settings(index),
            [RelatedGenerator()],
            dt.date(2026, 11, 26),
            block_quiet=kwargs.get("block_quiet", 0.0),  # type: ignore[arg-type]
        )


def test_block_mode_touches_only_the_block(make_vault: MakeVault, tmp_path: Path) -> None:
    """Every byte of the note outside the block stays, CRLF notes included; a second run
    rewrites nothing; an edited block is refused and kept; `pages` mode takes blocks away."""
    vault = {
        **VAULT,
        "Ideas/Referrals.md": VAULT["Ideas/Referrals.md"].replace("\n", "\r\n") + "no newline",
        ".vaultnet.toml": '[related]\nmode = "block"\npairs = 0\n',
    }
    root = make_vault(vault)
    before = {p: (root / p).read_bytes() for p in ("Ideas/Referrals.md", "Ideas/Customer value.md")}
    report = run_generate(root, tmp_path / "b.sqlite")
    assert "Ideas/Referrals.md" in report.paths("written")
    assert not (root / "Vaultnet/Related").exists()
    for path, original in before.items():
        data = (root / path).read_bytes()
        assert data.startswith(original)
        block = data[len(original) :].decode()
        newline = "\r\n" if b"\r\n" in original else "\n"
        assert block.startswith(newline + "<!-- vaultnet:related:begin hash=")
        assert block.endswith("<!-- vaultnet:related:end -->" + newline)
        assert ("## Related notes" in block and "[[Customer value]]" in block) or path != before
    assert "[[Customer value]]" in (root / "Ideas/Referrals.md").read_text()
    again = run_generate(root, tmp_path / "b.sqlite")
    assert not again.paths("written") and "Ideas/Referrals.md" in again.paths("unchanged")
    note = root / "Ideas/Customer value.md"
    edited = note.read_bytes().replace(b"## Related notes", b"## My notes")
    note.write_bytes(edited)
    report = run_generate(root, tmp_path / "b.sqlite")
    refused = {o["path"]: o["reason"] for o in report.to_json()["refused"]}
    assert "edited" in refused["Ideas/Customer value.md"]
    assert note.read_bytes() == edited
    (root / ".vaultnet.toml").write_text('[related]\nmode = "pages"\npairs = 0\n')
    report = run_generate(root, tmp_path / "b.sqlite")
    assert "Ideas/Referrals.md" in report.paths("removed")
    assert (root / "Ideas/Referrals.md").read_bytes() == before["Ideas/Referrals.md"]


def test_block_mode_leaves_a_note_being_edited(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({**VAULT, ".vaultnet.toml": '[related]\nmode = "block"\n'})
    original = (root / "Ideas/Referrals.md").read_bytes()
    report = run_generate(root, tmp_path / "q.sqlite", block_quiet=3600.0)
    refused = {o["path"]: o["reason"] for o in report.to_json()["refused"]}
    assert "last few seconds" in refused["Ideas/Referrals.md"]
    assert (root / "Ideas/Referrals.md").read_bytes() == original


def test_reasons_follow_markdown_link_settings(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault(
        {**VAULT, ".obsidian/app.json": '{"useMarkdownLinks": true, "newLinkFormat": "relative"}'}
    )
    by_path = {path: body for path, body, _ in generate(root, tmp_path / "md.sqlite")}
    page = by_path["Vaultnet/Related/Referrals (related).md"]
    assert "[[" not in page and "[[" not in by_path["Vaultnet/Suggested links.md"]
    assert "both link to [Community](../../Ideas/Community.md)" in page
    assert "[Customer value](../../Ideas/Customer%20value.md)" in page


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module("related_quality")


def test_hide_links_removes_every_link_to_the_target() -> None:
    from vaultnet.related.hiding import hide_links
    from vaultnet.vault.resolve import Resolver

    resolver = Resolver(["A.md", "Sub/B.md", "C.md"])
    text = "See [[B]], [[Sub/B#Part|the b note]], ![[B]] and [b](Sub/B.md); keep [[C]].\n"
    hidden, removed = hide_links(text, "A.md", "Sub/B.md", resolver.resolve)
    assert hidden == "See , ,  and ; keep [[C]].\n"
    assert len(removed) == 4


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        # Obsidian writes a link to `Meeting (2024).md` with its parentheses as they are
        ("See [m](Meeting%20(2024).md) now", "See  now"),
        ('See [m](<Meeting (2024).md> "title") now', "See  now"),
        ("See ![m](Meeting%20(2024).md)", "See "),
        ("Keep [w](https://example.org/Meeting_(2024)) and [p](Plans.md)", None),
        ("See [m](Meeting\\%20\\(2024\\).md) now", "See  now"),  # escaped, as the parser reads it
    ],
)
def test_hide_links_reads_parentheses_in_a_destination(text: str, hidden: str | None) -> None:
    from vaultnet.related.hiding import hide_links
    from vaultnet.vault.resolve import Resolver

    resolver = Resolver(["A.md", "Meeting (2024).md", "Plans.md"])
    found, removed = hide_links(text, "A.md", "Meeting (2024).md", resolver.resolve)
    assert found == (text if hidden is None else hidden)
    assert len(removed) == (hidden is not None)


def test_evaluation_protocol_on_a_tiny_vault(quality: ModuleType, make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    report = quality.evaluate(root)
    # Referrals and Customer value each link to 2 notes: only notes with >= 3 links are asked.
    assert report.trials == 0
    root = make_vault(
        {
            **VAULT,
            "Ideas/Hub idea.md": "[[Community]] [[Weak ties]] [[Referrals]] customer referral\n",
        }
    )
    report = quality.evaluate(root)
    assert report.trials == 3
    assert set(report.scores) >= {"links-only", "text-only", "tags-only", "hybrid"}
    assert report.scores["hybrid"].recall == 1.0
    exact = quality.evaluate(root, reparse=True)
    assert {k: v.hits for k, v in exact.scores.items()} == {
        k: v.hits for k, v in report.scores.items()
    }
    halves = ("hybrid half 1", "hybrid half 2")  # each holds its half's trials
    assert all(len(s.found) == report.trials for k, s in report.scores.items() if k not in halves)
    assert all(sum(s.found) == s.hits for s in report.scores.values())
    assert "(found by text alone " in quality.gains(report)
    # the learner once per seed of its trial draw, measured on the same trials
    drawn = quality.evaluate(root, seeds=("", "x"))
    assert list(drawn.draws) == ["", "x"]
    for held_out, learned_on_all in drawn.draws.values():
        assert held_out.trials == learned_on_all.trials == drawn.trials
    first_held, first_all = drawn.draws[""]
    assert first_held.found == drawn.scores["hybrid"].found
    assert first_all.found == drawn.scores["hybrid learned on all"].found
    assert "over 2 draws of the learner's trials: held out mean 1.000" in quality.gains(drawn)
    assert "draws of the learner" not in quality.gains(report)


@pytest.mark.parametrize(
    ("wins", "losses", "p"),
    [
        (0, 0, 1.0),
        (5, 5, 1.0),
        (0, 10, 2 / 1024),
        (10, 0, 2 / 1024),
        (1, 9, 22 / 1024),
        (13, 15, 0.8506),  # obsidian-help/da, stop 33: text 0.463 vs plain 0.467
        (500, 560, 0.06991),  # more than 1,024 trials apart: no float overflow
        (600, 600, 1.0),
    ],
)
def test_sign_test_on_the_trials_two_rankers_disagree_on(
    quality: ModuleType, wins: int, losses: int, p: float
) -> None:
    assert quality.sign_test(wins, losses) == pytest.approx(p, abs=1e-4)


def test_sign_test_of_a_lopsided_split(quality: ModuleType) -> None:
    # obsidian-hub, text alone against the plain baseline: the URL words (scipy's binomtest)
    assert quality.sign_test(13, 68) == pytest.approx(3.8083949e-10, rel=1e-6)


def test_discordant_counts_the_trials_only_one_ranker_found(quality: ModuleType) -> None:
    first = [True, True, False, False, True]
    second = [True, False, True, False, False]
    assert quality.discordant(first, second) == (2, 1)
    assert quality.discordant(second, first) == (1, 2)


def code_note(path: str, prose: dict[str, int], code: dict[str, int]) -> NoteData:
    terms = dict(prose)
    for term, n in code.items():
        terms[term] = terms.get(term, 0) + n
    return NoteData(
        path, path, terms=tuple(sorted(terms.items())), code=tuple(sorted(code.items()))
    )


def test_code_words_count_for_text_at_half_weight() -> None:
    boilerplate = [code_note(f"Ex/E{i}.md", {"example": 1}, {"client": 3}) for i in range(60)]
    notes = [
        # the asking note's topic is in its code: `frobnicate_widget(client)`
        code_note("A.md", {"client": 1, "retry": 1}, {"frobnicate": 2, "widget": 2}),
        code_note("B.md", {"frobnicate": 1, "widget": 1}, {}),  # explains it in prose
        code_note("C.md", {"client": 1, "retry": 1}, {}),  # shares A's prose words
        code_note("D.md", {"unrelated": 1, "words": 1}, {}),
        *boilerplate,
    ]
    corpus = Corpus(notes)
    scores = Engine(corpus, Calibration.of({"text": 1.0})).signal_scores("A.md")["text"]
    assert "B.md" in scores and "C.md" in scores and "D.md" not in scores  # code words count
    weights = dict(zip(*corpus.x.row(corpus.row_of["A.md"]), strict=True))
    weight = {corpus.terms[t]: w for t, w in weights.items()}
    # twice in code weighs less than once in prose (1 + ln 2 = 1.69 at full weight; 0.85 at
    # half), both words in two notes
    assert weight["frobnicate"] < weight["retry"]


def test_a_title_weighs_more_than_the_same_words_in_the_text(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """Two notes of the same words, one with them in its title: a note about those words finds
    that one first (`TITLE_COUNT`; by path, the other would come first)."""
    files = {
        "Flour and water.md": "Notes on sourdough starter.\n",
        "Sourdough starter.md": "Notes on flour and water.\n",
        "Baking day.md": "Feed the sourdough starter before noon.\n",
        **{f"Other {i}.md": f"Unrelated words, topic {i}.\n" for i in range(8)},
    }
    root = make_vault(files)
    with open_index(root, tmp_path / "i.sqlite") as index:
        index.scan()
        corpus = corpus_from_store(index.view)
    text = Engine(corpus, Calibration.of({"text": 1.0})).signal_scores("Baking day.md")["text"]
    assert text["Sourdough starter.md"] > text["Flour and water.md"] > 0.0


@given(
    st.lists(st.sampled_from("abcdefgh"), unique=True), st.sampled_from("abcdefghz"), st.booleans()
)
def test_a_title_term_is_found_among_the_notes_terms_sorted_or_not(
    terms: list[str], term: str, ordered: bool
) -> None:
    terms = sorted(terms) if ordered else terms
    assert _position(terms, term) == (terms.index(term) if term in terms else None)
