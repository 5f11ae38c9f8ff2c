"""Published worked figures and the documented rules, line by line, in cents.

Expected amounts are worked out in the comments from the published prices, not
read back from the calculator.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from billing import BillingError, NoVersionInForce, Readings, calculate, load_tariff
from tests.billing.helpers import at_local, instants, lines_by, spread, steady

D = Decimal
MONTREAL = "America/Toronto"
TORONTO = "America/Toronto"
LONDON = "Europe/London"


def steady_bill(tariff_id: str, first: dt.date, last: dt.date, total_kwh: int):
    tz = load_tariff(tariff_id).timezone
    return calculate(load_tariff(tariff_id), steady(first, last, tz, total_kwh), first, last)


def amounts(bill, kind: str | None = None) -> list[tuple[str | None, Decimal, Decimal, int]]:
    return [
        (line.period, line.quantity, line.unit_price, line.amount_cents)
        for line in bill.lines
        if kind is None or line.kind == kind
    ]


# --------------------------------------------------------------------------- Hydro-Québec


def test_hydro_quebec_62_day_period_bills_2480_kwh_at_the_first_tier_price():
    """Hydro-Québec's own example: 62 days → 40 × 62 = 2,480 kWh at the first-tier price."""
    first, last = dt.date(2025, 5, 1), dt.date(2025, 7, 1)
    assert (last - first).days + 1 == 62
    bill = steady_bill("hydro-quebec-d", first, last, 3000)
    assert amounts(bill) == [
        (None, D(62), D("46.154"), 2862),  # 62 × 46.154 ¢ = 2,861.548 ¢
        ("tier1", D(2480), D("6.905"), 17124),  # 2,480 × 6.905 = 17,124.4 ¢
        ("tier2", D(520), D("10.652"), 5539),  # 520 × 10.652 = 5,539.04 ¢
        (None, D("255.25"), D(5), 1276),  # GST 5 % of 255.25 = 12.7625
        (None, D("255.25"), D("9.975"), 2546),  # QST 9.975 % of 255.25 = 25.4611875
    ]
    assert [line.kind for line in bill.lines] == ["fixed", "energy", "energy", "tax", "tax"]
    assert (bill.subtotal_cents, bill.taxes_cents, bill.total_cents) == (25525, 3822, 29347)


def test_hydro_quebec_below_the_threshold_is_all_first_tier():
    bill = steady_bill("hydro-quebec-d", dt.date(2025, 5, 1), dt.date(2025, 7, 1), 2000)
    assert amounts(bill, "energy") == [("tier1", D(2000), D("6.905"), 13810)]


def test_hydro_quebec_period_across_1_april_is_prorated_by_days():
    """1 Mar–30 Apr 2025 (61 days): March at the 2024 prices, April at the 2025 prices.

    The 3,050 kWh are split by days whatever the readings say (all in April here):
    31/61 → 1,550 kWh with a 1,240 kWh first tier; 30/61 → 1,500 kWh with 1,200.
    """
    first, last = dt.date(2025, 3, 1), dt.date(2025, 4, 30)
    april = instants(dt.date(2025, 4, 1), last, MONTREAL)
    readings = Readings.of(april, spread(3_050_000_000, len(april)))
    bill = calculate(load_tariff("hydro-quebec-d"), readings, first, last)
    assert amounts(bill, "fixed") == [
        (None, D(31), D("44.810"), 1389),  # 1,389.11 ¢
        (None, D(30), D("46.154"), 1385),  # 1,384.62 ¢
    ]
    assert amounts(bill, "energy") == [
        ("tier1", D(1240), D("6.704"), 8313),  # 8,312.96 ¢
        ("tier2", D(310), D("10.342"), 3206),  # 3,206.02 ¢
        ("tier1", D(1200), D("6.905"), 8286),  # 8,286 ¢
        ("tier2", D(300), D("10.652"), 3196),  # 3,195.6 ¢
    ]
    assert "prices from 2024-04-01" in bill.lines[0].description
    assert bill.kwh_delivered == D(3050)


def test_hydro_quebec_net_metering_credits_top_tier_first_up_to_delivered():
    first, last = dt.date(2025, 5, 1), dt.date(2025, 7, 1)
    ts = instants(first, last, MONTREAL)
    readings = Readings.of(ts, spread(3_000_000_000, len(ts)), spread(600_000_000, len(ts)))
    bill = calculate(load_tariff("hydro-quebec-d"), readings, first, last)
    assert amounts(bill, "credit") == [
        ("tier1", D(80), D("6.905"), -552),  # 80 × 6.905 = 552.4 ¢
        ("tier2", D(520), D("10.652"), -5539),
    ]
    # taxes apply to the net energy: 2,862 + 17,124 + 5,539 − 552 − 5,539 = 19,434 ¢
    assert [line.quantity for line in lines_by(bill, "tax")] == [D("194.34"), D("194.34")]
    much = Readings.of(ts, spread(1_000_000_000, len(ts)), spread(5_000_000_000, len(ts)))
    capped = calculate(load_tariff("hydro-quebec-d"), much, first, last)
    assert amounts(capped, "credit") == [("tier1", D(1000), D("6.905"), -6905)]


# --------------------------------------------------------------------------- Ofgem

TDCV_ELECTRICITY_KWH = 2_700
TDCV_GAS_KWH = 11_500
OFGEM_GAS = {
    # Ofgem's published gas cap, Direct Debit, GB average incl. VAT (p/kWh, p/day)
    dt.date(2025, 7, 1): (D("6.33"), D("29.82")),
    dt.date(2025, 10, 1): (D("6.29"), D("34.03")),
}
OFGEM_HEADLINE = {dt.date(2025, 7, 1): 1720, dt.date(2025, 10, 1): 1755}


def typical_year_pence(effective: dt.date) -> tuple[int, Decimal]:
    """A typical-consumption year at one quarter's rates: electricity billed, gas by hand."""
    tariff = load_tariff("ofgem-cap-electricity").pinned(effective)
    first, last = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    readings = steady(first, last, LONDON, TDCV_ELECTRICITY_KWH, step_s=3600)
    bill = calculate(tariff, readings, first, last)
    assert bill.taxes_cents == 0  # prices include VAT
    unit, standing = OFGEM_GAS[effective]
    return bill.total_cents, TDCV_GAS_KWH * unit + 365 * standing


def test_ofgem_oct_dec_2025_typical_year_reproduces_the_headline_to_the_pound():
    electricity, gas = typical_year_pence(dt.date(2025, 10, 1))
    assert electricity == 90738  # 2,700 × 26.35 = 71,145 p; 365 × 53.68 = 19,593.2 p
    pounds = (Decimal(electricity) + gas) / 100  # 907.38 + 847.5595
    assert round(pounds) == OFGEM_HEADLINE[dt.date(2025, 10, 1)]


def test_ofgem_jul_sep_2025_typical_year_is_within_a_pound_of_the_headline():
    """From the 2-decimal published rates the year is £1,719.00; Ofgem's unrounded £1,720."""
    electricity, gas = typical_year_pence(dt.date(2025, 7, 1))
    assert electricity == 88221  # 2,700 × 25.73 = 69,471 p; 365 × 51.37 = 18,750.05 p
    pounds = (Decimal(electricity) + gas) / 100
    assert abs(pounds - OFGEM_HEADLINE[dt.date(2025, 7, 1)]) <= 1


def test_ofgem_quarter_change_and_end_of_published_prices():
    tariff = load_tariff("ofgem-cap-electricity")
    first, last = dt.date(2025, 9, 15), dt.date(2025, 10, 14)  # 16 days Q3 + 14 days Q4
    bill = calculate(tariff, steady(first, last, LONDON, 300, step_s=1800), first, last)
    assert amounts(bill) == [
        (None, D(16), D("51.37"), 822),  # 821.92 p
        (None, D(14), D("53.68"), 752),  # 751.52 p
        ("flat", D(160), D("25.73"), 4117),  # 300 × 16/30 = 160 kWh; 4,116.8 p
        ("flat", D(140), D("26.35"), 3689),  # 3,689 p
    ]
    with pytest.raises(NoVersionInForce, match="latest version ends 2025-12-31"):
        calculate(tariff, steady(first, last, LONDON, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 5))
    with pytest.raises(NoVersionInForce, match="earliest version starts 2025-07-01"):
        tariff.version_on(dt.date(2025, 6, 30))


# --------------------------------------------------------------------------- Ontario


def test_ontario_tiered_thresholds_by_season():
    """600 kWh/month at tier 1 in summer, 1,000 in winter (residential, Nov 2024 prices)."""
    tiered = load_tariff("ontario-rpp-tiered")
    july = steady_bill(tiered.id, dt.date(2025, 7, 1), dt.date(2025, 7, 31), 800)
    assert amounts(july, "energy") == [
        ("tier1", D(600), D("9.3"), 5580),
        ("tier2", D(200), D("11.0"), 2200),
    ]
    january = steady_bill(tiered.id, dt.date(2025, 1, 1), dt.date(2025, 1, 31), 1200)
    assert amounts(january, "energy") == [
        ("tier1", D(1000), D("9.3"), 9300),
        ("tier2", D(200), D("11.0"), 2200),
    ]


def test_ontario_tiered_thresholds_prorate_part_months_by_days_and_season():
    half = steady_bill("ontario-rpp-tiered", dt.date(2025, 7, 1), dt.date(2025, 7, 15), 500)
    # 600 × 15/31 = 290.3225806… kWh, rounded to the milliwatt-hour
    assert [line.quantity for line in lines_by(half, "energy")] == [
        D("290.322581"),
        D("209.677419"),
    ]
    across = steady_bill("ontario-rpp-tiered", dt.date(2025, 4, 16), dt.date(2025, 5, 15), 1000)
    # 15 winter days of April (1,000 × 15/30) + 15 summer days of May (600 × 15/31)
    assert lines_by(across, "energy")[0].quantity == D("790.322581")


def test_ontario_rebate_and_hst_both_apply_to_the_pre_rebate_charges():
    bill = steady_bill("ontario-rpp-tiered", dt.date(2025, 7, 1), dt.date(2025, 7, 31), 800)
    # energy 55.80 + 22.00 = 77.80; OER 13.1 % = 10.1918; HST 13 % of 77.80 = 10.114
    assert amounts(bill, "credit") == [(None, D("77.80"), D("13.1"), -1019)]
    assert amounts(bill, "tax") == [(None, D("77.80"), D(13), 1011)]
    assert (bill.subtotal_cents, bill.taxes_cents, bill.total_cents) == (6761, 1011, 7772)


def test_ontario_tou_across_1_november_is_priced_hour_by_hour():
    """1 kWh in each of three hours: Fri 31 Oct noon (summer on-peak, 2024 price), Sat 1 Nov
    noon (weekend off-peak, 2025 price), Mon 3 Nov noon (winter mid-peak, 2025 price)."""
    tou = load_tariff("ontario-rpp-tou")
    hours = [
        dt.datetime(2025, 10, 31, 12),
        dt.datetime(2025, 11, 1, 12),
        dt.datetime(2025, 11, 3, 12),
    ]
    starts = np.concatenate([at_local(when, TORONTO, 0).start_ts for when in hours])
    readings = Readings.of(starts, [1_000_000] * 3, duration_s=3600)
    bill = calculate(tou, readings, dt.date(2025, 10, 1), dt.date(2025, 11, 30))
    assert amounts(bill, "energy") == [
        ("on_peak", D(1), D("15.8"), 16),
        ("mid_peak", D(1), D("15.7"), 16),
        ("off_peak", D(1), D("9.8"), 10),
    ]
    # one rebate per rate, on its own segment's lines; one HST on everything
    assert amounts(bill, "credit") == [
        (None, D("0.16"), D("13.1"), -2),
        (None, D("0.26"), D("23.5"), -6),
    ]
    assert amounts(bill, "tax") == [(None, D("0.42"), D(13), 5)]


def test_time_of_use_refuses_readings_longer_than_an_hour():
    first, last = dt.date(2025, 7, 1), dt.date(2025, 7, 10)
    daily = steady(first, last, TORONTO, 100, step_s=86_400)
    with pytest.raises(BillingError, match="fit in one local hour"):
        calculate(load_tariff("ontario-rpp-tou"), daily, first, last)


# --------------------------------------------------------------------------- demand, rounding


def test_demand_is_the_highest_quarter_hour_times_four():
    tariff = load_tariff("example-demand-business")
    first, last = dt.date(2025, 6, 1), dt.date(2025, 6, 30)
    ts = instants(first, last, TORONTO, step_s=300)  # 5-minute readings
    delivered = np.full(len(ts), 100_000, dtype=np.int64)  # 0.1 kWh / 5 min = 1.2 kW
    delivered[999:1002] = [400_000, 450_000, 400_000]  # one quarter-hour: 1.25 kWh → 5 kW
    bill = calculate(tariff, Readings.of(ts, delivered, duration_s=300), first, last)
    assert amounts(bill, "demand") == [(None, D(5), D("12.50"), 6250)]
    assert amounts(bill, "fixed") == [(None, D(1), D("35.00"), 3500)]
    hourly = steady(first, last, TORONTO, 100, step_s=3600)
    with pytest.raises(BillingError, match="15 minutes or less"):
        calculate(tariff, hourly, first, last)


def test_lines_round_once_half_away_from_zero():
    tariff = load_tariff("example-demand-business")
    day = dt.date(2025, 6, 2)
    three_kwh = at_local(dt.datetime(2025, 6, 2, 12), TORONTO, 3_000_000)
    bill = calculate(tariff, three_kwh, day, day)
    energy = lines_by(bill, "energy")[0]
    assert energy.exact_cents == Fraction(69, 2)  # 3 × 11.5 ¢ = 34.5 ¢
    assert energy.amount_cents == 35  # not 34 (banker's rounding would say 34)
    credit = Readings.of(three_kwh.start_ts, [3_000_000], [3_000_000])
    netted = calculate(tariff, credit, day, day)
    assert lines_by(netted, "credit")[0].amount_cents == -35
    assert bill.total_cents == sum(line.amount_cents for line in bill.lines)
