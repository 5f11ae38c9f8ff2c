"""Every sample file parses to the counts and totals stated in fixtures/greenbutton/SOURCES.md.

The expected numbers were computed independently (see SOURCES.md) and are
copied here by hand: reading counts, kWh (exact), cost in the file's currency
(exact, hundred-thousandths), UTC range, interval lengths.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from meter_data.greenbutton import parse_greenbutton
from tests.meter_data.greenbutton.conftest import FIXTURES, sample


def utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


# file, readings, kWh delivered, cost (None: the file has none), currency, first start, last end
SINGLE_POINT = [
    (
        "gba_openespi_test_usage_data_15min.xml",
        1340,
        "1391.666",
        "149.99132",
        "USD",
        utc(2012, 3, 1, 5),
        utc(2012, 3, 15, 4),
    ),
    (
        "gba_1hrLP_32DaysNoCost.xml",
        768,
        "2355.432",
        None,
        None,
        utc(2012, 4, 1, 4),
        utc(2012, 5, 3, 4),
    ),
    (
        "gba_TestGBDataHourlyNineDaysBinnedDaily.xml",
        216,
        "199.563",
        "22.05567",
        "USD",
        utc(2014, 1, 1, 5),
        utc(2014, 1, 10, 5),
    ),
    (
        "gba_1dayLP_45Days.xml",
        45,
        "2958.004",
        "244.29405",
        "USD",
        utc(2012, 3, 1, 5),
        utc(2012, 4, 15, 4),
    ),
    (
        "gba_12MonthlyUpdates_daily.xml",
        366,
        "48348.966",
        "5219.45723",
        "USD",
        utc(2011, 4, 1, 4),
        utc(2012, 4, 1, 4),
    ),
    (
        "gba_MonthlyOnlyElectricData.xml",
        14,
        "9567",
        "5376.18476",
        "USD",
        utc(2011, 8, 26, 4),
        utc(2012, 9, 30, 4),
    ),
    (
        "hydroone_hourly_weekend_2025-12-07.xml",
        24,
        "65.7078",
        "6.43934",
        "CAD",
        utc(2025, 12, 7, 5),
        utc(2025, 12, 8, 5),
    ),
]


def test_every_sample_file_is_covered():
    files = {path.name for path in FIXTURES.glob("*.xml")}
    tested = {row[0] for row in SINGLE_POINT} | {
        "gba_Gas_monthly.xml",
        "gba_1hrLP_32DaysFiveUsagePoints_M.xml",
    }
    assert files == tested
    assert len(files) == 9


@pytest.mark.parametrize(
    ("name", "count", "kwh", "cost", "currency", "first", "end"),
    SINGLE_POINT,
    ids=[row[0] for row in SINGLE_POINT],
)
def test_single_point_files_give_the_stated_totals(name, count, kwh, cost, currency, first, end):
    parsed = parse_greenbutton(sample(name))
    assert len(parsed.usage_points) == 1
    point = parsed.usage_points[0]
    assert point.service == "electricity"
    assert point.reading_count == count
    assert point.kwh_delivered == Decimal(kwh)
    assert point.kwh_received == 0
    assert point.cost_total() == (None if cost is None else Decimal(cost))
    assert point.currency == currency
    series = point.series
    assert int(series.start_ts[0]) == first
    assert int(series.start_ts[-1] + series.duration_s[-1]) == end
    assert point.duplicates == 0
    assert point.gaps == 0
    assert point.zone == "America/Toronto"  # every sample says tzOffset -18000 + US/Canada DST
    estimated = 1 if name == "gba_openespi_test_usage_data_15min.xml" else 0
    assert int((series.quality == 1).sum()) == estimated  # see the next test
    assert int((series.quality == 2).sum()) == 0


def test_reading_quality_codes_map_to_actual_and_estimated():
    point = parse_greenbutton(sample("gba_openespi_test_usage_data_15min.xml")).usage_points[0]
    # the first reading says quality 8 (estimated using a reference day), the second
    # 7 (manually edited: still a real value); no other reading has a ReadingQuality
    assert point.series.quality[:3].tolist() == [1, 0, 0]


def test_cost_totals_round_to_the_stated_cents():
    cents = {
        "gba_openespi_test_usage_data_15min.xml": "149.99",
        "gba_TestGBDataHourlyNineDaysBinnedDaily.xml": "22.06",
        "gba_1dayLP_45Days.xml": "244.29",
        "gba_12MonthlyUpdates_daily.xml": "5219.46",
        "gba_MonthlyOnlyElectricData.xml": "5376.18",
        "hydroone_hourly_weekend_2025-12-07.xml": "6.44",
    }
    for name, expected in cents.items():
        cost = parse_greenbutton(sample(name)).usage_points[0].cost_total()
        assert cost is not None
        assert cost.quantize(Decimal("0.01")) == Decimal(expected), name


def test_fifteen_minute_file_crosses_the_spring_dst_change():
    point = parse_greenbutton(sample("gba_openespi_test_usage_data_15min.xml")).usage_points[0]
    assert set(point.series.duration_s.tolist()) == {900}
    assert point.title == "Front Electric Meter"
    local_time = point.series.notes["local_time"]
    assert local_time["zone"] == "America/Toronto"
    assert local_time["dst_start_rule"] == "360E2000"
    assert "2nd Sunday of March at 02:00" in local_time["description"]
    (summary,) = point.summaries
    assert summary.money(summary.bill_last_period) == Decimal("152.52")
    assert summary.overall_consumption_last_period is not None


def test_dst_days_are_23_and_25_hours_long():
    daily = parse_greenbutton(sample("gba_1dayLP_45Days.xml")).usage_points[0].series
    durations = dict(zip(daily.start_ts.tolist(), daily.duration_s.tolist(), strict=True))
    assert sorted(set(durations.values())) == [82_800, 86_400]
    assert list(durations.values()).count(82_800) == 1
    assert durations[utc(2012, 3, 11, 5)] == 82_800  # local midnight EST, 2012-03-11

    year = parse_greenbutton(sample("gba_12MonthlyUpdates_daily.xml")).usage_points[0]
    durations = dict(
        zip(year.series.start_ts.tolist(), year.series.duration_s.tolist(), strict=True)
    )
    assert durations[utc(2011, 11, 6, 4)] == 90_000  # local midnight EDT, 2011-11-06
    assert durations[utc(2012, 3, 11, 5)] == 82_800
    assert sum(durations.values()) == utc(2012, 4, 1, 4) - utc(2011, 4, 1, 4)  # no gap, no overlap
    (summary,) = year.summaries
    assert summary.money(summary.bill_to_date) == Decimal("4791.14")


def test_monthly_file_with_multiplier_three_is_kwh_sized():
    point = parse_greenbutton(sample("gba_MonthlyOnlyElectricData.xml")).usage_points[0]
    (meter_reading,) = point.meter_readings
    assert meter_reading.reading_type.power_of_ten_multiplier == 3
    assert meter_reading.total() == Decimal(9_567_000)  # in its own unit, Wh
    assert int(point.series.delivered_mwh.sum()) == 9_567 * 1_000_000
    durations = point.series.duration_s
    assert durations[:-1].min() == 2_502_000
    assert durations[:-1].max() == 2_682_000
    assert int(durations[-1]) == 345_600


def test_gas_is_reported_as_skipped_never_as_kwh():
    parsed = parse_greenbutton(sample("gba_Gas_monthly.xml"))
    (point,) = parsed.usage_points
    assert point.service == "gas"
    assert not point.is_electricity
    assert parsed.electricity == []
    assert point.reading_count == 0
    assert point.kwh_delivered == 0
    (skipped,) = point.skipped_series()
    assert skipped["service"] == "gas"
    assert skipped["commodity"] == "natural gas"
    assert skipped["uom"] == "therm"
    assert skipped["count"] == 13
    assert Decimal(skipped["total"]) == Decimal("1074.821")
    (meter_reading,) = point.meter_readings
    assert meter_reading.cost_total() == Decimal("3094.66093")
    durations = meter_reading.readings.duration_s
    assert (durations.min(), durations.max()) == (1_209_600, 2_678_400)


def test_five_usage_points_keep_their_own_totals_in_document_order():
    parsed = parse_greenbutton(sample("gba_1hrLP_32DaysFiveUsagePoints_M.xml"))
    points = parsed.usage_points
    assert [p.links.self_href for p in points] == [
        f"/User/9b6c706{n}/UsagePoint/01" for n in (7, 3, 4, 5, 6)
    ]
    assert [p.reading_count for p in points] == [768] * 5
    assert [p.kwh_delivered for p in points] == [
        Decimal("25326.468"),
        Decimal("2361.801"),
        Decimal("2133.834"),
        Decimal("2692.638"),
        Decimal("2224.885"),
    ]
    costs = [p.cost_total() for p in points]
    assert [c.quantize(Decimal("0.01")) for c in costs] == [
        Decimal("2742.52"),
        Decimal("255.75"),
        Decimal("231.06"),
        Decimal("291.57"),
        Decimal("240.93"),
    ]
    assert all(p.currency is None for p in points)  # the ReadingTypes carry no currency
    assert all(len(p.summaries) == 1 for p in points)
    # dstStartRule 360E2000 … 360E2004 differ in seconds only: still US/Canada rules
    rules = [p.local_time.dst_start_rule for p in points]
    assert len(set(rules)) > 1
    assert {p.zone for p in points} == {"America/Toronto"}
    for point in points:
        assert point.series.start_ts[0] == utc(2012, 4, 1, 4)
        assert point.series.start_ts[-1] + 3600 == utc(2012, 5, 3, 4)


def test_hydro_one_temperature_is_skipped_and_milli_wh_are_exact():
    parsed = parse_greenbutton(sample("hydroone_hourly_weekend_2025-12-07.xml"))
    (point,) = parsed.usage_points
    assert point.kwh_delivered == Decimal("65.7078")
    assert round(point.kwh_delivered, 3) == Decimal("65.708")
    assert int(point.series.delivered_mwh.sum()) == 65_707_800  # 10^-3 Wh = 1 mWh
    energy, temperature = point.meter_readings
    assert energy.reading_type.tou == 3
    assert temperature.role == "skipped"
    (skipped,) = point.skipped_series()
    assert skipped["kind"] == "temperature"
    assert skipped["uom"] == "K"
    assert skipped["count"] == 24
    assert Decimal(skipped["total"]) == Decimal("6352.8")
    assert Decimal(skipped["total"]) / 24 == Decimal("264.7")  # ≈ -8.5 °C


def test_absolute_and_relative_hrefs_link_alike():
    nine = parse_greenbutton(sample("gba_TestGBDataHourlyNineDaysBinnedDaily.xml"))
    (point,) = nine.usage_points
    assert point.links.self_href.startswith("/DataCustodian/espi/1_1/resource/")
    assert len(point.meter_readings) == 1
    assert len(point.summaries) == 1


def test_parsing_a_binary_stream_equals_parsing_the_path():
    name = "gba_1dayLP_45Days.xml"
    with sample(name).open("rb") as stream:
        from_stream = parse_greenbutton(stream).usage_points[0].series
    from_path = parse_greenbutton(sample(name)).usage_points[0].series
    for column in ("start_ts", "duration_s", "delivered_mwh", "quality"):
        assert np.array_equal(getattr(from_stream, column), getattr(from_path, column))
