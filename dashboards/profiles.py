"""What a stretch of 15-minute readings says about habits: week pattern, night floor, peak, TOU.

One read of the raw readings per calendar month (a primary-key range scan of
~3,000 rows), summarised into a :class:`Profile` of a few hundred numbers and
kept in a process cache. The cache key holds the meter, the local dates, the
tariff and a digest of the month's daily rollups: when an import changes the
readings it also rebuilds ``daily_usage``, so the digest changes and the month
is summarised again. A year view therefore costs one ``daily_usage`` read plus,
the first time only, twelve month reads.

The time-of-use split is priced by :func:`billing.calculate` itself, month by
month (how bills are cut), so the shares are exactly what the bill engine says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from fractions import Fraction

import numpy as np
from sqlalchemy.orm import Session

from billing import BillingError, Readings, Tariff, calculate, load_tariff
from billing.calendar import classify, local_times
from customer_model import ReadingQuality
from meter_data import queries
from meter_data.local_time import day_number

from .cache import Memo
from .data import MeterView, usage

NIGHT_HOURS = range(0, 5)
"""Local hours whose quarter-hours count as "night" for the always-on load (00:00–04:59)."""
QUANTILES = np.linspace(0, 100, 101)
_MONDAY_OFFSET = 3
"""1970-01-01 was a Thursday: ``(day_number + 3) % 7`` is 0 on Mondays."""


@dataclasses.dataclass(frozen=True)
class TouPart:
    """Energy and its price by tariff period (TOU period, tier, or ``flat``)."""

    periods: tuple[str, ...]
    delivered_mwh: dict[str, int]
    energy_cents: dict[str, Fraction] | None
    """Exact energy charges by period; ``None`` when no price was in force."""
    credit_cents: dict[str, Fraction] | None
    """Net-metering credits by period (negative), when the tariff gives any."""
    time_of_use: bool
    currency: str


@dataclasses.dataclass(frozen=True)
class Profile:
    """A summary of the readings of local days ``first`` .. ``last``."""

    first: dt.date
    last: dt.date
    week_mwh: np.ndarray
    """Delivered energy by weekday (Monday = 0) × local hour, shape (7, 24)."""
    week_hours: np.ndarray
    """How many (day, hour) buckets had readings in each cell, shape (7, 24)."""
    night_w: np.ndarray
    """Percentiles 0..100 of the night quarter-hours' average power, watts."""
    night_count: int
    peak_w: int
    peak_ts: int | None
    """Start (UTC epoch s) of the highest-demand reading."""
    tou: TouPart | None


_memo: Memo[Profile] = Memo(size=2048)


def profiles(session: Session, meter: MeterView, first: dt.date, last: dt.date) -> list[Profile]:
    """One :class:`Profile` per calendar month of ``first`` .. ``last`` (visible days only)."""
    days = usage(session, meter, first, last, "day")
    tariff = tariff_for(meter)
    out = []
    for a, b in _chunks(meter, first, last):
        lo, hi = day_number(a) - day_number(first), day_number(b) - day_number(first) + 1
        if not days.reading_count[lo:hi].any():
            continue
        digest = _digest(days, lo, hi)
        key = (meter.id, meter.tz, a, b, meter.tariff_code, digest)
        out.append(_memo.get(key, lambda a=a, b=b: summarise(session, meter, a, b, tariff)))
    return out


def _chunks(meter: MeterView, first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    for a, b in meter.visible(first, last):
        month = a.replace(day=1)
        while month <= b:
            following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            yield max(a, month), min(b, following - dt.timedelta(days=1))
            month = following


def _digest(days: queries.UsageSeries, lo: int, hi: int) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for column in (days.delivered_mwh, days.received_mwh, days.reading_count, days.estimated_count):
        digest.update(column[lo:hi].tobytes())
    return digest.digest()


def tariff_for(meter: MeterView) -> Tariff | None:
    """The tariff of the meter's (latest visible) account, if we ship it."""
    try:
        return load_tariff(meter.tariff_code) if meter.tariff_code else None
    except BillingError:  # an account naming a tariff we do not ship: kWh only
        return None


def summarise(
    session: Session, meter: MeterView, first: dt.date, last: dt.date, tariff: Tariff | None
) -> Profile:
    """Read the readings of ``first`` .. ``last`` once and summarise them."""
    lo, hi = queries.local_range(first, last, meter.tz)
    r = queries.read_intervals(session, meter.id, lo, hi)
    present = r.quality != ReadingQuality.MISSING
    ts, duration = r.start_ts[present], r.duration_s[present]
    delivered, received = r.delivered_mwh[present], r.received_mwh[present]
    local = local_times(ts, meter.tz)
    weekday = (local.day + _MONDAY_OFFSET) % 7
    week_mwh = np.zeros((7, 24), dtype=np.int64)
    np.add.at(week_mwh, (weekday, local.hour), delivered)
    buckets = np.unique(local.day * 24 + local.hour)
    week_hours = np.zeros((7, 24), dtype=np.int64)
    np.add.at(week_hours, ((buckets // 24 + _MONDAY_OFFSET) % 7, buckets % 24), 1)
    watts = delivered * 3.6 / np.maximum(duration, 1)  # mWh over seconds → W
    night = watts[local.hour < NIGHT_HOURS.stop]
    peak = int(np.argmax(watts)) if watts.size else None
    return Profile(
        first=first,
        last=last,
        week_mwh=week_mwh,
        week_hours=week_hours,
        night_w=np.percentile(night, QUANTILES) if night.size else np.zeros(0),
        night_count=int(night.size),
        peak_w=int(round(watts[peak])) if peak is not None else 0,
        peak_ts=int(ts[peak]) if peak is not None else None,
        tou=_tou(tariff, ts, duration, delivered, received, first, last, meter.tz),
    )


def _tou(
    tariff: Tariff | None,
    ts: np.ndarray,
    duration: np.ndarray,
    delivered: np.ndarray,
    received: np.ndarray,
    first: dt.date,
    last: dt.date,
    tz: str,
) -> TouPart | None:
    """Energy lines of the month's bill by period, or kWh by TOU period when unpriced."""
    if tariff is None:
        return None
    try:
        bill = calculate(tariff, Readings.of(ts, delivered, received, duration), first, last, tz)
    except BillingError:
        return _unpriced(tariff, ts, delivered, tz)
    order: list[str] = []
    mwh: dict[str, int] = {}
    energy: dict[str, Fraction] = {}
    credit: dict[str, Fraction] = {}
    for line in bill.lines:
        period = line.period or "flat"
        if line.kind == "energy":
            if period not in order:
                order.append(period)
            mwh[period] = mwh.get(period, 0) + int(line.quantity.scaleb(6))
            energy[period] = energy.get(period, Fraction(0)) + line.exact_cents
        elif line.kind == "credit" and line.unit == "kWh":
            credit[period] = credit.get(period, Fraction(0)) + line.exact_cents
    return TouPart(
        tuple(order), mwh, energy, credit, tariff.time_of_use is not None, tariff.currency
    )


def _unpriced(tariff: Tariff, ts: np.ndarray, delivered: np.ndarray, tz: str) -> TouPart | None:
    schedule = tariff.time_of_use
    if schedule is None:
        return None
    period_of = classify(ts, tz, schedule, tariff.holidays)
    sums = np.bincount(period_of, weights=delivered, minlength=len(schedule.periods))
    mwh = {name: int(sums[i]) for i, name in enumerate(schedule.periods)}
    return TouPart(schedule.periods, mwh, None, None, True, tariff.currency)
