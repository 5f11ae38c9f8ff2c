"""``flask compute-bill`` on the demo data, and ``issue_bill`` persisting what it computes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from billing import BillingError, Period
from billing.services import bill_for_meter, issue_bill
from customer_model import Bill, Customer, DailyUsage, Meter, Premise, ServiceAccount

NOVEMBER = ("2025-11-01", "2025-11-30")
LINE_KEYS = {"kind", "period", "description", "quantity", "unit", "unit_price", "amount"}
KINDS = {"fixed", "energy", "demand", "credit", "tax"}
PERIODS = {"on_peak", "mid_peak", "off_peak", "ultra_low", "tier1", "tier2", "flat", None}


def account_of(db, name: str) -> ServiceAccount:
    return db.scalars(
        select(ServiceAccount).join(Customer).where(Customer.display_name == name)
    ).first()


def serial_of(db, name: str) -> str:
    return db.scalar(
        select(Meter.serial)
        .join(Premise, Meter.premise_id == Premise.id)
        .join(ServiceAccount, ServiceAccount.premise_id == Premise.id)
        .join(Customer, ServiceAccount.customer_id == Customer.id)
        .where(Customer.display_name == name)
    )


def compute(app, *args: str):
    return app.test_cli_runner().invoke(args=["compute-bill", *args])


def is_decimal(text: str) -> bool:
    return isinstance(text, str) and Decimal(text).is_finite() and "E" not in text.upper()


def test_compute_bill_for_daniel_okafor_ulo(app, demo, db_session):
    serial = serial_of(db_session, "Daniel Okafor")
    assert account_of(db_session, "Daniel Okafor").tariff_code == "ontario-rpp-ulo"
    result = compute(app, "--meter", serial, "--tariff", "ontario-rpp-ulo",
                     "--from", NOVEMBER[0], "--to", NOVEMBER[1])  # fmt: skip
    assert result.exit_code == 0, result.output
    bill = json.loads(result.output)

    assert set(bill) == {"currency", "lines", "subtotal", "taxes", "total"}
    assert bill["currency"] == "CAD"
    for line in bill["lines"]:
        assert set(line) == LINE_KEYS
        assert line["kind"] in KINDS
        assert line["period"] in PERIODS
        assert all(is_decimal(line[key]) for key in ("quantity", "unit_price", "amount"))
        assert line["amount"].count(".") == 1
        assert len(line["amount"].split(".")[1]) == 2
    for key in ("subtotal", "taxes", "total"):
        assert is_decimal(bill[key])

    amounts = [Decimal(line["amount"]) for line in bill["lines"]]
    taxes = [Decimal(line["amount"]) for line in bill["lines"] if line["kind"] == "tax"]
    assert Decimal(bill["total"]) == sum(amounts)
    assert Decimal(bill["taxes"]) == sum(taxes)
    assert Decimal(bill["subtotal"]) + Decimal(bill["taxes"]) == Decimal(bill["total"])

    energy = [line for line in bill["lines"] if line["kind"] == "energy"]
    assert {line["period"] for line in energy} == {"on_peak", "mid_peak", "off_peak", "ultra_low"}
    prices = {line["period"]: line["unit_price"] for line in energy}
    assert prices == {"on_peak": "39.1", "mid_peak": "15.7", "off_peak": "9.8", "ultra_low": "3.9"}
    # the EV charges overnight: ultra-low is the largest block
    by_period = {line["period"]: Decimal(line["quantity"]) for line in energy}
    assert max(by_period, key=by_period.get) == "ultra_low"
    # an independent total: the daily rollup of the same local days
    meter_id = db_session.scalar(select(Meter.id).where(Meter.serial == serial))
    rollup_mwh = db_session.scalar(
        select(func.sum(DailyUsage.delivered_mwh)).where(
            DailyUsage.meter_id == meter_id,
            DailyUsage.local_date.between(dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        )
    )
    assert sum(by_period.values()) == Decimal(rollup_mwh) / 1_000_000
    rebate = [line for line in bill["lines"] if line["kind"] == "credit" and line["period"] is None]
    assert [line["unit_price"] for line in rebate] == ["23.5"]
    assert [line["unit_price"] for line in bill["lines"] if line["kind"] == "tax"] == ["13"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meter", "NO-SUCH-METER", "--tariff", "ontario-rpp-ulo"], "no meter with serial"),
        (["--meter", "{serial}", "--tariff", "ontario-nope"], "unknown tariff 'ontario-nope'"),
    ],
)
def test_unknown_meter_or_tariff_is_a_clear_error(app, demo, db_session, args, message):
    serial = serial_of(db_session, "Daniel Okafor")
    args = [arg.format(serial=serial) for arg in args]
    result = compute(app, *args, "--from", NOVEMBER[0], "--to", NOVEMBER[1])
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (("2025-11-30", "2025-11-01"), "ends (2025-11-01) before it starts (2025-11-30)"),
        (("2025-11-01", "30/11/2025"), "Invalid value for '--to'"),
        (("2024-10-01", "2024-10-31"), "no price in force on 2024-10-01"),
    ],
)
def test_bad_dates_are_a_clear_error(app, demo, db_session, dates, message):
    serial = serial_of(db_session, "Daniel Okafor")
    result = compute(app, "--meter", serial, "--tariff", "ontario-rpp-ulo",
                     "--from", dates[0], "--to", dates[1])  # fmt: skip
    assert result.exit_code != 0
    assert message in result.output


def test_issue_bill_persists_the_computed_lines(app, demo, db_session):
    account = account_of(db_session, "Daniel Okafor")
    period = Period(dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    demo_bill = db_session.scalars(
        select(Bill).where(Bill.account_id == account.id, Bill.period_start == period.first)
    ).one()  # the demo billed this month already: issue_bill must store the same bill
    demo_lines = [(line.kind, line.description, line.amount_cents) for line in demo_bill.lines]
    demo_total = demo_bill.total_cents
    db_session.delete(demo_bill)
    db_session.commit()  # rolled back after the test
    bill = issue_bill(db_session, account, period)
    db_session.commit()
    assert bill.total_cents == demo_total
    assert [(line.kind, line.description, line.amount_cents) for line in bill.lines] == demo_lines
    stored = db_session.get(Bill, bill.id)
    serial = serial_of(db_session, "Daniel Okafor")
    computed = bill_for_meter(db_session, serial, account.tariff_code, period)
    assert stored.total_cents == computed.total_cents
    assert stored.subtotal_cents + stored.taxes_cents == stored.total_cents
    assert sum(line.amount_cents for line in stored.lines) == stored.total_cents
    assert [(line.kind.value, line.period, line.amount_cents) for line in stored.lines] == [
        (line.kind, line.period, line.amount_cents) for line in computed.lines
    ]
    assert stored.kwh_delivered == computed.kwh_delivered
    assert (stored.issue_date, stored.due_date) == (dt.date(2025, 12, 1), dt.date(2025, 12, 22))
    with pytest.raises(BillingError, match="already has a bill from 2025-11-01"):
        issue_bill(db_session, account, period)
