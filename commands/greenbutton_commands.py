"""``import-greenbutton``: a Green Button (ESPI Atom XML) download into the customer model.

A thin wrapper over :func:`meter_data.greenbutton.import_greenbutton`: one JSON
line per usage point on stdout, warnings on stderr, and a refused file exits
non-zero with the reason (element and line) on stderr, having stored nothing.
"""

from __future__ import annotations

from typing import IO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from meter_data.greenbutton import GreenButtonError, parse_greenbutton, store_greenbutton
from meter_data.store import UnknownMeter


def register(app: Flask) -> None:
    app.cli.add_command(import_greenbutton_command)


@click.command("import-greenbutton")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--meter",
    "meter_serial",
    metavar="SERIAL",
    help="Meter of the usage point; with several usage points, SERIAL-1, SERIAL-2 … "
    "in the order of the file.",
)
@click.option(
    "--serial-prefix",
    metavar="PREFIX",
    help="Instead of --meter: meters PREFIX-1, PREFIX-2 … even for a single usage point.",
)
@click.option(
    "--create-meter",
    is_flag=True,
    help="Create missing meters (at a placeholder premise) instead of refusing the file.",
)
@with_appcontext
def import_greenbutton_command(
    file: IO[bytes], meter_serial: str | None, serial_prefix: str | None, create_meter: bool
) -> None:
    """Import the electricity readings in FILE ("-" for standard input).

    The whole file is checked first; then every usage point with electricity is
    stored in one transaction. Gas, water, temperature and other series are
    reported under "skipped_series", never added to kWh; a usage point with no
    electricity stores nothing and prints "meter": "". Importing the same file
    again stores nothing new.
    """
    if (meter_serial is None) == (serial_prefix is None):
        raise click.UsageError("give --meter SERIAL or --serial-prefix PREFIX (one of them)")
    name = getattr(file, "name", "-")
    try:
        parsed = parse_greenbutton(file, name=name)
        engine = current_app.extensions["db_engine"]
        summaries = store_greenbutton(engine, parsed, meter_serial, create_meter, serial_prefix)
    except (GreenButtonError, UnknownMeter, ValueError) as error:
        raise click.ClickException(f"{name}: refused, nothing imported: {error}") from None
    except IntegrityError as error:  # e.g. the same meter created concurrently
        raise click.ClickException(f"the database refused the import: {error.orig}") from None
    for warning in parsed.warnings:
        click.echo(f"{name}: {warning}", err=True)
    for summary in summaries:
        click.echo(summary.to_json())
