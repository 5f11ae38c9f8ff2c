"""Read models for the portal pages, every query built on the user's :class:`Scope`.

Nothing here looks a row up by id without the scope: single rows come from
``auth.scoping.get_or_404`` in the views, lists from the ``visible_*`` statements.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from customer_model import (
    MWH_PER_KWH,
    BehindMeterAsset,
    Bill,
    DailyUsage,
    Meter,
    Premise,
    Scope,
    ServiceAccount,
    visible_accounts,
    visible_bills,
    visible_daily_usage,
    visible_meters,
    visible_premises,
)

RECENT_DAYS = 7


def kwh(mwh: int) -> Decimal:
    """Integer milliwatt-hours as exact kWh."""
    return Decimal(mwh) / MWH_PER_KWH


def accounts(session: Session, scope: Scope) -> Sequence[ServiceAccount]:
    """The user's accounts with their premises, current ones first."""
    return session.scalars(
        visible_accounts(scope)
        .options(selectinload(ServiceAccount.premise))
        .order_by(ServiceAccount.end_date.is_not(None), ServiceAccount.account_number)
    ).all()


def bills(session: Session, scope: Scope, account: ServiceAccount | None = None) -> Sequence[Bill]:
    """The user's bills (optionally of one already-visible account), newest first."""
    statement = visible_bills(scope).options(
        selectinload(Bill.account).selectinload(ServiceAccount.premise)
    )
    if account is not None:
        statement = statement.where(Bill.account_id == account.id)
    return session.scalars(statement.order_by(Bill.period_start.desc(), Bill.id.desc())).all()


def meters_at(session: Session, scope: Scope, premise: Premise) -> Sequence[Meter]:
    return session.scalars(
        visible_meters(scope).where(Meter.premise_id == premise.id).order_by(Meter.serial)
    ).all()


def accounts_at(session: Session, scope: Scope, premise: Premise) -> Sequence[ServiceAccount]:
    return session.scalars(
        visible_accounts(scope)
        .where(ServiceAccount.premise_id == premise.id)
        .order_by(ServiceAccount.start_date)
    ).all()


def currently_held(session: Session, scope: Scope, premise: Premise) -> bool:
    """True when the user holds ``premise`` through a pending or active account."""
    statement = visible_premises(scope, current_only=True).where(Premise.id == premise.id)
    return session.scalars(statement).first() is not None


def assets_at(session: Session, scope: Scope, premise: Premise) -> Sequence[BehindMeterAsset]:
    """Behind-the-meter assets, only for a premise the user holds now.

    Assets belong to whoever lives there today: someone who moved out must not
    see the next occupant's EV or battery.
    """
    if not currently_held(session, scope, premise):
        return []
    return session.scalars(
        select(BehindMeterAsset)
        .where(BehindMeterAsset.premise_id == premise.id)
        .order_by(BehindMeterAsset.kind, BehindMeterAsset.id)
    ).all()


@dataclasses.dataclass(frozen=True)
class DayUsage:
    day: dt.date
    delivered_kwh: Decimal | None
    """``None`` when there is no rollup for the day (no readings, or not the user's day)."""
    received_kwh: Decimal | None
    estimated_intervals: int = 0


def recent_usage(
    session: Session, scope: Scope, meter: Meter, days: int = RECENT_DAYS
) -> list[DayUsage]:
    """The ``days`` local days ending on the meter's latest day the user may see.

    Ends on the latest rollup rather than on today, so a meter whose data stops
    (removed, or readings not yet imported) still shows its last week; days
    without a row appear with ``None``.
    """
    visible = visible_daily_usage(scope).where(DailyUsage.meter_id == meter.id)
    last = session.scalars(visible.order_by(DailyUsage.local_date.desc()).limit(1)).first()
    if last is None:
        return []
    first_day = last.local_date - dt.timedelta(days=days - 1)
    rows = {
        row.local_date: row
        for row in session.scalars(visible.where(DailyUsage.local_date >= first_day))
    }
    result = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        row = rows.get(day)
        if row is None:
            result.append(DayUsage(day, None, None))
        else:
            result.append(
                DayUsage(day, kwh(row.delivered_mwh), kwh(row.received_mwh), row.estimated_count)
            )
    return result
