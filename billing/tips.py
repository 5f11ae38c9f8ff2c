"""Three concrete tips for a high bill, ranked by what the customer's own load shape
says they would save. Pure.

Each tip estimates a saving in cents for the rest of a year from the period's
readings and the bill's own prices, so the ranking is personal: a household whose
always-on load is large hears about it first; one with much on-peak use hears
about shifting it; heating or cooling use drives the thermostat tip.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np

from .calculate import Bill, Readings, round_half_up
from .calendar import local_times
from .explain import money

BASELOAD_CUT = Fraction(1, 4)
"""Share of the always-on load a household can usually switch off."""
SHIFTABLE = Fraction(1, 5)
"""Share of on-peak energy that can move to cheaper hours (laundry, dishwasher, EV)."""
THERMOSTAT_SAVING = Fraction(1, 20)
"""About 5 % of heating/cooling energy per degree of setback."""


@dataclasses.dataclass(frozen=True)
class Tip:
    key: str
    text: str
    saving_cents: int
    """Estimated saving over a year, at this bill's prices."""


def rank_tips(bill: Bill, readings: Readings, tz: str, days: int) -> list[Tip]:
    """The three tips, most valuable first."""
    if days <= 0 or not bill.kwh_delivered:
        return []
    per_kwh = bill.energy_charges() / Fraction(bill.kwh_delivered)  # cents per kWh
    year = Fraction(365, days)
    tips = [
        _always_on(bill, readings, tz, per_kwh, year),
        _shift(bill, per_kwh, year),
        _thermostat(bill, readings, tz, per_kwh, year, days),
    ]
    return sorted(tips, key=lambda tip: -tip.saving_cents)[:3]


def _night_floor_mwh(readings: Readings, tz: str) -> int:
    """10th percentile of the 00:00–05:00 quarter-hours: the always-on load (mWh/15 min)."""
    if len(readings) == 0:
        return 0
    night = local_times(readings.start_ts, tz).hour < 5
    if not night.any():
        night = np.ones(len(readings), dtype=bool)
    per_quarter = readings.delivered_mwh[night] * 900 // np.maximum(readings.duration_s[night], 1)
    return int(np.percentile(per_quarter, 10, method="lower"))


def _always_on(bill: Bill, readings: Readings, tz: str, per_kwh: Fraction, year: Fraction) -> Tip:
    floor = _night_floor_mwh(readings, tz)
    watts = floor * 4 // 1000
    yearly_kwh = Fraction(floor * 4 * 24 * 365, 10**6)
    saving = round_half_up(yearly_kwh * BASELOAD_CUT * per_kwh)
    return Tip(
        "always_on",
        f"Your home uses about {watts} W even at night. Switching off a quarter of it "
        f"(old fridges, set-top boxes, pool pumps) would save about "
        f"{money(saving, bill.currency)} a year.",
        saving,
    )


def _shift(bill: Bill, per_kwh: Fraction, year: Fraction) -> Tip:
    energy = [line for line in bill.lines if line.kind == "energy" and line.quantity]
    prices = {line.period: Fraction(line.unit_price) for line in energy}
    on_peak = next((line for line in energy if line.period == "on_peak"), None)
    cheapest = min(prices.values(), default=Fraction(0))
    if on_peak is None or not cheapest:
        return Tip(
            "shift",
            "Your price is the same at every hour, so moving use to other hours would not "
            "change your bill; a time-of-use plan could, see the rate comparison.",
            0,
        )
    moved_kwh = Fraction(on_peak.quantity) * SHIFTABLE
    saving = round_half_up(moved_kwh * (Fraction(on_peak.unit_price) - cheapest) * year)
    return Tip(
        "shift",
        f"Running the dishwasher, laundry or EV charging after the on-peak hours would save "
        f"about {money(saving, bill.currency)} a year if you moved a fifth of your on-peak use.",
        saving,
    )


def _thermostat(
    bill: Bill, readings: Readings, tz: str, per_kwh: Fraction, year: Fraction, days: int
) -> Tip:
    """Weather-driven use is what is left above the always-on load."""
    always_mwh = _night_floor_mwh(readings, tz) * 4 * 24 * days
    weather_kwh = max(Fraction(int(readings.delivered_mwh.sum()) - always_mwh, 10**6), Fraction(0))
    saving = round_half_up(weather_kwh * THERMOSTAT_SAVING * per_kwh * year)
    return Tip(
        "thermostat",
        f"Setting the heating (or air conditioning) one degree gentler, especially at night "
        f"and when you are out, would save about {money(saving, bill.currency)} a year.",
        saving,
    )


def payment_options(
    budget_billing_cents: int | None, average_cents: int, currency: str
) -> list[str]:
    """Ways to spread or time payments, worded for the alert."""
    budget = (
        f"You are on equal monthly payments of {money(budget_billing_cents, currency)}."
        if budget_billing_cents
        else f"Equal monthly payments (budget billing) of about {money(average_cents, currency)} "
        "would smooth out winter and summer bills."
    )
    return [
        budget,
        "You can choose a due date that suits your pay day.",
        "If a bill is hard to pay, a payment arrangement spreads it over several months.",
    ]
