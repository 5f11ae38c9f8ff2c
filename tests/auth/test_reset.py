"""Forgotten passwords: the same answer for every address, single-use links, no sign-in."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from auth import passwords, tokens
from customer_model import PortalUser, RedeemedToken, SecurityEvent, UserSession
from tests.auth.account_helpers import (
    STRONG_PASSWORD,
    link_token,
    outbox,
    post_form,
    user_by_email,
)
from tests.auth_helpers import (
    TEST_SECRET_KEY,
    csrf_token,
    make_user,
    sign_in,
    submit_password,
)

NEW_PASSWORD = "copper kettle winter 77"


@pytest.fixture
def creds(db_session):
    return make_user(db_session)


def _request(client, email: str, **environ):
    page = client.get("/auth/reset")
    return client.post(
        "/auth/reset",
        data={"email": email, "csrf_token": csrf_token(page.get_data(True))},
        environ_base=environ,
    )


def _reset_link(client, db_session, email: str) -> str:
    assert _request(client, email).status_code == 302
    return f"/auth/reset/{link_token(outbox(db_session, email)[-1], 'reset')}"


def _choose(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return post_form(client, link, {"password": password, "confirm": confirm or password})


def _events(db_session, user_id: int) -> list[str]:
    return db_session.scalars(
        select(SecurityEvent.event).where(SecurityEvent.user_id == user_id)
    ).all()


def test_the_request_page_is_labelled_for_password_managers(client):
    page = client.get("/auth/reset").get_data(True)
    assert '<label for="email">' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="off"' not in page


def test_known_and_unknown_addresses_get_the_same_answer(client, db_session, creds):
    known = _request(client, creds.email)
    unknown = _request(client, "nobody-here@test.example")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/auth/reset/sent"
    assert known.get_data() == unknown.get_data()
    page = client.get("/auth/reset/sent").get_data(True)
    assert "If an account uses that address, we have sent a link" in page
    assert len(outbox(db_session, creds.email)) == 1
    assert outbox(db_session, "nobody-here@test.example") == []
    assert "password_reset_requested" in _events(db_session, creds.user_id)


def test_the_address_is_matched_whatever_its_case(client, db_session, creds):
    _request(client, "  " + creds.email.upper())
    assert len(outbox(db_session, creds.email)) == 1


def test_unverified_and_inactive_users_get_no_mail(client, db_session):
    unverified = make_user(db_session, verified=False)
    inactive = make_user(db_session)
    db_session.get(PortalUser, inactive.user_id).is_active = False
    db_session.commit()
    for creds in (unverified, inactive):
        assert _request(client, creds.email).headers["Location"] == "/auth/reset/sent"
        assert outbox(db_session, creds.email) == []


def test_a_malformed_address_is_a_field_error(client, db_session):
    response = _request(client, "someone@test.example\r\nBcc: all@test.example")
    assert response.status_code == 200
    page = response.get_data(True)
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page


def test_the_link_sets_a_new_password_once(client, db_session, creds):
    user = db_session.get(PortalUser, creds.user_id)
    user.failed_attempts = 7
    user.locked_until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    db_session.commit()
    link = _reset_link(client, db_session, creds.email)

    form = client.get(link)
    assert form.status_code == 200
    assert form.headers["Referrer-Policy"] == "no-referrer"
    page = form.get_data(True)
    assert page.count('autocomplete="new-password"') == 2
    assert '<label for="password">' in page
    assert '<label for="confirm">' in page

    done = _choose(client, link)
    assert done.status_code == 302
    assert done.headers["Location"] == "/auth/login"

    user = user_by_email(db_session, creds.email)
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)
    assert not passwords.verify_password(user.password_hash, creds.password)
    assert user.password_changed_at is not None
    assert user.failed_attempts == 0
    assert user.locked_until is None
    assert user.totp_secret_encrypted is not None  # the second factor stays
    token = link.rsplit("/", 1)[1]
    claims = tokens.read(TEST_SECRET_KEY, tokens.RESET_PASSWORD, token)
    assert db_session.get(RedeemedToken, claims.token_id) is not None
    events = _events(db_session, creds.user_id)
    assert "password_reset_requested" in events
    assert "password_reset" in events

    notice = outbox(db_session, creds.email)[-1]
    assert "password was changed" in notice.subject
    assert NEW_PASSWORD not in notice.body
    assert token not in notice.body

    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(True)
    reuse = client.post(link, data={"password": "another strong phrase 9", "confirm": "x"})
    assert reuse.status_code in (400,)
    assert passwords.verify_password(
        user_by_email(db_session, creds.email).password_hash, NEW_PASSWORD
    )


def test_a_reset_signs_nobody_in_and_the_second_factor_is_still_asked(client, db_session, creds):
    link = _reset_link(client, db_session, creds.email)
    _choose(client, link)
    home = client.get("/")
    assert home.status_code == 302
    assert home.headers["Location"].startswith("/auth/login")
    first_step = submit_password(client, creds.email, NEW_PASSWORD)
    assert first_step.status_code == 302
    assert first_step.headers["Location"].endswith("/auth/mfa")


def test_a_reset_ends_every_session(app, client, db_session, creds):
    elsewhere = app.test_client()
    sign_in(elsewhere, creds)
    assert elsewhere.get("/").status_code == 200
    link = _reset_link(client, db_session, creds.email)
    _choose(client, link)
    assert elsewhere.get("/").status_code == 302
    db_session.expire_all()
    live = db_session.scalars(
        select(UserSession).where(
            UserSession.user_id == creds.user_id, UserSession.ended_at.is_(None)
        )
    ).all()
    assert live == []


def test_a_weak_password_is_refused_and_the_link_still_works(client, db_session, creds):
    link = _reset_link(client, db_session, creds.email)
    for password, confirm, message in (
        ("short", "short", "at least 12 characters"),
        ("password1234", "password1234", "too common"),
        (STRONG_PASSWORD, NEW_PASSWORD, "not the same"),
    ):
        response = _choose(client, link, password, confirm)
        assert response.status_code == 200
        page = response.get_data(True)
        assert message in page
        assert 'aria-invalid="true"' in page
    assert passwords.verify_password(
        user_by_email(db_session, creds.email).password_hash, creds.password
    )
    assert _choose(client, link).status_code == 302


def test_an_expired_link_is_refused(client, db_session, creds, monkeypatch):
    made_at = int(time.time()) - tokens.MAX_AGE[tokens.RESET_PASSWORD] - 1
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: made_at)
        token = tokens.make(TEST_SECRET_KEY, tokens.RESET_PASSWORD, creds.user_id)
    link = f"/auth/reset/{token}"
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(True)
    assert (
        client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 400
    )
    hash_now = user_by_email(db_session, creds.email).password_hash
    assert passwords.verify_password(hash_now, creds.password)


def test_a_tampered_or_foreign_link_is_refused(client, db_session, creds):
    link = _reset_link(client, db_session, creds.email)
    token = link.rsplit("/", 1)[1]
    verify_token = tokens.make(TEST_SECRET_KEY, tokens.VERIFY_EMAIL, creds.user_id)
    other_key = tokens.make("another-secret-key-entirely", tokens.RESET_PASSWORD, creds.user_id)
    for bad in (token[:-3] + "abc", verify_token, other_key, "garbage"):
        response = client.get(f"/auth/reset/{bad}")
        assert response.status_code == 400
        assert "not valid" in response.get_data(True)
    assert passwords.verify_password(
        user_by_email(db_session, creds.email).password_hash, creds.password
    )


def test_an_older_link_dies_when_the_password_changes(client, db_session, creds, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 600)
        older = tokens.make(TEST_SECRET_KEY, tokens.RESET_PASSWORD, creds.user_id)
    newer = _reset_link(client, db_session, creds.email)
    assert _choose(client, newer).status_code == 302
    response = client.get(f"/auth/reset/{older}")
    assert response.status_code == 400
    assert "already been used" in response.get_data(True)


def test_requests_for_one_address_are_rate_limited(client, creds):
    statuses = [
        _request(client, creds.email, REMOTE_ADDR=f"198.51.100.{n + 1}").status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_requests_from_one_ip_are_rate_limited(client):
    statuses = [_request(client, f"someone{n}@test.example").status_code for n in range(21)]
    assert statuses == [302] * 20 + [429]


def test_links_use_the_configured_address_not_a_forged_host(
    app, client, db_session, creds, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://portal.example-utility.ca/")
    forged = {"Host": "attacker.example"}
    page = client.get("/auth/reset", headers=forged)
    response = client.post(
        "/auth/reset",
        data={"email": creds.email, "csrf_token": csrf_token(page.get_data(True))},
        headers=forged,
    )
    assert response.status_code == 302
    (mail,) = outbox(db_session, creds.email)
    assert "https://portal.example-utility.ca/auth/reset/" in mail.body
    assert "attacker.example" not in mail.body
