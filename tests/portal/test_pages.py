"""What the account, site, meter and bill pages show, and that they stay accessible."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import delete, func, select

from customer_model import (
    MWH_PER_KWH,
    Bill,
    BillLine,
    DailyUsage,
    Meter,
    Premise,
    ServiceAccount,
)
from tests.portal.conftest import (
    AGENT,
    EMMA,
    LUC,
    MACLEOD,
    OKAFOR,
    OLIVIA,
    RAJ,
    TREMBLAY,
    accounts_of,
    add_bill,
)
from web.formatting import kwh


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def assert_accessible_tables(html: str) -> None:
    tables = re.findall(r"<table>(.*?)</table>", html, re.S)
    for table in tables:
        assert "<caption" in table
        headers = re.findall(r"<th( [^>]*)?>", table)
        assert headers
        assert all(h and "scope=" in h for h in headers), headers


def test_account_list_shows_own_accounts_only(signed_in, db_session):
    mine = accounts_of(db_session, TREMBLAY)
    theirs = accounts_of(db_session, OKAFOR)
    html = page(signed_in(TREMBLAY), "/accounts")
    assert len(mine) == 2
    for account in mine:
        assert account.account_number in html
        assert account.tariff_code in html
    assert "Maison" in html
    assert "Chalet du lac" in html
    assert theirs[0].account_number not in html
    assert html.count('<th scope="row">') == 2
    assert_accessible_tables(html)


def test_site_manager_lists_his_three_accounts(signed_in, db_session):
    html = page(signed_in(RAJ), "/accounts")
    assert html.count('<th scope="row">') == 3
    for name in ("Ottawa office", "Rideau Street store", "ByWard Market restaurant"):
        assert name in html
    assert "Head office" not in html
    all_of_them = page(signed_in(OLIVIA), "/accounts")
    assert all_of_them.count('<th scope="row">') == 26


def test_account_detail_lists_its_bills(signed_in, db_session):
    account = accounts_of(db_session, TREMBLAY)[0]
    add_bill(db_session, account)
    html = page(signed_in(TREMBLAY), f"/accounts/{account.id}")
    assert f"<h1>Account {account.account_number}</h1>" in html
    assert "2026-11-01 to 2026-11-30" in html
    assert "$115.77" in html
    assert "$315.00" in html  # equal monthly payment (budget billing)
    assert_accessible_tables(html)


def test_site_page_shows_meters_and_equipment(signed_in, db_session):
    account = accounts_of(db_session, MACLEOD)[0]
    html = page(signed_in(MACLEOD), f"/sites/{account.premise_id}")
    serial = db_session.scalar(select(Meter.serial).where(Meter.premise_id == account.premise_id))
    assert serial in html
    for kind in ("Solar panels", "Battery", "Heat pump"):
        assert kind in html
    assert "7.04 kW" in html
    assert "no longer hold" not in html
    assert_accessible_tables(html)


def test_meter_page_shows_the_last_seven_local_days_in_exact_kwh(signed_in, db_session):
    meter = db_session.scalar(
        select(Meter).where(Meter.premise_id == accounts_of(db_session, OKAFOR)[0].premise_id)
    )
    rows = db_session.scalars(
        select(DailyUsage)
        .where(DailyUsage.meter_id == meter.id)
        .order_by(DailyUsage.local_date.desc())
        .limit(7)
    ).all()
    html = page(signed_in(OKAFOR), f"/meters/{meter.id}")
    assert f"Meter {meter.serial}" in html
    assert rows[0].local_date == dt.date(2026, 10, 31)  # the demo's last day
    assert html.count("<time datetime=") == 7
    for row in rows:
        value = Decimal(row.delivered_mwh) / MWH_PER_KWH
        assert f'datetime="{row.local_date.isoformat()}"' in html
        assert kwh(value) in html
    assert_accessible_tables(html)


def test_a_day_without_readings_says_so(signed_in, db_session):
    meter_id = db_session.scalar(
        select(Meter.id).where(Meter.premise_id == accounts_of(db_session, OKAFOR)[0].premise_id)
    )
    db_session.execute(
        delete(DailyUsage).where(
            DailyUsage.meter_id == meter_id, DailyUsage.local_date == dt.date(2026, 10, 29)
        )
    )
    db_session.commit()
    html = page(signed_in(OKAFOR), f"/meters/{meter_id}")
    assert html.count("<time datetime=") == 7
    assert html.count("No data") == 1


def test_net_metered_meter_shows_energy_sent_to_the_grid(signed_in, db_session):
    premise_id = accounts_of(db_session, MACLEOD)[0].premise_id
    meter_id = db_session.scalar(select(Meter.id).where(Meter.premise_id == premise_id))
    html = page(signed_in(MACLEOD), f"/meters/{meter_id}")
    assert "To the grid" in html


def test_bill_list_and_detail(signed_in, db_session):
    account = accounts_of(db_session, TREMBLAY)[1]
    bill_id = add_bill(db_session, account)
    add_bill(db_session, accounts_of(db_session, OKAFOR)[0])  # not hers
    client = signed_in(TREMBLAY)
    listing = page(client, "/bills")
    hers = db_session.scalar(
        select(func.count(Bill.id)).where(
            Bill.account_id.in_([a.id for a in accounts_of(db_session, TREMBLAY)])
        )
    )
    assert listing.count('<th scope="row">') == hers
    assert f'href="/bills/{bill_id}"' in listing
    assert_accessible_tables(listing)
    detail = page(client, f"/bills/{bill_id}")
    for text in (
        "Delivery charge",
        "$13.50",
        "Electricity",
        "$88.95",
        "$102.45",
        "$13.32",
        "$115.77",
        "812.5 kWh",
        "0.1095 per kWh",
        account.account_number,
    ):
        assert text in detail, text  # fmt: skip
    assert_accessible_tables(detail)


def test_no_bills_yet(signed_in, db_session):
    hers = [a.id for a in accounts_of(db_session, TREMBLAY)]
    bills = select(Bill.id).where(Bill.account_id.in_(hers))
    db_session.execute(delete(BillLine).where(BillLine.bill_id.in_(bills)))
    db_session.execute(delete(Bill).where(Bill.account_id.in_(hers)))
    db_session.commit()  # rolled back after the test, demo bills included
    assert "You have no bills yet." in page(signed_in(TREMBLAY), "/bills")


def test_links_follow_permissions(signed_in, db_session):
    account = accounts_of(db_session, OLIVIA)[0]
    billing = signed_in(LUC)
    home = page(billing, "/")
    assert "/bills" in home
    assert "/accounts" in home
    assert "/dashboards/usage" not in home.split("<main")[1]  # the usage tile
    assert "/sites/" not in page(billing, "/accounts")
    viewer = signed_in(EMMA)
    site = page(viewer, f"/sites/{account.premise_id}")
    assert "/meters/" in site
    assert "Your energy at a glance" in page(signed_in(AGENT), "/")


def test_pages_use_the_premise_for_business_sites(signed_in, db_session):
    premise = db_session.scalar(select(Premise).where(Premise.name == "Ottawa office"))
    account_id = db_session.scalar(
        select(ServiceAccount.id).where(ServiceAccount.premise_id == premise.id)
    )
    raj = signed_in(RAJ)
    assert "<h1>Ottawa office</h1>" in page(raj, f"/sites/{premise.id}")
    assert "155 Queen Street" in page(raj, f"/accounts/{account_id}")
