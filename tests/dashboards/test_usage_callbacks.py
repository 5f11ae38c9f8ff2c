"""The usage page's callbacks, posted as the browser posts them, for the demo customers.

Totals must equal the ``daily_usage`` rollups; a meter id that is not the
user's (forged payload) must come back with no data at all.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from decimal import Decimal

import numpy as np
import pytest

from dashboards import figures, takeaways
from tests.auth_helpers import make_user, sign_in, submit_password
from tests.dashboards.conftest import (
    HADDAD,
    LAST_DAY,
    MACLEOD,
    OKAFOR,
    OLIVIA,
    RAJ,
    TREMBLAY,
    meter_named,
    meters_of,
    rollup_mwh,
    usage_values,
)
from tests.dashboards.dash_client import CALLBACK, DashClient, outputs

MAIN = "usage-title.children"
HABITS = "usage-tou-graph.figure"
REFINE = "usage-main-graph.figure"
D = dt.date


def trace_values(trace: dict, axis: str = "y") -> np.ndarray:
    data = trace[axis]
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.array(data, dtype=float)


def trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t.get("name") == name)


def total_mwh(figure: dict, name: str) -> int:
    return round(float(np.nansum(trace_values(trace(figure, name)))) * 1e6)


@pytest.mark.parametrize(
    ("email", "place", "kind", "anchor", "first", "last", "resolution"),
    [
        (TREMBLAY, "Maison", "month", "2026-01-15", D(2026, 1, 1), D(2026, 1, 31), "day"),
        (TREMBLAY, "Chalet du lac", "year", "2025-06-01", D(2025, 1, 1), D(2025, 12, 31), "month"),
        (OKAFOR, "58 Glenholme Avenue", "week", "2026-03-04", D(2026, 3, 2), D(2026, 3, 8), "hour"),
        (MACLEOD, "317 Sunnyside Avenue", "month", None, D(2026, 10, 1), D(2026, 10, 31), "day"),
        (HADDAD, "407-285 Montreal Road", "day", "2025-11-02", D(2025, 11, 2), D(2025, 11, 2),
         "15min"),
    ],
)  # fmt: skip
def test_figures_and_sentences_match_the_rollups(
    dash_as, db_session, email, place, kind, anchor, first, last, resolution
):
    meter = meter_named(db_session, place)
    response = dash_as(email).call(MAIN, usage_values(meter.id, kind, anchor=anchor))
    assert response.status_code == 200
    out = outputs(response)
    delivered, received = rollup_mwh(db_session, meter.id, first, last)
    assert delivered > 0
    figure = out["usage-main-graph.figure"]
    assert total_mwh(figure, "From the grid") == delivered
    if received:
        assert total_mwh(figure, "Sent to the grid (solar)") == -received
    assert figure["layout"]["yaxis"]["title"]["text"] == figures.UNITS[resolution]
    assert takeaways.kwh_text(delivered) in out["usage-main-takeaway.children"]
    summary = json.dumps(out["usage-summary.children"])
    assert takeaways.kwh_text(delivered) in summary
    query = f"meter={meter.id}&from={first.isoformat()}&to={last.isoformat()}"
    assert out["usage-csv.href"] == f"/dashboards/export/csv?{query}"
    assert out["usage-xml.href"] == f"/dashboards/export/xml?{query}"


def test_comparisons_state_the_change_in_kwh_and_percent(dash_as, db_session):
    meter = meter_named(db_session, "Maison")
    values = usage_values(
        meter.id, "month", anchor="2026-01-10", overlays=["previous", "last_year"]
    )
    out = outputs(dash_as(TREMBLAY).call(MAIN, values))
    now, _ = rollup_mwh(db_session, meter.id, D(2026, 1, 1), D(2026, 1, 31))
    then, _ = rollup_mwh(db_session, meter.id, D(2025, 1, 1), D(2025, 1, 31))
    percent = 100 * (now - then) / then
    word = "more" if percent > 0 else "less"
    sentence = out["usage-main-takeaway.children"]
    expected = f"{takeaways.percent_text(percent)} {word} than in January 2025"
    assert f"{expected} ({takeaways.kwh_text(then)})" in sentence
    names = [t["name"] for t in out["usage-main-graph.figure"]["data"]]
    assert "Same period last year (January 2025)" in names
    assert "Previous period (December 2025)" in names
    summary = json.dumps(out["usage-summary.children"], ensure_ascii=False)
    assert f"change {'+' if now >= then else '−'}{takeaways.kwh_text(abs(now - then))}" in summary


def test_weather_overlay_adds_degree_days_on_a_second_axis(dash_as, db_session):
    meter = meter_named(db_session, "Maison")
    values = usage_values(meter.id, "month", anchor="2026-01-10", overlays=["weather"])
    figure = outputs(dash_as(TREMBLAY).call(MAIN, values))["usage-main-graph.figure"]
    heating = trace(figure, "Heating degree days")
    assert heating["yaxis"] == "y2"
    assert len(trace_values(heating)) == 31
    assert float(np.nansum(trace_values(heating))) > 500  # January in Laval


def test_the_data_table_lists_every_day_of_a_month(dash_as, db_session):
    meter = meter_named(db_session, "317 Sunnyside Avenue")
    table = outputs(dash_as(MACLEOD).call(MAIN, usage_values(meter.id)))[
        "usage-main-table.children"
    ]
    body = table["props"]["children"][2]["props"]["children"]
    assert len(body) == 31
    caption = table["props"]["children"][0]["props"]["children"]
    assert caption == "Usage per day, 1–31 October 2026"
    headers = table["props"]["children"][1]["props"]["children"]["props"]["children"]
    assert [h["props"]["scope"] for h in headers] == ["col"] * 4  # net metered: 4 columns


def test_a_year_of_quarter_hours_starts_as_an_overview_and_zooming_brings_the_readings(
    dash_as, db_session
):
    meter = meter_named(db_session, "58 Glenholme Avenue")
    browser = dash_as(OKAFOR)
    values = usage_values(meter.id, "year", anchor="2025-05-01", resolution="15min")
    overview = outputs(browser.call(MAIN, values))["usage-main-graph.figure"]
    assert len(trace_values(overview["data"][0])) == 365
    assert "average of each day" in overview["layout"]["yaxis"]["title"]["text"]
    zoom = {"xaxis.range[0]": "2025-03-08 00:00", "xaxis.range[1]": "2025-03-10 23:59:59.999"}
    response = browser.call(REFINE, {**values, "usage-main-graph.relayoutData": zoom})
    assert response.status_code == 200
    detail = outputs(response)["usage-main-graph.figure"]
    grid = trace(detail, "From the grid")
    assert len(trace_values(grid)) == 96 + 92 + 96  # the spring-forward day has 92 quarter-hours
    assert detail["layout"]["xaxis"]["range"] == [zoom["xaxis.range[0]"], zoom["xaxis.range[1]"]]
    delivered, _ = rollup_mwh(db_session, meter.id, D(2025, 3, 8), D(2025, 3, 10))
    assert total_mwh(detail, "From the grid") == delivered
    reset = browser.call(
        REFINE, {**values, "usage-main-graph.relayoutData": {"xaxis.autorange": True}}
    )
    assert len(trace_values(outputs(reset)["usage-main-graph.figure"]["data"][0])) == 365


def test_short_charts_need_no_refinement(dash_as, db_session):
    meter = meter_named(db_session, "58 Glenholme Avenue")
    values = usage_values(meter.id, "week", resolution="hour")
    zoom = {"xaxis.range[0]": "2026-10-27 00:00", "xaxis.range[1]": "2026-10-28 00:00"}
    response = dash_as(OKAFOR).call(REFINE, {**values, "usage-main-graph.relayoutData": zoom})
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("kind", "resolution", "start", "end"),
    [("year", "15min", None, None), ("year", "hour", None, None), ("month", "15min", None, None),
     ("custom", "day", "2024-11-01", "2026-10-31"), ("custom", "hour", "2026-08-01", "2026-10-31")],
)  # fmt: skip
def test_every_trace_stays_within_the_point_budget(
    dash_as, db_session, kind, resolution, start, end
):
    meter = meter_named(db_session, "317 Sunnyside Avenue")
    values = usage_values(
        meter.id, kind, start=start, end=end, resolution=resolution,
        overlays=["previous", "last_year", "weather"],
    )  # fmt: skip
    response = dash_as(MACLEOD).call(MAIN, values)
    assert response.status_code == 200
    assert len(response.data) < 300_000
    for item in outputs(response)["usage-main-graph.figure"]["data"]:
        assert len(trace_values(item)) <= figures.MAX_POINTS


def test_habits_split_the_period_by_price_and_find_the_peak(dash_as, db_session):
    meter = meter_named(db_session, "407-285 Montreal Road")
    response = dash_as(HADDAD).call(HABITS, usage_values(meter.id, "month", anchor="2026-01-20"))
    assert response.status_code == 200
    assert len(response.data) < 300_000
    out = outputs(response)
    shares = {t["name"]: trace_values(t, "x") for t in out["usage-tou-graph.figure"]["data"]}
    assert set(shares) == {"On-peak", "Mid-peak", "Off-peak"}
    use, cost = np.sum(list(shares.values()), axis=0)
    assert use == pytest.approx(100)
    assert cost == pytest.approx(100)
    assert "of the energy cost" in out["usage-tou-takeaway.children"]
    assert out["usage-peak.children"].startswith("Your highest 15-minute demand was ")
    assert "January 2026 at " in out["usage-peak.children"]
    assert out["usage-baseload.children"].startswith("Your always-on use is about ")
    assert "a year, or $" in out["usage-baseload.children"]
    assert out["usage-week-takeaway.children"].startswith("In a typical week your use is highest")
    z = trace_values(out["usage-week-graph.figure"]["data"][0], "z").reshape(7, 24)
    assert not np.isnan(z).any()


def test_a_flat_tariff_has_one_price_for_every_hour(dash_as, db_session):
    meter = meter_named(db_session, "Head office")
    out = outputs(dash_as(OLIVIA).call(HABITS, usage_values(meter.id)))
    assert out["usage-tou-takeaway.children"] == (
        "Your tariff charges the same energy price at every hour."
    )


def test_a_tariff_we_do_not_ship_gives_kwh_but_no_split(dash_as, db_session):
    from tests.portal.conftest import accounts_of

    account = accounts_of(db_session, HADDAD)[0]
    account.tariff_code = "no-such-tariff"
    db_session.commit()
    meter = meter_named(db_session, "407-285 Montreal Road")
    out = outputs(dash_as(HADDAD).call(HABITS, usage_values(meter.id)))
    assert out["usage-tou-takeaway.children"].startswith("Your tariff is not available here")
    assert out["usage-baseload.children"].endswith("kWh a year.")  # kWh, no price
    assert out["usage-tou-graph.figure"]["data"] == []


# --- scope: forged payloads get nothing -----------------------------------------------------


@pytest.mark.parametrize("first_output", [MAIN, HABITS, "usage-anchor.value"])
def test_another_customers_meter_id_gets_no_data(dash_as, db_session, first_output):
    theirs = meter_named(db_session, "Maison")  # Geneviève Tremblay's
    browser = dash_as(MACLEOD)
    values = usage_values(theirs.id, "year", anchor="2026-01-01")
    response = browser.call(first_output, values)
    assert response.status_code == 204
    assert response.data == b""


def test_a_forged_zoom_on_another_customers_meter_gets_no_data(dash_as, db_session):
    theirs = meter_named(db_session, "Maison")
    values = usage_values(theirs.id, "year", resolution="15min")
    zoom = {"xaxis.range[0]": "2026-01-01", "xaxis.range[1]": "2026-01-02"}
    response = dash_as(MACLEOD).call(REFINE, {**values, "usage-main-graph.relayoutData": zoom})
    assert response.status_code == 204


@pytest.mark.parametrize(
    "forged",
    ["{theirs}", "{theirs}.0", "float", "list", "dict", "{mine} OR 1=1", "٤", True, -1, 0, 2**31,
     10**30, None, "", "x" * 10_000],
)  # fmt: skip
def test_odd_meter_values_are_refused_never_an_error(dash_as, db_session, forged):
    mine = meter_named(db_session, "317 Sunnyside Avenue").id
    theirs = meter_named(db_session, "Maison").id
    value = {"float": float(theirs), "list": [theirs], "dict": {"id": theirs}}.get(forged, forged)
    if isinstance(value, str):
        value = value.format(mine=mine, theirs=theirs)
    response = dash_as(MACLEOD).call(MAIN, usage_values(value))
    assert response.status_code == 204


def test_the_own_meter_id_as_text_works(dash_as, db_session):
    mine = meter_named(db_session, "317 Sunnyside Avenue").id
    assert dash_as(MACLEOD).call(MAIN, usage_values(str(mine))).status_code == 200


def test_a_site_manager_reaches_only_his_sites(dash_as, db_session):
    mine = meter_named(db_session, "Rideau Street store")
    other = meter_named(db_session, "Head office")  # same organisation, not his site
    browser = dash_as(RAJ)
    assert browser.call(MAIN, usage_values(mine.id)).status_code == 200
    assert browser.call(MAIN, usage_values(other.id)).status_code == 204
    assert browser.call(HABITS, usage_values(other.id)).status_code == 204


def test_the_page_offers_only_the_users_own_meters(dash_as, db_session):
    browser = dash_as(RAJ)
    router = next(d for d in browser.dependencies if "_pages_content.children" in d["output"])
    body = {
        "output": router["output"],
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {**i, "value": {"pathname": "/dashboards/usage", "search": ""}[i["property"]]}
            for i in router["inputs"]
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    layout = outputs(browser.post(body))["_pages_content.children"]
    dropdown = find(layout, "usage-meter")
    offered = {option["value"] for option in dropdown["props"]["options"]}
    assert offered == {meter.id for meter in meters_of(db_session, RAJ)}
    assert len(offered) == 3


def find(node: object, id_: str) -> dict | None:
    """The component with ``id_`` in a serialised Dash layout."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == id_:
            return node
        children = node.get("props", {}).get("children")
        return find(children, id_) if children is not None else None
    if isinstance(node, list):
        for child in node:
            found = find(child, id_)
            if found is not None:
                return found
    return None


def test_a_household_that_moved_out_sees_its_own_days_only(dash_as, db_session):
    from tests.portal.conftest import accounts_of

    account = accounts_of(db_session, OKAFOR)[0]
    account.end_date = D(2026, 10, 20)
    db_session.commit()
    meter = meter_named(db_session, "58 Glenholme Avenue")
    out = outputs(dash_as(OKAFOR).call(MAIN, usage_values(meter.id, "month")))
    grid = trace_values(trace(out["usage-main-graph.figure"], "From the grid"))
    assert len(grid) == 20  # the period ends with the account
    delivered, _ = rollup_mwh(db_session, meter.id, D(2026, 10, 1), D(2026, 10, 20))
    assert total_mwh(out["usage-main-graph.figure"], "From the grid") == delivered


# --- who may call at all ------------------------------------------------------------------


def test_anonymous_and_mfa_pending_callers_are_refused(app, client, db_session, demo):
    body = {
        "output": "..usage-title.children..",
        "outputs": [{"id": "usage-title", "property": "children"}],
        "inputs": [{"id": "usage-meter", "property": "value", "value": 1}],
        "changedPropIds": ["usage-meter.value"],
        "state": [],
    }
    assert client.post(CALLBACK, json=body).status_code == 401
    creds = make_user(db_session)
    submit_password(client, creds.email, creds.password)  # password only: MFA pending
    assert client.post(CALLBACK, json=body).status_code == 401
    assert client.get("/dashboards/export/csv?meter=1").status_code == 302


def test_a_role_without_usage_gets_nothing(app, db_session, demo):
    from tests.auth_helpers import demo_credentials
    from tests.conftest import DEMO_SEED

    client = app.test_client()
    sign_in(client, demo_credentials("luc.bouchard@lakeshore.example.com", DEMO_SEED))
    assert client.get("/dashboards/usage").status_code == 404
    assert client.get("/dashboards/export/csv?meter=6").status_code == 404


# --- exports ------------------------------------------------------------------------------


def test_csv_export_is_named_and_adds_up_to_the_rollups(dash_as, db_session):
    meter = meter_named(db_session, "317 Sunnyside Avenue")
    browser = dash_as(MACLEOD)
    response = browser.client.get(
        f"/dashboards/export/csv?meter={meter.id}&from=2026-10-01&to=2026-10-07"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="usage-{meter.serial}-2026-10-01_2026-10-07.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    delivered, received = rollup_mwh(db_session, meter.id, D(2026, 10, 1), D(2026, 10, 7))
    assert sum(Decimal(r["delivered_kwh"]) for r in rows) * 1_000_000 == delivered
    assert sum(Decimal(r["received_kwh"]) for r in rows) * 1_000_000 == received


def test_green_button_export_is_named_xml(dash_as, db_session):
    meter = meter_named(db_session, "317 Sunnyside Avenue")
    response = dash_as(MACLEOD).client.get(
        f"/dashboards/export/xml?meter={meter.id}&from=2026-10-01&to=2026-10-01"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.headers["Content-Disposition"].endswith(
        f'filename="usage-{meter.serial}-2026-10-01_2026-10-01.xml"'
    )
    body = response.get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert body.count("<espi:IntervalReading>") == 96 * 2  # delivered and received (solar)


@pytest.mark.parametrize(
    "query",
    ["csv?meter={theirs}", "xml?meter={theirs}&from=2026-01-01&to=2026-01-31", "pdf?meter={mine}",
     "csv?meter=abc", "csv", "csv?meter={mine}&from=2001-01-01&to=2001-12-31",
     "csv?meter={mine}&from=1990-01-01", "xml?meter={mine}&to=soon"],
)  # fmt: skip
def test_exports_refuse_what_is_not_the_users(dash_as, db_session, query):
    mine = meter_named(db_session, "317 Sunnyside Avenue")
    theirs = meter_named(db_session, "Maison")
    url = "/dashboards/export/" + query.format(mine=mine.id, theirs=theirs.id)
    assert dash_as(MACLEOD).client.get(url).status_code == 404


def test_exports_are_clipped_to_the_days_with_data(dash_as, db_session):
    meter = meter_named(db_session, "317 Sunnyside Avenue")
    response = dash_as(MACLEOD).client.get(
        f"/dashboards/export/csv?meter={meter.id}&from=2026-10-30&to=2030-01-01"
    )
    assert response.status_code == 200
    last = LAST_DAY.isoformat()
    assert response.headers["Content-Disposition"].endswith(f'-2026-10-30_{last}.csv"')


# --- the small callbacks ----------------------------------------------------------------


def test_period_buttons_step_and_a_new_meter_opens_at_its_latest_data(dash_as, db_session):
    browser = dash_as(TREMBLAY)
    maison, chalet = meter_named(db_session, "Maison"), meter_named(db_session, "Chalet du lac")
    state = {
        "usage-meter.value": maison.id,
        "usage-range.value": "month",
        "usage-anchor.value": "2026-03-15",
        "usage-earlier.n_clicks": 1,
        "usage-later.n_clicks": None,
    }
    earlier = outputs(browser.call("usage-anchor.value", state, ["usage-earlier.n_clicks"]))
    assert earlier["usage-anchor.value"] == "2026-02-01"
    later = outputs(browser.call("usage-anchor.value", state, ["usage-later.n_clicks"]))
    assert later["usage-anchor.value"] == "2026-04-01"
    moved = outputs(
        browser.call(
            "usage-anchor.value", {**state, "usage-meter.value": chalet.id}, ["usage-meter.value"]
        )
    )
    assert moved["usage-anchor.value"] == LAST_DAY.isoformat()
    assert moved["usage-place.children"] == f"Chalet du lac, meter {chalet.serial}"


def test_choosing_custom_shows_the_date_inputs(dash_as):
    browser = dash_as(MACLEOD)
    values = {
        "usage-range.value": "custom",
        "usage-from.value": "2026-10-01",
        "usage-to.value": "2026-10-05",
    }
    out = outputs(browser.call("usage-resolution.value", values))
    assert out == {
        "usage-resolution.value": "hour",
        "usage-custom.hidden": False,
        "usage-anchor-group.hidden": True,
    }


def test_callbacks_need_the_csrf_header(dash_as, db_session):
    meter = meter_named(db_session, "317 Sunnyside Avenue")
    browser = dash_as(MACLEOD)
    body = browser.body(MAIN, usage_values(meter.id))
    assert browser.client.post(CALLBACK, json=body).status_code == 400
    assert DashClient.post(browser, body, token="forged").status_code == 400
