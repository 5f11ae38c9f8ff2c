"""UTC offsets of a zone, memoised per calendar year (the dashboards ask for the same years often).

:func:`meter_data.local_time.offset_table` samples the zone every six hours
(about 1,460 ``zoneinfo`` calls per year); a dashboard callback converts
several series of the same years, so the table of each (zone, year) is kept.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import numpy.typing as npt

from meter_data.local_time import SECONDS_PER_DAY, offset_table

Int64 = npt.NDArray[np.int64]


@functools.lru_cache(maxsize=512)
def _year(tz: str, year: int) -> tuple[Int64, Int64]:
    lo = int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())
    hi = int(dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC).timestamp())
    since, offsets = offset_table(lo, hi - 1, tz)
    since.setflags(write=False)
    offsets.setflags(write=False)
    return since, offsets


def offset_steps(lo: int, hi: int, tz: str) -> tuple[Int64, Int64]:
    """Instants from which each offset applies (first one at or before ``lo``) up to ``hi``."""
    first = dt.datetime.fromtimestamp(lo, dt.UTC).year
    last = dt.datetime.fromtimestamp(hi, dt.UTC).year
    tables = [_year(tz, year) for year in range(first, last + 1)]
    since = np.concatenate([t[0] for t in tables])
    offsets = np.concatenate([t[1] for t in tables])
    keep = np.r_[True, offsets[1:] != offsets[:-1]]  # year boundaries are not changes
    return since[keep], offsets[keep]


def utc_offsets(start_ts: npt.ArrayLike, tz: str) -> Int64:
    """UTC offset in seconds (local minus UTC) at each instant, like ``meter_data``'s."""
    ts = np.asarray(start_ts, dtype=np.int64)
    if ts.size == 0:
        return np.zeros(0, dtype=np.int64)
    since, offsets = offset_steps(int(ts.min()), int(ts.max()), tz)
    return offsets[np.searchsorted(since, ts, side="right") - 1]


def local_days(start_ts: npt.ArrayLike, tz: str) -> Int64:
    """Local calendar day of each instant, as days since 1970-01-01."""
    ts = np.asarray(start_ts, dtype=np.int64)
    return (ts + utc_offsets(ts, tz)) // SECONDS_PER_DAY
