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

Beside the signals, `tfidf` is an independent baseline written here (no project code): a plain
TF-IDF cosine over each note's whole text, code and frontmatter included, as scikit-learn's
`TfidfVectorizer` computes it by default (words of two or more letters, smoothed idf, l2 norm),
with one change so it is fair to Chinese, Japanese and Thai notes: runs of those scripts become
character bigrams.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from tfidf_baseline import TfidfBaseline

from vaultnet.index.scan import open_index
from vaultnet.related.corpus import Corpus, NoteData, corpus_from_store, note_names
from vaultnet.related.hiding import hide_links, without
from vaultnet.related.hybrid import DEFAULTS, SIGNALS, Calibration, Engine, combine
from vaultnet.related.learn import learn, ordered
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

    def add(self, rank: int | None) -> None:
        self.trials += 1
        if rank is not None:
            self.hits += rank <= TOP
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
    terms = tuple(sorted(note.terms.items()))
    names = note_names(note.title, note.aliases)
    anchored = tuple(sorted(note.anchored_terms.items()))
    person = corpus.notes[path].person
    code = tuple(sorted(note.code_terms.items()))
    return NoteData(path, note.title, tags, terms, links, person, names, anchored, code)


def trials(corpus: Corpus, max_trials: int | None) -> list[tuple[str, str]]:
    """(note, hidden target) pairs, in path order; every `step`-th one when capped."""
    pairs = [
        (path, target)
        for path, note in sorted(corpus.notes.items())
        if len(note.links & corpus.notes.keys()) >= MIN_LINKS
        for target in sorted(note.links & corpus.notes.keys())
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


def evaluate(
    vault: Path,
    *,
    max_trials: int | None = None,
    reparse: bool = False,
    variants: Mapping[str, Calibration] = VARIANTS,
) -> Report:
    """Run the protocol on a copy of `vault`."""
    start = time.perf_counter()
    report = Report(str(vault), scores={name: Score() for name in variants})
    with tempfile.TemporaryDirectory(prefix="vaultnet-eval-") as tmp:
        copy = Path(tmp) / "vault"
        shutil.copytree(vault, copy, symlinks=True)
        with open_index(copy, Path(tmp) / "index.sqlite") as index:
            index.scan()
            corpus = corpus_from_store(index.view)
            resolver = Resolver(index.writer.files())
            settings = index.obsidian
        report.notes = len(corpus)
        texts = {path: (copy / path).read_text(encoding="utf-8") for path in corpus.notes}
        baseline = TfidfBaseline(texts)
        report.scores["tfidf"] = Score()
        # Learn on one half of the notes, measure on the other: a trial whose note is in one half
        # is ranked with the weights learned on the other half.
        order = ordered(corpus.notes, "halves")
        halves = (set(order[: len(order) // 2]), set(order[len(order) // 2 :]))
        learned = tuple(
            learn(corpus, lambda p: texts.get(p, ""), resolver.resolve, half)
            for half in (halves[1], halves[0])
        )
        whole = learn(corpus, lambda p: texts.get(p, ""), resolver.resolve)
        report.learned = [c.as_json() for c in (*learned, whole)]
        for name in ("hybrid", "hybrid half 1", "hybrid half 2", "hybrid learned on all"):
            report.scores[name] = Score()
        for path, target in trials(corpus, max_trials):
            original = corpus.notes[path]
            text, removed = hide_links(texts[path], path, target, resolver.resolve)
            if reparse:
                hidden = note_data(path, text, settings, resolver, corpus)
            else:
                hidden = without(original, target, removed, texts[path], text)
            if target in hidden.links or not removed:
                report.skipped += 1
                continue
            corpus.put(hidden)
            raw = Engine(corpus, ALL_SIGNALS).signal_scores(path)
            excluded = hidden.links | {path}
            for name, calibration in variants.items():
                report.scores[name].add(rank_of(combine(raw, calibration), target, excluded))
            half = 0 if path in halves[0] else 1
            rank = rank_of(combine(raw, learned[half]), target, excluded)
            report.scores["hybrid"].add(rank)
            report.scores[f"hybrid half {half + 1}"].add(rank)
            report.scores["hybrid learned on all"].add(
                rank_of(combine(raw, whole), target, excluded)
            )
            plain = baseline.scores(text, like=texts[path])
            plain.pop(path, None)
            report.scores["tfidf"].add(rank_of(plain, target, excluded))
            corpus.put(original)
            report.trials += 1
    report.seconds = time.perf_counter() - start
    return report


def table(reports: Iterable[Report]) -> Iterator[str]:
    reports = list(reports)
    names = list(reports[0].scores)
    yield "| vault | notes | trials | " + " | ".join(f"{n} R@10 / MRR" for n in names) + " |"
    yield "|---|---:|---:|" + "---:|" * len(names)
    for r in reports:
        cells = [f"{s.recall:.3f} / {s.mrr:.3f}" for s in r.scores.values()]
        yield f"| {_short(r.vault)} | {r.notes} | {r.trials} | " + " | ".join(cells) + " |"


def gains(report: Report) -> str:
    single = {k: v for k, v in report.scores.items() if k.endswith("-only")}
    best = max(single, key=lambda k: single[k].recall)
    base = single[best].recall
    hybrid = report.scores["hybrid"].recall
    gain = (hybrid / base - 1.0) * 100 if base else float("inf")
    plain = report.scores["tfidf"].recall
    return (
        f"{_short(report.vault)}: hybrid {hybrid:.3f} vs best single ({best}) {base:.3f}: "
        f"{gain:+.1f}%; vs tfidf {plain:.3f}: {hybrid - plain:+.3f}"
    )


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
        "--no-code", action="store_true", help="leave code blocks out of the terms (as before)"
    )
    args = parser.parse_args(argv)
    if args.no_code:
        import vaultnet.vault.parse

        vaultnet.vault.parse.code_terms = lambda lines: {}
    run = partial(evaluate, max_trials=args.max_trials, reparse=args.reparse)
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
