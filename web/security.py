"""Cross-cutting protections every response gets: CSRF, rate limits, headers, cookies.

Wired once here so no blueprint can forget them (ASVS V3, V4.2.2, V14.4; security
checklist §2 cookies, §8 headers, §14 Dash).
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

HSTS = "max-age=63072000; includeSubDomains"
"""Two years, subdomains included (ASVS 5: at least one year and includeSubDomains)."""

_STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Not no-referrer: over HTTPS Flask-WTF (WTF_CSRF_SSL_STRICT) refuses any POST
    # without a same-origin Referer. same-origin sends nothing to other sites; a
    # view that must hide its own URL (one-time links) sets no-referrer itself.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for old browsers; frame-ancestors is the real control
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

_FLASK_DEFAULT_SESSION_COOKIE = "session"


def init_app(app: Flask) -> None:
    """Configure cookies, CSRF, the rate limiter and the response headers."""
    https = app.config["PREFERRED_URL_SCHEME"] == "https"
    _configure_cookies(app, https)
    app.config.update(
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead, which itself expires
        RATELIMIT_STORAGE_URI=app.config.get("REDIS_URL") or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if hops := int(app.config.get("PROXY_FIX_HOPS") or 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_security_headers)


def _configure_cookies(app: Flask, https: bool) -> None:
    """Session cookie: HttpOnly + SameSite=Lax always; Secure + ``__Host-`` under HTTPS.

    Flask's defaults already hold ``SESSION_COOKIE_NAME = "session"``, so the name
    is replaced unless the deployment chose its own.
    """
    if app.config.get("SESSION_COOKIE_NAME") in (None, _FLASK_DEFAULT_SESSION_COOKIE):
        app.config["SESSION_COOKIE_NAME"] = "__Host-portal" if https else "portal_session"
    if app.config["SESSION_COOKIE_NAME"].startswith("__Host-") and (
        not https
        or app.config.get("SESSION_COOKIE_DOMAIN")
        or (app.config.get("SESSION_COOKIE_PATH") or "/") != "/"
    ):
        # Browsers silently drop such a cookie: fail at start, not at every sign-in.
        raise RuntimeError("a __Host- cookie needs HTTPS, Path=/ and no Domain")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_DURATION=0,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=https,
    )


def _security_headers(response: Response) -> Response:
    for name, value in _STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    if request.is_secure:  # HTTPS itself, or X-Forwarded-Proto through ProxyFix
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static" and not request.path.startswith("/dashboards/_dash-component"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def content_security_policy() -> str:
    """A strict CSP that still lets Dash run: its inline bootstrap scripts by hash.

    ``style-src 'unsafe-inline'`` is needed by Plotly and dcc, which inject styles
    at run time (measured: 26 violations without it); scripts stay hash-only and
    there is no ``'unsafe-eval'`` (SVG traces only; WebGL traces would need it).

    Computed per response, never cached at the first request: Dash registers
    inline scripts late (the pages router adds its title clientside callback in a
    ``before_request`` that a refused request never reaches), and a policy frozen
    before that would block them for the life of the process.
    """
    dash_app = current_app.extensions.get("dash_app")
    return _policy(tuple(dash_app.csp_hashes()) if dash_app else ())


@lru_cache(maxsize=8)
def _policy(script_hashes: tuple[str, ...]) -> str:
    scripts = " ".join(("'self'", *script_hashes))
    return (
        f"default-src 'self'; script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
