"""Read models of the home page tiles, every one built on the user's :class:`Scope`.

* **This month so far**: delivered kWh of every visible meter from the 1st of
  the latest month with readings, against the same days of the month before
  (``daily_usage`` only, limited to the user's own days).
* **Projected bill**: an *estimate* for each current account's billing period:
  the readings so far, scaled to the whole period, priced by
  :func:`billing.calculate` with the account's tariff (taxes and rebates
  included, because the calculator includes them).
* **Latest alerts**: the customer's interactions of kind alert or notification.
* **Move status**: there is no move model yet (moves arrive with a later
  issue), so there is no tile; nothing is guessed from account dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from billing import BillingError, Readings, calculate, load_tariff
from billing.calculate import Period
from billing.services import load_readings
from customer_model import (
    AccountStatus,
    Bill,
    DailyUsage,
    Interaction,
    InteractionKind,
    Meter,
    Permission,
    Premise,
    Scope,
    ServiceAccount,
    can,
    visible_accounts,
    visible_bills,
    visible_daily_usage,
    visible_meters,
)

MAX_PROJECTED = 3
"""Accounts estimated on the home page (an organisation's others are on the bills page)."""
ALERT_KINDS = (InteractionKind.ALERT, InteractionKind.NOTIFICATION)


@dataclasses.dataclass(frozen=True)
class MonthSoFar:
    first: dt.date
    last: dt.date
    mwh: int
    before_first: dt.date
    before_last: dt.date
    before_mwh: int | None
    """``None`` when the month before has too few readings to compare."""

    @property
    def change_percent(self) -> float | None:
        if not self.before_mwh:
            return None
        return 100.0 * (self.mwh - self.before_mwh) / self.before_mwh


def month_so_far(session: Session, scope: Scope, today: dt.date) -> MonthSoFar | None:
    """Use since the 1st of the latest month with readings (never after ``today``)."""
    if not can(scope, Permission.VIEW_USAGE):
        return None
    visible = visible_daily_usage(scope).where(DailyUsage.local_date <= today)
    latest = session.scalar(visible.with_only_columns(func.max(DailyUsage.local_date)))
    if latest is None:
        return None
    first = latest.replace(day=1)
    month_before_end = first - dt.timedelta(days=1)
    before_first = month_before_end.replace(day=1)
    before_last = before_first.replace(day=min(latest.day, month_before_end.day))
    now_mwh, now_count = _sums(session, visible, first, latest)
    then_mwh, then_count = _sums(session, visible, before_first, before_last)
    comparable = now_count and then_count >= 0.9 * now_count
    return MonthSoFar(
        first, latest, now_mwh, before_first, before_last, then_mwh if comparable else None
    )


def _sums(
    session: Session, visible: Select[tuple[DailyUsage]], first: dt.date, last: dt.date
) -> tuple[int, int]:
    row = session.execute(
        visible.where(DailyUsage.local_date.between(first, last)).with_only_columns(
            func.coalesce(func.sum(DailyUsage.delivered_mwh), 0),
            func.coalesce(func.sum(DailyUsage.reading_count), 0),
        )
    ).one()
    return int(row[0]), int(row[1])


@dataclasses.dataclass(frozen=True)
class Projection:
    account_number: str
    place: str
    first: dt.date
    last: dt.date
    """The billing period the estimate is for (``last`` is expected, not yet reached)."""
    through: dt.date
    """Readings are in up to this day."""
    total_cents: int
    currency: str


def projected_bills(session: Session, scope: Scope, today: dt.date) -> list[Projection]:
    """An estimate of each current account's next bill, if its tariff can be priced."""
    if not (can(scope, Permission.VIEW_BILLS) and can(scope, Permission.VIEW_USAGE)):
        return []
    accounts = session.scalars(
        visible_accounts(scope, current_only=True)
        .where(ServiceAccount.status == AccountStatus.ACTIVE)
        .order_by(ServiceAccount.account_number)
        .limit(MAX_PROJECTED)
    ).all()
    found = [_projection(session, scope, account, today) for account in accounts]
    return [p for p in found if p is not None]


def _projection(
    session: Session, scope: Scope, account: ServiceAccount, today: dt.date
) -> Projection | None:
    try:
        tariff = load_tariff(account.tariff_code)
    except BillingError:  # a tariff we do not ship: no estimate rather than a wrong one
        return None
    if any(version.demand for version in tariff.versions):
        return None  # scaling energy would also scale the peak: not estimated for demand tariffs
    meters = session.scalars(
        visible_meters(scope).where(Meter.premise_id == account.premise_id)
    ).all()
    through = session.scalar(
        visible_daily_usage(scope)
        .where(DailyUsage.meter_id.in_([m.id for m in meters]), DailyUsage.local_date <= today)
        .with_only_columns(func.max(DailyUsage.local_date))
    )
    if through is None:
        return None
    last_bill = session.scalar(
        visible_bills(scope)
        .where(Bill.account_id == account.id)
        .with_only_columns(func.max(Bill.period_end))
    )
    first = last_bill + dt.timedelta(days=1) if last_bill else through.replace(day=1)
    first = max(first, account.start_date)
    if through < first:
        return None
    length = account.billing_cycle_days if last_bill else _month_days(first)
    last = first + dt.timedelta(days=length - 1)
    premise = session.scalars(select(Premise).where(Premise.id == account.premise_id)).one()
    readings = load_readings(
        session, [m.id for m in meters], Period(first, through), premise.timezone
    )
    scale = length / ((through - first).days + 1)
    try:
        bill = calculate(tariff, _scaled(readings, scale), first, last, premise.timezone)
    except BillingError:
        return None
    return Projection(
        account.account_number,
        premise.name or premise.address_line,
        first,
        last,
        through,
        bill.total_cents,
        bill.currency,
    )


def _scaled(readings: Readings, scale: float) -> Readings:
    """The readings so far, each scaled so that together they cover the whole period."""
    return Readings.of(
        readings.start_ts,
        np.rint(readings.delivered_mwh * scale).astype(np.int64),
        np.rint(readings.received_mwh * scale).astype(np.int64),
        readings.duration_s,
    )


def _month_days(first: dt.date) -> int:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - first.replace(day=1)).days - first.day + 1


def latest_alerts(session: Session, scope: Scope, limit: int = 3) -> Sequence[Interaction]:
    """The newest alerts and notifications of the customer (a site manager: his sites only)."""
    if not can(scope, Permission.VIEW_SITES) or scope.customer_id is None:
        return []
    statement = select(Interaction).where(
        Interaction.customer_id == scope.customer_id, Interaction.kind.in_(ALERT_KINDS)
    )
    if scope.site_ids is not None:
        statement = statement.where(Interaction.premise_id.in_(sorted(scope.site_ids)))
    return session.scalars(statement.order_by(Interaction.opened_at.desc()).limit(limit)).all()


def usage_links(session: Session, scope: Scope, limit: int = 6) -> list[tuple[int, str]]:
    """``(meter id, place)`` for a direct link into the usage dashboard per meter."""
    if not can(scope, Permission.VIEW_USAGE):
        return []
    rows = session.execute(
        visible_meters(scope)
        .join(Premise, Premise.id == Meter.premise_id)
        .with_only_columns(Meter.id, Premise.name, Premise.address_line, Meter.serial)
        .order_by(func.coalesce(Premise.name, Premise.address_line))
        .limit(limit)
    ).all()
    return [(row.id, row.name or row.address_line) for row in rows]
