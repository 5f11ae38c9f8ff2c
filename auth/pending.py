"""The half-signed-in state between the password and the second factor.

Kept in the (signed) cookie as a user id and a start time only; it expires after
five minutes, and while it exists the browser can reach nothing but the
second-factor pages (ASVS 5.0 6.3.3).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import redirect, request, url_for
from flask import session as cookie
from werkzeug.wrappers import Response

from customer_model import PortalUser, Session

PENDING_FOR_SECONDS = 300
ALLOWED_ENDPOINTS = {
    "auth.mfa",
    "auth.mfa_setup",
    "auth.mfa_recovery",
    "auth.login",
    "auth.logout",
    "static",
}


def begin(user: PortalUser, next_url: str | None) -> None:
    """Forget everything the cookie held and remember only who passed the password."""
    cookie.clear()
    cookie["mfa"] = {"uid": user.id, "since": int(time.time()), "next": safe_next(next_url)}


def user() -> PortalUser | None:
    """The user waiting for their second factor, if the wait has not expired."""
    state = cookie.get("mfa")
    if not isinstance(state, dict) or time.time() - state.get("since", 0) > PENDING_FOR_SECONDS:
        return None
    return Session.get(PortalUser, state.get("uid"))


def next_url() -> str:
    state = cookie.get("mfa") or {}
    return state.get("next") or url_for("portal.home")


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: no scheme, no host, no ``//`` or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


def confine() -> Response | None:
    """``before_request``: a half-signed-in browser goes back to the code page."""
    if "mfa" not in cookie or request.endpoint in ALLOWED_ENDPOINTS:
        return None
    if user() is None:
        cookie.pop("mfa", None)
        return None
    if request.path.startswith("/dashboards/_") or request.method != "GET":
        return Response("Second factor required", status=401)
    return redirect(url_for("auth.mfa"))
