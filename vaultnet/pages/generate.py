"""`vaultnet generate`: run the generators and hand their pages to the safe writer.

Two phases, as in a static-site build: first every generator turns the index into `Page` records
(pure), then the writer reconciles the vault with them: new or changed pages are written,
identical ones left untouched, pages nobody wants any more removed, and anything the user edited is
refused and reported, never overwritten. A generator that raises is reported and its pages are
left as they are (a bug must not delete pages).

Only pages vaultnet placed are its own to replace or remove: the index records, per generator, the
paths it placed; a generator with no record yet (a new or rebuilt index) owns the marked pages in
the output folder. A note carrying the marker anywhere else (a page the user moved, copied or
made their own) is the user's: its name is protected like any note's, it is never changed or
removed, and `doctor` lists it as `generated-page-moved`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from vaultnet.errors import Superseded
from vaultnet.index.scan import Index
from vaultnet.pages.api import GenerateContext, Generator, Page, never
from vaultnet.pages.blocks import QUIET_SECONDS, write_block
from vaultnet.pages.names import place_pages
from vaultnet.pages.write import (
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
from vaultnet.vault.model import Problem
from vaultnet.vault.resolve import file_name, fold

log = logging.getLogger("vaultnet.pages.generate")
BLOCKS_META = "blocks:"
"""Index meta key prefix: the notes holding a generator's marked block (to remove stale ones)."""
PLACED_META = "placed:"
"""Index meta key prefix: the pages a generator placed (the only ones it replaces or removes)."""


@dataclass(frozen=True, slots=True)
class Placed:
    """Which marked pages are vaultnet's own: per generator, the paths it recorded placing, or
    None when it has no record yet (then: the pages in the output folder). Paths compare as
    the disk may (NFC, case-insensitive)."""

    records: dict[str, frozenset[str] | None]
    output_folder: str
    """Folded, with a final `/`."""

    def owns(self, path: str, generator: str) -> bool:
        record = self.records.get(generator)
        if record is None:
            return fold(path).startswith(self.output_folder)
        return path in record or fold(path) in _folded(record)


@lru_cache(maxsize=16)
def _folded(paths: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(p) for p in paths)


def load_placed(index: Index, generators: Iterable[str]) -> Placed:
    records: dict[str, frozenset[str] | None] = {}
    for name in set(generators):
        raw = index.store.meta(PLACED_META + name)
        records[name] = None if raw is None else frozenset(json.loads(raw))
    return Placed(records, fold(index.config.output_folder.strip("/")) + "/")


def _set_placed(index: Index, placed: Placed, name: str, paths: set[str]) -> None:
    """Record where `name`'s pages are (only when that changed: the watcher runs this often)."""
    if placed.records.get(name) != paths:
        index.store.set_meta(PLACED_META + name, json.dumps(sorted(paths)))
        index.store.commit()
        placed.records[name] = frozenset(paths)


@dataclass(slots=True)
class GenerateReport:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    """Problems per generator that ran (refused and renamed pages, generator errors)."""
    superseded: list[str] = field(default_factory=list)
    """Generators that stopped because newer edits made their pages stale (pages kept)."""
    notices: list[str] = field(default_factory=list)
    """The generators' notices to the person running `generate` (`GenerateContext.notices`)."""
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
            "notices": self.notices,
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
    stale: Callable[[], bool] = never,
) -> GenerateReport:
    """Run `generators` against the (current) index and reconcile their pages with the vault.
    Pages of the generators named in `disabled` are removed (unless edited). A note saved less
    than `block_quiet` seconds ago gets no block this time. `stale` goes to the generators
    (`GenerateContext.stale`); one that stops (`Superseded`) keeps its pages as they are."""
    start = time.perf_counter()
    disabled = set(disabled)
    store, root = index.store, index.root
    context = GenerateContext(store, root, index.config, index.settings, today, stale)
    report = GenerateReport()
    generators = list(generators)
    marked = store.generated_pages()
    placed = load_placed(index, [*marked.values(), *(g.name for g in generators), *disabled])
    existing = {path: gen for path, gen in marked.items() if placed.owns(path, gen)}
    report.problems["pages"] = [
        _moved(path, gen) for path, gen in sorted(marked.items()) if path not in existing
    ]
    files = store.files()
    user_notes = {
        file_name(path): path
        for path, row in files.items()
        if row.kind == "note" and path not in existing
    }
    blocked = _conflict_copies(index, files, existing, report, dry_run)
    running = {g.name: g for g in generators}
    # Names already used by pages of generators that do not run now, and by the user's notes.
    taken = {
        file_name(path): path
        for path, gen in existing.items()
        if gen not in running and gen not in disabled
    }
    taken.update(user_notes)
    indexed: set[str] = set()
    # One generator at a time, each one's pages written before the next runs: a fast page
    # (Reconnect) never waits for a slow generator (related notes on a large vault).
    for name in [*running, *sorted(disabled - running.keys())]:  # in the order given
        report.problems[name] = []
        generator = running.get(name)
        try:
            wanted = list(generator.generate(context)) if generator is not None else []
        except Superseded:
            log.info("generator %s stopped: newer edits wait", name)
            report.superseded.append(name)
            continue
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
            continue
        pages = sorted((p for p in wanted if not p.block), key=lambda p: p.path)
        spots = place_pages([p.path for p in pages], taken)
        keep = {spot.path for spot in spots}
        before = {p for p, gen in existing.items() if gen == name}
        if not dry_run:  # recorded before writing: a crash midway leaves no page unowned
            _set_placed(index, placed, name, before | keep)
        for page, spot in zip(pages, spots, strict=True):
            taken[file_name(spot.path)] = spot.path
            if spot.reason:
                report.problems[name].append(
                    Problem(spot.path, None, "page-renamed", f"{name}: {spot.reason}")
                )
            if spot.path in blocked:
                outcome = Outcome(spot.path, REFUSED, blocked[spot.path])
            else:
                outcome = write_page(root, spot.path, name, page.body, dry_run=dry_run)
            _record(report, name, outcome)
        kept = {fold(p): p for p in keep}
        still: set[str] = set()
        for path in sorted(before - keep):
            if fold(path) in kept and _same_file(root, path, kept[fold(path)]):
                continue  # the same file under another case (a case-insensitive disk)
            outcome = remove_page(root, path, name, dry_run=dry_run)
            _record(report, name, outcome)
            if outcome.action == REFUSED:
                still.add(path)
        if not dry_run:
            _set_placed(index, placed, name, keep | still)
        _write_blocks(index, name, [p for p in wanted if p.block], report, dry_run, block_quiet)
        if not dry_run:  # the index knows each generator's pages before the next one runs
            _index_written(index, report, indexed)
    if not dry_run:
        _index_written(index, report, indexed)
    report.notices = list(context.notices)
    report.seconds = time.perf_counter() - start
    return report


def _index_written(index: Index, report: GenerateReport, indexed: set[str]) -> None:
    """Put the pages written or removed since the last call in the index (`indexed`: those
    already put), so their file events find nothing new."""
    fresh = [path for path in report.changed() if path not in indexed]
    if fresh:
        index.update(fresh)
        indexed.update(fresh)


def write_urgent(index: Index, name: str, pages: Iterable[Page]) -> GenerateReport:
    """Write some pages of generator `name` ahead of its full run (`UrgentPages`). A page is
    written only at its own path, and only where that path is already this generator's page or
    free (no note or page has its name, no sync conflict copy of it exists); anything else, and
    every removal, waits for the full run. Problems are left for the full run to report."""
    start = time.perf_counter()
    store, root = index.store, index.root
    report = GenerateReport(problems={name: []})
    marked = store.generated_pages()
    placed = load_placed(index, [*marked.values(), name])
    mine = {path for path, gen in marked.items() if gen == name and placed.owns(path, gen)}
    copied = {conflict_original(path) for path in store.paths_of_kind("conflict")}
    wanted = {p.path: p for p in pages if not p.block and p.path not in copied}
    new = sorted(path for path in wanted if path not in mine)
    fits: set[str] = set()
    if new:  # pages that do not exist yet take a name no note or page has
        taken = {file_name(path): path for path in store.paths_of_kind("note")}
        fits = {spot.path for spot in place_pages(new, taken) if spot.path == spot.requested}
    if fits:  # recorded before writing: a crash midway leaves no page unowned
        _set_placed(index, placed, name, mine | fits)
    for path in sorted(mine & wanted.keys() | fits):
        _record(report, name, write_page(root, path, name, wanted[path].body))
    _index_written(index, report, set())
    report.seconds = time.perf_counter() - start
    return report


def _moved(path: str, generator: str) -> Problem:
    return Problem(
        path,
        None,
        "generated-page-moved",
        f"carries the {generator!r} generator's marker but vaultnet did not place it here "
        "(moved or copied?): it is your note, never changed or removed by vaultnet; delete its "
        "`vaultnet-generator` line to make it a plain note",
    )


def _same_file(root: Path, path: str, other: str) -> bool:
    try:
        return os.path.samefile(root / path, root / other)
    except OSError:
        return False


def _record(report: GenerateReport, name: str, outcome: Outcome) -> None:
    report.outcomes.append(outcome)
    if outcome.action == REFUSED:
        report.problems[name].append(
            Problem(outcome.path, None, "page-refused", f"{name}: {outcome.reason}")
        )


def _conflict_copies(
    index: Index,
    files: dict[str, Any],
    owned: dict[str, str],
    report: GenerateReport,
    dry_run: bool,
) -> dict[str, str]:
    """Remove sync-conflict copies of vaultnet's own pages that are still exactly its output;
    return the pages that must not be written because the user edited their conflict copy.
    A conflict copy of a note that is not vaultnet's own page is the user's: left alone."""
    blocked: dict[str, str] = {}
    problems = report.problems.setdefault("conflicts", [])
    for path, row in sorted(files.items()):
        if row.kind != "conflict":
            continue
        original = conflict_original(path)
        if original is None or original not in owned:
            continue
        outcome = remove_conflict_copy(index.root, path, owned[original], dry_run=dry_run)
        if outcome is None:
            continue
        report.outcomes.append(outcome)
        if outcome.action == REFUSED:
            problems.append(Problem(path, None, "page-refused", outcome.reason))
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
    from vaultnet.pages.lock import vault_lock
    from vaultnet.pages.plugins import load_generators

    loaded = load_generators(index.config)
    if dry_run:
        report = generate_pages(
            index, loaded.generators, today, disabled=loaded.disabled, dry_run=True
        )
        report.problems["plugins"] = loaded.problems
        return report
    with vault_lock(index.root, "generate"):
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
