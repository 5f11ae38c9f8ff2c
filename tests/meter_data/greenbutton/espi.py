"""Small ESPI Atom feeds written by the tests (crafted, hostile or large on purpose)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:uuid:test</id>
  <title>Test feed</title>
"""
TAIL = "</feed>\n"

TORONTO = ("-18000", "3600", "360E2000", "B40E2000")


def usage_point(n: int, kind: int = 0, title: str = "Test point") -> str:
    return f"""  <entry>
    <link rel="self" href="/User/1/UsagePoint/{n}"/>
    <link rel="related" href="/User/1/UsagePoint/{n}/MeterReading"/>
    <link rel="related" href="/LocalTimeParameters/1"/>
    <title>{title}</title>
    <content><UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind>{kind}</kind></ServiceCategory></UsagePoint></content>
  </entry>
"""


def local_time(zone: tuple[str, str, str, str] = TORONTO) -> str:
    tz, dst, start, end = zone
    return f"""  <entry>
    <link rel="self" href="/LocalTimeParameters/1"/>
    <content><LocalTimeParameters xmlns="http://naesb.org/espi">
      <dstEndRule>{end}</dstEndRule><dstOffset>{dst}</dstOffset>
      <dstStartRule>{start}</dstStartRule><tzOffset>{tz}</tzOffset>
    </LocalTimeParameters></content>
  </entry>
"""


def meter_reading(point: int, n: int, title: str = "Energy") -> str:
    base = f"/User/1/UsagePoint/{point}/MeterReading/{n}"
    return f"""  <entry>
    <link rel="self" href="{base}"/>
    <link rel="up" href="/User/1/UsagePoint/{point}/MeterReading"/>
    <link rel="related" href="{base}/IntervalBlock"/>
    <link rel="related" href="/ReadingType/{point}-{n}"/>
    <title>{title}</title>
    <content><MeterReading xmlns="http://naesb.org/espi"/></content>
  </entry>
"""


def reading_type(
    point: int,
    n: int,
    *,
    uom: int = 72,
    multiplier: int = 0,
    flow: int = 1,
    interval: int = 900,
    commodity: int = 1,
    accumulation: int = 4,
    kind: int = 12,
) -> str:
    return f"""  <entry>
    <link rel="self" href="/ReadingType/{point}-{n}"/>
    <content><ReadingType xmlns="http://naesb.org/espi">
      <accumulationBehaviour>{accumulation}</accumulationBehaviour><commodity>{commodity}</commodity>
      <currency>124</currency><flowDirection>{flow}</flowDirection>
      <intervalLength>{interval}</intervalLength><kind>{kind}</kind>
      <powerOfTenMultiplier>{multiplier}</powerOfTenMultiplier><uom>{uom}</uom>
    </ReadingType></content>
  </entry>
"""


def reading(start: object, duration: object, value: object, cost: object = None) -> str:
    cost_xml = f"<cost>{cost}</cost>" if cost is not None else ""
    return (
        f"      <IntervalReading>{cost_xml}\n"
        f"        <timePeriod><duration>{duration}</duration><start>{start}</start></timePeriod>\n"
        f"        <value>{value}</value>\n"
        "      </IntervalReading>\n"
    )


def block(point: int, n: int, block_id: int, readings: Iterable[str]) -> str:
    base = f"/User/1/UsagePoint/{point}/MeterReading/{n}/IntervalBlock"
    return (
        f'  <entry>\n    <link rel="self" href="{base}/{block_id}"/>\n'
        f'    <link rel="up" href="{base}"/>\n'
        '    <content><IntervalBlock xmlns="http://naesb.org/espi">\n'
        + "".join(readings)
        + "    </IntervalBlock></content>\n  </entry>\n"
    )


def simple_feed(readings: Iterable[str], **reading_type_options: int) -> str:
    """One electricity usage point, one MeterReading, one block with ``readings``."""
    return (
        HEAD
        + usage_point(1)
        + local_time()
        + meter_reading(1, 1)
        + reading_type(1, 1, **reading_type_options)
        + block(1, 1, 1, readings)
        + TAIL
    )


def quarter_hours(start: int, count: int, value: int = 250) -> list[str]:
    return [reading(start + 900 * i, 900, value + i % 7) for i in range(count)]


def big_feed_chunks(start: int, days: int) -> Iterator[str]:
    """A 15-minute series of ``days`` days, one block a day, written piece by piece."""
    yield HEAD + usage_point(1) + local_time() + meter_reading(1, 1) + reading_type(1, 1)
    for day in range(days):
        first = start + day * 86_400
        yield block(
            1,
            1,
            day,
            (reading(first + 900 * i, 900, 100 + (day + i) % 400, 1234) for i in range(96)),
        )
    yield TAIL


def write_big_feed(path: Path, start: int, days: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for chunk in big_feed_chunks(start, days):
            out.write(chunk)
    return path
