"""Scan benchmark: vaultnet against the parse-only floor and obsidiantools, side by side.

    python benchmarks/scan_bench.py [--sizes 1000,10000] [--out results.md]

For each vault size (synthetic vaults from synth.py, cached in benchmarks/.vaults/), every
subprocess measurement runs once per round, rounds interleaved so that machine noise hits them all
alike, and the best round counts. The vault is a fresh copy, so edits never touch the cache.
Exit status: 0 when every bar passes, 1 when one fails, 2 when the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_report import (
    COLD,
    FLOOR,
    IN_PROCESS,
    NO_CHANGE,
    ONE_EDIT,
    OTOOLS,
    SizeResult,
    markdown_report,
)
from synth import ensure_vault

HERE = Path(__file__).resolve().parent
OTOOLS_VENV = HERE / ".venv-obsidiantools"


class BenchError(Exception):
    """The benchmark cannot go on; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Setup:
    repeats: int
    edits: int
    vaultnet: Path | None
    """The console script, or None to measure the floor and obsidiantools only."""
    otools_python: Path | None
    otools_sizes: frozenset[int]


def timed(cmd: Sequence[str | Path], what: str) -> tuple[float, str]:
    """Run `cmd` to completion; its wall time and stdout. A failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        shown = " ".join(str(part) for part in cmd)
        raise BenchError(f"{what} failed (exit {done.returncode}): {shown}\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def vaultnet_script() -> Path:
    """The `vaultnet` console script next to this Python, with `vaultnet.index.scan` importable."""
    script = Path(sys.executable).parent / "vaultnet"
    if not script.is_file() or importlib.util.find_spec("vaultnet.index.scan") is None:
        raise BenchError(
            f"vaultnet is not installed for {sys.executable}: expected the console script "
            f"{script} and the module vaultnet.index.scan. Install it with `pip install -e .` in the "
            "repository, or pass --skip-vaultnet to measure only the floor and obsidiantools."
        )
    return script


def obsidiantools_python() -> Path:
    """The venv's Python with obsidiantools installed, made on first use."""
    python = OTOOLS_VENV / "bin" / "python"
    if (
        python.is_file()
        and subprocess.run(
            [python, "-c", "import obsidiantools.api"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return python
    print(f"installing obsidiantools into {OTOOLS_VENV} (first use) ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", OTOOLS_VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "obsidiantools"], check=True)
    except subprocess.CalledProcessError as error:
        raise BenchError(
            f"could not install obsidiantools into {OTOOLS_VENV} ({error}); "
            "pass --no-obsidiantools to run without it"
        ) from error
    return python


def scan_command(setup: Setup, vault: Path, index: Path) -> list[str | Path]:
    assert setup.vaultnet is not None
    return [setup.vaultnet, "--vault", vault, "--index", index, "scan", "--json"]


def vaultnet_scan(setup: Setup, vault: Path, index: Path, what: str) -> float:
    seconds, out = timed(scan_command(setup, vault, index), what)
    try:
        json.loads(out)
    except json.JSONDecodeError as error:
        raise BenchError(
            f"{what}: `scan --json` printed no JSON ({error}): {out[:300]!r}"
        ) from None
    return seconds


def edited_note(vault: Path) -> str:
    """The note the edit rounds change: the first idea note, vault-relative."""
    return min(vault.glob("Ideas/*/*.md")).relative_to(vault).as_posix()


def append_line(vault: Path, note: str, text: str) -> None:
    with (vault / note).open("a", encoding="utf-8") as file:
        file.write(f"\n{text}\n")


Probe = tuple[str, Callable[[int], float]]


def round_probes(setup: Setup, notes: int, vault: Path, work: Path) -> list[Probe]:
    """The subprocess measurements of one round, in the order they run; the int is the round."""
    probes: list[Probe] = [
        (FLOOR, lambda _: timed([sys.executable, HERE / "floor_parse.py", vault], FLOOR)[0]),
    ]
    if setup.otools_python is not None and notes in setup.otools_sizes:
        python = setup.otools_python
        gather = [python, HERE / "obsidiantools_gather.py", vault]
        probes.append((OTOOLS, lambda _: timed(gather, OTOOLS)[0]))
    if setup.vaultnet is None:
        return probes
    index = work / "index.sqlite"
    note = edited_note(vault)

    def cold(_: int) -> float:
        for stale in work.glob("index.sqlite*"):
            stale.unlink()
        return vaultnet_scan(setup, vault, index, COLD)

    def one_edit(round_no: int) -> float:
        append_line(vault, note, f"Edited in benchmark round {round_no}.")
        return vaultnet_scan(setup, vault, index, ONE_EDIT)

    probes += [
        (COLD, cold),
        (NO_CHANGE, lambda _: vaultnet_scan(setup, vault, index, NO_CHANGE)),
        (ONE_EDIT, one_edit),
    ]
    return probes


def in_process_edit(setup: Setup, vault: Path, work: Path) -> float:
    """Median seconds of `update([note])` in one long-lived index, as the watcher runs it."""
    cmd: list[str | Path] = [
        sys.executable,
        HERE / "inprocess_edit.py",
        vault,
        work / "daemon.sqlite",
        edited_note(vault),
        "--edits",
        str(setup.edits),
    ]
    _, out = timed(cmd, IN_PROCESS)
    return float(json.loads(out)["median"])


def bench_size(setup: Setup, notes: int) -> SizeResult:
    source = ensure_vault(notes)
    result = SizeResult(notes)
    with tempfile.TemporaryDirectory(prefix="vaultnet-bench-") as tmp:
        work = Path(tmp)
        vault = work / "vault"
        shutil.copytree(source, vault)
        probes = round_probes(setup, notes, vault, work)
        for round_no in range(setup.repeats):
            for name, probe in probes:
                result.record(name, probe(round_no))
                print(
                    f"  {notes:>7} notes, round {round_no + 1}: {name:<32}"
                    f"{result.best[name]:8.3f} s best",
                    file=sys.stderr,
                )
        if setup.vaultnet is not None:
            result.record(IN_PROCESS, in_process_edit(setup, vault, work))
    return result


def machine_line() -> str:
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated note counts (default: 1000,10000)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the best counts")
    parser.add_argument("--edits", type=int, default=20, help="in-process edits (median)")
    parser.add_argument(
        "--obsidiantools-10k",
        action="store_true",
        help="also time obsidiantools at 10,000 notes (slow)",
    )
    parser.add_argument("--no-obsidiantools", action="store_true")
    parser.add_argument(
        "--skip-vaultnet", action="store_true", help="measure only the floor and obsidiantools"
    )
    parser.add_argument("--out", type=Path, help="also write the report to this markdown file")
    return parser.parse_args(argv)


def make_setup(args: argparse.Namespace) -> Setup:
    otools_sizes = frozenset({1000, 10000} if args.obsidiantools_10k else {1000})
    return Setup(
        repeats=args.repeats,
        edits=args.edits,
        vaultnet=None if args.skip_vaultnet else vaultnet_script(),
        otools_python=None if args.no_obsidiantools else obsidiantools_python(),
        otools_sizes=otools_sizes,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        sizes = [int(size) for size in args.sizes.split(",")]
        setup = make_setup(args)
        results = [bench_size(setup, notes) for notes in sizes]
    except (BenchError, ValueError) as error:
        print(f"scan_bench: {error}", file=sys.stderr)
        return 2
    report, passed = markdown_report(results, machine_line(), setup.repeats)
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
