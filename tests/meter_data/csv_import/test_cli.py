"""``flask import-csv`` end to end: the JSON summary, idempotency, atomicity, refusals.

The command commits into the session database through the app's engine (not
the rolled-back test connection), so every test uses fresh meter serials and
deletes what it created afterwards; it asks for ``demo`` first so the demo
loader never finds these customers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from customer_model import (
    DailyUsage,
    IntervalReading,
    Meter,
)
from tests.meter_data.cleanup import delete_imported_meters
from tests.meter_data.csv_import.expected import fixture, pge_totals, sce_totals

GENERIC = [
    "--timestamp-col", "Interval End (America/Toronto)",
    "--value-col", "Delivered (kWh)",
    "--received-col", "Received (kWh)",
    "--quality-col", "Quality",
    "--unit", "kWh",
    "--interval-minutes", "60",
    "--timestamps", "end",
    "--tz", "America/Toronto",
]  # fmt: skip


@pytest.fixture
def new_serial(engine: Engine, demo) -> Iterator[Callable[[], str]]:
    made: list[str] = []

    def make() -> str:
        made.append(f"T{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield make
    delete_imported_meters(engine, Meter.serial.in_(made))


def run(app, *args: str, input: bytes | None = None):  # noqa: A002
    return app.test_cli_runner().invoke(args=["import-csv", *args], input=input)


def stored(engine: Engine, serial: str) -> dict[str, object]:
    with engine.connect() as connection:
        meter = connection.execute(select(Meter).where(Meter.serial == serial)).one_or_none()
        if meter is None:
            return {"meter": None, "readings": 0}
        rows = connection.execute(
            select(
                func.count(),
                func.coalesce(func.sum(IntervalReading.delivered_mwh), 0),
                func.coalesce(func.sum(IntervalReading.received_mwh), 0),
            ).where(IntervalReading.meter_id == meter.id)
        ).one()
        days = connection.execute(
            select(DailyUsage.local_date, DailyUsage.reading_count)
            .where(DailyUsage.meter_id == meter.id)
            .order_by(DailyUsage.local_date)
        ).all()
    return {
        "meter": meter,
        "readings": rows[0],
        "kwh_delivered": Decimal(rows[1]) / 1_000_000,
        "kwh_received": Decimal(rows[2]) / 1_000_000,
        "days": {day.isoformat(): count for day, count in days},
    }


def test_sce_download_imports_once_then_only_duplicates(app, engine, new_serial):
    serial = new_serial()
    path = str(fixture("sce_net_metered_fall_back.csv"))
    expected = sce_totals("sce_net_metered_fall_back.csv")
    first = run(app, path, "--meter", serial, "--create-meter")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary == {
        "meter": serial,
        "imported": 292,
        "duplicates": 0,
        "first": "2024-11-02T07:00:00Z",
        "last": "2024-11-05T07:45:00Z",
        "kwh_delivered": str(expected["delivered"][1].normalize()),
        "kwh_received": str(expected["received"][1].normalize()),
        "gaps": 0,
    }
    assert first.stdout.count("\n") == 1  # one line

    second = run(app, path, "--meter", serial)
    assert second.exit_code == 0, second.output
    again = json.loads(second.stdout)
    assert (again["imported"], again["duplicates"]) == (0, 292)

    db = stored(engine, serial)
    assert db["readings"] == 292
    assert (db["kwh_delivered"], db["kwh_received"]) == (
        expected["delivered"][1],
        expected["received"][1],
    )
    assert db["days"] == {"2024-11-02": 96, "2024-11-03": 100, "2024-11-04": 96}
    meter = db["meter"]
    assert (meter.interval_minutes, meter.is_net_metered) == (15, True)


def test_pge_download_through_the_cli(app, engine, new_serial):
    serial = new_serial()
    name = "pge_electric_import_export_hourly_spring_forward.csv"
    result = run(app, str(fixture(name)), "--meter", serial, "--create-meter", "--layout", "pge")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    expected = pge_totals(name)
    assert summary["imported"] == 47
    assert Decimal(summary["kwh_delivered"]) == expected["delivered"][1]
    assert Decimal(summary["kwh_received"]) == expected["received"][1]
    assert stored(engine, serial)["days"] == {"2024-03-09": 24, "2024-03-10": 23}


def test_generic_csv_with_end_labels_through_the_cli(app, engine, new_serial):
    serial = new_serial()
    path = str(fixture("generic_hourly_end_labels.csv"))
    result = run(app, path, "--meter", serial, "--create-meter", *GENERIC)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["first"]) == (48, "2024-06-01T04:00:00Z")
    assert stored(engine, serial)["readings"] == 48
    premise_tz = stored(engine, serial)["meter"]
    assert premise_tz.interval_minutes == 60


def test_standard_input_is_a_file_too(app, engine, new_serial):
    serial = new_serial()
    data = fixture("sce_titled_blocks_bom.csv").read_bytes()
    result = run(app, "-", "--meter", serial, "--create-meter", input=data)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 96


def test_refused_file_stores_nothing_not_even_the_meter(app, engine, new_serial, tmp_path):
    serial = new_serial()
    lines = fixture("generic_hourly_end_labels.csv").read_text().splitlines()
    lines[30] = lines[30].replace(lines[30].split(",")[1], "abc", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = run(app, str(bad), "--meter", serial, "--create-meter", *GENERIC)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "line 31, column Delivered (kWh): 'abc' is not a number" in result.stderr
    assert "nothing imported" in result.stderr
    assert stored(engine, serial) == {"meter": None, "readings": 0}


def test_a_refused_correction_leaves_the_stored_readings_alone(app, engine, new_serial, tmp_path):
    serial = new_serial()
    good = fixture("generic_hourly_end_labels.csv")
    assert run(app, str(good), "--meter", serial, "--create-meter", *GENERIC).exit_code == 0
    before = stored(engine, serial)

    lines = good.read_text().splitlines()
    first_value = lines[1].split(",")[1]
    lines[1] = lines[1].replace(first_value, "99.5", 1)  # a correction …
    lines[-1] = lines[-1].replace("2024-06-03", "2024-06-31")  # … in a file with a bad date
    bad = tmp_path / "correction.csv"
    bad.write_text("\n".join(lines) + "\n")
    refused = run(app, str(bad), "--meter", serial, *GENERIC)
    assert refused.exit_code == 1
    assert f"line {len(lines)}, column Interval End (America/Toronto)" in refused.stderr
    assert stored(engine, serial) == before

    lines[-1] = good.read_text().splitlines()[-1]  # the correction alone is accepted
    bad.write_text("\n".join(lines) + "\n")
    accepted = run(app, str(bad), "--meter", serial, *GENERIC)
    assert accepted.exit_code == 0, accepted.output
    summary = json.loads(accepted.stdout)
    assert (summary["imported"], summary["updated"], summary["duplicates"]) == (0, 1, 47)
    after = stored(engine, serial)
    assert after["kwh_delivered"] - before["kwh_delivered"] == Decimal("99.5") - Decimal(
        first_value
    )


def test_non_existent_local_time_is_refused(app, engine, new_serial, tmp_path):
    serial = new_serial()
    bad = tmp_path / "spring.csv"
    bad.write_text("when,kWh\n2024-03-10 01:00,1\n2024-03-10 02:00,1\n")
    result = run(app, str(bad), "--meter", serial, "--create-meter", "--timestamp-col", "when",
                 "--value-col", "kWh", "--unit", "kWh", "--interval-minutes", "60",
                 "--timestamps", "start", "--tz", "America/Toronto")  # fmt: skip
    assert result.exit_code == 1
    assert "line 3, column when: local time 2024-03-10 02:00 does not exist" in result.stderr
    assert stored(engine, serial)["meter"] is None


def test_missing_column_and_wrong_unit_are_refused(app, engine, new_serial, tmp_path):
    serial = new_serial()
    path = str(fixture("generic_hourly_end_labels.csv"))
    options = dict(zip(GENERIC[::2], GENERIC[1::2], strict=True))
    missing = {**options, "--value-col": "Usage"}
    result = run(app, path, "--meter", serial, "--create-meter", *sum(missing.items(), ()))
    assert result.exit_code == 1
    assert "column 'Usage' not found in the header on line 1" in result.stderr

    wrong = {**options, "--unit": "Wh"}
    result = run(app, path, "--meter", serial, "--create-meter", *sum(wrong.items(), ()))
    assert result.exit_code == 1
    assert "column Delivered (kWh) is in kWh, but the unit given is Wh" in result.stderr

    unknown = {**options, "--unit": "MWh"}
    result = run(app, path, "--meter", serial, "--create-meter", *sum(unknown.items(), ()))
    assert result.exit_code == 2  # a usage error: click names the accepted units
    assert "'MWh' is not one of 'kWh', 'Wh'" in result.stderr
    assert stored(engine, serial)["meter"] is None


def test_generic_file_without_column_options_says_what_is_missing(app, new_serial):
    path = str(fixture("generic_hourly_end_labels.csv"))
    result = run(app, path, "--meter", new_serial(), "--create-meter")
    assert result.exit_code == 1
    assert "missing --timestamp-col, --value-col, --unit" in result.stderr


def test_unknown_meter_without_create_meter_is_refused(app, engine, new_serial):
    serial = new_serial()
    result = run(app, str(fixture("sce_titled_blocks_bom.csv")), "--meter", serial)
    assert result.exit_code == 1
    assert f"no meter with serial '{serial}' (use --create-meter to create it)" in result.stderr
    assert stored(engine, serial)["meter"] is None


def test_an_existing_meter_keeps_its_premise_time_zone(app, engine, new_serial):
    """Readings of an SCE file land on an existing Toronto meter; its rollups stay local."""
    serial = new_serial()
    path = str(fixture("generic_hourly_end_labels.csv"))
    assert run(app, path, "--meter", serial, "--create-meter", *GENERIC).exit_code == 0
    result = run(app, str(fixture("sce_titled_blocks_bom.csv")), "--meter", serial)
    assert result.exit_code == 0, result.output
    days = stored(engine, serial)["days"]
    # 2024-01-01 00:00-24:00 Pacific is 03:00 on the 1st to 03:00 on the 2nd in Toronto.
    assert (days["2024-01-01"], days["2024-01-02"]) == (84, 12)
