"""Generator discovery: entry points, enable/disable in `.vaultnet.toml`, broken plugins skipped."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import without_footer
from entry_points import add_entry_points

from vaultnet.cli import cli
from vaultnet.errors import ConfigError
from vaultnet.pages.plugins import load_generators
from vaultnet.vault.config import Settings, parse_config

POINTS = {
    "listing": "sample_generators:Listing",
    "per-idea": "sample_generators:PerIdea",
    "missing": "vaultnet_no_such_module:Thing",
    "number": "sample_generators:NOT_A_GENERATOR",
}


@pytest.fixture(autouse=True)
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_entry_points(tmp_path / "site", monkeypatch, "vaultnet_test_plugins", POINTS)


def loaded_names(toml: str) -> tuple[list[str], list[str], dict[str, str]]:
    loaded = load_generators(Settings(parse_config(toml)))
    mine = {"listing", "per-idea"}
    problems = {
        p.message.split("'")[1]: p.kind
        for p in loaded.problems
        if not any(f"({m}." in p.message for m in ("vaultnet.people", "vaultnet.related"))
    }
    return [g.name for g in loaded.generators if g.name in mine], loaded.disabled, problems


def test_discovers_generators_and_reports_broken_ones() -> None:
    names, disabled, problems = loaded_names("")
    assert names == ["listing", "per-idea"]
    assert disabled == []
    assert problems == {"missing": "generator-unavailable", "number": "generator-unavailable"}


def test_disabled_generators_are_not_even_imported() -> None:
    names, disabled, problems = loaded_names("[generators]\nlisting = false\nmissing = false\n")
    assert names == ["per-idea"] and disabled == ["listing", "missing"]
    assert problems == {"number": "generator-unavailable"}


def test_unknown_names_in_the_config_are_reported() -> None:
    loaded = load_generators(Settings(parse_config("[generators]\nnope = true\n")))
    assert any(p.kind == "generator-unknown" and "nope" in p.message for p in loaded.problems)


def test_switches_must_be_booleans() -> None:
    with pytest.raises(ConfigError, match=r"\[generators\] listing must be true or false"):
        load_generators(Settings(parse_config('[generators]\nlisting = "off"\n')))


def test_a_failing_import_names_the_plugin_and_the_error() -> None:
    loaded = load_generators(Settings(parse_config("")))
    message = next(p.message for p in loaded.problems if "missing" in p.message)
    assert "vaultnet_no_such_module:Thing" in message
    assert "ModuleNotFoundError" in message and message.endswith("skipped")


def test_an_invalid_generator_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "mods" / "badname_plugin.py"
    module.parent.mkdir()
    module.write_text(
        "class Bad:\n    name = 'Bad Name'\n    def generate(self, c): return []\n"
        "    def affects(self, c, x): return True\n"
    )
    monkeypatch.syspath_prepend(str(module.parent))
    add_entry_points(tmp_path / "site2", monkeypatch, "badname", {"bad": "badname_plugin:Bad"})
    loaded = load_generators(Settings(parse_config("")))
    assert "Bad Name" not in [g.name for g in loaded.generators]
    assert any("'bad'" in p.message and "not a generator" in p.message for p in loaded.problems)


# --- the example third-party plugin (examples/plugins/people-this-week) ---------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "plugins" / "people-this-week"
WEEK_VAULT: dict[str, str | bytes] = {
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
    "People/Jane Doe.md": "Jane.\n",
    "People/Sam Lee.md": "Sam.\n",
    "Contacts/Old Friend.md": "Old.\n",
    "Daily/2026-11-24.md": "Lunch with [[Jane Doe]]\n%% [[Sam Lee]] %%\n",
    "Daily/2026-11-10.md": "Coffee with [[Old Friend]]\n",
    "Meetings/Kickoff.md": "---\ndate: 2026-11-25\n---\nWith [[Jane Doe]] and [[Sam Lee]]\n",
    "Daily/2026-11-30.md": "Upcoming: [[Old Friend]]\n",
}


def test_the_example_plugin_is_discovered_and_writes_its_page(
    make_vault: Callable[[dict[str, str | bytes]], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE))
    entry = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]["entry-points"]
    add_entry_points(
        tmp_path / "example-site", monkeypatch, "example", entry["vaultnet.generators"]
    )
    root = make_vault({**WEEK_VAULT, ".vaultnet.toml": "[generators]\nlisting = false\n"})
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "generate", "--today", "2026-11-26", "--json"],
        catch_exceptions=False,
    )
    assert "Vaultnet/People I met this week.md" in json.loads(result.output)["written"]
    body = without_footer((root / "Vaultnet/People I met this week.md").read_text())
    assert body.endswith(
        "# People I met this week (2026-11-20 to 2026-11-26)\n\n"
        "- [[Jane Doe]]: [[2026-11-24]], [[Kickoff]]\n"
        "- [[Sam Lee]]: [[Kickoff]]\n"
    )
    # the user's own [people] settings decide who is a person
    (root / ".vaultnet.toml").write_text(
        '[generators]\nlisting = false\n[people]\nfolders = ["Contacts"]\n'
    )
    CliRunner().invoke(cli, ["--vault", str(root), "generate", "--today", "2026-11-26"])
    body = without_footer((root / "Vaultnet/People I met this week.md").read_text())
    assert body.endswith("(2026-11-20 to 2026-11-26)\n\nNobody yet this week.\n")


def test_the_example_plugin_and_the_docs_use_only_the_api_module() -> None:
    """A plugin needs one module of vaultnet's: what docs/plugins.md and the example import."""
    import ast

    source = (EXAMPLE / "vaultnet_people_this_week" / "__init__.py").read_text()
    modules = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {m for m in modules if m.startswith("vaultnet")} == {"vaultnet.pages.api"}
    docs = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text()
    imported = set(re.findall(r"^from (vaultnet[\w.]*) import", docs, flags=re.MULTILINE))
    assert imported == {"vaultnet.pages.api"}


def test_the_former_import_path_of_the_api_still_works() -> None:
    import vaultnet.pages.api as api
    import vaultnet.plugins as former

    for name in api.__all__:
        assert getattr(former, name) is getattr(api, name), name
    assert {"Page", "GenerateContext", "Generator", "user_notes_changed"} <= set(api.__all__)


# --- the order generators run in ------------------------------------------------------------


def _add_ordered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: object) -> None:
    """A plugin `ordered` whose generator has this `order`."""
    monkeypatch.setattr("sample_generators.Ordered", _ordered(order), raising=False)
    points = {"ordered": "sample_generators:Ordered"}
    add_entry_points(tmp_path / "site-ordered", monkeypatch, "ordered", points)


def _ordered(order: object) -> type:
    return type(
        "Ordered",
        (),
        {
            "name": "ordered",
            "order": order,
            "generate": lambda self, context: [],
            "affects": lambda self, context, changed: True,
        },
    )


@pytest.mark.parametrize(
    ("order", "place"), [(-5, 0), (0, "by name"), (3, -1)], ids=["first", "unset", "last"]
)
def test_generators_run_by_order_then_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: int, place: int | str
) -> None:
    """The built-in related generator (order -1) runs before the others (its corpus is written
    behind their pages); a plugin's `order` puts it before or after the rest."""
    _add_ordered(tmp_path, monkeypatch, order)
    loaded = load_generators(Settings(parse_config("")))
    names = [g.name for g in loaded.generators]
    assert names[: names.index("related") + 1] in (["related"], ["ordered", "related"])
    if place == "by name":
        unsorted = [n for n in names if n != "related"]
        assert unsorted == sorted(unsorted) and names[0] == "related"
    else:
        assert names[place] == "ordered"  # type: ignore[index]


class _BadIndex:
    def __index__(self) -> int:
        raise ValueError("no order")


@pytest.mark.parametrize("order", ["first", 1.5, True, None, print, _BadIndex()])
def test_an_order_that_is_not_an_integer_counts_as_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: object
) -> None:
    """A plugin's `order` that is no integer (an attribute of its own, say) is no reason to
    skip it: it runs in name order."""
    _add_ordered(tmp_path, monkeypatch, order)
    loaded = load_generators(Settings(parse_config("")))
    names = [g.name for g in loaded.generators]
    assert names[0] == "related" and names[1:] == sorted(names[1:]) and "ordered" in names
    assert not any("'ordered'" in p.message for p in loaded.problems)
