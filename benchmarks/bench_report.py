"""scan_bench's results and the bars they are held to, as markdown tables. Pure: no I/O."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

FLOOR = "floor"
OTOOLS = "obsidiantools"
COLD = "vaultnet cold"
NO_CHANGE = "vaultnet no-change"
ONE_EDIT = "vaultnet one-edit (CLI)"
IN_PROCESS = "vaultnet one-edit (in-process)"
COLUMNS = (FLOOR, COLD, NO_CHANGE, ONE_EDIT, IN_PROCESS, OTOOLS)

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">=": operator.ge,
}


@dataclass
class SizeResult:
    notes: int
    best: dict[str, float] = field(default_factory=dict)
    """Measurement name -> seconds: best round for subprocesses, median edit for in-process."""

    def record(self, name: str, seconds: float) -> None:
        self.best[name] = min(seconds, self.best.get(name, seconds))


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    measured: str
    per: str | None
    """Divide by this measurement; None for a bar in seconds."""
    compare: str
    limit: float
    only_at: int | None = None
    """The one vault size the bar applies to; None for all."""

    def value(self, result: SizeResult) -> float | None:
        if self.only_at not in (None, result.notes) or self.measured not in result.best:
            return None
        if self.per is None:
            return result.best[self.measured]
        if self.per not in result.best:
            return None
        return result.best[self.measured] / result.best[self.per]

    def text(self) -> str:
        return f"{self.compare} {self.limit:g}" + ("" if self.per else " s")


BARS = (
    Bar("vaultnet cold / floor", COLD, FLOOR, "<=", 1.5),
    Bar("no-change / floor", NO_CHANGE, FLOOR, "<=", 0.15),
    Bar("one-edit CLI / floor", ONE_EDIT, FLOOR, "<=", 0.15),
    Bar("obsidiantools / vaultnet cold", OTOOLS, COLD, ">=", 10),
    Bar("vaultnet cold", COLD, None, "<", 3.0, only_at=10_000),
    Bar("no-change", NO_CHANGE, None, "<", 0.25, only_at=10_000),
    Bar("in-process one edit", IN_PROCESS, None, "<", 0.050),
)


def seconds_cell(name: str, result: SizeResult) -> str:
    if name not in result.best:
        return "n/a"
    return f"{result.best[name]:.4f}" if name == IN_PROCESS else f"{result.best[name]:.3f}"


def times_table(results: list[SizeResult]) -> list[str]:
    lines = [
        "| notes | " + " | ".join(f"{name} (s)" for name in COLUMNS) + " |",
        "| ---: |" + " ---: |" * len(COLUMNS),
    ]
    for result in results:
        cells = [seconds_cell(name, result) for name in COLUMNS]
        lines.append(f"| {result.notes:,} | " + " | ".join(cells) + " |")
    return lines


def checks_table(results: list[SizeResult]) -> tuple[list[str], bool]:
    """One row per bar and size that was measured; and whether all of them pass."""
    lines = ["| check | notes | value | bar | result |", "| --- | ---: | ---: | --- | --- |"]
    passed = True
    for bar in BARS:
        for result in results:
            value = bar.value(result)
            if value is None:
                continue
            ok = COMPARE[bar.compare](value, bar.limit)
            passed = passed and ok
            shown = f"{value:.3f}" if bar.per else f"{value:.4f} s"
            lines.append(
                f"| {bar.label} | {result.notes:,} | {shown} | {bar.text()} | "
                f"{'PASS' if ok else 'FAIL'} |"
            )
    if len(lines) == 2:
        lines = ["No bar applies: vaultnet was not measured."]
    return lines, passed


def markdown_report(results: list[SizeResult], machine: str, repeats: int) -> tuple[str, bool]:
    checks, passed = checks_table(results)
    lines = [
        "# vaultnet scan benchmark",
        "",
        f"{machine}. Subprocess times: best of {repeats} interleaved rounds, wall clock, "
        "including interpreter start. In-process: median of the edits.",
        "",
        *times_table(results),
        "",
        *checks,
        "",
    ]
    return "\n".join(lines), passed
