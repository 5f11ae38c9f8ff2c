"""What a load model receives and returns, and the pieces every model shares.

Every model works on the whole window at once: arrays of one value per
quarter-hour, in kW (average power over the interval). Energies are rounded to
integer milliwatt-hours only at the end, by the generator.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from .cast import PremiseSpec
from .clock import LocalClock
from .signals import smooth
from .weather import Climate

FloatArray = npt.NDArray[np.float64]

_INDOOR_LAG = 0.96
"""Per quarter-hour: a building follows the outdoor temperature over ~6 hours."""


@dataclasses.dataclass(frozen=True)
class LoadContext:
    premise: PremiseSpec
    climate: Climate
    clock: LocalClock
    outdoor_c: FloatArray
    """Outdoor temperature at each interval's midpoint."""
    clearness: FloatArray
    rng: np.random.Generator

    @property
    def size(self) -> int:
        return len(self.clock.ts)

    @property
    def lagged_c(self) -> FloatArray:
        """Outdoor temperature as the building feels it (thermal inertia)."""
        return smooth(self.outdoor_c, _INDOOR_LAG)

    def per_day(self, values: FloatArray) -> FloatArray:
        """Spread one value per local day over that day's intervals."""
        return values[self.clock.day_index]

    def daily_mean(self, values: FloatArray) -> FloatArray:
        """Mean of ``values`` over each local day (one entry per day)."""
        index = self.clock.day_index
        return np.bincount(index, values) / np.bincount(index)

    def wobble(self, daily_sigma: float, interval_sigma: float) -> FloatArray:
        """Multiplicative noise, mean 1: a day-to-day level and interval jitter."""
        day = self.rng.lognormal(-(daily_sigma**2) / 2, daily_sigma, self.clock.day_count)
        jitter = self.rng.lognormal(-(interval_sigma**2) / 2, interval_sigma, self.size)
        return self.per_day(day) * jitter


@dataclasses.dataclass(frozen=True)
class Flows:
    """Average power per interval: what the premise uses and what it generates."""

    consumption_kw: FloatArray
    generation_kw: FloatArray | None = None

    def net_kw(self) -> tuple[FloatArray, FloatArray]:
        """(delivered, received): the meter sees only the net of the two, per interval."""
        net = self.consumption_kw
        if self.generation_kw is not None:
            net = net - self.generation_kw
        return np.maximum(net, 0.0), np.maximum(-net, 0.0)


def heating_kw(inside_c: FloatArray, setpoint_c: FloatArray | float, ua_kw_k: float) -> FloatArray:
    """Heat the envelope loses: UA × (setpoint − outside), when positive."""
    return ua_kw_k * np.maximum(setpoint_c - inside_c, 0.0)


def cooling_kw(
    inside_c: FloatArray, threshold_c: float, kw_per_k: float, cap_kw: float
) -> FloatArray:
    """Air-conditioning power above a threshold temperature, up to the unit's size."""
    return np.minimum(kw_per_k * np.maximum(inside_c - threshold_c, 0.0), cap_kw)


def heat_pump_cop(outdoor_c: FloatArray) -> FloatArray:
    """Coefficient of performance of a cold-climate heat pump (≈ 1.8 at −20 °C)."""
    return np.clip(3.2 + 0.07 * outdoor_c, 1.6, 4.2)


def add_events(
    ctx: LoadContext, per_day: float, power_kw: float, first_slot: int, last_slot: int
) -> FloatArray:
    """Appliance cycles (dryer, oven…): Poisson per day, 30–60 min, at random slots."""
    counts = ctx.rng.poisson(per_day, ctx.clock.day_count)
    days = np.repeat(np.arange(ctx.clock.day_count), counts)
    first_index = np.searchsorted(ctx.clock.day_index, days)
    starts = first_index + ctx.rng.integers(first_slot, last_slot, len(days))
    lengths = ctx.rng.integers(2, 5, len(days))
    extra = np.zeros(ctx.size)
    for step in range(4):
        index = starts + step
        keep = (step < lengths) & (index < ctx.size)
        np.add.at(extra, index[keep], power_kw)
    return extra
