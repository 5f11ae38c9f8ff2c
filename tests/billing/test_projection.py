"""Mid-cycle projection and the high-bill alert."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from billing import BillingError, Readings, calculate, load_tariff
from billing.projection import high_bill_alert, project
from meter_data.local_time import local_day_start

TZ = "America/Toronto"


def _hourly(first: dt.date, days: int, mwh: int) -> Readings:
    ts = local_day_start(first, TZ) + 3600 * np.arange(days * 24)
    return Readings.of(ts, np.full(ts.size, mwh), None, 3600)


def test_steady_use_projects_to_the_full_month_bill():
    tariff = load_tariff("ontario-rpp-tou")
    first, last = dt.date(2026, 5, 1), dt.date(2026, 5, 31)
    full = _hourly(first, 31, 1_000_000)
    projection = project(tariff, full, first, last, dt.date(2026, 5, 11), TZ)
    assert projection.days_read == 10
    assert projection.to_date.kwh_delivered == 240
    assert projection.projected.total_cents == calculate(tariff, full, first, last, TZ).total_cents


def test_projection_needs_a_day_read_and_a_day_to_come():
    tariff = load_tariff("ontario-rpp-tou")
    with pytest.raises(BillingError):
        project(tariff, _hourly(dt.date(2026, 5, 1), 1, 1), dt.date(2026, 5, 1),
                dt.date(2026, 5, 31), dt.date(2026, 5, 1), TZ)  # fmt: skip


def test_high_bill_alert():
    assert high_bill_alert(12_499, 10_000, "last month") is None
    assert high_bill_alert(13_200, 10_000, "last month") == (
        "Your bill is on track to be $132.00, 32 % more than last month ($100.00)."
    )
    assert high_bill_alert(100, 0, "last month") is None
