"""Commercial load models: power per m² on an occupancy schedule, by kind of site.

Load scales with floor area. Each kind has a base (always on: servers,
refrigeration, ventilation), an occupied level reached on its schedule, and
cooling that grows with the outdoor temperature. Offices, warehouses, schools and
factories are empty at weekends and on fixed-date holidays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from customer_model import DwellingType, HeatingType

from .clock import LocalClock
from .loads import FloatArray, Flows, LoadContext, heat_pump_cop, heating_kw
from .signals import bump, window_mask


def _holiday(clock: LocalClock) -> np.ndarray:
    """New Year's Day, Canada Day, Christmas and Boxing Day."""
    key = clock.month * 100 + clock.day_of_month
    return np.isin(key, (101, 701, 1225, 1226))


def _office(clock: LocalClock) -> FloatArray:
    working = (clock.weekday < 5) & ~_holiday(clock)
    return working * window_mask(clock.hour, 7.0, 18.5, ramp=0.5)


def _retail(clock: LocalClock) -> FloatArray:
    closed = np.isin(clock.month * 100 + clock.day_of_month, (101, 1225))
    sunday = clock.weekday == 6
    hours = np.where(sunday, window_mask(clock.hour, 11, 18), window_mask(clock.hour, 9.5, 21))
    return ~closed * hours


def _restaurant(clock: LocalClock) -> FloatArray:
    open_ = window_mask(clock.hour, 10.5, 23.0) * (clock.month * 100 + clock.day_of_month != 1225)
    meals = 0.6 * bump(clock.hour, 12.5, 1.0) + 0.9 * bump(clock.hour, 19.0, 1.3)
    return open_ * (0.5 + meals)


def _warehouse(clock: LocalClock) -> FloatArray:
    weekday = (clock.weekday < 5) & ~_holiday(clock)
    saturday = clock.weekday == 5
    return weekday * window_mask(clock.hour, 6, 22) + 0.5 * saturday * window_mask(
        clock.hour, 7, 15
    )


def _school(clock: LocalClock) -> FloatArray:
    breaks = clock.between((7, 1), (8, 28)) | clock.between((12, 23), (1, 3))
    breaks |= clock.between((3, 10), (3, 16))  # March break
    in_class = (clock.weekday < 5) & ~breaks & ~_holiday(clock)
    return in_class * window_mask(clock.hour, 7.5, 16.5, ramp=0.4) + 0.15 * breaks * (
        clock.weekday < 5
    ) * window_mask(clock.hour, 8, 16)


def _factory(clock: LocalClock) -> FloatArray:
    shutdown = clock.between((12, 24), (1, 2)) | clock.between((7, 28), (8, 8))
    weekday = (clock.weekday < 5) & ~shutdown & ~_holiday(clock)
    saturday = (clock.weekday == 5) & ~shutdown
    return weekday * window_mask(clock.hour, 6, 22) + 0.5 * saturday * window_mask(
        clock.hour, 6, 14
    )


@dataclasses.dataclass(frozen=True)
class SiteProfile:
    base_w_m2: float
    occupied_w_m2: float
    cooling_w_m2_k: float
    schedule: Callable[[LocalClock], FloatArray]
    """Occupancy between 0 and 1 (restaurants peak above 1 at meal times)."""


PROFILES: dict[DwellingType, SiteProfile] = {
    DwellingType.OFFICE: SiteProfile(7.0, 24.0, 0.9, _office),
    DwellingType.RETAIL: SiteProfile(9.0, 28.0, 0.8, _retail),
    DwellingType.RESTAURANT: SiteProfile(30.0, 75.0, 1.2, _restaurant),
    DwellingType.WAREHOUSE: SiteProfile(3.0, 8.0, 0.1, _warehouse),
    DwellingType.SCHOOL: SiteProfile(4.0, 18.0, 0.4, _school),
    DwellingType.FACTORY: SiteProfile(12.0, 60.0, 0.3, _factory),
}


def site_load(ctx: LoadContext) -> Flows:
    """A business site's consumption, from its kind, floor area and heating."""
    premise = ctx.premise
    profile = PROFILES[premise.dwelling_type]
    occupied = profile.schedule(ctx.clock)
    inside = ctx.lagged_c
    w_m2 = profile.base_w_m2 + (profile.occupied_w_m2 - profile.base_w_m2) * occupied
    w_m2 = w_m2 + profile.cooling_w_m2_k * np.maximum(inside - 18.0, 0) * (0.3 + 0.7 * occupied)
    # Same envelope formula as homes, per m² (W/m²·K), with a night-time setback.
    heat_w_m2 = heating_kw(inside, np.where(occupied > 0.2, 17.0, 14.0), ua_kw_k=1.6)
    if premise.heating_type == HeatingType.ELECTRIC_BASEBOARD:
        w_m2 = w_m2 + heat_w_m2
    elif premise.heating_type == HeatingType.HEAT_PUMP:
        w_m2 = w_m2 + heat_w_m2 / heat_pump_cop(ctx.outdoor_c)
    else:  # fuel or district heat: only the fans and pumps are electric
        w_m2 = w_m2 + 0.1 * np.maximum(12.0 - inside, 0) * occupied
    jitter = 0.25 * (premise.floor_area_m2 / 100) ** -0.35  # big sites are smoother
    return Flows(premise.floor_area_m2 * w_m2 / 1000 * ctx.wobble(0.06, jitter))
