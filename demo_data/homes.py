"""Residential load models: one function per kind of household in the demo.

Each returns :class:`~demo_data.loads.Flows` for the whole window: a household
base (morning and evening peaks, later mornings at weekends, appliance cycles)
plus what makes the home distinctive: baseboard heat, an EV, solar, a cottage
that is mostly empty.
"""

from __future__ import annotations

import numpy as np

from customer_model import AssetKind

from .loads import (
    FloatArray,
    Flows,
    LoadContext,
    add_events,
    cooling_kw,
    heat_pump_cop,
    heating_kw,
)
from .signals import bump
from .solar import pv_output_kw


def household_base(ctx: LoadContext, scale: float, electric_water: bool) -> FloatArray:
    """Lights, plugs, cooking: the load every home has, noise included."""
    hour, weekend = ctx.clock.hour, ctx.clock.weekend
    wake = np.where(weekend, 8.75, 6.75)
    kw = (
        0.22
        + 0.75 * bump(hour, wake, 1.0)
        + 1.05 * bump(hour, 18.75, 1.8)
        + 0.35 * weekend * bump(hour, 13.0, 2.5)
    )
    if electric_water:
        kw = kw + 0.9 * bump(hour, wake + 0.5, 0.8) + 0.7 * bump(hour, 21.0, 1.2)
    kw = scale * kw * ctx.wobble(0.12, 0.22)
    return kw + add_events(ctx, 1.2 * scale, 2.4 * scale**0.5, 28, 90)


def _setpoint(ctx: LoadContext, day_c: float, night_c: float) -> FloatArray:
    hour = ctx.clock.hour
    return np.where((hour >= 6) & (hour < 23), day_c, night_c)


def baseboard_home(ctx: LoadContext) -> Flows:
    """Quebec detached house: electric baseboards and water heater, small window AC."""
    inside = ctx.lagged_c
    heat = heating_kw(inside, _setpoint(ctx, 20.5, 17.5), ua_kw_k=0.14)
    cool = cooling_kw(inside, 24.0, 0.12, 1.2)
    return Flows(household_base(ctx, 1.0, electric_water=True) + heat + cool)


def cottage(ctx: LoadContext) -> Flows:
    """Cottage: frost protection all week, heated and lived in at weekends and holidays."""
    clock = ctx.clock
    hours = clock.local_s / 3600 - 41  # local hours since Friday 2 January 1970, 17:00
    week = np.floor_divide(hours, 168).astype(np.int64)
    used = ctx.rng.random(int(week[-1] - week[0]) + 1) < 0.7
    weekend_stay = (hours - week * 168 < 46) & used[week - week[0]]  # Friday 17h–Sunday 15h
    holidays = clock.between((7, 1), (8, 20)) | clock.between((12, 26), (1, 2))
    occupied = (weekend_stay | holidays).astype(np.float64)

    setpoint = np.where(occupied > 0, 20.0, 7.0)
    heat = heating_kw(ctx.lagged_c, setpoint, ua_kw_k=0.08)
    living = occupied * household_base(ctx, 0.7, electric_water=True)
    return Flows(0.12 + living + heat)


def ev_home(ctx: LoadContext) -> Flows:
    """Toronto semi: gas heat (furnace fan), central AC, and an EV charged at 23:00."""
    inside = ctx.lagged_c
    fan = 0.25 * (inside < 12.0)
    cool = cooling_kw(inside, 23.0, 0.45, 3.5)
    base = household_base(ctx, 1.1, electric_water=False)
    return Flows(base + fan + cool + ev_charging(ctx))


def ev_charging(ctx: LoadContext, starts_at_h: float = 23.0) -> FloatArray:
    """Each evening the charger puts back the day's driving, from ``starts_at_h`` on."""
    ev = ctx.premise.asset(AssetKind.EV)
    charger_kw = float(ev.capacity_kw)
    clock, rng, days = ctx.clock, ctx.rng, ctx.clock.day_count
    weekday = (np.arange(days) + clock.first_day + 3) % 7 < 5
    driven_kwh = np.where(weekday, rng.normal(8.0, 2.5, days), rng.gamma(1.5, 4.0, days))
    road_trip = rng.random(days) < 0.03
    driven_kwh = np.clip(driven_kwh + road_trip * rng.uniform(25, 45, days), 0.0, None)
    cold = np.maximum(12.0 - ctx.daily_mean(ctx.outdoor_c), 0.0)
    grid_kwh = np.minimum(driven_kwh * (1 + 0.025 * cold) / 0.9, float(ev.capacity_kwh or 0))
    duration_s = np.r_[0.0, grid_kwh / charger_kw * 3600, 0.0]  # padded: day before, after
    delay_s = np.r_[0.0, rng.uniform(0, 1200, days), 0.0]

    since_start = clock.local_s - int(starts_at_h * 3600)
    session = since_start // 86_400 - clock.first_day + 1  # index into padded arrays
    position = (since_start % 86_400).astype(np.float64)
    begin, end = delay_s[session], delay_s[session] + duration_s[session]
    overlap = np.clip(np.minimum(position + 900, end) - np.maximum(position, begin), 0, 900)
    return charger_kw * overlap / 900


def solar_home(ctx: LoadContext) -> Flows:
    """Ottawa house with a heat pump and a net-metered rooftop array."""
    inside = ctx.lagged_c
    heat_demand = heating_kw(inside, _setpoint(ctx, 20.5, 18.5), ua_kw_k=0.14)
    heat = heat_demand / heat_pump_cop(ctx.outdoor_c)
    cool = cooling_kw(inside, 23.0, 0.30, 2.5)
    base = household_base(ctx, 1.0, electric_water=False)
    pv = pv_output_kw(ctx, float(ctx.premise.asset(AssetKind.SOLAR_PV).capacity_kw))
    return Flows(base + heat + cool, generation_kw=pv)


def apartment(ctx: LoadContext) -> Flows:
    """Small Ottawa apartment: baseboards (neighbours keep it warm), a window AC."""
    inside = ctx.lagged_c
    heat = heating_kw(inside, _setpoint(ctx, 21.0, 19.0), ua_kw_k=0.028)
    cool = cooling_kw(inside, 25.0, 0.10, 0.9)
    return Flows(household_base(ctx, 0.6, electric_water=False) + heat + cool)
