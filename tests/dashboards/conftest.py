"""Demo users signed in to the Dash app, and the rows the dashboard tests compare with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from customer_model import DailyUsage, Meter, PortalUser, Premise, Scope, visible_meters
from tests.auth_helpers import demo_credentials, sign_in
from tests.conftest import DEMO_SEED
from tests.dashboards.dash_client import DashClient

TREMBLAY = "genevieve.tremblay@example.com"
OKAFOR = "daniel.okafor@example.net"
MACLEOD = "sarah.macleod@example.org"
HADDAD = "mariam.haddad@example.com"
OLIVIA = "olivia.chen@lakeshore.example.com"
RAJ = "raj.patel@lakeshore.example.com"
LUC = "luc.bouchard@lakeshore.example.com"
LAST_DAY = dt.date(2026, 10, 31)
"""The demo's last local day with readings (``DEMO_END`` is exclusive)."""


@pytest.fixture
def dash_as(app, db_session, demo) -> Callable[[str], DashClient]:
    """``dash_as(email)``: a browser signed in as that demo user, on the usage page."""
    steps: dict[str, int] = {}

    def sign(email: str) -> DashClient:
        client = app.test_client()
        step = steps.get(email, 0)  # each TOTP code is accepted once: next step for a 2nd browser
        sign_in(client, demo_credentials(email, DEMO_SEED), steps_ahead=step)
        steps[email] = step + 1
        return DashClient(client)

    return sign


def scope_of(db: Session, email: str) -> Scope:
    return Scope.for_user(db, db.scalars(select(PortalUser).where(PortalUser.email == email)).one())


def meters_of(db: Session, email: str) -> list[Meter]:
    return list(db.scalars(visible_meters(scope_of(db, email)).order_by(Meter.id)))


def meter_named(db: Session, name: str) -> Meter:
    return db.scalars(
        select(Meter).join(Premise).where(func.coalesce(Premise.name, Premise.address_line) == name)
    ).one()


def rollup_mwh(db: Session, meter_id: int, first: dt.date, last: dt.date) -> tuple[int, int]:
    """Delivered and received mWh of ``daily_usage`` over local days ``first`` .. ``last``."""
    row = db.execute(
        select(
            func.coalesce(func.sum(DailyUsage.delivered_mwh), 0),
            func.coalesce(func.sum(DailyUsage.received_mwh), 0),
        ).where(DailyUsage.meter_id == meter_id, DailyUsage.local_date.between(first, last))
    ).one()
    return int(row[0]), int(row[1])


def usage_values(
    meter: object,
    kind: str = "month",
    *,
    anchor: str | None = None,
    start: str | None = None,
    end: str | None = None,
    resolution: str | None = None,
    overlays: list[str] | None = None,
) -> dict[str, object]:
    """What the usage page's controls hold, as ``"id.property"`` values."""
    return {
        "usage-meter.value": meter,
        "usage-range.value": kind,
        "usage-anchor.value": anchor,
        "usage-from.value": start,
        "usage-to.value": end,
        "usage-resolution.value": resolution,
        "usage-overlays.value": overlays or [],
    }
