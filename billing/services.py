"""Billing against the database: readings in through SQLAlchemy Core, bills out as rows.

The thin edge of the billing package: the pure core (:mod:`billing.calculate`)
never sees a session. Readings are read as one primary-key range scan per
meter (``interval_reading`` is clustered on ``(meter_id, start_ts)``), for the
local days of the period in the premise's zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from customer_model import (
    Bill,
    BillLine,
    BillStatus,
    Channel,
    Interaction,
    InteractionKind,
    IntervalReading,
    LineKind,
    Meter,
    ServiceAccount,
    WeatherObservation,
)
from meter_data.local_time import day_number, local_day_start, local_days

from .calculate import Bill as ComputedBill
from .calculate import Period, Readings, calculate
from .changes import BillFacts, Change, degree_days, explain_change, fit_weather
from .compare import Comparison, choices_for, compare, last_full_months
from .explain import Explanation, explain
from .projection import ALERT_RATIO, Projection, high_bill_alert, project
from .tariff_schema import BillingError, load_tariff
from .tips import Tip, payment_options, rank_tips

DUE_AFTER_DAYS = 21
"""Days from issue to due date for bills issued by :func:`issue_bill`."""


def load_readings(session: Session, meter_ids: Sequence[int], period: Period, tz: str) -> Readings:
    """The readings of ``meter_ids`` starting within the local days of ``period`` in ``tz``."""
    table = IntervalReading.__table__
    lo = local_day_start(period.first, tz)
    hi = local_day_start(period.last + dt.timedelta(days=1), tz)
    rows = session.execute(
        select(table.c.start_ts, table.c.duration_s, table.c.delivered_mwh, table.c.received_mwh)
        .where(table.c.meter_id.in_(list(meter_ids)), table.c.start_ts >= lo, table.c.start_ts < hi)
        .order_by(table.c.meter_id, table.c.start_ts)
    ).all()
    # plain tuples: numpy probing Row objects for array protocols is ~100× slower
    start_ts, duration_s, delivered, received = (
        np.array([tuple(row) for row in rows], dtype=np.int64).reshape(-1, 4).T
    )
    return Readings.of(start_ts, delivered, received, duration_s)


def find_meter(session: Session, serial: str) -> Meter:
    meter = session.scalars(select(Meter).where(Meter.serial == serial)).one_or_none()
    if meter is None:
        raise BillingError(f"no meter with serial {serial!r}")
    return meter


def bill_for_meter(session: Session, serial: str, tariff_id: str, period: Period) -> ComputedBill:
    """One meter's bill under ``tariff_id`` for local dates in its premise's zone."""
    tariff = load_tariff(tariff_id)
    meter = find_meter(session, serial)
    tz = meter.premise.timezone
    readings = load_readings(session, [meter.id], period, tz)
    return calculate(tariff, readings, period.first, period.last, tz)


def issue_bill(
    session: Session,
    account: ServiceAccount,
    period: Period,
    *,
    issue_date: dt.date | None = None,
) -> Bill:
    """Compute and persist the bill of ``account`` for ``period`` (flushed, not committed).

    Uses the account's tariff and every meter of its premise in service during
    the period. Issued the day after the period ends unless ``issue_date`` says
    otherwise; due :data:`DUE_AFTER_DAYS` later.
    """
    tariff = load_tariff(account.tariff_code)
    premise = account.premise
    meters = [
        meter.id
        for meter in premise.meters
        if meter.install_date <= period.last
        and (meter.removal_date is None or meter.removal_date >= period.first)
    ]
    if not meters:
        raise BillingError(f"account {account.account_number} has no meter in service then")
    existing = session.scalar(
        select(Bill.id).where(Bill.account_id == account.id, Bill.period_start == period.first)
    )
    if existing is not None:
        raise BillingError(
            f"account {account.account_number} already has a bill from {period.first}"
        )
    computed = calculate(
        tariff,
        load_readings(session, meters, period, premise.timezone),
        period.first,
        period.last,
        premise.timezone,
    )
    if computed.currency != account.currency:
        raise BillingError(
            f"tariff {tariff.id} bills in {computed.currency}, "
            f"account {account.account_number} in {account.currency}"
        )
    issued = issue_date or period.last + dt.timedelta(days=1)
    bill = Bill(
        account=account,
        period_start=period.first,
        period_end=period.last,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=DUE_AFTER_DAYS),
        status=BillStatus.ISSUED,
        tariff_code=tariff.id,
        currency=computed.currency,
        kwh_delivered=computed.kwh_delivered,
        kwh_received=computed.kwh_received,
        subtotal_cents=computed.subtotal_cents,
        taxes_cents=computed.taxes_cents,
        total_cents=computed.total_cents,
        lines=[
            BillLine(
                position=position,
                kind=LineKind(line.kind),
                period=line.period,
                description=line.description[:200],
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                amount_cents=line.amount_cents,
            )
            for position, line in enumerate(computed.lines, start=1)
        ],
    )
    session.add(bill)
    session.flush()
    return bill


# --------------------------------------------------------------------------- explanations

HISTORY_DAYS = 365
"""Days of the customer's own history the weather model is fitted on."""


@dataclasses.dataclass(frozen=True)
class BillInsight:
    """What the bill page shows besides the lines: the explanation and why it changed."""

    explanation: Explanation
    changes: tuple[tuple[str, Bill, Change], ...]
    """``(label, earlier bill, change)``: against the previous bill and last year's."""


def _meter_ids(account: ServiceAccount, first: dt.date, last: dt.date) -> list[int]:
    return [
        meter.id
        for meter in account.premise.meters
        if meter.install_date <= last
        and (meter.removal_date is None or meter.removal_date >= first)
    ]


def daily_mean_temperatures(
    session: Session, region: str | None, first: dt.date, last: dt.date, tz: str
) -> np.ndarray:
    """Mean temperature (°C) of each local day ``first..last``; NaN without observations."""
    days = (last - first).days + 1
    if region is None:
        return np.full(days, np.nan)
    table = WeatherObservation.__table__
    lo = local_day_start(first, tz)
    hi = local_day_start(last + dt.timedelta(days=1), tz)
    rows = session.execute(
        select(table.c.start_ts, table.c.temperature_dc).where(
            table.c.climate_region == region, table.c.start_ts >= lo, table.c.start_ts < hi
        )
    ).all()
    ts, dc = np.array([tuple(row) for row in rows], dtype=np.int64).reshape(-1, 2).T
    index = local_days(ts, tz) - day_number(first)
    sums = np.bincount(index, weights=dc / 10.0, minlength=days)[:days]
    counts = np.bincount(index, minlength=days)[:days]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def bill_insight(session: Session, bill: Bill) -> BillInsight:
    """Recompute ``bill`` from its readings to explain it, and compare it with earlier bills."""
    account = bill.account
    tz = account.premise.timezone
    tariff = load_tariff(bill.tariff_code)
    period = Period(bill.period_start, bill.period_end)
    earlier = session.scalars(
        select(Bill)
        .where(Bill.account_id == account.id, Bill.period_end < bill.period_start)
        .order_by(Bill.period_start.desc())
        .limit(1)
    ).first()
    try:
        year_ago = bill.period_start.replace(year=bill.period_start.year - 1)
    except ValueError:
        year_ago = bill.period_start.replace(year=bill.period_start.year - 1, day=28)
    last_year = session.scalars(
        select(Bill).where(Bill.account_id == account.id, Bill.period_start == year_ago)
    ).first()
    fit_first = min(period.first, period.last - dt.timedelta(days=HISTORY_DAYS - 1))
    history_first = min(
        [fit_first] + [row.period_start for row in (earlier, last_year) if row is not None]
    )
    meters = _meter_ids(account, history_first, period.last) or _meter_ids(
        account, period.first, period.last
    )
    history = load_readings(session, meters, Period(history_first, period.last), tz)
    computed = calculate(tariff, history, period.first, period.last, tz)
    explanation = explain(computed, tariff, history, tz)

    temps = daily_mean_temperatures(
        session, account.premise.climate_region, history_first, period.last, tz
    )
    hdd, cdd = degree_days(temps)
    n_days = temps.size
    day_index = local_days(history.start_ts, tz) - day_number(history_first)
    daily = np.bincount(day_index, weights=history.delivered_mwh, minlength=n_days)[:n_days] / 1e6
    counts = np.bincount(day_index, minlength=n_days)[:n_days]
    full = counts >= np.median(counts[counts > 0]) if counts.any() else counts > 0
    fit = slice((fit_first - history_first).days, None)
    model = fit_weather(np.where(full, daily, np.nan)[fit], hdd[fit], cdd[fit])

    def facts(row: Bill) -> BillFacts:
        first = (row.period_start - history_first).days
        last = (row.period_end - history_first).days + 1
        inside = slice(max(first, 0), max(last, 0))
        h = float(np.nanmean(hdd[inside])) if last > 0 and np.isfinite(hdd[inside]).any() else 0.0
        c = float(np.nanmean(cdd[inside])) if last > 0 and np.isfinite(cdd[inside]).any() else 0.0
        return BillFacts.of(row.lines, (row.period_end - row.period_start).days + 1, h, c)

    current = facts(bill)
    changes = []
    for label, row in (("the previous bill", earlier), ("the same period last year", last_year)):
        if row is not None:
            change = explain_change(facts(row), current, model, bill.currency, label)
            changes.append((label, row, change))
    return BillInsight(explanation, tuple(changes))


def rate_comparison(session: Session, account: ServiceAccount) -> Comparison | None:
    """The last 12 full months of ``account``'s own readings under each tariff it may choose.

    ``None`` when the account has no choice or no readings.
    """
    if len(choices_for(account.tariff_code)) < 2:
        return None
    tz = account.premise.timezone
    meters = [meter.id for meter in account.premise.meters]
    if not meters:
        return None
    table = IntervalReading.__table__
    latest = session.scalar(select(func.max(table.c.start_ts)).where(table.c.meter_id.in_(meters)))
    if latest is None:
        return None
    last_day = dt.date.fromordinal(
        dt.date(1970, 1, 1).toordinal() + int(local_days(np.array([latest]), tz)[0])
    )
    months = last_full_months(last_day + dt.timedelta(days=1))
    period = Period(months[0][0], months[-1][1])
    active = _meter_ids(account, period.first, period.last)
    readings = load_readings(session, active or meters, period, tz)
    return compare(readings, account.tariff_code, months, tz)


@dataclasses.dataclass(frozen=True)
class HighBillAlert:
    projection: Projection
    reference: Bill
    message: str
    tips: list[Tip]
    payment_options: list[str]


def check_high_bill(
    session: Session,
    account: ServiceAccount,
    period: Period,
    today: dt.date,
    ratio: Fraction = ALERT_RATIO,
) -> HighBillAlert | None:
    """Project ``period`` from readings up to ``today`` and alert when it beats the last bill.

    The alert is written to the customer's interactions (kind ``alert``, channel web)
    once per period, so every channel sees it; returns it, or ``None`` when the
    projection is not high enough or there is no earlier bill to compare with.
    """
    reference = session.scalar(
        select(Bill)
        .where(Bill.account_id == account.id, Bill.period_end < period.first)
        .order_by(Bill.period_end.desc())
    )
    if reference is None:
        return None
    tz = account.premise.timezone
    tariff = load_tariff(account.tariff_code)
    meter_ids = _meter_ids(account, period.first, period.last)
    readings = load_readings(session, meter_ids, period, tz)
    projection = project(tariff, readings, period.first, period.last, today, tz)
    message = high_bill_alert(
        projection.projected.total_cents,
        reference.total_cents,
        "your last bill",
        account.currency,
        ratio,
    )
    if message is None:
        return None
    so_far = readings.within(local_day_start(period.first, tz), local_day_start(today, tz))
    alert = HighBillAlert(
        projection,
        reference,
        message,
        rank_tips(projection.to_date, so_far, tz, projection.days_read),
        payment_options(account.budget_billing_cents, reference.total_cents, account.currency),
    )
    _record_alert(session, account, period, alert)
    return alert


def _record_alert(
    session: Session, account: ServiceAccount, period: Period, alert: HighBillAlert
) -> None:
    key = f"high-bill:{account.id}:{period.first.isoformat()}"
    detail_marker = f"Period {period.first.isoformat()} to {period.last.isoformat()}."
    seen = session.scalar(
        select(Interaction.id).where(
            Interaction.customer_id == account.customer_id,
            Interaction.kind == InteractionKind.ALERT,
            Interaction.subject == "Your bill is on track to be higher than usual",
            Interaction.account_id == account.id,
            Interaction.detail.contains(detail_marker),
        )
    )
    if seen is not None:
        return
    detail = "\n".join(
        [alert.message, detail_marker] + [tip.text for tip in alert.tips] + alert.payment_options
    )
    session.add(
        Interaction(
            customer_id=account.customer_id,
            account_id=account.id,
            premise_id=account.premise_id,
            channel=Channel.WEB,
            kind=InteractionKind.ALERT,
            subject="Your bill is on track to be higher than usual",
            detail=detail,
            actor="system",
            data={
                "key": key,
                "projected_cents": alert.projection.projected.total_cents,
                "reference_cents": alert.reference.total_cents,
                "tips": [tip.key for tip in alert.tips],
            },
        )
    )


def current_period(session: Session, account: ServiceAccount, today: dt.date) -> Period | None:
    """From the day after the last bill to the end of that month, if ``today`` falls in it."""
    last_end = session.scalar(
        select(func.max(Bill.period_end)).where(Bill.account_id == account.id)
    )
    if last_end is None:
        return None
    first = last_end + dt.timedelta(days=1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    period = Period(first, following - dt.timedelta(days=1))
    return period if period.first < today <= period.last else None
