"""The one Dash app of the process, mounted at /dashboards/ inside the Flask app.

Dash keeps process-global registries (pages, callbacks), so there is exactly one
instance; page modules are imported by Dash itself, never by our code.
"""

from __future__ import annotations

import dash
from flask import Flask

from . import csrf_cookie, exports, guard, shell

PREFIX = guard.PREFIX


def init_dashboards(server: Flask) -> dash.Dash:
    """Protect /dashboards/ with a ``before_request`` guard, mount Dash, hand it the CSRF token."""
    server.before_request(guard.require_signed_in_user)
    server.register_blueprint(exports.bp)
    app = dash.Dash(
        name="dashboards",
        server=server,
        url_base_pathname=PREFIX,
        use_pages=True,
        serve_locally=True,
        external_stylesheets=["/static/portal.css"],  # our own file, not a CDN
        title="My energy",
        update_title=None,
        suppress_callback_exceptions=True,
        health_endpoint=None,  # no unauthenticated probe route under the prefix
        enable_mcp=False,  # explicit: DASH_MCP_ENABLED must not open an _mcp route
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = shell.layout
    server.extensions["dash_app"] = app
    csrf_cookie.init_app(server, app)
    return app
