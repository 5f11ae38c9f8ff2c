"""axe-core (npm, injected by Playwright) finds no serious or critical accessibility issue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import run_axe, serious, submit_code, submit_password

pytestmark = pytest.mark.browser

# Known Dash 4.4 findings that the app cannot fix (shared/docs/browser-tests.md §5):
# dcc.Dropdown renders an aria-hidden input with tabindex=0 next to its button.
DASH_KNOWN = frozenset({"aria-hidden-focus"})


def test_sign_in_page(watched, live_server):
    watched.page.goto(live_server + "/auth/login")
    assert serious(run_axe(watched.page)) == []


def test_sign_in_page_showing_an_error(watched, live_server):
    page = watched.page
    page.goto(live_server + "/auth/login")
    page.fill("input[autocomplete=username]", "nobody@example.invalid")
    page.fill("input[autocomplete=current-password]", "not the password")
    page.click("form.form button[type=submit]")
    expect(page.locator("[role=alert]").first).to_be_visible()
    assert serious(run_axe(page)) == []


def test_code_page_and_dash_page(watched, live_server, demo_customers):
    page = watched.page
    creds = demo_customers[1 % len(demo_customers)]  # not test_csp's user: codes work once
    submit_password(page, live_server, creds, next_path="/dashboards/usage")
    assert serious(run_axe(page)) == [], "the code page"

    submit_code(page, creds)
    if not page.url.endswith("/dashboards/usage"):
        page.goto(live_server + "/dashboards/usage")
    expect(page.locator("#_pages_content h1")).to_be_visible()
    assert serious(run_axe(page), DASH_KNOWN) == [], "the Dash page"
