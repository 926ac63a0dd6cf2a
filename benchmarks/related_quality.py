"""Link-recovery evaluation of related notes on real vaults.

    python benchmarks/related_quality.py [VAULT ...] [--max-trials N] [--json]

For each note with at least 3 outgoing links to other notes, hide one target at a time: remove
every link from that note to the target (wikilinks, embeds, markdown and frontmatter links, anchor
text included) from the note's text, re-read the note, and ask where the engine ranks the hidden
target among the note's suggestions (related notes it does not link to). Links from the target back
to the note stay. Reports recall@10 and MRR for each single signal and the hybrid, all in one run
on the same trials. The vault is copied to a temporary folder and indexed there; the original is
never touched. Default vaults: every language folder of obsidian-help, obsidian-hub, and every
other vault in `../shared/corpora/`.

Beside the signals, two plain baselines written independently of the project
(`tfidf_baseline.py`), each a TF-IDF cosine over each note's whole raw text (code, frontmatter and
link syntax included): `tfidf`, as scikit-learn's `TfidfVectorizer` computes it by default (raw
counts, words of two or more letters, smoothed idf) with runs of Chinese, Japanese and Thai as
character bigrams, and `tfidf-sublinear`, the stronger usual one (`1 + ln tf`, runs of three or
more letters, English stop words, `idf = ln(N / df)`). The bars compare with the better of the two
on each vault; beside that bar, the trials only one of the two found and an exact sign test on
them (how likely so uneven a split is if neither were better).

Every trial is ranked as the engine ranks a note: the hidden note's rows against the corpus as
fitted (`vaultnet.related.signals.block_of_notes`), many trials per sparse product.

Install scikit-learn for the baseline: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
from tfidf_baseline import SublinearTfidf, TfidfBaseline

from vaultnet.index.scan import open_index
from vaultnet.related.corpus import Corpus, NoteData
from vaultnet.related.hiding import hide_links, without
from vaultnet.related.hybrid import DEFAULTS, SIGNALS, Calibration
from vaultnet.related.learn import learn, ordered
from vaultnet.related.learn import sign_test as one_sided
from vaultnet.related.load import corpus_from_store
from vaultnet.related.notes import note_names, titled
from vaultnet.related.signals import block_of_notes, hybrid, raw_scores
from vaultnet.vault.parse import parse_note
from vaultnet.vault.resolve import Resolver
from vaultnet.vault.settings import VaultSettings

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
NOT_VAULTS = frozenset({"Release notes", "Sandbox"})
"""obsidian-help folders that are not a language's vault."""


def default_vaults(corpora: Path = CORPORA) -> list[Path]:
    """Every language folder of obsidian-help, then every other vault in the corpora folder."""
    found: list[Path] = []
    for vault in sorted(p for p in corpora.iterdir() if p.is_dir()):
        if vault.name == "obsidian-help":
            found += sorted(p for p in vault.iterdir() if p.is_dir() and p.name not in NOT_VAULTS)
        else:
            found.append(vault)
    return found


MIN_LINKS = 3
TOP = 10
VARIANTS: dict[str, Calibration] = {
    f"{name}-only": Calibration.of({name: 1.0}) for name in SIGNALS
} | {"defaults": DEFAULTS}
"""Fixed calibrations (each signal alone; the defaults). Beside them: `hybrid`, the hybrid with
weights learned on the other half of the vault's notes (held out; `hybrid half N` splits it by the
trial note's half), `hybrid learned on all` (in-sample: what a user of the vault gets), and
`tfidf`, the baseline."""
ALL_SIGNALS = Calibration.of(dict.fromkeys(SIGNALS, 1.0))


@dataclass
class Score:
    trials: int = 0
    hits: int = 0
    reciprocal: float = 0.0
    found: list[bool] = field(default_factory=list)
    """Each trial in turn: was the target in the top 10 (for the paired test in `gains`)."""

    def add(self, rank: int | None) -> None:
        self.trials += 1
        hit = rank is not None and rank <= TOP
        self.found.append(hit)
        if rank is not None:
            self.hits += hit
            self.reciprocal += 1.0 / rank

    @property
    def recall(self) -> float:
        return self.hits / self.trials if self.trials else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.trials if self.trials else 0.0


@dataclass
class Report:
    vault: str
    notes: int = 0
    trials: int = 0
    skipped: int = 0
    """Trials whose link could not be removed from the text (e.g. it is built by a plugin)."""
    seconds: float = 0.0
    scores: dict[str, Score] = field(default_factory=dict)
    learned: list[dict[str, object]] = field(default_factory=list)
    """The calibrations learned on each half, then on every note."""
    draws: dict[str, tuple[Score, Score]] = field(default_factory=dict)
    """Seed of the learner's trial draw -> the hybrid held out and learned on all with it (the
    first seed's are the `hybrid` and `hybrid learned on all` scores themselves)."""


def note_data(
    path: str, text: str, settings: VaultSettings, resolver: Resolver, corpus: Corpus
) -> NoteData:
    """What the index would hold for `path` with this text (a full re-read)."""
    note = parse_note(path, text, settings)
    tags = frozenset(t.lower() for t in note.tags)
    links = frozenset(
        p
        for link in note.links
        if (p := resolver.resolve(link.target, path)) is not None and p != path and p in corpus
    )
    counts, anchored_counts = titled(note.title, note.terms, note.anchored_terms)
    terms = tuple(sorted(counts.items()))
    names = note_names(note.title, note.aliases)
    anchored = tuple(sorted(anchored_counts.items()))
    person = corpus.is_person(path)
    code = tuple(sorted(note.code_terms.items()))
    return NoteData(path, note.title, tags, terms, links, person, names, anchored, code)


def trials(corpus: Corpus, max_trials: int | None) -> list[tuple[str, str]]:
    """(note, hidden target) pairs, in path order; every `step`-th one when capped."""
    pairs = [
        (path, target)
        for path in sorted(corpus.live_paths())
        if len(links := corpus.links(path)) >= MIN_LINKS
        for target in sorted(links)
    ]
    if max_trials and len(pairs) > max_trials:
        step = len(pairs) / max_trials
        pairs = [pairs[int(i * step)] for i in range(max_trials)]
    return pairs


def rank_of(
    scores: Mapping[str, float], target: str, excluded: set[str] | frozenset[str]
) -> int | None:
    """1-based rank of `target` among the suggestions (best score first, ties by path)."""
    mine = scores.get(target)
    if mine is None:
        return None
    better = sum(
        1
        for other, score in scores.items()
        if (score > mine or (score == mine and other < target)) and other not in excluded
    )
    return better + 1


def indexed_copy(vault: Path, tmp: Path) -> tuple[Corpus, Resolver, VaultSettings, dict[str, str]]:
    """`vault` copied into `tmp` and scanned there: its related corpus, resolver, settings, and
    every note's text (the original is never touched)."""
    copy = tmp / "vault"
    shutil.copytree(vault, copy, symlinks=True)
    with open_index(copy, tmp / "index.sqlite") as index:
        index.scan()
        corpus = corpus_from_store(index.view)
        resolver = Resolver(index.view.file_states())
        settings = index.obsidian
    texts = {path: (copy / path).read_text(encoding="utf-8") for path in corpus.live_paths()}
    return corpus, resolver, settings, texts


def evaluate(
    vault: Path,
    *,
    max_trials: int | None = None,
    reparse: bool = False,
    variants: Mapping[str, Calibration] = VARIANTS,
    seeds: Sequence[str] = ("",),
) -> Report:
    """Run the protocol on a copy of `vault`; the learner once per seed of its trial draw (the
    same trials measure each)."""
    start = time.perf_counter()
    report = Report(str(vault), scores={name: Score() for name in variants})
    with tempfile.TemporaryDirectory(prefix="vaultnet-eval-") as tmp:
        corpus, resolver, settings, texts = indexed_copy(vault, Path(tmp))
        report.notes = len(corpus)
        baselines = {"tfidf": TfidfBaseline(texts), "tfidf-sublinear": SublinearTfidf(texts)}
        for name in baselines:
            report.scores[name] = Score()
        # Learn on one half of the notes, measure on the other: a trial whose note is in one half
        # is ranked with the weights learned on the other half.
        order = ordered(corpus.live_paths(), "halves")
        halves = (set(order[: len(order) // 2]), set(order[len(order) // 2 :]))
        draws = {seed: _learned(corpus, texts, resolver, halves, seed) for seed in seeds}
        report.learned = [c.as_json() for c in draws[seeds[0]]]
        for name in ("hybrid", "hybrid half 1", "hybrid half 2", "hybrid learned on all"):
            report.scores[name] = Score()
        reported = (report.scores["hybrid"], report.scores["hybrid learned on all"])
        report.draws = {
            seed: (Score(), Score()) if seed != seeds[0] else reported for seed in seeds
        }
        rank = np.empty(len(corpus.paths), dtype=np.int64)
        rank[np.argsort(np.array(corpus.paths, dtype=object))] = np.arange(len(corpus.paths))
        pending: list[tuple[NoteData, str, str]] = []
        for path, target in trials(corpus, max_trials):
            text, removed = hide_links(texts[path], path, target, resolver.resolve)
            if reparse:
                hidden = note_data(path, text, settings, resolver, corpus)
            else:
                hidden = without(corpus.note(path), target, removed, texts[path], text)
            if target in hidden.links or not removed:
                report.skipped += 1
                continue
            pending.append((hidden, target, text))
        for at in range(0, len(pending), 64):
            chunk = pending[at : at + 64]
            raw = raw_scores(corpus, block_of_notes(corpus, [hidden for hidden, _, _ in chunk]))
            scored = {name: hybrid(raw, c.weights, c.scales) for name, c in variants.items()}
            learned = {
                seed: [hybrid(raw, c.weights, c.scales) for c in calibrations]
                for seed, calibrations in draws.items()
            }
            for i, (hidden, target, text) in enumerate(chunk):
                path = hidden.path
                excluded = {corpus.row_of[p] for p in hidden.links if p in corpus}
                excluded.add(corpus.row_of[path])
                goal = corpus.row_of[target]
                for name in variants:
                    report.scores[name].add(_rank(scored[name][i], goal, excluded, rank))
                half = 0 if path in halves[0] else 1
                for seed, (first, second, whole) in learned.items():
                    found = _rank((first, second)[half][i], goal, excluded, rank)
                    on_all = _rank(whole[i], goal, excluded, rank)
                    held_out, learned_on_all = report.draws[seed]
                    held_out.add(found)
                    learned_on_all.add(on_all)
                    if seed == seeds[0]:
                        report.scores[f"hybrid half {half + 1}"].add(found)
                for name, baseline in baselines.items():
                    plain = baseline.scores(text, like=texts[path])
                    plain.pop(path, None)
                    report.scores[name].add(
                        rank_of(plain, target, {corpus.paths[r] for r in excluded})
                    )
                report.trials += 1
    report.seconds = time.perf_counter() - start
    return report


def _learned(
    corpus: Corpus,
    texts: Mapping[str, str],
    resolver: Resolver,
    halves: tuple[set[str], set[str]],
    seed: str,
) -> tuple[Calibration, Calibration, Calibration]:
    """The weights a trial of the first half is ranked with (learned on the second half), those
    of the second half (learned on the first), and those learned on every note."""
    read = partial(_text_of, texts)
    first, second = (learn(corpus, read, resolver.resolve, h, seed=seed) for h in halves[::-1])
    return first, second, learn(corpus, read, resolver.resolve, seed=seed)


def _text_of(texts: Mapping[str, str], path: str) -> str:
    return texts.get(path, "")


def _rank(scores: np.ndarray, target: int, excluded: set[int], rank: np.ndarray) -> int | None:
    """1-based rank of row `target` among the rows not `excluded` (best score first, ties by
    path: `rank` is each row's place in path order)."""
    mine = scores[target]
    if mine <= 0.0:
        return None
    better = (scores > mine) | ((scores == mine) & (rank < rank[target]))
    better[list(excluded)] = False
    return int(np.count_nonzero(better)) + 1


def table(reports: Iterable[Report]) -> Iterator[str]:
    reports = list(reports)
    names = list(reports[0].scores)
    yield "| vault | notes | trials | " + " | ".join(f"{n} R@10 / MRR" for n in names) + " |"
    yield "|---|---:|---:|" + "---:|" * len(names)
    for r in reports:
        cells = [f"{s.recall:.3f} / {s.mrr:.3f}" for s in r.scores.values()]
        yield f"| {_short(r.vault)} | {r.notes} | {r.trials} | " + " | ".join(cells) + " |"


def gains(report: Report) -> str:
    """The bars: text alone at least the better plain baseline; the hybrid (held out, and as a
    user gets it: learned on all) at least text + 0.03 and 1.1x its best single signal."""
    single = {k: v for k, v in report.scores.items() if k.endswith("-only")}
    best = max(single, key=lambda k: single[k].recall)
    base = single[best].recall
    alone = report.scores["text-only"]
    plain = max(report.scores["tfidf"], report.scores["tfidf-sublinear"], key=lambda s: s.recall)
    text = alone.recall
    only_text, only_plain = discordant(alone.found, plain.found)
    lines = [
        f"{_short(report.vault)}: text {text:.3f} vs plain {plain.recall:.3f}: "
        f"{_ok(text >= plain.recall)} (found by text alone {only_text}, by plain alone "
        f"{only_plain}: p = {sign_test(only_text, only_plain):.3f})"
    ]
    for name in ("hybrid", "hybrid learned on all"):
        hybrid = report.scores[name].recall
        ratio = hybrid / base if base else float("inf")
        lines.append(
            f"  {name} {hybrid:.3f}: vs text {hybrid - text:+.3f} {_ok(hybrid >= text + 0.03)}, "
            f"{ratio:.2f}x best single ({best} {base:.3f}) {_ok(ratio >= 1.1)}"
        )
    if len(report.draws) > 1:
        held = [held_out.recall for held_out, _ in report.draws.values()]
        on_all = [learned_on_all.recall for _, learned_on_all in report.draws.values()]
        lines.append(
            f"  over {len(held)} draws of the learner's trials: held out {_spread(held)}, "
            f"learned on all {_spread(on_all)}"
        )
    return "\n".join(lines)


def _spread(values: list[float]) -> str:
    return f"mean {sum(values) / len(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def discordant(first: list[bool], second: list[bool]) -> tuple[int, int]:
    """The trials only the first found, and those only the second found."""
    pairs = list(zip(first, second, strict=True))
    return sum(a and not b for a, b in pairs), sum(b and not a for a, b in pairs)


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test (McNemar's, exact) on the trials two rankers disagree on: the
    chance of a split at least this uneven if either ranker were as likely to find each one."""
    return min(1.0, 2 * one_sided(max(wins, losses), min(wins, losses)))


def _ok(met: bool) -> str:
    return "ok" if met else "NO"


def _short(vault: str) -> str:
    return vault.split("corpora/", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vaults", nargs="*", type=Path, default=default_vaults())
    parser.add_argument("--max-trials", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--reparse", action="store_true", help="re-parse each trial's note (slow, exact)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="vaults evaluated at once")
    parser.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="draws of the learner's trials (seeds '', '1', ...): its spread, on the same trials",
    )
    parser.add_argument(
        "--no-code", action="store_true", help="leave code blocks out of the terms (as before)"
    )
    args = parser.parse_args(argv)
    if args.no_code:
        import vaultnet.vault.parse

        vaultnet.vault.parse.code_terms = lambda lines: {}
    seeds = ("", *(str(i) for i in range(1, args.seeds)))
    run = partial(evaluate, max_trials=args.max_trials, reparse=args.reparse, seeds=seeds)
    with ProcessPoolExecutor(args.jobs) as pool:
        reports = list(pool.map(run, args.vaults))
    for vault, report in zip(args.vaults, reports, strict=True):
        print(
            f"{_short(str(vault))}: {report.trials} trials ({report.skipped} skipped), "
            f"{report.seconds:.1f} s",
            file=sys.stderr,
        )
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "vault": _short(r.vault),
                        "notes": r.notes,
                        "trials": r.trials,
                        "skipped": r.skipped,
                        "learned": r.learned,
                        "draws": {
                            seed: {
                                "held out": round(h.recall, 4),
                                "learned on all": round(a.recall, 4),
                            }
                            for seed, (h, a) in r.draws.items()
                        },
                        "scores": {
                            k: {"recall@10": round(s.recall, 4), "mrr": round(s.mrr, 4)}
                            for k, s in r.scores.items()
                        },
                    }
                    for r in reports
                ],
                indent=2,
            )
        )
        return 0
    print("\n".join(table(reports)))
    print()
    for report in reports:
        print(gains(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
