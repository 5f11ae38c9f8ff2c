"""Why a bill changed: additive effects that sum to the difference to the cent."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from billing import Readings, calculate, load_tariff
from billing.changes import EFFECTS, BillFacts, WeatherModel, explain_change, fit_weather
from meter_data.local_time import local_day_start

TZ = "America/Toronto"


@dataclasses.dataclass
class L:
    kind: str
    period: str | None
    quantity: Decimal
    amount_cents: int


def _bill(first: dt.date, last: dt.date, kwh_per_hour: float, tariff: str = "ontario-rpp-tou"):
    days = (last - first).days + 1
    ts = local_day_start(first, TZ) + 3600 * np.arange(days * 24)
    readings = Readings.of(ts, np.full(ts.size, int(kwh_per_hour * 1e6)), None, 3600)
    bill = calculate(load_tariff(tariff), readings, first, last, TZ)
    return BillFacts.of(bill.lines, days)


def test_same_use_same_prices_only_days_change():
    before = _bill(dt.date(2025, 5, 1), dt.date(2025, 5, 31), 1)
    after = _bill(dt.date(2025, 6, 1), dt.date(2025, 6, 30), 1)
    change = explain_change(before, after)
    assert [e.key for e in change.effects] == list(EFFECTS)
    assert sum(e.cents for e in change.effects) == after.total_cents - before.total_cents
    cents = {e.key: e.cents for e in change.effects}
    assert cents["volume"] == cents["weather"] == 0
    assert abs(cents["prices"]) <= 3  # rounding only: the same prices
    assert cents["days"] < 0
    assert change.effects[0].text.startswith("30 days this time against 31 on the previous bill")


def test_weather_effect_from_fitted_model():
    hdd = np.linspace(0, 30, 90)
    model = fit_weather(10 + 2 * hdd, hdd, np.zeros(90))
    assert model is not None
    assert round(model.base, 6) == 10
    assert round(model.per_hdd, 6) == 2
    before = dataclasses.replace(_bill(dt.date(2025, 5, 1), dt.date(2025, 5, 31), 1), hdd=5.0)
    after = dataclasses.replace(_bill(dt.date(2025, 7, 1), dt.date(2025, 7, 31), 1.5), hdd=8.0)
    change = explain_change(before, after, model)
    cents = {e.key: e.cents for e in change.effects}
    assert cents["weather"] > 0  # +6 kWh a day from 3 more degree days
    assert sum(cents.values()) == change.difference_cents
    assert "about +6.0 kWh a day" in change.effects[1].text


def test_fit_needs_enough_days_and_clamps_negative_slopes():
    assert fit_weather(np.ones(10), np.ones(10), np.zeros(10)) is None
    cdd = np.linspace(0, 10, 60)
    model = fit_weather(20 - cdd, np.zeros(60), cdd)
    assert model is not None
    assert model.per_cdd == 0


lines = st.lists(
    st.builds(
        L,
        kind=st.sampled_from(["fixed", "energy", "demand", "credit", "tax"]),
        period=st.sampled_from([None, "on_peak", "off_peak", "tier1", "tier2"]),
        quantity=st.decimals(min_value=0, max_value=5000, places=3),
        amount_cents=st.integers(-50_000, 500_000),
    ),
    max_size=8,
)


@settings(max_examples=100, deadline=None)
@given(
    lines,
    lines,
    st.integers(1, 400),
    st.integers(1, 400),
    st.floats(0, 40),
    st.floats(0, 40),
    st.one_of(
        st.none(),
        st.builds(WeatherModel, st.floats(0, 50), st.floats(0, 5), st.floats(0, 5), st.just(100)),
    ),
)
def test_effects_always_sum_to_the_difference(a, b, days_a, days_b, hdd_a, hdd_b, model):
    before = BillFacts.of(a, days_a, hdd_a, 0.0)
    after = BillFacts.of(b, days_b, hdd_b, 1.0)
    change = explain_change(before, after, model)
    assert sum(e.cents for e in change.effects) == after.total_cents - before.total_cents
    assert all(e.text for e in change.effects)
