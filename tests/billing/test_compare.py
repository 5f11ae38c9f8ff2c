"""Rate comparison: each tariff on offer, billed exactly on the same readings."""

from __future__ import annotations

import datetime as dt

import numpy as np

from billing import Readings, calculate, load_tariff
from billing.compare import choices_for, compare, last_full_months
from meter_data.local_time import local_day_start

TZ = "America/Toronto"


def test_choices_and_months():
    assert choices_for("ontario-rpp-ulo") == (
        "ontario-rpp-ulo",
        "ontario-rpp-tou",
        "ontario-rpp-tiered",
    )
    assert choices_for("hydro-quebec-d") == ("hydro-quebec-d",)
    months = last_full_months(dt.date(2026, 11, 1))
    assert months[0] == (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert months[-1] == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert len(months) == 12
    assert last_full_months(dt.date(2026, 3, 15), 1) == [
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    ]


def test_each_option_is_the_sum_of_exact_monthly_bills():
    months = last_full_months(dt.date(2026, 11, 1))
    first = months[0][0]
    days = (months[-1][1] - first).days + 1
    ts = local_day_start(first, TZ) + 3600 * np.arange(days * 24 + 30)  # DST: a few spare hours
    hours = (ts // 3600) % 24
    delivered = np.where((hours >= 5) & (hours < 11), 3_000_000, 500_000)  # night-heavy (UTC)
    readings = Readings.of(ts, delivered, None, 3600)
    comparison = compare(readings, "ontario-rpp-tou", months, TZ)
    assert [o.tariff_id for o in comparison.options] == [
        "ontario-rpp-tou",
        "ontario-rpp-tiered",
        "ontario-rpp-ulo",
    ]
    assert comparison.current.tariff_id == "ontario-rpp-tou"
    for option in comparison.options:
        tariff = load_tariff(option.tariff_id)
        expected = [calculate(tariff, readings, a, b, TZ).total_cents for a, b in months]
        assert list(option.monthly_cents) == expected
        assert comparison.difference_cents(option) == sum(expected) - comparison.current.total_cents
    assert comparison.cheapest.tariff_id == "ontario-rpp-ulo"  # most use in ULO hours
