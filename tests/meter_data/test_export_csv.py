"""CSV export: one row per interval, local times with offsets, exact kWh, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select

from customer_model import IntervalReading, Meter, ReadingQuality
from meter_data.export_csv import HEADER, csv_chunks, kwh_text, parse_kwh, write_csv
from meter_data.local_time import local_day_start
from meter_data.queries import local_range, read_intervals


@pytest.fixture
def connection(engine: Engine, demo):
    with engine.connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()


def _net_metered(demo) -> tuple[int, str]:
    totals = next(t for t in demo["meter_totals"].values() if t["received_mwh"])
    return totals["meter_id"], totals["timezone"]


def _read_back(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def test_round_trip_gives_the_stored_milliwatt_hours(connection, demo):
    meter_id, tz = _net_metered(demo)
    first, last = dt.date(2025, 10, 1), dt.date(2026, 3, 31)  # both DST changes
    out = io.StringIO(newline="")
    write_csv(out, connection, meter_id, tz, first, last)
    header, rows = _read_back(out.getvalue())

    stored = read_intervals(connection, meter_id, *local_range(first, last, tz))
    assert header == list(HEADER)
    assert len(rows) == len(stored) > 17_000
    starts = [int(dt.datetime.fromisoformat(row[0]).timestamp()) for row in rows]
    ends = [int(dt.datetime.fromisoformat(row[1]).timestamp()) for row in rows]
    assert starts == stored.start_ts.tolist()
    assert [e - s for s, e in zip(starts, ends, strict=True)] == stored.duration_s.tolist()
    assert [parse_kwh(row[2]) for row in rows] == stored.delivered_mwh.tolist()
    assert [parse_kwh(row[3]) for row in rows] == stored.received_mwh.tolist()
    words = {"actual": 0, "estimated": 1, "missing": 2}
    assert [words[row[4]] for row in rows] == stored.quality.tolist()
    assert sum(parse_kwh(row[3]) for row in rows) > 0
    assert {row[4] for row in rows} == {"actual", "estimated"}


def test_local_times_carry_their_offset_across_dst(connection, demo):
    meter_id, tz = _net_metered(demo)
    spring = "".join(csv_chunks(connection, meter_id, tz, dt.date(2026, 3, 8), dt.date(2026, 3, 8)))
    _, rows = _read_back(spring)
    assert len(rows) == 92
    assert rows[0][0] == "2026-03-08T00:00:00-05:00"
    assert rows[7][:2] == ["2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00"]
    assert rows[-1][1] == "2026-03-09T00:00:00-04:00"

    autumn = "".join(
        csv_chunks(connection, meter_id, tz, dt.date(2025, 11, 2), dt.date(2025, 11, 2))
    )
    _, rows = _read_back(autumn)
    assert len(rows) == 100
    starts = [row[0] for row in rows]
    assert "2025-11-02T01:45:00-04:00" in starts
    assert "2025-11-02T01:00:00-05:00" in starts
    assert rows[7][:2] == ["2025-11-02T01:45:00-04:00", "2025-11-02T01:00:00-05:00"]


def test_quality_words_and_exact_decimals(connection):
    meter_id = connection.scalar(select(Meter.id).order_by(Meter.id))
    tz = "America/Toronto"
    day = dt.date(2031, 1, 15)  # after the demo window: only these readings
    midnight = local_day_start(day, tz)
    connection.execute(
        insert(IntervalReading.__table__),
        [
            {
                "meter_id": meter_id,
                "start_ts": midnight + 900 * k,
                "duration_s": 900,
                "delivered_mwh": value,
                "received_mwh": 0,
                "quality": quality,
            }
            for k, (value, quality) in enumerate(
                [
                    (1, ReadingQuality.ACTUAL),
                    (1_234_567, ReadingQuality.ESTIMATED),
                    (0, ReadingQuality.MISSING),
                    (9_007_199_254_740_993, ReadingQuality.ACTUAL),  # 2**53 + 1: not a float
                ]
            )
        ],
    )
    _, rows = _read_back("".join(csv_chunks(connection, meter_id, tz, day, day)))
    assert [(row[2], row[4]) for row in rows] == [
        ("0.000001", "actual"),
        ("1.234567", "estimated"),
        ("0.000000", "missing"),
        ("9007199254.740993", "actual"),
    ]


def test_rows_stream_a_few_weeks_at_a_time(connection, demo):
    meter_id, tz = _net_metered(demo)
    pieces = list(csv_chunks(connection, meter_id, tz, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert pieces[0] == ",".join(HEADER) + "\r\n"
    assert len(pieces) == 1 + 12  # header, then 31-day chunks
    assert max(len(piece) for piece in pieces) < 400_000


def test_an_empty_range_is_just_the_header(connection):
    meter_id = connection.scalar(select(Meter.id).order_by(Meter.id))
    text = "".join(
        csv_chunks(connection, meter_id, "UTC", dt.date(2040, 1, 1), dt.date(2040, 1, 2))
    )
    assert text == "start,end,delivered_kwh,received_kwh,quality\r\n"


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**63 - 1))
def test_kwh_text_is_exact(mwh):
    text = kwh_text(mwh)
    assert parse_kwh(text) == mwh
    whole, fraction = text.split(".")
    assert len(fraction) == 6
    assert int(whole) == mwh // 1_000_000
