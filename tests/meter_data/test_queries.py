"""Usage at every resolution: exact, DST-correct, and read from the right table."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event, func, insert, select

from customer_model import DailyUsage, IntervalReading, Meter, Premise, ReadingQuality
from meter_data import queries, rebuild_daily_usage
from meter_data.local_time import local_day_start, offset_table, utc_offsets
from meter_data.series import IntervalSeries

ZONES = [
    "America/Toronto",
    "America/Winnipeg",
    "America/St_Johns",  # -3:30 / -2:30
    "Europe/London",
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Sao_Paulo",  # DST ended 2019; changed at midnight before
    "Asia/Kolkata",  # no DST
]


# --- a slow reference with zoneinfo, one reading at a time -----------------------------


def _reference(ts: list[int], values: list[int], tz: str, resolution: str) -> dict:
    """Sums keyed the way a person reads a local clock, computed with zoneinfo per reading.

    Hours are (wall-clock hour, UTC offset): the repeated hour of a fall-back day is two
    hours. Days are local dates, months (year, month).
    """
    zone = ZoneInfo(tz)
    sums: dict = defaultdict(int)
    for start, value in zip(ts, values, strict=True):
        local = dt.datetime.fromtimestamp(start, zone)
        if resolution == "15min":
            key = (local.replace(minute=local.minute // 15 * 15, second=0), local.utcoffset())
        elif resolution == "hour":
            key = (local.replace(minute=0, second=0), local.utcoffset())
        elif resolution == "day":
            key = local.date()
        else:
            key = (local.year, local.month)
        sums[key] += value
    return dict(sums)


def _keys(series: queries.UsageSeries) -> list:
    zone = ZoneInfo(series.tz)
    keys = []
    for start in series.start_ts.tolist():
        local = dt.datetime.fromtimestamp(start, zone)
        if series.resolution == "15min":
            minute = local.minute // 15 * 15
            keys.append((local.replace(minute=minute, second=0), local.utcoffset()))
        elif series.resolution == "hour":
            keys.append((local.replace(minute=0, second=0), local.utcoffset()))
        elif series.resolution == "day":
            keys.append(local.date())
        else:
            keys.append((local.year, local.month))
    return keys


@st.composite
def _random_series(draw: st.DrawFn):
    tz = draw(st.sampled_from(ZONES))
    month = draw(st.sampled_from([1, 2, 3, 4, 9, 10, 11, 12]))  # mostly around transitions
    first = dt.date(draw(st.integers(2005, 2030)), month, draw(st.integers(1, 28)))
    last = first + dt.timedelta(days=draw(st.integers(0, 40)))
    lo, hi = queries.local_range(first, last, tz)
    step = draw(st.sampled_from([900, 1800, 3600]))
    slots = (hi - lo) // step
    picked = draw(st.lists(st.integers(0, slots - 1), max_size=300, unique=True))
    ts = sorted(lo + step * k for k in picked)
    size = len(ts)
    delivered = draw(st.lists(st.integers(0, 10**12), min_size=size, max_size=size))
    received = draw(st.lists(st.integers(0, 10**9), min_size=size, max_size=size))
    quality = draw(st.lists(st.sampled_from([0, 0, 0, 1, 2]), min_size=size, max_size=size))
    series = IntervalSeries.from_columns(
        start_ts=ts,
        duration_s=[step] * size,
        delivered_mwh=delivered,
        received_mwh=received,
        quality=quality,
    )
    return tz, first, last, series


@settings(max_examples=100, deadline=None)
@given(_random_series())
def test_every_resolution_matches_the_zoneinfo_reference_and_the_same_total(case):
    tz, first, last, series = case
    lo, hi = queries.local_range(first, last, tz)
    ts, delivered = series.start_ts.tolist(), series.delivered_mwh.tolist()
    for resolution in queries.RESOLUTIONS:
        result = queries.bucket_readings(series, tz, lo, hi, resolution)
        assert result.total_delivered_mwh == sum(delivered)
        assert result.total_received_mwh == int(series.received_mwh.sum())
        assert int(result.reading_count.sum()) == int((series.quality != 2).sum())
        assert int(result.estimated_count.sum()) == int((series.quality == 1).sum())
        # buckets tile the range without gaps or overlaps, in order
        assert result.start_ts[0] == lo
        assert result.end_ts[-1] == hi
        assert (result.start_ts[1:] == result.end_ts[:-1]).all()
        assert (result.end_ts > result.start_ts).all()
        actual = {
            key: int(value)
            for key, value in zip(_keys(result), result.delivered_mwh, strict=True)
            if value
        }
        expected = {k: v for k, v in _reference(ts, delivered, tz, resolution).items() if v}
        assert actual == expected, resolution
        assert len(set(_keys(result))) == len(result)  # one bucket per local key


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 1)),
    st.integers(0, 70),
)
def test_day_buckets_start_at_local_midnight(tz, first, days):
    last = first + dt.timedelta(days=days)
    lo, hi = queries.local_range(first, last, tz)
    starts = queries.bucket_starts(lo, hi, tz, "day")
    expected = [local_day_start(first + dt.timedelta(days=k), tz) for k in range(days + 1)]
    assert starts.tolist() == expected


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([*ZONES, "Pacific/Apia", "Africa/Casablanca", "Europe/Dublin"]),
    st.integers(0, 2_100_000_000),
    st.integers(0, 5 * 366 * 86_400),
)
def test_cached_zone_tables_agree_with_offset_table(tz, lo, span):
    expected = offset_table(lo, lo + span, tz)
    actual = queries._zone_table(lo, lo + span, tz)
    assert actual[0].tolist() == expected[0].tolist()
    assert actual[1].tolist() == expected[1].tolist()
    ts = np.linspace(lo, lo + span, 50).astype(np.int64)
    assert queries.utc_offsets(ts, tz).tolist() == utc_offsets(ts, tz).tolist()


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        ("America/Toronto", dt.date(2026, 3, 8), 23),
        ("America/Toronto", dt.date(2026, 11, 1), 25),
        ("America/Toronto", dt.date(2026, 6, 1), 24),
        ("Europe/London", dt.date(2026, 3, 29), 23),
        ("Australia/Lord_Howe", dt.date(2026, 4, 5), 25),  # 24.5 h: the cut hour is split
        ("Asia/Kolkata", dt.date(2026, 3, 8), 24),
    ],
)
def test_hour_buckets_of_a_day(tz, day, hours):
    lo, hi = queries.local_range(day, day, tz)
    starts = queries.bucket_starts(lo, hi, tz, "hour")
    assert len(starts) == hours
    assert len(queries.bucket_starts(lo, hi, tz, "15min")) == (hi - lo) // 900


def test_fall_back_hour_labels_repeat_with_their_offsets():
    tz = "America/Toronto"
    lo, hi = queries.local_range(dt.date(2026, 11, 1), dt.date(2026, 11, 1), tz)
    series = queries.bucket_readings(IntervalSeries.empty(), tz, lo, hi, "hour")
    assert series.labels()[:4] == [
        "2026-11-01T00:00:00-04:00",
        "2026-11-01T01:00:00-04:00",
        "2026-11-01T01:00:00-05:00",
        "2026-11-01T02:00:00-05:00",
    ]


def test_kwh_are_exact_decimals():
    assert queries.mwh_to_kwh(1_234_567) == Decimal("1.234567")
    assert queries.mwh_to_kwh(2**62) == Decimal(2**62) / 10**6
    assert str(queries.mwh_to_kwh(1_000_000)) == "1.000000"


# --- against the database ------------------------------------------------------------------


def _meter(connection, name: str) -> tuple[int, str]:
    return connection.execute(
        select(Meter.id, Premise.timezone)
        .join(Premise, Meter.premise_id == Premise.id)
        .where(Premise.name == name)
    ).one()


@pytest.fixture
def connection(engine: Engine, demo):
    with engine.connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()


class _Statements:
    """Records the SQL a block of code runs (to prove which table a query reads)."""

    def __init__(self, engine: Engine):
        self.engine, self.seen = engine, []

    def _record(self, *args):
        self.seen.append(args[2])

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)


FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def test_daily_and_monthly_read_only_daily_usage(engine, connection):
    meter_id, tz = _meter(connection, "Kanata office")
    with _Statements(engine) as recorded:
        days = queries.daily(connection, meter_id, tz, FIRST, LAST)
        months = queries.monthly(connection, meter_id, tz, FIRST, LAST)
    assert recorded.seen
    assert all("daily_usage" in sql and "interval_reading" not in sql for sql in recorded.seen)
    stored = connection.execute(
        select(func.sum(DailyUsage.delivered_mwh), func.sum(DailyUsage.reading_count)).where(
            DailyUsage.meter_id == meter_id, DailyUsage.local_date.between(FIRST, LAST)
        )
    ).one()
    assert (days.total_delivered_mwh, int(days.reading_count.sum())) == tuple(map(int, stored))
    assert months.total_delivered_mwh == days.total_delivered_mwh
    assert len(days) == 365
    assert months.labels() == [f"2025-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("resolution", ["15min", "hour"])
def test_fine_resolutions_read_interval_reading_and_sum_to_daily_usage(
    engine, connection, resolution
):
    meter_id, tz = _meter(connection, "Kanata office")
    with _Statements(engine) as recorded:
        series = queries.usage_series(connection, meter_id, tz, FIRST, LAST, resolution)
    assert all("interval_reading" in sql for sql in recorded.seen)
    days = queries.daily(connection, meter_id, tz, FIRST, LAST)
    assert series.total_delivered_mwh == days.total_delivered_mwh
    assert int(series.reading_count.sum()) == int(days.reading_count.sum())
    assert int(series.estimated_count.sum()) == int(days.estimated_count.sum())
    # and each day of the fine series sums to that day's daily_usage row
    per_day = defaultdict(int)
    for label, value in zip(series.labels(), series.delivered_mwh.tolist(), strict=True):
        per_day[label[:10]] += value
    assert dict(per_day) == dict(zip(days.labels(), days.delivered_mwh.tolist(), strict=True))
    assert len(series) == {"15min": 365 * 96, "hour": 365 * 24}[resolution]


def test_dst_days_have_23_and_25_hours_of_demo_readings(connection):
    meter_id, tz = _meter(connection, "Kanata office")
    spring = queries.hourly(connection, meter_id, tz, dt.date(2026, 3, 8), dt.date(2026, 3, 8))
    autumn = queries.hourly(connection, meter_id, tz, dt.date(2025, 11, 2), dt.date(2025, 11, 2))
    assert len(spring) == 23
    assert len(autumn) == 25
    assert set(spring.reading_count.tolist()) == {4}
    assert set(autumn.reading_count.tolist()) == {4}
    days = queries.daily(connection, meter_id, tz, dt.date(2025, 11, 2), dt.date(2025, 11, 2))
    assert autumn.total_delivered_mwh == days.total_delivered_mwh
    assert days.end_ts[0] - days.start_ts[0] == 25 * 3600


def test_every_demo_meter_sums_the_same_at_every_resolution(connection, demo):
    first, last = dt.date(2024, 11, 1), dt.date(2026, 10, 31)  # the whole demo window
    fine = {"Maison", "Kenora store", None}  # a house, the other zone, the net-metered home
    for serial, totals in demo["meter_totals"].items():
        meter_id, tz = totals["meter_id"], totals["timezone"]
        name = connection.scalar(
            select(Premise.name)
            .join(Meter, Meter.premise_id == Premise.id)
            .where(Meter.id == meter_id)
        )
        for resolution in queries.RESOLUTIONS:
            if resolution in ("15min", "hour") and not (name in fine or totals["received_mwh"]):
                continue
            series = queries.usage_series(connection, meter_id, tz, first, last, resolution)
            assert series.total_delivered_mwh == totals["delivered_mwh"], (serial, resolution)
            assert series.total_received_mwh == totals["received_mwh"], (serial, resolution)
            assert int(series.reading_count.sum()) == totals["readings"], (serial, resolution)


def test_portfolio_totals_are_one_group_by_and_match_the_meters(engine, connection, demo):
    ids = [totals["meter_id"] for totals in demo["meter_totals"].values()]
    with _Statements(engine) as recorded:
        months = queries.portfolio_monthly(connection, ids, FIRST, LAST)
    assert len(recorded.seen) == 1
    grouping = "UNION ALL" if engine.dialect.name == "sqlite" else "GROUP BY"
    assert grouping in recorded.seen[0]
    assert "daily_usage" in recorded.seen[0]
    assert "interval_reading" not in recorded.seen[0]
    days = queries.portfolio_daily(connection, ids, FIRST, LAST)
    per_meter = [
        queries.monthly(connection, meter_id, tz, FIRST, LAST)
        for meter_id, tz in connection.execute(
            select(Meter.id, Premise.timezone).join(Premise, Meter.premise_id == Premise.id)
        )
    ]
    assert months.labels() == [f"2025-{m:02d}" for m in range(1, 13)]
    assert (
        months.delivered_mwh.tolist()
        == np.sum([series.delivered_mwh for series in per_meter], axis=0).tolist()
    )
    assert months.total_received_mwh == days.total_received_mwh > 0
    assert len(days) == 365
    stored_rows = connection.scalar(
        select(func.count()).where(DailyUsage.local_date.between(FIRST, LAST))
    )
    assert int(months.meter_days.sum()) == int(days.meter_days.sum()) == stored_rows
    assert months.delivered_kwh()[0] == queries.mwh_to_kwh(int(months.delivered_mwh[0]))


def test_portfolio_of_no_meters_is_empty(connection):
    assert len(queries.portfolio_monthly(connection, [], FIRST, LAST)) == 0
    assert len(queries.portfolio_daily(connection, [], FIRST, LAST)) == 0
    assert (
        len(queries.portfolio_monthly(connection, [1], dt.date(2040, 1, 1), LAST.replace(2040)))
        == 0
    )


def test_portfolio_months_clip_the_range(connection, demo):
    ids = [totals["meter_id"] for totals in demo["meter_totals"].values()]
    first, last = dt.date(2025, 1, 20), dt.date(2025, 3, 10)
    months = queries.portfolio_monthly(connection, ids, first, last)
    days = queries.portfolio_daily(connection, ids, first, last)
    assert months.first_day == [first, dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    assert months.labels() == ["2025-01", "2025-02", "2025-03"]
    assert months.total_delivered_mwh == days.total_delivered_mwh
    assert int(months.meter_days.sum()) == int(days.meter_days.sum())
    assert months.delivered_mwh[0] == sum(
        value
        for day, value in zip(days.first_day, days.delivered_mwh.tolist(), strict=True)
        if day.month == 1
    )


def test_a_range_clips_the_first_and_last_month(connection):
    meter_id, tz = _meter(connection, "Kanata office")
    months = queries.monthly(connection, meter_id, tz, dt.date(2025, 1, 15), dt.date(2025, 3, 3))
    days = queries.daily(connection, meter_id, tz, dt.date(2025, 1, 15), dt.date(2025, 3, 3))
    assert months.labels() == ["2025-01", "2025-02", "2025-03"]
    assert months.start_ts[0] == local_day_start(dt.date(2025, 1, 15), tz)
    assert months.end_ts[-1] == local_day_start(dt.date(2025, 3, 4), tz)
    assert months.total_delivered_mwh == days.total_delivered_mwh


@settings(max_examples=25, deadline=None)
@given(case=_random_series())
def test_stored_random_series_sum_the_same_at_every_resolution(engine, demo, case):
    """Through the database: readings in, daily_usage rebuilt, four resolutions out."""
    tz, first, last, series = case
    with engine.connect() as connection, connection.begin() as transaction:
        meter_id = connection.scalar(select(func.max(Meter.id)))
        lo, hi = queries.local_range(first, last, tz)
        connection.execute(
            IntervalReading.__table__.delete().where(
                IntervalReading.meter_id == meter_id,
                IntervalReading.start_ts >= lo - 86400,
                IntervalReading.start_ts < hi + 86400,
            )
        )
        if len(series):
            connection.execute(
                insert(IntervalReading.__table__),
                [
                    {
                        "meter_id": meter_id,
                        "start_ts": int(s),
                        "duration_s": int(d),
                        "delivered_mwh": int(v),
                        "received_mwh": int(r),
                        "quality": int(q),
                    }
                    for s, d, v, r, q in zip(
                        series.start_ts,
                        series.duration_s,
                        series.delivered_mwh,
                        series.received_mwh,
                        series.quality,
                        strict=True,
                    )
                ],
            )
        rebuild_daily_usage(connection, meter_id, tz, lo - 86400, hi + 86400)
        totals = {
            resolution: queries.usage_series(connection, meter_id, tz, first, last, resolution)
            for resolution in queries.RESOLUTIONS
        }
        transaction.rollback()
    for resolution, result in totals.items():
        assert result.total_delivered_mwh == int(series.delivered_mwh.sum()), resolution
        assert result.total_received_mwh == int(series.received_mwh.sum()), resolution
        present = int((series.quality != ReadingQuality.MISSING).sum())
        assert int(result.reading_count.sum()) == present, resolution
    day_keys = _reference(series.start_ts.tolist(), series.delivered_mwh.tolist(), tz, "day")
    daily = totals["day"]
    assert {
        key: int(value)
        for key, value in zip(_keys(daily), daily.delivered_mwh, strict=True)
        if value
    } == {k: v for k, v in day_keys.items() if v}


def test_an_orm_session_works_as_well_as_a_connection(connection):
    from sqlalchemy.orm import Session

    meter_id, tz = _meter(connection, "Kanata office")
    with Session(bind=connection) as session:
        for resolution in queries.RESOLUTIONS:
            via_session = queries.usage_series(session, meter_id, tz, FIRST, LAST, resolution)
            direct = queries.usage_series(connection, meter_id, tz, FIRST, LAST, resolution)
            assert via_session.delivered_mwh.tolist() == direct.delivered_mwh.tolist()
        assert len(queries.portfolio_monthly(session, [meter_id], FIRST, LAST)) == 12
