"""`.vaultnet.toml` at the vault root: every key optional, validated with messages naming the key.

The top level holds general settings; each feature owns a table (`[people]`, `[reconnect]`,
`[related]`, `[generators]`, `[watch]`) that its own module validates from `Config.section()`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from vaultnet.errors import ConfigError

CONFIG_NAME = ".vaultnet.toml"
SECTIONS = ("people", "reconnect", "related", "generators", "watch")


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
