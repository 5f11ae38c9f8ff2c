"""One plain-language sentence per chart, computed from the data it shows.

They are the charts' text equivalents (read first by screen readers and shown
above each chart), so each one names its numbers and units in words.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np

from web.formatting import money

from .insights import Change, TouSplit, Weather
from .periods import Period, from_to, label

DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def kwh_text(mwh: float) -> str:
    """``1234567890`` mWh → "1,235 kWh"; one decimal below 100 kWh."""
    value = mwh / 1e6
    return f"{value:,.0f} kWh" if abs(value) >= 100 else f"{value:,.1f} kWh"


def percent_text(value: float) -> str:
    """The magnitude of a percentage: "18%", or "0.4%" below one."""
    return f"{abs(value):.1f}%" if abs(value) < 1 else f"{abs(value):.0f}%"


def usage(
    period: Period,
    delivered_mwh: int,
    received_mwh: int,
    change: Change | None,
    weather: Weather | None,
) -> str:
    """E.g. "You used 1,234 kWh in January 2026, 18% more than in January 2025 (1,046 kWh)"."""
    when = _when(period)
    if received_mwh:
        net = delivered_mwh - received_mwh
        sentence = (
            f"You took {kwh_text(delivered_mwh)} from the grid {when} and your panels sent "
            f"{kwh_text(received_mwh)} back (net {kwh_text(net)})"
        )
    else:
        sentence = f"You used {kwh_text(delivered_mwh)} {when}"
    if change is not None and change.percent is not None:
        then = f"{_when(change.period, compared=True)} ({kwh_text(change.then_mwh)})"
        if abs(change.percent) < 0.5:  # would read "0%"
            sentence += f", about the same as {then}"
        else:
            more = "more" if change.percent > 0 else "less"
            sentence += f", {percent_text(change.percent)} {more} than {then}"
            sentence += _because(change, weather)
    return sentence + "."


def _when(period: Period, compared: bool = False) -> str:
    if period.kind == "custom" or (compared and period.so_far):  # say which days exactly
        return from_to(period.first, period.last)
    text = label(period)
    return f"on {text}" if period.kind == "day" else f"in {text}"


def _because(change: Change, weather: Weather | None) -> str:
    """The weather as the reason, only when it explains at least half of the change."""
    if weather is None or not change.change_mwh or weather.then_dd <= 0:
        return ""
    explained = weather.explained_kwh * 1e6 / change.change_mwh
    if abs(weather.now_dd - weather.then_dd) < 0.05 * weather.then_dd:
        return ""
    kind = f"{weather.kind} degree days"
    numbers = f" ({weather.now_dd:,.0f} {kind} against {weather.then_dd:,.0f})"
    harsher = weather.now_dd > weather.then_dd
    if weather.kind == "heating":
        word = "colder" if harsher else "milder"
    else:
        word = "hotter" if harsher else "cooler"
    if explained >= 0.5:
        return f", mostly because it was {word}{numbers}"
    if explained < 0:
        return f", even though it was {word}{numbers}"
    return ""


def tou(split: TouSplit | None, tariff_known: bool) -> str:
    """Which periods took the use and the money."""
    if split is None or not split.shares:
        if not tariff_known:
            return "Your tariff is not available here, so use cannot be split by price period."
        return "There is no usage in this period to split by price period."
    shares = sorted(split.shares, key=lambda s: s.mwh_share, reverse=True)
    if len(shares) == 1:
        return "Your tariff charges the same energy price at every hour."
    if not split.time_of_use:
        top = next((s for s in split.shares if s.period != split.shares[0].period), shares[0])
        cost = f" and {percent_text(top.cost_share)} of the energy cost" if top.cost_share else ""
        return f"{percent_text(top.mwh_share)} of your use was billed at the {top.label}{cost}."
    parts = []
    for share in (shares[0], shares[-1]):
        cost = (
            f" and {percent_text(share.cost_share)} of the energy cost"
            if share.cost_share is not None
            else ""
        )
        parts.append(
            f"{share.label.lower()} hours took {percent_text(share.mwh_share)} of your use{cost}"
        )
    note = "" if split.priced else " (costs only for the dates with published prices)"
    text = "; ".join(parts) + note + "."
    return text[0].upper() + text[1:]


def heatmap(pattern: np.ndarray | None) -> str:
    """When in a typical week use is highest and lowest."""
    if pattern is None or np.isnan(pattern).all():
        return "There are not enough readings to show a typical week."
    day, hour = np.unravel_index(np.nanargmax(pattern), pattern.shape)
    by_hour = np.nanmean(pattern, axis=0)
    low = int(np.nanargmin(by_hour))
    return (
        f"In a typical week your use is highest on {DAYS[int(day)]} around {int(hour):02d}:00 "
        f"({pattern[day, hour]:.1f} kWh in that hour) and lowest around {low:02d}:00 "
        f"({by_hour[low]:.1f} kWh)."
    )


def baseload(watts: float | None, price: Fraction | None, currency: str) -> str:
    """The always-on load and what it costs in a year."""
    if watts is None:
        return "There are not enough night-time readings to estimate your always-on use."
    yearly_kwh = watts * 8.76
    sentence = (
        f"Your always-on use is about {watts:,.0f} W, even in the quietest night hours: "
        f"about {yearly_kwh:,.0f} kWh a year"
    )
    if price is not None:
        dollars = round(Fraction(yearly_kwh).limit_denominator(1000) * price / 100)
        sentence += (
            f", or {money(dollars * 100, currency).removesuffix('.00')} at your average "
            "energy price of "
            f"{float(price):.1f}¢/kWh (before rebates and taxes)"
        )
    return sentence + "."


def peak(found: tuple[int, int] | None, tz: str) -> str:
    """The highest 15-minute demand and when it happened, in the premise's local time."""
    if found is None:
        return "There are no readings in this period to find your peak demand."
    watts, ts = found
    when = dt.datetime.fromtimestamp(ts, ZoneInfo(tz))
    return (
        f"Your highest 15-minute demand was {watts / 1000:,.1f} kW, on {when:%A} {when.day} "
        f"{when:%B %Y} at {when:%H:%M}."
    )
