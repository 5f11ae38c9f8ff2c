"""SCE and PG&E Green Button CSV downloads: recognised, and read to the last milliwatt-hour."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from customer_model import ReadingQuality
from meter_data import local_days
from meter_data.csv_import import CsvImportError, CsvOptions, detect_layout, parse_csv
from meter_data.csv_import.text import decode
from tests.meter_data.csv_import.expected import fixture, pge_totals, sce_totals, text_of

LA = "America/Los_Angeles"

LAYOUTS = {
    "sce_net_metered_fall_back.csv": "sce",
    "sce_usage_spring_forward_cp1252.csv": "sce",
    "sce_titled_blocks_bom.csv": "sce",
    "pge_electric_usage_15min_fall_back.csv": "pge",
    "pge_electric_import_export_hourly_spring_forward.csv": "pge",
    "generic_hourly_end_labels.csv": "generic",
}


def parse(name: str, **options: object):
    series = parse_csv(fixture(name).read_bytes(), CsvOptions(**options))
    unique, repeats = series.sorted_unique()
    assert repeats == 0
    return unique


def at(day: dt.date, hour: int, minute: int, fold: int = 0, tz: str = LA) -> int:
    local = dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=ZoneInfo(tz))
    return int(local.timestamp())


def readings_per_local_day(series, tz: str = LA) -> dict[dt.date, int]:
    days, counts = np.unique(local_days(series.start_ts, tz), return_counts=True)
    epoch = dt.date(1970, 1, 1)
    return {epoch + dt.timedelta(days=int(d)): int(c) for d, c in zip(days, counts, strict=True)}


def mwh(kwh_text: str) -> int:
    return int(Decimal(kwh_text) * 1_000_000)


@pytest.mark.parametrize(("name", "layout"), LAYOUTS.items())
def test_layouts_are_recognised(name, layout):
    assert detect_layout(decode(fixture(name).read_bytes())) == layout


@pytest.mark.parametrize(
    "name",
    [
        "sce_net_metered_fall_back.csv",
        "sce_usage_spring_forward_cp1252.csv",
        "sce_titled_blocks_bom.csv",
    ],
)
def test_sce_downloads_parse_to_their_counts_and_totals(name):
    expected = sce_totals(name)
    series = parse(name)
    rows_delivered, kwh_delivered = expected["delivered"]
    rows_received, kwh_received = expected["received"]
    assert len(series) == rows_delivered
    assert rows_received in (0, rows_delivered)  # net-metered: one received row per interval
    assert series.kwh_delivered() == kwh_delivered
    assert series.kwh_received() == kwh_received
    assert series.gap_count() == 0
    assert set(series.duration_s.tolist()) == {900}


@pytest.mark.parametrize(
    "name",
    [
        "pge_electric_usage_15min_fall_back.csv",
        "pge_electric_import_export_hourly_spring_forward.csv",
    ],
)
def test_pge_downloads_parse_to_their_counts_and_totals(name):
    expected = pge_totals(name)
    series = parse(name)
    assert len(series) == expected["delivered"][0]
    assert series.kwh_delivered() == expected["delivered"][1]
    assert series.kwh_received() == expected["received"][1]
    assert series.gap_count() == 0


def test_sce_net_metering_keeps_delivered_and_received_apart():
    series = parse("sce_net_metered_fall_back.csv")
    # The fixture's first delivered and received rows of 2024-11-02 12:00 (midday sun).
    rows = [line for line in text_of("sce_net_metered_fall_back.csv").splitlines()
            if line.startswith('"2024-11-02 12:00:00 to')]  # fmt: skip
    delivered, received = (line.split(",")[1].strip('"') for line in rows)
    noon = np.flatnonzero(series.start_ts == at(dt.date(2024, 11, 2), 12, 0))[0]
    assert series.delivered_mwh[noon] == mwh(delivered)
    assert series.received_mwh[noon] == mwh(received)
    assert series.received_mwh[noon] > 0  # the sun shines at noon: a net export
    # Nights deliver and never receive; each block went to its own column.
    night = series.start_ts < at(dt.date(2024, 11, 2), 6, 0)
    assert series.received_mwh[night].sum() == 0
    assert series.delivered_mwh[night].min() > 0


def test_sce_fall_back_day_has_100_quarter_hours_in_order():
    """SCE repeats ``02:00``-``02:45``: the first copies are 01:00-01:45 standard time."""
    series = parse("sce_net_metered_fall_back.csv")
    assert readings_per_local_day(series) == {
        dt.date(2024, 11, 2): 96,
        dt.date(2024, 11, 3): 100,
        dt.date(2024, 11, 4): 96,
    }
    day = dt.date(2024, 11, 3)
    lines = text_of("sce_net_metered_fall_back.csv").splitlines()
    pairs = [i for i, line in enumerate(lines) if line.startswith('"2024-11-03 02:00:00 to')]
    first, second = (lines[i].split(",")[1].strip('"') for i in pairs[:2])
    assert series.delivered_mwh[series.start_ts == at(day, 1, 0, fold=1)] == [mwh(first)]
    assert series.delivered_mwh[series.start_ts == at(day, 2, 0)] == [mwh(second)]
    assert at(day, 1, 0, fold=1) - at(day, 1, 0, fold=0) == 3600


def test_sce_spring_forward_day_has_92_quarter_hours():
    series = parse("sce_usage_spring_forward_cp1252.csv")
    assert readings_per_local_day(series) == {dt.date(2024, 3, 9): 96, dt.date(2024, 3, 10): 92}
    before_jump = np.flatnonzero(series.start_ts == at(dt.date(2024, 3, 10), 1, 45))[0]
    assert series.duration_s[before_jump] == 900  # "01:45:00 to 03:00:00" lasts 15 minutes
    assert series.start_ts[before_jump + 1] == at(dt.date(2024, 3, 10), 3, 0)
    assert series.kwh_received() == 0


def test_sce_label_in_the_spring_forward_gap_is_refused_with_its_line():
    text = fixture("sce_usage_spring_forward_cp1252.csv").read_bytes().decode("cp1252")
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith('"2024-03-10 03:00:00'))
    lines.insert(i, '"2024-03-10 02:15:00\xa0to\xa02024-03-10 02:30:00","0.100",""')
    with pytest.raises(CsvImportError, match=rf"^line {i + 1}, .*2024-03-10 02:15 does not exist"):
        parse_csv("\n".join(lines).encode("cp1252"))


def test_windows_1252_text_and_non_breaking_spaces_are_read():
    text = decode(fixture("sce_usage_spring_forward_cp1252.csv").read_bytes())
    assert "CAÑADA VERDE" in text
    assert "\xa0to\xa0" in text  # and the parser still found every period (above)


def test_pge_fall_back_rows_in_time_order_and_net_usage_split():
    series = parse("pge_electric_usage_15min_fall_back.csv")
    day = dt.date(2024, 11, 3)
    assert readings_per_local_day(series) == {dt.date(2024, 11, 2): 96, day: 100}
    assert at(day, 1, 0, fold=0) in series.start_ts
    assert at(day, 1, 0, fold=1) in series.start_ts
    rows = [row.split(",") for row in text_of("pge_electric_usage_15min_fall_back.csv").splitlines()
            if row.startswith("Electric usage,2024-11-03,01:00,")]  # fmt: skip
    assert len(rows) == 2
    for fold, row in enumerate(rows):
        i = np.flatnonzero(series.start_ts == at(day, 1, 0, fold=fold))[0]
        usage = mwh(row[4])
        assert (series.delivered_mwh[i], series.received_mwh[i]) == (max(usage, 0), max(-usage, 0))
    assert series.received_mwh.sum() > 0


def test_pge_hourly_spring_forward_thousands_and_estimates():
    series = parse("pge_electric_import_export_hourly_spring_forward.csv")
    assert readings_per_local_day(series) == {dt.date(2024, 3, 9): 24, dt.date(2024, 3, 10): 23}
    assert set(series.duration_s.tolist()) == {3600}
    one_am = np.flatnonzero(series.start_ts == at(dt.date(2024, 3, 9), 1, 0))[0]
    assert series.delivered_mwh[one_am] == 1_295_522_000  # "1,295.522" kWh, exactly
    estimated = series.start_ts[series.quality == ReadingQuality.ESTIMATED]
    assert estimated.tolist() == [at(dt.date(2024, 3, 9), 17, 0)]


def test_pge_layout_honours_another_zone():
    """Other Opower utilities (PECO…) share the layout: --tz moves the clock."""
    pacific = parse("pge_electric_import_export_hourly_spring_forward.csv")
    eastern = parse("pge_electric_import_export_hourly_spring_forward.csv", tz="America/New_York")
    assert (pacific.start_ts - eastern.start_ts == 3 * 3600).all()


def test_pge_gas_download_is_refused():
    gas = (
        "Name,JANE Q CUSTOMER\nService,Service 1\n\n"
        "TYPE,DATE,START TIME,END TIME,USAGE (therms),COST,NOTES\n"
        "Natural gas usage,2024-01-01,00:00,23:59,1.02,$1.95,\n"
    )
    with pytest.raises(CsvImportError, match=r"USAGE \(therms\) is in therms"):
        parse_csv(gas.encode())


def test_pge_text_in_a_value_names_line_and_column():
    text = text_of("pge_electric_usage_15min_fall_back.csv").splitlines()
    text[9] = "Electric usage,2024-11-02,00:45,00:59,n/a,$0.00,"
    with pytest.raises(
        CsvImportError, match=r"^line 10, column USAGE \(kWh\): 'n/a' is not a number"
    ):
        parse_csv("\r\n".join(text).encode())


def test_forcing_a_layout_on_the_wrong_file_is_refused():
    with pytest.raises(CsvImportError, match="not a PG&E download"):
        parse_csv(fixture("sce_titled_blocks_bom.csv").read_bytes(), CsvOptions(layout="pge"))
    with pytest.raises(CsvImportError, match="no readings found"):
        parse_csv(
            fixture("pge_electric_usage_15min_fall_back.csv").read_bytes(),
            CsvOptions(layout="sce"),
        )
