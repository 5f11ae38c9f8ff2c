"""Hand Dash's renderer the CSRF token, so its callback POSTs pass ``CSRFProtect``.

Dash >= 4.2 reads the cookie named ``csrf_token_name`` (default ``_csrf_token``)
and sends its value in the ``csrf_header_name`` header (default ``X-CSRFToken``,
one of Flask-WTF's ``WTF_CSRF_HEADERS``). We set that cookie from Flask-WTF's
``generate_csrf()`` on every Dash page load, so ``_dash-update-component`` is
checked like any other POST instead of being exempted (security checklist §14).

The cookie must be readable by JavaScript (no ``HttpOnly``): it is the
double-submit half of the token, worthless without the session it is bound to.
It is scoped to the Dash prefix, ``SameSite=Lax``, and ``Secure`` under HTTPS.
"""

from __future__ import annotations

import dash
from flask import Flask, Response, current_app, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from .guard import PREFIX


def init_app(server: Flask, dash_app: dash.Dash) -> None:
    """Set the token cookie on the responses to Dash page loads."""
    header = dash_app.config.csrf_header_name
    accepted = server.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    if header not in accepted:  # a configuration mistake: fail at start, not per callback
        raise RuntimeError(f"Dash sends {header}, but Flask-WTF reads only {accepted}")
    cookie_name = dash_app.config.csrf_token_name

    def _set_csrf_cookie(response: Response) -> Response:
        if _is_dash_page(response) and current_user.is_authenticated:
            response.set_cookie(
                cookie_name,
                generate_csrf(),
                path=PREFIX,
                secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"],
                httponly=False,  # Dash's renderer reads it from document.cookie
                samesite="Lax",
            )
        return response

    server.after_request(_set_csrf_cookie)


def _is_dash_page(response: Response) -> bool:
    """An HTML page of the Dash app (index or a page), not its JSON, assets or suites."""
    return (
        request.method == "GET"
        and request.path.startswith(PREFIX)
        and not request.path.startswith(PREFIX + "_")
        and response.status_code == 200
        and response.mimetype == "text/html"
    )
