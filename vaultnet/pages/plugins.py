"""Generator plugins: discovery through the `vaultnet.generators` entry points, and the
`[generators]` switches of `.vaultnet.toml`. What a generator is: `vaultnet.pages.api`."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from vaultnet.errors import ConfigError
from vaultnet.vault.config import Config, Settings
from vaultnet.vault.model import Problem

if TYPE_CHECKING:  # loaded when generators are (a read-only command never needs them)
    from importlib import metadata

    from vaultnet.pages.api import Generator

ENTRY_POINT_GROUP = "vaultnet.generators"


@dataclass(frozen=True, slots=True)
class LoadedGenerators:
    generators: list[Generator]
    """The enabled generators that loaded, in the order they run (`run_order`)."""
    disabled: list[str]
    """Names switched off in `.vaultnet.toml` (their unedited pages are removed)."""
    problems: list[Problem]
    """Entry points that failed to load, or that are not generators: skipped, never fatal."""


@dataclass(frozen=True, slots=True)
class GeneratorSwitches:
    """`[generators]`: `name = false` switches a generator off (all are on by default)."""

    NAME: ClassVar[str] = "generators"
    switches: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> GeneratorSwitches:
        for name, value in table.items():
            if not isinstance(value, bool):
                raise ConfigError(f".vaultnet.toml: [generators] {name} must be true or false")
        return cls(dict(table))


def discover() -> list[metadata.EntryPoint]:
    """Every entry point in the `vaultnet.generators` group (built-ins included), by name."""
    from importlib import metadata

    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value))


def load_generators(settings: Settings) -> LoadedGenerators:
    """Load the generators `.vaultnet.toml` `[generators]` leaves enabled (all by default:
    `name = false` switches one off). A plugin that fails to import is reported and skipped."""
    from vaultnet.pages.api import Generator

    switches = settings.table(GeneratorSwitches).switches
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
        sorted(generators, key=run_order),
        sorted(n for n, on in switches.items() if not on),
        problems,
    )


def run_order(generator: Generator) -> tuple[int, str]:
    """Generators run by their optional `order` (an integer, 0 when unset or not an integer:
    lower runs first), then by name. The built-in related generator runs first (-1): the corpus
    it saves is then written while the others make their pages (`vaultnet.behind`). Besides
    whose pages are written first (in the watcher, the pages an edit changes wait for those of
    the generators before them), the order decides only which of two generators asking for one
    page name gets it."""
    try:
        order = getattr(generator, "order", 0)
        return (0 if isinstance(order, bool) else operator.index(order)), generator.name
    except Exception:  # any other value, or one that cannot be read
        return 0, generator.name


def _valid_name(name: object) -> bool:
    from vaultnet.pages.write import GENERATOR_NAME

    return isinstance(name, str) and GENERATOR_NAME.fullmatch(name) is not None


def _plugin_problem(entry: metadata.EntryPoint, why: str) -> Problem:
    return Problem(
        ".vaultnet.toml",
        None,
        "generator-unavailable",
        f"generator {entry.name!r} ({entry.value}) cannot be used: {why}; skipped",
    )
