"""The pure generator: determinism, window, weather and load shapes (no database)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pytest

from demo_data import demo_password, generate
from demo_data.cast import CUSTOMERS, all_premises
from demo_data.clock import LocalClock
from demo_data.generator import DemoData
from demo_data.identifiers import luhn_digit
from demo_data.window import Window
from tests.conftest import DEMO_END, DEMO_SEED


@cache
def _demo(seed: int = DEMO_SEED) -> DemoData:
    return generate(seed, DEMO_END)


def _meter(key: str):
    return next(m for m in _demo().meters if m.premise.key == key)


def _kw(mwh: np.ndarray) -> np.ndarray:
    return mwh / 1e6 * 4


def test_same_seed_and_end_give_identical_data():
    again = generate(DEMO_SEED, DEMO_END)
    assert again.fingerprint() == _demo().fingerprint()
    assert [m.totals() for m in again.meters] == [m.totals() for m in _demo().meters]


def test_another_seed_gives_other_data():
    other = generate(DEMO_SEED + 1, DEMO_END)
    assert other.fingerprint() != _demo().fingerprint()
    for mine, theirs in zip(_demo().meters, other.meters, strict=True):
        assert mine.totals()["delivered_mwh"] != theirs.totals()["delivered_mwh"]


def test_the_loaded_database_holds_exactly_the_generated_data(demo):
    assert demo["fingerprint"] == _demo().fingerprint()


def test_window_is_two_calendar_years_of_local_days():
    assert Window.ending(DEMO_END) == Window(dt.date(2024, 11, 1), DEMO_END)
    assert Window.ending(dt.date(2028, 2, 29)).start == dt.date(2026, 2, 28)


def test_readings_are_integers_and_the_meters_cover_every_premise():
    assert len(_demo().meters) == len(all_premises()) >= 29
    for meter in _demo().meters:
        for array in (meter.start_ts, meter.delivered_mwh, meter.received_mwh):
            assert array.dtype == np.int64
        assert (meter.delivered_mwh >= 0).all()
        assert (meter.received_mwh >= 0).all()


def test_gaps_are_recorded_and_absent_from_the_series():
    gaps = {gap.premise: gap for gap in _demo().gaps}
    assert gaps["tremblay-home"].intervals == 12  # 3 hours
    assert gaps["office-kanata"].intervals == 96  # a whole (ordinary) day
    for gap in _demo().gaps:
        ts = _meter(gap.premise).start_ts
        assert not ((ts >= gap.start_ts) & (ts < gap.end_ts)).any()
        assert gap.end_ts - gap.start_ts == gap.intervals * 900


def test_some_reads_are_estimated():
    assert sum(m.totals()["estimated"] for m in _demo().meters) > 20


def test_montreal_weather_is_montreal_weather():
    montreal = next(w for w in _demo().weather if w.climate.region == "quebec-montreal")
    clock = LocalClock.of(montreal.hour_ts, montreal.climate.tz)
    january = montreal.temperature_c[clock.month == 1].mean()
    july = montreal.temperature_c[clock.month == 7].mean()
    assert -14 < january < -6
    assert 18 < july < 24
    assert len(montreal.hour_ts) == Window.ending(DEMO_END).days * 24


def test_only_the_solar_home_exports_and_never_in_the_same_interval_as_it_imports():
    for meter in _demo().meters:
        exported = meter.received_mwh > 0
        if meter.premise.net_metered:
            assert exported.sum() > 10_000
            assert not (exported & (meter.delivered_mwh > 0)).any()
            hours = LocalClock.of(meter.start_ts[exported], meter.premise.tz).hour
            assert hours.min() > 5
            assert hours.max() < 21
        else:
            assert not exported.any()


def test_the_ev_charges_at_night():
    meter = _meter("okafor-home")
    hour = LocalClock.of(meter.start_ts, meter.premise.tz).hour
    night = _kw(meter.delivered_mwh[(hour >= 23) | (hour < 2)]).mean()
    afternoon = _kw(meter.delivered_mwh[(hour >= 13) & (hour < 16)]).mean()
    assert night > 2 * afternoon


def test_offices_are_empty_at_weekends():
    meter = _meter("hq")
    clock = LocalClock.of(meter.start_ts, meter.premise.tz)
    midday = (clock.hour >= 10) & (clock.hour < 15)
    weekday = _kw(meter.delivered_mwh[midday & (clock.weekday < 5)]).mean()
    weekend = _kw(meter.delivered_mwh[midday & (clock.weekday >= 5)]).mean()
    assert weekday > 2.5 * weekend


def test_baseboard_heating_dominates_winter():
    meter = _meter("tremblay-home")
    month = LocalClock.of(meter.start_ts, meter.premise.tz).month
    assert meter.delivered_mwh[month == 1].sum() > 3 * meter.delivered_mwh[month == 7].sum()


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [
        ("tremblay-home", 18_000, 32_000),
        ("haddad-apartment", 4_000, 9_000),
        ("hq", 80 * 8_200, 250 * 8_200),
        ("warehouse-brampton", 30 * 20_000, 120 * 20_000),
    ],
)
def test_yearly_consumption_is_realistic(key, low, high):
    yearly_kwh = _meter(key).delivered_mwh.sum() / 1e6 / 2
    assert low < yearly_kwh < high


def test_identifiers_look_like_a_utilitys():
    ids = _demo().identifiers
    for key, number in ids.account_numbers.items():
        assert len(number) == (12 if key.startswith("tremblay") else 10)
        assert luhn_digit(number[:-1]) == number[-1]
    assert len(set(ids.serials.values())) == len(ids.serials)
    assert len(ids.customer_numbers) == len(CUSTOMERS)


def test_demo_passwords_are_long_and_reproducible():
    password = demo_password(DEMO_SEED, "someone@example.com")
    assert len(password) >= 12
    assert password == demo_password(DEMO_SEED, "someone@example.com")
    assert password != demo_password(DEMO_SEED + 1, "someone@example.com")
