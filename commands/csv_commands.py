"""``import-csv``: interval readings from an SCE or PG&E download or a generic CSV.

A thin wrapper over :func:`meter_data.csv_import.import_csv`: it prints the same
one-line JSON summary as the Green Button XML import, and a refused file exits
non-zero with the reason (line and column) on stderr, having stored nothing.
"""

from __future__ import annotations

from typing import IO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from meter_data.csv_import import LAYOUTS, CsvImportError, CsvOptions, import_csv
from meter_data.store import UnknownMeter


def register(app: Flask) -> None:
    app.cli.add_command(import_csv_command)


def _unit(_context: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``kWh`` or ``Wh`` in any case (click's own Choice would print them lower-cased)."""
    if value is None:
        return None
    for unit in ("kWh", "Wh"):
        if value.strip().casefold() == unit.casefold():
            return unit
    raise click.BadParameter(f"{value!r} is not one of 'kWh', 'Wh'")


@click.command("import-csv")
@click.argument("file", type=click.File("rb"))
@click.option("--meter", "serial", required=True, help="Serial number of the meter.")
@click.option(
    "--create-meter",
    is_flag=True,
    help="Create the meter (at a placeholder premise) if no meter has this serial.",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="auto",
    show_default=True,
    help="auto recognises SCE and PG&E downloads; anything else is read as generic.",
)
@click.option("--timestamp-col", metavar="NAME", help="Generic: column of local date-times.")
@click.option("--value-col", metavar="NAME", help="Generic: column of energy delivered.")
@click.option("--received-col", metavar="NAME", help="Generic: energy received (net metering).")
@click.option("--quality-col", metavar="NAME", help="Generic: actual/estimated/missing (A/E/M).")
@click.option(
    "--unit", metavar="[kWh|Wh]", callback=_unit, help="Generic: energy unit of the values."
)
@click.option(
    "--interval-minutes", type=click.IntRange(1, 1440), help="Generic: length of each interval."
)
@click.option(
    "--timestamps",
    type=click.Choice(["start", "end"]),
    help="Generic: whether a time labels the start or the end of its interval.",
)
@click.option(
    "--tz",
    metavar="ZONE",
    help="IANA zone of the local times (generic: required; SCE/PG&E: America/Los_Angeles).",
)
@with_appcontext
def import_csv_command(
    file: IO[bytes],
    serial: str,
    create_meter: bool,
    layout: str,
    timestamp_col: str | None,
    value_col: str | None,
    received_col: str | None,
    quality_col: str | None,
    unit: str | None,
    interval_minutes: int | None,
    timestamps: str | None,
    tz: str | None,
) -> None:
    """Import the interval readings in FILE ("-" for standard input) for one meter.

    SCE and PG&E Green Button CSV downloads are recognised and need no column
    options. A generic CSV needs --timestamp-col, --value-col, --unit,
    --interval-minutes, --timestamps and --tz. The whole file is checked before
    anything is stored; importing it again stores nothing new.
    """
    try:
        options = CsvOptions(
            layout=layout,
            timestamp_col=timestamp_col,
            value_col=value_col,
            received_col=received_col,
            quality_col=quality_col,
            unit=unit,
            interval_minutes=interval_minutes,
            timestamps=timestamps,
            tz=tz,
        )
        engine = current_app.extensions["db_engine"]
        summary = import_csv(engine, file.read(), serial, create_meter, options)
    except (CsvImportError, UnknownMeter) as error:
        name = getattr(file, "name", "-")
        raise click.ClickException(f"{name}: refused, nothing imported: {error}") from None
    except IntegrityError as error:  # e.g. the same meter created concurrently
        raise click.ClickException(f"the database refused the import: {error.orig}") from None
    click.echo(summary.to_json())
