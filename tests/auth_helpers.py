"""Signing in through the real forms (CSRF token, password, then TOTP) in tests."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from auth import passwords, secret_box, totp
from auth.demo import demo_totp_secret
from customer_model import (
    Customer,
    CustomerKind,
    CustomerType,
    PortalUser,
    Role,
    utcnow,
)
from demo_data.users import demo_password

TEST_SECRET_KEY = "test-secret-key-not-for-production"
_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1) or match.group(2)


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """The TOTP code ``steps_ahead`` 30-second steps from now (drift allows +1)."""
    return totp.current_code(
        secret, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30 * steps_ahead)
    )


@dataclass
class Credentials:
    email: str
    password: str
    totp_secret: str
    user_id: int | None = None


def demo_credentials(email: str, seed: int) -> Credentials:
    return Credentials(email, demo_password(seed, email), demo_totp_secret(seed, email))


def submit_password(client, email: str, password: str, next_url: str | None = None):
    page = client.get("/auth/login")
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url,
        data={"email": email, "password": password, "csrf_token": csrf_token(page.get_data(True))},
    )


def submit_code(client, code: str, path: str = "/auth/mfa"):
    page = client.get(path)
    return client.post(path, data={"code": code, "csrf_token": csrf_token(page.get_data(True))})


def sign_in(client, creds: Credentials, steps_ahead: int = 0, next_url: str | None = None):
    """Password then TOTP through the real forms; returns the final response.

    Use ``steps_ahead=1`` for a second sign-in of the same user within one
    30-second step, since each code is accepted only once.
    """
    first = submit_password(client, creds.email, creds.password, next_url)
    assert first.status_code == 302, first.get_data(True)[:500]
    assert first.headers["Location"].endswith("/auth/mfa")
    second = submit_code(client, code_at(creds.totp_secret, steps_ahead))
    assert second.status_code == 302, second.get_data(True)[:500]
    return second


def make_user(
    db: Session,
    role: Role = Role.CUSTOMER,
    customer: Customer | None = None,
    enrolled: bool = True,
    verified: bool = True,
    email: str | None = None,
) -> Credentials:
    """A user with a strong random password (and an authenticator unless told not)."""
    if customer is None and role is not Role.AGENT:
        customer = Customer(
            customer_number=f"T{secrets.token_hex(4)}",
            kind=CustomerKind.PERSON,
            customer_type=CustomerType.RESIDENTIAL,
            display_name="Test Customer",
        )
        db.add(customer)
    email = email or f"user-{secrets.token_hex(4)}@test.example"
    password = "correct horse " + secrets.token_hex(4)
    secret = totp.new_secret()
    user = PortalUser(
        email=email,
        password_hash=passwords.hash_password(password),
        role=role,
        customer=customer,
        email_verified_at=utcnow() if verified else None,
        totp_secret_encrypted=secret_box.encrypt(TEST_SECRET_KEY, secret) if enrolled else None,
        totp_enrolled_at=utcnow() if enrolled else None,
    )
    db.add(user)
    db.commit()
    return Credentials(email, password, secret, user.id)
