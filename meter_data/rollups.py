"""Daily rollups of interval readings, per local day in the premise's time zone.

``daily_usage`` is derived data: every importer calls :func:`rebuild_daily_usage`
after writing readings, and the demo generator calls :func:`daily_totals` on the
arrays it already holds. Sums are int64 throughout, so they are exact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, and_, delete, insert, or_, select

from customer_model import DailyUsage, IntervalReading, ReadingQuality

from .local_time import day_from_number, local_day_start, local_days

IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class DailyTotals:
    """One entry per local day, sorted by day; columns mirror ``daily_usage``."""

    local_day: IntArray
    """Local date as days since 1970-01-01."""
    delivered_mwh: IntArray
    received_mwh: IntArray
    reading_count: IntArray
    """Readings that carry a value (actual or estimated, not missing)."""
    estimated_count: IntArray
    peak_interval_mwh: IntArray
    """Largest delivered interval of the day."""

    def __len__(self) -> int:
        return len(self.local_day)

    def local_dates(self) -> list[dt.date]:
        return [day_from_number(int(day)) for day in self.local_day]

    def rows(self, meter_id: int) -> list[dict[str, Any]]:
        """``daily_usage`` rows for ``meter_id``, ready for an executemany insert."""
        return [
            {
                "meter_id": meter_id,
                "local_date": day,
                "delivered_mwh": delivered,
                "received_mwh": received,
                "reading_count": count,
                "estimated_count": estimated,
                "peak_interval_mwh": peak,
            }
            for day, delivered, received, count, estimated, peak in zip(
                self.local_dates(),
                self.delivered_mwh.tolist(),
                self.received_mwh.tolist(),
                self.reading_count.tolist(),
                self.estimated_count.tolist(),
                self.peak_interval_mwh.tolist(),
                strict=True,
            )
        ]


def daily_totals(
    start_ts: npt.ArrayLike,
    delivered_mwh: npt.ArrayLike,
    received_mwh: npt.ArrayLike,
    quality: npt.ArrayLike,
    tz: str,
) -> DailyTotals:
    """Aggregate readings by the local date (in ``tz``) of their start instant.

    Inputs need not be sorted. A reading belongs to the day its interval starts
    in, so a day has 92 or 100 quarter-hours across a DST change.
    """
    ts = np.asarray(start_ts, dtype=np.int64)
    delivered = np.asarray(delivered_mwh, dtype=np.int64)
    received = np.asarray(received_mwh, dtype=np.int64)
    quality_ = np.asarray(quality, dtype=np.int64)
    if ts.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return DailyTotals(empty, empty, empty, empty, empty, empty)

    days = local_days(ts, tz)
    order = np.argsort(days, kind="stable")
    days, delivered, received, quality_ = (
        days[order],
        delivered[order],
        received[order],
        quality_[order],
    )
    starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    present = (quality_ != ReadingQuality.MISSING).astype(np.int64)
    estimated = (quality_ == ReadingQuality.ESTIMATED).astype(np.int64)
    return DailyTotals(
        local_day=days[starts],
        delivered_mwh=np.add.reduceat(delivered, starts),
        received_mwh=np.add.reduceat(received, starts),
        reading_count=np.add.reduceat(present, starts),
        estimated_count=np.add.reduceat(estimated, starts),
        peak_interval_mwh=np.maximum.reduceat(delivered, starts),
    )


Columns = tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike]
"""``start_ts``, ``delivered_mwh``, ``received_mwh``, ``quality`` of some readings."""


def rebuild_daily_usage(
    connection: Connection,
    meter_id: int,
    tz: str,
    start_ts: int | None = None,
    end_ts: int | None = None,
    *,
    known: Columns | None = None,
) -> int:
    """Recompute one meter's ``daily_usage`` over the local days touching a range.

    ``[start_ts, end_ts)`` is widened to whole local days in ``tz``; an open end
    means "from the first" or "to the last" reading. Rows in that span are
    deleted and re-inserted, so calling it again after an import is safe.
    Returns the number of rows written.

    ``known``: every reading of the meter starting in ``[start_ts, end_ts)`` as
    stored now, when the caller holds them already (an importer that has just
    written them). Then only the partial local days around the range are read
    back, not the whole range again.
    """
    if known is not None:
        if start_ts is None or end_ts is None:
            raise ValueError("known readings need both ends of their range")
        return _rebuild_around(connection, meter_id, tz, start_ts, end_ts, known)
    readings = IntervalReading.__table__
    daily = DailyUsage.__table__
    query = select(
        readings.c.start_ts,
        readings.c.delivered_mwh,
        readings.c.received_mwh,
        readings.c.quality,
    ).where(readings.c.meter_id == meter_id)
    wipe = delete(daily).where(daily.c.meter_id == meter_id)
    if start_ts is not None:
        first_day = day_from_number(int(local_days([start_ts], tz)[0]))
        query = query.where(readings.c.start_ts >= local_day_start(first_day, tz))
        wipe = wipe.where(daily.c.local_date >= first_day)
    if end_ts is not None:
        last_day = day_from_number(int(local_days([end_ts - 1], tz)[0]))
        next_day = last_day + dt.timedelta(days=1)
        query = query.where(readings.c.start_ts < local_day_start(next_day, tz))
        wipe = wipe.where(daily.c.local_date <= last_day)

    rows = connection.execute(query).all()
    flat = np.fromiter((value for row in rows for value in row), np.int64, 4 * len(rows))
    totals = daily_totals(*flat.reshape(len(rows), 4).T, tz=tz)
    connection.execute(wipe)
    return insert_daily_totals(connection, meter_id, totals)


def _rebuild_around(
    connection: Connection, meter_id: int, tz: str, start_ts: int, end_ts: int, known: Columns
) -> int:
    readings = IntervalReading.__table__
    daily = DailyUsage.__table__
    first_day = day_from_number(int(local_days([start_ts], tz)[0]))
    last_day = day_from_number(int(local_days([end_ts - 1], tz)[0]))
    day_lo = local_day_start(first_day, tz)
    day_hi = local_day_start(last_day + dt.timedelta(days=1), tz)
    ts = readings.c.start_ts
    rows = connection.execute(
        select(ts, readings.c.delivered_mwh, readings.c.received_mwh, readings.c.quality).where(
            readings.c.meter_id == meter_id,
            or_(and_(ts >= day_lo, ts < start_ts), and_(ts >= end_ts, ts < day_hi)),
        )
    ).all()
    edges = np.array(rows, dtype=np.int64).reshape(len(rows), 4).T
    columns = [
        np.concatenate([np.asarray(column, dtype=np.int64), edge])
        for column, edge in zip(known, edges, strict=True)
    ]
    totals = daily_totals(*columns, tz=tz)
    connection.execute(
        delete(daily).where(
            daily.c.meter_id == meter_id, daily.c.local_date.between(first_day, last_day)
        )
    )
    return insert_daily_totals(connection, meter_id, totals)


def insert_daily_totals(connection: Connection, meter_id: int, totals: DailyTotals) -> int:
    """Insert ``totals`` as ``daily_usage`` rows (the days must not exist yet)."""
    if len(totals):
        connection.execute(insert(DailyUsage.__table__), totals.rows(meter_id))
    return len(totals)
