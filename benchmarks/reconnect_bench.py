"""Reconnect benchmark: `vaultnet reconnect` and the Reconnect generator from a warm index.

    python benchmarks/reconnect_bench.py [--sizes 10000,100000] [--rounds 3]

Synthetic vaults come from synth.py (cached in benchmarks/.vaults/); each gets its own index
beside it, built once (the cold scan is not what is measured). Measured, best of `--rounds`:
- `reconnect` end to end: `vaultnet reconnect --json` as a subprocess (start-up, the no-change scan
  every command runs first, the plan, JSON out);
- the plan alone in-process (`reconnect.reconnect_plan`), and the Reconnect generator's `generate(ctx)`.
Targets: `reconnect` under 1 s at 10k notes and under 5 s at 100k. Exit status 1 when one fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time

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
    cli = best(rounds, lambda: subprocess.run(command, check=True, capture_output=True))
    return {
        "scan": warm,
        "cli": cli,
        "plan": plan,
        "page": page,
        "suggestions": len(result.suggestions),
        "contacts": result.contacts,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
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
