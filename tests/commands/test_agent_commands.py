"""``flask create-agent``: the only way to make a staff user; no web route can."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from auth.passwords import verify_password
from customer_model import PortalUser, Role, SecurityEvent

STRONG = "lantern orchard copper 42"
ROOT = Path(__file__).resolve().parents[2]


def run(app, *args: str, input: str | None = None):  # noqa: A002
    return app.test_cli_runner().invoke(args=["create-agent", *args], input=input)


def agent(db, email: str) -> PortalUser | None:
    return db.scalars(select(PortalUser).where(PortalUser.email == email)).one_or_none()


def test_creates_an_agent_from_stdin(app, db_session):
    result = run(app, " Staff.Member@Utility.Example.com ", "--password-stdin", "--name",
                 "Staff Member", input=STRONG + "\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Agent staff.member@utility.example.com created" in result.output
    user = agent(db_session, "staff.member@utility.example.com")
    assert user.role is Role.AGENT
    assert user.customer_id is None
    assert user.display_name == "Staff Member"
    assert user.email_verified_at is not None
    assert user.totp_secret_encrypted is None  # enrols an authenticator at first sign-in
    assert verify_password(user.password_hash, STRONG)
    assert STRONG not in user.password_hash
    assert STRONG not in result.output
    events = db_session.scalars(
        select(SecurityEvent.event).where(SecurityEvent.user_id == user.id)
    ).all()
    assert events == ["agent_created"]


def test_prompts_twice_without_echo(app, db_session):
    result = run(app, "second.agent@utility.example.com", input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output  # hidden input
    assert result.output.count("Password") == 1
    assert "Repeat for confirmation" in result.output
    assert agent(db_session, "second.agent@utility.example.com").role is Role.AGENT


def test_two_different_passwords_are_refused(app, db_session):
    result = run(app, "typo@utility.example.com", input=f"{STRONG}\n{STRONG}x\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert agent(db_session, "typo@utility.example.com") is None


@pytest.mark.parametrize("password", ["short", "password1234", "aaaaaaaaaaaaaaaa",
                                      "weakling.agent2024"])  # fmt: skip
def test_the_password_policy_applies(app, db_session, password):
    result = run(app, "weakling.agent@utility.example.com", "--password-stdin",
                 input=password + "\n")  # fmt: skip
    assert result.exit_code == 1
    assert "password refused" in result.output
    assert agent(db_session, "weakling.agent@utility.example.com") is None


def test_an_existing_user_is_never_turned_into_an_agent(app, db_session, demo):
    email = "olivia.chen@lakeshore.example.com"
    result = run(app, email.upper(), "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert agent(db_session, email).role is Role.ORG_ADMIN


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "x@example.com\nBcc: y@z.com"])
def test_a_malformed_address_is_refused(app, db_session, email):
    result = run(app, email, "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 2
    assert "e-mail address" in result.output


WEB_PACKAGES = ("auth", "portal", "consent", "dashboards", "web")


def test_no_web_code_creates_agents_or_changes_roles():
    """Only ``commands/`` (and the demo generator) may set a role other than customer."""
    offenders = []
    for package in WEB_PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            text = source.read_text()
            if "Role.AGENT" in text and source.name != "scoping.py":
                offenders.append(f"{source}: Role.AGENT")
            if re.search(r"\.role\s*=(?!=)", text):
                offenders.append(f"{source}: assigns .role")
            if re.search(r"\brole\s*=\s*(?!Role\.CUSTOMER\b)[A-Za-z_(]", text):
                offenders.append(f"{source}: role= other than Role.CUSTOMER")
    assert offenders == []
