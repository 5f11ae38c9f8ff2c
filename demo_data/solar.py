"""Rooftop PV output: clear-sky sun on a tilted panel × the region's cloudiness.

Simple and vectorised on purpose: solar declination and hour angle give the
sun's position, Meinel's air-mass formula the clear-sky beam, and the weather's
clearness index the clouds. Snow covers the panels on cold days.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .loads import LoadContext
from .window import INTERVAL_S

FloatArray = npt.NDArray[np.float64]

_MARCH_EQUINOX_TS = 953_537_700
"""2000-03-20 07:35 UTC."""
_YEAR_S = 365.2422 * 86_400
_DERATE = 0.86
"""Inverter, wiring, soiling and temperature losses."""


def pv_output_kw(ctx: LoadContext, capacity_kw: float, tilt_deg: float = 35.0) -> FloatArray:
    """AC output of a south-facing array, per interval (kW)."""
    mid = (ctx.clock.ts + INTERVAL_S // 2).astype(np.float64)
    declination = math.radians(23.44) * np.sin(2 * math.pi * (mid - _MARCH_EQUINOX_TS) / _YEAR_S)
    solar_hour = (mid % 86_400) / 3600 + ctx.climate.longitude / 15
    hour_angle = np.radians((solar_hour - 12) * 15)
    latitude = math.radians(ctx.climate.latitude)
    facing = latitude - math.radians(tilt_deg)

    cos_zenith = np.sin(latitude) * np.sin(declination) + np.cos(latitude) * np.cos(
        declination
    ) * np.cos(hour_angle)
    cos_incidence = np.sin(facing) * np.sin(declination) + np.cos(facing) * np.cos(
        declination
    ) * np.cos(hour_angle)
    up = cos_zenith > 0.01
    air_mass = np.where(up, 1 / np.where(up, cos_zenith, 1.0), np.inf)
    beam = 1361.0 * 0.7 ** (air_mass**0.678)
    diffuse = 0.12 * beam * np.maximum(cos_zenith, 0) * (1 + math.cos(math.radians(tilt_deg))) / 2
    plane_w_m2 = np.where(up, beam * np.maximum(cos_incidence, 0) + diffuse, 0.0)

    snow = np.where(ctx.per_day(ctx.daily_mean(ctx.outdoor_c)) < -4.0, 0.3, 1.0)
    return capacity_kw * _DERATE * plane_w_m2 / 1000 * ctx.clearness * snow
