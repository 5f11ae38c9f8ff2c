"""Mid-cycle projection and the high-bill alert. Pure.

The projection bills the period exactly with :func:`billing.calculate.calculate`
on the readings so far plus, for the days still to come, one synthetic hourly
reading per local hour carrying the mean of that hour of day over the days
already read (so time-of-use periods, tiers and demand see a typical day). The
alert compares the projection with a reference bill (the previous one, or the
same period last year) and fires at :data:`ALERT_RATIO` or more.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import numpy as np

from meter_data.local_time import local_day_start

from .calculate import Bill, Readings, calculate, round_half_up
from .calendar import local_times
from .explain import money
from .tariff_schema import BillingError, Tariff

ALERT_RATIO = Fraction(5, 4)
"""Alert when the projection is at least 25 % above the reference bill."""


@dataclasses.dataclass(frozen=True)
class Projection:
    first: dt.date
    last: dt.date
    days_read: int
    to_date: Bill
    projected: Bill


def project(
    tariff: Tariff, readings: Readings, first: dt.date, last: dt.date, today: dt.date, tz: str
) -> Projection:
    """The bill for ``first..last`` projected from readings of ``first..today-1``."""
    if not first < today <= last:
        raise BillingError(f"projection needs {first} < today ({today}) <= {last}")
    lo, now = local_day_start(first, tz), local_day_start(today, tz)
    so_far = readings.within(lo, now)
    days_read = (today - first).days
    to_date = calculate(tariff, so_far, first, today - dt.timedelta(days=1), tz)
    profile = np.zeros(24, dtype=np.int64)
    if len(so_far):
        hours = local_times(so_far.start_ts, tz).hour
        totals = np.bincount(hours, weights=so_far.delivered_mwh, minlength=24)
        profile = np.rint(totals / days_read).astype(np.int64)
    future = np.arange(now, local_day_start(last + dt.timedelta(days=1), tz), 3600, dtype=np.int64)
    synthetic = profile[local_times(future, tz).hour] if future.size else future
    combined = Readings.of(
        np.concatenate([so_far.start_ts, future]),
        np.concatenate([so_far.delivered_mwh, synthetic]),
        np.concatenate([so_far.received_mwh, np.zeros_like(future)]),
        np.concatenate([so_far.duration_s, np.full(future.size, 3600, dtype=np.int64)]),
    )
    projected = calculate(tariff, combined, first, last, tz)
    return Projection(first, last, days_read, to_date, projected)


def high_bill_alert(
    projected_cents: int,
    reference_cents: int,
    reference: str,
    currency: str = "CAD",
    ratio: Fraction = ALERT_RATIO,
) -> str | None:
    """A sentence when ``projected`` is ≥ ``ratio`` × ``reference``, else ``None``."""
    if reference_cents <= 0 or projected_cents < ratio * reference_cents:
        return None
    more = round_half_up(Fraction(100 * (projected_cents - reference_cents), reference_cents))
    return (
        f"Your bill is on track to be {money(projected_cents, currency)}, {more} % more than "
        f"{reference} ({money(reference_cents, currency)})."
    )
