"""Local-day rollups: DST-correct, exact, and the same whether rebuilt or generated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, select

from customer_model import DailyUsage, IntervalReading, Meter, Premise
from meter_data import daily_totals, local_day_start, local_days, rebuild_daily_usage, utc_offsets

ZONES = [
    "America/Toronto",
    "America/Winnipeg",
    "America/St_Johns",  # −3:30 / −2:30
    "Europe/London",
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Sao_Paulo",  # DST ended 2019; transitions at midnight before
    "Asia/Kolkata",  # no DST
]


def _offset(ts: int, tz: str) -> int:
    offset = dt.datetime.fromtimestamp(ts, ZoneInfo(tz)).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@pytest.mark.parametrize("tz", ZONES)
def test_offsets_match_zoneinfo_every_quarter_hour_for_two_years(tz):
    ts = np.arange(1_546_300_800, 1_609_459_200, 900 * 7, dtype=np.int64)  # 2019-2020, odd step
    expected = np.array([_offset(int(t), tz) for t in ts])
    assert (utc_offsets(ts, tz) == expected).all()


def test_dst_days_have_92_and_100_quarter_hours():
    tz = "America/Toronto"
    start, end = local_day_start(dt.date(2025, 3, 8), tz), local_day_start(dt.date(2025, 11, 4), tz)
    ts = np.arange(start, end, 900, dtype=np.int64)
    ones = np.ones(len(ts), dtype=np.int64)
    totals = daily_totals(ts, ones, ones * 0, ones * 0, tz)
    counts = dict(zip(totals.local_dates(), totals.reading_count.tolist(), strict=True))
    assert counts[dt.date(2025, 3, 8)] == 96
    assert counts[dt.date(2025, 3, 9)] == 92
    assert counts[dt.date(2025, 11, 2)] == 100
    assert set(counts.values()) == {92, 96, 100}
    assert int(totals.delivered_mwh.sum()) == len(ts)


def test_counts_estimated_and_missing_apart_and_keeps_the_peak():
    tz = "America/Toronto"
    midnight = local_day_start(dt.date(2026, 1, 15), tz)
    ts = midnight + 900 * np.arange(4)
    totals = daily_totals(ts[::-1], [5, 9, 2, 7], [0, 0, 1, 0], [0, 1, 2, 0], tz)
    assert totals.local_dates() == [dt.date(2026, 1, 15)]
    assert totals.delivered_mwh.tolist() == [23]
    assert totals.received_mwh.tolist() == [1]
    assert totals.reading_count.tolist() == [3]  # the missing one carries no value
    assert totals.estimated_count.tolist() == [1]
    assert totals.peak_interval_mwh.tolist() == [9]


def test_no_readings_no_days():
    assert len(daily_totals([], [], [], [], "America/Toronto")) == 0


def test_sums_stay_exact_beyond_float_precision():
    big = 2**60 // 100
    ts = np.full(50, local_day_start(dt.date(2026, 6, 1), "UTC")) + np.arange(50) * 900
    totals = daily_totals(ts, np.full(50, big + 1), np.zeros(50), np.zeros(50), "UTC")
    assert int(totals.delivered_mwh[0]) == 50 * (big + 1)


@st.composite
def _series(draw: st.DrawFn) -> tuple[str, list[int], list[int], list[int], list[int]]:
    tz = draw(st.sampled_from(ZONES))
    month = draw(st.sampled_from([1, 2, 3, 4, 9, 10, 11, 12]))  # mostly around transitions
    base = dt.datetime(
        draw(st.integers(2005, 2030)), month, draw(st.integers(1, 28)), tzinfo=dt.UTC
    )
    step = draw(st.sampled_from([60, 900, 1800, 3600]))
    offsets = draw(st.lists(st.integers(0, 60 * 96), max_size=250, unique=True))
    ts = [int(base.timestamp()) + step * k for k in offsets]
    size = len(ts)
    delivered = draw(st.lists(st.integers(0, 10**12), min_size=size, max_size=size))
    received = draw(st.lists(st.integers(0, 10**9), min_size=size, max_size=size))
    quality = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size))
    return tz, ts, delivered, received, quality


@settings(max_examples=100, deadline=None)
@given(_series())
def test_each_reading_lands_on_the_local_date_of_its_start(series):
    tz, ts, delivered, received, quality = series
    totals = daily_totals(ts, delivered, received, quality, tz)

    expected: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for start, d, r, q in zip(ts, delivered, received, quality, strict=True):
        day = expected[dt.datetime.fromtimestamp(start, ZoneInfo(tz)).date()]
        day[0] += d
        day[1] += r
        day[2] += q != 2
        day[3] += q == 1
        day[4] = max(day[4], d)
    actual = {
        day: [int(v) for v in values]
        for day, *values in zip(
            totals.local_dates(),
            totals.delivered_mwh,
            totals.received_mwh,
            totals.reading_count,
            totals.estimated_count,
            totals.peak_interval_mwh,
            strict=True,
        )
    }
    assert actual == dict(expected)
    assert int(totals.delivered_mwh.sum()) == sum(delivered)
    assert int(totals.received_mwh.sum()) == sum(received)
    assert list(totals.local_day) == sorted(set(local_days(ts, tz).tolist()))


def _daily_rows(connection, meter_id: int) -> list[tuple]:
    return connection.execute(
        select(DailyUsage.__table__)
        .where(DailyUsage.meter_id == meter_id)
        .order_by(DailyUsage.local_date)
    ).all()


def _kanata(connection) -> tuple[int, str]:
    return connection.execute(
        select(Meter.id, Premise.timezone)
        .join(Premise, Meter.premise_id == Premise.id)
        .where(Premise.name == "Kanata office")
    ).one()


def test_rebuild_reproduces_the_stored_rollup(engine: Engine, demo):
    with engine.connect() as connection, connection.begin() as transaction:
        meter_id, tz = _kanata(connection)
        before = _daily_rows(connection, meter_id)
        written = rebuild_daily_usage(connection, meter_id, tz)
        assert _daily_rows(connection, meter_id) == before
        assert written == len(before)
        transaction.rollback()


def test_rebuild_of_a_range_touches_only_its_local_days(engine: Engine, demo):
    day = dt.date(2026, 3, 8)  # spring forward
    with engine.connect() as connection, connection.begin() as transaction:
        meter_id, tz = _kanata(connection)
        before = {row.local_date: row for row in _daily_rows(connection, meter_id)}
        lo = local_day_start(day, tz)
        hi = local_day_start(day + dt.timedelta(days=1), tz)
        connection.execute(
            delete(IntervalReading).where(
                IntervalReading.meter_id == meter_id,
                IntervalReading.start_ts >= lo + 3600,
                IntervalReading.start_ts < lo + 7200,
            )
        )
        written = rebuild_daily_usage(connection, meter_id, tz, lo + 4000, lo + 5000)
        after = {row.local_date: row for row in _daily_rows(connection, meter_id)}
        expected = connection.scalar(
            select(func.sum(IntervalReading.delivered_mwh)).where(
                IntervalReading.meter_id == meter_id,
                IntervalReading.start_ts.between(lo, hi - 1),
            )
        )
        transaction.rollback()
    assert written == 1
    assert after[day].reading_count == 92 - 4
    assert after[day].delivered_mwh == expected
    assert {d: r for d, r in after.items() if d != day} == {
        d: r for d, r in before.items() if d != day
    }
