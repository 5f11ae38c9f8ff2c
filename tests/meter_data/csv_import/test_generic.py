"""A generic CSV: named columns, exact units, local clocks across DST, clear refusals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from customer_model import ReadingQuality
from meter_data.csv_import import CsvImportError, CsvOptions, parse_csv
from tests.meter_data.csv_import.expected import fixture

TORONTO = "America/Toronto"
BASE = {
    "timestamp_col": "time",
    "value_col": "kWh",
    "unit": "kWh",
    "interval_minutes": 15,
    "timestamps": "start",
    "tz": TORONTO,
}


def parse(text: str | bytes, **overrides: object):
    data = text.encode() if isinstance(text, str) else text
    return parse_csv(data, CsvOptions(layout="generic", **{**BASE, **overrides}))


def csv_of(*rows: str, header: str = "time,kWh") -> str:
    return "\n".join([header, *rows]) + "\n"


def at(day: dt.date, hour: int, minute: int, fold: int = 0, tz: str = TORONTO) -> int:
    local = dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=ZoneInfo(tz))
    return int(local.timestamp())


FALL_BACK = dt.date(2024, 11, 3)
REPEATED_HOUR = ["00:30", "00:45", "01:00", "01:15", "01:30", "01:45"]
REPEATED_HOUR += ["01:00", "01:15", "01:30", "01:45", "02:00"]


def test_kwh_and_wh_become_exact_milliwatt_hours():
    series = parse(csv_of("2026-01-15 00:00,0.213", "2026-01-15 00:15,12.000001"))
    assert series.delivered_mwh.tolist() == [213_000, 12_000_001]
    text = csv_of("2026-01-15 00:00,213.5", "2026-01-15 00:15,0.001", header="time,energy")
    series = parse(text, unit="Wh", value_col="energy")
    assert series.delivered_mwh.tolist() == [213_500, 1]
    assert series.start_ts.tolist() == [
        at(dt.date(2026, 1, 15), 0, 0),
        at(dt.date(2026, 1, 15), 0, 15),
    ]
    assert series.duration_s.tolist() == [900, 900]
    assert series.quality.tolist() == [ReadingQuality.ACTUAL] * 2


@pytest.mark.parametrize(
    ("value", "unit"), [("0.0000001", "kWh"), ("0.0005", "Wh"), ("1e-7", "kWh")]
)
def test_values_finer_than_a_milliwatt_hour_are_refused(value, unit):
    text = csv_of("2026-01-15 00:00,1", f"2026-01-15 00:15,{value}", header="time,energy")
    with pytest.raises(
        CsvImportError, match=rf"^line 3, column energy: '{value}' is finer than 1 mWh"
    ):
        parse(text, unit=unit, value_col="energy")


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "1.2.3", "0,5;", "12kWh", "--1"])
def test_text_in_a_value_names_line_and_column(value):
    with pytest.raises(CsvImportError, match=r"^line 4, column kWh: .* is not a number$"):
        parse(csv_of("2026-01-15 00:00,1", "2026-01-15 00:15,2", f'2026-01-15 00:30,"{value}"'))


def test_the_brief_s_message_exactly():
    with pytest.raises(CsvImportError) as refused:
        parse(csv_of("2026-01-15 00:00,1", "2026-01-15 00:15,abc"))
    assert str(refused.value) == "line 3, column kWh: 'abc' is not a number"


def test_missing_column_is_named_with_the_header_line():
    with pytest.raises(
        CsvImportError, match=r"column 'kwh_total' not found in the header on line 1"
    ):
        parse(csv_of("2026-01-15 00:00,1"), value_col="kwh_total")
    with pytest.raises(CsvImportError, match=r"column 'export' not found .*columns: time, kWh"):
        parse(csv_of("2026-01-15 00:00,1"), received_col="export")


def test_column_names_match_ignoring_case_and_spaces():
    series = parse(csv_of("2026-01-15 00:00,1", header="\ufeffTime , KWH"))
    assert series.delivered_mwh.tolist() == [1_000_000]


def test_wrong_unit_is_refused():
    with pytest.raises(
        CsvImportError, match=r"column Usage \(Wh\) is in Wh, but the unit given is kWh"
    ):
        parse(csv_of("2026-01-15 00:00,1", header="time,Usage (Wh)"), value_col="Usage (Wh)")
    with pytest.raises(CsvImportError, match=r"is in MWh \(or mWh\)"):
        parse(csv_of("2026-01-15 00:00,1", header="time,energy_mwh"), value_col="energy_mwh")
    with pytest.raises(CsvImportError, match="unit must be kWh or Wh, not 'MWh'"):
        parse(csv_of("2026-01-15 00:00,1"), unit="MWh")


def test_missing_options_are_listed():
    with pytest.raises(CsvImportError, match="missing --unit, --interval-minutes, --tz"):
        parse_csv(
            b"time,kWh\n2026-01-15 00:00,1\n",
            CsvOptions(timestamp_col="time", value_col="kWh", timestamps="start"),
        )


def test_unknown_time_zone_is_refused():
    with pytest.raises(CsvImportError, match="unknown time zone 'America/Springfield'"):
        parse(csv_of("2026-01-15 00:00,1"), tz="America/Springfield")


def test_fall_back_hour_is_resolved_by_order():
    """The first 01:xx is the daylight-time one (fold=0), the repeated one standard (fold=1)."""
    rows = [f"2024-11-03 {label},{i + 1}" for i, label in enumerate(REPEATED_HOUR)]
    series = parse(csv_of(*rows))
    first_one = at(FALL_BACK, 1, 0, fold=0)
    assert series.start_ts.tolist() == [at(FALL_BACK, 0, 30) + 900 * i for i in range(11)]
    assert series.start_ts[2] == first_one
    assert series.start_ts[6] == at(FALL_BACK, 1, 0, fold=1) == first_one + 3600
    assert series.delivered_mwh.tolist() == [(i + 1) * 1_000_000 for i in range(11)]
    assert series.sorted_unique()[0].gap_count() == 0


def test_fall_back_hour_in_a_newest_first_file():
    rows = [f"2024-11-03 {label},{i + 1}" for i, label in enumerate(REPEATED_HOUR)]
    series = parse(csv_of(*reversed(rows)))
    assert sorted(series.start_ts.tolist()) == [at(FALL_BACK, 0, 30) + 900 * i for i in range(11)]
    by_start = dict(zip(series.start_ts.tolist(), series.delivered_mwh.tolist(), strict=True))
    assert by_start[at(FALL_BACK, 1, 0, fold=0)] == 3_000_000
    assert by_start[at(FALL_BACK, 1, 0, fold=1)] == 7_000_000


def test_hourly_fall_back_day_has_25_hours():
    labels = [f"{h:02d}:00" for h in range(24)]
    labels.insert(2, "01:00")
    series = parse(csv_of(*(f"2024-11-03 {label},1" for label in labels)), interval_minutes=60)
    assert len(np.unique(series.start_ts)) == 25
    assert np.diff(series.start_ts).tolist() == [3600] * 24


def test_non_existent_spring_forward_time_is_refused_with_its_line():
    rows = ["2024-03-10 01:30,1", "2024-03-10 01:45,1", "2024-03-10 02:00,1", "2024-03-10 03:00,1"]
    with pytest.raises(CsvImportError) as refused:
        parse(csv_of(*rows))
    assert str(refused.value) == (
        "line 4, column time: local time 2024-03-10 02:00 does not exist in America/Toronto "
        "(the clocks spring forward over it)"
    )


def test_spring_forward_day_without_the_missing_hour_is_fine():
    rows = ["2024-03-10 01:30,1", "2024-03-10 01:45,1", "2024-03-10 03:00,1"]
    series = parse(csv_of(*rows))
    assert np.diff(series.start_ts).tolist() == [900, 900]


def test_timestamps_end_shift_by_one_interval():
    rows = [f"2026-01-15 {h:02d}:00,{h}" for h in range(1, 6)]
    starts = parse(csv_of(*rows), interval_minutes=60, timestamps="start")
    ends = parse(csv_of(*rows), interval_minutes=60, timestamps="end")
    assert (starts.start_ts - ends.start_ts == 3600).all()
    assert ends.start_ts[0] == at(dt.date(2026, 1, 15), 0, 0)
    assert (ends.delivered_mwh == starts.delivered_mwh).all()


def test_end_labels_across_fall_back():
    """Labelled by their ends, the intervals ending 01:00 daylight and 01:00 standard differ."""
    ends = [
        "00:45",
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "02:00",
    ]
    series = parse(csv_of(*(f"2024-11-03 {e},1" for e in ends)), timestamps="end")
    assert series.start_ts.tolist() == [at(FALL_BACK, 0, 30) + 900 * i for i in range(10)]


def test_end_label_at_24_00_is_next_midnight():
    series = parse(csv_of("2026-01-15 24:00,1"), interval_minutes=60, timestamps="end")
    assert series.start_ts.tolist() == [at(dt.date(2026, 1, 15), 23, 0)]


def test_explicit_offsets_win_over_the_zone():
    rows = ["2024-11-03T01:30-05:00,1", "2024-11-03T01:30-04:00,2", "2024-11-03T06:45Z,3"]
    series = parse(csv_of(*rows), tz="Europe/London")
    assert series.start_ts.tolist() == [
        at(FALL_BACK, 1, 30, fold=1),
        at(FALL_BACK, 1, 30, fold=0),
        at(FALL_BACK, 6, 45, tz="UTC"),
    ]


def test_received_and_quality_columns_and_missing_values():
    text = csv_of(
        "2026-06-01 12:00,0.1,1.5,A",
        "2026-06-01 12:15,0.2,0,estimated",
        "2026-06-01 12:30,,,",
        "2026-06-01 12:45,0.3,,M",
        header="time,kWh,export kWh,q",
    )
    series = parse(text, received_col="export kWh", quality_col="q")
    assert series.delivered_mwh.tolist() == [100_000, 200_000, 0, 300_000]
    assert series.received_mwh.tolist() == [1_500_000, 0, 0, 0]
    assert series.quality.tolist() == [0, 1, 2, 2]


def test_unknown_quality_is_refused():
    text = csv_of("2026-06-01 12:00,0.1,maybe", header="time,kWh,q")
    with pytest.raises(
        CsvImportError, match=r"^line 2, column q: 'maybe' is not a reading quality"
    ):
        parse(text, quality_col="q")


def test_negative_energy_is_refused():
    with pytest.raises(CsvImportError, match=r"^line 2, column kWh: negative energy '-0.5'"):
        parse(csv_of("2026-06-01 12:00,-0.5"))


def test_bad_timestamp_names_line_and_column():
    with pytest.raises(
        CsvImportError, match=r"^line 3, column time: '15/01/2026 00:15' is not a date"
    ):
        parse(csv_of("2026-01-15 00:00,1", "15/01/2026 00:15,1"))
    with pytest.raises(CsvImportError, match=r"^line 2, column time: '2026-02-30 00:00'"):
        parse(csv_of("2026-02-30 00:00,1"))


def test_wrong_interval_length_shows_as_overlap():
    rows = ["2026-01-15 00:00,1", "2026-01-15 00:15,1"]
    with pytest.raises(CsvImportError, match=r"^lines 2 and 3: the intervals overlap"):
        parse(csv_of(*rows), interval_minutes=60)


def test_repeated_rows_keep_the_last():
    series = parse(csv_of("2026-01-15 00:00,1", "2026-01-15 00:00,2"))
    unique, repeats = series.sorted_unique()
    assert (unique.delivered_mwh.tolist(), repeats) == ([2_000_000], 1)


def test_odd_characters_of_real_exports():
    """BOM, CRLF, blank lines, trailing commas, NBSP, $, quotes, thousands, Windows-1252."""
    rows = [
        "Date/Time,Consumption (kWh),Note,",
        "",
        '2026-01-15\xa000:00,"1,234.5",caf\xe9,',
        "2026-01-15 00:15 , $0.25 ,,",
        ",,,",
        '2026-01-15 00:30,="0.125",,',
        "2026-01-15 00:45,\xa012\u202f345.000001\xa0,,",
    ]
    data = b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8") + b"\r\n"
    options = {"timestamp_col": "Date/Time", "value_col": "Consumption (kWh)"}
    series = parse(data, **options)
    expected = [1_234_500_000, 250_000, 125_000, 12_345_000_001]
    assert series.delivered_mwh.tolist() == expected
    assert np.diff(series.start_ts).tolist() == [900, 900, 900]
    cp1252 = "\r\n".join(rows).replace("\u202f", " ").encode("cp1252")
    assert parse(cp1252, **options).delivered_mwh.tolist() == expected


def test_semicolon_files_with_decimal_commas_are_refused_not_misread():
    text = "time;kWh\n2026-01-15 00:00;0,213\n2026-01-15 00:15;1,250\n"
    with pytest.raises(CsvImportError, match=r"^line 2, column kWh: '0,213' is refused: .*comma"):
        parse(text)
    assert parse("time;kWh\n2026-01-15 00:00;0.213\n").delivered_mwh.tolist() == [213_000]


def test_an_empty_file_and_a_header_only_file_are_refused():
    with pytest.raises(CsvImportError, match="the file is empty"):
        parse("")
    with pytest.raises(CsvImportError, match="no readings"):
        parse("time,kWh\n")


def test_generic_fixture_with_end_labels():
    series = parse(
        fixture("generic_hourly_end_labels.csv").read_bytes(),
        timestamp_col="Interval End (America/Toronto)",
        value_col="Delivered (kWh)",
        received_col="Received (kWh)",
        quality_col="Quality",
        interval_minutes=60,
        timestamps="end",
    )
    assert len(series) == 48
    assert series.start_ts[0] == at(dt.date(2024, 6, 1), 0, 0)
    assert int((series.quality == ReadingQuality.ESTIMATED).sum()) == 2
