"""``compute-bill``: a meter's bill under a tariff for local dates, printed as JSON."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask import Flask
from flask.cli import with_appcontext

from billing import BillingError, Period
from billing.services import bill_for_meter
from customer_model import Session


def register(app: Flask) -> None:
    app.cli.add_command(compute_bill_command)


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
