"""The bill page's explanation, "why it changed", print view and JSON, all scoped."""

from __future__ import annotations

from billing.explain import kwh_text, money
from customer_model import Bill, BillLine
from tests.portal.conftest import OKAFOR, TREMBLAY, accounts_of


def _latest(db, email: str) -> Bill:
    ids = [a.id for a in accounts_of(db, email)]
    return (
        db.query(Bill)
        .filter(Bill.account_id.in_(ids), Bill.tariff_code == accounts_of(db, email)[0].tariff_code)
        .order_by(Bill.period_start.desc(), Bill.id)
        .first()
    )


def test_another_customers_bill_is_404_everywhere(signed_in, db_session):
    theirs = _latest(db_session, OKAFOR)
    client = signed_in(TREMBLAY)
    for path in (f"/bills/{theirs.id}", f"/bills/{theirs.id}/print", f"/bills/{theirs.id}.json"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/bills/{theirs.id}?print=1").status_code == 404
    listed = client.get("/bills.json").get_json()["bills"]
    assert theirs.id not in {row["id"] for row in listed}
    mine = {a.account_number for a in accounts_of(db_session, TREMBLAY)}
    assert listed
    assert {row["account"] for row in listed} <= mine


def test_demo_bill_explained_with_its_own_lines(signed_in, db_session):
    bill = _latest(db_session, TREMBLAY)  # Hydro-Québec rate D, a whole month
    assert bill.tariff_code == "hydro-quebec-d"
    tier1 = next(line for line in bill.lines if line.period == "tier1")
    days = (bill.period_end - bill.period_start).days + 1
    expected = (
        f"{kwh_text(tier1.quantity)} kWh at the first-tier price (6.905 ¢/kWh) because your "
        f"{days}-day period allows 40 kWh a day: {money(tier1.amount_cents)}."
    )
    client = signed_in(TREMBLAY)
    data = client.get(f"/bills/{bill.id}.json").get_json()
    assert expected in data["explanation"]
    assert data["total"] == f"{bill.total_cents // 100}.{bill.total_cents % 100:02d}"
    assert [c["against"] for c in data["changes"]] == [
        "the previous bill",
        "the same period last year",
    ]
    for change in data["changes"]:
        cents = sum(round(float(e["amount"]) * 100) for e in change["effects"])
        assert cents == round(float(change["difference"]) * 100)
    html = client.get(f"/bills/{bill.id}").get_data(as_text=True)
    assert expected.replace("'", "&#39;") in html
    assert "Why it changed" in html
    assert "is always on (the lowest hour of a typical day)" in html
    assert "Your most expensive days (energy only)" in html
    assert html.count('class="wf-row"') == 2 * 7  # two waterfalls: before, 5 effects, after
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    printable = client.get(f"/bills/{bill.id}/print")
    assert printable.status_code == 200
    assert "bill-printable" in printable.get_data(as_text=True)
    assert "bill-printable" in client.get(f"/bills/{bill.id}?print=1").get_data(as_text=True)


def test_bill_lines_sum_to_total(db_session):
    bill = _latest(db_session, TREMBLAY)
    lines = db_session.query(BillLine).filter(BillLine.bill_id == bill.id).all()
    assert sum(line.amount_cents for line in lines) == bill.total_cents


def test_rates_page_compares_the_plans_on_her_own_readings(signed_in, db_session):
    from billing.services import rate_comparison

    account = accounts_of(db_session, OKAFOR)[0]
    comparison = rate_comparison(db_session, account)
    assert comparison is not None
    assert {o.tariff_id for o in comparison.options} == {
        "ontario-rpp-tou",
        "ontario-rpp-tiered",
        "ontario-rpp-ulo",
    }
    html = signed_in(OKAFOR).get("/rates").get_data(as_text=True)
    for option in comparison.options:
        assert money(option.total_cents) in html
    assert "(your plan)" in html
    assert "no choice" not in html
    quebec = signed_in(TREMBLAY).get("/rates")
    assert quebec.status_code == 200
    assert "None of your accounts has a choice" in quebec.get_data(as_text=True)
