"""vaultnet.vault.dates: cases in tests/cases/dates/*.json, plus properties over many dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.vault.dates import (
    fill_template,
    format_moment,
    parse_date_value,
    parse_moment,
    parse_month_day,
)

CASES = Path(__file__).parent / "cases" / "dates"

USER_FORMATS = [
    "YYYY-MM-DD",
    "YYYY/MM/YYYY-MM-DD",
    "YYYY/MMMM/YYYY-MMM-DD",
    "DD-MM-YYYY",
    "YYYYMMDD",
    "dddd, MMMM Do YYYY",
    "YYYY-MM-DD dddd",
    "MMM D, YYYY",
    "YYYY.MM.DD",
    "[Daily] YYYY-MM-DD",
    "YYYY-MM-DD ddd dd d e E W WW w ww GGGG gggg Q DDD DDDD",
]


def cases(name: str) -> list[Any]:
    """The cases of one file, each with a readable test id."""
    data = json.loads((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(c, id=json.dumps(c, ensure_ascii=False)[:80]) for c in data["cases"]]


def as_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


@pytest.mark.parametrize("case", cases("moment_both_ways.json"))
def test_format_then_parse(case: dict[str, str]) -> None:
    day = dt.date.fromisoformat(case["date"])
    assert format_moment(day, case["format"]) == case["text"]
    assert parse_moment(case["text"], case["format"]) == day


@pytest.mark.parametrize("case", cases("moment_parse.json"))
def test_parse_moment(case: dict[str, str]) -> None:
    assert parse_moment(case["text"], case["format"]) == as_date(case["date"])


@pytest.mark.parametrize("case", cases("moment_format.json"))
def test_format_moment(case: dict[str, str]) -> None:
    value = dt.datetime.fromisoformat(case["datetime"])
    assert format_moment(value, case["format"]) == case["text"]


@pytest.mark.parametrize("case", cases("date_values.json"))
def test_parse_date_value(case: dict[str, Any]) -> None:
    assert parse_date_value(case["value"]) == as_date(case["date"])


@pytest.mark.parametrize("case", cases("month_days.json"))
def test_parse_month_day(case: dict[str, Any]) -> None:
    expected = case["month_day"]
    assert parse_month_day(case["value"]) == (None if expected is None else tuple(expected))


@pytest.mark.parametrize("case", cases("templates.json"))
def test_fill_template(case: dict[str, str]) -> None:
    formats = {key: case[key] for key in ("date_format", "time_format") if key in case}
    when = dt.datetime.fromisoformat(case["when"])
    filled = fill_template(case["text"], title=case["title"], when=when, **formats)
    assert filled == case["expected"]


@pytest.mark.parametrize(
    ("value", "date"),
    [
        (dt.date(1990, 4, 15), dt.date(1990, 4, 15)),
        (dt.datetime(1990, 4, 15, 23, 59), dt.date(1990, 4, 15)),
        (dt.datetime(1990, 4, 15, 23, 59, tzinfo=dt.UTC), dt.date(1990, 4, 15)),
    ],
)
def test_date_objects_are_dates(value: dt.date, date: dt.date) -> None:
    assert parse_date_value(value) == date
    assert parse_month_day(value) == (date.month, date.day)


def test_format_takes_a_date_as_midnight() -> None:
    assert format_moment(dt.date(2024, 1, 5), "YYYY-MM-DD HH:mm A") == "2024-01-05 00:00 AM"


days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


@given(day=days, fmt=st.sampled_from(USER_FORMATS))
def test_full_date_formats_round_trip(day: dt.date, fmt: str) -> None:
    assert parse_moment(format_moment(day, fmt), fmt) == day


@given(day=st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31)))
def test_two_digit_years_round_trip_within_moments_pivot(day: dt.date) -> None:
    assert parse_moment(format_moment(day, "YY-MM-DD"), "YY-MM-DD") == day


@given(day=days)
def test_iso_weeks_match_python(day: dt.date) -> None:
    year, week, weekday = day.isocalendar()
    assert format_moment(day, "GGGG W E") == f"{year} {week} {weekday}"
    monday = day - dt.timedelta(days=weekday - 1)
    assert parse_moment(format_moment(day, "GGGG-[W]WW"), "GGGG-[W]WW") == monday


@given(day=days)
def test_en_weeks_start_on_sunday_and_week_1_holds_january_1(day: dt.date) -> None:
    sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    week_year = (sunday + dt.timedelta(days=6)).year
    jan1 = dt.date(week_year, 1, 1)
    week1 = jan1 - dt.timedelta(days=(jan1.weekday() + 1) % 7)
    expected = f"{week_year}-W{(sunday - week1).days // 7 + 1:02d}"
    assert format_moment(day, "gggg-[W]ww") == expected
    assert parse_moment(expected, "gggg-[W]ww") == sunday


@given(text=st.text(max_size=30), fmt=st.sampled_from([*USER_FORMATS, "YYYY-[W]WW", "gggg-[W]ww"]))
def test_parse_moment_never_raises(text: str, fmt: str) -> None:
    parse_moment(text, fmt)


@given(
    value=st.one_of(
        st.text(max_size=30),
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?", fullmatch=True),
        st.from_regex(r"(--)?[0-9]{2}-?[0-9]{2}", fullmatch=True),
        st.integers(),
        st.floats(),
        st.none(),
        st.booleans(),
        st.lists(st.integers(), max_size=3),
    )
)
def test_value_readers_never_raise(value: object) -> None:
    parse_date_value(value)
    parse_month_day(value)
