"""``compute-bill`` (a meter's bill as JSON) and ``check-high-bills`` (the alert job)."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from billing import BillingError, Period
from billing.services import bill_for_meter, check_high_bill, current_period
from customer_model import AccountStatus, ServiceAccount, Session


def register(app: Flask) -> None:
    app.cli.add_command(compute_bill_command)
    app.cli.add_command(check_high_bills_command)


@click.command("compute-bill")
@click.option("--meter", "serial", required=True, help="Meter serial number.")
@click.option("--tariff", "tariff_id", required=True, help="Tariff id, e.g. ontario-rpp-tou.")
@click.option(
    "--from",
    "first",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First local day of the period (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "last",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last local day of the period, inclusive (YYYY-MM-DD).",
)
@with_appcontext
def compute_bill_command(
    serial: str, tariff_id: str, first: dt.datetime, last: dt.datetime
) -> None:
    """Print the bill of meter SERIAL under TARIFF for --from..--to as JSON.

    Dates are local days in the meter's premise time zone. Nothing is stored.
    """
    try:
        bill = bill_for_meter(Session(), serial, tariff_id, Period(first.date(), last.date()))
    except BillingError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(bill.as_json(), indent=2, ensure_ascii=False))


@click.command("check-high-bills")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Local date to project from (default: today in the portal's zone).",
)
@with_appcontext
def check_high_bills_command(today: dt.datetime | None) -> None:
    """Project every active account's current bill; store an alert where it runs high.

    The current period runs from the day after the last bill to the end of that
    month; the threshold is HIGH_BILL_THRESHOLD (e.g. 1.25 = 25 % above the last bill).
    """
    zone = ZoneInfo(current_app.config["PORTAL_TIMEZONE"])
    day = today.date() if today else dt.datetime.now(zone).date()
    ratio = Fraction(current_app.config["HIGH_BILL_THRESHOLD"])
    with OrmSession(current_app.extensions["db_engine"]) as session:
        alerts = 0
        for account in session.scalars(
            select(ServiceAccount).where(ServiceAccount.status == AccountStatus.ACTIVE)
        ):
            period = current_period(session, account, day)
            if period is None:
                continue
            try:
                alerts += check_high_bill(session, account, period, day, ratio) is not None
            except BillingError as error:
                click.echo(f"{account.account_number}: skipped ({error})", err=True)
        session.commit()
    click.echo(f"{alerts} high-bill alert(s) stored.")
