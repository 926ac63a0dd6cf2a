"""`.vaultnet.toml` at the vault root, and `Settings`: everything a run reads from the vault's
configuration (that file and Obsidian's settings), read and validated once when a command or a
watcher batch starts. Every key is optional and validated with messages naming the key.

The top level holds general settings; each feature owns a table (`[people]`, `[reconnect]`,
`[related]`, `[network]`, `[generators]`, `[watch]`): a record class (a `Table`) whose `from_toml` validates it
with a `TableReader`, so every table's messages read the same way. `Settings.table(Kind)` hands a
feature its validated record.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, Self, TypeVar

from vaultnet.errors import ConfigError
from vaultnet.vault.model import Problem
from vaultnet.vault.settings import VaultSettings

CONFIG_NAME = ".vaultnet.toml"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FORBIDDEN_IN_NAMES = re.compile(r'[:*?"<>|]')
"""What Windows, macOS or Android forbid in a file or folder name (besides / and \\)."""
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{kind}{n}" for kind in ("com", "lpt") for n in range(10)]
)
DRIVE = re.compile(r"[A-Za-z]:")
MAX_FOLDER_BYTES = 255
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
    _no_control_characters(data, source)
    config = Config()
    values: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{key}] must be a table")
            sections[key] = value
        elif key == "output_folder":
            values[key] = output_folder(_string(source, key, value), source)
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


def output_folder(value: str, source: str = CONFIG_NAME) -> str:
    """`output_folder` checked: a relative path of plain folder names, each one Obsidian shows
    and every platform can create, so every page vaultnet writes lands where the path says."""

    shown = value if len(value) <= 60 else value[:57] + "..."

    def bad(why: str) -> ConfigError:
        return ConfigError(
            f"{source}: output_folder {shown!r} {why}; it must be a folder inside the vault, "
            'such as "Vaultnet" or "Meta/Generated"'
        )

    if value.startswith(("/", "\\", "~")) or DRIVE.match(value):
        raise bad("is not relative to the vault")
    if "\\" in value:
        raise bad("holds a backslash (separate folders with /)")
    folder = value.removesuffix("/")
    for part in folder.split("/"):
        if part in ("", ".", ".."):
            raise bad("has an empty, '.' or '..' part")
        if part.startswith("."):
            raise bad(f"has a hidden part ({part}: Obsidian shows no dot folder)")
        if part != part.strip() or part.endswith("."):
            raise bad(f"has a part that starts or ends with a space, or ends with a dot ({part!r})")
        forbidden = FORBIDDEN_IN_NAMES.search(part)
        if forbidden:
            raise bad(f"holds {forbidden.group()!r}, which some platform forbids in a name")
        if part.split(".")[0].lower() in WINDOWS_DEVICES:
            raise bad(f"has a part Windows reserves ({part})")
    size = len(folder.encode("utf-8", "surrogatepass"))
    if size > MAX_FOLDER_BYTES:
        raise bad(f"is too long ({size} bytes; at most {MAX_FOLDER_BYTES})")
    return folder


def _no_control_characters(data: dict[str, Any], source: str) -> None:
    """Raise ConfigError naming the first key whose name or value (at any depth) holds a
    control character (a NUL, a line break): no setting is a name, folder or tag with one."""

    def check(value: Any, where: list[str]) -> None:
        texts = [value] if isinstance(value, str) else []
        if isinstance(value, dict):
            texts = list(value)
            for key, inner in value.items():
                check(inner, [*where, str(key)])
        elif isinstance(value, list):
            for inner in value:
                check(inner, where)
        for text in texts:
            found = CONTROL.search(text)
            if found:
                name = (
                    f"[{where[0]}] {'.'.join(where[1:])}".strip()
                    if where and where[0] in SECTIONS
                    else ".".join(where)
                )
                raise ConfigError(
                    f"{source}: {name or 'a key'} holds a control character "
                    f"(U+{ord(found.group()):04X}); remove it"
                )

    check(data, [])


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
