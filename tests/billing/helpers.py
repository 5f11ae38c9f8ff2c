"""Readings for billing tests: regular intervals over local days, exact energy totals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np

from billing import Readings
from meter_data.local_time import local_day_start


def instants(first: dt.date, last: dt.date, tz: str, step_s: int = 900) -> np.ndarray:
    """Interval starts covering the local days ``first..last`` (inclusive)."""
    lo = local_day_start(first, tz)
    hi = local_day_start(last + dt.timedelta(days=1), tz)
    return np.arange(lo, hi, step_s, dtype=np.int64)


def spread(total_mwh: int, count: int) -> np.ndarray:
    """``total_mwh`` over ``count`` intervals as evenly as integers allow."""
    values = np.full(count, total_mwh // count, dtype=np.int64)
    values[: total_mwh - int(values.sum())] += 1
    return values


def steady(first: dt.date, last: dt.date, tz: str, total_kwh: int, step_s: int = 900) -> Readings:
    """``total_kwh`` spread evenly over the period."""
    ts = instants(first, last, tz, step_s)
    return Readings.of(ts, spread(total_kwh * 1_000_000, len(ts)), duration_s=step_s)


def at_local(when: dt.datetime, tz: str, mwh: int, duration_s: int = 900) -> Readings:
    """One reading starting at the local wall-clock time ``when``."""
    instant = int(when.replace(tzinfo=ZoneInfo(tz)).timestamp())
    return Readings.of([instant], [mwh], duration_s=duration_s)


def lines_by(bill, kind: str) -> list:
    return [line for line in bill.lines if line.kind == kind]
