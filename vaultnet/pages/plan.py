"""What a generation does to the vault, decided before anything is written: a generator's pages
against the pages vaultnet already placed, as a list of actions (pure). `vaultnet.pages.generate`
gathers the state, runs each generator, plans its pages here and applies the plan.

Only pages vaultnet placed are its own to replace or remove: the index records, per generator,
the paths it placed (`IndexView.owned`); a generator with no record yet (a new or rebuilt index)
owns the marked pages in the output folder. A note carrying the marker anywhere else (a page the
user moved, copied or made their own) is the user's: its name is protected like any note's, it is
never changed or removed, and `doctor` lists it as `generated-page-moved`.

A page the user edited is frozen: never rewritten or removed (the writer checks again), and the
pages it links to are kept too (an edited Reconnect page keeps the briefs it links to), until
`generate --force` replaces it: the user's version is kept first as a note of theirs beside it
(`<name> (edited).md`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Literal

from vaultnet.pages.api import Page
from vaultnet.pages.names import edited_copy, place_pages
from vaultnet.vault.model import Problem
from vaultnet.vault.resolve import file_name, fold

PAGE = "page"
BLOCK = "block"
"""The two kinds of thing a generator owns (`IndexView.owned`): pages, and notes holding its
marked block."""


@dataclass(frozen=True, slots=True)
class Action:
    """One thing to do to the vault for a generator."""

    kind: Literal["write", "remove", "refuse", "block"]
    path: str
    body: str = ""
    """`write`: the page; `block`: the block's content ("": remove the block)."""
    reason: str = ""
    """`refuse`: why the page is left as it is; `write`: why it has another name than asked."""
    same_as: str | None = None
    """`remove`: unless this is the same file as the kept page at `same_as` (the same name in
    another case, on a case-insensitive disk)."""
    keep_as: str | None = None
    """`write`/`remove` of a page the user edited, forced: where their version is kept first."""


@dataclass(frozen=True, slots=True)
class PagePlan:
    """One generator's pages against the vault."""

    generator: str
    owned: frozenset[str]
    """The pages it owns from the first write on: those it had and those it writes (recorded
    before anything is written: a crash midway leaves no page unowned)."""
    keep: frozenset[str]
    """The pages it owns once done (plus any whose removal is refused)."""
    actions: tuple[Action, ...]
    problems: tuple[Problem, ...] = ()
    """Pages written under another name (`page-renamed`)."""


@dataclass(frozen=True, slots=True)
class PageState:
    """What placing pages depends on, as the run found the vault."""

    existing: Mapping[str, str]
    """Path -> generator of the marked pages vaultnet placed (its own)."""
    taken: Mapping[str, str]
    """Folded file name -> path: names a page being placed must not take (the user's notes,
    the pages of generators that do not run now, the pages placed so far in this run)."""
    blocked: Mapping[str, str] = field(default_factory=dict)
    """Page path -> why it must not be written now (its sync conflict copy was edited)."""
    blocks: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Generator -> the notes holding its marked block."""


def owned_pages(
    marked: Mapping[str, str], records: Mapping[str, frozenset[str]], output_folder: str
) -> tuple[dict[str, str], list[Problem]]:
    """Of the `marked` pages (path -> generator), those vaultnet placed: recorded by their
    generator (`records`), or in the output folder when it has no record yet; and a
    `generated-page-moved` problem for each of the others."""
    folder = fold(output_folder.strip("/")) + "/"
    folded = {name: {fold(p) for p in paths} for name, paths in records.items()}
    own: dict[str, str] = {}
    problems = []
    for path, generator in sorted(marked.items()):
        record = records.get(generator)
        if record is None:
            mine = fold(path).startswith(folder)
        else:
            mine = path in record or fold(path) in folded[generator]
        if mine:
            own[path] = generator
        else:
            problems.append(moved(path, generator))
    return own, problems


def starting_state(
    existing: Mapping[str, str],
    notes: Iterable[str],
    running: Iterable[str],
    *,
    blocked: Mapping[str, str] | None = None,
    blocks: Mapping[str, frozenset[str]] | None = None,
) -> PageState:
    """The state before the first generator: every note that is not a page of vaultnet's own
    takes its name, and so do the pages of the generators that do not run (nor are disabled:
    `running` names both)."""
    running = set(running)
    taken = {file_name(path): path for path, gen in existing.items() if gen not in running}
    taken.update({file_name(path): path for path in notes if path not in existing})
    return PageState(existing, taken, blocked or {}, blocks or {})


def plan_pages(
    state: PageState,
    name: str,
    wanted: Iterable[Page],
    *,
    edited: Mapping[str, AbstractSet[str]] | None = None,
    force: AbstractSet[str] = frozenset(),
) -> tuple[PagePlan, PageState]:
    """The actions that make generator `name`'s pages exactly `wanted` (a disabled generator
    wants none), and the state for the next generator (its names taken). `edited`: the
    generator's pages the user edited, each with the paths it links to; `force`: those of them
    to replace (or remove), keeping the user's version first. An edited page that stays keeps
    every page it links to."""
    wanted = list(wanted)
    edited = edited or {}
    forced = {path for path in edited if path in force}
    held = {target for path, links in edited.items() if path not in forced for target in links}
    pages = sorted((p for p in wanted if not p.block), key=lambda p: p.path)
    spots = place_pages([p.path for p in pages], state.taken)
    keep = frozenset(spot.path for spot in spots)
    before = {path for path, gen in state.existing.items() if gen == name}
    gone = sorted(before - keep)
    keep |= {path for path in gone if path in held}  # still linked from an edited page
    taken = {**state.taken, **{file_name(path): path for path in keep}}
    actions: list[Action] = []
    problems: list[Problem] = []

    def keep_as(path: str) -> str | None:
        if path not in forced:
            return None
        copy = edited_copy(path, taken)
        taken[file_name(copy)] = copy
        return copy

    for page, spot in zip(pages, spots, strict=True):
        if spot.reason:
            problems.append(Problem(spot.path, None, "page-renamed", f"{name}: {spot.reason}"))
        if spot.path in state.blocked:
            actions.append(Action("refuse", spot.path, reason=state.blocked[spot.path]))
        else:
            copy = keep_as(spot.path)
            actions.append(Action("write", spot.path, page.body, spot.reason, keep_as=copy))
    kept = {fold(path): path for path in keep}
    for path in gone:
        if path not in keep:
            actions.append(
                Action("remove", path, same_as=kept.get(fold(path)), keep_as=keep_as(path))
            )
    bodies = {p.path: p.body for p in wanted if p.block}
    for path in sorted(state.blocks.get(name, frozenset()) | bodies.keys()):
        actions.append(Action("block", path, bodies.get(path, "")))
    plan = PagePlan(name, frozenset(before | keep), keep, tuple(actions), tuple(problems))
    return plan, replace(state, taken=taken)


def plan_urgent(
    existing: Mapping[str, str],
    notes: Iterable[str],
    conflicts: Iterable[str],
    name: str,
    pages: Iterable[Page],
) -> PagePlan:
    """Some pages of generator `name` ahead of its full run (`UrgentPages`): a page is written
    only at its own path, and only where that path is already this generator's page or free (no
    note or page has its name, no sync conflict copy of it exists); anything else, and every
    removal, waits for the full run. `conflicts`: the originals of the vault's conflict copies."""
    mine = {path for path, gen in existing.items() if gen == name}
    copied = set(conflicts)
    wanted = {p.path: p for p in pages if not p.block and p.path not in copied}
    new = sorted(path for path in wanted if path not in mine)
    fits: set[str] = set()
    if new:  # pages that do not exist yet take a name no note or page has
        taken = {file_name(path): path for path in notes}
        fits = {spot.path for spot in place_pages(new, taken) if spot.path == spot.requested}
    chosen = sorted(mine & wanted.keys() | fits)
    actions = tuple(Action("write", path, wanted[path].body) for path in chosen)
    return PagePlan(name, frozenset(mine | fits), frozenset(mine | fits), actions)


def moved(path: str, generator: str) -> Problem:
    return Problem(
        path,
        None,
        "generated-page-moved",
        f"carries the {generator!r} generator's marker but vaultnet did not place it here "
        "(moved or copied?): it is your note, never changed or removed by vaultnet; delete its "
        "`vaultnet-generator` line to make it a plain note",
    )
