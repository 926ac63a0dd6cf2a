"""Reconnect benchmark: `vaultnet reconnect` and the Reconnect generator from a warm index.

    python benchmarks/reconnect_bench.py [--sizes 10000,100000] [--rounds 3]
    python benchmarks/reconnect_bench.py --against BEFORE_VENV [--sizes ...] [--rounds 5]

Synthetic vaults come from synth.py (cached in benchmarks/.vaults/); each gets its own index
beside it, built once (the cold scan is not what is measured). Measured, best of `--rounds`:
- `reconnect` end to end: `vaultnet reconnect --json` as a subprocess (start-up, the no-change scan
  every command runs first, the plan, JSON out);
- the plan alone in-process (`reconnect.reconnect_plan`), and the Reconnect generator's `generate(ctx)`.
Targets: `reconnect` under 1 s at 10k notes and under 5 s at 100k. Exit status 1 when one fails.

`--against BEFORE_VENV` compares this install with another one (a venv with the code before a
change installed, e.g. of a `git worktree` of main), side by side: each install on its own index
of the same vault, interleaved round by round so both meet the same machine load, each
measurement the CPU time of its process (the plan and the page in-process, `reconnect` as a
subprocess: a busy machine stretches wall-clock time, much less CPU time) and its wall time; the
table gives the median of the rounds and the ratio after / before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

from synth import VAULTS, ensure_vault

TODAY = dt.date(2026, 11, 26)
TARGETS = {10000: 1.0, 100000: 5.0}


def best(rounds: int, run: object) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def measure(notes: int, rounds: int) -> dict[str, float]:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.scan import open_index
    from vaultnet.pages.api import GenerateContext
    from vaultnet.people.reconnect import reconnect_plan
    from vaultnet.reconnect.page import ReconnectGenerator
    from vaultnet.session import load_settings

    vault = ensure_vault(notes)
    index_path = VAULTS / f"{notes}.reconnect-index.sqlite"
    with open_index(vault, index_path) as index:
        warm = index.scan().seconds
        settings = load_settings(index)

        def plan_once() -> object:  # a fresh run: its facts gathered anew
            return reconnect_plan(Gathering(index.view, settings, TODAY))

        plan = best(rounds, plan_once)
        result = reconnect_plan(Gathering(index.view, settings, TODAY))

        def page_once() -> object:
            context = GenerateContext(index.view, index.root, settings, TODAY)
            return ReconnectGenerator().generate(context)

        page = best(rounds, page_once)
    command = [
        sys.executable, "-m", "vaultnet", "--vault", str(vault), "--index", str(index_path),
        "reconnect", "--today", TODAY.isoformat(), "--json",
    ]  # fmt: skip
    cli = best(rounds, lambda: subprocess.run(command, check=True, capture_output=True, cwd=VAULTS))
    return {
        "scan": warm,
        "cli": cli,
        "plan": plan,
        "page": page,
        "suggestions": len(result.suggestions),
        "contacts": result.contacts,
    }


def child(notes: int, index_path: str) -> None:
    """One round of one install, in its own process: the CPU and wall seconds of the plan, the
    page and the `reconnect` command, printed as JSON."""
    import json
    import resource

    from vaultnet.index.gathering import Gathering
    from vaultnet.index.scan import open_index
    from vaultnet.pages.api import GenerateContext
    from vaultnet.people.reconnect import reconnect_plan
    from vaultnet.reconnect.page import ReconnectGenerator
    from vaultnet.session import load_settings

    vault = ensure_vault(notes)
    out: dict[str, float] = {}
    with open_index(vault, Path(index_path)) as index:
        index.scan()
        settings = load_settings(index)
        for name, run in (
            ("plan", lambda: reconnect_plan(Gathering(index.view, settings, TODAY))),
            (
                "page",
                lambda: ReconnectGenerator().generate(
                    GenerateContext(index.view, index.root, settings, TODAY)
                ),
            ),
        ):
            cpu, wall = time.process_time(), time.perf_counter()
            run()
            out[f"{name} cpu"] = time.process_time() - cpu
            out[f"{name} wall"] = time.perf_counter() - wall
    command = [
        sys.executable, "-m", "vaultnet", "--vault", str(vault), "--index", index_path,
        "reconnect", "--today", TODAY.isoformat(), "--json",
    ]  # fmt: skip
    before, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    # `-m` puts the working folder first on the path: run where no checkout of vaultnet is
    subprocess.run(command, check=True, capture_output=True, cwd=VAULTS)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["reconnect wall"] = time.perf_counter() - wall
    out["reconnect cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(json.dumps(out))


def against(before: Path, sizes: list[int], rounds: int) -> int:
    """This install and the one in the venv `before`, side by side (see the module's doc)."""
    import json
    import statistics

    installs = {"before": before / "bin" / "python", "after": Path(sys.executable)}
    print("| notes | measure | before | after | after / before |\n|---:|---|---:|---:|---:|")
    for notes in sizes:
        ensure_vault(notes)
        found: dict[tuple[str, str], list[float]] = {}
        for _ in range(rounds + 1):  # the first round builds each index: not counted
            for name, python in installs.items():
                index = VAULTS / f"{notes}.reconnect-{name}-index.sqlite"
                result = subprocess.run(
                    [str(python), __file__, "--child", str(notes), str(index)],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=VAULTS,
                )
                for key, seconds in json.loads(result.stdout.splitlines()[-1]).items():
                    found.setdefault((key, name), []).append(seconds)
        for key in (
            "reconnect cpu",
            "reconnect wall",
            "plan cpu",
            "plan wall",
            "page cpu",
            "page wall",
        ):
            was = statistics.median(found[(key, "before")][1:])
            now = statistics.median(found[(key, "after")][1:])
            print(
                f"| {notes:,} | {key} | {was:.2f} s | {now:.2f} s | {now / was:.2f} |", flush=True
            )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="the venv of the install to compare with")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return 0
    if args.against:
        return against(args.against, [int(s) for s in args.sizes.split(",")], args.rounds)
    failed = False
    print(
        "| notes | contacts | `reconnect` (CLI, warm index) | plan in-process | Reconnect page | target |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.rounds)
        target = TARGETS.get(size)
        ok = target is None or r["cli"] < target
        failed |= not ok
        print(
            f"| {size:,} | {r['contacts']:,} | {r['cli']:.2f} s | {r['plan']:.2f} s "
            f"| {r['page']:.2f} s | {f'< {target:g} s' if target else '-'} {'ok' if ok else 'FAILED'} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
