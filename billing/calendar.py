"""Local-time calendar rules for tariffs: seasons, weekdays/weekends, holidays, TOU hours.

Everything is decided on the **local wall clock** of the premise's zone: an
interval belongs to the local hour its start falls in, so DST days simply have
23 or 25 hours (the repeated hour is priced twice, the skipped one never).
Instants go through :mod:`meter_data.local_time` (one ``searchsorted`` per
call, no ``zoneinfo`` call per reading).

Holidays billed as weekends come from the ``holidays`` package, filtered to the
names a regulator lists, with the regulator's own "falls on a weekend" rule
and explicit additions/removals where its list differs from the package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable

import holidays as holiday_db
import numpy as np
import numpy.typing as npt

from meter_data.local_time import SECONDS_PER_DAY, day_number, utc_offsets

HOURS = 24
WEEKDAY, WEEKEND = 0, 1
"""Day types: a holiday is a ``WEEKEND`` day."""

_MONDAY_OFFSET = 3
"""1970-01-01 was a Thursday: ``(day_number + 3) % 7`` is 0 on Mondays."""


class CalendarError(ValueError):
    """A calendar rule cannot be built (unknown holiday name, hours not covered…)."""


@dataclasses.dataclass(frozen=True)
class Season:
    """A named range of the year by month-day, both ends inclusive; may wrap past 31 Dec."""

    name: str
    first: tuple[int, int]
    last: tuple[int, int]

    def contains(self, month: int, day: int) -> bool:
        md, first, last = month * 100 + day, _md(self.first), _md(self.last)
        return first <= md <= last if first <= last else md >= first or md <= last


def _md(month_day: tuple[int, int]) -> int:
    return month_day[0] * 100 + month_day[1]


def check_seasons(seasons: tuple[Season, ...]) -> None:
    """Every day of a leap year in exactly one season, or :class:`CalendarError`."""
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        owners = [s.name for s in seasons if s.contains(day.month, day.day)]
        if len(owners) != 1:
            found = " and ".join(owners) if owners else "no season"
            raise CalendarError(f"{day:%m-%d} is in {found}; seasons must cover the year once")
        day += dt.timedelta(days=1)


def season_index(seasons: tuple[Season, ...], day: dt.date) -> int:
    for index, season in enumerate(seasons):
        if season.contains(day.month, day.day):
            return index
    raise CalendarError(f"{day} is in no season")


def season_indices(
    seasons: tuple[Season, ...], days: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Season index of each local day number (days since 1970-01-01)."""
    dates = days.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    month = months.astype(np.int64) % 12 + 1
    dom = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    md = month * 100 + dom
    out = np.full(days.shape, -1, dtype=np.int64)
    for index, season in enumerate(seasons):
        first, last = _md(season.first), _md(season.last)
        inside = (md >= first) & (md <= last) if first <= last else (md >= first) | (md <= last)
        out[inside & (out < 0)] = index
    if (out < 0).any():
        raise CalendarError("a day falls in no season")
    return out


@dataclasses.dataclass(frozen=True)
class HolidayRules:
    """Which days are billed as weekends.

    ``include`` names holidays as the ``holidays`` package spells them for
    ``country``/``subdiv`` and ``categories``. ``weekend_rule``:

    * ``"next_weekday"`` — a holiday on a Saturday or Sunday moves to the next
      weekday that is not itself a holiday (Ontario O. Reg. 95/05, s. 1);
    * ``"none"`` — a holiday on a weekend is simply a weekend day.

    ``add``/``remove`` are the utility's own dates where its list differs.
    """

    country: str
    subdiv: str | None
    categories: tuple[str, ...]
    include: tuple[str, ...]
    weekend_rule: str = "next_weekday"
    add: tuple[dt.date, ...] = ()
    remove: tuple[dt.date, ...] = ()

    def _package_days(self, years: Iterable[int]) -> dict[dt.date, str]:
        try:
            found = holiday_db.country_holidays(
                self.country,
                subdiv=self.subdiv,
                years=list(years),
                categories=self.categories,
                observed=False,
            )
        except (NotImplementedError, KeyError, ValueError) as error:
            raise CalendarError(f"the holidays package refuses these rules: {error}") from None
        return dict(found.items())

    def check_names(self) -> None:
        """Every ``include`` name exists in the package (seen over four years)."""
        known = set(self._package_days(range(2024, 2028)).values())
        unknown = sorted(set(self.include) - known)
        if unknown:
            raise CalendarError(
                f"unknown holiday name(s) {unknown}; the holidays package knows {sorted(known)}"
            )

    def dates(self, first_year: int, last_year: int) -> frozenset[dt.date]:
        """Days billed as weekends between two years (inclusive); cached per process."""
        return _holiday_dates(self, first_year, last_year)

    def _compute(self, first_year: int, last_year: int) -> frozenset[dt.date]:
        wanted = set(self.include)
        named = sorted(
            day
            for day, name in self._package_days(range(first_year, last_year + 1)).items()
            if name in wanted
        )
        taken: set[dt.date] = set(named)
        billed: set[dt.date] = set()
        for day in named:
            if self.weekend_rule == "next_weekday" and day.weekday() >= 5:
                moved = day + dt.timedelta(days=1)
                while moved.weekday() >= 5 or moved in taken:
                    moved += dt.timedelta(days=1)
                taken.add(moved)
                billed.add(moved)
            else:
                billed.add(day)
        billed |= set(self.add)
        billed -= set(self.remove)
        return frozenset(billed)


@functools.lru_cache(maxsize=256)
def _holiday_dates(rules: HolidayRules, first_year: int, last_year: int) -> frozenset[dt.date]:
    return rules._compute(first_year, last_year)


@dataclasses.dataclass(frozen=True)
class TouSchedule:
    """Time-of-use periods per season, day type and local hour.

    ``table[season][day_type][hour]`` is an index into ``periods``; ``seasons``
    is empty for an all-year schedule (then ``table`` has one entry).
    """

    periods: tuple[str, ...]
    seasons: tuple[Season, ...]
    table: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]

    def as_array(self) -> npt.NDArray[np.int64]:
        return np.array(self.table, dtype=np.int64)


def hours_table(windows: dict[str, list[tuple[int, int]]], periods: list[str]) -> tuple[int, ...]:
    """24 period indices from ``{period: [(start_hour, end_hour), …]}``.

    A window is ``[start, end)`` in local hours; ``end`` may be 24, and a window
    with ``start > end`` wraps past midnight (``(23, 7)``). Every hour must be
    covered exactly once.
    """
    hours: list[int | None] = [None] * HOURS
    for period, spans in windows.items():
        index = periods.index(period)
        for start, end in spans:
            if not (0 <= start < HOURS and 0 < end <= HOURS and start != end):
                raise CalendarError(f"{period}: window [{start}, {end}) is not within 0..24")
            span = range(start, end) if start < end else [*range(start, HOURS), *range(end)]
            for hour in span:
                taken = hours[hour]
                if taken is not None:
                    raise CalendarError(f"hour {hour} is both {periods[taken]} and {period}")
                hours[hour] = index
    missing = [hour for hour, index in enumerate(hours) if index is None]
    if missing:
        raise CalendarError(f"hours {missing} belong to no period")
    return tuple(index for index in hours if index is not None)


@dataclasses.dataclass(frozen=True)
class LocalTimes:
    """Local calendar facts of each instant (vectorised)."""

    day: npt.NDArray[np.int64]
    """Local day number (days since 1970-01-01)."""
    hour: npt.NDArray[np.int64]
    second_of_hour: npt.NDArray[np.int64]


def local_times(start_ts: npt.ArrayLike, tz: str) -> LocalTimes:
    ts = np.asarray(start_ts, dtype=np.int64)
    local = ts + utc_offsets(ts, tz)
    second_of_day = local % SECONDS_PER_DAY
    return LocalTimes(local // SECONDS_PER_DAY, second_of_day // 3600, second_of_day % 3600)


def day_types(
    days: npt.NDArray[np.int64], holiday_days: frozenset[dt.date]
) -> npt.NDArray[np.int64]:
    """``WEEKEND`` for Saturdays, Sundays and listed holidays, else ``WEEKDAY``."""
    weekend = (days + _MONDAY_OFFSET) % 7 >= 5
    if holiday_days:
        listed = np.array(sorted(day_number(day) for day in holiday_days), dtype=np.int64)
        weekend |= np.isin(days, listed)
    return np.where(weekend, WEEKEND, WEEKDAY).astype(np.int64)


def holidays_between(
    rules: HolidayRules | None, first_day: int, last_day: int
) -> frozenset[dt.date]:
    """The rules' holidays for the years a range of local day numbers touches."""
    if rules is None:
        return frozenset()
    first = np.datetime64(first_day, "D").astype(object).year
    last = np.datetime64(last_day, "D").astype(object).year
    return rules.dates(first - 1, last)


def classify(
    start_ts: npt.ArrayLike,
    tz: str,
    schedule: TouSchedule,
    rules: HolidayRules | None,
) -> npt.NDArray[np.int64]:
    """Index into ``schedule.periods`` of the local hour each instant starts in."""
    local = local_times(start_ts, tz)
    if local.day.size == 0:
        return np.zeros(0, dtype=np.int64)
    holiday_days = holidays_between(rules, int(local.day.min()), int(local.day.max()))
    kinds = day_types(local.day, holiday_days)
    seasons = (
        season_indices(schedule.seasons, local.day)
        if schedule.seasons
        else np.zeros(local.day.shape, dtype=np.int64)
    )
    return schedule.as_array()[seasons, kinds, local.hour]


def classify_instant(
    instant: dt.datetime, schedule: TouSchedule, rules: HolidayRules | None, tz: str
) -> str:
    """The TOU period name of one aware instant (for tests and explanations)."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    index = classify(np.array([int(instant.timestamp())]), tz, schedule, rules)[0]
    return schedule.periods[int(index)]
