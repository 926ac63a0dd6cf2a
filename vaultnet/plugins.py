"""The page-generator API. Every generator, built-in or third-party, is a plugin behind it.

A generator has a `name` and turns the index into `Page` records; it never writes files (the safe
writer does). `affects` says whether a batch of changed note paths can change its pages, so the
watcher regenerates only what an edit can change. A slow generator may also have `urgent_pages`
(`UrgentPages`): the few pages an edit changes most, which the watcher writes before the full run.
Third-party generators register an entry point in the group `vaultnet.generators` that names a
zero-argument factory (or the class itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from vaultnet.config import Config
from vaultnet.errors import ConfigError
from vaultnet.model import Problem
from vaultnet.settings import VaultSettings
from vaultnet.store import Store

ENTRY_POINT_GROUP = "vaultnet.generators"


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
    `vaultnet.blocks`) instead of a page of its own."""


def never() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class GenerateContext:
    store: Store
    root: Path
    config: Config
    settings: VaultSettings
    today: dt.date
    stale: Callable[[], bool] = never
    """True once newer edits wait to be applied (in `vaultnet watch`): a slow generator may ask
    now and then and raise `vaultnet.errors.Superseded` to stop; its pages stay as they are and
    the watcher runs it again on the new state."""


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


@dataclass(frozen=True, slots=True)
class LoadedGenerators:
    generators: list[Generator]
    """The enabled generators that loaded, sorted by name."""
    disabled: list[str]
    """Names switched off in `.vaultnet.toml` (their unedited pages are removed)."""
    problems: list[Problem]
    """Entry points that failed to load, or that are not generators: skipped, never fatal."""


def discover() -> list[metadata.EntryPoint]:
    """Every entry point in the `vaultnet.generators` group (built-ins included), by name."""
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value))


def load_generators(config: Config) -> LoadedGenerators:
    """Load the generators `.vaultnet.toml` `[generators]` leaves enabled (all by default:
    `name = false` switches one off). A plugin that fails to import is reported and skipped."""
    switches = _switches(config.section("generators"))
    generators: list[Generator] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for entry in discover():
        if entry.name in seen:
            problems.append(_plugin_problem(entry, "another plugin already uses this name"))
            continue
        seen.add(entry.name)
        if not switches.get(entry.name, True):
            continue
        try:
            loaded: Any = entry.load()
            generator = (
                loaded()
                if isinstance(loaded, type) or not isinstance(loaded, Generator)
                else loaded
            )
        except Exception as error:
            problems.append(_plugin_problem(entry, f"{type(error).__name__}: {error}"))
            continue
        if not isinstance(generator, Generator) or not _valid_name(
            getattr(generator, "name", None)
        ):
            problems.append(
                _plugin_problem(
                    entry, "not a generator (needs a lowercase `name`, `generate` and `affects`)"
                )
            )
            continue
        generators.append(generator)
    for name in sorted(set(switches) - seen):
        problems.append(
            Problem(
                ".vaultnet.toml",
                None,
                "generator-unknown",
                f"[generators] {name}: no installed generator has this name",
            )
        )
    return LoadedGenerators(
        sorted(generators, key=lambda g: g.name),
        sorted(n for n, on in switches.items() if not on),
        problems,
    )


def _switches(section: dict[str, Any]) -> dict[str, bool]:
    for name, value in section.items():
        if not isinstance(value, bool):
            raise ConfigError(f".vaultnet.toml: [generators] {name} must be true or false")
    return dict(section)


def _valid_name(name: object) -> bool:
    from vaultnet.write import GENERATOR_NAME

    return isinstance(name, str) and GENERATOR_NAME.fullmatch(name) is not None


def _plugin_problem(entry: metadata.EntryPoint, why: str) -> Problem:
    return Problem(
        ".vaultnet.toml",
        None,
        "generator-unavailable",
        f"generator {entry.name!r} ({entry.value}) cannot be used: {why}; skipped",
    )


def user_notes_changed(context: GenerateContext, changed: set[str]) -> bool:
    """Whether any of `changed` is a note of the user's (not a page in the output folder): the
    `affects` answer of a generator that reads the whole vault."""
    own = context.config.output_folder + "/"
    return any(p.lower().endswith(".md") and not p.startswith(own) for p in changed)
