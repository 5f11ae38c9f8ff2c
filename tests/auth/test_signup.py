"""Sign-up by linking a utility account, and confirming the e-mail address."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

import auth.passwords
from auth import signup, tokens
from auth.signup import (
    GENERIC_FAILURE,
    normalise_account_number,
    normalise_email,
    normalise_postal_code,
    parse_amount_cents,
)
from customer_model import (
    CustomerKind,
    OutboundMessage,
    PortalUser,
    RedeemedToken,
    Role,
    SecurityEvent,
)
from tests.auth.account_helpers import (
    DRAFT_BILL_CENTS,
    LATEST_BILL_CENTS,
    OLDER_BILL_CENTS,
    STRONG_PASSWORD,
    fresh_email,
    link_token,
    make_account,
    outbox,
    post_form,
    signup_data,
    user_by_email,
    without_csrf,
)
from tests.auth_helpers import TEST_SECRET_KEY, csrf_token, make_user, submit_password


@pytest.fixture
def account(db_session):
    return make_account(db_session)


def _users(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(PortalUser))


def _mails(db) -> int:
    return db.scalar(select(func.count()).select_from(OutboundMessage))


def _sign_up(client, data):
    return post_form(client, "/auth/signup", data)


# --- formats ---


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("123.45", 12345),
        ("$123.45", 12345),
        ("123,45", 12345),
        ("123,45 $", 12345),
        (" $ 123.45 ", 12345),
        ("1,234.56", 123456),
        ("1 234,56", 123456),
        ("1234.5", 123450),
        ("87", 8700),
        ("-12.00", -1200),
        ("-$12.00", -1200),
    ],
)
def test_bill_amounts_are_read_the_way_customers_type_them(typed, cents):
    assert parse_amount_cents(typed) == cents


@pytest.mark.parametrize(
    "typed", ["", "12.345", "1,23,4", "abc", "12.3.4", "$$12", "1e3", "１２３.45", "12 3"]
)
def test_odd_amounts_are_refused(typed):
    with pytest.raises(ValueError, match="amount"):
        parse_amount_cents(typed)


def test_account_numbers_and_postal_codes_are_normalised():
    assert normalise_account_number(" 1234 5678-90 ") == "1234567890"
    assert normalise_postal_code("k1s0s2") == "K1S 0S2"
    assert normalise_postal_code(" K1S-0S2 ") == "K1S 0S2"
    assert normalise_email(" Name.Surname+x@Example.COM ") == "name.surname+x@example.com"
    for bad in ("123456789", "1234567890123", "12345abcde", "１２３４５６７８９０"):
        with pytest.raises(ValueError, match="account number"):
            normalise_account_number(bad)
    for bad in ("K1S 0S", "D1S 0S2", "12345", "K1S 0S2 X"):
        with pytest.raises(ValueError, match="postal code"):
            normalise_postal_code(bad)
    for bad in ("a@b", "no-at.example", "a@b.example\r\nBcc: c@d.example", "a b@c.example"):
        with pytest.raises(ValueError, match="e-mail"):
            normalise_email(bad)


# --- the page ---


def test_signup_form_speaks_to_browsers_and_password_managers(client):
    page = client.get("/auth/signup").get_data(True)
    for name in ("account_number", "postal_code", "bill_amount", "email", "password", "confirm"):
        assert f'<label for="{name}">' in page
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*type="email"', page)
    assert len(re.findall(r'autocomplete="new-password"[^>]*type="password"', page)) == 2
    assert 'autocomplete="postal-code"' in page
    assert 'autocomplete="off"' not in page
    assert "onpaste" not in page
    assert 'name="csrf_token"' in page


# --- success ---


def test_right_facts_create_an_unverified_customer_and_mail_a_link(client, db_session, account):
    email = fresh_email()
    posted = signup_data(
        account,
        email.upper(),
        role="agent",
        is_demo="1",
        customer_id="1",
        email_verified_at="2020-01-01T00:00:00Z",
    )
    response = _sign_up(client, posted)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/signup/sent"
    user = user_by_email(db_session, email)
    assert user is not None
    assert user.role is Role.CUSTOMER
    assert user.customer_id == account.customer_id
    assert user.email_verified_at is None
    assert user.is_demo is False
    assert auth.passwords.verify_password(user.password_hash, STRONG_PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    (mail,) = outbox(db_session, email)
    assert link_token(mail, "verify")
    assert STRONG_PASSWORD not in mail.body
    assert (
        "signup"
        in db_session.scalars(
            select(SecurityEvent.event).where(SecurityEvent.user_id == user.id)
        ).all()
    )
    assert "Check your e-mail" in client.get("/auth/signup/sent").get_data(True)


@pytest.mark.parametrize("amount", ["$123.45", "123,45", "123,45 $"])
def test_the_amount_may_be_typed_with_a_dollar_sign_or_a_comma(client, db_session, account, amount):
    email = fresh_email()
    response = _sign_up(client, signup_data(account, email, bill_amount=amount))
    assert response.status_code == 302
    assert user_by_email(db_session, email) is not None


def test_spaces_and_case_in_the_bill_facts_do_not_matter(client, db_session, account):
    email = fresh_email()
    number = f"{account.number[:4]} {account.number[4:8]} {account.number[8:]}"
    posted = signup_data(account, email, account_number=number, postal_code="k1s0s2")
    assert _sign_up(client, posted).status_code == 302
    assert user_by_email(db_session, email) is not None


def test_an_unverified_user_cannot_sign_in_until_the_link_is_followed(client, db_session, account):
    email = fresh_email()
    _sign_up(client, signup_data(account, email))
    refused = submit_password(client, email, STRONG_PASSWORD)
    assert refused.status_code != 302
    assert signup.is_verified(user_by_email(db_session, email)) is False
    token = link_token(outbox(db_session, email)[0], "verify")
    assert client.get(f"/auth/verify/{token}").status_code == 302
    assert signup.is_verified(user_by_email(db_session, email)) is True
    accepted = submit_password(client, email, STRONG_PASSWORD)
    assert accepted.status_code == 302
    assert "/auth/mfa" in accepted.headers["Location"]  # the second factor still comes next


# --- failures: one generic answer ---


def _failure_cases(db_session, account):
    taken = make_user(db_session).email
    organisation = make_account(db_session, kind=CustomerKind.ORGANISATION)
    other = make_account(db_session, postal_code="H7N 3K4")
    wrong_number = str(int(account.number) + 1)
    return {
        "unknown account number": signup_data(account, fresh_email(), account_number=wrong_number),
        "wrong postal code": signup_data(account, fresh_email(), postal_code="H7N 3K4"),
        "another account's postal code": signup_data(
            account, fresh_email(), postal_code=other.postal_code
        ),
        "older bill's amount": signup_data(
            account, fresh_email(), bill_amount=f"{OLDER_BILL_CENTS / 100:.2f}"
        ),
        "draft bill's amount": signup_data(
            account, fresh_email(), bill_amount=f"{DRAFT_BILL_CENTS / 100:.2f}"
        ),
        "amount off by a cent": signup_data(
            account, fresh_email(), bill_amount=f"{(LATEST_BILL_CENTS + 1) / 100:.2f}"
        ),
        "e-mail already used": signup_data(account, taken),
        "e-mail already used, other case": signup_data(account, taken.upper()),
        "organisation account": signup_data(organisation, fresh_email()),
    }


def test_each_wrong_fact_gets_the_same_answer_and_creates_nothing(client, db_session, account):
    cases = _failure_cases(db_session, account)
    users_before, mails_before = _users(db_session), _mails(db_session)
    bodies = {}
    for name, data in cases.items():
        response = _sign_up(client, data)
        assert response.status_code == 200, name
        bodies[name] = without_csrf(response.get_data(True))
    assert len(set(bodies.values())) == 1, [
        n for n in bodies if bodies[n] != bodies[next(iter(bodies))]
    ]
    body = next(iter(bodies.values()))
    assert GENERIC_FAILURE in body
    assert 'role="alert"' in body
    assert account.number not in body  # nothing typed is echoed back
    assert (_users(db_session), _mails(db_session)) == (users_before, mails_before)
    assert db_session.scalar(
        select(func.count())
        .select_from(SecurityEvent)
        .where(SecurityEvent.event == "signup_failure")
    ) >= len(cases)


def test_every_path_spends_exactly_one_password_hash(client, db_session, account, monkeypatch):
    calls: list[str] = []
    real = auth.passwords.hash_password

    def counting(password: str) -> str:
        calls.append(password)
        return real(password)

    monkeypatch.setattr(auth.passwords, "hash_password", counting)
    cases = _failure_cases(db_session, account)
    cases["success"] = signup_data(account, fresh_email())
    for name, data in cases.items():
        calls.clear()
        _sign_up(client, data)
        assert len(calls) == 1, name


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short pass", "short pass", "at least 12 characters"),
        ("password1234", "password1234", "too common"),
        ("qwertyuiop1234!", "qwertyuiop1234!", "too common"),
        ("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "too common"),
        ("x" * 129, "x" * 129, "at most 128 characters"),
        (STRONG_PASSWORD, STRONG_PASSWORD + "!", "not the same"),
    ],
)
def test_weak_or_mismatched_passwords_are_field_errors(
    client, db_session, account, password, confirm, message
):
    email = fresh_email()
    response = _sign_up(client, signup_data(account, email, password=password, confirm=confirm))
    assert response.status_code == 200
    page = response.get_data(True)
    assert message in page.lower() or message in page
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert re.search(r'aria-describedby="[^"]*-error"', page)
    assert password not in page  # passwords are never echoed
    assert user_by_email(db_session, email) is None


def test_a_password_made_of_the_email_is_refused(client, db_session, account):
    email = "lanternkeeper@test.example"
    data = signup_data(account, email, password="lanternkeeper2026", confirm="lanternkeeper2026")
    response = _sign_up(client, data)
    assert "too common" in response.get_data(True)
    assert user_by_email(db_session, email) is None


@pytest.mark.parametrize(
    "email",
    [
        "victim@test.example\r\nBcc: everyone@test.example",
        "victim@test.example\nBcc: everyone@test.example",
        "victim@test.example\r\n",
    ],
)
def test_an_email_with_line_breaks_is_refused(client, db_session, account, email):
    mails_before = _mails(db_session)
    response = _sign_up(client, signup_data(account, email))
    assert response.status_code == 200
    assert "one line" in response.get_data(True)
    assert user_by_email(db_session, "victim@test.example") is None
    assert _mails(db_session) == mails_before


def test_malformed_facts_are_field_errors_not_the_generic_message(client, account):
    data = signup_data(account, fresh_email(), account_number="12345", postal_code="90210")
    page = _sign_up(client, data).get_data(True)
    assert "10 to 12 digit account number" in page
    assert "postal code of the service address, like A1A 1A1" in page
    assert GENERIC_FAILURE not in page


def test_a_post_without_the_csrf_token_is_refused(client, db_session, account):
    users_before = _users(db_session)
    response = client.post("/auth/signup", data=signup_data(account, fresh_email()))
    assert response.status_code == 400
    assert _users(db_session) == users_before


def test_signups_from_one_address_are_rate_limited(client, account):
    statuses = [
        _sign_up(
            client, signup_data(account, fresh_email(), account_number=f"{9000000000 + n}")
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_guesses_at_one_account_are_limited_across_addresses(client, account):
    statuses = []
    for n in range(11):
        page = client.get("/auth/signup")
        response = client.post(
            "/auth/signup",
            data={
                **signup_data(account, fresh_email(), bill_amount=f"{n}.00"),
                "csrf_token": csrf_token(page.get_data(True)),
            },
            environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"},
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


# --- verification ---


def _signed_up(client, db_session, account) -> tuple[str, str]:
    email = fresh_email()
    assert _sign_up(client, signup_data(account, email)).status_code == 302
    return email, link_token(outbox(db_session, email)[0], "verify")


def test_the_link_verifies_once(client, db_session, account):
    email, token = _signed_up(client, db_session, account)
    first = client.get(f"/auth/verify/{token}")
    assert first.status_code == 302
    assert first.headers["Location"] == "/auth/login"
    user = user_by_email(db_session, email)
    verified_at = user.email_verified_at
    assert verified_at is not None
    claims = tokens.read(TEST_SECRET_KEY, tokens.VERIFY_EMAIL, token)
    assert db_session.get(RedeemedToken, claims.token_id) is not None
    events = db_session.scalars(
        select(SecurityEvent.event).where(SecurityEvent.user_id == user.id)
    ).all()
    assert "email_verified" in events

    second = client.get(f"/auth/verify/{token}")
    assert second.status_code == 400
    assert first.headers["Referrer-Policy"] == second.headers["Referrer-Policy"] == "no-referrer"
    assert "already been used" in second.get_data(True)
    assert user_by_email(db_session, email).email_verified_at == verified_at


def test_a_tampered_link_changes_nothing(client, db_session, account):
    email, token = _signed_up(client, db_session, account)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "not-a-token", "x" * 2000):
        response = client.get(f"/auth/verify/{bad}")
        assert response.status_code == 400
        assert "not valid" in response.get_data(True)
    assert user_by_email(db_session, email).email_verified_at is None


def test_a_reset_token_is_not_a_verification_token(client, db_session, account):
    email, _token = _signed_up(client, db_session, account)
    user = user_by_email(db_session, email)
    other_purpose = tokens.make(TEST_SECRET_KEY, tokens.RESET_PASSWORD, user.id)
    assert client.get(f"/auth/verify/{other_purpose}").status_code == 400
    assert user_by_email(db_session, email).email_verified_at is None


def test_an_expired_link_changes_nothing(client, db_session, account, monkeypatch):
    email, _token = _signed_up(client, db_session, account)
    user = user_by_email(db_session, email)
    made_at = int(time.time()) - tokens.MAX_AGE[tokens.VERIFY_EMAIL] - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: made_at)
        old = tokens.make(TEST_SECRET_KEY, tokens.VERIFY_EMAIL, user.id)
    response = client.get(f"/auth/verify/{old}")
    assert response.status_code == 400
    assert "expired" in response.get_data(True)
    assert user_by_email(db_session, email).email_verified_at is None
