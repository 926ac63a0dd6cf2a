"""The Network page's pure parts: rhythm strips, the figures' rules at their edges, Mermaid
labels made inert, the `[network]` table, and the generator switched on and off. The pages on
whole vaults: `test_network_cases.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import without_footer
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.cli import cli
from vaultnet.errors import ConfigError
from vaultnet.network import mermaid
from vaultnet.network.config import NetworkConfig, network_config
from vaultnet.network.figures import heights, percents
from vaultnet.people.rhythm import month_start, monthly_counts, recent_months, rhythm_strip, strip

D = dt.date


def test_month_start_crosses_years() -> None:
    assert month_start(D(2026, 3, 31), 3) == D(2025, 12, 1)
    assert month_start(D(2026, 1, 1), 12) == D(2025, 1, 1)
    assert recent_months(D(2026, 2, 28), 3) == (D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1))


def test_monthly_counts_keep_to_the_window() -> None:
    today = D(2026, 11, 26)
    days = [D(2025, 11, 30), D(2025, 12, 1), D(2026, 6, 2), D(2026, 6, 9), D(2026, 11, 27)]
    # the day before the first month and the day after today are not counted
    assert monthly_counts(days, today) == (1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0)


def test_strip_scale_is_the_same_for_everyone() -> None:
    assert strip([0, 1, 2, 3, 4, 5, 6, 7, 40]) == "▁▃▄▅▆▇███"
    assert rhythm_strip([], D(2026, 11, 26)) == "▁" * 12


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([0, 0, 0], (0, 0, 0)),
        ([1, 1, 1], (34, 33, 33)),
        ([2, 1, 0], (67, 33, 0)),
        ([0.6, 0.25, 0.15], (60, 25, 15)),
        ([8, 1, 2], (73, 9, 18)),
    ],
)
def test_percents_add_up_to_100(counts: list[float], expected: tuple[int, ...]) -> None:
    assert percents(counts) == expected


@pytest.mark.parametrize("count", [0, 1, 2, 3, 10, 19, 20])
def test_every_tie_has_its_own_height_on_its_side_of_the_middle(count: int) -> None:
    ys = heights(count)
    strong = (count + 1) // 2
    assert len(ys) == len(set(ys)) == count
    assert list(ys) == sorted(ys, reverse=True)
    assert all(0.5 < y <= 0.9 for y in ys[:strong]) and all(0.05 <= y < 0.5 for y in ys[strong:])


HOSTILE = [
    'Ann "the Hammer" O\'Neil',
    "%%{init: {'theme': 'forest'}}%%",
    "<script>alert(1)</script>",
    "<% tp.file.title %>",
    'a]: [0.1, 0.2]\n"b',
    "x\ny```z",
    "#35; &amp; &lt;b&gt;",
    "[[Link]] | pipe \\ back",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_labels_hold_nothing_that_opens_anything(name: str) -> None:
    label = mermaid.label(name)
    assert not set(label) & set('"%{}<>&#;[]`\\|\n\r$=~^')
    assert label == " ".join(label.split()) and 0 < len(label) <= mermaid.LABEL_CHARS


@given(st.text())
def test_any_name_makes_a_plain_label(name: str) -> None:
    label = mermaid.label(name, "someone")
    assert not set(label) & set('"%{}<>&#;[]`\\\n\r')
    assert label and len(label) <= mermaid.LABEL_CHARS


def test_labels_keep_ordinary_names() -> None:
    for name in ["Jane Doe", "Zoë Müller", "李小龙", "O'Brien-Smith", "Dr. J. (Jo) Ng"]:
        assert mermaid.label(name) == name
    assert mermaid.label("%%") == "someone"
    assert mermaid.label("An extraordinarily long person name") == "An extraordinarily lo…"


def test_quadrant_points_read_as_mermaid_reads_them() -> None:
    block = mermaid.quadrant(
        "T", ("a", "b"), ("c", "d"), ["1", "2", "3", "4"], [("Sam", 0.0, 0.9995), ("Sam", 0.5, 0.1)]
    )
    assert block[-3:] == ['    "Sam": [0, 0.999]', '    "Sam (2)": [0.5, 0.1]', "```"]


def test_axis_ends_are_round() -> None:
    block = mermaid.xychart("T", ["Jan"], [0], None)
    assert "    y-axis 0 --> 1" in block
    assert "    y-axis 0 --> 500" in mermaid.xychart("T", ["Jan"], [301], [420])


def test_pie_colours_follow_the_groups_whatever_their_size() -> None:
    block = mermaid.pie("T", [("Current", 1), ("Revived", 0), ("New", 5)])
    assert block[4:6] == ['    pie1: "#22a699"', '    pie2: "#7c5cff"']  # new, then current
    assert block[-3:] == ['    "New" : 5', '    "Current" : 1', "```"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"enabled": "yes"}, "[network] enabled must be true or false"),
        ({"map_people": 21}, "[network] map_people must be a whole number from 1 to 20"),
        ({"mix_days": 0}, "[network] mix_days must be a whole number >= 1"),
        ({"drifting_min": 0}, "[network] drifting_min must be a whole number >= 1"),
        ({"colour": "red"}, "[network] unknown setting 'colour'"),
    ],
)
def test_network_config_errors(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        network_config(table)


def test_network_config_defaults() -> None:
    assert network_config({}) == NetworkConfig(True, 90, 20, 10, 3)


PEOPLE = {
    "People/Jane Doe.md": "---\ntags: [person]\n---\n",
    "Daily/2026-11-20.md": "- Met [[Jane Doe]]\n",
    ".obsidian/daily-notes.json": '{"folder": "Daily"}',
}


def _generate(root: Path) -> str:
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "--index", f"{root}.sqlite", "generate", "--today", "2026-11-26"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "switch", ["[network]\nenabled = false\n", "[generators]\nnetwork = false\n"]
)
def test_switched_off_the_page_goes(
    switch: str, make_vault: Callable[[dict[str, str]], Path]
) -> None:
    root = make_vault(PEOPLE)
    _generate(root)
    assert (root / "Vaultnet" / "Network.md").exists()
    (root / ".vaultnet.toml").write_text(switch, encoding="utf-8")
    assert "removed: Vaultnet/Network.md" in _generate(root)
    assert not (root / "Vaultnet" / "Network.md").exists()


def test_pages_for_an_empty_vault_and_one_without_contact(
    make_vault: Callable[[dict[str, str]], Path],
) -> None:
    root = make_vault({"Ideas/Compost.md": "Heaps.\n"})
    _generate(root)
    page = without_footer((root / "Vaultnet" / "Network.md").read_text(encoding="utf-8"))
    assert page.endswith(
        "# Network\n\nNo contacts yet: a note in a People or Contacts folder, "
        "or tagged person, is a contact, and a daily or meeting note that links "
        "one records a contact.\n"
    )
    root = make_vault({"People/Jane Doe.md": "---\ntags: [person]\n---\n"})
    _generate(root)
    page = (root / "Vaultnet" / "Network.md").read_text(encoding="utf-8")
    assert "1 contact, none with a recorded contact yet" in page and "```" not in page


def test_rhythm_beside_last_contact(make_vault: Callable[[dict[str, str]], Path]) -> None:
    """The Reconnect page and the brief show the last twelve months beside the last contact."""
    root = make_vault(
        {
            **PEOPLE,
            "People/Jane Doe.md": "---\ntags: [person]\ncadence: 7\n---\n",
            "Daily/2026-01-05.md": "- Met [[Jane Doe]]\n",
            "Daily/2026-01-06.md": "- Call with [[Jane Doe]]\n",
        }
    )
    _generate(root)
    reconnect = (root / "Vaultnet" / "Reconnect.md").read_text(encoding="utf-8").splitlines()
    at = reconnect.index("### [[Jane Doe]]")
    assert reconnect[at + 2].startswith("- last contact 6 days ago")
    assert reconnect[at + 3] == "- last 12 months: ▁▄▁▁▁▁▁▁▁▁▁▃"
    brief = (root / "Vaultnet" / "Briefs" / "Jane Doe (brief).md").read_text(encoding="utf-8")
    assert "last contact 2026-11-20 (6 days ago), last 12 months ▁▄▁▁▁▁▁▁▁▁▁▃;" in brief


def test_network_command_in_the_terminal(example_vault: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--vault", str(example_vault), "network", "--today", "2026-11-26"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Network on 2026-11-26"
    assert "  Oct 2026     7 (10)  ██████████████████████████████" in lines
    assert "  revived dormant     1    9% (aim 25%)  ██▊" in lines
    assert "  73% current, 9% revived, 18% new: fewer revivals than you aim for (25%)." in lines
    assert any(
        line.split()
        == ["Priya", "Natarajan", "2.15", "77", "42", "▁▁▃▁▁▃▁▃▁▃▁▁", "Reach", "out", "now"]
        for line in lines
    )
    assert any(line.split()[:4] == ["Tom", "Becker", "4", "0"] for line in lines)
