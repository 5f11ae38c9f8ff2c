"""Why a bill changed: the difference between two bills as additive effects in cents.

Pure. Each bill is reduced to :class:`BillFacts` — days ``d``, average daily use
``u`` (kWh), the share ``s_p`` of use in each pricing bucket (time-of-use
period, or one ``energy`` bucket for flat/tiered), the net price per kWh of each
bucket ``π_p`` (its energy and net-metering credit lines ÷ its kWh), the other
pre-tax charges per day ``f`` (fixed and demand) and the factor ``g`` = total ÷
pre-tax charges (taxes and percent rebates). Then, exactly (``Fraction``)::

    total = g · d · (f + u · Σ_p s_p · π_p)

The difference is attributed **sequentially, in a fixed order**, each effect
being the change of that formula when one more factor takes its new value:

1. ``days`` — the number of days;
2. ``weather`` — daily use moved by the weather model: ``b·ΔHDD + c·ΔCDD``
   (mean daily degree days, base 18 °C; ``b, c`` from a least-squares fit of
   the customer's own daily kWh on HDD and CDD, clamped at ≥ 0);
3. ``volume`` — the rest of the change in daily use;
4. ``time_of_use`` — the shares of use between pricing buckets;
5. ``prices`` — bucket prices, other charges, taxes and rebates. It is computed
   as the difference minus the first four rounded effects, so it also absorbs
   the rounding of each effect to whole cents and the effects **always sum
   exactly to the difference in cents**.

For tiered tariffs the bucket price is the period's average energy price, so
using more at the second tier shows under ``prices``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .calculate import round_half_up
from .explain import PERIOD_NAMES, money

DEGREE_DAY_BASE_C = 18.0
TOU_PERIODS = frozenset(PERIOD_NAMES)
EFFECTS = ("days", "weather", "volume", "time_of_use", "prices")
MIN_FIT_DAYS = 28


class LineLike(Protocol):
    kind: Any
    period: str | None
    quantity: Any
    amount_cents: int


@dataclasses.dataclass(frozen=True)
class BillFacts:
    days: int
    total_cents: int
    kwh: Fraction
    bucket_kwh: Mapping[str, Fraction]
    bucket_cents: Mapping[str, int]
    other_cents: int
    """Fixed and demand lines (pre-tax, not energy)."""
    pre_tax_cents: int
    hdd: float = 0.0
    cdd: float = 0.0
    """Mean daily heating / cooling degree days over the period."""

    @classmethod
    def of(
        cls, lines: Iterable[LineLike], days: int, hdd: float = 0.0, cdd: float = 0.0
    ) -> BillFacts:
        bucket_kwh: dict[str, Fraction] = {}
        bucket_cents: dict[str, int] = {}
        other = pre_tax = total = 0
        for line in lines:
            kind, cents = str(line.kind), int(line.amount_cents)
            total += cents
            if kind == "tax" or (kind == "credit" and line.period is None):
                continue
            pre_tax += cents
            if kind in ("energy", "credit"):
                bucket = line.period if line.period in TOU_PERIODS else "energy"
                bucket_cents[bucket] = bucket_cents.get(bucket, 0) + cents
                if kind == "energy":
                    q = Fraction(str(line.quantity))
                    bucket_kwh[bucket] = bucket_kwh.get(bucket, Fraction(0)) + q
            else:
                other += cents
        return cls(
            days=days,
            total_cents=total,
            kwh=sum(bucket_kwh.values(), Fraction(0)),
            bucket_kwh=bucket_kwh,
            bucket_cents=bucket_cents,
            other_cents=other,
            pre_tax_cents=pre_tax,
            hdd=hdd,
            cdd=cdd,
        )

    @property
    def daily_kwh(self) -> Fraction:
        return self.kwh / self.days

    def shares(self) -> dict[str, Fraction]:
        if not self.kwh:
            return {}
        return {b: k / self.kwh for b, k in self.bucket_kwh.items()}

    def prices(self) -> dict[str, Fraction]:
        """Net cents per kWh of each bucket with use."""
        return {
            b: Fraction(self.bucket_cents.get(b, 0)) / k for b, k in self.bucket_kwh.items() if k
        }

    @property
    def other_per_day(self) -> Fraction:
        return Fraction(self.other_cents, self.days)

    @property
    def tax_factor(self) -> Fraction:
        return Fraction(self.total_cents, self.pre_tax_cents) if self.pre_tax_cents else Fraction(1)


@dataclasses.dataclass(frozen=True)
class WeatherModel:
    """Daily kWh ≈ ``base + per_hdd · HDD + per_cdd · CDD`` (fitted on the customer's days)."""

    base: float
    per_hdd: float
    per_cdd: float
    days: int


@dataclasses.dataclass(frozen=True)
class Effect:
    key: str
    cents: int
    text: str


@dataclasses.dataclass(frozen=True)
class Change:
    before_cents: int
    after_cents: int
    effects: tuple[Effect, ...]
    currency: str

    @property
    def difference_cents(self) -> int:
        return self.after_cents - self.before_cents


def degree_days(daily_mean_c: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], ...]:
    """Heating and cooling degree days (base 18 °C) of each day's mean temperature."""
    t = np.asarray(daily_mean_c, dtype=np.float64)
    return np.maximum(DEGREE_DAY_BASE_C - t, 0.0), np.maximum(t - DEGREE_DAY_BASE_C, 0.0)


def fit_weather(
    daily_kwh: npt.ArrayLike, hdd: npt.ArrayLike, cdd: npt.ArrayLike
) -> WeatherModel | None:
    """Least squares of daily kWh on HDD and CDD; ``None`` with under 28 usable days.

    Negative slopes (use falling as it gets colder/hotter) are set to 0 and the
    fit is redone without that term.
    """
    y = np.asarray(daily_kwh, dtype=np.float64)
    h, c = np.asarray(hdd, dtype=np.float64), np.asarray(cdd, dtype=np.float64)
    ok = np.isfinite(y) & np.isfinite(h) & np.isfinite(c)
    y, h, c = y[ok], h[ok], c[ok]
    if y.size < MIN_FIT_DAYS:
        return None
    use = [True, True]
    for _ in range(3):
        columns = [np.ones_like(y)] + [x for x, keep in zip((h, c), use, strict=True) if keep]
        coef, *_ = np.linalg.lstsq(np.column_stack(columns), y, rcond=None)
        slopes = iter(coef[1:])
        values = [float(next(slopes)) if keep else 0.0 for keep in use]
        if all(v >= 0 for v in values):
            return WeatherModel(float(coef[0]), values[0], values[1], int(y.size))
        use = [keep and v >= 0 for keep, v in zip(use, values, strict=True)]
    return WeatherModel(float(np.mean(y)), 0.0, 0.0, int(y.size))


def _value(
    days: int,
    daily: Fraction,
    shares: Mapping[str, Fraction],
    prices: Mapping[str, Fraction],
    other: Fraction,
    factor: Fraction,
) -> Fraction:
    energy = sum((s * prices.get(b, Fraction(0)) for b, s in shares.items()), Fraction(0))
    return factor * days * (other + daily * energy)


def explain_change(
    before: BillFacts,
    after: BillFacts,
    model: WeatherModel | None = None,
    currency: str = "CAD",
    label: str = "the previous bill",
) -> Change:
    """The effects (in :data:`EFFECTS` order) that add up to ``after − before`` in cents."""
    prices_b = {**after.prices(), **before.prices()}  # before's prices, after's where none
    shares_b = before.shares() or after.shares()
    other_b, factor_b = before.other_per_day, before.tax_factor
    weather_kwh = Fraction(0)
    if model is not None:
        weather_kwh = Fraction(
            model.per_hdd * (after.hdd - before.hdd) + model.per_cdd * (after.cdd - before.cdd)
        ).limit_denominator(10**9)
    daily_w = max(before.daily_kwh + weather_kwh, Fraction(0))
    steps = [
        _value(before.days, before.daily_kwh, shares_b, prices_b, other_b, factor_b),
        _value(after.days, before.daily_kwh, shares_b, prices_b, other_b, factor_b),
        _value(after.days, daily_w, shares_b, prices_b, other_b, factor_b),
        _value(after.days, after.daily_kwh, shares_b, prices_b, other_b, factor_b),
        _value(
            after.days, after.daily_kwh, after.shares() or shares_b, prices_b, other_b, factor_b
        ),
    ]
    rounded = [round_half_up(b - a) for a, b in zip(steps, steps[1:], strict=False)]
    difference = after.total_cents - before.total_cents
    rounded.append(difference - sum(rounded))
    texts = _texts(before, after, model, weather_kwh, rounded, currency, label)
    effects = tuple(
        Effect(key, cents, text) for key, cents, text in zip(EFFECTS, rounded, texts, strict=True)
    )
    return Change(before.total_cents, after.total_cents, effects, currency)


def _signed(cents: int, currency: str) -> str:
    return ("+" if cents > 0 else "") + money(cents, currency)


def _texts(
    before: BillFacts,
    after: BillFacts,
    model: WeatherModel | None,
    weather_kwh: Fraction,
    cents: list[int],
    currency: str,
    label: str,
) -> list[str]:
    c = currency
    days = f"{after.days} days this time against {before.days} on {label}: {_signed(cents[0], c)}."
    if model is None:
        weather = f"Weather: not estimated (not enough history to fit): {_signed(cents[1], c)}."
    else:
        hotter = "colder" if after.hdd > before.hdd else "milder"
        if after.cdd > before.cdd + max(after.hdd - before.hdd, 0):
            hotter = "hotter"
        weather = (
            f"Weather: {after.hdd:.1f} heating and {after.cdd:.1f} cooling degree days a day "
            f"against {before.hdd:.1f} and {before.cdd:.1f} ({hotter}); your own history "
            f"gives {model.per_hdd:.2f} kWh per heating and {model.per_cdd:.2f} kWh per "
            f"cooling degree day, so about {float(weather_kwh):+.1f} kWh a day: "
            f"{_signed(cents[1], c)}."
        )
    rest = float(after.daily_kwh - before.daily_kwh - weather_kwh)
    volume = (
        f"Apart from the weather you used {abs(rest):.1f} kWh a day "
        f"{'more' if rest >= 0 else 'less'} ({float(after.daily_kwh):.1f} against "
        f"{float(before.daily_kwh):.1f} kWh a day in all): {_signed(cents[2], c)}."
    )
    sa, sb = after.shares(), before.shares()
    moved = sorted(
        (float(sa.get(b, 0) - sb.get(b, 0)), b) for b in set(sa) | set(sb) if b != "energy"
    )
    if moved:
        delta, bucket = max(moved, key=lambda m: abs(m[0]))
        name = PERIOD_NAMES.get(bucket, bucket)
        tou = (
            f"Time of use: {float(sa.get(bucket, 0)) * 100:.0f} % of your use fell in {name} "
            f"hours against {float(sb.get(bucket, 0)) * 100:.0f} %: {_signed(cents[3], c)}."
        )
    else:
        tou = f"Time of use: not on a time-of-use price: {_signed(cents[3], c)}."
    prices = (
        "Prices, fixed charges, taxes and rebates (and rounding of the lines above): "
        f"{_signed(cents[4], c)}."
    )
    return [days, weather, volume, tou, prices]
