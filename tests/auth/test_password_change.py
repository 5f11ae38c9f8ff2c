"""Changing the password while signed in: the current one is required."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from auth import passwords
from customer_model import SecurityEvent
from tests.auth.account_helpers import outbox, post_form, user_by_email
from tests.auth_helpers import make_user, sign_in

NEW_PASSWORD = "velvet harbour signal 58"


@pytest.fixture
def creds(db_session):
    return make_user(db_session)


@pytest.fixture
def signed_in(client, creds):
    sign_in(client, creds)
    return client


def _change(client, current: str, new: str = NEW_PASSWORD, confirm: str | None = None):
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return post_form(client, "/auth/password", data)


def _events(db_session, user_id: int) -> list[str]:
    return db_session.scalars(
        select(SecurityEvent.event).where(SecurityEvent.user_id == user_id)
    ).all()


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_the_form_tells_password_managers_which_field_is_which(signed_in):
    page = signed_in.get("/auth/password").get_data(True)
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2
    for name in ("current_password", "password", "confirm"):
        assert f'<label for="{name}">' in page
    assert 'type="password"' in page
    assert 'autocomplete="off"' not in page
    assert "onpaste" not in page


def test_a_wrong_current_password_changes_nothing(signed_in, db_session, creds):
    before = user_by_email(db_session, creds.email).password_hash
    mails = len(outbox(db_session, creds.email))
    response = _change(signed_in, "not my password at all")
    assert response.status_code == 200
    page = response.get_data(True)
    assert "That is not your current password." in page
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert user_by_email(db_session, creds.email).password_hash == before
    assert len(outbox(db_session, creds.email)) == mails
    assert "password_change_failure" in _events(db_session, creds.user_id)
    assert "password_changed" not in _events(db_session, creds.user_id)


def test_a_weak_new_password_is_refused(signed_in, db_session, creds):
    before = user_by_email(db_session, creds.email).password_hash
    for new, confirm, message in (
        ("short", "short", "at least 12 characters"),
        ("password1234", "password1234", "too common"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "not the same"),
    ):
        response = _change(signed_in, creds.password, new, confirm)
        assert message in response.get_data(True)
    assert user_by_email(db_session, creds.email).password_hash == before


def test_a_change_keeps_this_session_and_ends_the_others(app, signed_in, db_session, creds):
    elsewhere = app.test_client()
    sign_in(elsewhere, creds, steps_ahead=1)
    assert elsewhere.get("/").status_code == 200

    response = _change(signed_in, creds.password)
    assert response.status_code == 302
    assert signed_in.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302

    user = user_by_email(db_session, creds.email)
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)
    assert user.password_changed_at is not None
    assert "password_changed" in _events(db_session, creds.user_id)
    notice = outbox(db_session, creds.email)[-1]
    assert "password was changed" in notice.subject
    assert NEW_PASSWORD not in notice.body
    assert creds.password not in notice.body


def test_a_change_needs_the_csrf_token(signed_in, db_session, creds):
    before = user_by_email(db_session, creds.email).password_hash
    response = signed_in.post(
        "/auth/password",
        data={
            "current_password": creds.password,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert user_by_email(db_session, creds.email).password_hash == before


def test_an_unrelated_user_cannot_be_changed_by_posting_ids(signed_in, db_session, creds):
    other = make_user(db_session)
    before = user_by_email(db_session, other.email).password_hash
    page = signed_in.get("/auth/password").get_data(True)
    assert "user_id" not in page
    response = post_form(
        signed_in,
        "/auth/password",
        {
            "current_password": creds.password,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "user_id": str(other.user_id),
            "email": other.email,
        },
    )
    assert response.status_code == 302
    assert user_by_email(db_session, other.email).password_hash == before
