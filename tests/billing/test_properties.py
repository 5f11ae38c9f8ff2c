"""Properties: order of readings never matters, periods add up, totals are sums of lines."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from billing import Readings, calculate, load_tariff
from billing.calculate import round_half_up
from tests.billing.helpers import instants

TARIFFS = [
    "hydro-quebec-d",
    "ontario-rpp-tou",
    "ontario-rpp-tiered",
    "ontario-rpp-ulo",
    "ofgem-cap-electricity",
    "example-demand-business",
]
FIRST_DAY = {"ofgem-cap-electricity": dt.date(2025, 7, 1)}
DEFAULT_FIRST = dt.date(2024, 11, 1)
FLAT_OR_TOU = ["ofgem-cap-electricity", "ontario-rpp-tou", "ontario-rpp-ulo"]


@st.composite
def metered_periods(draw, tariff_ids=TARIFFS, max_days=45):
    """A tariff, a local-date period and random 15-minute readings within (and around) it."""
    tariff = load_tariff(draw(st.sampled_from(tariff_ids)))
    earliest = FIRST_DAY.get(tariff.id, DEFAULT_FIRST)
    span = ((tariff.versions[-1].until or dt.date(2026, 6, 30)) - earliest).days - max_days
    first = earliest + dt.timedelta(days=draw(st.integers(0, span)))
    last = first + dt.timedelta(days=draw(st.integers(1, max_days)))
    ts = instants(first - dt.timedelta(days=1), last + dt.timedelta(days=1), tariff.timezone)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ts = ts[rng.random(len(ts)) >= draw(st.sampled_from([0.0, 0.05, 0.5]))]  # gaps
    delivered = rng.integers(0, 3_000_000, size=len(ts))
    received = np.where(rng.random(len(ts)) < 0.2, rng.integers(0, 2_000_000, len(ts)), 0)
    return tariff, first, last, Readings.of(ts, delivered, received), rng


@settings(max_examples=40, deadline=None)
@given(metered_periods())
def test_a_bill_does_not_depend_on_the_order_of_readings(case):
    tariff, first, last, readings, rng = case
    order = rng.permutation(len(readings))
    shuffled = Readings(
        readings.start_ts[order],
        readings.duration_s[order],
        readings.delivered_mwh[order],
        readings.received_mwh[order],
    )
    assert calculate(tariff, shuffled, first, last) == calculate(tariff, readings, first, last)


@settings(max_examples=40, deadline=None)
@given(metered_periods(tariff_ids=FLAT_OR_TOU, max_days=60), st.data())
def test_splitting_a_period_adds_up_for_flat_and_tou_energy(case, data):
    """Energy charges of two halves sum exactly to the whole (before rounding), and the
    rounded amounts differ by at most half a cent per energy line.

    TOU holds across price changes too (hour by hour). Flat energy is checked under one
    price version: across a change it is prorated by days, which by design depends on
    where the period starts and ends.
    """
    tariff, first, last, readings, _ = case
    if tariff.versions[0].energy.kind == "flat":
        tariff = tariff.pinned(tariff.version_on(first).effective)
    cut = first + dt.timedelta(days=data.draw(st.integers(0, (last - first).days - 1)))
    whole = calculate(tariff, readings, first, last)
    left = calculate(tariff, readings, first, cut)
    right = calculate(tariff, readings, cut + dt.timedelta(days=1), last)
    assert left.energy_charges() + right.energy_charges() == whole.energy_charges()
    assert left.kwh_delivered + right.kwh_delivered == whole.kwh_delivered

    def rounded(bill):
        return sum(line.amount_cents for line in bill.lines if line.kind == "energy")

    parts = sum(1 for bill in (left, right, whole) for line in bill.lines if line.kind == "energy")
    assert abs(rounded(left) + rounded(right) - rounded(whole)) <= Fraction(parts, 2)


@settings(max_examples=60, deadline=None)
@given(metered_periods())
def test_totals_are_integer_cents_and_sums_of_the_lines(case):
    tariff, first, last, readings, _ = case
    bill = calculate(tariff, readings, first, last)
    assert all(isinstance(line.amount_cents, int) for line in bill.lines)
    assert bill.subtotal_cents == sum(
        line.amount_cents for line in bill.lines if line.kind != "tax"
    )
    assert bill.total_cents == sum(line.amount_cents for line in bill.lines)
    for line in bill.lines:
        assert line.amount_cents == round_half_up(line.exact_cents)
        assert (line.amount_cents < 0) == (line.kind == "credit" and line.exact_cents != 0)
    document = bill.as_json()
    total = sum(Decimal(line["amount"]) for line in document["lines"])
    assert Decimal(document["total"]) == total
    assert Decimal(document["subtotal"]) + Decimal(document["taxes"]) == total


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**6))
def test_round_half_up_matches_decimal(numerator, denominator):
    value = Fraction(numerator, denominator)
    exact = Decimal(numerator) / Decimal(denominator)  # 28 digits: enough for these sizes
    assert round_half_up(value) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
