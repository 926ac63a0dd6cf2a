"""`.vaultnet.toml` at the vault root, and `Settings`: everything a run reads from the vault's
configuration (that file and Obsidian's settings), read and validated once when a command or a
watcher batch starts. Every key is optional and validated with messages naming the key.

The top level holds general settings; each feature owns a table (`[people]`, `[reconnect]`,
`[related]`, `[network]`, `[generators]`, `[watch]`): a record class (a `Table`) whose `from_toml` validates it
with a `TableReader`, so every table's messages read the same way. `Settings.table(Kind)` hands a
feature its validated record.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, Self, TypeVar

from vaultnet.errors import ConfigError
from vaultnet.vault.model import Problem
from vaultnet.vault.settings import VaultSettings

CONFIG_NAME = ".vaultnet.toml"
SECTIONS = ("people", "reconnect", "related", "network", "generators", "watch")


@dataclass(frozen=True, slots=True)
class Config:
    output_folder: str = "Vaultnet"
    """Where generated pages go, relative to the vault root."""
    max_note_bytes: int = 5_000_000
    """Larger `.md` files are reported and skipped (they are rarely notes)."""
    me: str | None = None
    """The vault owner's own note name; never a contact."""
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})


class Table(Protocol):
    """A feature's table of `.vaultnet.toml` as a validated record."""

    NAME: ClassVar[str]
    """The table's name: `[people]` is `people`."""

    @classmethod
    def from_toml(cls, table: dict[str, Any], config: Config) -> Self:
        """Validate the table (`config`: the whole file, for top-level keys such as `me`);
        raise `ConfigError` naming the table and the key."""
        ...


T = TypeVar("T", bound=Table)


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run reads from the vault's configuration, validated once: `.vaultnet.toml`
    (`config`, and every feature's table) and Obsidian's settings (`obsidian`)."""

    config: Config = field(default_factory=lambda: Config())
    obsidian: VaultSettings = field(default_factory=VaultSettings)
    tables: Mapping[type, Any] = field(default_factory=dict)
    """Each `Table` kind -> its validated record (`read_settings`)."""

    @property
    def output_folder(self) -> str:
        return self.config.output_folder

    def table(self, kind: type[T]) -> T:
        """The validated `[kind.NAME]` table. Kinds read at start (`read_settings`) are
        validated once; any other (a plugin's) is validated when asked for."""
        found = self.tables.get(kind)
        return (
            found
            if found is not None
            else kind.from_toml(self.config.section(kind.NAME), self.config)
        )


def read_settings(
    config: Config, obsidian: VaultSettings, kinds: Iterable[type[Table]]
) -> Settings:
    """`Settings` with every table of `kinds` validated (the first invalid one raises)."""
    return Settings(
        config,
        obsidian,
        {kind: kind.from_toml(config.section(kind.NAME), config) for kind in kinds},
    )


def settings_problems(config: Config, kinds: Iterable[type[Table]]) -> list[Problem]:
    """Every table of `kinds` that does not validate, as a `config-invalid` problem each (what
    `doctor` lists; a command stops at the first)."""
    problems = []
    for kind in kinds:
        try:
            kind.from_toml(config.section(kind.NAME), config)
        except ConfigError as error:
            message = str(error).removeprefix(f"{CONFIG_NAME}: ")
            problems.append(Problem(CONFIG_NAME, None, "config-invalid", message))
    return problems


def parse_config(text: str, source: str = CONFIG_NAME) -> Config:
    """Validate the TOML text of `.vaultnet.toml`; raise ConfigError naming the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML ({error})") from None
    config = Config()
    values: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{key}] must be a table")
            sections[key] = value
        elif key == "output_folder":
            folder = _string(source, key, value).strip().strip("/")
            if not folder or folder.startswith(".") or ".." in folder.split("/"):
                raise ConfigError(f"{source}: output_folder must be a folder inside the vault")
            values[key] = folder
        elif key == "max_note_bytes":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{source}: max_note_bytes must be a positive whole number")
            values[key] = value
        elif key == "me":
            values[key] = _string(source, key, value)
        else:
            known = ", ".join(["output_folder", "max_note_bytes", "me", *SECTIONS])
            raise ConfigError(f"{source}: unknown setting {key!r} (known: {known})")
    return Config(
        output_folder=values.get("output_folder", config.output_folder),
        max_note_bytes=values.get("max_note_bytes", config.max_note_bytes),
        me=values.get("me"),
        sections=sections,
    )


def _string(source: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {key} must be text")
    return value


class TableReader:
    """Reads the keys of one `.vaultnet.toml` table, each with its default, remembering which
    were read so `done()` can name an unknown key. Errors are `ConfigError`s naming the table and
    the key: `.vaultnet.toml: [related] k must be a whole number >= 1`."""

    def __init__(self, section: str, table: dict[str, Any]) -> None:
        self.section = section
        self.table = table
        self.seen: set[str] = set()

    def error(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{CONFIG_NAME}: [{self.section}] {key} must be {what}")

    def get(self, key: str) -> Any:
        """The raw value, or None when the key is absent (the caller validates it)."""
        self.seen.add(key)
        return self.table.get(key)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A list of text values (one text value is a list of one); blank entries drop."""
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "a list of text values")
        return tuple(v.strip() for v in value if v.strip())

    def number(self, key: str, default: int, *, minimum: int) -> int:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(key, f"a whole number >= {minimum}")
        return value

    def real(self, key: str, default: float) -> float:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise self.error(key, "a number >= 0")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "true or false")
        return value

    def choice(self, key: str, default: str, options: tuple[str, ...]) -> str:
        value = self.get(key)
        if value is None:
            return default
        if value not in options:
            raise self.error(key, "one of " + ", ".join(repr(o) for o in options))
        return str(value)

    def done(self) -> None:
        """Raise on the first key no one read (a typo, usually)."""
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            raise ConfigError(
                f"{CONFIG_NAME}: [{self.section}] unknown setting {unknown[0]!r} "
                f"(known: {', '.join(sorted(self.seen))})"
            )
