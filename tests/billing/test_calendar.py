"""Ontario time-of-use hours: weekdays, weekends, OEB holidays, both seasons, DST days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from billing import load_tariff
from billing.calendar import Season, TouSchedule, classify, classify_instant, hours_table

TORONTO = "America/Toronto"
TOU = load_tariff("ontario-rpp-tou")
ULO = load_tariff("ontario-rpp-ulo")


def period(tariff, when: dt.datetime) -> str:
    assert tariff.time_of_use is not None
    aware = when.replace(tzinfo=ZoneInfo(TORONTO))
    return classify_instant(aware, tariff.time_of_use, tariff.holidays, TORONTO)


W = dt.datetime  # local wall-clock times below

TOU_TABLE = [
    # winter weekday (Wed 15 Jan 2025): on 7-11 and 17-19, mid 11-17, off 19-7
    (W(2025, 1, 15, 6, 59), "off_peak"),
    (W(2025, 1, 15, 7, 0), "on_peak"),
    (W(2025, 1, 15, 10, 45), "on_peak"),
    (W(2025, 1, 15, 11, 0), "mid_peak"),
    (W(2025, 1, 15, 16, 59), "mid_peak"),
    (W(2025, 1, 15, 17, 0), "on_peak"),
    (W(2025, 1, 15, 18, 45), "on_peak"),
    (W(2025, 1, 15, 19, 0), "off_peak"),
    (W(2025, 1, 15, 23, 30), "off_peak"),
    # summer weekday (Tue 15 Jul 2025): mid 7-11 and 17-19, on 11-17
    (W(2025, 7, 15, 6, 0), "off_peak"),
    (W(2025, 7, 15, 7, 0), "mid_peak"),
    (W(2025, 7, 15, 11, 0), "on_peak"),
    (W(2025, 7, 15, 16, 45), "on_peak"),
    (W(2025, 7, 15, 17, 0), "mid_peak"),
    (W(2025, 7, 15, 19, 0), "off_peak"),
    # season boundaries: Wed 30 Apr is winter, Thu 1 May summer; Fri 31 Oct summer, Mon 3 Nov winter
    (W(2025, 4, 30, 8, 0), "on_peak"),
    (W(2025, 5, 1, 8, 0), "mid_peak"),
    (W(2025, 10, 31, 12, 0), "on_peak"),
    (W(2025, 11, 3, 12, 0), "mid_peak"),
    # weekends: off-peak all day in both seasons
    (W(2025, 1, 18, 8, 0), "off_peak"),
    (W(2025, 7, 12, 12, 0), "off_peak"),
    (W(2025, 7, 13, 18, 0), "off_peak"),
    # statutory holidays on weekdays: off-peak all day
    (W(2025, 1, 1, 8, 0), "off_peak"),  # New Year's Day
    (W(2025, 2, 17, 8, 0), "off_peak"),  # Family Day
    (W(2025, 4, 18, 8, 0), "off_peak"),  # Good Friday
    (W(2025, 5, 19, 12, 0), "off_peak"),  # Victoria Day
    (W(2025, 7, 1, 12, 0), "off_peak"),  # Canada Day
    (W(2025, 8, 4, 12, 0), "off_peak"),  # Civic Holiday: a TOU holiday under O. Reg. 95/05
    (W(2025, 9, 1, 12, 0), "off_peak"),  # Labour Day
    (W(2025, 10, 13, 12, 0), "off_peak"),  # Thanksgiving
    (W(2025, 12, 25, 8, 0), "off_peak"),  # Christmas
    (W(2025, 12, 26, 8, 0), "off_peak"),  # Boxing Day
    # not TOU holidays: Easter Monday, Truth and Reconciliation Day, Remembrance Day
    (W(2025, 4, 21, 8, 0), "on_peak"),
    (W(2025, 9, 30, 12, 0), "on_peak"),
    (W(2025, 11, 11, 8, 0), "on_peak"),
    # holidays on a weekend move to the next weekday that is not a holiday
    (W(2027, 12, 27, 8, 0), "off_peak"),  # Christmas (Sat) → Mon 27
    (W(2027, 12, 28, 8, 0), "off_peak"),  # Boxing Day (Sun) → Tue 28
    (W(2027, 12, 29, 8, 0), "on_peak"),
    (W(2028, 1, 3, 8, 0), "off_peak"),  # New Year's Day 2028 (Sat) → Mon 3 Jan
    (W(2026, 12, 28, 8, 0), "off_peak"),  # Boxing Day 2026 (Sat) → Mon 28
    (W(2026, 12, 29, 8, 0), "on_peak"),
    # DST: the Monday after each change is an ordinary weekday on local time
    (W(2025, 3, 10, 7, 0), "on_peak"),
    (W(2025, 3, 10, 6, 30), "off_peak"),
    (W(2025, 11, 3, 7, 0), "on_peak"),
]


@pytest.mark.parametrize(("when", "expected"), TOU_TABLE, ids=[str(w) for w, _ in TOU_TABLE])
def test_tou_hour_classification(when, expected):
    assert period(TOU, when) == expected


ULO_TABLE = [
    (W(2025, 1, 15, 6, 45), "ultra_low"),
    (W(2025, 1, 15, 7, 0), "mid_peak"),
    (W(2025, 1, 15, 15, 59), "mid_peak"),
    (W(2025, 1, 15, 16, 0), "on_peak"),
    (W(2025, 1, 15, 20, 45), "on_peak"),
    (W(2025, 1, 15, 21, 0), "mid_peak"),
    (W(2025, 1, 15, 23, 0), "ultra_low"),
    (W(2025, 7, 15, 17, 0), "on_peak"),  # same hours in summer
    (W(2025, 7, 12, 17, 0), "off_peak"),  # Saturday: weekend off-peak 7-23
    (W(2025, 7, 12, 23, 15), "ultra_low"),  # … and ultra-low overnight every day
    (W(2025, 8, 4, 17, 0), "off_peak"),  # Civic Holiday
    (W(2025, 4, 21, 17, 0), "on_peak"),  # Easter Monday is a weekday
]


@pytest.mark.parametrize(("when", "expected"), ULO_TABLE, ids=[str(w) for w, _ in ULO_TABLE])
def test_ulo_hour_classification(when, expected):
    assert period(ULO, when) == expected


@pytest.mark.parametrize("day", [dt.date(2025, 3, 9), dt.date(2025, 11, 2)])
def test_dst_days_are_classified_hour_by_local_hour(day):
    """23 and 25-hour Sundays: every local hour 23-7 is ultra-low, 7-23 weekend off-peak."""
    zone = ZoneInfo(TORONTO)
    start = int(dt.datetime.combine(day, dt.time(), zone).timestamp())
    end = int(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).timestamp())
    ts = np.arange(start, end, 900, dtype=np.int64)
    assert len(ts) == (92 if day.month == 3 else 100)
    assert ULO.time_of_use is not None
    names = [ULO.time_of_use.periods[i] for i in classify(ts, TORONTO, ULO.time_of_use, None)]
    hours = [dt.datetime.fromtimestamp(int(t), zone).hour for t in ts]
    for hour, name in zip(hours, names, strict=True):
        assert name == ("off_peak" if 7 <= hour < 23 else "ultra_low")
    # 0-7 has one hour fewer in March (2:00 skipped) and one more in November (1:00 twice)
    assert names.count("ultra_low") == 4 * (6 if day.month == 3 else 8) + 4


def test_holiday_calendar_matches_the_published_2021_2022_and_2025_lists():
    """Ontario's list (OEFC publishes the same IESO/OEB holiday calendar each year)."""
    assert TOU.holidays is not None
    days = TOU.holidays.dates(2021, 2025)
    for expected in [
        # 2021: Christmas (Sat) → Mon 27 Dec, Boxing Day (Sun) → Tue 28 Dec
        dt.date(2021, 12, 27),
        dt.date(2021, 12, 28),
        # 2022: New Year's Day (Sat) → Mon 3 Jan; Canada Day Fri; Civic Holiday 1 Aug
        dt.date(2022, 1, 3),
        dt.date(2022, 7, 1),
        dt.date(2022, 8, 1),
        dt.date(2022, 12, 26),
        dt.date(2022, 12, 27),
    ]:
        assert expected in days, expected
    in_2025 = sorted(day for day in days if day.year == 2025)
    assert in_2025 == [
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 17),
        dt.date(2025, 4, 18),
        dt.date(2025, 5, 19),
        dt.date(2025, 7, 1),
        dt.date(2025, 8, 4),
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 13),
        dt.date(2025, 12, 25),
        dt.date(2025, 12, 26),
    ]


def test_hours_table_wraps_midnight_and_refuses_gaps_and_overlaps():
    periods = ["on_peak", "off_peak"]
    table = hours_table({"on_peak": [(7, 19)], "off_peak": [(19, 7)]}, periods)
    assert table == (1,) * 7 + (0,) * 12 + (1,) * 5
    with pytest.raises(ValueError, match=r"hours \[5, 6\] belong to no period"):
        hours_table({"on_peak": [(7, 19)], "off_peak": [(19, 5)]}, periods)
    with pytest.raises(ValueError, match="hour 7 is both on_peak and off_peak"):
        hours_table({"on_peak": [(7, 19)], "off_peak": [(19, 8)]}, periods)


def test_seasons_wrap_the_new_year():
    winter = Season("winter", (11, 1), (4, 30))
    assert [winter.contains(m, d) for m, d in [(1, 15), (11, 1), (4, 30), (5, 1), (10, 31)]] == [
        True,
        True,
        True,
        False,
        False,
    ]
    schedule = TouSchedule(("off_peak",), (), (((0,) * 24, (0,) * 24),))
    assert classify(np.zeros(0, dtype=np.int64), TORONTO, schedule, None).size == 0
