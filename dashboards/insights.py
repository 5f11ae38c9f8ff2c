"""Numbers behind the usage page: comparisons, degree days, baseload, peak, habits, TOU split.

Pure functions over :class:`~meter_data.queries.UsageSeries` and
:class:`~dashboards.profiles.Profile` values: no database, no Dash. Energy stays
in integer milliwatt-hours and money in exact ``Fraction`` cents until shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from meter_data.queries import UsageSeries

from .periods import Period
from .profiles import Profile

BASE_C = 18.0
"""Degree-day base temperature (Environment and Climate Change Canada uses 18 °C)."""
COVERAGE = 0.9
"""A comparison period needs this share of the current period's readings to be compared."""
PERIOD_LABELS = {
    "on_peak": "On-peak",
    "mid_peak": "Mid-peak",
    "off_peak": "Off-peak",
    "ultra_low": "Ultra-low overnight",
    "tier1": "Tier 1 (lower price)",
    "tier2": "Tier 2 (higher price)",
    "tier3": "Tier 3",
    "flat": "All hours",
}


@dataclasses.dataclass(frozen=True)
class Change:
    """Grid use of ``period`` (now) against the comparison period (then)."""

    name: str
    """``previous`` or ``last_year``."""
    period: Period
    now_mwh: int
    then_mwh: int

    @property
    def change_mwh(self) -> int:
        return self.now_mwh - self.then_mwh

    @property
    def percent(self) -> float | None:
        return None if not self.then_mwh else 100.0 * self.change_mwh / self.then_mwh


def compare(now: UsageSeries, then: UsageSeries, name: str, period: Period) -> Change | None:
    """The change in delivered energy, or ``None`` when ``then`` has too few readings."""
    have, had = int(now.reading_count.sum()), int(then.reading_count.sum())
    if not have or had < COVERAGE * have:
        return None
    return Change(name, period, now.total_delivered_mwh, then.total_delivered_mwh)


def degree_days(mean_c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heating and cooling degree days of each day (base 18 °C); NaN days count 0."""
    mean = np.nan_to_num(mean_c, nan=BASE_C)
    return np.maximum(BASE_C - mean, 0.0), np.maximum(mean - BASE_C, 0.0)


@dataclasses.dataclass(frozen=True)
class Weather:
    """Degree days of the two periods compared, and how much of the change they explain."""

    kind: str
    """``heating`` or ``cooling``: whichever dominates the current period."""
    now_dd: float
    then_dd: float
    explained_kwh: float
    """Change in kWh the weather alone would cause (slope of daily kWh on degree days)."""


def weather_effect(
    now_kwh: np.ndarray, now_c: np.ndarray, then_kwh: np.ndarray, then_c: np.ndarray
) -> Weather | None:
    """How the weather moved use between the periods, if use follows the weather at all.

    Daily kWh of both periods are regressed on the dominant degree days; below a
    correlation of 0.5 the weather is not offered as an explanation.
    """
    hdd_now, cdd_now = degree_days(now_c)
    hdd_then, cdd_then = degree_days(then_c)
    heating = hdd_now.sum() >= cdd_now.sum()
    x = np.concatenate([hdd_now, hdd_then] if heating else [cdd_now, cdd_then])
    y = np.concatenate([now_kwh, then_kwh])
    known = np.isfinite(np.concatenate([now_c, then_c])) & np.isfinite(y)
    if known.sum() < 6 or np.ptp(x[known]) == 0 or np.ptp(y[known]) == 0:
        return None
    if np.corrcoef(x[known], y[known])[0, 1] < 0.5:
        return None
    slope = float(np.polyfit(x[known], y[known], 1)[0])
    now_dd = float((hdd_now if heating else cdd_now).sum())
    then_dd = float((hdd_then if heating else cdd_then).sum())
    return Weather("heating" if heating else "cooling", now_dd, then_dd, slope * (now_dd - then_dd))


# --- habits from month profiles --------------------------------------------------------------


def week_pattern(profiles: Sequence[Profile]) -> np.ndarray | None:
    """Mean kWh in each weekday × local hour (7 × 24, NaN where no data), or ``None``."""
    if not profiles:
        return None
    mwh = sum((p.week_mwh for p in profiles), np.zeros((7, 24), dtype=np.int64))
    hours = sum((p.week_hours for p in profiles), np.zeros((7, 24), dtype=np.int64))
    if not hours.any():
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(hours > 0, mwh / np.maximum(hours, 1) / 1e6, np.nan)


def baseload_w(profiles: Sequence[Profile], percentile: float = 10.0) -> float | None:
    """The ``percentile`` of night-time quarter-hour power (W) over all ``profiles``.

    Months are merged through their percentile sketches (101 points each,
    weighted by how many quarter-hours they summarise): exact within a month,
    within a percentile step across months.
    """
    parts = [p for p in profiles if p.night_count]
    if not parts:
        return None
    values = np.concatenate([p.night_w for p in parts])
    weights = np.concatenate(
        [np.full(p.night_w.size, p.night_count / p.night_w.size) for p in parts]
    )
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    at = int(np.searchsorted(cumulative, cumulative[-1] * percentile / 100.0))
    return float(values[order][min(at, values.size - 1)])


def peak(profiles: Sequence[Profile]) -> tuple[int, int] | None:
    """Highest demand (W) of any reading and its start (UTC epoch s)."""
    best = max((p for p in profiles if p.peak_ts is not None), key=lambda p: p.peak_w, default=None)
    return None if best is None or best.peak_ts is None else (best.peak_w, best.peak_ts)


@dataclasses.dataclass(frozen=True)
class Share:
    period: str
    label: str
    mwh: int
    mwh_share: float
    cents: Fraction | None
    cost_share: float | None


@dataclasses.dataclass(frozen=True)
class TouSplit:
    shares: tuple[Share, ...]
    time_of_use: bool
    currency: str
    priced: bool
    """Every month had prices in force (otherwise costs cover the priced months only)."""
    price_cents_per_kwh: Fraction | None
    """Average energy price over the priced months, before credits, rebates and taxes."""


def tou_split(profiles: Sequence[Profile]) -> TouSplit | None:
    """kWh and energy cost by tariff period over all ``profiles`` (``None``: no tariff)."""
    parts = [p.tou for p in profiles if p.tou is not None]
    if not parts:
        return None
    order: list[str] = []
    mwh: dict[str, int] = {}
    cents: dict[str, Fraction] = {}
    priced_mwh = 0
    for part in parts:
        for period in part.periods:
            order += [] if period in order else [period]
            mwh[period] = mwh.get(period, 0) + part.delivered_mwh.get(period, 0)
            if part.energy_cents is not None:
                cents[period] = cents.get(period, Fraction(0)) + part.energy_cents.get(period, 0)
                priced_mwh += part.delivered_mwh.get(period, 0)
    total_mwh, total_cents = sum(mwh.values()), sum(cents.values(), Fraction(0))
    shares = tuple(
        Share(
            period,
            PERIOD_LABELS.get(period, period.replace("_", " ").capitalize()),
            mwh[period],
            100.0 * mwh[period] / total_mwh if total_mwh else 0.0,
            cents.get(period) if cents else None,
            float(100 * cents.get(period, 0) / total_cents) if total_cents else None,
        )
        for period in order
    )
    price = total_cents / Fraction(priced_mwh, 1_000_000) if priced_mwh else None
    return TouSplit(
        shares,
        any(p.time_of_use for p in parts),
        parts[0].currency,
        all(p.energy_cents is not None for p in parts),
        price,
    )
