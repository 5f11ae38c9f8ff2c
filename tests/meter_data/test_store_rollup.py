"""store_series rebuilds daily_usage from what it holds: the same rows as a full re-read."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select

from customer_model import DailyUsage, IntervalReading, Meter, Premise
from meter_data import rebuild_daily_usage
from meter_data.local_time import local_day_start
from meter_data.series import IntervalSeries
from meter_data.store import store_series


def _daily(connection, meter_id: int) -> list[tuple]:
    return [
        tuple(row)
        for row in connection.execute(
            select(DailyUsage.__table__)
            .where(DailyUsage.meter_id == meter_id)
            .order_by(DailyUsage.local_date)
        )
    ]


@settings(max_examples=25, deadline=None)
@given(
    start=st.integers(0, 3 * 96),
    length=st.integers(1, 4 * 96),
    holes=st.lists(st.integers(0, 6 * 96), max_size=40),
    change=st.integers(0, 5),
    day=st.sampled_from([dt.date(2025, 3, 8), dt.date(2025, 10, 31), dt.date(2026, 1, 12)]),
)
def test_the_rollup_after_a_store_equals_a_full_rebuild(
    engine: Engine, demo, start, length, holes, change, day
):
    with engine.connect() as connection, connection.begin() as transaction:
        meter_id, tz = connection.execute(
            select(Meter.id, Premise.timezone)
            .join(Premise, Meter.premise_id == Premise.id)
            .where(Premise.name == "Ottawa office")
        ).one()
        origin = local_day_start(day, tz)
        # holes in what is stored, so the file brings new readings next to existing ones
        hole_ts = [origin + 900 * k for k in holes]
        if hole_ts:
            connection.execute(
                delete(IntervalReading).where(
                    IntervalReading.meter_id == meter_id, IntervalReading.start_ts.in_(hole_ts)
                )
            )
        week = (origin - 86_400, origin + 8 * 86_400)
        rebuild_daily_usage(connection, meter_id, tz, *week)  # a consistent starting point
        # a file that starts and ends mid-day, with some values corrected
        ts = origin + 900 * (start + np.arange(length, dtype=np.int64))
        stored = dict(
            connection.execute(
                select(IntervalReading.start_ts, IntervalReading.delivered_mwh).where(
                    IntervalReading.meter_id == meter_id, IntervalReading.start_ts.in_(ts.tolist())
                )
            ).all()
        )
        delivered = np.array([stored.get(int(t), 777) for t in ts], dtype=np.int64)
        delivered[: change * 7 : 7] += 1
        series = IntervalSeries.from_columns(
            start_ts=ts,
            duration_s=np.full(length, 900),
            delivered_mwh=delivered,
            received_mwh=np.zeros(length),
            quality=np.zeros(length),
        )
        store_series(connection, meter_id, tz, series)
        after_store = _daily(connection, meter_id)
        rebuild_daily_usage(connection, meter_id, tz, *week)  # re-reads every reading
        after_rebuild = _daily(connection, meter_id)
        transaction.rollback()
    assert after_store == after_rebuild
