"""Server-side protection of every Dash route (pages, callbacks, assets, layout).

A ``before_request`` hook rather than wrapping view functions: it also covers
routes Dash adds later (the approach dash-auth moved to in 2.1.0).
"""

from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user

from auth.scoping import allowed
from customer_model import Permission

PREFIX = "/dashboards/"
ASSETS = PREFIX + "assets/"
"""Dash's ``assets_url_path`` under the prefix (Dash's default, ``assets``)."""


def require_signed_in_user():  # type: ignore[no-untyped-def]
    """Refuse /dashboards/* to anyone who has not passed both factors.

    ``current_user.is_authenticated`` only becomes true after the second factor
    (``login_user`` is called at the end of MFA), so this one test suffices.
    Pages (GET of an HTML route) send the visitor to sign in; everything the
    renderer fetches (``_dash-*``, ``_reload-hash``, ``_favicon.ico``, component
    suites, assets) and every non-GET gets a bare 401: no HTML redirect for XHR.
    """
    if not _is_dash_request():
        return None
    if current_user.is_authenticated:
        # every dashboard shows usage: a role without it (billing, agent) sees nothing
        return None if allowed(Permission.VIEW_USAGE) else abort(404)
    if request.method not in ("GET", "HEAD") or not _is_page(request.path):
        abort(401)
    return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]


def _is_dash_request() -> bool:
    """By path, and by matched rule too, so no spelling of a URL slips past the prefix."""
    rule = request.url_rule
    return request.path.startswith(PREFIX) or (rule is not None and rule.rule.startswith(PREFIX))


def _is_page(path: str) -> bool:
    return (
        path.startswith(PREFIX)
        and not path.startswith(PREFIX + "_")
        and not path.startswith(ASSETS)
    )
