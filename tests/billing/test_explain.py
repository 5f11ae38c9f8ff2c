"""The plain-language explanation of one bill, on constructed readings."""

from __future__ import annotations

import datetime as dt

import numpy as np

from billing import Readings, calculate, load_tariff
from billing.explain import explain, kwh_text, money
from meter_data.local_time import local_day_start

TZ = "America/Toronto"


def _hourly(first: dt.date, days: int, kwh_per_hour: float, extra: dict[int, float]) -> Readings:
    ts = local_day_start(first, TZ) + 3600 * np.arange(days * 24)
    delivered = np.full(ts.size, int(kwh_per_hour * 1_000_000))
    for hour, kwh in extra.items():
        delivered[hour] += int(kwh * 1_000_000)
    return Readings.of(ts, delivered, None, 3600)


def test_tiered_bill_explained_line_by_line():
    tariff = load_tariff("hydro-quebec-d")
    first, last = dt.date(2025, 5, 1), dt.date(2025, 7, 1)  # 62 days, one price version
    readings = _hourly(first, 62, 2, {24 * 9 + 18: 10})  # +10 kWh on Sat 10 May, 18:00
    bill = calculate(tariff, readings, first, last, TZ)
    explanation = explain(bill, tariff, readings, TZ)
    assert explanation.sentences() == [
        "Your bill for Thu 1 May 2025 to Tue 1 Jul 2025 (62 days) is $291.76: 2,986 kWh used, "
        "under Rate D (residential).",
        "System access charge: 62 days at 46.154 ¢/day = $28.62.",
        "2,480 kWh at the first-tier price (6.905 ¢/kWh) because your 62-day period allows "
        "40 kWh a day: $171.24.",
        "506 kWh above that at the second-tier price (10.652 ¢/kWh): $53.90.",
        "GST: 5 % of $253.76 = $12.69.",
        "QST: 9.975 % of $253.76 = $25.31.",
        "Your most expensive days (energy only): Sat 10 May 2025, 58 kWh, $4.37; "
        "Thu 1 May 2025, 48 kWh, $3.62; Fri 2 May 2025, 48 kWh, $3.62.",
        "About 2.00 kW is always on (the lowest hour of a typical day): 2,976 kWh over the "
        "period, 100 % of your use, about $224.39 of energy.",
    ]
    assert explanation.periods == ()


def test_time_of_use_shares_and_demand():
    tariff = load_tariff("ontario-rpp-tou")
    first, last = dt.date(2025, 5, 1), dt.date(2025, 7, 1)
    readings = _hourly(first, 62, 2, {24 * 9 + 18: 10})
    bill = calculate(tariff, readings, first, last, TZ)
    sentences = explain(bill, tariff, readings, TZ).sentences()
    assert "504 kWh used in on-peak hours at 15.8 ¢/kWh = $79.63." in sentences
    assert (
        "By time of use: on-peak 504 kWh (17 %), $79.63; mid-peak 504 kWh (17 %), $61.49; "
        "off-peak 1,978 kWh (66 %), $150.33." in sentences
    )
    assert "Ontario Electricity Rebate: 13.1 % of $291.45 = −$38.18." in sentences

    business = load_tariff("example-demand-business")
    first, last = dt.date(2025, 5, 1), dt.date(2025, 5, 31)
    ts = local_day_start(first, TZ) + 900 * np.arange(31 * 96)
    delivered = np.full(ts.size, 500_000)
    delivered[100] = 1_250_000
    quarter = Readings.of(ts, delivered, None, 900)
    sentences = explain(calculate(business, quarter, first, last, TZ), business, quarter, TZ)
    assert sentences.lines[2] == (
        "Demand charge: your highest use in one quarter-hour was 1.25 kWh, that is 5 kW, "
        "at 12.50 $/kW = $62.50."
    )


def test_formatting():
    assert money(-3818) == "−$38.18"
    assert money(123456, "GBP") == "£1,234.56"
    assert kwh_text(2480) == "2,480"
    assert kwh_text(12.34) == "12.3"
