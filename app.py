"""Composition root: builds the portal from its parts. Nothing imports this module.

Run it with ``python app.py`` (development server) or
``gunicorn 'app:create_app()'`` in production.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

import auth
import commands
import database
import web
from auth import bp as auth_bp
from config import load_config
from consent import bp as consent_bp
from portal import bp as portal_bp


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration, database, blueprints, Dash, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path))
    if config:
        app.config.update(config)

    database.init_app(app)
    auth.init_app(app)  # first: its guards run before any other before_request
    if app.config["DASHBOARDS_ENABLED"]:
        from dashboards import init_dashboards

        init_dashboards(app)
    web.init_app(app)  # CSRF, rate limits, security headers
    app.register_blueprint(auth_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(consent_bp)
    commands.init_app(app)
    return app


if __name__ == "__main__":
    portal = create_app()
    if portal.config["AUTO_DEMO_DATA"]:
        commands.demo_commands.ensure_demo_data(portal)
    commands.announce(portal)
    portal.run(host=portal.config["HOST"], port=portal.config["PORT"])
