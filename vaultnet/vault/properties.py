"""Frontmatter: find the block as Obsidian does, read it with python-frontmatter's YAML handler and a
loader that types values the way Obsidian shows them. Never re-serialises anything.

Obsidian only sees frontmatter when `---` is the very first line (after a BOM, which the caller has
removed) and a closing `---` follows. PyYAML's YAML 1.1 typing turns `NO` into False, `12:30` into
750 and `010` into 8; Obsidian keeps those as text, so this loader knows only YAML 1.2's plain
booleans, nulls, decimal integers, floats that print back as written, and dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import BaseResolver

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


FENCE = re.compile(r"---[ \t]*")


@dataclass(frozen=True, slots=True)
class Frontmatter:
    properties: dict[str, Any]
    yaml_text: str
    """The raw text between the fences ('' when there is no block)."""
    body_line: int
    """0-based index of the first body line in the note."""
    error: tuple[int, str, str] | None = None
    """(1-based line, problem kind, message) when the block exists but gives no properties."""


class ObsidianLoader(_Parser, SafeConstructor, BaseResolver):
    """PyYAML loader (libyaml-backed when available) with Obsidian's idea of value types."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        SafeConstructor.__init__(self)
        BaseResolver.__init__(self)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        """Property names as written (`true:` is the property "true", `1:` is "1"), and a
        repeated name is an error, as in Obsidian (PyYAML would keep the last silently)."""
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "found a list or mapping used as a property name",
                    key_node.start_mark,
                )
            key = key_node.value
            if key in mapping:
                raise ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_float_as_written(self, node: Any) -> float | str:
        text = self.construct_scalar(node)
        number = float(text)
        return number if repr(number) == text.lstrip("+") else str(text)

    def construct_date_or_text(self, node: Any) -> dt.date | str:
        try:
            value: dt.date = SafeConstructor.construct_yaml_timestamp(self, node)
            return value
        except ValueError:  # an impossible date such as 1990-02-29 stays text
            return str(self.construct_scalar(node))


ObsidianLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"[-+]?(?:0|[1-9][0-9]*)", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
        r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?",
        "0123456789",
    ),
):
    ObsidianLoader.add_implicit_resolver(_tag, re.compile(rf"^(?:{_pattern})$"), list(_first))
# (types-PyYAML's newer stubs do not admit a loader that mixes in the C parser)
ObsidianLoader.add_constructor(  # type: ignore[type-var,unused-ignore]
    "tag:yaml.org,2002:float", ObsidianLoader.construct_float_as_written
)
ObsidianLoader.add_constructor(  # type: ignore[type-var,unused-ignore]
    "tag:yaml.org,2002:timestamp", ObsidianLoader.construct_date_or_text
)

_HANDLER = YAMLHandler()


def split_frontmatter(lines: list[str]) -> tuple[str, int] | None:
    """(yaml text, 0-based index of the first body line), or None when there is no block."""
    if not lines or not FENCE.fullmatch(lines[0]):
        return None
    for i in range(1, len(lines)):
        if FENCE.fullmatch(lines[i]):
            return "\n".join(lines[1:i]), i + 1
    return None


def read_frontmatter(lines: list[str]) -> Frontmatter:
    """The note's properties. A malformed block gives none, as in Obsidian, and an error."""
    found = split_frontmatter(lines)
    if found is None:
        return Frontmatter({}, "", 0)
    text, body_line = found
    if not text.strip():
        return Frontmatter({}, text, body_line)
    try:
        data = _HANDLER.load(text, Loader=ObsidianLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark is not None and mark.line >= text.count("\n") + 1 and error.context_mark:
            mark = error.context_mark  # "unexpected end": point at what was left open
        line = mark.line + 2 if mark is not None else 1
        reason = error.problem or str(error)
        return Frontmatter(
            {},
            text,
            body_line,
            (line, "frontmatter-invalid", f"frontmatter is not valid YAML ({reason})"),
        )
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        return Frontmatter(
            {},
            text,
            body_line,
            (1, "frontmatter-invalid", f"frontmatter is not valid YAML ({reason})"),
        )
    if not _reasonable(data):
        return Frontmatter(
            {},
            text,
            body_line,
            (
                1,
                "frontmatter-invalid",
                "frontmatter nests or repeats itself (YAML aliases) too much",
            ),
        )
    if data is None:
        return Frontmatter({}, text, body_line)
    if not isinstance(data, dict):
        return Frontmatter(
            {},
            text,
            body_line,
            (1, "frontmatter-not-mapping", "frontmatter is not a list of properties"),
        )
    return Frontmatter({str(k): v for k, v in data.items()}, text, body_line)


MAX_VALUES = 20_000
MAX_DEPTH = 50


def _reasonable(data: Any) -> bool:
    """False for a block that refers to itself, nests deeper than MAX_DEPTH or expands (through
    YAML aliases) to more than MAX_VALUES values: a few hundred bytes can otherwise stand for
    megabytes, or loop forever, in everything that walks properties."""
    stack: list[tuple[Any, int, frozenset[int]]] = [(data, 0, frozenset())]
    count = 0
    while stack:
        value, depth, above = stack.pop()
        count += 1
        if count > MAX_VALUES or depth > MAX_DEPTH:
            return False
        if isinstance(value, dict | list | set):
            if id(value) in above:
                return False
            inner = above | {id(value)}
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1, inner) for item in items)
    return True
