"""Rows and page helpers for the sign-up, reset and password-change tests.

Each test builds its own customer, premise, account and bills, so the tests do
not depend on the demo data or on each other.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from customer_model import (
    Bill,
    BillStatus,
    Customer,
    CustomerKind,
    CustomerType,
    DwellingType,
    HeatingType,
    OutboundMessage,
    PortalUser,
    Premise,
    ServiceAccount,
)
from tests.auth_helpers import csrf_token

STRONG_PASSWORD = "lantern orbit meadow 42"
LATEST_BILL_CENTS = 12345
OLDER_BILL_CENTS = 9876
DRAFT_BILL_CENTS = 55555
_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


@dataclass(frozen=True)
class Account:
    """The facts a customer reads off their bill."""

    number: str
    postal_code: str
    last_bill: str
    customer_id: int


def make_account(
    db: Session,
    *,
    kind: CustomerKind = CustomerKind.PERSON,
    postal_code: str = "K1S 0S2",
) -> Account:
    """A customer with one account, an older bill, the latest bill and a newer draft."""
    number = str(secrets.randbelow(9 * 10**10) + 10**10)  # 11 digits
    customer = Customer(
        customer_number=f"T{secrets.token_hex(4)}",
        kind=kind,
        customer_type=(
            CustomerType.RESIDENTIAL if kind is CustomerKind.PERSON else CustomerType.COMMERCIAL
        ),
        display_name="Signup Test",
    )
    premise = Premise(
        address_line="1 Test Street",
        city="Ottawa",
        region="ON",
        postal_code=postal_code,
        dwelling_type=DwellingType.DETACHED,
        heating_type=HeatingType.GAS,
        climate_region="ottawa",
    )
    account = ServiceAccount(
        account_number=number,
        customer=customer,
        premise=premise,
        start_date=dt.date(2020, 1, 1),
        tariff_code="ON-TOU",
    )
    db.add_all([customer, premise, account])
    for start, cents, status in (
        (dt.date(2026, 8, 1), OLDER_BILL_CENTS, BillStatus.PAID),
        (dt.date(2026, 9, 1), LATEST_BILL_CENTS, BillStatus.ISSUED),
        (dt.date(2026, 10, 1), DRAFT_BILL_CENTS, BillStatus.DRAFT),
    ):
        db.add(
            Bill(
                account=account,
                period_start=start,
                period_end=start + dt.timedelta(days=29),
                issue_date=start + dt.timedelta(days=32),
                due_date=start + dt.timedelta(days=53),
                status=status,
                tariff_code="ON-TOU",
                subtotal_cents=cents,
                taxes_cents=0,
                total_cents=cents,
            )
        )
    db.commit()
    return Account(number, postal_code, f"{LATEST_BILL_CENTS / 100:.2f}", customer.id)


def fresh_email() -> str:
    return f"new-{secrets.token_hex(4)}@test.example"


def signup_data(account: Account, email: str, **changes: str) -> dict[str, str]:
    data = {
        "account_number": account.number,
        "postal_code": account.postal_code,
        "bill_amount": account.last_bill,
        "email": email,
        "password": STRONG_PASSWORD,
        "confirm": STRONG_PASSWORD,
    }
    data.update(changes)
    return data


def post_form(client, path: str, data: dict[str, str], form_path: str | None = None):
    """Fetch the form page for its CSRF token, then post ``data`` with it."""
    page = client.get(form_path or path)
    assert page.status_code == 200, page.status_code
    return client.post(path, data={**data, "csrf_token": csrf_token(page.get_data(True))})


def without_csrf(html: str) -> str:
    return _CSRF_VALUE.sub(r"\1…\2", html)


def outbox(db: Session, email: str) -> list[OutboundMessage]:
    return list(
        db.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.recipient == email)
            .order_by(OutboundMessage.id)
        )
    )


def link_token(message: OutboundMessage, path: str) -> str:
    """The token of the ``/auth/<path>/<token>`` link in a mail."""
    match = re.search(rf"https?://[^\s/]+/auth/{path}/([A-Za-z0-9_.\-]+)", message.body)
    assert match, message.body
    return match.group(1)


def user_by_email(db: Session, email: str) -> PortalUser | None:
    db.expire_all()
    return db.scalar(select(PortalUser).where(PortalUser.email == email))
