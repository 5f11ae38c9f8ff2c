"""In Chromium, the portal's strict CSP blocks nothing the pages need (checklist §8, §14).

A CSP mistake shows no Python error: Dash just stays on "Loading...", or loses its
styles. Only a real browser's ``securitypolicyviolation`` events reveal it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, sign_in

pytestmark = pytest.mark.browser

DASH_PAGE = "/dashboards/usage"
CALLBACK = "/dashboards/_dash-update-component"


def test_sign_in_page_has_no_csp_violation(watched, live_server):
    page = watched.page
    response = page.goto(live_server + "/auth/login")
    assert response is not None
    assert response.status == 200
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.styleSheets.length") >= 1  # portal.css applied
    assert watched.violations() == []
    assert watched.errors == []
    assert watched.failed == []


def test_signed_in_dash_page_renders_without_csp_violation(watched, live_server, demo_customers):
    page = watched.page
    callbacks: list[int] = []
    page.on("response", lambda r: CALLBACK in r.url and callbacks.append(r.status))

    sign_in(page, live_server, demo_customers[0])  # sign-in page, code page, portal home
    expect(page.locator("h1")).to_be_visible()
    assert watched.violations() == [], "on the sign-in pages or the portal's home"
    page.goto(live_server + DASH_PAGE)

    # Rendered: the page's own content arrived through the router callback (a
    # CSRF-checked POST carrying the X-CSRFToken header), and the loader is gone.
    expect(page.locator("#_pages_content h1")).to_be_visible()
    expect(page.locator("._dash-loading")).to_have_count(0)
    expect(page).to_have_title("My usage")  # the pages title clientside callback ran
    assert callbacks, "no callback ran"
    assert set(callbacks) == {200}, callbacks
    assert page.context.cookies(live_server + "/dashboards/")[0]["httpOnly"] is False

    shot = screenshot(page, "dashboards-usage")
    assert shot.stat().st_size > 5_000
    assert watched.violations() == []
    assert watched.errors == []
    assert watched.failed == []
