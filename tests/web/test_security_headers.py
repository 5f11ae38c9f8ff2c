"""Security headers on every kind of response, and the cookie rules (checklist §2, §8, §14)."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customer_model import bind
from tests.auth_helpers import TEST_SECRET_KEY, make_user, sign_in
from web.security import HSTS

ANONYMOUS = {
    "sign-in page": ("GET", "/auth/login", 200),
    "404 page": ("GET", "/no-such-page", 404),
    "static file": ("GET", "/static/portal.css", 200),
    "redirect": ("GET", "/", 302),
    "Dash page, refused": ("GET", "/dashboards/usage", 302),
    "Dash JSON, refused": ("GET", "/dashboards/_dash-layout", 401),
    "Dash callback, refused": ("POST", "/dashboards/_dash-update-component", 401),
    "form POST without token": ("POST", "/auth/login", 400),
}
SIGNED_IN = {
    "portal page": ("GET", "/", 200),
    "Dash page": ("GET", "/dashboards/usage", 200),
    "Dash index": ("GET", "/dashboards/", 200),
    "Dash layout JSON": ("GET", "/dashboards/_dash-layout", 200),
    "Dash dependencies JSON": ("GET", "/dashboards/_dash-dependencies", 200),
    "Dash reload hash": ("GET", "/dashboards/_reload-hash", 200),
    "Dash favicon": ("GET", "/dashboards/_favicon.ico", 200),
    "Dash callback without token": ("POST", "/dashboards/_dash-update-component", 400),
}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"directive {name} twice"
        parsed[name] = values
    return parsed


def assert_security_headers(response, https: bool = False) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert headers["X-Frame-Options"] == "DENY"
    csp = directives(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # measured need of dcc/Plotly
    assert csp["script-src"][0] == "'self'"
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", h) for h in csp["script-src"][1:])
    if https:
        assert headers["Strict-Transport-Security"] == HSTS
    else:
        assert "Strict-Transport-Security" not in headers
    response.close()


@pytest.fixture
def signed_in(client, db_session):
    sign_in(client, make_user(db_session))
    return client


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("kind", ANONYMOUS)
def test_anonymous_responses_carry_the_headers(client, kind, https):
    method, path, status = ANONYMOUS[kind]
    base = "https://localhost" if https else "http://localhost"
    response = client.open(path, method=method, base_url=base)
    assert response.status_code == status
    assert_security_headers(response, https)


@pytest.mark.parametrize("kind", SIGNED_IN)
def test_signed_in_responses_carry_the_headers(signed_in, kind):
    method, path, status = SIGNED_IN[kind]
    response = signed_in.open(path, method=method, json={} if method == "POST" else None)
    assert response.status_code == status
    assert_security_headers(response)


def test_dash_component_suites_carry_the_headers(signed_in):
    page = signed_in.get("/dashboards/usage").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources
    for src in sources:
        response = signed_in.get(src)
        assert response.status_code == 200, src
        assert_security_headers(response)


def test_every_inline_script_of_a_dash_page_is_allowed_by_its_own_policy(signed_in):
    response = signed_in.get("/dashboards/usage")
    page = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)  # IE-only
    allowed = set(directives(response.headers["Content-Security-Policy"])["script-src"])
    scripts = re.findall(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", page, re.S)
    executable = [body for attrs, body in scripts if "src=" not in attrs and "json" not in attrs]
    assert len(executable) >= 2  # the renderer bootstrap and the pages title callback
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]
    for attrs, _ in scripts:
        if src := re.search(r'src="([^"]+)"', attrs):
            assert src.group(1).startswith("/")
            assert not src.group(1).startswith("//")


def test_no_cors_header_is_echoed(signed_in):
    for path in ("/", "/dashboards/_dash-layout", "/auth/login"):
        response = signed_in.get(path, headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in response.headers


def test_plain_http_session_cookie_is_httponly_lax_and_not_secure(client):
    page = client.get("/auth/login")  # the form's CSRF token starts a session
    cookie = _set_cookie(page, "portal_session")
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert "secure" not in cookie
    assert "domain" not in cookie


# --- an HTTPS deployment behind one proxy: a second app without Dash (one Dash per process)


BEHIND_PROXY = "http://portal.example"  # the proxy talks plain HTTP to the app ...
FORWARDED = {"X-Forwarded-Proto": "https"}  # ... and says what the browser used


@pytest.fixture
def https_app(app, engine: Engine, database_url: str) -> Iterator:
    from app import create_app

    secure_app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "PREFERRED_URL_SCHEME": "https",
            "PROXY_FIX_HOPS": 1,
            "DASHBOARDS_ENABLED": False,
        }
    )
    bind(engine)  # create_app rebinds the shared Session: give it back to the session engine
    yield secure_app
    secure_app.extensions["db_engine"].dispose()


def test_https_session_cookie_is_secure_host_prefixed_httponly_lax(https_app):
    page = https_app.test_client().get("/auth/login", base_url=BEHIND_PROXY, headers=FORWARDED)
    cookie = _set_cookie(page, "__Host-portal")
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"  # __Host- also demands Path=/ and no Domain
    assert "domain" not in cookie
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True


def test_hsts_only_when_the_proxy_says_https(https_app):
    client = https_app.test_client()
    secure = client.get("/auth/login", base_url=BEHIND_PROXY, headers=FORWARDED)
    assert_security_headers(secure, https=True)
    plain = client.get("/auth/login", base_url=BEHIND_PROXY)
    assert_security_headers(plain, https=False)


def test_a_host_cookie_without_https_is_refused_at_start():
    from web.security import _configure_cookies

    app_like = type("Cfg", (), {})()
    app_like.config = {"SESSION_COOKIE_NAME": "__Host-portal", "PREFERRED_URL_SCHEME": "http"}
    with pytest.raises(RuntimeError, match="__Host-"):
        _configure_cookies(app_like, https=False)


def _set_cookie(response, name: str) -> dict[str, str | bool]:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            attributes: dict[str, str | bool] = {}
            for part in header.split(";")[1:]:
                key, _, value = part.strip().partition("=")
                attributes[key.lower()] = value or True
            return attributes
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


# --- the policy is never frozen before Dash has registered all its inline scripts

FIRST_REQUEST_REFUSED = textwrap.dedent(
    """
    import sys
    from app import create_app
    from customer_model import make_engine, schema

    url = sys.argv[1]
    schema.upgrade(make_engine(url))
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x" * 40})
    client = app.test_client()
    # The very first request is refused by the guard, before Dash's pages router
    # (a before_request) has registered its title clientside callback.
    assert client.get("/dashboards/usage").status_code == 302
    later = client.get("/auth/login").headers["Content-Security-Policy"]
    expected = set(app.extensions["dash_app"].csp_hashes())
    assert len(expected) >= 2, expected
    missing = expected - set(later.split("script-src ")[1].split(";")[0].split())
    assert not missing, missing
    print("ok")
    """
)


def test_policy_follows_scripts_dash_registers_after_the_first_request(tmp_path):
    result = subprocess.run(  # noqa: S603 - our own script; a fresh process: one Dash per process
        [sys.executable, "-c", FIRST_REQUEST_REFUSED, f"sqlite:///{tmp_path / 'fresh.db'}"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().endswith("ok"), result.stderr[-2000:]
