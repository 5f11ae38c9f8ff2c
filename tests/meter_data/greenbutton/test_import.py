"""``import_greenbutton`` into the customer model, inside the rolled-back test transaction."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from customer_model import DailyUsage, IntervalReading, Meter
from meter_data.greenbutton import GreenButtonError, import_greenbutton
from meter_data.store import UnknownMeter
from tests.meter_data.greenbutton.conftest import sample

OPENESPI = sample("gba_openespi_test_usage_data_15min.xml")
FIVE = sample("gba_1hrLP_32DaysFiveUsagePoints_M.xml")
FIVE_TOTALS = ["25326.468", "2361.801", "2133.834", "2692.638", "2224.885"]


def snapshot(db: Session, serial: str) -> dict[str, object]:
    meter_id = db.scalar(select(Meter.id).where(Meter.serial == serial))
    if meter_id is None:
        return {"meter": None}
    readings = db.execute(
        select(IntervalReading.start_ts, IntervalReading.delivered_mwh, IntervalReading.quality)
        .where(IntervalReading.meter_id == meter_id)
        .order_by(IntervalReading.start_ts)
    ).all()
    daily = db.execute(
        select(DailyUsage.local_date, DailyUsage.delivered_mwh, DailyUsage.reading_count)
        .where(DailyUsage.meter_id == meter_id)
        .order_by(DailyUsage.local_date)
    ).all()
    return {"meter": meter_id, "readings": readings, "daily": daily}


def test_import_stores_every_reading_and_the_local_days(db_session):
    (summary,) = import_greenbutton(
        db_session.connection(), OPENESPI, meter_serial="GB-OPENESPI", create_meter=True
    )
    assert summary.as_dict() == {
        "meter": "GB-OPENESPI",
        "imported": 1340,
        "duplicates": 0,
        "first": "2012-03-01T05:00:00Z",
        "last": "2012-03-15T03:45:00Z",
        "kwh_delivered": "1391.666",
        "kwh_received": "0",
        "gaps": 0,
    }
    stored = snapshot(db_session, "GB-OPENESPI")
    assert len(stored["readings"]) == 1340
    assert sum(row.delivered_mwh for row in stored["readings"]) == 1_391_666_000
    days = {row.local_date: row.reading_count for row in stored["daily"]}
    assert len(days) == 14  # 2012-03-01 … 2012-03-14, local
    assert days[dt.date(2012, 3, 11)] == 92  # the spring-forward day
    assert set(days.values()) == {92, 96}
    meter = db_session.scalar(select(Meter).where(Meter.serial == "GB-OPENESPI"))
    assert meter.premise.timezone == "America/Toronto"
    assert meter.interval_minutes == 15
    assert not meter.is_net_metered


def test_importing_twice_changes_nothing(db_session):
    first = import_greenbutton(db_session.connection(), OPENESPI, "GB-TWICE", create_meter=True)
    before = snapshot(db_session, "GB-TWICE")
    (again,) = import_greenbutton(db_session.connection(), OPENESPI, "GB-TWICE")
    assert (again.imported, again.duplicates, again.updated) == (0, 1340, 0)
    assert again.kwh_delivered == first[0].kwh_delivered
    assert snapshot(db_session, "GB-TWICE") == before


def test_a_corrected_file_updates_the_readings_it_changes(db_session, tmp_path: Path):
    import_greenbutton(db_session.connection(), OPENESPI, "GB-FIX", create_meter=True)
    text = OPENESPI.read_text(encoding="utf-8")
    corrected = tmp_path / "corrected.xml"
    corrected.write_text(text.replace("<value>282</value>", "<value>300</value>", 1), "utf-8")
    (summary,) = import_greenbutton(db_session.connection(), corrected, "GB-FIX")
    assert (summary.imported, summary.updated, summary.duplicates) == (0, 1, 1339)
    assert summary.kwh_delivered == Decimal("1391.684")
    daily = snapshot(db_session, "GB-FIX")["daily"]
    assert sum(row.delivered_mwh for row in daily) == 1_391_684_000


def test_several_usage_points_go_to_numbered_meters_in_document_order(db_session):
    summaries = import_greenbutton(db_session.connection(), FIVE, "GB-SITE", create_meter=True)
    assert [s.meter for s in summaries] == [f"GB-SITE-{n}" for n in range(1, 6)]
    assert [s.kwh_delivered for s in summaries] == [Decimal(kwh) for kwh in FIVE_TOTALS]
    assert [s.imported for s in summaries] == [768] * 5
    for summary, kwh in zip(summaries, FIVE_TOTALS, strict=True):
        stored = snapshot(db_session, summary.meter)
        assert len(stored["readings"]) == 768
        assert sum(r.delivered_mwh for r in stored["readings"]) == int(Decimal(kwh) * 10**6)


def test_a_serial_prefix_numbers_even_a_single_usage_point(db_session):
    (summary,) = import_greenbutton(
        db_session.connection(), OPENESPI, serial_prefix="GB-PFX", create_meter=True
    )
    assert summary.meter == "GB-PFX-1"


def test_one_missing_meter_refuses_the_whole_file(db_session):
    import_greenbutton(db_session.connection(), OPENESPI, "GB-ATOM-1", create_meter=True)
    before = snapshot(db_session, "GB-ATOM-1")
    with pytest.raises(UnknownMeter, match="GB-ATOM-2"):
        import_greenbutton(db_session.connection(), FIVE, "GB-ATOM")  # GB-ATOM-1 exists, -2 not
    assert snapshot(db_session, "GB-ATOM-1") == before  # its five-point readings rolled back
    for number in range(2, 6):
        assert snapshot(db_session, f"GB-ATOM-{number}") == {"meter": None}


def test_an_unknown_meter_is_refused_without_create_meter(db_session):
    with pytest.raises(UnknownMeter, match="use --create-meter"):
        import_greenbutton(db_session.connection(), OPENESPI, "GB-NOBODY")
    assert snapshot(db_session, "GB-NOBODY") == {"meter": None}


def test_a_broken_file_writes_nothing(db_session, tmp_path: Path):
    meters_before = db_session.scalar(select(func.count()).select_from(Meter))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(FIVE.read_bytes().replace(b"<value>", b"<value>x", 1))
    with pytest.raises(GreenButtonError, match=r"^line \d+: IntervalReading/value 'x\d+'"):
        import_greenbutton(db_session.connection(), broken, "GB-BROKEN", create_meter=True)
    assert db_session.scalar(select(func.count()).select_from(Meter)) == meters_before


def test_gas_stores_nothing_and_needs_no_meter(db_session):
    meters_before = db_session.scalar(select(func.count()).select_from(Meter))
    (summary,) = import_greenbutton(
        db_session.connection(), sample("gba_Gas_monthly.xml"), "GB-GAS", create_meter=True
    )
    line = json.loads(summary.to_json())
    assert line["meter"] == ""
    assert line["imported"] == 0
    assert line["kwh_delivered"] == "0"
    (skipped,) = line["skipped_series"]
    assert (skipped["uom"], skipped["count"], skipped["total"]) == ("therm", 13, "1074.821")
    assert db_session.scalar(select(func.count()).select_from(Meter)) == meters_before


def test_hydro_one_stores_energy_and_reports_the_temperature(db_session):
    (summary,) = import_greenbutton(
        db_session.connection(),
        sample("hydroone_hourly_weekend_2025-12-07.xml"),
        "GB-J2648788",
        create_meter=True,
    )
    line = json.loads(summary.to_json())
    assert (line["imported"], line["kwh_delivered"]) == (24, "65.7078")
    assert [s["uom"] for s in line["skipped_series"]] == ["K"]
    meter = db_session.scalar(select(Meter).where(Meter.serial == "GB-J2648788"))
    assert meter.interval_minutes == 60
    (day,) = snapshot(db_session, "GB-J2648788")["daily"]
    assert (day.local_date, day.reading_count) == (dt.date(2025, 12, 7), 24)


def test_a_binary_upload_imports_like_a_path(db_session):
    with OPENESPI.open("rb") as upload:
        (summary,) = import_greenbutton(db_session.connection(), upload, "GB-UPLOAD", True)
    assert summary.imported == 1340


def test_an_engine_gets_its_own_committed_transaction(tmp_path: Path):
    """With an Engine the import commits; here into a scratch database of its own."""
    from customer_model import make_engine, schema

    scratch = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    schema.upgrade(scratch)
    try:
        import_greenbutton(scratch, OPENESPI, "GB-ENGINE", create_meter=True)
        with Session(scratch) as session:
            assert len(snapshot(session, "GB-ENGINE")["readings"]) == 1340
    finally:
        scratch.dispose()


def test_serials_must_fit_and_be_given(db_session):
    with pytest.raises(ValueError, match="either a meter serial or a serial prefix"):
        import_greenbutton(db_session.connection(), OPENESPI)
    with pytest.raises(ValueError, match="longer than 40"):
        import_greenbutton(db_session.connection(), FIVE, "X" * 39, create_meter=True)
