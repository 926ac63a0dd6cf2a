"""What every command and the watcher do first: open the vault's index and bring it up to date,
then read and validate the settings once (`Session`); and for what writes pages (`generate`,
`watch`), hold the vault's lock, clean up after an interrupted write and load the generators
(`writing`). Commands and the watcher then gather and compute; nothing below reads the
configuration again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.index.gathering import Gathering
from vaultnet.index.scan import Index, open_index
from vaultnet.network.config import NetworkConfig
from vaultnet.pages.plugins import GeneratorSwitches
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.related.config import RelatedConfig
from vaultnet.vault.config import Settings, Table, read_settings, settings_problems
from vaultnet.vault.lookup import Named, Wording, find_named
from vaultnet.vault.model import Problem
from vaultnet.vault.resolve import note_stem

if TYPE_CHECKING:  # what only writing commands load (a read-only command starts faster)
    from vaultnet.pages.generate import GenerateReport
    from vaultnet.pages.plugins import LoadedGenerators

TABLES: tuple[type[Table], ...] = (
    PeopleConfig,
    ReconnectConfig,
    RelatedConfig,
    NetworkConfig,
    GeneratorSwitches,
)
"""The built-in tables of `.vaultnet.toml`, validated when a run starts (the watcher adds its
own)."""


def load_settings(index: Index, extra: Iterable[type[Table]] = ()) -> Settings:
    """The run's `Settings` as of the last scan; the first invalid table raises `ConfigError`."""
    return read_settings(index.config, index.obsidian, (*TABLES, *extra))


def config_problems(index: Index, extra: Iterable[type[Table]] = ()) -> list[Problem]:
    """Every invalid table, one `config-invalid` problem each (for `doctor`)."""
    return settings_problems(index.config, (*TABLES, *extra))


def doctor_problems(index: Index, extra: Iterable[type[Table]] = ()) -> list[Problem]:
    """What `doctor` finds beyond the index's own problems: every invalid table; under valid
    settings only, the people's property values and the names written without a link."""
    from vaultnet.people.checks import property_problems, unlinked_problems
    from vaultnet.people.facts import contact_links, person_notes
    from vaultnet.vault.files import read_bytes

    found = config_problems(index, extra)
    if found:
        return found
    gathering = Gathering(index.view, load_settings(index), dt.date.today())
    rows = gathering.facts(person_notes).contacts
    found = property_problems(rows, lambda path: read_bytes(index.root, path))
    reach = gathering.facts(contact_links)
    return found + unlinked_problems(reach.unlinked, reach.counted)


@dataclass(frozen=True, slots=True)
class Session:
    """A command's vault: its index (up to date) and its settings (validated)."""

    index: Index
    settings: Settings

    def gathering(self, today: dt.date) -> Gathering:
        """A run over the index as it is now, for `today`."""
        return Gathering(self.index.view, self.settings, today)


@contextmanager
def session(
    root: Path,
    index_path: Path | None = None,
    *,
    scan: bool = True,
    check: bool = True,
    ahead: Callable[[Index], None] | None = None,
) -> Iterator[Session]:
    """The vault at `root` with its index brought up to date (`scan`) and its settings read
    (`check`: validated, the first invalid table raising `ConfigError`; else unvalidated, for
    `doctor`, which lists every problem instead). `ahead` is given the index before the scan (its
    path, and `.vaultnet.toml` as it was when it was opened), to start work of its own beside
    it (the saved related corpus read ahead: `vaultnet.cli_base.read_related_ahead`)."""
    with open_index(root, index_path) as index:
        if ahead is not None:
            ahead(index)
        if scan:
            index.scan()
        settings = load_settings(index) if check else Settings(index.config, index.obsidian)
        yield Session(index, settings)


@contextmanager
def writing(index: Index, settings: Settings, command: str) -> Iterator[LoadedGenerators]:
    """Hold the vault's page-writing lock (`command` says who holds it), remove what an
    interrupted write left, and load the enabled generators; temp files are cleaned again on
    the way out."""
    import logging

    from vaultnet.pages.lock import vault_lock
    from vaultnet.pages.plugins import load_generators
    from vaultnet.pages.write import clean_temp_files

    with vault_lock(index.root, command):
        cleaned = clean_temp_files(index.root)
        if cleaned:
            logging.getLogger("vaultnet.session").info(
                "removed %d temp file(s) left by an interrupted write", len(cleaned)
            )
        try:
            yield load_generators(settings)
        finally:
            clean_temp_files(index.root)


def run_generate(
    vault: Session, today: dt.date, *, dry_run: bool = False, force: bool | AbstractSet[str] = False
) -> GenerateReport:
    """The `generate` command: under the vault's lock, run every enabled generator and record
    refused or renamed pages as problems for `doctor` (a dry run writes nothing, lock-free).
    `force`: replace the edited pages too (True: all; else those at these paths), each kept
    first as the user's note beside it."""
    from vaultnet.pages.generate import generate_pages, record_problems
    from vaultnet.pages.plugins import load_generators

    index, settings = vault.index, vault.settings
    if dry_run:
        loaded = load_generators(settings)
        report = generate_pages(
            index,
            settings,
            loaded.generators,
            today,
            disabled=loaded.disabled,
            dry_run=True,
            force=force,
        )
        report.problems["plugins"] = loaded.problems
        return report
    with writing(index, settings, "generate") as loaded:
        report = generate_pages(
            index, settings, loaded.generators, today, disabled=loaded.disabled, force=force
        )
        report.problems["plugins"] = loaded.problems
        record_problems(index, report.problems)
    return report


def generated_page(vault: Session, name: str) -> str:
    """The path of the generated page `name` names (its name or path, any case; a near miss
    suggests the closest pages)."""
    pages = sorted(vault.index.view.generated_pages())
    items = [Named(path, (note_stem(path),)) for path in pages]
    return find_named(name, items, Wording("generated page", "generated pages"))
