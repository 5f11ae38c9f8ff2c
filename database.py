"""Glue between Flask and the customer model's session (one session per request)."""

from __future__ import annotations

from flask import Flask

from customer_model import Session, bind, make_engine


def init_app(app: Flask) -> None:
    """Create the engine for ``DATABASE_URL`` and scope sessions to app contexts."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    bind(engine)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        Session.remove()
