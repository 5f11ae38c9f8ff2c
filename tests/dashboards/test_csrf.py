"""Dash callbacks pass CSRFProtect with the header token Dash >= 4.2 sends (checklist §14)."""

from __future__ import annotations

import pytest

from tests.auth_helpers import make_user, sign_in

CALLBACK = "/dashboards/_dash-update-component"
COOKIE = "_csrf_token"


@pytest.fixture
def signed_in(client, db_session):
    sign_in(client, make_user(db_session))
    return client


def _cookie_attributes(response, name: str) -> dict[str, str | bool]:
    """The attributes of the Set-Cookie header for ``name`` (lower-case keys)."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            parts = [part.strip() for part in header.split(";")]
            attributes: dict[str, str | bool] = {"value": parts[0].split("=", 1)[1]}
            for part in parts[1:]:
                key, _, value = part.partition("=")
                attributes[key.lower()] = value or True
            return attributes
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.getlist('Set-Cookie')}")


def _router_callback(client, pathname: str = "/dashboards/usage") -> dict:
    """A real callback body: the pages router, as the renderer would post it."""
    dependencies = client.get("/dashboards/_dash-dependencies").get_json()
    router = next(d for d in dependencies if "_pages_content.children" in d["output"])
    values = {"pathname": pathname, "search": ""}
    return {
        "output": router["output"],
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [{**i, "value": values[i["property"]]} for i in router["inputs"]],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def test_dash_page_sets_a_script_readable_lax_token_cookie(signed_in):
    page = signed_in.get("/dashboards/usage")
    assert page.status_code == 200
    cookie = _cookie_attributes(page, COOKIE)
    assert cookie["value"]
    assert cookie["path"] == "/dashboards/"
    assert cookie["samesite"] == "Lax"
    assert "httponly" not in cookie  # the renderer reads it from document.cookie
    assert "secure" not in cookie  # plain http here; see the https test


def test_token_cookie_is_secure_over_https(signed_in):
    page = signed_in.get("/dashboards/usage", base_url="https://localhost")
    assert _cookie_attributes(page, COOKIE).get("secure") is True


def test_dash_config_names_the_same_cookie_and_a_header_flask_wtf_reads(app, signed_in):
    dash_app = app.extensions["dash_app"]
    assert dash_app.config.csrf_token_name == COOKIE
    assert dash_app.config.csrf_header_name in app.config["WTF_CSRF_HEADERS"]
    page = signed_in.get("/dashboards/usage").get_data(as_text=True)
    assert '"csrf_token_name":"_csrf_token","csrf_header_name":"X-CSRFToken"' in page


@pytest.mark.parametrize(
    "path", ["/dashboards/_dash-layout", "/dashboards/_dash-dependencies", "/auth/login"]
)
def test_only_dash_pages_set_the_token_cookie(signed_in, path):
    response = signed_in.get(path)
    assert not any(h.startswith(COOKIE + "=") for h in response.headers.getlist("Set-Cookie"))


def test_anonymous_visitors_get_no_token_cookie(client):
    response = client.get("/dashboards/usage")
    assert response.status_code == 302
    assert not any(h.startswith(COOKIE + "=") for h in response.headers.getlist("Set-Cookie"))


def test_callback_without_the_header_is_refused(signed_in):
    signed_in.get("/dashboards/usage")
    response = signed_in.post(CALLBACK, json=_router_callback(signed_in))
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_callback_with_a_wrong_header_is_refused(signed_in):
    signed_in.get("/dashboards/usage")
    body = _router_callback(signed_in)
    response = signed_in.post(CALLBACK, json=body, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400


def test_callback_with_the_cookie_token_in_the_header_runs(signed_in):
    page = signed_in.get("/dashboards/usage")
    token = _cookie_attributes(page, COOKIE)["value"]
    response = signed_in.post(
        CALLBACK, json=_router_callback(signed_in), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "usage-page" in response.get_data(as_text=True)


def test_token_of_another_session_is_refused(app, signed_in, db_session):
    other = app.test_client()
    sign_in(other, make_user(db_session))
    token = _cookie_attributes(other.get("/dashboards/usage"), COOKIE)["value"]
    signed_in.get("/dashboards/usage")
    response = signed_in.post(
        CALLBACK, json=_router_callback(signed_in), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 400  # a token is bound to its own session


def test_callback_as_plain_text_is_refused(signed_in):
    page = signed_in.get("/dashboards/usage")
    token = _cookie_attributes(page, COOKIE)["value"]
    response = signed_in.post(
        CALLBACK,
        data='{"output": "x"}',
        headers={"X-CSRFToken": token, "Content-Type": "text/plain"},
    )
    assert response.status_code in (400, 415)  # never runs a callback from a plain form


def test_over_https_the_callback_also_needs_the_same_origin_referer(signed_in):
    """Flask-WTF's SSL-strict check is why Referrer-Policy is same-origin, not no-referrer."""
    https = "https://localhost"
    page = signed_in.get("/dashboards/usage", base_url=https)
    assert page.headers["Referrer-Policy"] == "same-origin"  # browsers send it to us only
    headers = {"X-CSRFToken": _cookie_attributes(page, COOKIE)["value"]}
    body = _router_callback(signed_in)
    without = signed_in.post(CALLBACK, json=body, headers=headers, base_url=https)
    assert without.status_code == 400
    assert "referrer" in without.get_data(as_text=True).lower()
    referer = {**headers, "Referer": f"{https}/dashboards/usage"}
    assert signed_in.post(CALLBACK, json=body, headers=referer, base_url=https).status_code == 200
