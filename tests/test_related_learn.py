"""Weights learned from the vault itself (`vaultnet.related.learn`): the optimiser moves towards
the signal that finds hidden links, the same vault gives the same calibration, a vault with too
few links keeps the defaults unless the weights learned on them clearly find more, `generate`
learns and keeps it with the index, relearns only once enough changed, and `vaultnet related
--weights` says where the weights in use come from."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import context_of

from vaultnet.cli import cli
from vaultnet.index.scan import open_index
from vaultnet.related.corpus import Corpus
from vaultnet.related.hiding import Resolve
from vaultnet.related.hybrid import DEFAULT_SCALES, DEFAULT_WEIGHTS, SIGNALS, Calibration
from vaultnet.related.learn import (
    MIN_LINKS,
    MIN_TRIALS,
    SIGNIFICANCE,
    TRIALS,
    Trial,
    by_note,
    calibrated,
    fit,
    found_by,
    learn,
    sign_test,
    target_ranks,
    trial_scores,
    typical_best,
)
from vaultnet.related.load import corpus_from_store
from vaultnet.related.saved import RELEARN_MIN, SavedCorpus
from vaultnet.vault.files import read_note_text
from vaultnet.vault.resolve import Resolver

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth import generate_vault

MakeVault = Callable[[dict[str, str | bytes]], Path]
TODAY = "2026-12-03"


def column(name: str) -> int:
    return SIGNALS.index(name)


def folder_trials(count: int) -> list[Trial]:
    """Trials where the target wins only on `folders`; ten distractors win on `text`."""
    trials = []
    for _ in range(count):
        matrix = np.zeros((11, len(SIGNALS)))
        matrix[:10, column("text")] = 2.0  # distractors: strong wording
        matrix[10, column("text")] = 0.1
        matrix[10, column("folders")] = 0.5  # the target: same folder
        trials.append(Trial(matrix, 10))
    return trials


def ranks_first(trial: Trial, weights: dict[str, float], scales: dict[str, float]) -> bool:
    w = np.array([weights[s] for s in SIGNALS])
    c = np.array([scales[s] for s in SIGNALS])
    score = (trial.matrix / (trial.matrix + c)) @ w
    return bool(np.argmax(score) == trial.target and np.sum(score == score.max()) == 1)


def test_fit_moves_weight_to_the_signal_that_finds_the_hidden_links() -> None:
    scales = dict.fromkeys(SIGNALS, 0.5)
    trials = folder_trials(100)
    assert not any(ranks_first(t, dict(DEFAULT_WEIGHTS), scales) for t in trials)
    weights = fit(trials, scales)
    assert all(ranks_first(t, weights, scales) for t in trials)
    # folders gained on text, relative to the defaults
    assert (
        weights["folders"] * DEFAULT_WEIGHTS["text"] > weights["text"] * DEFAULT_WEIGHTS["folders"]
    )
    assert weights["links"] == 1.0  # the reference: only ratios matter


def test_fit_keeps_the_defaults_when_nothing_gains_enough() -> None:
    # the target already ranks first under the defaults: no step gains the margin
    trials = []
    for _ in range(100):
        matrix = np.zeros((3, len(SIGNALS)))
        matrix[2] = 0.5
        matrix[:2, column("text")] = 0.1
        trials.append(Trial(matrix, 2))
    assert fit(trials, dict.fromkeys(SIGNALS, 0.5)) == dict(DEFAULT_WEIGHTS)


def best_trial(source: str, **best: float) -> Trial:
    row = np.array([best.get(name, 0.0) for name in SIGNALS])
    return Trial(row[None, :], 0, source=source)


def test_scales_count_each_note_once_however_many_links_it_has() -> None:
    # An index note with 40 links gives 40 trials with huge link scores; five notes, one each.
    trials = [best_trial("Index.md", links=300.0, text=0.9) for _ in range(40)]
    trials += [best_trial(f"N{i}.md", links=2.0 + i, text=0.1 * i) for i in range(5)]
    scales = typical_best(trials)
    # per note: Index 300, N0..N4 2..6: the median of six notes, not of 45 trials (300)
    assert scales["links"] == 4.5
    # text: N0 scores nothing and is left out; Index 0.9, N1..N4 0.1..0.4
    assert scales["text"] == pytest.approx(0.3)
    assert "folders" not in scales  # nothing scored: the default scale stays
    # a note's own trials give its typical score: their median
    trials = [best_trial("A.md", links=v) for v in (1.0, 2.0, 9.0)] + [best_trial("B.md", links=5)]
    assert typical_best(trials)["links"] == 3.5  # median(2, 5)
    # within a note too, a trial that scores nothing is left out: A's typical people score is 4
    trials = [best_trial("A.md", people=v) for v in (0.0, 0.0, 4.0)] + [
        best_trial("B.md", people=6)
    ]
    assert typical_best(trials)["people"] == 5.0  # median(4, 6), not median(0, 6)


def test_fit_leaves_the_defaults_when_only_the_links_find_the_hidden_ones() -> None:
    # The target wins on links alone; ten distractors score on every other signal. From the
    # defaults, turning any one of those off leaves the other five outvoting the links.
    trials = [links_only_trial() for _ in range(60)]
    scales = dict.fromkeys(SIGNALS, 0.5)
    assert not any(ranks_first(t, dict(DEFAULT_WEIGHTS), scales) for t in trials)
    weights = fit(trials, scales)
    assert all(ranks_first(t, weights, scales) for t in trials)
    assert weights == {name: float(name == "links") for name in SIGNALS}


def links_only_trial() -> Trial:
    """The target wins on links alone; ten distractors score on every other signal."""
    matrix = np.full((11, len(SIGNALS)), 100.0)
    matrix[:10, column("links")] = 0.0
    matrix[10] = 0.0
    matrix[10, column("links")] = 100.0
    return Trial(matrix, 10)


def test_fit_keeps_the_defaults_when_links_alone_gain_less_than_the_margin() -> None:
    # One trial only the links find, 199 every weighting finds: links alone end higher, by
    # less than the margin.
    clear = np.zeros((2, len(SIGNALS)))
    clear[1] = 100.0
    trials = [links_only_trial()] + [Trial(clear, 1) for _ in range(199)]
    assert fit(trials, dict.fromkeys(SIGNALS, 0.5)) == dict(DEFAULT_WEIGHTS)
    # with ten such trials the gain passes the margin
    trials = [links_only_trial() for _ in range(10)] + [Trial(clear, 1) for _ in range(190)]
    assert fit(trials, dict.fromkeys(SIGNALS, 0.5)) != dict(DEFAULT_WEIGHTS)


@pytest.mark.parametrize(
    ("rows", "target", "weights", "rank"),
    [
        # each candidate's raw scores, in path order; the target's row; the weights given
        ([[1.0], [3.0], [2.0]], 2, [1.0], 2),  # one better (3.0), one worse
        ([[2.0], [2.0], [2.0]], 1, [1.0], 2),  # ties: the one first by path ranks above it
        ([[2.0], [2.0], [2.0]], 0, [1.0], 1),  # the target first by path: ties do not
        ([[2.0], [5.0], [5.0]], 2, [1.0], 2),  # the target last: a tie before it counts
        ([[4.0]], 0, [1.0], 1),  # only the target
        ([[0.0], [0.0]], 1, [1.0], 2),  # a target that scores nothing ranks by path
        ([[3.0, 0.0], [0.0, 1.0]], 1, [1.0, 2.0], 1),  # 0.75 against 0.5 x 2
        ([[3.0, 0.0], [0.0, 1.0]], 1, [1.0, 1.0], 2),  # 0.75 against 0.5
    ],
)
def test_target_ranks_under_some_weights(
    rows: list[list[float]], target: int, weights: list[float], rank: int
) -> None:
    """Scale 1 for every signal: a raw score x counts x / (x + 1). The trial sits between two
    others (the ranks are counted per trial); signals past `weights` weigh 0."""
    width = len(SIGNALS)
    matrix = np.zeros((len(rows), width))
    matrix[:, : len(rows[0])] = rows
    other = Trial(np.array([[9.0] * width, [1.0] * width]), 1)
    w = np.zeros(width)
    w[: len(weights)] = weights
    ranks, scores = target_ranks(
        [other, Trial(matrix, target), other], dict.fromkeys(SIGNALS, 1.0)
    )(w)
    assert list(ranks) == [2.0, rank, 2.0]
    assert scores[1] == pytest.approx(float((matrix[target] / (matrix[target] + 1.0)) @ w))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("learn") / "vault"
    generate_vault(root, 400)
    return root


def indexed(root: Path, index: Path) -> tuple[Corpus, Resolve]:
    """The related corpus of the vault at `root`, scanned into `index`, and its link resolver."""
    with open_index(root, index) as opened:
        opened.scan()
        return corpus_from_store(opened.view), Resolver(opened.view.file_states()).resolve


def learn_vault(root: Path, index: Path, corpus: Corpus | None = None) -> Calibration:
    found, resolve = indexed(root, index)
    return learn(corpus or found, partial(read_note_text, root), resolve)


def hidden_links(root: Path, index: Path) -> list[Trial]:
    """The learner's trials on the vault at `root`, scanned into `index`."""
    corpus, resolve = indexed(root, index)
    read = partial(read_note_text, root)
    return trial_scores(corpus, read, resolve, sorted(corpus.live_paths()), "")


def test_the_same_vault_gives_the_same_calibration(synthetic: Path, tmp_path: Path) -> None:
    first = learn_vault(synthetic, tmp_path / "a.db")
    with open_index(synthetic, tmp_path / "b.db") as opened:
        opened.scan()
        corpus = corpus_from_store(opened.view)
    before = {p: corpus.note(p) for p in corpus.live_paths()}
    second = learn_vault(synthetic, tmp_path / "b.db", corpus)
    assert first == second
    assert {p: corpus.note(p) for p in corpus.live_paths()} == before  # nothing changed
    assert first.trials == TRIALS and first.source == f"learned on {TRIALS} hidden links"
    assert first.notes == len(corpus)
    assert first.scales != dict(DEFAULT_SCALES)  # the vault's own scales


def test_each_trial_knows_its_note_and_the_scales_are_typical_per_note(synthetic: Path) -> None:
    corpus, resolve = indexed(synthetic, synthetic.parent / "trials.db")
    read = partial(read_note_text, synthetic)
    trials = trial_scores(corpus, read, resolve, sorted(corpus.live_paths()), "")
    assert len(trials) == TRIALS
    sources = {trial.source for trial in trials}
    assert sources <= set(corpus.live_paths()) and len(sources) > 1
    assert all(len(corpus.links(trial.source)) >= MIN_LINKS for trial in trials)
    assert learn(corpus, read, resolve).scales == {**DEFAULT_SCALES, **typical_best(trials)}


def test_a_vault_whose_links_teach_nothing_keeps_the_defaults(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    # each note links the next three: the defaults find every hidden link, as learned ones do
    root = make_vault({f"N{i}.md": f"[[N{i + 1}]] [[N{i + 2}]] [[N{i + 3}]]\n" for i in range(10)})
    calibration = learn_vault(root, tmp_path / "i.db")
    assert (calibration.weights, calibration.scales) == (
        Calibration().weights,
        Calibration().scales,
    )
    assert calibration.trials == 0
    assert calibration.source.startswith("defaults: those learned on ")
    assert calibration.source.endswith("better on 0 notes, worse on 0")


def test_a_vault_without_links_to_hide_keeps_the_defaults(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    calibration = learn_vault(make_vault({"A.md": "[[B]]", "B.md": "b"}), tmp_path / "i.db")
    assert calibration == Calibration(source="defaults: no hidden links to learn from", notes=2)


def test_the_sign_test_is_the_chance_of_at_least_so_many_wins() -> None:
    assert sign_test(0, 0) == 1.0
    assert sign_test(5, 0) == 1 / 32
    assert sign_test(3, 3) == 42 / 64  # (20 + 15 + 6 + 1) of the 64 ways six tosses fall
    assert sign_test(0, 4) == 1.0


def wording_trials(notes: int, each: int = 1) -> list[Trial]:
    """Trials the defaults miss, `each` of each of `notes` notes: ten distractors of strong
    wording above a target that shares the note's folder alone."""
    trials = []
    for n in range(notes * each):
        matrix = np.zeros((11, len(SIGNALS)))
        matrix[:10, column("text")] = 2.0
        matrix[10, column("folders")] = 0.5
        trials.append(Trial(matrix, 10, source=f"N{n % notes}.md"))
    return trials


@pytest.mark.parametrize(
    ("notes", "each", "kept"), [(4, 1, False), (5, 1, True), (2, 20, False), (10, 4, True)]
)
def test_weights_learned_on_few_trials_are_kept_when_better_on_clearly_more_notes(
    notes: int, each: int, kept: bool
) -> None:
    trials = wording_trials(notes, each)
    calibration = calibrated(trials, 100)
    learned = fit(trials, learn_scales := typical_best(trials))
    mine = found_by(trials, learn_scales, learned)
    theirs = found_by(trials, DEFAULT_SCALES, DEFAULT_WEIGHTS)
    assert mine.all() and not theirs.any()
    # four of four notes could be luck one time in sixteen, five of five one time in 32; forty
    # trials of two notes are two notes
    assert by_note(mine, theirs, [t.source for t in trials]) == (notes, 0)
    assert (calibration.trials > 0) is kept
    expected = Calibration(learned, learn_scales) if kept else Calibration()
    assert (calibration.weights, calibration.scales) == (expected.weights, expected.scales)
    total = notes * each
    assert calibration.source == (
        f"learned on {total} hidden links, clearly better than the defaults: {total} found in "
        f"the top 10 against 0, better on {notes} notes, worse on 0"
        if kept
        else f"defaults: those learned on {total} hidden links did not clearly beat them: "
        f"{total} found in the top 10 against 0, better on {notes} notes, worse on 0"
    )


def test_a_note_counts_for_the_ranker_that_finds_more_of_its_trials() -> None:
    mine = np.array([1, 1, 0, 1, 0, 1, 1, 0], dtype=bool)
    theirs = np.array([1, 1, 1, 0, 1, 0, 1, 0], dtype=bool)
    notes = ["A", "D", "B", "C", "B", "A", "C", "D"]
    # A: 2 against 1; B: 0 against 2; C: 2 against 1; D: 1 against 1 (a tie: neither)
    assert by_note(mine, theirs, notes) == (2, 1)
    assert by_note(theirs, mine, notes) == (1, 2)
    assert by_note(mine, mine, notes) == (0, 0)


HUB = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "obsidian-hub"


@pytest.mark.skipif(not HUB.is_dir(), reason="../shared/corpora is not beside the repo")
def test_weights_better_on_the_links_of_few_notes_are_not_kept(tmp_path: Path) -> None:
    import shutil

    # One folder of obsidian-hub (40 notes): the weights learned on its hidden links find many
    # more of them than the defaults, counted by link, but on two notes' links: two tosses.
    folder = "03 - Showcases & Templates"
    shutil.copytree(HUB / folder, tmp_path / "vault" / folder)
    trials = hidden_links(tmp_path / "vault", tmp_path / "index.db")
    assert len(trials) < MIN_TRIALS
    scales = typical_best(trials)
    mine = found_by(trials, scales, fit(trials, scales))
    theirs = found_by(trials, DEFAULT_SCALES, DEFAULT_WEIGHTS)
    by_link = (np.count_nonzero(mine & ~theirs), np.count_nonzero(theirs & ~mine))
    assert sign_test(*by_link) < 0.001
    assert sign_test(*by_note(mine, theirs, [t.source for t in trials])) >= SIGNIFICANCE
    calibration = learn_vault(tmp_path / "vault", tmp_path / "index.db")
    assert calibration.trials == 0
    assert (calibration.weights, calibration.scales) == (
        Calibration().weights,
        Calibration().scales,
    )


def test_a_small_vault_keeps_weights_better_on_clearly_more_notes(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 30, seed=2)
    calibration = learn_vault(root, tmp_path / "index.db")
    assert 0 < calibration.trials < MIN_TRIALS
    assert calibration.weights != Calibration().weights
    trials = hidden_links(root, tmp_path / "index.db")  # the same trials again
    assert len(trials) == calibration.trials
    mine = found_by(trials, calibration.scales, calibration.weights)
    theirs = found_by(trials, DEFAULT_SCALES, DEFAULT_WEIGHTS)
    better, worse = by_note(mine, theirs, [t.source for t in trials])
    assert sign_test(better, worse) < SIGNIFICANCE
    assert calibration.source == (
        f"learned on {len(trials)} hidden links, clearly better than the defaults: "
        f"{np.count_nonzero(mine)} found in the top 10 against {np.count_nonzero(theirs)}, "
        f"better on {better} notes, worse on {worse}"
    )


def run(root: Path, index: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--vault", str(root), "--index", str(index), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def weights(root: Path, index: Path) -> dict[str, object]:
    found: dict[str, object] = json.loads(run(root, index, "related", "--weights", "--json"))
    return found


def test_generate_learns_keeps_and_relearns_only_after_enough_changes(
    synthetic: Path, tmp_path: Path
) -> None:
    import shutil

    root = tmp_path / "vault"
    shutil.copytree(synthetic, root)
    index = tmp_path / "index.db"
    before = weights(root, index)
    assert before["source"] == "defaults" and str(before["summary"]).startswith("Defaults: nothing")
    said = run(root, index, "generate", "--today", TODAY)
    assert f"related notes: weights for this vault learned on {TRIALS} hidden links" in said
    learned = weights(root, index)
    assert learned["source"] == f"learned on {TRIALS} hidden links"
    assert learned["changed_since"] == 0
    assert "Learned on" in run(root, index, "related", "--weights")

    # a few edits: counted, not relearned
    notes = sorted(p for p in root.rglob("*.md") if ".obsidian" not in p.parts)
    for note in notes[:3]:
        note.write_text(note.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    assert "weights learned" not in run(root, index, "generate", "--today", TODAY)
    kept = weights(root, index)
    assert kept["changed_since"] == 3 and kept["scales"] == learned["scales"]

    # enough edits: relearned by the next generate
    for note in notes[3 : 3 + max(RELEARN_MIN, len(notes) // 10)]:
        note.write_text(note.read_text(encoding="utf-8") + "\nEdited again.\n", encoding="utf-8")
    stale = run(root, index, "related", "--weights")
    assert "learned again by the next `vaultnet generate`" in stale
    run(root, index, "generate", "--today", TODAY)
    assert weights(root, index)["changed_since"] == 0


def test_learn_false_uses_the_defaults(synthetic: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "vault"
    shutil.copytree(synthetic, root)
    (root / ".vaultnet.toml").write_text("[related]\nlearn = false\n", encoding="utf-8")
    index = tmp_path / "index.db"
    run(root, index, "generate", "--today", TODAY)
    shown = weights(root, index)
    assert shown["source"] == "defaults" and shown["weights"] == dict(DEFAULT_WEIGHTS)
    assert shown["summary"] == "Defaults: [related] learn = false."


def test_related_needs_a_note_or_weights(make_vault: MakeVault, tmp_path: Path) -> None:
    root = make_vault({"A.md": "a"})
    result = CliRunner().invoke(
        cli, ["--vault", str(root), "--index", str(tmp_path / "i"), "related"]
    )
    assert result.exit_code == 2 and "give a NOTE, or --weights" in result.output


def test_saved_corpus_counts_changes_since_learning(synthetic: Path, tmp_path: Path) -> None:
    live = SavedCorpus(enabled=False)
    assert live.stale()  # nothing learned yet
    live.learned(Calibration(notes=1000))
    live.drift = 99
    assert not live.stale()  # 10% of 1,000 is 100
    live.drift = 100
    assert live.stale()


def test_urgent_pages_never_learn_and_a_full_run_does(synthetic: Path, tmp_path: Path) -> None:
    import datetime as dt
    import shutil

    from vaultnet.related.pages import RelatedGenerator

    root = tmp_path / "vault"
    shutil.copytree(synthetic, root)
    with open_index(root, tmp_path / "index.db") as index:
        index.scan()
        context = context_of(index, dt.date(2026, 12, 3))
        generator = RelatedGenerator(saved=False)
        idea = min(p for p in index.view.paths_of_kind("note") if p.startswith("Ideas/"))
        generator.urgent_pages(context, {idea})
        assert generator.learned is None  # the watcher's urgent pages do not wait
        generator.generate(context)
        learned = generator.learned
        assert learned is not None and learned.trials == TRIALS


def test_a_learning_pass_stops_for_newer_edits_and_leaves_the_corpus_as_it_was(
    synthetic: Path, tmp_path: Path
) -> None:
    from vaultnet.errors import Superseded

    with open_index(synthetic, tmp_path / "i.db") as opened:
        opened.scan()
        corpus = corpus_from_store(opened.view)
        resolve = Resolver(opened.view.file_states()).resolve
    before = {p: corpus.note(p) for p in corpus.live_paths()}
    asked = []

    def stale() -> bool:
        asked.append(True)
        return len(asked) > 3  # newer edits arrive after a few checks

    with pytest.raises(Superseded):
        learn(corpus, partial(read_note_text, synthetic), resolve, stale=stale)
    assert len(asked) == 4 and {p: corpus.note(p) for p in corpus.live_paths()} == before
