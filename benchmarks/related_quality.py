"""Link-recovery evaluation of related notes on real vaults.

    python benchmarks/related_quality.py [VAULT ...] [--max-trials N] [--json]

For each note with at least 3 outgoing links to other notes, hide one target at a time: remove
every link from that note to the target (wikilinks, embeds, markdown and frontmatter links, anchor
text included) from the note's text, re-read the note, and ask where the engine ranks the hidden
target among the note's suggestions (related notes it does not link to). Links from the target back
to the note stay. Reports recall@10 and MRR for each single signal and the hybrid, all in one run
on the same trials. The vault is copied to a temporary folder and indexed there; the original is
never touched. Default vaults: obsidian-help en and zh, and obsidian-hub.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from vaultnet.index.scan import open_index
from vaultnet.related.corpus import Corpus, NoteData, corpus_from_store, note_names
from vaultnet.related.hybrid import DEFAULT_WEIGHTS, SIGNALS, Engine, combine
from vaultnet.vault.parse import parse_note
from vaultnet.vault.resolve import Resolver
from vaultnet.vault.settings import VaultSettings
from vaultnet.vault.syntax.wikilinks import split_wikilink
from vaultnet.vault.terms import tokens

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
DEFAULT_VAULTS = (
    CORPORA / "obsidian-help" / "en",
    CORPORA / "obsidian-help" / "zh",
    CORPORA / "obsidian-hub",
)
MIN_LINKS = 3
TOP = 10
VARIANTS: dict[str, Mapping[str, float]] = {
    "links-only": {"links": 1.0},
    "mentions-only": {"mentions": 1.0},
    "tags-only": {"tags": 1.0},
    "text-only": {"text": 1.0},
    "loose-only": {"loose": 1.0},
    "people-only": {"people": 1.0},
    "folders-only": {"folders": 1.0},
    "hybrid": DEFAULT_WEIGHTS,
}
ALL_SIGNALS = dict.fromkeys(SIGNALS, 1.0)
WIKILINK = re.compile(r"!?\[\[([^\[\]\n]+?)\]\]")
MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(\s*(<[^>\n]*>|[^)\s]*)(?:\s+\"[^\"\n]*\")?\s*\)")


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


def hide_links(text: str, source: str, target: str, resolver: Resolver) -> tuple[str, list[str]]:
    """`text` of note `source` without any link (and its anchor text) that opens `target`, and
    the removed snippets."""
    removed: list[str] = []

    def wikilink(match: re.Match[str]) -> str:
        parts = split_wikilink(match.group(1))
        if resolver.resolve(parts.target, source) != target:
            return match.group(0)
        removed.append(match.group(0))
        return ""

    def markdown(match: re.Match[str]) -> str:
        href = match.group(2).strip("<>")
        if not href or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", href):
            return match.group(0)
        path = unquote(href.partition("#")[0]).strip()
        if not path or resolver.resolve(path, source) != target:
            return match.group(0)
        removed.append(match.group(0))
        return ""

    text = MARKDOWN_LINK.sub(markdown, WIKILINK.sub(wikilink, text))
    return text, removed


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
    return NoteData(path, note.title, tags, terms, links, person, names, anchored)


def without(note: NoteData, target: str, removed: list[str], before: str, after: str) -> NoteData:
    """`note` after its links to `target` and their text are removed (`before` -> `after`),
    without re-parsing it: the words of the removed snippets leave its term counts, and a line
    that no longer holds a link takes its words out of the anchored counts, so they count as
    loose. Equal to a re-read except in rare cases (a removal that joins two words, a link cut
    from the frontmatter); `--reparse` re-reads every trial's note."""
    counts = dict(note.terms)
    for snippet in removed:
        for term in tokens(snippet):
            if counts.get(term, 0) > 1:
                counts[term] -= 1
            else:
                counts.pop(term, None)
    anchored = Counter(dict(note.anchored))
    for old, new in zip(before.split("\n"), after.split("\n"), strict=True):
        if old != new:  # a line that held a link to the target
            anchored.subtract(tokens(old))
            if parse_note("line.md", new).links:
                anchored.update(tokens(new))
    return NoteData(
        note.path,
        note.title,
        note.tags,
        tuple(sorted(counts.items())),
        note.links - {target},
        note.person,
        note.names,
        tuple(sorted((t, n) for t, n in anchored.items() if n > 0)),
    )


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
    variants: Mapping[str, Mapping[str, float]] = VARIANTS,
) -> Report:
    """Run the protocol on a copy of `vault`."""
    start = time.perf_counter()
    report = Report(str(vault), scores={name: Score() for name in variants})
    with tempfile.TemporaryDirectory(prefix="vaultnet-eval-") as tmp:
        copy = Path(tmp) / "vault"
        shutil.copytree(vault, copy, symlinks=True)
        with open_index(copy, Path(tmp) / "index.sqlite") as index:
            index.scan()
            corpus = corpus_from_store(index.store)
            resolver = Resolver(index.store.files())
            settings = index.settings
        report.notes = len(corpus)
        texts: dict[str, str] = {}
        for path, target in trials(corpus, max_trials):
            original = corpus.notes[path]
            if path not in texts:
                texts[path] = (copy / path).read_text(encoding="utf-8")
            text, removed = hide_links(texts[path], path, target, resolver)
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
            for name, weights in variants.items():
                report.scores[name].add(rank_of(combine(raw, weights), target, excluded))
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
    single = {k: v for k, v in report.scores.items() if k != "hybrid"}
    best = max(single, key=lambda k: single[k].recall)
    base = single[best].recall
    hybrid = report.scores["hybrid"].recall
    gain = (hybrid / base - 1.0) * 100 if base else float("inf")
    return f"{_short(report.vault)}: hybrid {hybrid:.3f} vs best single ({best}) {base:.3f}: {gain:+.1f}%"


def _short(vault: str) -> str:
    return vault.split("corpora/", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vaults", nargs="*", type=Path, default=list(DEFAULT_VAULTS))
    parser.add_argument("--max-trials", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--reparse", action="store_true", help="re-parse each trial's note (slow, exact)"
    )
    args = parser.parse_args(argv)
    reports = []
    for vault in args.vaults:
        report = evaluate(vault, max_trials=args.max_trials, reparse=args.reparse)
        reports.append(report)
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
