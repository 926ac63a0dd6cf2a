"""Network page benchmark: the Network generator beside the whole `vaultnet generate`.

    python benchmarks/network_bench.py [--sizes 10000,100000] [--rounds 3]

Synthetic vaults from synth.py (cached in benchmarks/.vaults/), each copied to a temporary folder
(`generate` writes into the vault) with its own index; a first `generate` writes every page and
is not what is measured. Then, best of `--rounds` interleaved rounds:
- `generate` with no change, as a subprocess, with the Network page on, and with it off
  (`[generators] network = false`, the same copy): it must write 0 pages every time;
- in-process from the warm index: the Network generator's `generate(ctx)` in a run that has
  gathered the people already (as in `generate`, where the Network and Reconnect pages share
  them), and in a run of its own, with `load_network` (gathering the people) apart.
Target: the Network page, as in `generate`, under 10% of `generate`'s time. Exit status 1 when
it is not, or when a no-change `generate` writes a page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synth import ensure_vault

TODAY = dt.date(2026, 11, 26)
SHARE = 0.10
OFF = "[generators]\nnetwork = false\n"


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def generate(vault: Path, index: Path) -> tuple[float, int]:
    """(seconds, pages written) of one `vaultnet generate` subprocess."""
    command = [
        sys.executable, "-m", "vaultnet", "--vault", str(vault), "--index", str(index),
        "generate", "--today", TODAY.isoformat(), "--json",
    ]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, len(json.loads(done.stdout)["written"])


def measure(notes: int, rounds: int) -> dict[str, float]:
    from vaultnet.index.gathering import Gathering
    from vaultnet.index.scan import open_index
    from vaultnet.network.page import NetworkGenerator, load_network
    from vaultnet.pages.api import GenerateContext
    from vaultnet.people.facts import people_facts
    from vaultnet.session import load_settings

    with tempfile.TemporaryDirectory(prefix="network-bench-") as tmp:
        vault, index = Path(tmp) / "vault", Path(tmp) / "index.sqlite"
        shutil.copytree(ensure_vault(notes), vault)
        config = vault / ".vaultnet.toml"
        own = config.read_text(encoding="utf-8") if config.exists() else ""
        generate(vault, index)  # every page written once
        generate(vault, index)  # the no-change state the rounds start from
        on, off, written = [], [], 0
        for _ in range(rounds):
            seconds, pages = generate(vault, index)
            on.append(seconds)
            written += pages
            # the first run after a change to .vaultnet.toml is not a no-change run (it removes
            # or writes the page, and is faster for other reasons): each is timed on the next
            config.write_text(own + OFF, encoding="utf-8")
            generate(vault, index)
            off.append(generate(vault, index)[0])
            config.write_text(own, encoding="utf-8")
            generate(vault, index)
            generate(vault, index)
        with open_index(vault, index) as ix:
            ix.scan()
            settings = load_settings(ix)

            def page_once() -> object:  # a run of its own: the people gathered anew
                context = GenerateContext(ix.view, ix.root, settings, TODAY)
                return NetworkGenerator().generate(context)

            def load_once() -> tuple[object, ...]:
                return load_network(Gathering(ix.view, settings, TODAY))

            def in_run() -> float:  # as in `generate`: the run has gathered the people already
                context = GenerateContext(ix.view, ix.root, settings, TODAY)
                context.facts(people_facts)
                return timed(lambda: NetworkGenerator().generate(context))

            page = min(timed(page_once) for _ in range(rounds))
            load = min(timed(load_once) for _ in range(rounds))
            shared = min(in_run() for _ in range(rounds))
            contacts = len(load_once())
    return {
        "on": min(on),
        "off": min(off),
        "page": page,
        "load": load,
        "shared": shared,
        "contacts": contacts,
        "written": written,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    failed = False
    print(
        "| notes | contacts | `generate`, no change | without the Network page | Network page, "
        "people already gathered (as in `generate`) | page / `generate` | Network page in a run "
        "of its own | of which gathering the people | pages written by no-change runs |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.rounds)
        share = r["shared"] / r["on"]
        ok = share < SHARE and r["written"] == 0
        failed |= not ok
        print(
            f"| {size:,} | {r['contacts']:,} | {r['on']:.2f} s | {r['off']:.2f} s "
            f"| {r['shared']:.3f} s | {share:.1%} {'ok' if share < SHARE else 'FAILED'} "
            f"| {r['page']:.2f} s | {r['load']:.2f} s | {r['written']:.0f} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
