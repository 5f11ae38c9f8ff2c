"""``flask import-greenbutton`` end to end: JSON lines, idempotency, refusals on stderr.

The command commits into the session database through the app's engine (not
the rolled-back test connection), so every test uses fresh meter serials and
deletes what it created afterwards; it asks for ``demo`` first so the demo
loader never finds these customers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from customer_model import DailyUsage, IntervalReading, Meter
from tests.meter_data.cleanup import delete_imported_meters
from tests.meter_data.greenbutton.conftest import sample

OPENESPI = sample("gba_openespi_test_usage_data_15min.xml")


@pytest.fixture
def serial(engine: Engine, demo) -> Iterator[str]:
    """A fresh serial; every meter whose serial starts with it is deleted afterwards."""
    prefix = f"GBT{uuid.uuid4().hex[:10]}"
    yield prefix
    delete_imported_meters(engine, Meter.serial.startswith(prefix))


def run(app, *args: str | Path):
    return app.test_cli_runner().invoke(args=["import-greenbutton", *map(str, args)])


def stored(engine: Engine, serial: str) -> tuple[int, int, int]:
    """Readings, their mWh and daily rows of the meter ``serial`` (zeros if none)."""
    with engine.connect() as connection:
        meter_id = connection.scalar(select(Meter.id).where(Meter.serial == serial))
        readings, mwh = connection.execute(
            select(func.count(), func.coalesce(func.sum(IntervalReading.delivered_mwh), 0)).where(
                IntervalReading.meter_id == meter_id
            )
        ).one()
        days = connection.scalar(
            select(func.count()).select_from(DailyUsage).where(DailyUsage.meter_id == meter_id)
        )
    return readings, int(mwh), days


def count_meters(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Meter))


def test_import_prints_one_json_line_and_commits(app, engine, serial):
    result = run(app, OPENESPI, "--meter", serial, "--create-meter")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    summary = json.loads(line)
    assert summary == {
        "meter": serial,
        "imported": 1340,
        "duplicates": 0,
        "first": "2012-03-01T05:00:00Z",
        "last": "2012-03-15T03:45:00Z",
        "kwh_delivered": "1391.666",
        "kwh_received": "0",
        "gaps": 0,
    }
    assert "ElectricPowerQualitySummary" in result.stderr  # what was not imported, as a note
    assert stored(engine, serial) == (1340, 1_391_666_000, 14)


def test_a_second_import_stores_nothing_new(app, engine, serial):
    assert run(app, OPENESPI, "--meter", serial, "--create-meter").exit_code == 0
    before = stored(engine, serial)
    result = run(app, OPENESPI, "--meter", serial)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["duplicates"]) == (0, 1340)
    assert "updated" not in summary
    assert stored(engine, serial) == before


def test_a_broken_file_exits_non_zero_with_the_reason_and_stores_nothing(
    app, engine, serial, tmp_path: Path
):
    text = OPENESPI.read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("<value>323</value>", "<value>abc</value>", 1), "utf-8")
    line = text[: text.index("<value>323</value>")].count("\n") + 1
    meters = count_meters(engine)
    result = run(app, broken, "--meter", serial, "--create-meter")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert (
        f"broken.xml: refused, nothing imported: line {line}: "
        "IntervalReading/value 'abc' is not an integer"
    ) in result.stderr
    assert count_meters(engine) == meters


def test_a_truncated_file_is_refused(app, engine, serial, tmp_path: Path):
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(OPENESPI.read_bytes()[:100_000])
    result = run(app, truncated, "--meter", serial, "--create-meter")
    assert result.exit_code != 0
    assert "refused, nothing imported: file ends early at line" in result.stderr
    assert stored(engine, serial) == (0, 0, 0)


def test_billion_laughs_is_refused_on_stderr(app, engine, serial, tmp_path: Path):
    from tests.meter_data.greenbutton.test_refusals import BILLION_LAUGHS

    hostile = tmp_path / "lol.xml"
    hostile.write_text(BILLION_LAUGHS, "utf-8")
    result = run(app, hostile, "--meter", serial, "--create-meter")
    assert result.exit_code != 0
    assert "declares entities (DTD), which Green Button files never need" in result.stderr


def test_an_unknown_meter_is_refused_without_create_meter(app, engine, serial):
    meters = count_meters(engine)
    result = run(app, OPENESPI, "--meter", serial)
    assert result.exit_code != 0
    assert f"no meter with serial '{serial}' (use --create-meter to create it)" in result.stderr
    assert count_meters(engine) == meters


def test_five_usage_points_print_five_lines(app, engine, serial):
    result = run(
        app, sample("gba_1hrLP_32DaysFiveUsagePoints_M.xml"), "--meter", serial, "--create-meter"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["meter"] for line in lines] == [f"{serial}-{n}" for n in range(1, 6)]
    assert lines[0]["kwh_delivered"] == "25326.468"
    assert [stored(engine, f"{serial}-{n}")[0] for n in range(1, 6)] == [768] * 5


def test_gas_prints_what_it_skipped(app, engine, serial):
    meters = count_meters(engine)
    result = run(app, sample("gba_Gas_monthly.xml"), "--meter", serial, "--create-meter")
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert line["meter"] == ""
    assert line["skipped_series"][0]["total"] == "1074.821"
    assert count_meters(engine) == meters


def test_meter_or_prefix_is_required(app, serial):
    result = run(app, OPENESPI)
    assert result.exit_code == 2
    assert "give --meter SERIAL or --serial-prefix PREFIX" in result.stderr
