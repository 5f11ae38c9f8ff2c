"""``import_csv`` inside a caller's transaction: a SAVEPOINT, idempotent, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from customer_model import DailyUsage, IntervalReading, Meter
from meter_data.csv_import import CsvImportError, CsvOptions, import_csv
from meter_data.store import UnknownMeter
from tests.meter_data.csv_import.expected import fixture, sce_totals

NAME = "sce_titled_blocks_bom.csv"


def readings(connection, serial: str) -> int:
    meter_id = connection.scalar(select(Meter.id).where(Meter.serial == serial))
    return connection.scalar(select(func.count()).where(IntervalReading.meter_id == meter_id))


def test_imports_in_the_callers_transaction_and_again_as_duplicates(db_session):
    connection = db_session.connection()
    first = import_csv(connection, fixture(NAME), "CSV-API-1", create_meter=True)
    expected = sce_totals(NAME)
    assert (first.imported, first.duplicates) == (96, 0)
    assert (first.kwh_delivered, first.kwh_received) == (
        expected["delivered"][1],
        expected["received"][1],
    )
    assert connection.in_transaction()  # nothing committed: the caller decides
    again = import_csv(connection, str(fixture(NAME)), "CSV-API-1")
    assert (again.imported, again.duplicates) == (0, 96)
    assert readings(connection, "CSV-API-1") == 96
    meter_id = connection.scalar(select(Meter.id).where(Meter.serial == "CSV-API-1"))
    days = connection.scalar(select(func.count()).where(DailyUsage.meter_id == meter_id))
    assert days == 1


def test_a_refused_file_leaves_the_transaction_as_it_was(db_session):
    connection = db_session.connection()
    import_csv(connection, fixture(NAME), "CSV-API-2", create_meter=True)
    broken = fixture(NAME).read_bytes().replace(b'"0.', b'"x.', 1)
    with pytest.raises(CsvImportError, match=r"^line 6, column Usage: 'x\.\d+' is not a number"):
        import_csv(connection, broken, "CSV-API-2")
    with pytest.raises(CsvImportError):
        import_csv(connection, broken, "CSV-API-3", create_meter=True)
    assert readings(connection, "CSV-API-2") == 96
    assert connection.scalar(select(Meter.id).where(Meter.serial == "CSV-API-3")) is None


def test_unknown_meter_is_refused_before_anything_is_written(db_session):
    connection = db_session.connection()
    with pytest.raises(UnknownMeter, match="no meter with serial 'CSV-API-4'"):
        import_csv(connection, fixture(NAME), "CSV-API-4", options=CsvOptions(layout="sce"))
    assert connection.scalar(select(Meter.id).where(Meter.serial == "CSV-API-4")) is None
