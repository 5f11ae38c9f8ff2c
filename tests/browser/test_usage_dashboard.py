"""The usage page in Chromium: sign in with TOTP, see the chart, change the period; on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import run_axe, screenshot, serious, sign_in
from tests.browser.test_a11y import DASH_KNOWN

pytestmark = pytest.mark.browser

PAGE = "/dashboards/usage"
CALLBACK = "/dashboards/_dash-update-component"
GRAPH = "#usage-main-graph .js-plotly-plot"
# _fullData: the traces as Plotly drew them (base64 arrays from the server decoded)
POINTS = """gd => gd._fullData.map(t => ({name: t.name, type: t.type,
    n: t.y ? t.y.length : 0, sum: t.y ? Array.from(t.y).reduce((a, b) => a + (b || 0), 0) : 0}))"""


def traces(page) -> list[dict]:
    return page.eval_on_selector(GRAPH, POINTS)


def test_usage_page_draws_the_chart_and_follows_the_period(watched, live_server, demo_customers):
    page = watched.page
    # not the CSP or the a11y tests' user: each TOTP code works once
    creds = demo_customers[2 % len(demo_customers)]
    sign_in(page, live_server, creds, next_path=PAGE)
    if not page.url.endswith(PAGE):
        page.goto(live_server + PAGE)

    expect(page.locator(f"{GRAPH} .trace").first).to_be_visible()
    expect(page.locator("#usage-main-takeaway")).to_contain_text("kWh")
    first = traces(page)
    grid = next(t for t in first if t["name"] == "From the grid")
    assert grid["type"] == "bar"
    assert grid["n"] >= 28  # a month of days
    assert grid["sum"] > 0

    page.get_by_role("radio", name="Year", exact=True).check()
    expect(page.locator("#usage-title")).to_contain_text("20")
    expect(page.locator("#usage-resolution input[value=month]")).to_be_checked()
    page.wait_for_function(
        """() => { const gd = document.querySelector('#usage-main-graph .js-plotly-plot');
                   return gd && gd._fullData && gd._fullData.length
                          && gd._fullData[0].y.length <= 12; }"""
    )
    year = next(t for t in traces(page) if t["name"] == "From the grid")
    assert 1 <= year["n"] <= 12
    assert year["sum"] > grid["sum"]  # a year holds more than its last month
    expect(page.locator("#usage-tou-graph .js-plotly-plot .trace").first).to_be_visible()
    expect(page.locator("#usage-peak")).to_contain_text("kW")

    page.get_by_text("Show the numbers as a table").first.click()
    expect(page.locator("#usage-main-table table caption")).to_contain_text("Usage per month")
    shot = screenshot(page, "usage-dashboard")
    assert shot.stat().st_size > 20_000

    # 15-minute detail over a year: an overview of days, then every reading of a zoomed window
    callbacks: list[str] = []
    page.on("request", lambda r: CALLBACK in r.url and callbacks.append(r.url))
    page.get_by_role("radio", name="15 minutes", exact=True).check()
    expect(page.locator(f"{GRAPH} .ytitle")).to_contain_text("average of each day")
    page.eval_on_selector(
        GRAPH, "gd => Plotly.relayout(gd, {'xaxis.range': ['2026-03-06', '2026-03-09']})"
    )
    page.wait_for_function(
        """() => { const gd = document.querySelector('#usage-main-graph .js-plotly-plot');
                   return gd._fullData[0].y.length === 96 + 96 + 92; }  // 8 March: 23 h"""
    )
    expect(page.locator(f"{GRAPH} .ytitle")).to_have_text("kWh per 15 minutes")
    settled = len(callbacks)
    page.wait_for_timeout(1_500)
    assert len(callbacks) == settled, "the refined figure must not trigger another refinement"
    assert watched.violations() == []
    assert watched.errors == []
    assert watched.failed == []


def test_usage_page_on_a_phone_and_with_axe(watched, live_server, demo_customers):
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    creds = demo_customers[3 % len(demo_customers)]
    sign_in(page, live_server, creds, next_path=PAGE)
    if not page.url.endswith(PAGE):
        page.goto(live_server + PAGE)
    expect(page.locator(f"{GRAPH} .trace").first).to_be_visible()
    expect(page.locator("#usage-week-graph .js-plotly-plot .hm").first).to_be_attached()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
    page.get_by_role("radio", name="Month", exact=True).focus()
    page.keyboard.press("ArrowLeft")  # native radios: the arrow keys choose
    expect(page.get_by_role("radio", name="Week", exact=True)).to_be_checked()
    expect(page.locator("#usage-title")).to_contain_text("The week of")
    screenshot(page, "usage-dashboard-phone")
    assert serious(run_axe(page), DASH_KNOWN) == []
    assert watched.violations() == []
    assert watched.errors == []
