"""The advice the Reconnect page gives (`cases/people/*.json` with a `reconnect`, `brief`,
`doctor`, `contacts_text` or `audience` expectation): each case a small vault run through the
real CLI, and what it must say. The format is in `cases/README.md` ("People cases")."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultnet.cli import cli

CASES = Path(__file__).parent / "cases" / "people"
KEYS = ("reconnect", "brief", "doctor", "contacts_text", "audience", "page")
MakeVault = Callable[[dict[str, Any]], Path]


def advice_cases() -> list[str]:
    found = []
    for path in sorted(CASES.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if any(key in spec for key in KEYS):
            found.append(path.stem)
    return found


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def check_reconnect(data: dict[str, Any], expected: dict[str, Any], case: str) -> None:
    by_name = {s["name"]: s for s in data["suggestions"]}
    for key, want in expected.items():
        if key == "suggestions":
            got: Any = [[s["group"], s["name"]] for s in data["suggestions"]]
        elif key == "actions":
            got = {
                name: [
                    [a["kind"], a["text"], a["path"], a["line"]] for a in by_name[name]["actions"]
                ]
                for name in want
            }
        elif key == "share":
            got = {name: [i["path"] for i in by_name[name]["share"]] for name in want}
        elif key == "dates":
            got = [[d["name"], d["kind"]] for d in data["dates"]]
        elif key == "introductions":
            got = [[i["a"]["name"], i["b"]["name"], i["reasons"]] for i in data["introductions"]]
        elif key == "first_messages":
            got = [f["name"] for f in data["first_messages"]]
        elif key == "reasons":
            got = {name: by_name[name]["reasons"] for name in want}
        elif key == "mix":
            got = {k: data["mix"][k] for k in want}
        else:
            raise AssertionError(f"{case}: unknown reconnect expectation {key!r}")
        assert got == want, f"{case}: reconnect {key}"


@pytest.mark.parametrize("case", advice_cases())
def test_advice_case(case: str, make_vault: MakeVault) -> None:
    spec = json.loads((CASES / f"{case}.json").read_text(encoding="utf-8"))
    root = make_vault(spec["files"])
    today = ["--today", spec["today"]]
    if "reconnect" in spec:
        data = json.loads(run(root, "reconnect", *today, *spec.get("args", []), "--json"))
        check_reconnect(data, spec["reconnect"], case)
    for name, want in spec.get("brief", {}).items():
        brief = json.loads(run(root, "brief", name, *today, "--json"))
        text = run(root, "brief", name, *today)
        for key, value in want.items():
            if key == "says":
                assert value in text, f"{case}: brief of {name}:\n{text}"
            elif key == "together":
                names = {p["path"]: p for p in brief["together"]}
                got = [[Path(p).stem, n["count"]] for p, n in names.items()]
                assert got == value, f"{case}: brief of {name}: together"
            else:
                assert brief[key] == value, f"{case}: brief of {name}: {key}"
    if "doctor" in spec:
        problems = json.loads(run(root, "doctor", "--json"))["problems"]
        got = [
            [p["path"], p["line"], p["kind"]] for p in problems if p["kind"] in spec["doctor_kinds"]
        ]
        assert got == spec["doctor"], f"{case}: doctor"
    for line in spec.get("contacts_text", []):
        assert line in run(root, "contacts", *today), f"{case}: contacts"
    for idea, names in spec.get("audience", {}).items():
        found = json.loads(run(root, "audience", idea, *today, "--json"))
        assert [f["name"] for f in found] == names, f"{case}: audience of {idea}"
    if "page" in spec:
        run(root, "generate", *today)
        page = (root / "Vaultnet" / "Reconnect.md").read_text(encoding="utf-8")
        for line in spec["page"].get("has", []):
            assert line in page, f"{case}: page lacks {line!r}:\n{page}"
        for text in spec["page"].get("never", []):
            assert text not in page, f"{case}: page has {text!r}"


def test_every_advice_case_says_what_it_checks() -> None:
    for case in advice_cases():
        spec = json.loads((CASES / f"{case}.json").read_text(encoding="utf-8"))
        assert spec.get("doc") and spec.get("today"), case
