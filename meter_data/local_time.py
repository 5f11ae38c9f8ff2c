"""UTC instants to local wall-clock days, vectorised and DST-correct.

Readings are stored as UTC epoch seconds but customers think in local days. A
zone changes offset only a few times a year, so we locate those transitions once
per call (sampling the zone and bisecting) and map every reading with a single
``searchsorted`` instead of a ``zoneinfo`` call per reading.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

SECONDS_PER_DAY = 86_400
_SAMPLE_STEP_S = 6 * 3600
"""Zones are sampled this often; assumes no two transitions closer than this."""

_EPOCH = dt.date(1970, 1, 1)


def _offset_at(zone: ZoneInfo, ts: int) -> int:
    offset = dt.datetime.fromtimestamp(ts, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _first_change(zone: ZoneInfo, before: int, after: int, offset: int) -> int:
    """Smallest instant in ``(before, after]`` whose offset differs from ``offset``."""
    while after - before > 1:
        mid = (before + after) // 2
        if _offset_at(zone, mid) == offset:
            before = mid
        else:
            after = mid
    return after


def offset_table(lo: int, hi: int, tz: str) -> tuple[npt.NDArray[np.int64], ...]:
    """Instants from which each offset applies over ``[lo, hi]``, and those offsets.

    The first instant is ``lo``; later ones are the zone's transitions.
    """
    zone = ZoneInfo(tz)
    samples = [*range(lo, hi, _SAMPLE_STEP_S), hi]
    sampled = [_offset_at(zone, ts) for ts in samples]
    since, offsets = [lo], [sampled[0]]
    for before, after, offset, next_offset in zip(
        samples, samples[1:], sampled, sampled[1:], strict=False
    ):
        if offset != next_offset:
            change = _first_change(zone, before, after, offset)
            since.append(change)
            offsets.append(_offset_at(zone, change))
    return np.array(since, dtype=np.int64), np.array(offsets, dtype=np.int64)


def utc_offsets(start_ts: npt.ArrayLike, tz: str) -> npt.NDArray[np.int64]:
    """UTC offset in seconds (local minus UTC) at each instant of ``start_ts``."""
    ts = np.asarray(start_ts, dtype=np.int64)
    if ts.size == 0:
        return np.zeros(0, dtype=np.int64)
    since, offsets = offset_table(int(ts.min()), int(ts.max()), tz)
    return offsets[np.searchsorted(since, ts, side="right") - 1]


def local_days(start_ts: npt.ArrayLike, tz: str) -> npt.NDArray[np.int64]:
    """Local calendar day of each instant, as days since 1970-01-01."""
    ts = np.asarray(start_ts, dtype=np.int64)
    return (ts + utc_offsets(ts, tz)) // SECONDS_PER_DAY


def local_day_start(day: dt.date, tz: str) -> int:
    """UTC epoch seconds of local midnight starting ``day`` in ``tz``.

    Resolved with PEP 495 ``fold=0``: an ambiguous midnight is its first
    occurrence, and a midnight skipped by a gap that starts at midnight (as in
    the zones that move their clocks then) is the instant the clocks jump.
    """
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz))
    return int(midnight.timestamp())


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the unit :func:`local_days` returns)."""
    return (day - _EPOCH).days


def day_from_number(number: int) -> dt.date:
    """Inverse of :func:`day_number`."""
    return _EPOCH + dt.timedelta(days=number)
