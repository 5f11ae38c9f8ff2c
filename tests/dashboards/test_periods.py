"""The periods of the usage page and the periods they are compared with (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards import periods

D = dt.date
DATA = (D(2024, 11, 1), D(2026, 10, 31))


@pytest.mark.parametrize(
    ("kind", "anchor", "first", "last", "so_far"),
    [
        ("day", D(2026, 3, 8), D(2026, 3, 8), D(2026, 3, 8), False),
        ("week", D(2026, 3, 8), D(2026, 3, 2), D(2026, 3, 8), False),  # a Sunday: Monday to it
        ("month", D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28), False),
        ("year", D(2025, 7, 1), D(2025, 1, 1), D(2025, 12, 31), False),
        ("year", D(2026, 7, 1), D(2026, 1, 1), D(2026, 10, 31), True),  # data stops: "so far"
        ("year", D(2024, 12, 1), D(2024, 11, 1), D(2024, 12, 31), False),  # data starts late
        ("week", D(2026, 10, 30), D(2026, 10, 26), D(2026, 10, 31), True),
    ],
)
def test_calendar_periods_are_clipped_to_the_data(kind, anchor, first, last, so_far):
    period = periods.choose(kind, anchor, None, None, DATA)
    assert (period.first, period.last, period.so_far) == (first, last, so_far)


def test_default_anchor_is_the_latest_day_with_data():
    assert periods.choose("month", None, None, None, DATA).first == D(2026, 10, 1)


def test_custom_periods_are_ordered_bounded_and_clipped():
    period = periods.choose("custom", None, D(2026, 5, 1), D(2026, 3, 1), DATA)
    assert (period.first, period.last) == (D(2026, 3, 1), D(2026, 5, 1))
    huge = periods.choose("custom", None, D(2000, 1, 1), D(2100, 1, 1), DATA)
    assert (huge.first, huge.last) == DATA
    assert periods.choose("custom", None, D(2001, 1, 1), D(2001, 2, 1), DATA) is None


def test_comparisons_cover_the_same_number_of_days():
    month_so_far = periods.Period("month", D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 31))
    previous = periods.shifted(month_so_far, "previous")
    assert (previous.first, previous.last) == (D(2026, 2, 1), D(2026, 2, 28))  # never past February
    partial = periods.Period("month", D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 31))
    assert periods.shifted(partial, "previous").last == D(2026, 9, 15)
    last_year = periods.shifted(partial, "last_year")
    assert (last_year.first, last_year.last) == (D(2025, 10, 1), D(2025, 10, 15))
    leap = periods.Period("day", D(2028, 2, 29), D(2028, 2, 29), D(2028, 2, 29))
    assert periods.shifted(leap, "last_year").first == D(2027, 2, 28)
    custom = periods.Period("custom", D(2026, 3, 10), D(2026, 3, 19), D(2026, 3, 19))
    before = periods.shifted(custom, "previous")
    assert (before.first, before.last) == (D(2026, 2, 28), D(2026, 3, 9))


@pytest.mark.parametrize(
    ("kind", "anchor", "direction", "expected"),
    [
        ("month", D(2026, 3, 31), -1, D(2026, 2, 1)),
        ("month", D(2026, 1, 15), 1, D(2026, 2, 1)),
        ("week", D(2026, 3, 4), -1, D(2026, 2, 23)),
        ("day", D(2026, 3, 1), -1, D(2026, 2, 28)),
        ("year", D(2026, 6, 1), -1, D(2025, 1, 1)),
    ],
)
def test_stepping_moves_one_whole_period(kind, anchor, direction, expected):
    assert periods.step(kind, anchor, direction) == expected


@pytest.mark.parametrize(
    "value", [None, 20260301, "2026-3-1", "2026-02-30", "1899-01-01", "x" * 10, ["2026-03-01"]]
)
def test_browser_dates_are_parsed_strictly(value):
    assert periods.parse_date(value) is None


def test_unknown_kinds_fall_back_to_month():
    assert periods.parse_kind("decade") == "month"
    assert periods.parse_kind({"kind": "day"}) == "month"


@pytest.mark.parametrize(
    ("kind", "days", "resolution"),
    [("day", 1, "15min"), ("week", 7, "hour"), ("month", 31, "day"), ("year", 365, "month"),
     ("custom", 2, "15min"), ("custom", 10, "hour"), ("custom", 60, "day"),
     ("custom", 400, "month")],
)  # fmt: skip
def test_sensible_default_detail(kind, days, resolution):
    assert periods.default_resolution(kind, days) == resolution


def test_labels_read_like_sentences():
    assert periods.label(
        periods.Period("month", D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 31))
    ) == ("January 2026")
    assert periods.label(periods.Period("day", D(2026, 1, 13), D(2026, 1, 13), D(2026, 1, 13))) == (
        "Tuesday 13 January 2026"
    )
    assert periods.label(periods.Period("year", D(2026, 1, 1), D(2026, 5, 1), D(2026, 12, 31))) == (
        "2026 (so far)"
    )
    assert periods.span(D(2025, 12, 20), D(2026, 1, 5)) == "20 December 2025 – 5 January 2026"
