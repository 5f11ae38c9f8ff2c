"""One bill in plain language: what each line is and how it came from the readings.

Pure (numpy in, strings and numbers out). :func:`explain` takes the computed
bill, its tariff, the readings it was computed from and the premise's zone, and
returns an :class:`Explanation`:

* one sentence per bill line, e.g. "2,480 kWh at the first-tier price
  (6.905 ¢/kWh) because your 62-day period allows 40 kWh a day: $171.24.";
* the share of energy and of energy charges by time-of-use period (TOU tariffs);
* the most expensive days — each day's energy priced at that day's prices
  (TOU: its hours' prices; flat/tiered: the bill's average energy price);
* the always-on part (baseload): the lowest local hour of the median day, as a
  constant kW, times every hour of the period.

Money is whole cents from the bill's lines; the day and baseload figures are
energy charges only (before fixed charges, credits and taxes) and say so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np

from meter_data.local_time import day_number, local_day_start, local_days

from .calculate import MWH_PER_KWH, Bill, Line, Readings, round_half_up
from .calendar import classify, local_times
from .tariff_schema import Tariff

PERIOD_NAMES = {
    "on_peak": "on-peak",
    "mid_peak": "mid-peak",
    "off_peak": "off-peak",
    "ultra_low": "ultra-low overnight",
}
TIER_NAMES = {"tier1": "first-tier", "tier2": "second-tier"}
TOP_DAYS = 3
_SYMBOL = {"CAD": "$", "USD": "$", "GBP": "£"}


@dataclasses.dataclass(frozen=True)
class PeriodShare:
    period: str
    kwh: Decimal
    kwh_percent: int
    cents: int


@dataclasses.dataclass(frozen=True)
class DayCost:
    day: dt.date
    kwh: Decimal
    cents: int


@dataclasses.dataclass(frozen=True)
class Baseload:
    kw: Decimal
    kwh: Decimal
    percent: int
    cents: int


@dataclasses.dataclass(frozen=True)
class Explanation:
    summary: str
    lines: tuple[str, ...]
    periods: tuple[PeriodShare, ...]
    days: tuple[DayCost, ...]
    baseload: Baseload | None
    currency: str

    def sentences(self) -> list[str]:
        """Everything as sentences, in reading order."""
        out = [self.summary, *self.lines]
        if self.periods:
            out.append(
                "By time of use: "
                + "; ".join(
                    f"{PERIOD_NAMES.get(p.period, p.period)} {kwh_text(p.kwh)} kWh "
                    f"({p.kwh_percent} %), {money(p.cents, self.currency)}"
                    for p in self.periods
                )
                + "."
            )
        if self.days:
            out.append(
                "Your most expensive days (energy only): "
                + "; ".join(
                    f"{day_text(d.day)}, {kwh_text(d.kwh)} kWh, {money(d.cents, self.currency)}"
                    for d in self.days
                )
                + "."
            )
        if self.baseload is not None:
            b = self.baseload
            out.append(
                f"About {b.kw} kW is always on (the lowest hour of a typical day): "
                f"{kwh_text(b.kwh)} kWh over the period, {b.percent} % of your use, "
                f"about {money(b.cents, self.currency)} of energy."
            )
        return out


# --------------------------------------------------------------------------- formatting


def money(cents: int, currency: str = "CAD") -> str:
    sign = "−" if cents < 0 else ""
    return (
        f"{sign}{_SYMBOL.get(currency, currency + ' ')}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    )


def kwh_text(value: Decimal | Fraction | float) -> str:
    """Whole kWh from 100 kWh up (thousands separated), one decimal from 10, else two."""
    value = Decimal(str(float(value))) if not isinstance(value, Decimal) else value
    if abs(value) >= 100 or value == value.to_integral_value():
        return f"{value.quantize(Decimal(1), rounding='ROUND_HALF_UP'):,}"
    step = Decimal("0.1") if abs(value) >= 10 else Decimal("0.01")
    return format(value.quantize(step, rounding="ROUND_HALF_UP").normalize(), ",f")


def day_text(day: dt.date) -> str:
    return f"{day:%a} {day:%d %b %Y}".replace(" 0", " ")


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return f"{Decimal(text):,}" if "." not in text else text


# --------------------------------------------------------------------------- explanation


def explain(bill: Bill, tariff: Tariff, readings: Readings, tz: str) -> Explanation:
    """Explain ``bill`` (computed by :func:`billing.calculate.calculate` from these inputs)."""
    lo = local_day_start(bill.first, tz)
    hi = local_day_start(bill.last + dt.timedelta(days=1), tz)
    r = readings.within(lo, hi)
    days = (bill.last - bill.first).days + 1
    c = bill.currency
    summary = (
        f"Your bill for {day_text(bill.first)} to {day_text(bill.last)} ({days} days) is "
        f"{money(bill.total_cents, c)}: {kwh_text(bill.kwh_delivered)} kWh used"
        + (f", {kwh_text(bill.kwh_received)} kWh sent to the grid" if bill.kwh_received else "")
        + f", under {tariff.name}."
    )
    several = len(tariff.segments(bill.first, bill.last)) > 1
    lines = tuple(_line_sentence(line, bill, tariff, days, several) for line in bill.lines)
    periods, day_costs = _periods_and_days(bill, tariff, r, tz)
    return Explanation(
        summary=summary,
        lines=lines,
        periods=periods,
        days=day_costs,
        baseload=_baseload(bill, r, tz, days),
        currency=c,
    )


def _line_sentence(line: Line, bill: Bill, tariff: Tariff, days: int, several: bool) -> str:
    c = bill.currency
    amount = money(line.amount_cents, c)
    price = _price(line.description) or f"{_num(line.unit_price)} {line.unit}"
    q = line.quantity
    if line.kind in ("credit", "tax") and line.unit == c:
        base = money(int(q * 100), c)
        return f"{_strip(line.description)}: {_num(line.unit_price)} % of {base} = {amount}."
    if line.kind == "credit":
        return (
            f"{kwh_text(q)} kWh you sent to the grid, credited at {price} "
            f"(never more than you used in the same bucket): {amount}."
        )
    if line.kind == "fixed":
        if line.unit == "day":
            return f"{_strip(line.description)}: {int(q)} days at {price} = {amount}."
        return f"{_strip(line.description)}: a fixed {price} = {amount}."
    if line.kind == "demand":
        return (
            f"{_strip(line.description)}: your highest use in one quarter-hour was "
            f"{kwh_text(q / 4)} kWh, that is {_num(q)} kW, at {price} = {amount}."
        )
    # energy
    if line.period in PERIOD_NAMES:
        return f"{kwh_text(q)} kWh used in {PERIOD_NAMES[line.period]} hours at {price} = {amount}."
    if line.period == "tier1":
        version = tariff.version_on(bill.first)
        bound = version.energy.thresholds[0] if version.energy.thresholds else None
        why = ""
        if bound is not None and not several and None in bound.kwh:
            per = "a day" if bound.per == "day" else "a month"
            why = f" because your {days}-day period allows {_num(bound.kwh[None])} kWh {per}"
        elif bound is not None:
            why = " (the first-tier allowance for your period's days)"
        return f"{kwh_text(q)} kWh at the first-tier price ({price}){why}: {amount}."
    if line.period in TIER_NAMES:
        tier = TIER_NAMES[line.period]
        return f"{kwh_text(q)} kWh above that at the {tier} price ({price}): {amount}."
    return f"{kwh_text(q)} kWh at {price} = {amount}."


def _price(description: str) -> str | None:
    """The published price a line's description quotes, e.g. ``6.905 ¢/kWh``."""
    found = re.search(r"(\d[\d.,]*\s[^\s,()]+/[^\s,()]+)", description)
    return found.group(1) if found else None


def _strip(description: str) -> str:
    """The line's name without its parenthesised price."""
    return description.split(" (", 1)[0]


def _periods_and_days(
    bill: Bill, tariff: Tariff, r: Readings, tz: str
) -> tuple[tuple[PeriodShare, ...], tuple[DayCost, ...]]:
    if len(r) == 0:
        return (), ()
    day_index = local_days(r.start_ts, tz) - day_number(bill.first)
    n_days = (bill.last - bill.first).days + 1
    schedule = tariff.time_of_use
    periods: tuple[PeriodShare, ...] = ()
    if schedule is not None:
        period_of = classify(r.start_ts, tz, schedule, tariff.holidays)
        # price per reading (cents per mWh, as a float for ranking days only)
        versions = [tariff.version_on(bill.first + dt.timedelta(days=d)) for d in range(n_days)]
        table = np.array(
            [
                [
                    float(v.energy.prices[p].cents(Fraction(1, MWH_PER_KWH)))
                    for p in schedule.periods
                ]
                for v in versions
            ]
        )
        cost = r.delivered_mwh * table[day_index, period_of]
        total_mwh = int(r.delivered_mwh.sum()) or 1
        shares = []
        for index, name in enumerate(schedule.periods):
            mwh = int(r.delivered_mwh[period_of == index].sum())
            cents = sum(
                line.amount_cents
                for line in bill.lines
                if line.kind == "energy" and line.period == name
            )
            shares.append(
                PeriodShare(
                    name,
                    Decimal(mwh).scaleb(-6),
                    round_half_up(Fraction(100 * mwh, total_mwh)),
                    cents,
                )
            )
        periods = tuple(shares)
    else:
        energy_cents = bill.energy_charges()
        total_mwh = int(r.delivered_mwh.sum())
        per_mwh = float(energy_cents / total_mwh) if total_mwh else 0.0
        cost = r.delivered_mwh * per_mwh
    daily_cost = np.bincount(day_index, weights=cost, minlength=n_days)
    daily_mwh = np.bincount(day_index, weights=r.delivered_mwh, minlength=n_days)
    top = np.argsort(-daily_cost, kind="stable")[:TOP_DAYS]
    days = tuple(
        DayCost(
            bill.first + dt.timedelta(days=int(d)),
            Decimal(int(daily_mwh[d])).scaleb(-6),
            int(round(daily_cost[d])),
        )
        for d in top
        if daily_cost[d] > 0
    )
    return periods, days


def _baseload(bill: Bill, r: Readings, tz: str, days: int) -> Baseload | None:
    """Lowest local-hour energy of the median day, as a constant kW over the period."""
    if len(r) == 0 or not bill.kwh_delivered:
        return None
    local = local_times(r.start_ts, tz)
    day_index = local_days(r.start_ts, tz) - day_number(bill.first)
    hour_key = day_index * 24 + local.hour
    hourly = np.bincount(hour_key, weights=r.delivered_mwh, minlength=days * 24)
    hourly = hourly[: days * 24].reshape(days, 24)
    lowest = np.sort(hourly.min(axis=1))[(days - 1) // 2]  # median day's lowest hour (lower)
    kw = Decimal(int(lowest)).scaleb(-6).quantize(Decimal("0.01"))
    always_mwh = int(lowest) * 24 * days
    total_mwh = int(r.delivered_mwh.sum())
    share = Fraction(min(always_mwh, total_mwh), total_mwh)
    return Baseload(
        kw=kw,
        kwh=Decimal(always_mwh).scaleb(-6),
        percent=round_half_up(share * 100),
        cents=round_half_up(bill.energy_charges() * share),
    )
