"""Hourly weather per climate region: the temperature that drives the loads.

Temperature = seasonal sinusoid (coldest around 22 January) + diurnal cycle
(warmest mid-afternoon solar time) + AR(1) "weather" that persists for days,
with more spread in winter. Sky clearness (for solar) is a slower AR(1) squashed
into (0.1, 1). Parameters are the regions' 1991–2020 January and July means.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy.typing as npt

from .randomness import stream
from .signals import ar1, sigmoid
from .window import Window

FloatArray = npt.NDArray[np.float64]

_YEAR_S = 365.2425 * 86_400
_COLDEST_TS = 948_499_200
"""2000-01-22 00:00 UTC: the seasonal minimum, in phase every year."""


@dataclasses.dataclass(frozen=True)
class Climate:
    region: str
    tz: str
    latitude: float
    longitude: float
    january_c: float
    july_c: float


CLIMATES: dict[str, Climate] = {
    c.region: c
    for c in (
        Climate("quebec-montreal", "America/Toronto", 45.50, -73.57, -9.7, 21.2),
        Climate("quebec-laurentides", "America/Toronto", 46.06, -74.28, -12.8, 18.6),
        Climate("ontario-toronto", "America/Toronto", 43.68, -79.63, -5.5, 22.3),
        Climate("ontario-ottawa", "America/Toronto", 45.32, -75.67, -10.3, 21.0),
        Climate("ontario-northwest", "America/Winnipeg", 49.77, -94.49, -16.6, 19.4),
    )
}


@dataclasses.dataclass(frozen=True)
class WeatherSeries:
    """One region's hourly series over the window (hour starts in UTC)."""

    climate: Climate
    hour_ts: npt.NDArray[np.int64]
    temperature_c: FloatArray
    clearness: FloatArray
    """Fraction of clear-sky sunshine reaching the ground, 0.1–1."""

    def temperature_dc(self) -> npt.NDArray[np.int16]:
        """Temperatures in tenths of a degree, as stored."""
        return np.rint(self.temperature_c * 10).astype(np.int16)

    def temperature_at(self, ts: npt.NDArray[np.int64]) -> FloatArray:
        """Temperature interpolated at ``ts`` (e.g. quarter-hour midpoints)."""
        return np.interp(ts, self.hour_ts, self.temperature_c)

    def clearness_at(self, ts: npt.NDArray[np.int64]) -> FloatArray:
        return np.interp(ts, self.hour_ts, self.clearness)


def seasonal_phase(ts: npt.NDArray[np.int64] | FloatArray) -> FloatArray:
    """Radians since the coldest day of the year (0 there, π in late July)."""
    return 2 * math.pi * (np.asarray(ts, dtype=np.float64) - _COLDEST_TS) / _YEAR_S


def simulate_weather(seed: int, climate: Climate, window: Window) -> WeatherSeries:
    """The region's hourly weather over ``window`` (local midnight to local midnight)."""
    first, stop = window.bounds(climate.tz)
    hour_ts = np.arange(first, stop, 3600, dtype=np.int64)
    rng = stream(seed, "weather", climate.region)
    winter = np.cos(seasonal_phase(hour_ts))  # 1 in January, -1 in July

    mean = (climate.january_c + climate.july_c) / 2
    swing = (climate.july_c - climate.january_c) / 2
    solar_hour = ((hour_ts % 86_400) / 3600 + 0.5 + climate.longitude / 15) % 24
    diurnal = (4.0 - 1.0 * winter) * np.cos(2 * math.pi * (solar_hour - 15) / 24)
    weather = _unit_ar1(rng, len(hour_ts), phi=0.985) * (3.5 + 1.2 * winter)
    temperature = mean - swing * winter + diurnal + weather

    sky = _unit_ar1(rng, len(hour_ts), phi=0.97)
    clearness = 0.1 + 0.9 * sigmoid(0.8 + 1.8 * sky)
    return WeatherSeries(climate, hour_ts, temperature, clearness)


def _unit_ar1(rng: np.random.Generator, size: int, phi: float) -> FloatArray:
    """A stationary AR(1) series with unit variance."""
    innovations = rng.standard_normal(size) * math.sqrt(1 - phi * phi)
    innovations[0] = rng.standard_normal()
    return ar1(innovations, phi)
