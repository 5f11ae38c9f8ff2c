"""How crafted files are read: duplicates, gaps, net metering, missing values, what is energy."""

from __future__ import annotations

import io
from decimal import Decimal

from meter_data.greenbutton import parse_greenbutton
from tests.meter_data.greenbutton import espi

START = 1_767_243_600  # 2026-01-01 05:00 UTC


def parse_text(text: str):
    return parse_greenbutton(io.BytesIO(text.encode()), name="crafted.xml")


def test_repeated_starts_are_flagged_and_the_last_one_wins():
    text = (
        espi.HEAD
        + espi.usage_point(1)
        + espi.meter_reading(1, 1)
        + espi.reading_type(1, 1)
        + espi.block(1, 1, 1, espi.quarter_hours(START, 4, value=100))
        + espi.block(
            1, 1, 2, [espi.reading(START + 2700, 900, 999), espi.reading(START + 3600, 900, 7)]
        )
        + espi.TAIL
    )
    (point,) = parse_text(text).usage_points
    assert point.duplicates == 1
    assert point.reading_count == 5
    assert point.series.delivered_mwh.tolist()[-2:] == [999_000, 7_000]


def test_gaps_are_counted_not_filled():
    readings = espi.quarter_hours(START, 4) + espi.quarter_hours(START + 7200, 4)
    readings += espi.quarter_hours(START + 14_400, 1)
    (point,) = parse_text(espi.simple_feed(readings)).usage_points
    assert point.gaps == 2
    assert point.reading_count == 9


def test_delivered_and_received_meter_readings_become_one_row_per_interval():
    text = (
        espi.HEAD
        + espi.usage_point(1)
        + espi.meter_reading(1, 1, "Delivered")
        + espi.meter_reading(1, 2, "Received")
        + espi.block(1, 1, 1, [espi.reading(START + 900 * i, 900, 400) for i in range(4)])
        + espi.block(1, 2, 1, [espi.reading(START + 900 * i, 900, 100 * i) for i in range(2, 6)])
        + espi.reading_type(1, 1, flow=1)  # after the blocks: entries come in any order
        + espi.reading_type(1, 2, flow=19)
        + espi.TAIL
    )
    (point,) = parse_text(text).usage_points
    assert [mr.role for mr in point.meter_readings] == ["delivered", "received"]
    series = point.series
    assert series.start_ts.tolist() == [START + 900 * i for i in range(6)]
    assert series.delivered_mwh.tolist() == [400_000] * 4 + [0, 0]
    assert series.received_mwh.tolist() == [0, 0, 200_000, 300_000, 400_000, 500_000]
    assert point.kwh_delivered == Decimal("1.6")
    assert point.kwh_received == Decimal("1.4")
    assert point.duplicates == 0


def test_a_net_series_splits_by_sign():
    text = espi.simple_feed(
        [espi.reading(START, 900, 300), espi.reading(START + 900, 900, -200)], flow=4
    )
    series = parse_text(text).usage_points[0].series
    assert series.delivered_mwh.tolist() == [300_000, 0]
    assert series.received_mwh.tolist() == [0, 200_000]


def test_a_reading_without_value_is_missing_and_one_without_duration_takes_the_interval():
    reading = (
        "      <IntervalReading><timePeriod><start>{}</start>{}</timePeriod>{}</IntervalReading>\n"
    )
    readings = [
        reading.format(START, "<duration>900</duration>", "<value>5</value>"),
        reading.format(START + 900, "<duration>900</duration>", ""),
        reading.format(START + 1800, "", "<value>6</value>"),
    ]
    series = parse_text(espi.simple_feed(readings, interval=900)).usage_points[0].series
    assert series.quality.tolist() == [0, 2, 0]
    assert series.delivered_mwh.tolist() == [5_000, 0, 6_000]
    assert series.duration_s.tolist() == [900, 900, 900]


def test_what_is_not_electric_energy_is_skipped_with_a_reason():
    cases = {
        "uom": ({"uom": 38}, "unit W is not energy in Wh"),
        "commodity": ({"commodity": 7}, "commodity natural gas, not electricity"),
        "register": ({"accumulation": 1}, "accumulationBehaviour bulkQuantity: register reads"),
        "flow": ({"flow": 20}, "flowDirection total is neither delivered nor received"),
    }
    for options, reason in cases.values():
        text = espi.simple_feed(espi.quarter_hours(START, 4), **options)
        (point,) = parse_text(text).usage_points
        assert not point.is_electricity
        assert point.reading_count == 0
        (skipped,) = point.skipped_series()
        assert skipped["reason"].startswith(reason)
        assert skipped["count"] == 4


def test_water_usage_points_are_skipped_whatever_their_unit_says():
    text = (
        espi.HEAD
        + espi.usage_point(1, kind=2)
        + espi.meter_reading(1, 1)
        + espi.reading_type(1, 1)
        + espi.block(1, 1, 1, espi.quarter_hours(START, 2))
        + espi.TAIL
    )
    (point,) = parse_text(text).usage_points
    assert point.service == "water"
    assert point.skipped_series()[0]["reason"] == "water service, not electricity"


def test_a_block_linked_to_no_meter_reading_is_reported():
    text = (
        espi.HEAD
        + espi.usage_point(1)
        + espi.meter_reading(1, 1)
        + espi.meter_reading(1, 2)
        + espi.reading_type(1, 1)
        + espi.reading_type(1, 2)
        + espi.block(1, 1, 1, espi.quarter_hours(START, 2))
        + espi.block(1, 9, 1, espi.quarter_hours(START, 3))
        + espi.TAIL
    )
    parsed = parse_text(text)
    assert parsed.usage_points[0].reading_count == 2
    assert any("3 readings belong to no MeterReading" in w for w in parsed.warnings)


def test_a_feed_without_usage_point_entries_still_yields_its_readings():
    text = (
        espi.HEAD
        + espi.meter_reading(1, 1)
        + espi.reading_type(1, 1)
        + espi.block(1, 1, 1, espi.quarter_hours(START, 3))
        + espi.TAIL
    )
    parsed = parse_text(text)
    (point,) = parsed.usage_points
    assert point.reading_count == 3
    assert parsed.warnings == ["the file has no UsagePoint entry: its readings form one"]


def test_prefixed_namespaces_read_like_default_ones():
    text = espi.simple_feed(espi.quarter_hours(START, 2))
    text = text.replace(
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">',
    )
    text = text.replace("</feed>", "</atom:feed>")
    for tag in ("entry", "link", "title", "content", "id"):
        text = text.replace(f"<{tag}", f"<atom:{tag}").replace(f"</{tag}>", f"</atom:{tag}>")
    text = text.replace(' xmlns="http://naesb.org/espi"', "")
    for tag in ("UsagePoint", "ServiceCategory", "kind", "LocalTimeParameters", "MeterReading",
                "ReadingType", "IntervalBlock", "IntervalReading", "timePeriod", "duration",
                "start", "value", "dstEndRule", "dstOffset", "dstStartRule", "tzOffset",
                "accumulationBehaviour", "commodity", "currency", "flowDirection",
                "intervalLength", "powerOfTenMultiplier", "uom"):  # fmt: skip
        text = text.replace(f"<{tag}>", f"<espi:{tag}>").replace(f"</{tag}>", f"</espi:{tag}>")
        text = text.replace(f"<{tag}/>", f"<espi:{tag}/>")
    (point,) = parse_text(text).usage_points
    assert point.reading_count == 2
    assert point.zone == "America/Toronto"
