"""How the signals are combined: each one's weight and scale (`Calibration`), and a related
note as the engine returns it (`Related`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from vaultnet.related.reasons import Reason

SIGNALS = ("links", "mentions", "text", "loose", "tags", "people", "folders", "popular")
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "links": 1.0,
        "mentions": 1.0,
        "text": 1.0,
        "loose": 0.5,
        "tags": 0.25,
        "people": 0.25,
        "folders": 1.0,
        "popular": 2.0,
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
        "popular": 30.0,
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
