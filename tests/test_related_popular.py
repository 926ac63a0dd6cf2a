"""The popular signal (`vaultnet.related.graph.popular`): how many notes link to each note the
link graph reaches from a note, counted at the fit, a person never; a note asked about with a
link hidden does not count that link; the pair search bounds it exactly; and the learner can
start from it when it does best alone."""

from __future__ import annotations

import numpy as np
import pytest
from test_related import expected_pairs, pair_list, random_corpus
from test_related_learn import column

from vaultnet.related import bounds
from vaultnet.related.calibration import DEFAULT_WEIGHTS, SIGNALS, Calibration
from vaultnet.related.corpus import Corpus, NoteData
from vaultnet.related.hybrid import Engine
from vaultnet.related.learn import Trial, fit
from vaultnet.related.rankings import rank
from vaultnet.related.signals import block_of_notes, block_of_rows, raw_columns, raw_scores


def note(path: str, *links: str, person: bool = False) -> NoteData:
    return NoteData(path, path, links=frozenset(links), person=person)


def small_vault() -> Corpus:
    """`Hub` linked from four notes, the person `Ann` from five; `A` and `B` link `Topic`, which
    links `Hub`; `Far` is linked from three notes but shares no neighbour with `A`."""
    return Corpus(
        [
            note("A.md", "Topic.md", "Ann.md"),
            note("B.md", "Hub.md", "Ann.md", "Topic.md"),
            note("C.md", "Hub.md", "Ann.md"),
            note("D.md", "Hub.md", "Ann.md", "Far.md"),
            note("E.md", "Ann.md", "Far.md"),
            note("Topic.md", "Hub.md"),
            note("Ann.md", person=True),
            note("Hub.md"),
            note("Far.md"),
            note("X.md", "Far.md"),
        ]
    )


def popular_of(corpus: Corpus, path: str) -> dict[str, float]:
    raw = raw_scores(corpus, block_of_rows(corpus, [corpus.row_of[path]]), ["popular"])
    found = raw["popular"].tocoo()
    return {
        corpus.paths[c]: v for c, v in zip(found.col.tolist(), found.data.tolist(), strict=True)
    }


def test_a_note_linked_from_many_scores_its_count_where_the_graph_reaches_it() -> None:
    corpus = small_vault()
    assert corpus.stats is not None
    linked = {p: corpus.stats.linked_from(corpus.row_of[p]) for p in ("Hub.md", "Far.md")}
    assert linked == {"Hub.md": 4, "Far.md": 3}
    assert corpus.stats.linked_from(corpus.row_of["Ann.md"]) == 0  # a person: never popular
    found = popular_of(corpus, "A.md")
    assert found["Hub.md"] == 4.0  # reached through Topic
    assert "Far.md" not in found  # linked from three, but nowhere near A
    assert "Ann.md" not in found  # reached (A links Ann), but a person
    assert "A.md" not in found  # never itself


def test_a_hidden_link_is_not_counted() -> None:
    """The learner's trials hide a link: the target's count is what it would be without it."""
    corpus = small_vault()
    hidden = NoteData("B.md", "B.md", links=frozenset({"Ann.md", "Topic.md"}))
    block = block_of_notes(corpus, [hidden])
    found = raw_scores(corpus, block, ["popular"])["popular"]
    hub = corpus.row_of["Hub.md"]
    assert found[0, hub] == 3.0  # C, D and Topic link Hub: B's own link is hidden
    assert popular_of(corpus, "B.md").get("Hub.md") == 4.0  # B as it is: B links Hub


def test_columns_are_the_rows_read_the_other_way() -> None:
    corpus = random_corpus(80)
    rows = np.arange(0, 80, 7)
    columns = raw_columns(corpus, rows, ["popular"])["popular"].toarray()
    for a in range(len(corpus.paths)):
        row = raw_scores(corpus, block_of_rows(corpus, [a]), ["popular"])["popular"].toarray()
        assert np.array_equal(columns[:, a], row[0, rows])


@pytest.mark.parametrize("heavy_from", [200, 2])
def test_the_pair_search_finds_the_pairs_a_full_ranking_finds(
    monkeypatch: pytest.MonkeyPatch, heavy_from: int
) -> None:
    """With popular weighing most, and (2) every hub light: its bound is the most linked idea
    note beside a light hub, and no pair above the threshold is lost."""
    monkeypatch.setattr(bounds, "HEAVY_FROM", heavy_from)
    corpus = random_corpus(150, seed=5)
    ideas = [p for p in corpus.live_paths() if not corpus.is_person(p)]
    weights = {"links": 1.0, "text": 0.5, "popular": 8.0, "folders": 0.5}
    calibration = Calibration(weights=weights)
    found = rank(corpus, ideas, calibration, 5, 12, lists=True).batch(corpus)
    engine = Engine(corpus, calibration)
    assert pair_list(found.pairs) == expected_pairs(corpus, ideas, engine, 12)


def trials_won_by(matrix: np.ndarray, count: int = 60) -> list[Trial]:
    """`count` trials of these candidates' scores, the last one the target."""
    return [Trial(matrix.copy(), len(matrix) - 1) for _ in range(count)]


def candidates(**target: float) -> np.ndarray:
    """Ten distractors scoring 100 on every signal, and the target scoring `target`."""
    matrix = np.full((11, len(SIGNALS)), 100.0)
    matrix[10] = 0.0
    for name, value in target.items():
        matrix[10, column(name)] = value
    return matrix


def test_the_learner_starts_from_the_signal_that_does_best_alone() -> None:
    """Two kinds of trials, the distractors beating the target on every other signal (links
    included): in 35, the target is more popular and ties on mentions; in 25, it ties on popular
    (and, last by path, loses the tie) and has more mentions. Popular alone finds the 35; from
    it, a little mentions finds all 60. From the defaults (links fixed at 1) the other signals
    outvote the target however high popular and mentions go."""
    popular = candidates(popular=100.0, mentions=100.0)
    popular[:10, column("popular")] = 50.0
    mentions = candidates(popular=100.0, mentions=100.0)
    mentions[:10, column("mentions")] = 50.0
    trials = trials_won_by(popular, 35) + trials_won_by(mentions, 25)
    weights = fit(trials, dict.fromkeys(SIGNALS, 0.5))
    assert {name: w for name, w in weights.items() if w} == {"popular": 1.0, "mentions": 0.1}


@pytest.mark.parametrize("signal", ["folders", "tags", "popular"])
def test_weights_of_one_signal_other_than_links_are_never_kept(signal: str) -> None:
    """Trials won by links alone and, more of them, by `signal` alone, where the distractors
    are nearly as strong: `signal` alone would find more hidden links, but it ties whole
    folders (tags, equally linked notes). The second ascent then starts from links alone."""
    by_signal = candidates(**{signal: 100.0})
    by_signal[:10, column(signal)] = 50.0
    by_links = candidates(links=100.0)
    by_links[:10, column("links")] = 0.0
    trials = trials_won_by(by_links, 25) + trials_won_by(by_signal, 35)
    weights = fit(trials, dict.fromkeys(SIGNALS, 0.5))
    assert weights["links"] == 1.0
    assert weights != {name: float(name == signal) for name in SIGNALS}
    assert weights != dict(DEFAULT_WEIGHTS)  # the start from links gained the margin


def test_the_reason_says_how_many_notes_link_to_it() -> None:
    """Shown only when no other signal gives a reason (here, popular is the only one), and only
    where the popular signal scores the note: not for a note in the same folder the link graph
    does not reach."""
    corpus = small_vault()
    related = Engine(corpus, Calibration(weights={"popular": 1.0})).related("A.md", 5)
    assert [(r.path, [reason.text for reason in r.reasons]) for r in related][:1] == [
        ("Hub.md", ["linked from 4 notes"])
    ]
    corpus = Corpus(
        [
            note("F/A.md", "F/X.md"),
            note("F/X.md"),
            note("F/B.md"),  # linked from two notes, but nowhere near A
            note("G/P.md", "F/B.md"),
            note("G/Q.md", "F/B.md"),
        ]
    )
    related = Engine(corpus).related("F/A.md", 5, suggestions=True)
    reasons = {r.path: [reason.text for reason in r.reasons] for r in related}
    assert reasons["F/B.md"] == ["in the same folder (F)"]
