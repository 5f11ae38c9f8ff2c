"""Home page tiles: month so far, projected bill (an estimate), latest alerts, links into usage."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
from sqlalchemy import delete, func, select

from billing import calculate, load_tariff
from billing.calculate import Period
from billing.services import load_readings
from customer_model import Bill, BillLine, DailyUsage, Meter, visible_meters
from portal import home
from tests.portal.conftest import LUC, MACLEOD, OKAFOR, RAJ, TREMBLAY, accounts_of, scope_of

D = dt.date
TODAY = D(2026, 11, 23)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def delivered(db, meter_ids: list[int], first: dt.date, last: dt.date) -> int:
    return int(
        db.scalar(
            select(func.sum(DailyUsage.delivered_mwh)).where(
                DailyUsage.meter_id.in_(meter_ids), DailyUsage.local_date.between(first, last)
            )
        )
    )


def reopen_october(db, account_id: int) -> None:
    """Remove the account's October bill: October becomes the open billing period."""
    october = select(Bill.id).where(
        Bill.account_id == account_id, Bill.period_end >= D(2026, 10, 1)
    )
    db.execute(delete(BillLine).where(BillLine.bill_id.in_(october)))
    db.execute(delete(Bill).where(Bill.id.in_(october)))
    db.commit()


def test_month_so_far_sums_the_rollups_of_every_visible_meter(db_session, demo):
    scope = scope_of(db_session, TREMBLAY)
    meters = [m.id for m in db_session.scalars(visible_meters(scope))]
    month = home.month_so_far(db_session, scope, TODAY)
    assert (month.first, month.last) == (D(2026, 10, 1), D(2026, 10, 31))
    assert month.mwh == delivered(db_session, meters, D(2026, 10, 1), D(2026, 10, 31))
    assert (month.before_first, month.before_last) == (D(2026, 9, 1), D(2026, 9, 30))
    assert month.before_mwh == delivered(db_session, meters, D(2026, 9, 1), D(2026, 9, 30))
    partial = home.month_so_far(db_session, scope, D(2026, 10, 12))
    assert (partial.first, partial.last) == (D(2026, 10, 1), D(2026, 10, 12))
    assert (partial.before_first, partial.before_last) == (D(2026, 9, 1), D(2026, 9, 12))


def test_the_home_page_shows_the_month_and_links_into_each_meters_usage(signed_in, db_session):
    page = signed_in(TREMBLAY).get("/").get_data(as_text=True)
    assert "This month so far" in page
    for meter in db_session.scalars(visible_meters(scope_of(db_session, TREMBLAY))):
        assert f'href="/dashboards/usage?meter={meter.id}"' in page
    assert "Usage at Maison" in text(page)
    assert "Usage at Chalet du lac" in text(page)


def test_the_usage_link_opens_that_meter(signed_in, db_session):
    from tests.dashboards.dash_client import DashClient, outputs
    from tests.dashboards.test_usage_callbacks import find

    chalet = db_session.scalars(
        visible_meters(scope_of(db_session, TREMBLAY)).order_by(Meter.id.desc())
    ).first()
    other = db_session.scalars(visible_meters(scope_of(db_session, OKAFOR))).first()
    browser = DashClient(signed_in(TREMBLAY))
    router = next(d for d in browser.dependencies if "_pages_content.children" in d["output"])
    for search, expected in ((f"?meter={chalet.id}", chalet.id), (f"?meter={other.id}", None)):
        body = {
            "output": router["output"],
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {**i, "value": {"pathname": "/dashboards/usage", "search": search}[i["property"]]}
                for i in router["inputs"]
            ],
            "changedPropIds": ["_pages_location.search"],
            "state": [],
        }
        layout = outputs(browser.post(body))["_pages_content.children"]
        chosen = find(layout, "usage-meter")["props"]["value"]
        if expected is None:  # someone else's meter in the link: the user's own first meter
            assert chosen != other.id
        else:
            assert chosen == expected


def test_projected_bill_is_the_calculator_on_the_readings_scaled_to_the_period(db_session, demo):
    account = accounts_of(db_session, MACLEOD)[0]
    reopen_october(db_session, account.id)
    scope = scope_of(db_session, MACLEOD)
    (projection,) = home.projected_bills(db_session, scope, D(2026, 10, 15))
    assert (projection.first, projection.through) == (D(2026, 10, 1), D(2026, 10, 15))
    assert projection.last == D(2026, 10, 1) + dt.timedelta(days=account.billing_cycle_days - 1)
    meter_ids = [m.id for m in account.premise.meters]
    tz = account.premise.timezone
    readings = load_readings(db_session, meter_ids, Period(D(2026, 10, 1), D(2026, 10, 15)), tz)
    scale = account.billing_cycle_days / 15
    scaled = type(readings).of(
        readings.start_ts,
        np.rint(readings.delivered_mwh * scale).astype(np.int64),
        np.rint(readings.received_mwh * scale).astype(np.int64),
        readings.duration_s,
    )
    expected = calculate(
        load_tariff(account.tariff_code), scaled, projection.first, projection.last, tz
    )
    assert projection.total_cents == expected.total_cents


def test_no_estimate_without_readings_since_the_last_bill(db_session, demo):
    # The demo bills every full month, so the open period has no readings yet.
    assert home.projected_bills(db_session, scope_of(db_session, MACLEOD), TODAY) == []


def test_the_projected_bill_tile_says_it_is_an_estimate(signed_in, db_session):
    account = accounts_of(db_session, MACLEOD)[0]
    reopen_october(db_session, account.id)
    page = text(signed_in(MACLEOD).get("/").get_data(as_text=True))
    assert "Projected bill about $" in page
    assert "An estimate for 1 October" in page
    assert "taxes and rebates included" in page


def test_latest_alerts_are_the_customers_own(signed_in):
    okafor = text(signed_in(OKAFOR).get("/").get_data(as_text=True))
    assert "Latest alerts" in okafor
    assert "High usage: 38% above your usual week" in okafor
    tremblay = text(signed_in(TREMBLAY).get("/").get_data(as_text=True))
    assert "High usage: 38%" not in tremblay


def test_a_site_manager_sees_alerts_of_his_sites_only(db_session, demo):
    scope = scope_of(db_session, RAJ)
    for alert in home.latest_alerts(db_session, scope, limit=50):
        assert alert.premise_id in scope.site_ids


def test_the_billing_role_gets_no_usage_tiles(signed_in):
    page = text(signed_in(LUC).get("/").get_data(as_text=True))
    assert "This month so far" not in page
    assert "Latest alerts" not in page
    assert "Projected bill" not in page
    assert "/dashboards/usage" not in page
    assert "Your bills" in page
