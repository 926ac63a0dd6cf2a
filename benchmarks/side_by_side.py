"""Two installs of vaultnet, side by side on one vault: same pages, and how long each command takes.

    python benchmarks/side_by_side.py BEFORE_VENV AFTER_VENV [--notes 10000] [--rounds 5]
        [--vault PATH ...] [--config TOML]

For a change that must not change behaviour (a refactor, a new layout): each install generates the
pages of its own copy of the synthetic vault (and of `examples/vault`), and the pages must be
byte-identical (also on every `--vault`, e.g. ../shared/corpora/obsidian-hub); then the same
commands run on each, interleaved round by round so both meet the
same machine load, and the table gives the median of each and the ratio after / before.
Make the venvs with `python3 -m venv V && V/bin/pip install -e CHECKOUT` (a git worktree of the
commit before the change serves as the "before" checkout). Exit status 1 when the pages differ.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import ensure_vault

TODAY = ["--today", "2026-11-26"]
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "vault"
COMMANDS = {
    "scan (no change)": ["scan"],
    "reconnect": ["reconnect", *TODAY],
    "contacts": ["contacts", *TODAY, "--json"],
    "generate (no change)": ["generate", *TODAY],
    "doctor": ["doctor", "--json"],
}


def vaultnet(venv: Path, vault: Path, index: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(venv / "bin" / "vaultnet"), "--vault", str(vault), "--index", str(index), *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def digest(root: Path) -> str:
    """One hash of every file's path and bytes (Obsidian's settings and vaultnet's locks aside)."""
    total = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith((".obsidian/", ".vaultnet/")):
            total.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--vault", type=Path, action="append", default=[], help="more vaults")
    parser.add_argument(
        "--config",
        default="",
        help="a .vaultnet.toml for every copy, e.g. '[generators]\\nrelated = false' (no "
        "related pages: at 100,000 notes they take far longer than the rest)",
    )
    args = parser.parse_args()
    installs = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        same = True
        vaults: dict[str, Path] = {}
        first: dict[str, float] = {}
        sources = [(EXAMPLE, "examples/vault"), (ensure_vault(args.notes), "synthetic")]
        sources += [(vault.resolve(), vault.name) for vault in args.vault]
        for source, label in sources:
            digests = {}
            for name, venv in installs.items():
                copy = work / f"{name}-{label.replace('/', '-')}"
                shutil.copytree(source, copy, ignore=shutil.ignore_patterns("Vaultnet"))
                if args.config:
                    text = args.config.encode().decode("unicode_escape")
                    (copy / ".vaultnet.toml").write_text(text + "\n", encoding="utf-8")
                index = work / f"{copy.name}.sqlite"
                seconds = vaultnet(venv, copy, index, "generate", *TODAY)
                if label == "synthetic":
                    first[name] = seconds
                    print(f"{name}: first generate {seconds:.2f} s", flush=True)
                digests[name] = digest(copy)
                vaults[f"{name} {label}"] = copy
            output = vaults[f"after {label}"] / "Vaultnet"
            pages = sum(1 for _ in output.rglob("*.md"))
            print(f"{label}: {pages} pages; identical: {digests['before'] == digests['after']}")
            same &= digests["before"] == digests["after"]
        synthetic = vaults["after synthetic"]
        idea = min(p for p in (synthetic / "Ideas").rglob("*.md"))
        commands = {**COMMANDS, "related (one note)": ["related", str(idea.relative_to(synthetic))]}
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for command, argv in commands.items():
                for name, venv in installs.items():
                    copy = vaults[f"{name} synthetic"]
                    seconds = vaultnet(venv, copy, work / f"{copy.name}.sqlite", *argv)
                    times.setdefault((command, name), []).append(seconds)
    print(f"\n{args.notes} notes, median of {args.rounds} interleaved rounds (seconds)\n")
    print("| command | before | after | after / before |\n|---|---|---|---|")
    ratio = first["after"] / first["before"]
    print(
        f"| `generate` (first, cold) | {first['before']:.3f} | {first['after']:.3f} | {ratio:.2f} |"
    )
    for command in commands:
        before = statistics.median(times[(command, "before")])
        after = statistics.median(times[(command, "after")])
        print(f"| `{command}` | {before:.3f} | {after:.3f} | {after / before:.2f} |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
