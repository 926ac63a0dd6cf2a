"""Counts and days in words, the way every message and page writes them: "1 day", "2 days",
"yesterday", "in 3 days". Pure."""

from __future__ import annotations

IRREGULAR = {"person": "people", "is": "are", "has": "have", "was": "were"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 note`, `2 notes`, `1 person`, `3 people` (`many`: the plural when it is not regular)."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or IRREGULAR.get(word) or word + 's'}"


def days(count: int) -> str:
    """`1 day`, `5 days`."""
    return plural(count, "day")


def ago(count: int) -> str:
    """How long ago, in days: `today`, `yesterday`, `5 days ago`."""
    return {0: "today", 1: "yesterday"}.get(count, f"{days(count)} ago")


def within(count: int) -> str:
    """How far ahead, in days: `today`, `tomorrow`, `in 5 days`."""
    return {0: "today", 1: "tomorrow"}.get(count, f"in {days(count)}")
