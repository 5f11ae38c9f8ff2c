"""Demo bills: every account billed monthly by the calculator, from its own readings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from billing.calculate import Period
from billing.services import bill_for_meter
from customer_model import Bill, BillLine, ServiceAccount
from demo_data.bills import full_months
from demo_data.window import Window
from tests.conftest import DEMO_END

MONTHS = full_months(Window.ending(DEMO_END))


@pytest.fixture
def session(engine: Engine, demo) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
        session.rollback()


def test_full_months_are_the_window_calendar_months():
    assert MONTHS[0] == (dt.date(2024, 11, 1), dt.date(2024, 11, 30))
    assert MONTHS[-1] == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert len(MONTHS) == 24
    assert full_months(Window(dt.date(2025, 1, 15), dt.date(2025, 3, 31))) == [
        (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    ]


def test_every_demo_account_has_a_bill_for_each_full_month(session, demo):
    assert demo["bills"] > 0
    counts = dict(
        session.execute(
            select(ServiceAccount.id, func.count(Bill.id))
            .outerjoin(Bill, Bill.account_id == ServiceAccount.id)
            .group_by(ServiceAccount.id)
        ).all()
    )
    generated = {
        account.id
        for account in session.scalars(select(ServiceAccount))
        if any(meter.serial in demo["meter_totals"] for meter in account.premise.meters)
    }
    assert generated
    assert {counts[account_id] for account_id in generated} == {len(MONTHS)}
    assert session.scalar(select(func.count(Bill.id))) == demo["bills"]
    starts = set(session.scalars(select(Bill.period_start).distinct()))
    assert starts == {first for first, _ in MONTHS}


def test_bills_add_up_and_large_sites_pay_demand(session):
    for bill in session.scalars(select(Bill).limit(60)):
        assert bill.total_cents == bill.subtotal_cents + bill.taxes_cents
        assert sum(line.amount_cents for line in bill.lines) == bill.total_cents
    demand_tariffs = set(
        session.scalars(
            select(Bill.tariff_code).join(BillLine).where(BillLine.kind == "demand").distinct()
        )
    )
    assert demand_tariffs == {"example-demand-business"}


@pytest.mark.parametrize("tariff", ["hydro-quebec-d", "ontario-rpp-tou", "example-demand-business"])
def test_a_stored_bill_equals_a_fresh_compute_bill(session, tariff):
    bill = session.scalars(
        select(Bill).where(Bill.tariff_code == tariff).order_by(Bill.id.desc()).limit(1)
    ).one()
    meter = bill.account.premise.meters[0]
    fresh = bill_for_meter(
        session, meter.serial, tariff, Period(bill.period_start, bill.period_end)
    )
    assert fresh.total_cents == bill.total_cents
    assert [line.amount_cents for line in fresh.lines] == [line.amount_cents for line in bill.lines]
    assert fresh.kwh_delivered == bill.kwh_delivered
