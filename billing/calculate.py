"""Exact bill calculation: readings + tariff + local-date period → line items in cents.

Pure: numpy arrays in, frozen dataclasses out; no database, no web. The rules
(which ``billing/README.md`` explains with examples):

* **Exact until the end.** Energy is summed in integer milliwatt-hours; money
  is a ``Fraction`` of cents until each line is rounded **once**, to whole
  cents, half away from zero (``ROUND_HALF_UP``).
* **Percent lines on rounded lines.** Credits (rebates) and taxes are computed
  on the sum of the already-rounded lines they apply to, then rounded once.
  Subtotal, taxes and total are sums of rounded lines, so they always add up.
* **Price changes inside a period.** Time-of-use energy is priced hour by hour
  at the version in force on that local day. Everything else is prorated by
  days: per-day charges count each segment's days, per-bill and demand charges
  are multiplied by ``segment days / period days``, flat and tiered energy is
  split between segments in proportion to their days (in whole mWh, by
  cumulative rounding, so the parts add up to the total) and each segment's
  tier thresholds count its own days.
* **Net metering** (``credit_up_to_delivered``): received energy is credited at
  the energy price of the same pricing bucket (TOU period and version; or the
  segment's top tiers first), never more than was delivered in that bucket.
  The surplus is not paid out on this bill.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from meter_data.local_time import day_number, local_day_start, local_days

from .calendar import classify, local_times
from .tariff_schema import BillingError, PercentLine, Price, Segment, Tariff, Threshold

MWH_PER_KWH = 1_000_000
DEMAND_INTERVAL_S = 900
"""Demand is the highest 15-minute delivered energy × 4 (kW)."""
LINE_KINDS = ("fixed", "energy", "demand", "credit", "tax")
PERIODS = ("on_peak", "mid_peak", "off_peak", "ultra_low", "tier1", "tier2", "flat", None)

_I64 = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True)
class Readings:
    """Interval readings of one meter (or the meters of one premise), any order."""

    start_ts: _I64
    duration_s: _I64
    delivered_mwh: _I64
    received_mwh: _I64

    @classmethod
    def of(
        cls,
        start_ts: npt.ArrayLike,
        delivered_mwh: npt.ArrayLike,
        received_mwh: npt.ArrayLike | None = None,
        duration_s: npt.ArrayLike | int = 900,
    ) -> Readings:
        ts = np.asarray(start_ts, dtype=np.int64)
        delivered = np.asarray(delivered_mwh, dtype=np.int64)
        received = (
            np.zeros_like(ts) if received_mwh is None else np.asarray(received_mwh, dtype=np.int64)
        )
        duration = np.broadcast_to(np.asarray(duration_s, dtype=np.int64), ts.shape).copy()
        if not (ts.shape == delivered.shape == received.shape == duration.shape) or ts.ndim != 1:
            raise BillingError("readings: start_ts, durations and energies differ in length")
        if (delivered < 0).any() or (received < 0).any() or (duration <= 0).any():
            raise BillingError("readings: negative energy or non-positive duration")
        return cls(ts, duration, delivered, received)

    def __len__(self) -> int:
        return int(self.start_ts.size)

    def within(self, lo: int, hi: int) -> Readings:
        keep = (self.start_ts >= lo) & (self.start_ts < hi)
        return Readings(
            self.start_ts[keep],
            self.duration_s[keep],
            self.delivered_mwh[keep],
            self.received_mwh[keep],
        )


@dataclasses.dataclass(frozen=True)
class Period:
    """A billing period in local dates, ``last`` inclusive."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise BillingError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclasses.dataclass(frozen=True)
class Line:
    """One bill line. ``amount_cents`` is ``exact_cents`` rounded once.

    For energy, fixed and demand lines ``quantity × unit_price`` (in the
    published unit) is the amount, except prorated per-bill and demand lines,
    whose description says so. For percent lines (``credit``/``tax`` with
    ``unit`` = currency) ``quantity`` is the base amount and ``unit_price`` the
    rate in percent. Credits are negative.
    """

    kind: str
    period: str | None
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount_cents: int
    exact_cents: Fraction


@dataclasses.dataclass(frozen=True)
class Bill:
    tariff_id: str
    currency: str
    first: dt.date
    last: dt.date
    lines: tuple[Line, ...]
    kwh_delivered: Decimal
    kwh_received: Decimal

    @property
    def subtotal_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines if line.kind != "tax")

    @property
    def taxes_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines if line.kind == "tax")

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.taxes_cents

    def energy_charges(self) -> Fraction:
        """Exact (unrounded) sum of the energy lines, in cents."""
        return sum((line.exact_cents for line in self.lines if line.kind == "energy"), Fraction(0))

    def as_json(self) -> dict[str, Any]:
        """The bill as ``compute-bill`` prints it: numbers as decimal strings."""
        return {
            "currency": self.currency,
            "lines": [
                {
                    "kind": line.kind,
                    "period": line.period,
                    "description": line.description,
                    "quantity": decimal_text(line.quantity),
                    "unit": line.unit,
                    "unit_price": decimal_text(line.unit_price),
                    "amount": money_text(line.amount_cents),
                }
                for line in self.lines
            ],
            "subtotal": money_text(self.subtotal_cents),
            "taxes": money_text(self.taxes_cents),
            "total": money_text(self.total_cents),
        }


def round_half_up(value: Fraction) -> int:
    """Nearest integer, ties away from zero (``ROUND_HALF_UP`` on a magnitude)."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


def decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money_text(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def kwh(mwh: int) -> Decimal:
    return Decimal(mwh).scaleb(-6)


# --------------------------------------------------------------------------- calculation


@dataclasses.dataclass
class _Draft:
    """A line before rounding, with the segments (versions) it belongs to."""

    kind: str
    period: str | None
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    exact: Fraction
    segments: frozenset[int]
    base_kind: str
    """The kind percent lines see: net-metering credits count as ``energy``."""

    def rounded(self) -> Line:
        return Line(
            self.kind,
            self.period,
            self.description,
            self.quantity,
            self.unit,
            self.unit_price,
            round_half_up(self.exact),
            self.exact,
        )


def calculate(
    tariff: Tariff,
    readings: Readings,
    first: dt.date,
    last: dt.date,
    timezone: str | None = None,
) -> Bill:
    """The bill for local dates ``first..last`` (inclusive) in ``timezone``.

    Readings whose start falls outside the period are ignored; the zone is the
    premise's (default: the tariff's).
    """
    tz = timezone or tariff.timezone
    segments = tariff.segments(first, last)
    total_days = (last - first).days + 1
    inside = readings.within(
        local_day_start(first, tz), local_day_start(last + dt.timedelta(days=1), tz)
    )
    calc = _Calculation(tariff, segments, total_days, inside, tz)
    drafts = [*calc.fixed(), *calc.energy(), *calc.demand()]
    lines = [draft.rounded() for draft in drafts]
    credits = calc.percent_lines(drafts, lines, "credit")
    lines += [draft.rounded() for draft in credits]
    taxes = calc.percent_lines([*drafts, *credits], lines, "tax")
    lines += [draft.rounded() for draft in taxes]
    return Bill(
        tariff_id=tariff.id,
        currency=tariff.currency,
        first=first,
        last=last,
        lines=tuple(lines),
        kwh_delivered=kwh(int(inside.delivered_mwh.sum())),
        kwh_received=kwh(int(inside.received_mwh.sum())),
    )


class _Calculation:
    def __init__(
        self, tariff: Tariff, segments: list[Segment], total_days: int, readings: Readings, tz: str
    ) -> None:
        self.tariff, self.segments, self.total_days = tariff, segments, total_days
        self.readings, self.tz = readings, tz
        self.several = len(segments) > 1
        days = local_days(readings.start_ts, tz)
        firsts = np.array([day_number(s.first) for s in segments], dtype=np.int64)
        self.segment_of = np.searchsorted(firsts, days, side="right") - 1

    def _since(self, index: int) -> str:
        return f" (prices from {self.segments[index].version.effective})" if self.several else ""

    def _share(self, index: int) -> Fraction:
        return Fraction(self.segments[index].days, self.total_days)

    # -- fixed charges

    def fixed(self) -> list[_Draft]:
        drafts = []
        for index, segment in enumerate(self.segments):
            for charge in segment.version.fixed:
                price = charge.price
                if price.per == "day":
                    quantity, exact, note = Decimal(segment.days), price.cents(segment.days), ""
                else:
                    share = self._share(index)
                    quantity, exact = Decimal(1), price.cents(share)
                    note = (
                        f", prorated {segment.days}/{self.total_days} days" if self.several else ""
                    )
                description = f"{charge.description} ({price}{note}){self._since(index)}"
                drafts.append(
                    _Draft(
                        kind="fixed",
                        period=None,
                        description=description,
                        quantity=quantity,
                        unit=price.per,
                        unit_price=price.value,
                        exact=exact,
                        segments=frozenset({index}),
                        base_kind="fixed",
                    )
                )
        return drafts

    # -- energy

    def energy(self) -> list[_Draft]:
        kind = self.segments[0].version.energy.kind
        if kind == "time_of_use":
            delivered, received = self._tou_buckets()
        else:
            delivered, received = self._prorated_buckets(kind)
        credit = self.tariff.net_metering.rule == "credit_up_to_delivered"
        drafts, credits = [], []
        for (index, period), mwh in delivered.items():
            segment = self.segments[index]
            price = segment.version.energy.prices[period]
            label = _period_label(period, segment.version.energy.description)
            if mwh:
                drafts.append(self._energy_line("energy", index, period, label, mwh, price))
            taken = min(received.get((index, period), 0), mwh) if credit else 0
            if taken:
                label = f"Net-metering credit, {label}"
                credits.append(self._energy_line("credit", index, period, label, taken, price))
        return drafts + credits

    def _energy_line(
        self, kind: str, index: int, period: str, label: str, mwh: int, price: Price
    ) -> _Draft:
        exact = price.cents(Fraction(mwh, MWH_PER_KWH))
        return _Draft(
            kind=kind,
            period=period,
            description=f"{label} ({price}){self._since(index)}",
            quantity=kwh(mwh),
            unit="kWh",
            unit_price=price.value,
            exact=-exact if kind == "credit" else exact,
            segments=frozenset({index}),
            base_kind="energy",
        )

    def _tou_buckets(self) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
        schedule = self.tariff.time_of_use
        assert schedule is not None
        r = self.readings
        local = local_times(r.start_ts, self.tz)
        if ((local.second_of_hour + r.duration_s) > 3600).any():
            raise BillingError(
                "time-of-use pricing needs readings that each fit in one local hour "
                f"(found {int(r.duration_s.max())}-second readings)"
            )
        period_of = classify(r.start_ts, self.tz, schedule, self.tariff.holidays)
        order = list(self.segments[0].version.energy.prices)
        # Reorder the schedule's period indices to the price list's order (line order).
        rank = np.array([order.index(p) for p in schedule.periods], dtype=np.int64)
        bucket = self.segment_of * len(order) + rank[period_of]
        size = len(self.segments) * len(order)
        delivered, received = np.zeros(size, np.int64), np.zeros(size, np.int64)
        np.add.at(delivered, bucket, r.delivered_mwh)
        np.add.at(received, bucket, r.received_mwh)
        keys = [(index, period) for index in range(len(self.segments)) for period in order]
        return (
            {key: int(v) for key, v in zip(keys, delivered, strict=True)},
            {key: int(v) for key, v in zip(keys, received, strict=True)},
        )

    def _prorated_buckets(
        self, kind: str
    ) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
        delivered = _split_by_days(
            int(self.readings.delivered_mwh.sum()), self.segments, self.total_days
        )
        received = _split_by_days(
            int(self.readings.received_mwh.sum()), self.segments, self.total_days
        )
        out_d: dict[tuple[int, str], int] = {}
        out_r: dict[tuple[int, str], int] = {}
        for index, segment in enumerate(self.segments):
            energy = segment.version.energy
            if kind == "flat":
                out_d[(index, "flat")], out_r[(index, "flat")] = delivered[index], received[index]
                continue
            bounds: list[int | None] = [self._threshold_mwh(t, segment) for t in energy.thresholds]
            parts = _tiers(delivered[index], [*bounds, None])
            # Credits take the top tiers first: the energy not bought is the dearest.
            credited = min(received[index], delivered[index])
            for tier, mwh in zip(list(energy.prices), parts, strict=True):
                out_d[(index, tier)] = mwh
            for tier, mwh in reversed(list(zip(list(energy.prices), parts, strict=True))):
                take = min(credited, mwh)
                out_r[(index, tier)], credited = take, credited - take
        return out_d, out_r

    def _threshold_mwh(self, threshold: Threshold, segment: Segment) -> int:
        """A tier bound for the segment's days, in whole mWh (half up)."""
        total = Fraction(0)
        day = segment.first
        while day <= segment.last:
            amount = Fraction(threshold.kwh_for(self.tariff.season_of(day)))
            total += amount if threshold.per == "day" else amount / _days_in_month(day)
            day += dt.timedelta(days=1)
        return round_half_up(total * MWH_PER_KWH)

    # -- demand

    def demand(self) -> list[_Draft]:
        charges = [(i, s.version.demand) for i, s in enumerate(self.segments) if s.version.demand]
        if not charges:
            return []
        r = self.readings
        if ((r.start_ts % DEMAND_INTERVAL_S) + r.duration_s > DEMAND_INTERVAL_S).any():
            raise BillingError("a demand charge needs readings of 15 minutes or less")
        peak_mwh = 0
        if len(r):
            _, bucket = np.unique(r.start_ts // DEMAND_INTERVAL_S, return_inverse=True)
            sums = np.zeros(int(bucket.max()) + 1, np.int64)
            np.add.at(sums, bucket, r.delivered_mwh)
            peak_mwh = int(sums.max())
        kw = Decimal(peak_mwh * (3600 // DEMAND_INTERVAL_S)).scaleb(-6)
        drafts = []
        for index, charge in charges:
            assert charge is not None
            share = self._share(index)
            note = (
                f", prorated {self.segments[index].days}/{self.total_days} days"
                if self.several
                else ""
            )
            description = f"{charge.description} (max 15-min demand, {charge.price}{note})"
            drafts.append(
                _Draft(
                    kind="demand",
                    period=None,
                    description=description + self._since(index),
                    quantity=kw,
                    unit="kW",
                    unit_price=charge.price.value,
                    exact=charge.price.cents(kw) * share,
                    segments=frozenset({index}),
                    base_kind="demand",
                )
            )
        return drafts

    # -- credits and taxes

    def percent_lines(self, drafts: list[_Draft], lines: list[Line], kind: str) -> list[_Draft]:
        """Rebates (``credit``) or ``tax`` lines on the rounded lines they apply to.

        Segments whose versions carry the same rule (description, percent, kinds)
        share one line; a rate change inside the period gives one line per rate.
        """
        groups: dict[PercentLine, set[int]] = defaultdict(set)
        for index, segment in enumerate(self.segments):
            rules = segment.version.credits if kind == "credit" else segment.version.taxes
            for rule in rules:
                groups[rule].add(index)
        out = []
        for rule, segments in groups.items():
            base = sum(
                line.amount_cents
                for draft, line in zip(drafts, lines, strict=True)
                if draft.base_kind in rule.on and draft.segments <= segments
            )
            exact = Fraction(base) * Fraction(rule.percent) / 100
            if not exact:
                continue
            sign = -1 if kind == "credit" else 1
            rate, currency = decimal_text(rule.percent), self.tariff.currency
            out.append(
                _Draft(
                    kind=kind,
                    period=None,
                    description=f"{rule.description} ({rate}% of {money_text(base)} {currency})",
                    quantity=Decimal(base).scaleb(-2),
                    unit=currency,
                    unit_price=rule.percent,
                    exact=sign * exact,
                    segments=frozenset(segments),
                    base_kind=kind,
                )
            )
        return out


def _split_by_days(total_mwh: int, segments: list[Segment], total_days: int) -> list[int]:
    """``total_mwh`` shared by days, whole mWh, parts summing exactly to the total."""
    parts, before, elapsed = [], 0, 0
    for segment in segments:
        elapsed += segment.days
        upto = total_mwh * elapsed // total_days
        parts.append(upto - before)
        before = upto
    return parts


def _tiers(mwh: int, bounds: list[int | None]) -> list[int]:
    """Energy in each tier given cumulative upper bounds (``None`` = no bound)."""
    parts, floor = [], 0
    for bound in bounds:
        top = mwh if bound is None else min(mwh, bound)
        parts.append(max(top - floor, 0))
        floor = max(floor, top)
    return parts


def _days_in_month(day: dt.date) -> int:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - day.replace(day=1)).days


_PERIOD_LABELS = {
    "on_peak": "On-peak",
    "mid_peak": "Mid-peak",
    "off_peak": "Off-peak",
    "ultra_low": "Ultra-low overnight",
    "tier1": "Tier 1",
    "tier2": "Tier 2",
    "tier3": "Tier 3",
}


def _period_label(period: str, description: str) -> str:
    label = _PERIOD_LABELS.get(period)
    return f"{description}, {label}" if label else description
