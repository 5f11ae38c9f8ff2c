"""Password, then TOTP, through the real forms: nothing is reachable in between."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from auth import sessions
from customer_model import (
    Interaction,
    InteractionKind,
    OutboundMessage,
    PortalUser,
    SecurityEvent,
    UserSession,
)
from tests.auth_helpers import (
    code_at,
    csrf_token,
    make_user,
    sign_in,
    submit_code,
    submit_password,
)


@pytest.fixture
def creds(db_session):
    return make_user(db_session)


def test_valid_password_and_code_sign_in(client, creds):
    response = sign_in(client, creds)
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_says_nothing_about_which_part_was_wrong(client, creds):
    wrong_password = submit_password(client, creds.email, "not the password at all")
    unknown_email = submit_password(client, "nobody@nowhere.example", creds.password)
    assert wrong_password.status_code == unknown_email.status_code == 401
    message = "The e-mail address or password is not right."
    assert message in wrong_password.get_data(True)
    assert message in unknown_email.get_data(True)


@pytest.mark.parametrize(
    "path",
    ["/", "/auth/security", "/consent/", "/dashboards/usage", "/dashboards/_dash-layout"],
)
def test_after_the_password_only_the_code_page_answers(client, creds, path):
    submit_password(client, creds.email, creds.password)
    response = client.get(path)
    if path.startswith("/dashboards/_"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/auth/mfa")
    assert client.post("/dashboards/_dash-update-component", json={}).status_code == 401


def test_a_code_is_accepted_once(app, creds, db_session):
    first, second = app.test_client(), app.test_client()
    submit_password(first, creds.email, creds.password)
    submit_password(second, creds.email, creds.password)
    code = code_at(creds.totp_secret)
    assert submit_code(first, code).status_code == 302
    replay = submit_code(second, code)
    assert replay.status_code == 401
    assert "did not work" in replay.get_data(True)
    assert second.get("/").status_code == 302  # still not signed in
    # positive control: the next step's code works for the second browser
    assert submit_code(second, code_at(creds.totp_secret, 1)).status_code == 302
    events = db_session.scalars(
        select(SecurityEvent.detail).where(
            SecurityEvent.user_id == creds.user_id, SecurityEvent.event == "mfa_failure"
        )
    ).all()
    assert {"reason": "replayed"} in events
    notices = db_session.scalars(
        select(OutboundMessage.subject).where(OutboundMessage.recipient == creds.email)
    ).all()
    assert "A sign-in code of yours was used twice" in notices


def test_codes_outside_the_drift_window_are_refused(client, creds):
    submit_password(client, creds.email, creds.password)
    assert submit_code(client, code_at(creds.totp_secret, -3)).status_code == 401
    assert submit_code(client, code_at(creds.totp_secret, 3)).status_code == 401
    assert submit_code(client, code_at(creds.totp_secret, -1)).status_code == 302


def test_racing_requests_with_the_same_code_get_at_most_one_session(app, creds, db_session):
    from auth.services import _claim_step

    user = db_session.get(PortalUser, creds.user_id)
    results = [_claim_step(db_session, user, 1000), _claim_step(db_session, user, 1000)]
    assert results == [True, False]


def test_session_cookie_changes_at_each_step(app, creds):
    client = app.test_client()
    client.get("/auth/login")
    before = client.get_cookie("portal_session")
    submit_password(client, creds.email, creds.password)
    after_password = client.get_cookie("portal_session")
    submit_code(client, code_at(creds.totp_secret))
    after_code = client.get_cookie("portal_session")
    values = [c.value if c else None for c in (before, after_password, after_code)]
    assert len(set(values)) == 3
    # an earlier jar replayed in a fresh browser is not signed in
    stale = app.test_client()
    stale.set_cookie("portal_session", after_password.value)
    assert stale.get("/").status_code == 302


def test_session_cookie_attributes(client, creds):
    response = sign_in(client, creds)
    header = response.headers.get("Set-Cookie")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # plain http in development


def test_sign_out_ends_the_session_server_side(app, creds):
    client = app.test_client()
    sign_in(client, creds)
    saved = client.get_cookie("portal_session").value
    page = client.get("/auth/security")
    client.post("/auth/logout", data={"csrf_token": csrf_token(page.get_data(True))})
    replay = app.test_client()
    replay.set_cookie("portal_session", saved)
    assert replay.get("/").status_code == 302


def test_sign_out_is_not_possible_by_get(client, creds):
    sign_in(client, creds)
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_sign_out_everywhere_ends_other_browsers(app, creds):
    first, second = app.test_client(), app.test_client()
    sign_in(first, creds)
    sign_in(second, creds, steps_ahead=1)
    page = first.get("/auth/security")
    first.post("/auth/logout-everywhere", data={"csrf_token": csrf_token(page.get_data(True))})
    assert second.get("/").status_code == 302
    assert first.get("/").status_code == 302


@pytest.mark.parametrize(
    ("idle", "alive"),
    [(dt.timedelta(minutes=29), True), (dt.timedelta(minutes=31), False)],
)
def test_idle_timeout(client, creds, db_session, idle, alive):
    sign_in(client, creds)
    row = db_session.scalar(select(UserSession).where(UserSession.user_id == creds.user_id))
    row.last_seen_at -= idle
    row.created_at -= idle
    db_session.commit()
    assert (client.get("/").status_code == 200) is alive


@pytest.mark.parametrize(
    ("age", "alive"),
    [(dt.timedelta(hours=11, minutes=59), True), (dt.timedelta(hours=12, minutes=1), False)],
)
def test_absolute_timeout(client, creds, db_session, age, alive):
    sign_in(client, creds)
    row = db_session.scalar(select(UserSession).where(UserSession.user_id == creds.user_id))
    row.created_at -= age
    db_session.commit()
    assert (client.get("/").status_code == 200) is alive
    assert dt.timedelta(hours=12) == sessions.ABSOLUTE_TIMEOUT


def test_unverified_users_cannot_sign_in(client, db_session):
    creds = make_user(db_session, verified=False)
    response = submit_password(client, creds.email, creds.password)
    assert response.status_code == 401
    assert client.get("/auth/mfa").status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_next_never_leaves_the_portal(client, creds, target):
    response = sign_in(client, creds, next_url=target)
    assert response.headers["Location"] == "/"


def test_next_keeps_a_local_path(client, creds):
    response = sign_in(client, creds, next_url="/auth/security")
    assert response.headers["Location"] == "/auth/security"


def test_sign_in_is_written_to_the_customer_history(client, creds, db_session):
    sign_in(client, creds)
    user = db_session.get(PortalUser, creds.user_id)
    subjects = db_session.scalars(
        select(Interaction.subject).where(
            Interaction.customer_id == user.customer_id,
            Interaction.kind == InteractionKind.SECURITY,
        )
    ).all()
    assert "Signed in to the portal" in subjects
    event = db_session.scalar(
        select(SecurityEvent).where(
            SecurityEvent.user_id == creds.user_id, SecurityEvent.event == "login_success"
        )
    )
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent.startswith("Werkzeug")
