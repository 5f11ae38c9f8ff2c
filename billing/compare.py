"""Rate comparison: the same twelve months of readings billed under each tariff on offer.

Pure. For a customer who may choose between tariffs (Ontario's Regulated Price
Plan: Time-of-Use, Tiered, Ultra-Low Overnight), every month is billed exactly
by :func:`billing.calculate.calculate` under each tariff, and the year's totals
are compared with the current one. The readings are the customer's own, so the
answer is "what you would have paid", not an estimate from a typical profile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .calculate import Readings, calculate
from .tariff_schema import Tariff, load_tariff

CHOICES: dict[str, tuple[str, ...]] = {
    "ontario-rpp": ("ontario-rpp-tou", "ontario-rpp-tiered", "ontario-rpp-ulo"),
}
"""Groups of tariffs a customer may switch between freely."""


def choices_for(tariff_id: str) -> tuple[str, ...]:
    """The tariffs a customer on ``tariff_id`` could choose (itself included, listed first)."""
    for group in CHOICES.values():
        if tariff_id in group:
            return (tariff_id, *[t for t in group if t != tariff_id])
    return (tariff_id,)


def last_full_months(before: dt.date, count: int = 12) -> list[tuple[dt.date, dt.date]]:
    """The ``count`` calendar months ending on or before the day before ``before``."""
    end = before.replace(day=1)  # first day of the month that is not complete
    months = []
    for _ in range(count):
        last = end - dt.timedelta(days=1)
        first = last.replace(day=1)
        months.append((first, last))
        end = first
    return months[::-1]


@dataclasses.dataclass(frozen=True)
class RateOption:
    tariff_id: str
    name: str
    monthly_cents: tuple[int, ...]
    current: bool

    @property
    def total_cents(self) -> int:
        return sum(self.monthly_cents)


@dataclasses.dataclass(frozen=True)
class Comparison:
    months: tuple[tuple[dt.date, dt.date], ...]
    options: tuple[RateOption, ...]
    currency: str

    @property
    def current(self) -> RateOption:
        return next(option for option in self.options if option.current)

    def difference_cents(self, option: RateOption) -> int:
        """``option`` minus the current tariff over the months (negative: cheaper)."""
        return option.total_cents - self.current.total_cents

    @property
    def cheapest(self) -> RateOption:
        return min(self.options, key=lambda option: (option.total_cents, not option.current))


def compare(
    readings: Readings,
    current: str,
    months: list[tuple[dt.date, dt.date]],
    tz: str,
    tariffs: dict[str, Tariff] | None = None,
) -> Comparison:
    """Bill ``months`` of ``readings`` under each choice open to a customer on ``current``."""
    options = []
    currency = ""
    for tariff_id in choices_for(current):
        tariff = (tariffs or {}).get(tariff_id) or load_tariff(tariff_id)
        bills = [calculate(tariff, readings, first, last, tz) for first, last in months]
        currency = currency or tariff.currency
        options.append(
            RateOption(
                tariff_id,
                tariff.name,
                tuple(bill.total_cents for bill in bills),
                tariff_id == current,
            )
        )
    return Comparison(tuple(months), tuple(options), currency)
