"""Mid-cycle projection stored as a high-bill alert with tips and payment options."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from sqlalchemy import select

from billing.calculate import Period
from billing.services import check_high_bill
from customer_model import Customer, Interaction, InteractionKind, ServiceAccount

DECEMBER = Period(dt.date(2025, 12, 1), dt.date(2025, 12, 31))


@pytest.fixture
def account(db_session, demo):
    return db_session.scalars(
        select(ServiceAccount)
        .join(Customer)
        .where(Customer.display_name == "Geneviève Tremblay")
        .order_by(ServiceAccount.id)
    ).first()


def _alerts(db_session, account):
    return db_session.scalars(
        select(Interaction).where(
            Interaction.account_id == account.id, Interaction.kind == InteractionKind.ALERT
        )
    ).all()


def test_a_projection_above_the_threshold_is_stored_once_with_three_ranked_tips(
    db_session, account
):
    alert = check_high_bill(db_session, account, DECEMBER, dt.date(2025, 12, 16), Fraction(1, 2))
    assert alert is not None
    assert alert.projection.days_read == 15
    assert alert.projection.projected.total_cents > alert.projection.to_date.total_cents
    savings = [tip.saving_cents for tip in alert.tips]
    assert len(alert.tips) == 3
    assert savings == sorted(savings, reverse=True)
    assert {tip.key for tip in alert.tips} == {"always_on", "shift", "thermostat"}
    assert any("equal monthly payments" in option.lower() for option in alert.payment_options)
    check_high_bill(db_session, account, DECEMBER, dt.date(2025, 12, 17), Fraction(1, 2))
    stored = _alerts(db_session, account)
    assert len(stored) == 1
    assert stored[0].detail.startswith("Your bill is on track to be")
    assert stored[0].data["projected_cents"] == alert.projection.projected.total_cents


def test_no_alert_below_the_threshold(db_session, account):
    assert (
        check_high_bill(db_session, account, DECEMBER, dt.date(2025, 12, 16), Fraction(10)) is None
    )
    assert _alerts(db_session, account) == []


def test_heating_home_in_winter_ranks_the_thermostat_above_shifting(db_session, account):
    alert = check_high_bill(db_session, account, DECEMBER, dt.date(2025, 12, 16), Fraction(1, 2))
    keys = [tip.key for tip in alert.tips]
    # Rate D has one price at every hour: shifting saves nothing and comes last
    assert keys[-1] == "shift"
    assert keys.index("thermostat") < keys.index("shift")


def test_current_period_runs_from_the_last_bill_to_month_end(db_session, account):
    from billing.services import current_period

    period = current_period(db_session, account, dt.date(2026, 11, 10))
    assert (period.first, period.last) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert current_period(db_session, account, dt.date(2026, 11, 1)) is None  # nothing read yet


def test_check_high_bills_command_reports_and_stays_quiet_without_readings(app, demo):
    result = app.test_cli_runner().invoke(args=["check-high-bills", "--today", "2026-11-10"])
    assert result.exit_code == 0, result.output
    assert "0 high-bill alert(s) stored." in result.output  # the demo's readings end in October
