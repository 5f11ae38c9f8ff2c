"""``init-db``: migrate the database at DATABASE_URL to the newest revision."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from customer_model import schema


def register(app: Flask) -> None:
    app.cli.add_command(init_db)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema (safe to run again: it is idempotent)."""
    engine = current_app.extensions["db_engine"]
    before = schema.current_revision(engine)
    schema.upgrade(engine)
    after = schema.current_revision(engine)
    if before == after:
        click.echo(f"Database already at revision {after}.")
    else:
        click.echo(f"Database migrated from {before or 'empty'} to {after}.")
