"""The page-generator API: the one module a generator, built-in or third-party, imports.

A generator has a `name` and turns the vault into `Page` records; it never writes files (the safe
writer does, `vaultnet.pages.write`, with the guarantees in docs/plugins.md). It receives a
`GenerateContext`: the index read-only (`view`: an `IndexView`, where a write raises), the vault
folder, the run's `Settings` (`.vaultnet.toml` and its validated tables, Obsidian's settings),
the date, and the facts vaultnet gathers once per run and shares between generators
(`context.facts(people_facts)`: every contact, assessed under the user's `[people]` settings).
It returns every page that should exist. `affects` says whether a batch of changed note paths can
change its pages, so the watcher regenerates only what an edit can change. A slow generator may
also have `urgent_pages` (`UrgentPages`): the few pages an edit changes most, which the watcher
writes before the full run, and may raise `Superseded` when `context.stale()` says newer edits
wait. Every link a page holds is written by `LinkStyle` (the vault's link settings) and every
other piece of text from the vault goes through `inert` (`inert_line` at a line's start,
`inert_property` in a property value), so no page runs what a note says. Third-party generators
register an entry point in the group `vaultnet.generators` that names a zero-argument factory (or
the class itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from vaultnet.errors import Superseded
from vaultnet.ideas import IdeaFacts, IdeaRule
from vaultnet.index.gathering import Gathering
from vaultnet.index.rows import IncomingLink, LinkRow, NoteHead, NoteRow
from vaultnet.index.view import IndexView
from vaultnet.pages.inert import inert, inert_line, inert_property
from vaultnet.pages.links import LinkStyle, shared_names
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.facts import PeopleFacts, idea_facts, people_facts
from vaultnet.people.interactions import Evidence, Interaction
from vaultnet.vault.config import Config, Settings
from vaultnet.vault.settings import VaultSettings

__all__ = [
    "Config",
    "Contact",
    "Evidence",
    "GenerateContext",
    "Generator",
    "IdeaFacts",
    "IdeaRule",
    "IncomingLink",
    "IndexView",
    "Interaction",
    "LinkRow",
    "LinkStyle",
    "NoteHead",
    "NoteRow",
    "Page",
    "PeopleConfig",
    "PeopleFacts",
    "ReconnectConfig",
    "Settings",
    "Superseded",
    "UrgentPages",
    "VaultSettings",
    "idea_facts",
    "inert",
    "inert_line",
    "inert_property",
    "never",
    "people_facts",
    "user_notes_changed",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    """Vault-relative path the page should have, e.g. `Vaultnet/Reconnect.md`."""
    body: str
    """Markdown without frontmatter: the writer adds the marker frontmatter. No timestamps."""
    subject: str | None = None
    """The note the page is about, if any: the page is removed when that note is gone."""
    block: bool = False
    """True: `body` goes in a marked block at the end of the user's note at `path` (see
    `vaultnet.pages.blocks`) instead of a page of its own."""


def never() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class GenerateContext:
    view: IndexView
    """The index, read-only (a write raises)."""
    root: Path
    settings: Settings
    """`.vaultnet.toml` (`settings.config`, `settings.table(PeopleConfig)`) and Obsidian's
    settings (`settings.obsidian`), validated once for the run."""
    today: dt.date
    stale: Callable[[], bool] = never
    """True once newer edits wait to be applied (in `vaultnet watch`): a slow generator may ask
    now and then and raise `vaultnet.errors.Superseded` to stop; its pages stay as they are and
    the watcher runs it again on the new state."""
    notices: list[str] = field(default_factory=list)
    """Lines a generator adds for the person running `generate` (e.g. why it wrote fewer pages
    than it could, and how to get more): printed by `generate`, listed in its `--json`."""
    gathering: Gathering = field(init=False, repr=False, compare=False)
    """The run's facts gathered so far, shared by the generators of the run (`facts`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "gathering", Gathering(self.view, self.settings, self.today))

    def facts(self, gather: Callable[..., T], *scope: Any) -> T:
        """What `gather` finds (`people_facts`, `idea_facts`, or a function of the same shape),
        gathered once per run (per `scope`) and shared by every generator of the run."""
        return self.gathering.facts(gather, *scope)

    def link_style(self, page: str) -> LinkStyle:
        """How `page` (a path in the vault; a folder's pages: the folder and `/`) writes links,
        as Obsidian would; the vault's note names are counted once per run."""
        return LinkStyle.with_names(self.obsidian, page, self.facts(_shared_names))

    @property
    def config(self) -> Config:
        """`.vaultnet.toml`'s top level (`output_folder`, `me`, raw tables)."""
        return self.settings.config

    @property
    def obsidian(self) -> VaultSettings:
        """Obsidian's settings (daily notes, templates, link format)."""
        return self.settings.obsidian


@runtime_checkable
class Generator(Protocol):
    name: str
    """Short stable identifier (`reconnect`, `related`); recorded in each page's marker."""

    def generate(self, context: GenerateContext) -> list[Page]:
        """Every page this generator wants to exist now (pure: reads only the index)."""
        ...

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Whether changes to these note paths can change this generator's pages."""
        ...


@runtime_checkable
class UrgentPages(Protocol):
    """What a generator that also has `urgent_pages` offers (optional: the watcher looks for it
    and runs every generator in full either way)."""

    def urgent_pages(self, context: GenerateContext, changed: set[str]) -> list[Page]:
        """The pages a change to `changed` (vault paths) affects most, exactly as `generate`
        would return them now; a few, cheap to compute. The watcher writes them first (each
        at its own path, never a block, never removing a page), then runs `generate` in full."""
        ...


def user_notes_changed(context: GenerateContext, changed: set[str]) -> bool:
    """Whether any of `changed` is a note of the user's (not a page in the output folder): the
    `affects` answer of a generator that reads the whole vault."""
    own = context.config.output_folder + "/"
    return any(p.lower().endswith(".md") and not p.startswith(own) for p in changed)


def _shared_names(gathering: Gathering) -> tuple[tuple[str, int], ...]:
    return shared_names(gathering.view.paths_of_kind("note"))
