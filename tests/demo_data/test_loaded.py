"""The demo as stored: readings, rollups, instants, people and sign-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth.passwords import verify_password
from customer_model import (
    Customer,
    CustomerKind,
    DailyUsage,
    IntervalReading,
    Meter,
    PortalUser,
    Premise,
    Role,
    ServiceAccount,
    SystemSetting,
    WeatherObservation,
)
from demo_data import DemoDataRefused, demo_users, is_demo_database, load_demo_data
from demo_data.cast import SITE_MANAGER_SITES
from tests.conftest import DEMO_END, DEMO_SEED

WINDOW_START = dt.date(2024, 11, 1)
DAYS = (DEMO_END - WINDOW_START).days


@pytest.fixture
def session(engine: Engine, demo) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
        session.rollback()


def _midnight(day: dt.date, tz: str) -> int:
    return int(dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).timestamp())


def _generated(demo) -> set[int]:
    """Ids of the generated meters (not the Green Button one of a past premise)."""
    return {totals["meter_id"] for totals in demo["meter_totals"].values()}


def test_every_meter_has_96_readings_a_day_minus_its_gaps(session, demo):
    gaps: dict[int, int] = {}
    for gap in demo["gaps"]:
        gaps[gap["meter_id"]] = gaps.get(gap["meter_id"], 0) + gap["intervals"]
    counts = dict(
        session.execute(
            select(IntervalReading.meter_id, func.count()).group_by(IntervalReading.meter_id)
        ).all()
    )
    greenbutton = demo["greenbutton"]
    assert counts.pop(greenbutton["meter_id"]) == greenbutton["readings"] == 1340
    assert set(counts) == _generated(demo)
    assert len(counts) == demo["meters"] >= 29
    assert {m: DAYS * 96 - gaps.get(m, 0) for m in counts} == counts
    assert sum(counts.values()) == demo["readings"]


def test_the_past_premise_holds_the_green_button_sample_as_history(session, demo):
    greenbutton = demo["greenbutton"]
    meter = session.get(Meter, greenbutton["meter_id"])
    assert meter.serial == greenbutton["serial"]
    (account,) = meter.premise.accounts
    assert account.customer.display_name == "Sarah MacLeod"
    assert account.status == "closed"
    assert account.end_date is not None
    first, last, total = session.execute(
        select(
            func.min(IntervalReading.start_ts),
            func.max(IntervalReading.start_ts),
            func.sum(IntervalReading.delivered_mwh),
        ).where(IntervalReading.meter_id == meter.id)
    ).one()
    assert total == 1_391_666_000  # 1,391.666 kWh, as the file says
    account_days = (
        _midnight(account.start_date, "America/Toronto"),
        _midnight(account.end_date, "America/Toronto"),
    )
    assert account_days[0] <= first <= last < account_days[1]
    assert last < _midnight(WINDOW_START, "America/Toronto")  # long before the demo window
    assert greenbutton["daily_rows"] == 14
    daily_total = session.scalar(
        select(func.sum(DailyUsage.delivered_mwh)).where(DailyUsage.meter_id == meter.id)
    )
    assert daily_total == total


def test_instants_are_utc_and_start_at_local_midnight(session, demo):
    misaligned = session.scalar(select(func.count()).where(IntervalReading.start_ts % 900 != 0))
    assert misaligned == 0
    assert session.scalar(select(func.count()).where(WeatherObservation.start_ts % 3600 != 0)) == 0
    first = dict(
        session.execute(
            select(IntervalReading.meter_id, func.min(IntervalReading.start_ts))
            .where(IntervalReading.meter_id.in_(_generated(demo)))
            .group_by(IntervalReading.meter_id)
        ).all()
    )
    zones = dict(session.execute(select(Meter.id, Premise.timezone).join(Meter.premise)).all())
    assert {m: _midnight(WINDOW_START, zones[m]) for m in first} == first
    assert set(zones.values()) == {"America/Toronto", "America/Winnipeg"}


def test_daily_usage_equals_the_sum_of_its_intervals(engine, demo):
    """Local-day bounds come from zoneinfo; the sums and the comparison are SQL."""
    bounds = Table(
        "day_bounds",
        MetaData(),
        Column("meter_id", Integer),
        Column("local_date", Date),
        Column("lo", BigInteger),
        Column("hi", BigInteger),
        prefixes=["TEMPORARY"],
    )
    with engine.connect() as connection, connection.begin() as transaction:
        zones = connection.execute(
            select(Meter.id, Premise.timezone)
            .join(Premise, Meter.premise_id == Premise.id)
            .where(Meter.id.in_(_generated(demo)))
        ).all()
        bounds.create(connection)
        connection.execute(
            insert(bounds),
            [
                {
                    "meter_id": meter_id,
                    "local_date": day,
                    "lo": _day_bounds(day, tz)[0],
                    "hi": _day_bounds(day, tz)[1],
                }
                for meter_id, tz in zones
                for day in _window_days()
            ],
        )
        mismatches = connection.execute(
            text(
                """
                WITH summed AS (
                    SELECT b.meter_id, b.local_date,
                           SUM(r.delivered_mwh) AS delivered, SUM(r.received_mwh) AS received,
                           COUNT(*) AS readings,
                           SUM(CASE WHEN r.quality = 1 THEN 1 ELSE 0 END) AS estimated,
                           MAX(r.delivered_mwh) AS peak
                    FROM day_bounds b
                    JOIN interval_reading r
                      ON r.meter_id = b.meter_id AND r.start_ts >= b.lo AND r.start_ts < b.hi
                    GROUP BY b.meter_id, b.local_date
                )
                SELECT COUNT(*) FROM summed s
                FULL OUTER JOIN (SELECT * FROM daily_usage WHERE meter_id <> :greenbutton) u
                  ON u.meter_id = s.meter_id AND u.local_date = s.local_date
                WHERE s.meter_id IS NULL OR u.meter_id IS NULL
                   OR s.delivered <> u.delivered_mwh OR s.received <> u.received_mwh
                   OR s.readings <> u.reading_count OR s.estimated <> u.estimated_count
                   OR s.peak <> u.peak_interval_mwh
                """
            ),
            {"greenbutton": demo["greenbutton"]["meter_id"]},
        ).scalar_one()
        daily_rows = connection.scalar(select(func.count()).select_from(DailyUsage))
        transaction.rollback()
    assert mismatches == 0
    assert demo["daily_rows"] == len(zones) * DAYS - 1  # the 1-day gap has no row
    assert daily_rows == demo["daily_rows"] + demo["greenbutton"]["daily_rows"]


def _window_days() -> list[dt.date]:
    return [WINDOW_START + dt.timedelta(days=n) for n in range(DAYS)]


def _day_bounds(day: dt.date, tz: str = "America/Toronto") -> tuple[int, int]:
    return _midnight(day, tz), _midnight(day + dt.timedelta(days=1), tz)


def test_dst_days_have_92_and_100_quarter_hours(session, demo):
    hours = {day: (hi - lo) // 3600 for day in _window_days() for lo, hi in [_day_bounds(day)]}
    spring = [day for day, length in hours.items() if length == 23]
    autumn = [day for day, length in hours.items() if length == 25]
    assert len(spring) == 2
    assert len(autumn) == 2
    rows = session.execute(
        select(DailyUsage.meter_id, DailyUsage.local_date, DailyUsage.reading_count).where(
            DailyUsage.local_date.in_(spring + autumn)
        )
    ).all()
    assert len(rows) == demo["meters"] * 4  # no deliberate gap falls on these days
    for meter_id, day, count in rows:
        assert count == (92 if day in spring else 100), (meter_id, day)

    head_office = session.scalar(
        select(Meter.id).join(Meter.premise).where(Premise.name == "Head office")
    )
    for day in spring + autumn:
        lo, hi = _day_bounds(day)
        in_day = IntervalReading.start_ts.between(lo, hi - 1)
        readings = session.scalar(
            select(func.count()).where(IntervalReading.meter_id == head_office, in_day)
        )
        assert readings == hours[day] * 4


def test_only_the_net_metered_meter_receives(session):
    received = session.execute(
        select(Meter.is_net_metered, func.sum(IntervalReading.received_mwh))
        .join(IntervalReading, IntervalReading.meter_id == Meter.id)
        .group_by(Meter.id, Meter.is_net_metered)
    ).all()
    assert sorted(bool(net) for net, _ in received).count(True) == 1
    for net, total in received:
        assert (total > 0) if net else (total == 0)


def test_customers_cover_the_demo_cases(session):
    customers = session.scalars(select(Customer).order_by(Customer.id)).all()
    assert len(customers) == 5
    organisation = next(c for c in customers if c.kind == CustomerKind.ORGANISATION)
    assert len(organisation.accounts) >= 25
    areas = [a.premise.floor_area_m2 for a in organisation.accounts]
    assert min(areas) <= 100
    assert max(areas) >= 20_000
    assert {a.tariff_code for a in organisation.accounts} == {
        "ontario-rpp-tou",
        "example-demand-business",
    }
    assert [c.display_name for c in customers if c.affordability_program] == ["Mariam Haddad"]
    quebec = next(c for c in customers if c.preferred_language == "fr")
    assert {a.tariff_code for a in quebec.accounts} == {"hydro-quebec-d"}
    assert len(quebec.accounts) == 2  # home and cottage
    tariffs = set(session.scalars(select(ServiceAccount.tariff_code)))
    assert {"ontario-rpp-ulo", "ontario-rpp-tou", "hydro-quebec-d"} <= tariffs
    assert all(len(c.contact_points) >= 3 for c in customers)


def test_demo_users_cover_every_role_and_their_passwords_verify(session):
    users = demo_users(session)
    assert {user["role"] for user in users} == {str(role) for role in Role}
    assert [user["customer"] for user in users if user["role"] == "agent"] == [None]
    hashes = dict(session.execute(select(PortalUser.email, PortalUser.password_hash)).all())
    for user in users:
        assert len(user["password"]) >= 12
        assert hashes[user["email"]].startswith("$argon2id$")
        assert verify_password(hashes[user["email"]], user["password"])
    manager = session.scalar(select(PortalUser).where(PortalUser.role == Role.SITE_MANAGER))
    assert manager is not None
    assert len(manager.sites) == len(SITE_MANAGER_SITES) == 3
    assert all(u.is_demo and u.email_verified_at for u in session.scalars(select(PortalUser)))


def test_the_database_knows_it_is_a_demo(session):
    settings = dict(session.execute(select(SystemSetting.key, SystemSetting.value)).all())
    assert settings["demo_seed"] == str(DEMO_SEED)
    assert settings["demo_end"] == DEMO_END.isoformat()
    assert "demo_data_version" in settings
    assert is_demo_database(session)


def test_loading_twice_is_refused(engine, demo):
    with pytest.raises(DemoDataRefused, match="already holds 5 customers"):
        load_demo_data(engine, DEMO_SEED + 1, DEMO_END)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Customer)) == 5


def test_readings_keep_their_foreign_key_after_the_bulk_load(engine, demo):
    orphan = {"meter_id": 10**6, "start_ts": 0, "duration_s": 900, "delivered_mwh": 0}
    with engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(insert(IntervalReading), orphan)  # rolled back on close
