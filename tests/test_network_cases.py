"""The Network page and `vaultnet network --json` on the vaults of `tests/cases/network/pages.yaml`:
months with no contact, a young vault, one person, the mix and its thresholds, drifting ties,
2,000 people, hostile names. Every Mermaid block on every page is also checked to be of an
allowed type with plain labels only (`assert_safe_mermaid`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from network_vaults import assert_safe_mermaid, case_files, load_cases

from vaultnet.cli import cli


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--vault", str(root), "--index", f"{root}.sqlite", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def _months(record: dict[str, Any]) -> list[str]:
    return [f"{m['month']} {m['people']}/{m['interactions']}" for m in record["months"]]


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: str(c["case"]))
def test_network_case(case: dict[str, Any], make_vault: Callable[[dict[str, str]], Path]) -> None:
    root = make_vault(case_files(case))
    today = str(case["today"])
    run(root, "generate", "--today", today)
    page = body(root / "Vaultnet" / "Network.md")
    record = json.loads(run(root, "network", "--today", today, "--json"))
    for key, want in (case.get("json") or {}).items():
        got = _months(record) if key == "months" else record[key]
        assert got == want, f"{key}: {json.dumps(got, ensure_ascii=False)}"
    lines = page.splitlines()
    for want in case.get("lines") or []:
        assert want in lines, f"no line {want!r} in\n{page}"
    for text in case.get("absent") or []:
        assert text not in page, f"{text!r} in\n{page}"
    assert_safe_mermaid(page)
    # the same pages, byte for byte, on the next run: nothing written
    assert "0 written" in run(root, "generate", "--today", today)
