"""The premise's weather: hourly temperatures and daily means (for degree days).

Observations are hourly per climate region (``weather_observation``). Daily
means are averaged by the database, grouped by *local* day: the zone's UTC
offsets over the range (a handful of DST changes) become a ``CASE`` in the
query, so a year is ~365 rows rather than 8,760. Results are kept for 15
minutes (observations are rarely corrected, never by the customer).
"""

from __future__ import annotations

import datetime as dt
from itertools import chain

import numpy as np
from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from customer_model import WeatherObservation
from meter_data.local_time import SECONDS_PER_DAY, day_number
from meter_data.queries import local_range

from .cache import Memo
from .clock import offset_steps

MIN_HOURS = 18
"""A day needs this many hourly observations for a mean (else NaN)."""
_TABLE = WeatherObservation.__table__
_hourly: Memo[tuple[np.ndarray, np.ndarray]] = Memo(size=256, ttl_s=900)
_daily: Memo[np.ndarray] = Memo(size=512, ttl_s=900)


def hourly_temperature(
    session: Session, region: str, lo: int, hi: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hour starts (UTC epoch s) and temperatures (°C) of ``region`` in ``[lo, hi)``."""
    return _hourly.get((region, lo, hi), lambda: _read_hours(session, region, lo, hi))


def _read_hours(session: Session, region: str, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    rows = session.execute(
        select(_TABLE.c.start_ts, _TABLE.c.temperature_dc)
        .where(_TABLE.c.climate_region == region, _TABLE.c.start_ts >= lo, _TABLE.c.start_ts < hi)
        .order_by(_TABLE.c.start_ts)
    ).all()
    # fromiter over plain values: np.array() on Row objects probes each one for the
    # array protocol, and every probe raises inside SQLAlchemy (ten times slower)
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
    table = flat.reshape(-1, 2)
    return table[:, 0].copy(), table[:, 1] / 10.0


def daily_mean(session: Session, region: str, tz: str, first: dt.date, last: dt.date) -> np.ndarray:
    """Mean °C of each local day ``first`` .. ``last``; NaN with fewer than :data:`MIN_HOURS`."""
    key = (region, tz, first, last)
    return _daily.get(key, lambda: _read_days(session, region, tz, first, last))


def _read_days(session: Session, region: str, tz: str, first: dt.date, last: dt.date) -> np.ndarray:
    lo, hi = local_range(first, last, tz)
    local_day = (_TABLE.c.start_ts + _offset(lo, hi, tz)) // SECONDS_PER_DAY
    rows = session.execute(
        select(local_day, func.sum(_TABLE.c.temperature_dc), func.count())
        .where(_TABLE.c.climate_region == region, _TABLE.c.start_ts >= lo, _TABLE.c.start_ts < hi)
        .group_by(local_day)
    ).all()
    size = (last - first).days + 1
    sums, counts = np.zeros(size), np.zeros(size, dtype=np.int64)
    for day, total, count in rows:
        index = int(day) - day_number(first)
        if 0 <= index < size:
            sums[index], counts[index] = int(total) / 10.0, int(count)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts >= MIN_HOURS, sums / np.maximum(counts, 1), np.nan)


def _offset(lo: int, hi: int, tz: str) -> ColumnElement[int]:
    """The zone's UTC offset at ``start_ts`` as SQL (one ``CASE`` branch per DST change)."""
    since, offsets = offset_steps(lo, hi, tz)
    if len(offsets) == 1:
        return literal(int(offsets[0]))
    whens = [
        (_TABLE.c.start_ts < int(change), int(offset))
        for change, offset in zip(since[1:].tolist(), offsets[:-1].tolist(), strict=True)
    ]
    return case(*whens, else_=int(offsets[-1]))
