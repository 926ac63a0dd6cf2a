"""Dates as Obsidian writes them: moment.js formats, frontmatter date values, template variables.

Supports the moment.js tokens daily-note formats use, with English names (moment's default `en`
locale). `[text]` is literal, as is any character that is not a supported token. Parsing follows
moment's strict mode: the whole text must match, numbers have the token's width, and each token
takes what it matches without backtracking.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
"""In moment's order: `d` is 0 on Sunday. Python's `date.weekday()` is 0 on Monday."""

# As moment tokenizes: `[...]` (with no `[` inside), the longest token, else one literal character.
_TOKEN_RE = re.compile(
    r"\[[^\[]*\]|YYYY|YY|Q|MMMM|MMM|MM|M|Do|DDDD|DDD|DD|D|dddd|ddd|dd|d|E|e|WW|W|ww|w"
    r"|GGGG|gggg|HH|H|hh|h|mm|m|ss|s|A|a|.",
    re.DOTALL,
)
_TEMPLATE_VAR_RE = re.compile(
    r"\{\{[ \t]*(?P<name>title|date|time)[ \t]*(?::(?P<fmt>.{0,256}?))?\}\}", re.I
)
"""`{{date:FORMAT}}`: a format of at most 256 characters, so a line of unclosed `{{date:` is
read in linear time (looking for `}}` from each to the line's end cost the square of its length)."""
_ISO_DATE_RE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_SLASH_DATE_RE = re.compile(r"(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})")
_MONTH_DAY_RES = (
    re.compile(r"(?:--)?(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"),
    re.compile(r"--(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),  # vCard's BDAY without a year
)


@dataclass(frozen=True, slots=True)
class _WeekRule:
    first_day: int
    """Python weekday the week starts on."""
    january_day: int
    """The week that contains this day of January is week 1."""


_ISO_WEEK = _WeekRule(first_day=0, january_day=4)
_EN_WEEK = _WeekRule(first_day=6, january_day=1)  # moment's default `en` locale


def _week_start(day: dt.date, rule: _WeekRule) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - rule.first_day) % 7)


def _week1_start(year: int, rule: _WeekRule) -> dt.date:
    return _week_start(dt.date(year, 1, rule.january_day), rule)


def _week_of(day: dt.date, rule: _WeekRule) -> tuple[int, int]:
    """(week year, week number) of `day` under `rule`."""
    if isinstance(day, dt.datetime):
        day = day.date()
    year = day.year
    if day < _week1_start(year, rule):
        year -= 1
    elif day >= _week1_start(year + 1, rule):
        year += 1
    return year, (_week_start(day, rule) - _week1_start(year, rule)).days // 7 + 1


def _first_day_of_week(year: int, week: int, rule: _WeekRule) -> dt.date | None:
    start = _week1_start(year, rule)
    weeks_in_year = (_week1_start(year + 1, rule) - start).days // 7
    return start + dt.timedelta(weeks=week - 1) if 1 <= week <= weeks_in_year else None


# What a date says for each field a token can set: parsed values are checked against these.
_DATE_FIELDS: dict[str, Callable[[dt.date], int]] = {
    "year": lambda d: d.year,
    "quarter": lambda d: (d.month - 1) // 3 + 1,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "day_of_year": lambda d: d.timetuple().tm_yday,
    "weekday": lambda d: d.weekday(),
    "iso_week": lambda d: _week_of(d, _ISO_WEEK)[1],
    "iso_week_year": lambda d: _week_of(d, _ISO_WEEK)[0],
    "week": lambda d: _week_of(d, _EN_WEEK)[1],
    "week_year": lambda d: _week_of(d, _EN_WEEK)[0],
}
_TIME_RANGES = dict(hour=(0, 23), hour12=(1, 12), meridiem=(0, 1), minute=(0, 59), second=(0, 59))


@dataclass(frozen=True, slots=True)
class _Token:
    pattern: str
    field: str
    read: Callable[[str], int]
    write: Callable[[dt.datetime], str]


def _name_token(
    names: tuple[str, ...],
    length: int | None,
    field: str,
    index_of: Callable[[dt.datetime], int],
    value_of: Callable[[int], int],
) -> _Token:
    """A token spelling a field as one of `names`, each cut to `length`; read ignoring case."""
    spelled = [name[:length] for name in names]
    index = {name.lower(): i for i, name in enumerate(spelled)}
    pattern = "(?i:" + "|".join(spelled) + ")"
    return _Token(
        pattern, field, lambda t: value_of(index[t.lower()]), lambda v: spelled[index_of(v)]
    )


def _month_name(length: int | None) -> _Token:
    return _name_token(MONTHS, length, "month", lambda v: v.month - 1, lambda i: i + 1)


def _weekday_name(length: int | None) -> _Token:
    return _name_token(
        WEEKDAYS, length, "weekday", lambda v: (v.weekday() + 1) % 7, lambda i: (i + 6) % 7
    )


def _ordinal(n: int) -> str:
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _two_digit_year(text: str) -> int:
    return int(text) + (1900 if int(text) > 68 else 2000)  # moment's pivot


def _number(pattern: str, field: str, value: Callable[[dt.datetime], int], width: int) -> _Token:
    return _Token(pattern, field, int, lambda v: str(value(v)).zfill(width))


def _meridiem(case: Callable[[str], str]) -> _Token:
    return _Token(
        "(?i:am|pm)",
        "meridiem",
        lambda t: int(t.lower() == "pm"),
        lambda v: case("pm" if v.hour >= 12 else "am"),
    )


_N2, _N12 = "[0-9]{2}", "[0-9]{1,2}"
_SUNDAY_BASED_WEEKDAY = _Token(
    "[0-6]", "weekday", lambda t: (int(t) + 6) % 7, lambda v: str((v.weekday() + 1) % 7)
)
_TOKENS: dict[str, _Token] = {
    "YYYY": _number("[0-9]{4}", "year", _DATE_FIELDS["year"], 4),
    "YY": _Token(_N2, "year", _two_digit_year, lambda v: f"{v.year % 100:02d}"),
    "Q": _number("[1-4]", "quarter", _DATE_FIELDS["quarter"], 1),
    "M": _number(_N12, "month", _DATE_FIELDS["month"], 1),
    "MM": _number(_N2, "month", _DATE_FIELDS["month"], 2),
    "MMM": _month_name(3),
    "MMMM": _month_name(None),
    "D": _number(_N12, "day", _DATE_FIELDS["day"], 1),
    "DD": _number(_N2, "day", _DATE_FIELDS["day"], 2),
    # Like moment, any of the four suffixes is read; only the right one is written.
    "Do": _Token(
        "[0-9]{1,2}(?:st|nd|rd|th)", "day", lambda t: int(t[:-2]), lambda v: _ordinal(v.day)
    ),
    "DDD": _number("[0-9]{1,3}", "day_of_year", _DATE_FIELDS["day_of_year"], 1),
    "DDDD": _number("[0-9]{3}", "day_of_year", _DATE_FIELDS["day_of_year"], 3),
    "d": _SUNDAY_BASED_WEEKDAY,
    "dd": _weekday_name(2),
    "ddd": _weekday_name(3),
    "dddd": _weekday_name(None),
    "e": _SUNDAY_BASED_WEEKDAY,  # the en locale's weeks start on Sunday, so e is d
    "E": _Token("[1-7]", "weekday", lambda t: int(t) - 1, lambda v: str(v.isoweekday())),
    "W": _number(_N12, "iso_week", _DATE_FIELDS["iso_week"], 1),
    "WW": _number(_N2, "iso_week", _DATE_FIELDS["iso_week"], 2),
    "w": _number(_N12, "week", _DATE_FIELDS["week"], 1),
    "ww": _number(_N2, "week", _DATE_FIELDS["week"], 2),
    "GGGG": _number("[0-9]{4}", "iso_week_year", _DATE_FIELDS["iso_week_year"], 4),
    "gggg": _number("[0-9]{4}", "week_year", _DATE_FIELDS["week_year"], 4),
    "H": _number(_N12, "hour", lambda v: v.hour, 1),
    "HH": _number(_N2, "hour", lambda v: v.hour, 2),
    "h": _number(_N12, "hour12", lambda v: v.hour % 12 or 12, 1),
    "hh": _number(_N2, "hour12", lambda v: v.hour % 12 or 12, 2),
    "m": _number(_N12, "minute", lambda v: v.minute, 1),
    "mm": _number(_N2, "minute", lambda v: v.minute, 2),
    "s": _number(_N12, "second", lambda v: v.second, 1),
    "ss": _number(_N2, "second", lambda v: v.second, 2),
    "A": _meridiem(str.upper),
    "a": _meridiem(str.lower),
}


@functools.lru_cache(maxsize=64)
def _pieces(fmt: str) -> tuple[str | _Token, ...]:
    """`fmt` as tokens and literal text."""
    return tuple(
        _TOKENS.get(piece) or (piece[1:-1] if piece.startswith("[") and len(piece) > 1 else piece)
        for piece in _TOKEN_RE.findall(fmt)
    )


@functools.lru_cache(maxsize=64)
def _parser(fmt: str) -> tuple[re.Pattern[str], tuple[_Token, ...]]:
    """A regex for `fmt` with one group per token (atomic: moment does not backtrack)."""
    pieces = _pieces(fmt)
    tokens = tuple(p for p in pieces if isinstance(p, _Token))
    pattern = "".join(
        f"((?>{p.pattern}))" if isinstance(p, _Token) else re.escape(p) for p in pieces
    )
    return re.compile(pattern), tokens


def _build_date(fields: dict[str, int]) -> tuple[dt.date, set[str]] | None:
    """The date `fields` name, and the fields it was built from; moment's precedence."""
    year = fields.get("year")
    if "month" not in fields and "day" not in fields:
        if "day_of_year" in fields and year is not None:
            day = dt.date(year, 1, 1) + dt.timedelta(days=fields["day_of_year"] - 1)
            ok = day.year == year and fields["day_of_year"] >= 1
            return (day, {"year", "day_of_year"}) if ok else None
        for week, week_year, rule in (
            ("iso_week", "iso_week_year", _ISO_WEEK),
            ("week", "week_year", _EN_WEEK),
        ):
            which_year = fields.get(week_year, year)
            if week in fields and which_year is not None:
                start = _first_day_of_week(which_year, fields[week], rule)
                if start is None:
                    return None
                offset = (fields.get("weekday", rule.first_day) - rule.first_day) % 7
                return start + dt.timedelta(days=offset), {week, week_year, "year", "weekday"}
    if year is None or ("day" in fields and "month" not in fields):
        return None
    month = fields.get("month", 3 * fields.get("quarter", 1) - 2)
    return dt.date(year, month, fields.get("day", 1)), {"year", "month", "day"}


def parse_moment(text: str, fmt: str) -> dt.date | None:
    """The date `text` spells in moment.js format `fmt`, or None if it does not match the whole
    text, is not a real date, or its parts (weekday, week, quarter...) disagree."""
    regex, tokens = _parser(fmt)
    match = regex.fullmatch(text)
    if match is None:
        return None
    fields: dict[str, int] = {}
    for token, raw in zip(tokens, match.groups(), strict=True):
        value = token.read(raw)
        if fields.setdefault(token.field, value) != value:
            return None
    try:  # impossible dates, and weeks computed past year 1 or 9999
        built = _build_date(fields)
        if built is None:
            return None
        day, used = built
        agree = all(_agrees(field, value, day, used) for field, value in fields.items())
        return day if agree else None
    except (ValueError, OverflowError):
        return None


def _agrees(field: str, value: int, day: dt.date, used: set[str]) -> bool:
    """Whether a parsed field agrees with the date built (time fields need only be in range)."""
    if field in _TIME_RANGES:
        low, high = _TIME_RANGES[field]
        return low <= value <= high
    return field in used or _DATE_FIELDS[field](day) == value


def format_moment(value: dt.date | dt.datetime, fmt: str) -> str:
    """`value` formatted like moment.js `format(fmt)` with English names."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return "".join(p.write(value) if isinstance(p, _Token) else p for p in _pieces(fmt))


def _real_date(year: str | int, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date_value(value: object) -> dt.date | None:
    """A frontmatter value read as a date: a date, a datetime (its date), or text 'YYYY-MM-DD',
    'YYYY-MM-DD HH:MM[:SS]', 'YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM]' or 'YYYY/MM/DD', also as a
    link to a daily note ('[[2024-01-05]]').
    The date is the one written, whatever the offset. None for anything else; never raises."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("[[") and text.endswith("]]"):  # a link to the daily note
        text = text[2:-2].split("|", 1)[0].rsplit("/", 1)[-1].strip()
    match = _ISO_DATE_RE.fullmatch(text) or _SLASH_DATE_RE.fullmatch(text)
    if match is None:
        return None
    parts = match.groupdict()
    time_ok = all(int(parts.get(key) or 0) <= top for key, top in (("H", 23), ("M", 59), ("S", 59)))
    return _real_date(parts["y"], parts["m"], parts["d"]) if time_ok else None


def parse_month_day(value: object) -> tuple[int, int] | None:
    """A birthday-style value as (month, day): a date or any text `parse_date_value` reads, or
    '--MM-DD', '--MMDD', 'MM-DD' (no year, so Feb 29 is allowed). None if invalid."""
    day = parse_date_value(value)
    if day is not None:
        return day.month, day.day
    text = value.strip() if isinstance(value, str) else ""
    match = next((m for regex in _MONTH_DAY_RES if (m := regex.fullmatch(text))), None)
    if match is None:
        return None
    leap = _real_date(2000, match["m"], match["d"])  # 2000 has a Feb 29
    return (leap.month, leap.day) if leap else None


def fill_template(
    text: str,
    *,
    title: str,
    when: dt.datetime,
    date_format: str = "YYYY-MM-DD",
    time_format: str = "HH:mm",
) -> str:
    """Obsidian's core Templates substitution: {{title}}, {{date}}, {{time}}, {{date:FORMAT}},
    {{time:FORMAT}} (moment.js FORMAT). Names ignore case and spaces; other {{...}} stay."""

    def substitute(match: re.Match[str]) -> str:
        name, fmt = match["name"].lower(), match["fmt"]
        if name == "title":
            return title if fmt is None else match[0]
        default = date_format if name == "date" else time_format
        return format_moment(when, fmt or default)

    return _TEMPLATE_VAR_RE.sub(substitute, text)


_RELATIVE_DAY = re.compile(r"([+-])(\d{1,4})([dw])")
DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def typed_day(text: str, today: dt.date) -> dt.date | None:
    """A day as typed on the command line: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, or a
    number of days or weeks from `today` (`-3d`, `+1w`); None when it is none of these."""
    word = text.strip().lower()
    if word in DAY_WORDS:
        return today + dt.timedelta(days=DAY_WORDS[word])
    relative = _RELATIVE_DAY.fullmatch(word)
    if relative is not None:
        sign, count, unit = relative.groups()
        days = int(count) * (7 if unit == "w" else 1)
        return today + dt.timedelta(days=-days if sign == "-" else days)
    match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", word)
    return _real_date(*match.groups()) if match else None
