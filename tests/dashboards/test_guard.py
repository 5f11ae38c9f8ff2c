"""Every route under /dashboards/ refuses visitors who have not passed both factors.

The routes come from the app's real url_map, so a route Dash (or we) add later is
covered without touching this file (security checklist §14, "routes outside Flask
views").
"""

from __future__ import annotations

import re

import pytest

from dashboards.guard import PREFIX
from tests.auth_helpers import make_user, sign_in, submit_password

KNOWN_DASH_ROUTES = {
    "_dash-layout",
    "_dash-dependencies",
    "_dash-update-component",
    "_dash-component-suites",
    "_reload-hash",
    "_favicon.ico",
    "assets",
}
SAMPLE = {
    "package_name": "dash",
    "fingerprinted_path": "dash-renderer/build/dash_renderer.v4_4_1m1.min.js",
    "filename": "nothing.css",
    "path": "usage",
}


def _dash_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIX)]
    assert rules, "no Dash routes: is DASHBOARDS_ENABLED off?"
    return rules


def _url(rule) -> str:
    """A concrete URL for ``rule``: each placeholder filled with a plausible value."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: SAMPLE.get(m.group(1), "x"), rule.rule)


def _requests(app):
    """(method, url, is_page) for every Dash rule and method, plus POST everywhere."""
    for rule in _dash_rules(app):
        url = _url(rule)
        page = not url.startswith((PREFIX + "_", PREFIX + "assets/"))
        for method in sorted((rule.methods or set()) | {"POST"}):
            yield method, url, page


def _assert_refused(response, method: str, page: bool, sign_in_page: str) -> None:
    if page and method in ("GET", "HEAD"):
        assert response.status_code == 302, (method, response.request.path)
        assert response.headers["Location"].startswith(sign_in_page)
    else:
        assert response.status_code == 401, (method, response.request.path)
    assert not response.is_json
    assert b'"props"' not in response.data
    assert b'"output"' not in response.data
    response.close()


def test_the_known_dash_routes_are_all_there(app):
    found = {_url(rule).removeprefix(PREFIX).split("/")[0] for rule in _dash_rules(app)}
    assert found >= KNOWN_DASH_ROUTES
    # "export": the usage downloads (dashboards/exports.py), a Flask route under the prefix
    assert found - KNOWN_DASH_ROUTES <= {"", "usage", "export"}, (
        "a new Dash route: check it is guarded"
    )


def test_every_dash_route_refuses_anonymous_visitors(app, client):
    checked = 0
    for method, url, page in _requests(app):
        _assert_refused(client.open(url, method=method), method, page, "/auth/login")
        checked += 1
    assert checked >= 16


def test_every_dash_route_refuses_a_visitor_who_passed_only_the_password(app, client, db_session):
    creds = make_user(db_session)
    assert submit_password(client, creds.email, creds.password).status_code == 302
    for method, url, _page in _requests(app):
        response = client.open(url, method=method)
        if response.status_code == 302:  # back to the code page (auth's own guard)
            assert response.headers["Location"].endswith(("/auth/mfa", "/auth/login"))
        else:
            assert response.status_code == 401, (method, url)
        assert not response.is_json
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboards",
        "//dashboards/_dash-layout",
        "/dashboards//_dash-layout",
        "/dashboards/./_dash-layout",
        "/x/../dashboards/_dash-layout",
        "/%64ashboards/_dash-layout",
        "/dashboards/%5Fdash-layout",
        "/dashboards/_dash-layout/",
        "/dashboards/_dash-dependencies?x=1",
    ],
)
def test_odd_spellings_of_a_dash_url_give_nothing_away(client, url):
    response = client.get(url)
    assert response.status_code in (301, 302, 308, 401, 404), response.status_code
    assert not response.is_json
    location = response.headers.get("Location", "").removeprefix("http://localhost")
    if location.startswith(PREFIX):  # a canonicalising redirect: the target is guarded too
        assert client.get(location).status_code in (302, 401)
    else:
        assert not location or location.startswith("/auth/login")


def test_health_endpoint_and_mcp_are_off(app):
    dash_app = app.extensions["dash_app"]
    assert dash_app.config.health_endpoint is None
    assert dash_app._enable_mcp is False  # no public switch to read it from
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert not any("_mcp" in rule or "health" in rule for rule in rules)


def test_dash_serves_production_bundles_without_dev_tools(app, client, db_session):
    sign_in(client, make_user(db_session))
    page = client.get("/dashboards/usage").get_data(as_text=True)
    assert ".min.js" in page
    assert ".dev.js" not in page
    assert '"ui":false' in page  # the dev-tools UI (tracebacks, version check) is off
    assert '"hot_reload"' not in page


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    ("email", "status"),
    [("luc.bouchard@lakeshore.example.com", 404), ("emma.wilson@lakeshore.example.com", 200)],
)
def test_roles_without_usage_get_no_dashboard(client, email, status):
    from tests.auth_helpers import demo_credentials
    from tests.conftest import DEMO_SEED

    sign_in(client, demo_credentials(email, DEMO_SEED))
    assert client.get("/dashboards/usage").status_code == status
    layout = client.get("/dashboards/_dash-layout")
    assert layout.status_code == status
