"""Green Button export: valid ESPI Atom, read back identically by two independent readers."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import tracemalloc
from collections import Counter
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from defusedxml import ElementTree as ET
from greenbutton_objects import parse as gbo_parse
from greenbutton_objects.enums import FlowDirectionType, QualityOfReading, ServiceKind
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from customer_model import ReadingQuality
from meter_data.export_greenbutton import (
    DST_DISABLED,
    UsagePointInfo,
    feed_chunks,
    local_time_parameters,
    write_greenbutton,
)
from meter_data.greenbutton import parse_greenbutton
from meter_data.local_time import local_day_start, local_days, offset_table
from meter_data.queries import local_range, read_intervals
from meter_data.series import IntervalSeries

NS = {"atom": "http://www.w3.org/2005/Atom", "espi": "http://naesb.org/espi"}
UPDATED = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)


@pytest.fixture
def connection(engine: Engine, demo):
    with engine.connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()


def _net_metered(demo) -> tuple[int, str]:
    totals = next(t for t in demo["meter_totals"].values() if t["received_mwh"])
    return totals["meter_id"], totals["timezone"]


def _export(connection, meter_id: int, first: dt.date, last: dt.date) -> bytes:
    out = io.BytesIO()
    write_greenbutton(out, connection, meter_id, first, last, updated=UPDATED)
    return out.getvalue()


def _same(actual: IntervalSeries, expected: IntervalSeries) -> None:
    for column in ("start_ts", "duration_s", "delivered_mwh", "received_mwh", "quality"):
        assert getattr(actual, column).tolist() == getattr(expected, column).tolist(), column


# --- LocalTimeParameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "tz_offset", "dst_offset", "start", "end"),
    [
        ("America/Toronto", -18000, 3600, "360E2000", "B40E2000"),
        ("America/Winnipeg", -21600, 3600, "360E2000", "B40E2000"),
        ("America/St_Johns", -12600, 3600, "360E2000", "B40E2000"),
        ("Europe/London", 0, 3600, "3E0E1000", "AE0E2000"),  # last Sundays, 01:00 / 02:00
        ("Europe/Berlin", 3600, 3600, "3E0E2000", "AE0E3000"),
        ("Australia/Sydney", 36000, 3600, "A40E2000", "440E3000"),  # 1st Sundays Oct / Apr
        ("Australia/Lord_Howe", 37800, 1800, "A40E2000", "440E2000"),
        ("America/Santiago", -14400, 3600, "922E0000", "422E0000"),  # Sunday on/after the 2nd
        ("Asia/Jerusalem", 7200, 3600, "337A2000", "AE0E2000"),  # Friday on/after 23 March
        ("Asia/Kolkata", 19800, 0, DST_DISABLED, DST_DISABLED),
        ("America/Regina", -21600, 0, DST_DISABLED, DST_DISABLED),
        ("UTC", 0, 0, DST_DISABLED, DST_DISABLED),
    ],
)
def test_local_time_parameters_of_a_zone(tz, tz_offset, dst_offset, start, end):
    ltp = local_time_parameters(tz, 2026)
    assert (ltp.tz_offset, ltp.dst_offset, ltp.dst_start_rule, ltp.dst_end_rule) == (
        tz_offset,
        dst_offset,
        start,
        end,
    )


def _decode_date(rule: int, year: int) -> dt.datetime:
    """An independent reading of an ESPI DstRuleType (straight from the schema's text)."""
    seconds, hour = rule & 0xFFF, (rule >> 12) & 0x1F
    weekday, day = (rule >> 17) & 0x7, (rule >> 20) & 0x1F
    operator, month = (rule >> 25) & 0x7, (rule >> 28) & 0xF
    days = calendar.monthrange(year, month)[1]
    if operator == 0:
        date = dt.date(year, month, day)
    elif operator == 1:
        date = next(
            dt.date(year, month, d)
            for d in range(day, days + 1)
            if dt.date(year, month, d).isoweekday() == weekday
        )
    elif operator == 7:
        date = max(
            dt.date(year, month, d)
            for d in range(1, days + 1)
            if dt.date(year, month, d).isoweekday() == weekday
        )
    else:
        matching = [
            dt.date(year, month, d)
            for d in range(1, days + 1)
            if dt.date(year, month, d).isoweekday() == weekday
        ]
        date = matching[operator - 2]
    return dt.datetime.combine(date, dt.time(hour)) + dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "tz",
    ["America/Toronto", "Europe/London", "Australia/Sydney", "Pacific/Chatham", "America/Santiago"],
)
def test_the_rules_give_the_real_transitions_for_a_decade(tz):
    ltp = local_time_parameters(tz, 2026)
    for year in range(2023, 2033):  # Chile moved 2022's start for a referendum
        lo = int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())
        since, offsets = offset_table(lo, lo + 366 * 86400, tz)
        walls = {}
        for i in range(1, len(since)):
            wall = dt.datetime.fromtimestamp(int(since[i] + offsets[i - 1]), dt.UTC)
            kind = "start" if offsets[i] > offsets[i - 1] else "end"
            if wall.year == year:
                walls[kind] = wall.replace(tzinfo=None)
        assert _decode_date(int(ltp.dst_start_rule, 16), year) == walls["start"], year
        assert _decode_date(int(ltp.dst_end_rule, 16), year) == walls["end"], year


def test_the_importer_recognises_the_exported_zone(connection, demo):
    meter_id, tz = _net_metered(demo)
    parsed = parse_greenbutton(io.BytesIO(_export(connection, meter_id, *_WINTER)))
    (point,) = parsed.usage_points
    assert point.zone == tz == "America/Toronto"


# --- the feed itself -----------------------------------------------------------------------

_WINTER = (dt.date(2025, 10, 25), dt.date(2025, 11, 8))  # around the fall-back day


def test_feed_structure_links_and_blocks(connection, demo):
    meter_id, tz = _net_metered(demo)
    first, last = _WINTER
    root = ET.fromstring(_export(connection, meter_id, first, last))
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("atom:entry", NS)
    kinds = Counter(entry.find("atom:content", NS)[0].tag.split("}")[1] for entry in entries)
    days = (last - first).days + 1
    assert kinds == {
        "UsagePoint": 1,
        "LocalTimeParameters": 1,
        "MeterReading": 2,
        "ReadingType": 2,
        "IntervalBlock": 2 * days,
    }
    selfs, ids = set(), set()
    links = {}
    for entry in entries:
        rels = {}
        for link in entry.findall("atom:link", NS):
            rels.setdefault(link.get("rel"), []).append(link.get("href"))
        assert len(rels["self"]) == len(rels["up"]) == 1
        assert rels["self"][0].startswith(rels["up"][0] + "/")
        selfs.add(rels["self"][0])
        ids.add(entry.findtext("atom:id", namespaces=NS))
        links[entry.find("atom:content", NS)[0].tag.split("}")[1], rels["self"][0]] = rels
    assert len(selfs) == len(ids) == len(entries)
    usage_point = next(rels for (kind, _), rels in links.items() if kind == "UsagePoint")
    readings = [rels for (kind, _), rels in links.items() if kind == "MeterReading"]
    for reading in readings:
        assert reading["up"][0] in usage_point["related"]
        reading_type = next(href for href in reading["related"] if "/ReadingType/" in href)
        assert reading_type in selfs
    assert any("/LocalTimeParameters/" in href and href in selfs for href in usage_point["related"])

    types = {
        rt.findtext("espi:flowDirection", namespaces=NS): rt
        for rt in root.iterfind("atom:entry/atom:content/espi:ReadingType", NS)
    }
    assert set(types) == {"1", "19"}
    for rt in types.values():
        assert rt.findtext("espi:uom", namespaces=NS) == "72"
        assert rt.findtext("espi:powerOfTenMultiplier", namespaces=NS) == "-3"
        assert rt.findtext("espi:intervalLength", namespaces=NS) == "900"
    kind = root.find("atom:entry/atom:content/espi:UsagePoint/espi:ServiceCategory/espi:kind", NS)
    assert kind is not None
    assert kind.text == "0"

    lengths = {}
    for block in root.iterfind("atom:entry/atom:content/espi:IntervalBlock", NS):
        start = int(block.findtext("espi:interval/espi:start", namespaces=NS))
        duration = int(block.findtext("espi:interval/espi:duration", namespaces=NS))
        day = dt.datetime.fromtimestamp(start, ZoneInfo(tz)).date()
        assert start == local_day_start(day, tz)
        lengths[day] = duration
        readings_ = block.findall("espi:IntervalReading", NS)
        assert len(readings_) == duration // 900
    assert lengths[dt.date(2025, 11, 2)] == 25 * 3600
    assert set(lengths.values()) == {86400, 25 * 3600}


def test_own_parser_reads_back_two_years_identically(connection, demo):
    meter_id, tz = _net_metered(demo)
    first, last = dt.date(2024, 11, 1), dt.date(2026, 10, 31)
    parsed = parse_greenbutton(io.BytesIO(_export(connection, meter_id, first, last)))
    (point,) = parsed.usage_points
    stored = read_intervals(connection, meter_id, *local_range(first, last, tz))
    assert len(stored) == demo["meter_totals"][_serial(demo, meter_id)]["readings"]
    _same(point.series, stored)
    assert parsed.warnings == []
    assert point.duplicates == 0


def _serial(demo, meter_id: int) -> str:
    return next(s for s, t in demo["meter_totals"].items() if t["meter_id"] == meter_id)


def test_greenbutton_objects_reads_the_same_readings(connection, demo, tmp_path):
    """An independent reader (PyPI greenbutton-objects) agrees reading by reading."""
    meter_id, tz = _net_metered(demo)
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 31)  # spring forward inside
    path = tmp_path / "export.xml"
    path.write_bytes(_export(connection, meter_id, first, last))
    stored = read_intervals(connection, meter_id, *local_range(first, last, tz))

    (point,) = gbo_parse.parse_feed(str(path))
    assert point.serviceCategory is ServiceKind.electricity
    by_flow = {mr.readingType.flowDirection: mr for mr in point.meterReadings}
    assert set(by_flow) == {FlowDirectionType.forward, FlowDirectionType.reverse}
    estimated = stored.quality == ReadingQuality.ESTIMATED
    assert estimated.any()
    assert stored.received_mwh.any()
    for flow, column in (
        (FlowDirectionType.forward, stored.delivered_mwh),
        (FlowDirectionType.reverse, stored.received_mwh),
    ):
        reading = by_flow[flow]
        assert reading.readingType.powerOfTenMultiplier == -3
        assert len(reading.intervalBlocks) == (last - first).days + 1
        readings = sorted(reading.intervalReadings, key=lambda r: r.timePeriod.start)
        assert [int(r.timePeriod.start.timestamp()) for r in readings] == stored.start_ts.tolist()
        assert [int(r.timePeriod.duration.total_seconds()) for r in readings] == [900] * len(stored)
        assert [r._value for r in readings] == column.tolist()  # exact integers in mWh
        assert round(sum(r.value for r in readings) * 1000) == int(column.sum())  # in Wh
        flagged = [
            {q.quality for q in r.readingQualities} == {QualityOfReading.estimatedUsingReferenceDay}
            for r in readings
        ]
        assert flagged == estimated.tolist()


# --- any series, any zone, without a database ----------------------------------------------

ZONES = ["America/Toronto", "America/St_Johns", "Europe/London", "Australia/Lord_Howe", "UTC"]


@st.composite
def _series(draw: st.DrawFn):
    tz = draw(st.sampled_from(ZONES))
    first = dt.date(draw(st.integers(2015, 2030)), draw(st.sampled_from([3, 4, 10, 11])), 1)
    first += dt.timedelta(days=draw(st.integers(0, 27)))
    last = first + dt.timedelta(days=draw(st.integers(0, 9)))
    lo, hi = local_range(first, last, tz)
    step = draw(st.sampled_from([900, 3600]))
    picked = draw(st.lists(st.integers(0, (hi - lo) // step - 1), max_size=200, unique=True))
    ts = sorted(lo + step * k for k in picked)
    size = len(ts)
    quality = draw(st.lists(st.sampled_from([0, 0, 0, 1, 2]), min_size=size, max_size=size))
    delivered = draw(st.lists(st.integers(0, 10**15), min_size=size, max_size=size))
    with_received = draw(st.booleans())
    received = draw(
        st.lists(st.integers(0, 10**9 if with_received else 0), min_size=size, max_size=size)
    )
    missing = np.array(quality) == ReadingQuality.MISSING
    series = IntervalSeries.from_columns(
        start_ts=ts,
        duration_s=[step] * size,
        delivered_mwh=np.where(missing, 0, delivered) if size else [],
        received_mwh=np.where(missing, 0, received) if size else [],
        quality=quality,
    )
    return tz, first, last, step, series


@settings(max_examples=60, deadline=None)
@given(_series())
def test_any_series_round_trips_through_the_importer(case):
    tz, first, last, step, series = case
    info = UsagePointInfo(meter_id=7, tz=tz, title="Test <site> & co", interval_s=step)
    data = b"".join(feed_chunks(info, lambda: [series], year=last.year, updated=UPDATED))
    root = ET.fromstring(data)  # well-formed, titles escaped
    assert root.find("atom:entry/atom:title", NS).text == "Test <site> & co"
    parsed = parse_greenbutton(io.BytesIO(data))
    if len(series) == 0:
        assert parsed.reading_count == 0
        return
    (point,) = parsed.usage_points
    _same(point.series, series)
    blocks = root.findall("atom:entry/atom:content/espi:IntervalBlock", NS)
    flows = 2 if series.received_mwh.any() else 1
    assert len(blocks) == flows * len(set(local_days(series.start_ts, tz).tolist()))


def test_a_three_year_export_streams_in_little_memory():
    tz = "America/Toronto"
    info = UsagePointInfo(meter_id=1, tz=tz, title="Big")
    first = dt.date(2023, 1, 1)

    def months():
        rng = np.random.default_rng(4)
        for k in range(36):
            start = dt.date(first.year + k // 12, k % 12 + 1, 1)
            end = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
            ts = np.arange(local_day_start(start, tz), local_day_start(end, tz), 900)
            values = rng.integers(0, 2_000_000, len(ts))
            yield IntervalSeries.from_columns(
                start_ts=ts,
                duration_s=np.full(len(ts), 900),
                delivered_mwh=values,
                received_mwh=values // 3,
                quality=np.zeros(len(ts)),
            )

    size = 0
    tracemalloc.start()
    try:
        for piece in feed_chunks(info, months, year=2025, updated=UPDATED):
            size += len(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 35_000_000  # ~105,000 readings, two flows
    assert peak < 8_000_000
