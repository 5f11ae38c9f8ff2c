"""``demo-data``, ``demo-users`` and the start-up banner: thin wrappers over demo_data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from auth.demo import NotADemo, current_demo_code, enrol_demo_users
from customer_model import Customer, schema
from demo_data import DEFAULT_SEED, DemoDataRefused, demo_users, load_demo_data


def register(app: Flask) -> None:
    """Register demo-data commands."""
    app.cli.add_command(demo_data_command)
    app.cli.add_command(demo_users_command)
    app.cli.add_command(demo_otp_command)


@click.command("demo-otp")
@click.argument("email")
@with_appcontext
def demo_otp_command(email: str) -> None:
    """Print the current authentication code of a demo user (demo databases only)."""
    with Session(current_app.extensions["db_engine"]) as db:
        try:
            click.echo(current_demo_code(db, email, current_app.config["SECRET_KEY"]))
        except NotADemo as refusal:
            raise click.ClickException(str(refusal)) from refusal


@click.command("demo-data")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Day the two-year window ends (at local midnight). Default: today.",
)
@with_appcontext
def demo_data_command(seed: int, end: dt.datetime | None) -> None:
    """Migrate, then load demo customers and two years of readings into an empty database."""
    engine: Engine = current_app.extensions["db_engine"]
    schema.upgrade(engine)
    end_date = end.date() if end is not None else _today(current_app)
    try:
        summary = load_demo_data(engine, seed, end_date)
    except DemoDataRefused as refusal:
        click.echo(f"Demo data not loaded: {refusal}.")
        return
    enrol_demo_users(engine, current_app.config["SECRET_KEY"])
    click.echo(describe(summary))
    click.echo("Sign-ins: flask --app app demo-users; codes: flask --app app demo-otp EMAIL")


@click.command("demo-users")
@with_appcontext
def demo_users_command() -> None:
    """Print the demo sign-ins (e-mail, password, role, customer) as JSON."""
    users = _demo_users(current_app.extensions["db_engine"])
    if not users:
        raise click.ClickException(
            "this is not a demo database (no demo seed recorded); "
            "load one with: flask --app app demo-data"
        )
    click.echo(json.dumps(users, indent=2, ensure_ascii=False))


def announce(app: Flask) -> None:
    """Print where to go and how to sign in (demo databases only)."""
    click.echo(f" * Portal on http://{app.config['HOST']}:{app.config['PORT']}/")
    try:
        users = _demo_users(app.extensions["db_engine"])
    except SQLAlchemyError as error:
        click.echo(f" * Demo sign-ins unavailable: {type(error).__name__}")
        return
    if users:
        click.echo(" * Demo sign-ins:")
        click.echo(logins_table(users))
        click.echo(
            " * Second factor: demo users are enrolled; get the current code with\n"
            "   flask --app app demo-otp EMAIL"
        )


def ensure_demo_data(app: Flask) -> dict[str, Any] | None:
    """At start-up with ``AUTO_DEMO_DATA``: migrate, then load demo data if there are no
    customers yet. Returns the load summary, or ``None`` when nothing was loaded.

    Meant for a single process (``python app.py``), not for every worker of a server.
    """
    if not app.config.get("AUTO_DEMO_DATA"):
        return None
    engine: Engine = app.extensions["db_engine"]
    schema.upgrade(engine)
    with engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(Customer)):
            return None
    try:
        summary = load_demo_data(engine, app.config.get("DEMO_SEED", DEFAULT_SEED), _today(app))
    except DemoDataRefused:  # another process got there first
        return None
    enrol_demo_users(engine, app.config["SECRET_KEY"])
    click.echo(f" * Demo data loaded: {describe(summary)}")
    return summary


def describe(summary: dict[str, Any]) -> str:
    """One paragraph: what was loaded and how long it took."""
    timings = summary["timings_s"]
    return (
        f"Demo data (seed {summary['seed']}, {summary['window']['start']} to "
        f"{summary['window']['end']}): {summary['customers']} customers, "
        f"{summary['premises']} premises, {summary['readings']:,} readings, "
        f"{summary['daily_rows']:,} daily rows, {summary['weather_rows']:,} weather hours, "
        f"{summary['users']} portal users in {timings['total']:.1f} s "
        f"(generate {timings['generate']:.1f} s, readings {timings['readings']:.1f} s)."
    )


def logins_table(users: list[dict[str, Any]]) -> str:
    """Aligned columns: e-mail, password, role, customer."""
    rows = [("e-mail", "password", "role", "customer")] + [
        (user["email"], user["password"], user["role"], user["customer"] or "(utility staff)")
        for user in users
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join(
        "   "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _demo_users(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        return demo_users(session)


def _today(app: Flask) -> dt.date:
    return dt.datetime.now(ZoneInfo(app.config["PORTAL_TIMEZONE"])).date()
