"""The hybrid related-notes score: each signal on one vault-wide scale, then weighted.

For a note A, every signal `s` scores the candidates it can reach (`x = score_s(A, B)`). The hybrid
score is `sum_s weight_s * x / (x + scale_s)`: a score equal to the signal's `scale_s` (its typical
best match in this vault) counts half its weight, and no signal can contribute more than its
weight, whatever its natural range, nor depends on A's other candidates. Weights and scales form
a `Calibration`: the defaults, or learned from the vault itself (`vaultnet.related.learn`). Ties
are broken by path, so a ranking depends on the vault's content and the calibration alone. See
docs/related.md.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from types import MappingProxyType
from typing import Any

from vaultnet.related.corpus import Corpus
from vaultnet.related.folders import FolderSignal
from vaultnet.related.graph import GraphSignal
from vaultnet.related.mentions import MentionSignal
from vaultnet.related.reasons import Reason
from vaultnet.related.shared import PeopleSignal, TagSignal
from vaultnet.related.text import LooseSignal, TextSignal

SIGNALS = ("links", "mentions", "text", "loose", "tags", "people", "folders")
LOOSE_REASON = 0.5
"""The loose reason is shown for candidates with at least this share of the best loose score."""
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "links": 1.0,
        "mentions": 1.0,
        "text": 1.0,
        "loose": 0.5,
        "tags": 0.25,
        "people": 0.25,
        "folders": 1.0,
    }
)
DEFAULT_SCALES: Mapping[str, float] = MappingProxyType(  # about obsidian-help/en's learned ones
    {
        "links": 3.0,
        "mentions": 7.0,
        "text": 0.15,
        "loose": 0.1,
        "tags": 5.0,
        "people": 1.0,
        "folders": 0.15,
    }
)


@dataclass(frozen=True, slots=True)
class Calibration:
    """How the signals are combined: each one's weight and scale, and where they come from."""

    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    scales: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SCALES)
    source: str = "defaults"
    """`defaults`, or what they were learned on (`vaultnet related --weights` shows it)."""
    trials: int = 0
    """Hidden links the weights were learned on (0: default weights)."""
    notes: int = 0
    """Notes in the vault when it was made."""

    def __post_init__(self) -> None:
        # Frozen plain dicts in signal order: comparable, picklable, the same however made.
        object.__setattr__(self, "weights", {s: float(self.weights.get(s, 0.0)) for s in SIGNALS})
        scales = {s: float(self.scales.get(s, DEFAULT_SCALES[s])) for s in SIGNALS}
        object.__setattr__(self, "scales", scales)

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> Calibration:
        """These weights (signals not named: 0) with the default scales."""
        return cls(weights=weights, source="given")

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "trials": self.trials,
            "notes": self.notes,
            "weights": dict(self.weights),
            "scales": dict(self.scales),
        }


DEFAULTS = Calibration()


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    title: str
    score: float
    reasons: tuple[Reason, ...]
    linked: bool
    """The note already links to this one."""

    def as_json(self, link: Callable[[str], str]) -> dict[str, Any]:
        """The `vaultnet related --json` record: each reason one line, notes written by `link`."""
        return {
            "path": self.path,
            "title": self.title,
            "score": self.score,
            "reasons": [reason.render(link) for reason in self.reasons],
            "linked": self.linked,
        }


class Engine:
    """Related notes over one unchanging corpus (build a new engine after the corpus changes)."""

    def __init__(self, corpus: Corpus, calibration: Calibration = DEFAULTS) -> None:
        self.corpus = corpus
        self.calibration = calibration
        self.weights = dict(calibration.weights)
        self.links = GraphSignal(corpus)
        self.mentions = MentionSignal(corpus)
        self.folders = FolderSignal(corpus)
        self.text = TextSignal(corpus)
        self.loose = LooseSignal(self.text)
        self.tags = TagSignal(corpus)
        self.people = PeopleSignal(corpus)
        self._raw: tuple[str, dict[str, dict[str, float]]] = ("", {})
        self._best: dict[str, float] = {}
        """The best raw score of each signal for the note in `_raw` (filled on demand)."""

    def signal_scores(self, path: str) -> dict[str, dict[str, float]]:
        """Each weighted signal's raw scores of its candidates (never `path` itself); the last
        note's are kept for its reasons."""
        if self._raw[0] != path or not self._raw[1]:
            raw = {
                name: getattr(self, name).scores(path)
                for name in SIGNALS
                if self.weights[name] > 0.0
            }
            self._raw, self._best = (path, raw), {}
        return self._raw[1]

    def share(self, name: str, path: str, other: str) -> float:
        """`other`'s score under signal `name` as a share of the best candidate's (0..1)."""
        scores = self.signal_scores(path).get(name, {})
        best = self._best.get(name)
        if best is None:
            best = self._best[name] = max(scores.values(), default=0.0)
        return scores.get(other, 0.0) / best if best > 0.0 else 0.0

    def scores(self, path: str) -> dict[str, float]:
        """Hybrid score of every candidate note (never `path` itself)."""
        return combine(self.signal_scores(path), self.calibration)

    def ranking(
        self, path: str, *, suggestions: bool = False, limit: int | None = None
    ) -> list[tuple[str, float]]:
        """(path, score), best first, ties by path; `suggestions` drops notes already linked;
        `limit` keeps only the first ones."""
        scores = self.scores(path)
        note = self.corpus.notes.get(path)
        if suggestions and note is not None:
            for target in note.links:
                scores.pop(target, None)
        return top(scores, limit)

    def related(self, path: str, k: int = 10, *, suggestions: bool = False) -> list[Related]:
        """The `k` notes most related to `path`, with reasons."""
        return [
            self.describe(path, other, score)
            for other, score in self.ranking(path, suggestions=suggestions, limit=k)
        ]

    def describe(self, path: str, other: str, score: float) -> Related:
        return Related(
            other,
            self.corpus.notes[other].title,
            round(score, 4),
            tuple(self.reasons(path, other)),
            self.corpus.links_to(path, other),
        )

    def reasons(self, path: str, other: str) -> list[Reason]:
        found = []
        if self.weights["links"] > 0.0:
            found += self.links.reasons(path, other)
        if self.weights["mentions"] > 0.0:
            found += self.mentions.reasons(path, other)
        if self.weights["tags"] > 0.0:
            found += self.tags.reasons(path, other)
        if self.weights["people"] > 0.0:
            found += self.people.reasons(path, other)
        words: list[str] = []
        if self.weights["text"] > 0.0:
            words = self.text.shared_words(path, other)
            if words:
                found.append(Reason.plain("similar wording: " + ", ".join(words)))
        if self.weights["loose"] > 0.0 and self._loose_explains(path, other):
            loose = [w for w in self.loose.shared_words(path, other) if w not in words]
            if loose:
                found.append(Reason.plain("unlinked lines share wording: " + ", ".join(loose)))
        if not found and self.weights["folders"] > 0.0:
            found += self.folders.reasons(path, other)
        return found

    def _loose_explains(self, path: str, other: str) -> bool:
        """Whether `other` is one of the strong loose matches (half the best one's score or
        more) and matches the loose lines better than the whole note: then the loose lines' words
        say something the wording reason does not. A weak loose match shares everyday words."""
        loose = self.share("loose", path, other)
        return loose >= LOOSE_REASON and loose > self.share("text", path, other)


def top(scores: Mapping[str, float], limit: int | None = None) -> list[tuple[str, float]]:
    """(path, score), best first, ties by path; only the first `limit` when given. The cut-off
    score is found on the bare floats (no key function per candidate), then only the notes that
    reach it are sorted."""
    order = lambda item: (-item[1], item[0])  # noqa: E731
    if limit is None or limit >= len(scores):
        return sorted(scores.items(), key=order)
    if limit <= 0:
        return []
    cut = heapq.nlargest(limit, scores.values())[-1]
    reach = compress(scores.items(), map(cut.__le__, scores.values()))
    return sorted(reach, key=order)[:limit]


def combine(raw: Mapping[str, Mapping[str, float]], calibration: Calibration) -> dict[str, float]:
    """The hybrid score from the signals' raw scores (the formula in the module docstring)."""
    combined: dict[str, float] = {}
    for name in SIGNALS:  # a fixed order: every sum is added up the same way on every run
        weight = calibration.weights[name]
        scores = raw.get(name)
        if weight <= 0.0 or not scores:
            continue
        scale = calibration.scales[name]
        if not combined:  # 0.0 + x == x: the same sums as adding to zeros
            combined = {other: weight * x / (x + scale) for other, x in scores.items()}
            continue
        get = combined.get
        for other, x in scores.items():
            combined[other] = get(other, 0.0) + weight * x / (x + scale)
    return combined
