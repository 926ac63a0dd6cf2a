"""`vaultnet generate`: run the generators and hand their pages to the safe writer.

Two phases, as in a static-site build: first every generator turns the index into `Page` records
(pure), then the writer reconciles the vault with them: new or changed pages are written,
identical ones left untouched, pages nobody wants any more removed, and anything the user edited is
refused and reported, never overwritten. A generator that raises is reported and its pages are
left as they are (a bug must not delete pages).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vaultnet.blocks import QUIET_SECONDS, write_block
from vaultnet.index import Index
from vaultnet.model import Problem
from vaultnet.names import place_pages
from vaultnet.plugins import GenerateContext, Generator, Page
from vaultnet.resolve import file_name
from vaultnet.write import (
    REFUSED,
    REMOVED,
    UNCHANGED,
    WRITTEN,
    Outcome,
    clean_temp_files,
    conflict_original,
    remove_conflict_copy,
    remove_page,
    write_page,
)

log = logging.getLogger("vaultnet.generate")
BLOCKS_META = "blocks:"
"""Index meta key prefix: the notes holding a generator's marked block (to remove stale ones)."""


@dataclass(slots=True)
class GenerateReport:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    """Problems per generator that ran (refused and renamed pages, generator errors)."""
    seconds: float = 0.0

    def paths(self, action: str) -> list[str]:
        return sorted({o.path for o in self.outcomes if o.action == action})

    def changed(self) -> list[str]:
        return sorted({o.path for o in self.outcomes if o.action in (WRITTEN, REMOVED)})

    def to_json(self) -> dict[str, Any]:
        return {
            "written": self.paths(WRITTEN),
            "unchanged": self.paths(UNCHANGED),
            "removed": self.paths(REMOVED),
            "refused": [
                {"path": o.path, "reason": o.reason}
                for o in sorted(self.outcomes, key=lambda o: o.path)
                if o.action == REFUSED
            ],
            "problems": [
                {"path": p.path, "kind": p.kind, "message": p.message} for p in self.all_problems()
            ],
        }

    def all_problems(self) -> list[Problem]:
        return sorted(
            (p for ps in self.problems.values() for p in ps), key=lambda p: (p.path, p.message)
        )


def generate_pages(
    index: Index,
    generators: Iterable[Generator],
    today: dt.date,
    *,
    disabled: Iterable[str] = (),
    dry_run: bool = False,
    block_quiet: float = QUIET_SECONDS,
) -> GenerateReport:
    """Run `generators` against the (current) index and reconcile their pages with the vault.
    Pages of the generators named in `disabled` are removed (unless edited). A note saved less
    than `block_quiet` seconds ago gets no block this time."""
    start = time.perf_counter()
    store, root = index.store, index.root
    context = GenerateContext(store, root, index.config, index.settings, today)
    report = GenerateReport()
    existing = store.generated_pages()
    files = store.files()
    user_notes = {
        file_name(path): path
        for path, row in files.items()
        if row.kind == "note" and path not in existing
    }
    blocked = _conflict_copies(index, files, report, dry_run)
    wanted: dict[str, list[Page]] = {}
    for generator in generators:
        name = generator.name
        report.problems[name] = []
        try:
            wanted[name] = list(generator.generate(context))
        except Exception as error:
            log.exception("generator %s failed", name)
            report.problems[name].append(
                Problem(
                    ".vaultnet.toml",
                    None,
                    "generator-failed",
                    f"{name}: failed ({type(error).__name__}: {error}); its pages are kept",
                )
            )
    for name in disabled:
        wanted.setdefault(name, [])
        report.problems.setdefault(name, [])
    # Names already used by pages of generators that do not run now, and by the user's notes.
    taken = {file_name(path): path for path, gen in existing.items() if gen not in wanted}
    taken.update(user_notes)
    for name in sorted(wanted):
        pages = sorted((p for p in wanted[name] if not p.block), key=lambda p: p.path)
        placed = place_pages([p.path for p in pages], taken)
        keep: set[str] = set()
        for page, spot in zip(pages, placed, strict=True):
            taken[file_name(spot.path)] = spot.path
            keep.add(spot.path)
            if spot.reason:
                report.problems[name].append(
                    Problem(spot.path, None, "page-renamed", f"{name}: {spot.reason}")
                )
            if spot.path in blocked:
                outcome = Outcome(spot.path, REFUSED, blocked[spot.path])
            else:
                outcome = write_page(root, spot.path, name, page.body, dry_run=dry_run)
            _record(report, name, outcome)
        for path in sorted(p for p, gen in existing.items() if gen == name and p not in keep):
            _record(report, name, remove_page(root, path, name, dry_run=dry_run))
        _write_blocks(
            index, name, [p for p in wanted[name] if p.block], report, dry_run, block_quiet
        )
    if not dry_run:
        changed = report.changed()
        if changed:
            index.update(changed)
    report.seconds = time.perf_counter() - start
    return report


def _record(report: GenerateReport, name: str, outcome: Outcome) -> None:
    report.outcomes.append(outcome)
    if outcome.action == REFUSED:
        report.problems[name].append(
            Problem(outcome.path, None, "page-refused", f"{name}: {outcome.reason}")
        )


def _conflict_copies(
    index: Index, files: dict[str, Any], report: GenerateReport, dry_run: bool
) -> dict[str, str]:
    """Remove sync-conflict copies of generated pages that are vaultnet's own output; return the
    pages that must not be written because the user edited their conflict copy."""
    blocked: dict[str, str] = {}
    problems = report.problems.setdefault("conflicts", [])
    for path, row in sorted(files.items()):
        if row.kind != "conflict":
            continue
        outcome = remove_conflict_copy(index.root, path, dry_run=dry_run)
        if outcome is None:
            continue
        report.outcomes.append(outcome)
        if outcome.action == REFUSED:
            original = conflict_original(path)
            problems.append(Problem(path, None, "page-refused", outcome.reason))
            if original:
                blocked[original] = f"its sync conflict copy {path} was edited; merge it first"
    return blocked


def _write_blocks(
    index: Index, name: str, pages: list[Page], report: GenerateReport, dry_run: bool, quiet: float
) -> None:
    key = BLOCKS_META + name
    before = set(json.loads(index.store.meta(key) or "[]"))
    now = time.time()
    holding: set[str] = set()
    bodies = {p.path: p.body for p in pages}
    for path in sorted(before | set(bodies)):
        outcome = write_block(
            index.root,
            path,
            name,
            bodies.get(path, ""),
            now=now,
            quiet_seconds=quiet,
            dry_run=dry_run,
        )
        _record(report, name, outcome)
        refused = outcome.action == REFUSED
        if (path in bodies and not refused) or (refused and path in before):
            holding.add(path)
    if not dry_run:
        index.store.set_meta(key, json.dumps(sorted(holding)))
        index.store.commit()


def run_generate(index: Index, today: dt.date, *, dry_run: bool = False) -> GenerateReport:
    """The `generate` command: under the vault's lock, clean up after a crash, run every enabled
    generator and record refused or renamed pages as problems for `doctor`."""
    from vaultnet.lock import vault_lock
    from vaultnet.plugins import load_generators

    loaded = load_generators(index.config)
    if dry_run:
        report = generate_pages(
            index, loaded.generators, today, disabled=loaded.disabled, dry_run=True
        )
        report.problems["plugins"] = loaded.problems
        return report
    with vault_lock(index.path, "generate"):
        clean_temp_files(index.root)
        report = generate_pages(index, loaded.generators, today, disabled=loaded.disabled)
        report.problems["plugins"] = loaded.problems
        record_problems(index, report.problems)
    return report


def record_problems(index: Index, by_generator: dict[str, list[Problem]]) -> None:
    """Store the problems `doctor` shows for generation (one set, replaced as a whole)."""
    problems = [p for ps in by_generator.values() for p in ps]
    index.store.replace_problems(problems, source="generate")
    index.store.commit()
