"""The weights and scales the related engine combines its signals with: learned from the vault
(`vaultnet.related.learn`) on first need and kept with the saved corpus, or the defaults."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from vaultnet.index.view import IndexView
from vaultnet.related import load
from vaultnet.related.calibration import DEFAULTS, Calibration
from vaultnet.related.config import RelatedConfig
from vaultnet.related.corpus import Corpus
from vaultnet.related.saved import SavedCorpus
from vaultnet.vault.files import read_note_text


def never() -> bool:
    return False


def calibration_in_use(
    live: SavedCorpus,
    config: RelatedConfig,
    learner: Callable[[Corpus], Calibration] | None = None,
) -> Calibration:
    """The weights and scales in use: learned from this vault (with a `learner`: first learned
    again when enough changed), or the defaults (`learn = false`, or none learned yet)."""
    if not config.learn:
        return DEFAULTS
    if learner is not None and live.stale():
        live.learned(learner(live.corpus))
    return live.calibration or DEFAULTS


def learner_for(
    store: IndexView, root: Path, stale: Callable[[], bool] = never
) -> Callable[[Corpus], Calibration]:
    """`learn` over the vault at `root`: its notes' text read from disk, links resolved as the
    index `store` resolves them. Nothing is loaded until it is called (most runs do not learn)."""

    def learner(corpus: Corpus) -> Calibration:
        from vaultnet.related.learn import learn

        resolve = load.resolver(store).resolve
        return learn(corpus, partial(read_note_text, root), resolve, stale=stale)

    return learner


def on_first_need(
    live: SavedCorpus, config: RelatedConfig, store: IndexView, root: Path
) -> Calibration:
    """The weights `related NOTE` uses: learned for this vault the first time they are needed
    (then kept with the index and used as they are until `generate` learns again), or the
    defaults (`learn = false`)."""
    first = live.calibration is None
    return calibration_in_use(live, config, learner_for(store, root) if first else None)


def defaults_said(calibration: Calibration, config: RelatedConfig) -> str:
    """The line saying the default weights are in use, and why ("" when learned ones are)."""
    if calibration.trials:
        return ""
    why = "[related] learn = false" if not config.learn else calibration.source
    return f"(Default weights: {why.removeprefix('defaults: ')}.)"
