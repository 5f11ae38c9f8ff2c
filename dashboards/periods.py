"""The periods a customer picks on the usage page, and the periods they are compared with.

Pure date arithmetic on **local** dates (the premise's calendar): no database, no
Dash. Every value that comes from the browser goes through :func:`parse_date` /
:func:`parse_kind` first and is then clipped to the days that have data, so a
tampered request can at worst ask for an empty or shorter period.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

Kind = Literal["day", "week", "month", "year", "custom"]
KINDS: tuple[Kind, ...] = ("day", "week", "month", "year", "custom")
RESOLUTION_FOR: dict[str, str] = {"day": "15min", "week": "hour", "month": "day", "year": "month"}
"""The detail each period opens with (the customer may pick another)."""

MAX_DAYS = 5 * 366
"""Longest custom period (what a tampered request can ask for at most)."""
_EARLIEST = dt.date(2000, 1, 1)
_LATEST = dt.date(2100, 12, 31)


@dataclasses.dataclass(frozen=True)
class Period:
    """Local days ``first`` .. ``last`` (inclusive) of a ``kind`` of period.

    ``full_last`` is where the calendar period would end; ``last`` is earlier
    when the data stops sooner (a month "so far").
    """

    kind: Kind
    first: dt.date
    last: dt.date
    full_last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def so_far(self) -> bool:
        return self.last < self.full_last


def parse_kind(value: object) -> Kind:
    """A known period kind, or ``month`` for anything else."""
    return value if isinstance(value, str) and value in KINDS else "month"  # type: ignore[return-value]


def parse_date(value: object) -> dt.date | None:
    """``YYYY-MM-DD`` from the browser, or ``None`` (wrong type, format or implausible year)."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if _EARLIEST <= day <= _LATEST else None


def default_resolution(kind: Kind, days: int) -> str:
    """15-minute for a day, hourly for a week, daily for a month, monthly for a year."""
    if kind != "custom":
        return RESOLUTION_FOR[kind]
    if days <= 2:
        return "15min"
    if days <= 14:
        return "hour"
    return "day" if days <= 93 else "month"


def calendar_bounds(kind: Kind, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The day, Monday-to-Sunday week, calendar month or calendar year containing ``anchor``."""
    if kind == "day":
        return anchor, anchor
    if kind == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return monday, monday + dt.timedelta(days=6)
    if kind == "year":
        return anchor.replace(month=1, day=1), anchor.replace(month=12, day=31)
    first = anchor.replace(day=1)
    return first, _month_end(first)


def choose(
    kind: Kind,
    anchor: dt.date | None,
    start: dt.date | None,
    end: dt.date | None,
    data: tuple[dt.date, dt.date],
) -> Period | None:
    """The period to show, clipped to the days with data ``data = (first, last)``.

    ``anchor`` picks the day/week/month/year (default: the latest day with data);
    ``start``/``end`` bound a custom period. ``None`` when nothing is left after clipping.
    """
    data_first, data_last = data
    if kind == "custom":
        first = start or data_last - dt.timedelta(days=29)
        last = end or data_last
        if last < first:
            first, last = last, first
        first, last = max(first, data_first), min(last, data_last)
        first = max(first, last - dt.timedelta(days=MAX_DAYS - 1))
        full_last = last
    else:
        first, full_last = calendar_bounds(kind, anchor or data_last)
        last = full_last
    first, last = max(first, data_first), min(last, data_last)
    if last < first:
        return None
    return Period(kind, first, last, max(full_last, last))


def shifted(period: Period, back: Literal["previous", "last_year"]) -> Period:
    """The period to compare with: the one before, or the same dates a year earlier.

    The comparison covers as many days as ``period`` does (a month "so far" is
    compared with the same days of the month before), and never a day more
    than its own calendar period has.
    """
    if back == "last_year":
        first = _years_back(period.first, 1)
        full_last = _years_back(period.full_last, 1)
    elif period.kind == "day":
        first = full_last = period.first - dt.timedelta(days=1)
    elif period.kind == "week":
        first = period.first - dt.timedelta(days=7)
        full_last = period.full_last - dt.timedelta(days=7)
    elif period.kind == "month":
        full_last = period.first - dt.timedelta(days=1)
        first = full_last.replace(day=1)
    elif period.kind == "year":
        first = period.first.replace(year=period.first.year - 1)
        full_last = first.replace(month=12, day=31)
    else:
        first = period.first - dt.timedelta(days=period.days)
        full_last = period.first - dt.timedelta(days=1)
    last = min(first + dt.timedelta(days=period.days - 1), full_last)
    return Period(period.kind, first, last, full_last)


def step(kind: Kind, anchor: dt.date, direction: int) -> dt.date:
    """The anchor of the period before (``-1``) or after (``+1``) the one containing ``anchor``."""
    calendar_kind: Kind = "month" if kind == "custom" else kind
    first, last = calendar_bounds(calendar_kind, anchor)
    if direction < 0:
        return calendar_bounds(calendar_kind, first - dt.timedelta(days=1))[0]
    return last + dt.timedelta(days=1)


def label(period: Period) -> str:
    """Words for a period: "January 2026", "the week of 12 January 2026", "2026 (so far)"…"""
    first, last = period.first, period.last
    if period.kind == "day":
        text = _long_date(first, weekday=True)
    elif period.kind == "week":
        text = f"the week of {_long_date(period.first)}"
    elif period.kind == "month":
        text = f"{first:%B} {first.year}"
    elif period.kind == "year":
        text = str(first.year)
    else:
        return span(first, last)
    return f"{text} (so far)" if period.so_far else text


def span(first: dt.date, last: dt.date) -> str:
    """Two dates: "1–31 October 2026", "3 March – 9 April 2026", "3 March 2025 – 9 April 2026"."""
    if first == last:
        return _long_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{_long_date(last)}"
    start = f"{first.day} {first:%B}" if first.year == last.year else _long_date(first)
    return f"{start} – {_long_date(last)}"


def from_to(first: dt.date, last: dt.date) -> str:
    """A range in a sentence: "from 1 to 15 October 2025", "on 3 May 2025"…"""
    if first == last:
        return f"on {_long_date(first)}"
    if first.year != last.year:
        start = _long_date(first)
    elif first.month != last.month:
        start = f"{first.day} {first:%B}"
    else:
        start = str(first.day)
    return f"from {start} to {_long_date(last)}"


def _long_date(day: dt.date, weekday: bool = False) -> str:
    text = f"{day.day} {day:%B} {day.year}"
    return f"{day:%A} {text}" if weekday else text


def _month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
