"""Related notes from the command line against the obvious alternative, side by side in one run.

    python benchmarks/related_speed.py [--notes 10000] [--rounds 3] [--max-pages 500]

On a copy of the synthetic vault (`synth.ensure_vault`), scanned once (not timed), each round
runs, in alternating order so both meet the same machine load:
- `sklearn`: `benchmarks/sklearn_related.py` (read every note, `TfidfVectorizer`, top 10 of every
  idea note): its in-process phases (read + vectorise + rank, imports not counted) and the whole
  subprocess;
- `first generate`: `vaultnet generate` on a fresh copy of the vault and of its index, scanned
  (not timed): the related corpus built from the index, the weights learned, every page written
  (the Reconnect and Network pages and the briefs too);
- `generate after one edit`: one idea note changed (a line added), then `vaultnet generate`;
- `generate, no change`;
- `related NOTE`: `vaultnet related` for an idea note, warm (after the runs above).
Every vaultnet figure is the whole command (interpreter start-up, the no-change scan); each also
reports its peak RSS. Medians over the rounds, and each one's ratio to sklearn's phases.
`--max-pages 0` asks for a page per idea note (by default a vault with more than 500 idea notes
gets the Suggested links page only). `--before VENV` also runs the same vaultnet commands with
another install (the code before a change: `python3 -m venv V && V/bin/pip install CHECKOUT`) in
the same rounds, labelled `before:`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import ensure_vault

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-26"
RUN = (
    "import resource, sys; from vaultnet.cli import main; sys.argv[0] = 'vaultnet'\n"
    "code = 0\n"
    "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
    "finally:\n"
    "    peak = max(resource.getrusage(w).ru_maxrss for w in "
    "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    print(f'peak-rss-kb {peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)
"""One vaultnet command, then its peak RSS on stderr; its exit status is the command's (a
command that failed stops the benchmark instead of being timed)."""


def vaultnet(
    vault: Path, index: Path, *args: str, python: str = sys.executable
) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one vaultnet command (`python`: of the install to run)."""
    start = time.perf_counter()
    done = subprocess.run(
        [python, "-c", RUN, "--vault", str(vault), "--index", str(index), *args],
        cwd=vault.parent,  # not this checkout: `-c` imports from the folder it runs in
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{python} vaultnet {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    peak = [line for line in done.stderr.splitlines() if line.startswith("peak-rss-kb")]
    return seconds, int(peak[-1].split()[1]) / 1024 if peak else 0.0


def sklearn(vault: Path, ideas: Path) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / "sklearn_related.py"), str(vault), str(ideas), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, json.loads(done.stdout)


def idea_notes(vault: Path, index: Path) -> list[str]:
    """The idea notes vaultnet ranks (what sklearn ranks too)."""
    from vaultnet.index.scan import open_index
    from vaultnet.pages.api import GenerateContext
    from vaultnet.people.config import PeopleConfig
    from vaultnet.related.config import RelatedConfig
    from vaultnet.related.load import corpus_from_store
    from vaultnet.related.pages import idea_notes as ideas_of
    from vaultnet.session import load_settings

    with open_index(vault, index) as opened:
        settings = load_settings(opened)
        context = GenerateContext(opened.view, opened.root, settings, dt.date(2026, 11, 26))
        corpus = corpus_from_store(opened.view, settings.table(PeopleConfig))
        return sorted(ideas_of(context, corpus, settings.table(RelatedConfig).ideas))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-pages", type=int, default=None)
    parser.add_argument("--before", type=Path, default=None, help="another install's venv")
    args = parser.parse_args()
    source = ensure_vault(args.notes)
    times: dict[str, list[float]] = {}
    peaks: dict[str, list[float]] = {}
    phases: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="related-speed-") as tmp:
        work = Path(tmp)
        base, base_index = work / "base", work / "base.sqlite"
        shutil.copytree(source, base)
        if args.max_pages is not None:
            (base / ".vaultnet.toml").write_text(f"[related]\nmax_pages = {args.max_pages}\n")
        vaultnet(base, base_index, "scan")
        ideas = idea_notes(base, base_index)
        ideas_file = work / "ideas.txt"
        ideas_file.write_text("\n".join(ideas) + "\n")
        edited, asked = ideas[len(ideas) // 2], ideas[len(ideas) // 3]
        print(f"{args.notes} notes, {len(ideas)} idea notes", flush=True)

        def ours(round_: int, python: str = sys.executable, label: str = "") -> None:
            name = f"{'before-' if label else ''}v{round_}"
            vault, index = work / name, work / f"{name}.sqlite"
            shutil.copytree(base, vault)
            shutil.copy(base_index, index)
            run = lambda *a: vaultnet(vault, index, *a, python=python)  # noqa: E731
            run("scan")  # the copy is another folder: the index follows it first (not timed)
            record(f"{label}first generate", *run("generate", "--today", TODAY))
            note = vault / edited
            note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n")
            record(f"{label}generate after one edit", *run("generate", "--today", TODAY))
            record(f"{label}generate, no change", *run("generate", "--today", TODAY))
            record(f"{label}related NOTE (warm)", *run("related", asked))
            shutil.rmtree(vault)
            for kept in work.glob(f"{name}.sqlite*"):  # the index and what is saved beside it
                kept.unlink() if kept.is_file() else shutil.rmtree(kept)

        def before(round_: int) -> None:
            if args.before is not None:
                ours(round_, str(args.before / "bin" / "python"), "before: ")

        def theirs(round_: int) -> None:
            seconds, found = sklearn(base, ideas_file)
            phases.append(found)
            record("sklearn (subprocess)", seconds, 0.0)
            record("sklearn (read + vectorise + rank)", found["total"], 0.0)

        def record(name: str, seconds: float, peak: float) -> None:
            times.setdefault(name, []).append(seconds)
            peaks.setdefault(name, []).append(peak)
            print(f"  {name}: {seconds:.2f} s, peak {peak:.0f} MB", flush=True)

        for round_ in range(args.rounds):
            steps = [ours, theirs, before]
            for step in steps if round_ % 2 == 0 else steps[::-1]:
                step(round_)
    floor = statistics.median(times["sklearn (read + vectorise + rank)"])
    print(f"\n| command ({args.notes} notes) | median (s) | runs | peak RSS | / sklearn phases |")
    print("|---|---:|---|---:|---:|")
    for name, found in times.items():
        runs = ", ".join(f"{t:.2f}" for t in found)
        peak = max(peaks[name])
        peak_text = f"{peak:.0f} MB" if peak else ""
        ratio = statistics.median(found) / floor
        print(f"| {name} | {statistics.median(found):.2f} | {runs} | {peak_text} | {ratio:.2f} |")
    keys = ("read", "vectorise", "rank")
    mid = {k: statistics.median(p[k] for p in phases) for k in keys}
    print("\nsklearn phases (medians): " + ", ".join(f"{k} {v:.2f} s" for k, v in mid.items()))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
