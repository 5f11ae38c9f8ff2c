"""Hostile and broken files: refused with the element and line, quickly, in little memory."""

from __future__ import annotations

import io
import resource
import tracemalloc
from pathlib import Path

import pytest

from meter_data.greenbutton import GreenButtonError, UnsafeXml, parse_greenbutton
from tests.meter_data.greenbutton import espi
from tests.meter_data.greenbutton.conftest import sample

START = 1_767_243_600  # 2026-01-01 05:00 UTC, local midnight in Toronto

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&secret;</title></feed>
"""


def parse_text(text: str):
    return parse_greenbutton(io.BytesIO(text.encode()), name="crafted.xml")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def reading_line(text: str, needle: str) -> int:
    """Line of the IntervalReading start tag before ``needle``."""
    return text[: text.rindex("<IntervalReading>", 0, text.index(needle))].count("\n") + 1


def refusal(text: str) -> GreenButtonError:
    with pytest.raises(GreenButtonError) as caught:
        parse_text(text)
    return caught.value


def test_billion_laughs_is_refused_before_any_expansion_in_little_memory():
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeXml) as caught:
            parse_text(BILLION_LAUGHS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert str(caught.value) == (
        "line 2: refused: the file declares entities (DTD), which Green Button files never need"
    )
    assert caught.value.line == 2
    assert peak < 1_000_000  # bytes; expanded, &lol9; alone would be 3 GB
    assert rss_growth_kib < 20_000


def test_an_external_entity_is_never_resolved():
    error = refusal(EXTERNAL_ENTITY)
    assert isinstance(error, UnsafeXml)
    assert "declares entities (DTD)" in str(error)
    assert "root:" not in str(error)


def test_even_a_harmless_doctype_is_refused():
    body = espi.simple_feed([]).split("\n", 1)[1]  # without its XML declaration
    error = refusal('<?xml version="1.0"?>\n<!DOCTYPE feed>\n' + body)
    assert isinstance(error, UnsafeXml)


def test_a_truncated_file_says_where_it_ends(tmp_path: Path):
    whole = sample("gba_openespi_test_usage_data_15min.xml").read_bytes()
    cut = whole[: len(whole) // 2]
    lines = cut.count(b"\n") + 1
    path = tmp_path / "truncated.xml"
    path.write_bytes(cut)
    with pytest.raises(GreenButtonError, match=rf"^file ends early at line {lines}\b") as caught:
        parse_greenbutton(path)
    assert caught.value.line == lines


def test_an_empty_file_is_refused():
    with pytest.raises(GreenButtonError, match="the file is empty"):
        parse_text("")


def test_malformed_xml_names_the_line():
    text = espi.simple_feed([espi.reading(START, 900, 1)]).replace("</value>", "</valeu>", 1)
    error = refusal(text)
    assert error.line == line_of(text, "</valeu>")
    assert "mismatched tag" in str(error)


def test_a_feed_in_another_namespace_is_not_espi():
    text = espi.simple_feed([]).replace(
        'xmlns="http://www.w3.org/2005/Atom"', 'xmlns="http://example.com/x"'
    )
    error = refusal(text)
    assert str(error).startswith(
        "line 2: not an ESPI Atom feed: root is {http://example.com/x}feed"
    )


def test_a_file_that_is_not_a_feed_is_refused_at_its_root():
    error = refusal('<?xml version="1.0"?>\n<html><body>' + "<p>x</p>" * 1000 + "</body></html>")
    assert "not an ESPI Atom feed: root is html" in str(error)


def test_an_espi_resource_in_the_wrong_namespace_is_refused():
    text = espi.simple_feed([espi.reading(START, 900, 1)]).replace(
        '<IntervalBlock xmlns="http://naesb.org/espi">',
        '<IntervalBlock xmlns="http://naesb.org/espi/old">',
    )
    error = refusal(text)
    assert error.line == line_of(text, "<IntervalBlock")
    assert "IntervalBlock is in namespace 'http://naesb.org/espi/old'" in str(error)


def test_a_negative_duration_is_refused_with_its_line():
    text = espi.simple_feed([espi.reading(START, 900, 5), espi.reading(START + 900, -900, 5)])
    error = refusal(text)
    assert error.line == line_of(text, "<duration>-900")
    assert str(error) == (
        f"line {error.line}: IntervalReading/timePeriod/duration -900 is negative "
        "(a reading covers a positive number of seconds)"
    )


def test_a_negative_block_duration_is_refused_too():
    text = espi.simple_feed([espi.reading(START, 900, 5)]).replace(
        '<IntervalBlock xmlns="http://naesb.org/espi">',
        '<IntervalBlock xmlns="http://naesb.org/espi">\n'
        "      <interval><duration>-86400</duration><start>0</start></interval>",
    )
    error = refusal(text)
    assert error.line == line_of(text, "<interval>")
    assert "IntervalBlock/interval/duration -86400 is negative" in str(error)


def test_text_in_a_value_is_refused_with_its_line():
    readings = [espi.reading(START + 900 * i, 900, 100) for i in range(3)]
    readings.append(espi.reading(START + 2700, 900, "abc"))
    text = espi.simple_feed(readings)
    error = refusal(text)
    assert error.line == line_of(text, "<value>abc")
    assert str(error) == f"line {error.line}: IntervalReading/value 'abc' is not an integer"
    assert error.element == "IntervalReading/value"


@pytest.mark.parametrize("bad", ["1.5", "1e3", "1_000", "", "٣"])
def test_values_must_be_plain_integers(bad):
    error = refusal(espi.simple_feed([espi.reading(START, 900, bad)]))
    assert "IntervalReading/value" in str(error)
    assert "is not an integer" in str(error)


def test_a_start_that_is_not_a_number_names_its_element():
    error = refusal(espi.simple_feed([espi.reading("2026-01-01", 900, 1)]))
    assert "IntervalReading/timePeriod/start '2026-01-01' is not an integer" in str(error)


def test_a_multiplier_finer_than_a_milliwatt_hour_must_not_lose_precision():
    exact = parse_text(espi.simple_feed([espi.reading(START, 900, 2_500_000)], multiplier=-6))
    assert exact.usage_points[0].series.delivered_mwh.tolist() == [2_500]
    text = espi.simple_feed(
        [espi.reading(START, 900, 2_500_000), espi.reading(START + 900, 900, 1_234_567)],
        multiplier=-6,
    )
    error = refusal(text)
    assert error.line == reading_line(text, "<value>1234567")
    assert "not a whole number of milliwatt-hours" in str(error)
    assert "powerOfTenMultiplier -6" in str(error)


def test_negative_delivered_energy_is_refused():
    text = espi.simple_feed([espi.reading(START, 900, 5), espi.reading(START + 900, 900, -5)])
    error = refusal(text)
    assert "IntervalReading with value -5: negative energy in a delivered series" in str(error)
    assert error.line == reading_line(text, "<value>-5")


def test_overlapping_readings_are_refused_with_both_lines():
    text = espi.simple_feed([espi.reading(START, 3600, 5), espi.reading(START + 900, 900, 5)])
    error = refusal(text)
    assert error.line == reading_line(text, f"<start>{START + 900}")
    assert f"(line {reading_line(text, f'<start>{START}<')}, 3600 s)" in str(error)


def test_a_meter_reading_linked_to_no_usage_point_is_refused():
    text = (
        espi.HEAD
        + espi.usage_point(1)
        + espi.usage_point(2)
        + espi.meter_reading(3, 1)
        + espi.reading_type(3, 1)
        + espi.TAIL
    )
    assert "links to none of the 2 UsagePoints" in str(refusal(text))


def test_refusals_are_value_errors_for_callers_that_catch_those():
    assert issubclass(GreenButtonError, ValueError)
    assert issubclass(UnsafeXml, GreenButtonError)


def test_a_large_file_is_streamed_not_held(tmp_path: Path):
    path = espi.write_big_feed(tmp_path / "ninety_days.xml", START, 90)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        parsed = parse_greenbutton(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.reading_count == 90 * 96
    assert size > 1_500_000
    assert peak < size  # the whole tree of this file takes about six times its size
