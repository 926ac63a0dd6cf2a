"""The page-generator API. Every generator, built-in or third-party, is a plugin behind it.

A generator has a `name` and turns the index into `Page` records; it never writes files (the safe
writer does). `affects` says whether a batch of changed note paths can change its pages, so the
watcher regenerates only what an edit can change. Third-party generators register an entry point
in the group `vaultnet.generators` that names a zero-argument factory (or the class itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from vaultnet.config import Config
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


@dataclass(frozen=True, slots=True)
class GenerateContext:
    store: Store
    root: Path
    config: Config
    settings: VaultSettings
    today: dt.date


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
