"""Signed-in test clients for the demo users, and ids of their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from customer_model import (
    Bill,
    BillLine,
    LineKind,
    PortalUser,
    Scope,
    ServiceAccount,
    visible_accounts,
)
from tests.auth_helpers import demo_credentials, sign_in
from tests.conftest import DEMO_SEED

TREMBLAY = "genevieve.tremblay@example.com"
OKAFOR = "daniel.okafor@example.net"
MACLEOD = "sarah.macleod@example.org"
OLIVIA = "olivia.chen@lakeshore.example.com"
RAJ = "raj.patel@lakeshore.example.com"
EMMA = "emma.wilson@lakeshore.example.com"
LUC = "luc.bouchard@lakeshore.example.com"
AGENT = "agent@utility.example.com"


@pytest.fixture
def signed_in(app, db_session, demo) -> Callable[[str], FlaskClient]:
    """``signed_in(email)``: a new browser signed in as that demo user (password + TOTP)."""
    times: dict[str, int] = {}

    def sign(email: str) -> FlaskClient:
        client = app.test_client()
        steps = times.get(email, 0)  # a TOTP code is accepted once: next step for a 2nd browser
        sign_in(client, demo_credentials(email, DEMO_SEED), steps_ahead=steps)
        times[email] = steps + 1
        return client

    return sign


def scope_of(db: Session, email: str) -> Scope:
    return Scope.for_user(db, db.scalars(select(PortalUser).where(PortalUser.email == email)).one())


def accounts_of(db: Session, email: str) -> list[ServiceAccount]:
    statement = visible_accounts(scope_of(db, email)).order_by(ServiceAccount.id)
    return list(db.scalars(statement))


def add_bill(db: Session, account: ServiceAccount, start: dt.date = dt.date(2026, 11, 1)) -> int:
    """A committed two-line bill after the demo's billed months; returns its id."""
    bill = Bill(
        account_id=account.id,
        period_start=start,
        period_end=start + dt.timedelta(days=29),
        issue_date=start + dt.timedelta(days=32),
        due_date=start + dt.timedelta(days=53),
        tariff_code=account.tariff_code,
        kwh_delivered=Decimal("812.500000"),
        subtotal_cents=10_245,
        taxes_cents=1_332,
        total_cents=11_577,
        lines=[
            BillLine(
                position=1,
                kind=LineKind.FIXED,
                description="Delivery charge",
                quantity=Decimal("30"),
                unit="day",
                unit_price=Decimal("0.4500"),
                amount_cents=1_350,
            ),
            BillLine(
                position=2,
                kind=LineKind.ENERGY,
                description="Electricity",
                quantity=Decimal("812.5"),
                unit="kWh",
                unit_price=Decimal("0.1095"),
                amount_cents=8_895,
            ),
        ],
    )
    db.add(bill)
    db.commit()
    return bill.id
