"""Insights and takeaway sentences from synthetic data (pure: no database, no Dash)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pytest

from dashboards import insights, takeaways
from dashboards.periods import Period
from dashboards.profiles import Profile, TouPart
from meter_data.queries import UsageSeries

D = dt.date
JAN_2026 = Period("month", D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 31))
JAN_2025 = Period("month", D(2025, 1, 1), D(2025, 1, 31), D(2025, 1, 31))


def daily(kwh: list[float], readings: int = 96) -> UsageSeries:
    size = len(kwh)
    starts = np.arange(size, dtype=np.int64) * 86_400 + 1_767_243_600
    return UsageSeries(
        "day",
        "America/Toronto",
        starts,
        starts + 86_400,
        (np.array(kwh) * 1e6).astype(np.int64),
        np.zeros(size, dtype=np.int64),
        np.full(size, readings, dtype=np.int64),
        np.zeros(size, dtype=np.int64),
    )


def profile(**changes) -> Profile:
    values = {
        "first": D(2026, 1, 1),
        "last": D(2026, 1, 31),
        "week_mwh": np.zeros((7, 24), dtype=np.int64),
        "week_hours": np.zeros((7, 24), dtype=np.int64),
        "night_w": np.linspace(200, 1200, 101),
        "night_count": 620,
        "peak_w": 7_400,
        "peak_ts": 1_768_432_500,
        "tou": None,
    }
    return Profile(**{**values, **changes})


def test_a_comparison_needs_enough_readings_on_both_sides():
    now, then = daily([10.0] * 31), daily([8.0] * 31)
    change = insights.compare(now, then, "last_year", JAN_2025)
    assert change.change_mwh == 62_000_000
    assert change.percent == pytest.approx(25.0)
    assert insights.compare(now, daily([8.0] * 31, readings=40), "last_year", JAN_2025) is None


def test_degree_days_use_an_18_degree_base_and_ignore_missing_days():
    heating, cooling = insights.degree_days(np.array([-2.0, 18.0, 25.5, np.nan]))
    assert heating.tolist() == [20.0, 0.0, 0.0, 0.0]
    assert cooling.tolist() == [0.0, 0.0, 7.5, 0.0]


def test_weather_explains_a_rise_in_a_heated_home():
    rng = np.random.default_rng(1)
    now_c, then_c = rng.uniform(-20, 0, 31), rng.uniform(-10, 5, 31)
    now_kwh = 20 + 1.5 * (18 - now_c) + rng.normal(0, 1, 31)
    then_kwh = 20 + 1.5 * (18 - then_c) + rng.normal(0, 1, 31)
    weather = insights.weather_effect(now_kwh, now_c, then_kwh, then_c)
    assert weather.kind == "heating"
    assert weather.now_dd > weather.then_dd
    change = insights.Change(
        "last_year", JAN_2025, int(now_kwh.sum() * 1e6), int(then_kwh.sum() * 1e6)
    )
    sentence = takeaways.usage(JAN_2026, change.now_mwh, 0, change, weather)
    assert sentence.startswith(f"You used {takeaways.kwh_text(change.now_mwh)} in January 2026, ")
    assert "% more than in January 2025" in sentence
    assert "mostly because it was colder" in sentence
    assert sentence.endswith(").")


def test_no_weather_reason_when_use_does_not_follow_the_weather():
    rng = np.random.default_rng(2)
    now_c, then_c = rng.uniform(-20, 0, 31), rng.uniform(-10, 5, 31)
    flat = rng.normal(30, 5, 31)
    assert insights.weather_effect(flat, now_c, rng.normal(30, 5, 31), then_c) is None


def test_usage_sentence_for_solar_and_without_comparison():
    sentence = takeaways.usage(JAN_2026, 544_000_000, 294_000_000, None, None)
    assert sentence == (
        "You took 544 kWh from the grid in January 2026 and your panels sent 294 kWh back "
        "(net 250 kWh)."
    )


def test_small_changes_are_called_the_same():
    change = insights.Change("previous", JAN_2025, 100_400_000, 100_000_000)
    assert "about the same as in January 2025 (100 kWh)" in takeaways.usage(
        JAN_2026, 100_400_000, 0, change, None
    )


def test_week_pattern_is_the_mean_per_hour_and_names_its_extremes():
    mwh = np.zeros((7, 24), dtype=np.int64)
    hours = np.full((7, 24), 4, dtype=np.int64)
    mwh[:, :] = 2_000_000  # 0.5 kWh an hour
    mwh[1, 18] = 10_000_000  # Tuesdays 18:00: 2.5 kWh
    mwh[:, 4] = 400_000  # 04:00: 0.1 kWh
    pattern = insights.week_pattern([profile(week_mwh=mwh, week_hours=hours)])
    assert pattern[1, 18] == pytest.approx(2.5)
    assert takeaways.heatmap(pattern) == (
        "In a typical week your use is highest on Tuesdays around 18:00 (2.5 kWh in that hour) "
        "and lowest around 04:00 (0.1 kWh)."
    )
    assert insights.week_pattern([]) is None


def test_baseload_merges_month_sketches_by_weight():
    small = profile(night_w=np.full(101, 300.0), night_count=50)
    big = profile(night_w=np.full(101, 600.0), night_count=950)
    assert (
        insights.baseload_w([small, big]) == 600.0
    )  # 5 % of the night is below the 10th percentile
    assert (
        insights.baseload_w([profile(night_w=np.full(101, 300.0), night_count=150), big]) == 300.0
    )
    assert insights.baseload_w([profile(night_count=0, night_w=np.zeros(0))]) is None
    sentence = takeaways.baseload(300.0, Fraction(11), "CAD")
    assert sentence.startswith("Your always-on use is about 300 W")
    assert "about 2,628 kWh a year, or $289 at your average energy price of 11.0¢/kWh" in sentence


def test_peak_is_the_highest_reading_in_local_time():
    found = insights.peak([profile(peak_w=3_000, peak_ts=1), profile()])
    assert found == (7_400, 1_768_432_500)
    assert takeaways.peak(found, "America/Toronto") == (
        "Your highest 15-minute demand was 7.4 kW, on Wednesday 14 January 2026 at 18:15."
    )


def test_tou_split_shares_of_use_and_cost():
    part = TouPart(
        ("on_peak", "mid_peak", "off_peak"),
        {"on_peak": 20_000_000, "mid_peak": 20_000_000, "off_peak": 60_000_000},
        {"on_peak": Fraction(406), "mid_peak": Fraction(314), "off_peak": Fraction(588)},
        {},
        True,
        "CAD",
    )
    split = insights.tou_split([profile(tou=part), profile(tou=part)])
    off = next(s for s in split.shares if s.period == "off_peak")
    assert off.mwh == 120_000_000
    assert off.mwh_share == pytest.approx(60.0)
    assert off.cost_share == pytest.approx(100 * 588 / 1308)
    assert split.price_cents_per_kwh == Fraction(2 * 1308, 200)
    assert takeaways.tou(split, tariff_known=True) == (
        "Off-peak hours took 60% of your use and 45% of the energy cost; "
        "mid-peak hours took 20% of your use and 24% of the energy cost."
    )


def test_tou_split_without_prices_still_shares_kwh():
    unpriced = TouPart(
        ("on_peak", "off_peak"), {"on_peak": 1, "off_peak": 3}, None, None, True, "CAD"
    )
    split = insights.tou_split([profile(tou=unpriced)])
    assert not split.priced
    assert split.price_cents_per_kwh is None
    assert takeaways.tou(split, True).endswith("(costs only for the dates with published prices).")
    assert takeaways.tou(None, False).startswith("Your tariff is not available here")
