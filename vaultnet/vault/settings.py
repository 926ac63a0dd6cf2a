"""Obsidian's own settings that change how a vault reads: daily notes, templates, excluded files
and link format. Built from the parsed JSON of `.obsidian/*.json` (read by `vault.py`); pure."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"


@dataclass(frozen=True, slots=True)
class VaultSettings:
    daily_folder: str = ""
    daily_format: str = DEFAULT_DAILY_FORMAT
    daily_template: str = ""
    template_folders: tuple[str, ...] = ()
    ignore_filters: tuple[str, ...] = ()
    """Obsidian's "Excluded files": path prefixes, or `/regex/`."""
    use_markdown_links: bool = False
    new_link_format: str = "shortest"
    """`shortest` | `relative` | `absolute`."""

    def daily_date(self, path: str) -> dt.date | None:
        """The date a daily note's file name spells, as Obsidian's daily-notes plugin reads it:
        any note under the daily folder whose base name matches the last `/`-segment of the format
        (obsidian-daily-notes-interface `getDateFromFile`)."""
        if self.daily_folder and not path.startswith(self.daily_folder + "/"):
            return None
        stem = path.rsplit("/", 1)[-1]
        if not stem.lower().endswith(".md"):
            return None
        from vaultnet.vault.dates import parse_moment  # loaded only when a note is read

        return parse_moment(stem[:-3], self.daily_format.rsplit("/", 1)[-1])

    def is_template(self, path: str) -> bool:
        return any(path.startswith(folder + "/") for folder in self.template_folders)

    def is_excluded(self, path: str) -> bool:
        for rule in self.ignore_filters:
            if len(rule) > 2 and rule.startswith("/") and rule.endswith("/"):
                try:
                    if re.search(rule[1:-1], path):
                        return True
                except re.error:
                    continue
            elif path.startswith(rule):
                return True
        return False

    def fingerprint(self) -> str:
        """Changes whenever a setting that changes what the index holds changes."""
        return json.dumps(asdict(self), sort_keys=True)


def _folder(value: Any) -> str:
    return str(value or "").strip().strip("/") if isinstance(value, str | type(None)) else ""


def settings_from_json(
    app: dict[str, Any], daily: dict[str, Any], templates: dict[str, Any], templater: dict[str, Any]
) -> VaultSettings:
    """Settings from the parsed `app.json`, `daily-notes.json`, `templates.json` and Templater's
    `plugins/templater-obsidian/data.json` (each `{}` when absent)."""
    folders = tuple(
        f
        for f in (_folder(templates.get("folder")), _folder(templater.get("templates_folder")))
        if f
    )
    filters = app.get("userIgnoreFilters") or []
    if isinstance(filters, str):  # hand-edited settings: one filter, not its characters
        filters = [filters]
    fmt = daily.get("format")
    template = _folder(daily.get("template"))
    return VaultSettings(
        daily_folder=_folder(daily.get("folder")),
        daily_format=fmt.strip() if isinstance(fmt, str) and fmt.strip() else DEFAULT_DAILY_FORMAT,
        daily_template=template,
        template_folders=tuple(dict.fromkeys(folders)),
        ignore_filters=tuple(str(f) for f in filters if isinstance(f, str) and f),
        use_markdown_links=bool(app.get("useMarkdownLinks", False)),
        new_link_format=str(app.get("newLinkFormat") or "shortest"),
    )
