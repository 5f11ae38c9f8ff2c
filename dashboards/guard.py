"""Server-side protection of every Dash route (pages, callbacks, assets, layout).

A ``before_request`` hook rather than wrapping view functions: it also covers
routes Dash adds later (the approach dash-auth moved to in 2.1.0).
"""

from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user

PREFIX = "/dashboards/"


def require_signed_in_user():  # type: ignore[no-untyped-def]
    """Refuse /dashboards/* to anyone who has not passed both factors.

    ``current_user.is_authenticated`` only becomes true after the second factor
    (``login_user`` is called at the end of MFA), so this one test suffices.
    """
    if not request.path.startswith(PREFIX) or current_user.is_authenticated:
        return None
    if request.method != "GET" or request.path.startswith(PREFIX + "_"):
        abort(401)  # XHR from an expired session: no HTML redirect
    return current_app.login_manager.unauthorized()
