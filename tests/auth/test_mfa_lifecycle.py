"""Enrolment, recovery codes, re-authentication for changes, throttling and lockout."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from auth import throttle
from customer_model import PortalUser, RecoveryCode, SecurityEvent
from tests.auth_helpers import (
    code_at,
    csrf_token,
    make_user,
    sign_in,
    submit_code,
    submit_password,
)

SECRET_IN_PAGE = re.compile(r'<code class="secret">([A-Z2-7]+)</code>')


def _enrol(client, creds):
    """Sign in a user without an authenticator and complete enrolment."""
    first = submit_password(client, creds.email, creds.password)
    assert first.headers["Location"].endswith("/auth/mfa/setup")
    page = client.get("/auth/mfa/setup").get_data(True)
    secret = SECRET_IN_PAGE.search(page).group(1)
    return page, secret


def test_enrolment_shows_a_local_qr_code_and_the_secret_once(client, db_session):
    creds = make_user(db_session, enrolled=False)
    page, secret = _enrol(client, creds)
    assert "<svg" in page
    assert "otpauth" not in page.split("<svg")[0]  # no external QR service
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    # a wrong code does not complete enrolment
    bad = client.post("/auth/mfa/setup", data={"code": "000000", "csrf_token": csrf_token(page)})
    assert bad.status_code == 401
    assert db_session.get(PortalUser, creds.user_id).totp_secret_encrypted is None
    done = client.post(
        "/auth/mfa/setup", data={"code": code_at(secret), "csrf_token": csrf_token(page)}
    )
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f-]{19})</code>", done.get_data(True))
    assert len(codes) == 10
    user = db_session.get(PortalUser, creds.user_id)
    assert user.totp_secret_encrypted
    assert secret not in user.totp_secret_encrypted
    stored = db_session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    assert all(h.startswith("$argon2id$") for h in stored)
    # signed in now, and the secret never appears again
    security = client.get("/auth/security").get_data(True)
    assert secret not in security
    assert client.get("/").status_code == 200


def test_the_enrolment_secret_is_not_readable_from_the_cookie(client, db_session):
    import base64
    import zlib

    creds = make_user(db_session, enrolled=False)
    _, secret = _enrol(client, creds)
    raw = client.get_cookie("portal_session").value
    payload = raw.split(".")[1] if not raw.startswith(".") else raw.split(".")[1]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if raw.startswith("."):
        data = zlib.decompress(data)
    assert secret.encode() not in data
    assert creds.password.encode() not in data


def test_a_recovery_code_works_once(app, db_session):
    creds = make_user(db_session, enrolled=False)
    client = app.test_client()
    page, secret = _enrol(client, creds)
    done = client.post(
        "/auth/mfa/setup", data={"code": code_at(secret), "csrf_token": csrf_token(page)}
    )
    code = re.findall(r"<code>([0-9a-f-]{19})</code>", done.get_data(True))[0]
    for attempt, expected in ((1, 302), (2, 401)):
        browser = app.test_client()
        submit_password(browser, creds.email, creds.password)
        response = submit_code(browser, code.upper().replace("-", " "), "/auth/mfa/recovery")
        assert response.status_code == expected, attempt
    events = db_session.scalars(
        select(SecurityEvent.event).where(SecurityEvent.user_id == creds.user_id)
    ).all()
    assert "recovery_code_used" in events


def _reauth_post(client, path, creds, code):
    page = client.get("/auth/security").get_data(True)
    return client.post(
        path, data={"password": creds.password, "code": code, "csrf_token": csrf_token(page)}
    )


def test_regenerating_recovery_codes_needs_password_and_code(client, db_session):
    creds = make_user(db_session)
    sign_in(client, creds)
    refused = _reauth_post(client, "/auth/security/recovery-codes", creds, "123456")
    assert refused.status_code == 303
    assert db_session.scalars(select(RecoveryCode)).all() == []
    ok = _reauth_post(client, "/auth/security/recovery-codes", creds, code_at(creds.totp_secret, 1))
    codes = re.findall(r"<code>([0-9a-f-]{19})</code>", ok.get_data(True))
    assert len(codes) == 10
    old = codes[0]
    again = _reauth_post(
        client, "/auth/security/recovery-codes", creds, code_at(creds.totp_secret, -1)
    )
    assert again.status_code == 303  # -1 is older than the step already used: refused
    assert len(db_session.scalars(select(RecoveryCode)).all()) == 10
    assert old  # first set still stands


def test_removing_the_authenticator_needs_both_and_forces_re_enrolment(app, db_session):
    creds = make_user(db_session)
    client = app.test_client()
    sign_in(client, creds)
    wrong = client.post(
        "/auth/security/authenticator/remove",
        data={
            "password": "wrong",
            "code": code_at(creds.totp_secret, 1),
            "csrf_token": csrf_token(client.get("/auth/security").get_data(True)),
        },
    )
    assert wrong.status_code == 303
    assert db_session.get(PortalUser, creds.user_id).totp_secret_encrypted is not None
    removed = _reauth_post(
        client, "/auth/security/authenticator/remove", creds, code_at(creds.totp_secret, 1)
    )
    assert removed.headers["Location"].endswith("/auth/login")
    assert db_session.get(PortalUser, creds.user_id).totp_secret_encrypted is None
    assert client.get("/").status_code == 302  # signed out
    fresh = app.test_client()
    again = submit_password(fresh, creds.email, creds.password)
    assert again.headers["Location"].endswith("/auth/mfa/setup")


def test_sixth_rapid_wrong_password_is_throttled(client, db_session):
    creds = make_user(db_session)
    statuses = [submit_password(client, creds.email, f"wrong-{i}").status_code for i in range(6)]
    assert statuses == [401] * 5 + [429]


def test_rapid_wrong_passwords_for_many_accounts_from_one_ip_are_throttled(client):
    statuses = [
        submit_password(client, f"nobody{i}@nowhere.example", "whatever-it-is").status_code
        for i in range(6)
    ]
    assert statuses[-1] == 429


def test_sixth_rapid_wrong_code_is_throttled(client, db_session):
    creds = make_user(db_session)
    submit_password(client, creds.email, creds.password)
    statuses = [submit_code(client, f"{i:06d}").status_code for i in range(6)]
    assert statuses == [401] * 5 + [429]


def test_account_locks_after_ten_failures_even_for_the_right_password(
    client, db_session, monkeypatch
):
    monkeypatch.setattr("web.security.limiter.enabled", False)  # lockout, not throttling
    creds = make_user(db_session)
    for i in range(throttle.LOCK_AFTER):
        submit_password(client, creds.email, f"wrong-{i}")
    locked = submit_password(client, creds.email, creds.password)
    assert locked.status_code == 423
    assert "sign-in is paused" in locked.get_data(True)
    events = db_session.scalars(
        select(SecurityEvent.event).where(SecurityEvent.user_id == creds.user_id)
    ).all()
    assert "lockout" in events
    # the same message for an address with no account
    for i in range(throttle.LOCK_AFTER):
        submit_password(client, "ghost@nowhere.example", f"wrong-{i}")
    ghost = submit_password(client, "ghost@nowhere.example", "whatever")
    assert ghost.status_code == 423
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", ghost.get_data(True)) == strip.sub("", locked.get_data(True))


def test_lock_also_blocks_the_second_factor(client, db_session):
    creds = make_user(db_session)
    submit_password(client, creds.email, creds.password)
    user = db_session.get(PortalUser, creds.user_id)
    user.failed_attempts = throttle.LOCK_AFTER - 1
    db_session.commit()
    submit_code(client, "000000")
    assert submit_code(client, code_at(creds.totp_secret)).status_code == 401
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_rejected(client, db_session):
    creds = make_user(db_session)
    response = client.post("/auth/login", data={"email": creds.email, "password": creds.password})
    assert response.status_code == 400
    assert client.get("/auth/mfa").status_code == 302  # nothing started


def test_no_password_code_or_secret_reaches_the_logs(app, db_session, caplog):
    caplog.set_level("DEBUG")
    creds = make_user(db_session, enrolled=False)
    client = app.test_client()
    submit_password(client, creds.email, "a wrong password value")
    page, secret = _enrol(client, creds)
    code = code_at(secret)
    done = client.post("/auth/mfa/setup", data={"code": code, "csrf_token": csrf_token(page)})
    recovery = re.findall(r"<code>([0-9a-f-]{19})</code>", done.get_data(True))
    logged = caplog.text
    for secret_value in [creds.password, "a wrong password value", secret, code, *recovery]:
        assert secret_value not in logged
    assert "security event" in logged  # the log was captured at all


@pytest.mark.usefixtures("demo")
def test_demo_users_sign_in_with_demo_otp(app, db_session):
    from auth.demo import current_demo_code
    from tests.auth_helpers import TEST_SECRET_KEY, demo_credentials
    from tests.conftest import DEMO_SEED

    email = "daniel.okafor@example.net"
    creds = demo_credentials(email, DEMO_SEED)
    assert current_demo_code(db_session, email, TEST_SECRET_KEY) == code_at(creds.totp_secret)
    client = app.test_client()
    sign_in(client, creds)
    assert client.get("/").status_code == 200


def test_demo_otp_refuses_a_database_that_is_not_a_demo(tmp_path):
    from app import create_app
    from customer_model import schema

    other = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'real.db'}", "DASHBOARDS_ENABLED": False}
    )
    schema.upgrade(other.extensions["db_engine"])
    result = other.test_cli_runner().invoke(args=["demo-otp", "agent@utility.example.com"])
    assert result.exit_code != 0
    assert "not a demo database" in result.output
    other.extensions["db_engine"].dispose()


@pytest.mark.usefixtures("demo")
def test_demo_otp_prints_the_current_code(app):
    from tests.auth_helpers import demo_credentials
    from tests.conftest import DEMO_SEED

    email = "olivia.chen@lakeshore.example.com"
    result = app.test_cli_runner().invoke(args=["demo-otp", email])
    assert result.exit_code == 0, result.output
    secret = demo_credentials(email, DEMO_SEED).totp_secret
    assert result.output.strip() in {code_at(secret), code_at(secret, 1)}
