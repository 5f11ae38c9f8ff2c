"""``create-agent``: the only way to create a utility staff (``agent``) user.

No web route creates agents or changes a user's role: staff accounts come from
someone with shell access to the deployment, and the event lands in the audit log.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from auth import audit
from auth.client import ClientInfo
from auth.password_policy import password_problems
from auth.passwords import hash_password
from auth.signup import normalise_email
from customer_model import PortalUser, Role, Session, utcnow

CLI_CLIENT = ClientInfo(ip_address=None, user_agent="flask create-agent")


def register(app: Flask) -> None:
    app.cli.add_command(create_agent)


@click.command("create-agent")
@click.argument("email")
@click.option("--name", default="", help="Display name (default: the e-mail address).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)
@with_appcontext
def create_agent(email: str, name: str, password_stdin: bool) -> None:
    """Create a utility staff user (role agent, no customer) with EMAIL.

    The password is asked twice without echo (or read with --password-stdin) and
    must pass the portal's password policy. The agent sets up an authenticator
    at first sign-in like everyone else.
    """
    try:
        address = normalise_email(email)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if problems := password_problems(password, address):
        raise click.ClickException("password refused: " + " ".join(problems))
    db = Session()
    if db.scalar(select(PortalUser.id).where(PortalUser.email == address)) is not None:
        raise click.ClickException(f"a user with the e-mail {address} already exists")
    now = utcnow()
    user = PortalUser(
        email=address,
        password_hash=hash_password(password),
        role=Role.AGENT,
        customer_id=None,
        display_name=name.strip() or address,
        is_active=True,
        # Whoever runs this command vouches for the address: there is no
        # self-service sign-up for staff to verify it through.
        email_verified_at=now,
        password_changed_at=now,
    )
    db.add(user)
    db.flush()  # the id, for the audit event
    audit.record(db, "agent_created", CLI_CLIENT, user=user)
    try:
        db.commit()
    except IntegrityError:  # created concurrently by another run
        db.rollback()
        raise click.ClickException(f"a user with the e-mail {address} already exists") from None
    click.echo(f"Agent {address} created (user id {user.id}).")
