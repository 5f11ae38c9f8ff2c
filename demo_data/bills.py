"""Demo bills: every demo account billed monthly by the real calculator.

For each service account, one bill per local calendar month lying wholly inside
the demo window (the window's last full months), computed by
:func:`billing.calculate.calculate` from the account's own readings — the arrays
the generator already holds, so nothing is read back — and written with two
bulk inserts (bills, then their lines). The stored bill is what
:func:`billing.services.issue_bill` would store for the same period: same
tariff, same readings, same rounding, issued the day after the period, due
:data:`billing.services.DUE_AFTER_DAYS` later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select

from billing.calculate import Readings, calculate
from billing.services import DUE_AFTER_DAYS
from billing.tariff_schema import load_tariff
from customer_model import Bill, BillLine, BillStatus, LineKind, Meter, ServiceAccount
from meter_data import local_day_start

from .generator import DemoData
from .window import INTERVAL_S, Window


def full_months(window: Window) -> list[tuple[dt.date, dt.date]]:
    """``(first, last)`` of each calendar month wholly inside ``[start, end)``."""
    months = []
    first = window.start if window.start.day == 1 else _next_month(window.start)
    while (following := _next_month(first)) <= window.end:
        months.append((first, following - dt.timedelta(days=1)))
        first = following
    return months


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def generate_bills(connection: Connection, data: DemoData, meter_ids: dict[str, int]) -> int:
    """Bill every demo account for each full month of the window; returns the bill count."""
    by_meter_id = {meter_ids[meter.premise.key]: meter for meter in data.meters}
    accounts = connection.execute(
        select(Meter.id, ServiceAccount.id, ServiceAccount.tariff_code, ServiceAccount.currency)
        .join(ServiceAccount, ServiceAccount.premise_id == Meter.premise_id)
        .where(Meter.id.in_(list(by_meter_id)))
        .order_by(ServiceAccount.id)
    ).all()
    months = full_months(data.window)
    if not months:
        return 0
    bills: list[dict[str, Any]] = []
    lines: list[list[dict[str, Any]]] = []
    for meter_id, account_id, tariff_code, currency in accounts:
        meter = by_meter_id[meter_id]
        tariff = load_tariff(tariff_code)
        tz = meter.premise.tz
        edges = np.searchsorted(
            meter.start_ts,
            [local_day_start(first, tz) for first, _ in months]
            + [local_day_start(months[-1][1] + dt.timedelta(days=1), tz)],
        )
        for (first, last), lo, hi in zip(months, edges[:-1], edges[1:], strict=True):
            readings = Readings.of(
                meter.start_ts[lo:hi],
                meter.delivered_mwh[lo:hi],
                meter.received_mwh[lo:hi],
                INTERVAL_S,
            )
            computed = calculate(tariff, readings, first, last, tz)
            if computed.currency != currency:
                raise ValueError(f"{tariff_code} bills in {computed.currency}, not {currency}")
            issued = last + dt.timedelta(days=1)
            bills.append(
                {
                    "account_id": account_id,
                    "period_start": first,
                    "period_end": last,
                    "issue_date": issued,
                    "due_date": issued + dt.timedelta(days=DUE_AFTER_DAYS),
                    "status": BillStatus.ISSUED,
                    "tariff_code": tariff.id,
                    "currency": computed.currency,
                    "kwh_delivered": computed.kwh_delivered,
                    "kwh_received": computed.kwh_received,
                    "subtotal_cents": computed.subtotal_cents,
                    "taxes_cents": computed.taxes_cents,
                    "total_cents": computed.total_cents,
                }
            )
            lines.append(
                [
                    {
                        "position": position,
                        "kind": LineKind(line.kind),
                        "period": line.period,
                        "description": line.description[:200],
                        "quantity": line.quantity,
                        "unit": line.unit,
                        "unit_price": line.unit_price,
                        "amount_cents": line.amount_cents,
                    }
                    for position, line in enumerate(computed.lines, start=1)
                ]
            )
    if not bills:
        return 0
    ids = connection.execute(
        insert(Bill.__table__).returning(Bill.__table__.c.id, sort_by_parameter_order=True),
        bills,
    ).scalars()
    rows = [
        {"bill_id": bill_id, **line}
        for bill_id, bill_lines in zip(ids, lines, strict=True)
        for line in bill_lines
    ]
    connection.execute(insert(BillLine.__table__), rows)
    return len(bills)
