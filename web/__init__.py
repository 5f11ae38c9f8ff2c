"""Web plumbing shared by every blueprint: error pages and template context.

Security headers, CSRF and rate limiting are wired here too, so no blueprint can
forget them.
"""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from . import formatting, security


def init_app(app: Flask) -> None:
    """Register error handlers and template helpers on ``app``."""
    formatting.init_app(app)
    security.init_app(app)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        template = "errors/404.html" if error.code == 404 else "errors/error.html"
        return render_template(template, error=error), error.code

    @app.errorhandler(Exception)
    def _server_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error")
        return render_template("errors/error.html", error=None), 500
