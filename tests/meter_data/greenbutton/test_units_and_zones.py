"""Exact unit conversion (property-tested) and LocalTimeParameters → IANA zones."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meter_data.greenbutton import GreenButtonError, LocalTime
from meter_data.greenbutton.units import scale_to_mwh, scaled_total
from meter_data.greenbutton.zones import DstRule

values = st.lists(st.integers(-(2**47), 2**47), min_size=1, max_size=50)  # ESPI values are Int48


@settings(max_examples=100, deadline=None)
@given(values=values, multiplier=st.integers(-3, 6))
def test_scaling_up_is_exact_integer_arithmetic(values, multiplier):
    array = np.array(values, dtype=np.int64)
    limit = np.iinfo(np.int64).max // 10 ** (multiplier + 3)
    if max(abs(v) for v in values) > limit:
        with pytest.raises(GreenButtonError, match="too large"):
            scale_to_mwh(array, multiplier)
        return
    mwh = scale_to_mwh(array, multiplier)
    for value, result in zip(values, mwh.tolist(), strict=True):
        assert Decimal(result) == Decimal(value).scaleb(multiplier) * 1000  # Wh → mWh
    assert scaled_total(array, multiplier) * 1000 == Decimal(sum(mwh.tolist()))


@settings(max_examples=100, deadline=None)
@given(mwh=st.lists(st.integers(-(2**30), 2**30), min_size=1, max_size=50), finer=st.integers(1, 9))
def test_finer_multipliers_are_exact_when_the_values_are_whole_milliwatt_hours(mwh, finer):
    multiplier = -3 - finer
    values = np.array(mwh, dtype=np.int64) * 10**finer
    assert scale_to_mwh(values, multiplier).tolist() == mwh


@settings(max_examples=100, deadline=None)
@given(value=st.integers(1, 10**6), finer=st.integers(1, 6))
def test_finer_multipliers_refuse_to_round(value, finer):
    if value % 10**finer == 0:
        value += 1
    with pytest.raises(GreenButtonError, match="not a whole number of milliwatt-hours"):
        scale_to_mwh(np.array([0, value], dtype=np.int64), -3 - finer, np.array([10, 20]))


def test_the_refusal_names_the_line_of_the_reading():
    with pytest.raises(GreenButtonError) as caught:
        scale_to_mwh(np.array([1000, 1001], dtype=np.int64), -6, np.array([57, 61]))
    assert caught.value.line == 61
    assert str(caught.value).startswith("line 61: IntervalReading/value 1001 × 10^-6 Wh")


def test_kwh_sized_values_with_multiplier_three():
    assert scale_to_mwh(np.array([720], dtype=np.int64), 3).tolist() == [720_000_000]  # 720 kWh


def test_the_us_canada_rules_decode():
    start, end = DstRule.decode(0x360E2000), DstRule.decode(0xB40E2000)
    assert (start.month, start.operator, start.weekday, start.hour) == (3, 3, 7, 2)
    assert (end.month, end.operator, end.weekday, end.hour) == (11, 2, 7, 2)
    assert start.describe() == "the 2nd Sunday of March at 02:00"
    assert end.describe() == "the 1st Sunday of November at 02:00"
    assert DstRule.decode(0x360E2004).describe() == "the 2nd Sunday of March at 02:00:04"


@pytest.mark.parametrize(
    ("tz_offset", "zone"),
    [
        (-12_600, "America/St_Johns"),
        (-14_400, "America/Halifax"),
        (-18_000, "America/Toronto"),
        (-21_600, "America/Winnipeg"),
        (-25_200, "America/Edmonton"),
        (-28_800, "America/Vancouver"),
    ],
)
def test_north_american_offsets_with_dst_map_to_a_zone(tz_offset, zone):
    assert LocalTime(tz_offset, 3600, 0x360E2000, 0xB40E2000).zone() == zone


def test_offsets_without_dst_map_to_zones_without_dst():
    assert LocalTime(-21_600, 0, 0, 0).zone() == "America/Regina"
    assert LocalTime(-25_200, 3600, 0xFFFFFFFF, 0xFFFFFFFF).zone() == "America/Phoenix"
    assert LocalTime(-10_800).zone() == "Etc/GMT+3"
    assert LocalTime(19_800).zone() is None  # +05:30 has no Etc/ zone: kept as a description


def test_other_rules_stay_a_description():
    european = LocalTime(3600, 3600, 0x3F0E1000, 0xAF0E2000)  # last Sunday of March / October
    assert european.zone() is None
    assert european.describe() == (
        "UTC+01:00, daylight saving time +01:00 from the last Sunday of March at 01:00 "
        "to the last Sunday of October at 02:00"
    )
    assert european.as_notes()["dst_start_rule"] == "3F0E1000"
