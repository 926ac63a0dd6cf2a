"""`vaultnet generate`: run the generators and hand their pages to the safe writer.

As in a static-site build, first the facts, then the pages, then the writes: the run gathers
what placing pages depends on (which pages are vaultnet's own, which names are taken), then for
each generator in turn computes its `Page` records (pure), plans them against the vault
(`vaultnet.pages.plan`, pure) and applies the plan: new or changed pages written, identical ones
left untouched, pages nobody wants any more removed, anything the user edited refused and
reported, never overwritten. A generator that raises is reported and its pages are left as they
are (a bug must not delete pages). One generator's pages are written before the next runs: a
fast page (Reconnect) never waits for a slow generator (related notes on a large vault).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from vaultnet.behind import settle
from vaultnet.errors import Superseded
from vaultnet.index.scan import Index
from vaultnet.index.schema import damage
from vaultnet.pages.api import GenerateContext, Generator, Page, never
from vaultnet.pages.blocks import QUIET_SECONDS, write_block
from vaultnet.pages.keep import edited_pages, replace_edited
from vaultnet.pages.plan import (
    BLOCK,
    PAGE,
    PagePlan,
    owned_pages,
    plan_pages,
    plan_urgent,
    starting_state,
)
from vaultnet.pages.write import (
    KEPT,
    REFUSED,
    REMOVED,
    UNCHANGED,
    WRITTEN,
    Outcome,
    conflict_original,
    remove_conflict_copy,
    remove_page,
    write_page,
)
from vaultnet.vault.config import Settings
from vaultnet.vault.model import Problem

log = logging.getLogger("vaultnet.pages.generate")


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
        return sorted({o.path for o in self.outcomes if o.action in (WRITTEN, REMOVED, KEPT)})

    def settled(self, ran: Iterable[str]) -> set[str]:
        """Of the generators that `ran`, those whose pages are now as they made them: not
        stopped for newer edits, not failed, none of their pages refused."""
        unsettled = {n for n, found in self.problems.items() if any(_unsettles(p) for p in found)}
        return set(ran) - unsettled - set(self.superseded)

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
            "kept": [
                {"path": o.path, "page": o.reason.removeprefix("your version of ")}
                for o in sorted(self.outcomes, key=lambda o: o.path)
                if o.action == KEPT
            ],
            "problems": [
                {"path": p.path, "kind": p.kind, "message": p.message} for p in self.all_problems()
            ],
            "notices": self.notices,
        }

    def all_problems(self) -> list[Problem]:
        """Every problem once (two generators refused by one symlinked folder: one problem)."""
        found = {p for ps in self.problems.values() for p in ps}
        return sorted(found, key=lambda p: (p.path, p.message))

    def refusals(self) -> list[str]:
        """The refused pages in words, one line each, but one line for all the pages a
        symlinked folder refused."""
        lines: list[str] = []
        through: dict[tuple[str, str], list[str]] = {}
        for o in sorted(self.outcomes, key=lambda o: o.path):
            if o.action == REFUSED and o.via:
                through.setdefault((o.via, o.reason), []).append(o.path)
            elif o.action == REFUSED:
                lines.append(f"{o.path}: {o.reason}")
        for (via, reason), paths in sorted(through.items()):
            many = f"{len(paths)} pages in {via}" if len(paths) > 1 else paths[0]
            lines.append(f"{many}: {reason}")
        return lines


@dataclass(frozen=True, slots=True)
class Applying:
    """How a plan is applied: to which index and vault, and how carefully."""

    index: Index
    dry_run: bool = False
    block_quiet: float = QUIET_SECONDS
    """A note saved less than this many seconds ago gets no block this time."""
    indexed: set[str] = field(default_factory=set)
    """The pages written or removed so far that the index already holds as they are."""


def generate_pages(
    index: Index,
    settings: Settings,
    generators: Iterable[Generator],
    today: dt.date,
    *,
    disabled: Iterable[str] = (),
    dry_run: bool = False,
    block_quiet: float = QUIET_SECONDS,
    stale: Callable[[], bool] = never,
    force: bool | AbstractSet[str] = False,
    context: GenerateContext | None = None,
) -> GenerateReport:
    """Run `generators` against the (current) index and reconcile their pages with the vault.
    Pages of the generators named in `disabled` are removed (unless edited). `stale` goes to the
    generators (`GenerateContext.stale`); one that stops (`Superseded`) keeps its pages. `force`:
    replace the pages the user edited (True: all; else those at these paths), keeping their
    version beside each (`vaultnet.pages.keep`). `context`: the run's context when the caller
    has one already (the watcher's batch, whose urgent pages gathered facts this run reuses; its
    `stale` then applies). Returns once what the generators write behind them is on disk
    (`vaultnet.behind`)."""
    start = time.perf_counter()
    view, report = index.view, GenerateReport()
    context = context or GenerateContext(view, index.root, settings, today, stale)
    running = {g.name: g for g in generators}
    names = [*running, *sorted(set(disabled) - running.keys())]
    records = view.owned()
    existing, report.problems["pages"] = owned_pages(
        view.generated_pages(), _of_kind(records, PAGE), settings.output_folder
    )
    blocked = _conflict_copies(index, existing, report, dry_run)
    state = starting_state(
        existing,
        view.paths_of_kind("note"),
        names,
        blocked=blocked,
        blocks=_of_kind(records, BLOCK),
    )
    applying = Applying(index, dry_run, block_quiet)
    try:
        for name in names:
            report.problems[name] = []
            generator = running.get(name)
            try:
                wanted = list(generator.generate(context)) if generator is not None else []
            except Superseded:
                log.info("generator %s stopped: newer edits wait", name)
                report.superseded.append(name)
                continue
            except Exception as error:
                if damage(error):  # the index's fault, not the generator's: healed by the caller
                    raise
                log.exception("generator %s failed", name)
                report.problems[name].append(failed(name, error))
                continue
            mine = [path for path, gen in existing.items() if gen == name]
            edited = edited_pages(index.root, mine, name)
            links = _links_of(view, edited)
            forced = set(edited) if force is True else set(edited) & set(force or ())
            plan, state = plan_pages(state, name, wanted, edited=links, force=forced)
            report.problems[name] += plan.problems
            apply(applying, plan, report, records)
    finally:
        settle()  # what a generator writes behind it (`vaultnet.behind`) is on disk on return
    report.notices = list(context.notices)
    if not dry_run:  # what stands as made from the run's facts (a later run may take them over)
        context.gathering.made(running, report.settled(running))
    report.seconds = time.perf_counter() - start
    return report


def _unsettles(problem: Problem) -> bool:
    return problem.kind in ("generator-failed", "page-refused")


def failed(name: str, error: Exception) -> Problem:
    return Problem(
        ".vaultnet.toml",
        None,
        "generator-failed",
        f"{name}: failed ({type(error).__name__}: {error}); its pages are kept",
    )


def apply(
    applying: Applying,
    plan: PagePlan,
    report: GenerateReport,
    records: dict[tuple[str, str], frozenset[str]],
) -> None:
    """Carry out one generator's plan, then put what was written in the index (so the file
    events of vaultnet's own writes find nothing new). Ownership is recorded before anything is
    written and again after (`records`: what the index holds, kept current here)."""
    index, name, dry_run = applying.index, plan.generator, applying.dry_run
    root = index.root
    _own(applying, records, name, PAGE, plan.owned)
    still: set[str] = set()
    holding: set[str] = set()
    before_blocks = records.get((name, BLOCK), frozenset())
    now = time.time()
    for action in plan.actions:
        if action.keep_as is not None:
            body = action.body if action.kind == "write" else None
            outcomes = replace_edited(
                root, action.path, name, body, action.keep_as, dry_run=dry_run
            )
            for outcome in outcomes:
                _record(report, name, outcome)
                if outcome.action == REFUSED and action.kind == "remove":
                    still.add(action.path)
            continue
        if action.kind == "write":
            outcome = write_page(root, action.path, name, action.body, dry_run=dry_run)
        elif action.kind == "refuse":
            outcome = Outcome(action.path, REFUSED, action.reason)
        elif action.kind == "remove":
            if action.same_as and _same_file(index, action.path, action.same_as):
                continue  # the same file under another case (a case-insensitive disk)
            outcome = remove_page(root, action.path, name, dry_run=dry_run)
            if outcome.action == REFUSED:
                still.add(action.path)
        else:
            outcome = write_block(
                root,
                action.path,
                name,
                action.body,
                now=now,
                quiet_seconds=applying.block_quiet,
                dry_run=dry_run,
            )
            refused = outcome.action == REFUSED
            if (action.body and not refused) or (refused and action.path in before_blocks):
                holding.add(action.path)
        _record(report, name, outcome)
    _own(applying, records, name, PAGE, plan.keep | still)
    if any(a.kind == "block" for a in plan.actions):
        _own(applying, records, name, BLOCK, frozenset(holding))
    if not dry_run:
        fresh = set(report.changed()) - applying.indexed
        if fresh:
            index.update(sorted(fresh))
            applying.indexed.update(fresh)


def write_urgent(
    index: Index, settings: Settings, name: str, pages: Iterable[Page]
) -> GenerateReport:
    """Write some pages of generator `name` ahead of its full run (`UrgentPages`,
    `vaultnet.pages.plan.plan_urgent`). Problems are left for the full run to report."""
    start = time.perf_counter()
    view = index.view
    report = GenerateReport(problems={name: []})
    records = view.owned()
    existing, _ = owned_pages(
        view.generated_pages(), _of_kind(records, PAGE), settings.output_folder
    )
    conflicts = [conflict_original(path) or "" for path in view.paths_of_kind("conflict")]
    plan = plan_urgent(existing, view.paths_of_kind("note"), conflicts, name, pages)
    if plan.actions:
        apply(Applying(index), plan, report, records)
    report.seconds = time.perf_counter() - start
    return report


def record_problems(index: Index, by_generator: dict[str, list[Problem]]) -> None:
    """Store the problems `doctor` shows for generation (one set, replaced as a whole; a
    problem two generators share is stored once)."""
    problems = dict.fromkeys(p for ps in by_generator.values() for p in ps)
    with index.writer.transaction() as writer:
        writer.replace_problems(problems, source="generate")


def _of_kind(
    records: dict[tuple[str, str], frozenset[str]], kind: str
) -> dict[str, frozenset[str]]:
    return {name: paths for (name, k), paths in records.items() if k == kind}


def _own(
    applying: Applying,
    records: dict[tuple[str, str], frozenset[str]],
    name: str,
    kind: str,
    paths: frozenset[str],
) -> None:
    """Record `paths` as `name`'s own (only when that changed: the watcher runs this often)."""
    if applying.dry_run or records.get((name, kind)) == paths:
        return
    with applying.index.writer.transaction() as writer:
        writer.set_owned(name, kind, paths)
    records[(name, kind)] = paths


def _links_of(view: Any, pages: list[str]) -> dict[str, frozenset[str]]:
    """Each page of `pages` with the notes and pages it links to."""
    found: dict[str, set[str]] = {page: set() for page in pages}
    if pages:
        for link in view.links_from(pages):
            if link.path is not None:
                found[link.src].add(link.path)
    return {page: frozenset(paths) for page, paths in found.items()}


def _same_file(index: Index, path: str, other: str) -> bool:
    try:
        return os.path.samefile(index.root / path, index.root / other)
    except OSError:
        return False


def _record(report: GenerateReport, name: str, outcome: Outcome) -> None:
    """Keep an outcome; a refusal is a `page-refused` problem: one per page, or one for all the
    pages a symlinked folder refused (named by the folder, whichever generator met it)."""
    report.outcomes.append(outcome)
    if outcome.action != REFUSED:
        return
    if outcome.via:
        problem = Problem(outcome.via, None, "page-refused", outcome.reason)
    else:
        problem = Problem(outcome.path, None, "page-refused", f"{name}: {outcome.reason}")
    found = report.problems.setdefault(name, [])
    if problem not in found:
        found.append(problem)


def _conflict_copies(
    index: Index, owned: dict[str, str], report: GenerateReport, dry_run: bool
) -> dict[str, str]:
    """Remove sync-conflict copies of vaultnet's own pages that are still exactly its output;
    return the pages that must not be written because the user edited their conflict copy.
    A conflict copy of a note that is not vaultnet's own page is the user's: left alone."""
    blocked: dict[str, str] = {}
    problems = report.problems.setdefault("conflicts", [])
    for path in index.view.paths_of_kind("conflict"):
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
