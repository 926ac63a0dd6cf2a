"""Related-notes timings on the synthetic vaults (`synth.ensure_vault`).

    python benchmarks/related_bench.py [--notes 10000 100000] [--queries 50] [--serial-too]
                                       [--no-all-pages] [--no-pairs]
    python benchmarks/related_bench.py --notes 100000 --only pairs|all-pages

For each size: index the vault (a cached index beside it), then time
- `load`: reading the index into the engine's corpus, cold; `saved corpus`: starting from the
  corpus the last run saved beside the index and checking it against the index (what `vaultnet
  related` and `generate` do when nothing changed; `vaultnet.related.saved`);
- `one note`: `Engine.related(note, 10)` with the corpus in memory (as the daemon holds it),
  median and p95 over `--queries` idea notes, each on a fresh engine; the first query is also
  shown alone (`first`: it builds the term-major copies of the matrices the products read);
- `learn`: one learning pass of the vault's weights (`vaultnet.related.learn`), on the loaded
  corpus, as `generate` runs it when nothing was learned yet or a tenth of the notes changed;
- `pairs`: the Related generator's `generate` as a vault of this size gets it by default (more
  idea notes than `max_pages`: the Suggested links page only), from the index (the corpus built
  cold), with a calibration already learned (`[related] learn = false`: the same work for any
  weights); `--no-pairs` skips it;
- `all pages`: the same with a page per idea note (`max_pages = 0`), and how many pages it
  returns; blocks of notes are ranked on forked workers (`vaultnet.related.spread`);
  `--serial-too` also times it in one process, in the same run, and checks both give the same
  pages; `--no-all-pages` skips it;
- peak RSS of the process, and of its largest worker.
`--only pairs` (or `all-pages`) runs that generate alone in a fresh process after a scan: its
time, and a peak RSS that is its own (in the full run the peak is the largest of every phase).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
from functools import partial
from pathlib import Path

from synth import VAULTS, ensure_vault

import vaultnet.related.spread as spread
from vaultnet.index.scan import Index, open_index
from vaultnet.pages.api import GenerateContext, Page
from vaultnet.people.config import people_config
from vaultnet.related.hybrid import Engine
from vaultnet.related.learn import learn
from vaultnet.related.pages import RelatedGenerator
from vaultnet.related.saved import SavedCorpus, path_for
from vaultnet.vault.config import Settings, parse_config
from vaultnet.vault.files import read_note_text
from vaultnet.vault.resolve import Resolver


def bench(
    notes: int, queries: int, serial_too: bool = False, all_pages: bool = True, pairs: bool = True
) -> dict[str, float]:
    vault = ensure_vault(notes)
    index_path = VAULTS / f"{notes}.related-index.sqlite"
    result: dict[str, float] = {"notes": notes}
    with open_index(vault, index_path) as index:
        start = time.perf_counter()
        index.scan()
        result["scan_s"] = time.perf_counter() - start
        people = people_config({})
        path_for(index.view).unlink(missing_ok=True)
        start = time.perf_counter()
        saved = SavedCorpus()  # no saved corpus yet: built cold from the index
        saved.refresh(index.view, people)
        result["load_s"] = time.perf_counter() - start
        saved.save(index.view)
        del saved
        start = time.perf_counter()
        again = SavedCorpus()  # what `vaultnet related` does: the corpus the last run saved
        assert not again.refresh(index.view, people).changed
        result["load_saved_s"] = time.perf_counter() - start
        corpus = again.corpus
        ideas = sorted(p for p in corpus.live_paths() if p.startswith("Ideas/"))
        step = max(1, len(ideas) // queries)
        times = []
        for path in ideas[::step][:queries]:
            engine = Engine(corpus)
            start = time.perf_counter()
            engine.related(path, 10)
            times.append(time.perf_counter() - start)
        result["one_first_ms"] = times[0] * 1000
        result["one_median_ms"] = statistics.median(times) * 1000
        result["one_p95_ms"] = sorted(times)[int(0.95 * (len(times) - 1))] * 1000
        start = time.perf_counter()
        calibration = learn(
            corpus, partial(read_note_text, vault), Resolver(index.view.file_states()).resolve
        )
        result["learn_s"] = time.perf_counter() - start
        result["learn_trials"] = calibration.trials
        del again, corpus
        if pairs:
            result["pairs_s"], pages, _ = _generate(index, "learn = false\n")
            result["pairs_pages"] = len(pages)
            result["pairs_rss_mb"] = _rss({})["peak_rss_mb"]
        if not all_pages:
            return _rss(result)
        # every idea note's page, as a user who asks for them (`max_pages = 0`) gets
        result["all_pages_s"], pages, context = _generate(index, "max_pages = 0\nlearn = false\n")
        result["pages"] = len(pages)
        if serial_too:
            parallel_from, spread.PARALLEL_FROM = spread.PARALLEL_FROM, sys.maxsize
            start = time.perf_counter()
            serial = RelatedGenerator(saved=False).generate(context)
            result["serial_s"] = time.perf_counter() - start
            spread.PARALLEL_FROM = parallel_from
            assert serial == pages, "serial and parallel pages differ"
    return _rss(result)


def only(notes: int, phase: str) -> dict[str, float]:
    """One generate of `phase` (`pairs`: the Suggested links page; `all-pages`: a page per idea
    note) alone in this process, after a scan (not timed): its time and this process's peak RSS
    are that run's, not the largest of the phases `bench` runs before it."""
    vault = ensure_vault(notes)
    index_path = VAULTS / f"{notes}.related-index.sqlite"
    with open_index(vault, index_path) as index:
        index.scan()
        scanned = _rss({})
        wanted = "learn = false\n" + ("max_pages = 0\n" if phase == "all-pages" else "")
        seconds, pages, _ = _generate(index, wanted)
        result = {"seconds": seconds, "pages": len(pages)}
    result["scan_rss_mb"] = scanned["peak_rss_mb"]
    return _rss(result)


def _generate(index: Index, related: str) -> tuple[float, list[Page], GenerateContext]:
    """The Related generator's `generate` (no saved corpus) with `related` as its `[related]`
    table: its seconds, its pages, and the context it ran with."""
    settings = Settings(parse_config("[related]\n" + related), index.obsidian)
    context = GenerateContext(index.view, index.root, settings, dt.date(2026, 11, 26))
    start = time.perf_counter()
    pages = RelatedGenerator(saved=False).generate(context)
    return time.perf_counter() - start, pages, context


def _rss(result: dict[str, float]) -> dict[str, float]:
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["worker_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--serial-too", action="store_true")
    parser.add_argument("--no-all-pages", action="store_true", help="no page per idea note")
    parser.add_argument("--no-pairs", action="store_true", help="no Suggested links run")
    parser.add_argument(
        "--only",
        choices=("pairs", "all-pages"),
        help="only this generate, alone in the process (its own time and peak RSS)",
    )
    args = parser.parse_args(argv)
    if args.only:
        for notes in args.notes:
            r = only(notes, args.only)
            print(
                f"{notes} notes, {args.only} alone: {r['seconds']:.1f} s, {r['pages']:.0f} "
                f"pages, peak RSS {r['peak_rss_mb']:.0f} MB (after the scan "
                f"{r['scan_rss_mb']:.0f} MB; largest worker {r['worker_rss_mb']:.0f} MB)",
                flush=True,
            )
        return 0
    for notes in args.notes:
        r = bench(notes, args.queries, args.serial_too, not args.no_all_pages, not args.no_pairs)
        serial = f", in one process {r['serial_s']:.1f} s" if "serial_s" in r else ""
        pages = (
            f"all pages {r['all_pages_s']:.1f} s ({r['pages']:.0f} pages){serial}, "
            if "all_pages_s" in r
            else ""
        )
        if "pairs_s" in r:
            pages = (
                f"Suggested links (from the index) {r['pairs_s']:.1f} s, peak RSS then "
                f"{r['pairs_rss_mb']:.0f} MB, " + pages
            )
        print(
            f"{notes} notes: scan {r['scan_s']:.1f} s, load {r['load_s']:.2f} s (saved corpus "
            f"{r['load_saved_s']:.2f} s), one note "
            f"{r['one_median_ms']:.1f} ms median / {r['one_p95_ms']:.1f} ms p95 (warm; first "
            f"{r['one_first_ms']:.1f} ms), learn {r['learn_s']:.1f} s "
            f"({r['learn_trials']:.0f} trials), {pages}peak RSS {r['peak_rss_mb']:.0f} MB "
            f"(largest worker {r['worker_rss_mb']:.0f} MB)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
