"""Green Button "Download My Data" export: one meter, a range of local days, as ESPI Atom XML.

The feed (Atom ``http://www.w3.org/2005/Atom``, ESPI ``http://naesb.org/espi``) holds,
in this order::

    UsagePoint                 ServiceCategory kind 0 (electricity)
    LocalTimeParameters        tzOffset, dstOffset, dstStartRule, dstEndRule of the premise zone
    MeterReading 1 + ReadingType 1 (flowDirection 1, delivered)
        IntervalBlock …        one per local day that has readings
    MeterReading 2 + ReadingType 2 (flowDirection 19, received)   only if any energy was received
        IntervalBlock …

Links follow the ESPI REST layout (``self``/``up``/``related``) with relative hrefs under
``/espi/1_1/resource``: the UsagePoint is ``related`` to its ``MeterReading`` collection
and to its LocalTimeParameters; each MeterReading to its ``IntervalBlock`` collection and
its ReadingType; each IntervalBlock is ``up`` in that collection.

ReadingType: ``uom`` 72 (Wh) with ``powerOfTenMultiplier`` -3, so a value *is* the stored
integer milliwatt-hours, written exactly; ``kind`` 12 (energy), ``accumulationBehaviour``
4 (delta data), ``commodity`` 1 (electricity), ``dataQualifier`` 12 (normal),
``intervalLength`` the meter's interval in seconds.

IntervalReading: ``timePeriod`` (``duration``, ``start`` in UTC epoch seconds), ``value``,
and a ``ReadingQuality`` for anything but an actual reading (:data:`QUALITY_CODES`:
estimated 8; missing 10 and no ``value``).

Streaming: the XML is produced block by block (each local day rendered on its own,
values escaped with :mod:`xml.sax.saxutils`) from readings fetched a few weeks at a
time, so a three-year export never holds more than one chunk in memory.

LocalTimeParameters (:func:`local_time_parameters`) are derived from the IANA zone's
transitions in the year of the export's last day:

* ``tzOffset``: the standard (smaller) UTC offset in seconds; ``dstOffset``: the
  daylight shift in seconds (3600, or 1800 on Lord Howe Island).
* ``dstStartRule`` / ``dstEndRule``: the ESPI ``DstRuleType`` bit map (seconds bits
  0-11, hour 12-16, ISO weekday 17-19, day of month 20-24, operator 25-27, month 28-31)
  of the local wall-clock time *before* the change. Of the rules that give that year's
  date ("2nd Sunday", "last Sunday", "Sunday on or after the 2nd", the fixed date) the
  one that also fits most of the three years either side wins, so "last Sunday" and
  "4th Sunday" are told apart; a zone whose dates follow no weekday rule (Iran until
  2022, Morocco's Ramadan shifts) gets that year's fixed day of the month (operator 0).
  US/Canada give ``360E2000`` / ``B40E2000``; the EU ``3E0E1000`` / ``AE0E2000`` in London.
* A zone without DST that year (``Asia/Kolkata``, ``America/Regina``): ``dstOffset`` 0
  and both rules ``FFFFFFFF`` ("DST correction disabled" in the ESPI schema).
* A zone whose year is not one DST period (several shifts, or a permanent change of
  offset): like a zone without DST, with ``tzOffset`` the offset in force at the end of
  that year. The readings' UTC instants stay authoritative in every case.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from customer_model import Meter, Premise, ReadingQuality

from .local_time import SECONDS_PER_DAY, local_day_start, local_days, offset_table
from .queries import iter_interval_chunks
from .series import IntervalSeries

ATOM_NS = "http://www.w3.org/2005/Atom"
ESPI_NS = "http://naesb.org/espi"
DEFAULT_BASE = "/espi/1_1/resource"
DST_DISABLED = "FFFFFFFF"

FLOW_DELIVERED = 1
FLOW_RECEIVED = 19

QUALITY_CODES = {
    int(ReadingQuality.ESTIMATED): 8,  # QualityOfReading "estimated using reference day"
    int(ReadingQuality.MISSING): 10,  # "questionable"; ESPI has no "missing" code
}
"""ESPI ``QualityOfReading`` written for our qualities (actual readings carry none).

A missing reading is written with its ``timePeriod`` and ``ReadingQuality`` but
*without* ``value``: it has none (the importer reads a value-less reading as missing)."""

_URN = uuid.UUID("5b1f0a4e-8c1d-4a6e-9a57-2f1c3d0e7b11")
"""Namespace of the stable ``urn:uuid`` ids (uuid5 of each resource's href)."""


# --- LocalTimeParameters -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LocalTimeParameters:
    tz_offset: int
    """Standard offset from UTC, seconds."""
    dst_offset: int
    """Seconds added while DST is in force (0: none)."""
    dst_start_rule: str
    """ESPI ``DstRuleType``: eight upper-case hex digits."""
    dst_end_rule: str


@dataclasses.dataclass(frozen=True)
class _Transition:
    at: int
    before: int
    after: int


def _transitions(tz: str, year: int) -> list[_Transition]:
    lo = int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp()) - SECONDS_PER_DAY
    hi = int(dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC).timestamp()) + SECONDS_PER_DAY
    since, offsets = offset_table(lo, hi, tz)
    changes = [
        _Transition(int(since[i]), int(offsets[i - 1]), int(offsets[i]))
        for i in range(1, len(since))
    ]
    # keep the changes whose wall-clock time (before the change) falls in ``year``
    return [t for t in changes if _wall(t).year == year]


def _wall(transition: _Transition) -> dt.datetime:
    """Local wall-clock time just before the change (standard time for a DST start)."""
    return dt.datetime.fromtimestamp(transition.at + transition.before, dt.UTC).replace(tzinfo=None)


def _dst_pair(tz: str, year: int) -> tuple[_Transition, _Transition] | None:
    """(start, end) if ``year`` has exactly one shift forward and one back by the same amount."""
    changes = _transitions(tz, year)
    if len(changes) != 2:
        return None
    first, second = changes
    forward, back = (first, second) if first.after > first.before else (second, first)
    shift = forward.after - forward.before
    if shift <= 0 or back.before - back.after != shift or forward.before != back.after:
        return None
    return forward, back


def _encode(month: int, operator: int, weekday: int, day: int, hour: int, seconds: int) -> str:
    value = (
        seconds | hour << 12 | weekday << 17 | day << 20 | operator << 25 | month << 28
    ) & 0xFFFFFFFF
    return f"{value:08X}"


def _rule_date(year: int, month: int, operator: int, weekday: int, day: int) -> dt.date | None:
    """The date a ``DstRuleType`` picks in ``year`` (``None`` if it names no date)."""
    last_day = calendar.monthrange(year, month)[1]
    if operator == 0:
        return dt.date(year, month, day) if day <= last_day else None
    if operator == 1:
        start = dt.date(year, month, day)
        found = start + dt.timedelta(days=(weekday - start.isoweekday()) % 7)
        return found if found.month == month else None
    if operator == 7:
        end = dt.date(year, month, last_day)
        return end - dt.timedelta(days=(end.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    found = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (operator - 2))
    return found if found.month == month else None


_RULE_YEARS = 3
"""A rule is chosen to fit the changes of this many years either side too."""


def _rule(wall: dt.datetime, others: list[dt.datetime]) -> str:
    """Encode the change at ``wall`` with the rule that also fits most of ``others``.

    Candidates, in order of preference: n-th weekday of the month, last weekday,
    weekday on or after a day of the month, the fixed day of the month.
    """
    weekday, day = wall.isoweekday(), wall.day
    nth = (day - 1) // 7 + 1
    candidates = [(nth + 1, weekday, 0)]
    if day + 7 > calendar.monthrange(wall.year, wall.month)[1]:
        candidates.insert(0 if nth >= 5 else 1, (7, weekday, 0))
    candidates += [(1, weekday, start) for start in range(max(1, day - 6), day + 1)]
    candidates.append((0, 0, day))

    def fits(candidate: tuple[int, int, int], other: dt.datetime) -> bool:
        operator, wd, dom = candidate
        picked = _rule_date(other.year, wall.month, operator, wd, dom)
        return picked == other.date() and other.time() == wall.time()

    comparable = [other for other in others if other.month == wall.month]
    scores = [sum(fits(c, other) for other in comparable) for c in candidates]
    best = max(scores)
    # no rule repeats in any other year: the weekday is a coincidence, keep the date
    operator, wd, dom = (
        (0, 0, day) if comparable and best == 0 else candidates[scores.index(best)]
    )  # ties: the earlier candidate
    return _encode(wall.month, operator, wd, dom, wall.hour, wall.minute * 60 + wall.second)


def local_time_parameters(tz: str, year: int) -> LocalTimeParameters:
    """ESPI LocalTimeParameters of the IANA zone ``tz`` as its rules stand in ``year``."""
    pair = _dst_pair(tz, year)
    if pair is None:
        end = int(dt.datetime(year, 12, 31, 12, tzinfo=dt.UTC).timestamp())
        _, offsets = offset_table(end, end, tz)
        return LocalTimeParameters(int(offsets[-1]), 0, DST_DISABLED, DST_DISABLED)
    start, end = pair
    years = [y for y in range(year - _RULE_YEARS, year + _RULE_YEARS + 1) if y != year]
    neighbours = [p for y in years if (p := _dst_pair(tz, y)) is not None]
    return LocalTimeParameters(
        tz_offset=start.before,
        dst_offset=start.after - start.before,
        dst_start_rule=_rule(_wall(start), [_wall(p[0]) for p in neighbours]),
        dst_end_rule=_rule(_wall(end), [_wall(p[1]) for p in neighbours]),
    )


# --- the feed ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UsagePointInfo:
    """What the feed says about the meter (ids only go into hrefs)."""

    meter_id: int
    tz: str
    title: str
    interval_s: int = 900
    customer_ref: str = "1"


def usage_point_info(connection: Connection | Session, meter_id: int) -> UsagePointInfo:
    """The meter's zone (its premise's), interval and a title (premise name or address)."""
    row = connection.execute(
        select(Meter.interval_minutes, Premise.timezone, Premise.name, Premise.address_line)
        .join(Premise, Premise.id == Meter.premise_id)
        .where(Meter.id == meter_id)
    ).one()
    minutes, tz, name, address = row
    return UsagePointInfo(meter_id, tz, name or address, int(minutes) * 60, str(meter_id))


def greenbutton_chunks(
    connection: Connection | Session,
    meter_id: int,
    first: dt.date,
    last: dt.date,
    *,
    updated: dt.datetime | None = None,
    base: str = DEFAULT_BASE,
    info: UsagePointInfo | None = None,
) -> Iterator[bytes]:
    """The feed for local days ``first`` .. ``last`` (inclusive) of ``meter_id``, in pieces.

    The caller has already scoped the meter and the dates to the user.
    """
    info = info or usage_point_info(connection, meter_id)
    return feed_chunks(
        info,
        lambda: iter_interval_chunks(connection, meter_id, info.tz, first, last),
        year=last.year,
        updated=updated,
        base=base,
    )


def write_greenbutton(
    out: BinaryIO,
    connection: Connection | Session,
    meter_id: int,
    first: dt.date,
    last: dt.date,
    *,
    updated: dt.datetime | None = None,
    base: str = DEFAULT_BASE,
    info: UsagePointInfo | None = None,
) -> int:
    """Write the feed to ``out``; returns the bytes written."""
    written = 0
    for piece in greenbutton_chunks(
        connection, meter_id, first, last, updated=updated, base=base, info=info
    ):
        written += out.write(piece)
    return written


def feed_chunks(
    info: UsagePointInfo,
    chunks: Callable[[], Iterable[IntervalSeries]],
    *,
    year: int,
    updated: dt.datetime | None = None,
    base: str = DEFAULT_BASE,
) -> Iterator[bytes]:
    """The feed from readings in ``chunks()`` (called once per flow direction).

    Each chunk must hold whole local days (any order inside). Works without a
    database too (benchmarks, tests): ``chunks=lambda: [series]``.
    """
    stamp = (updated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    links = _Links(base, info)
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="{ATOM_NS}" xmlns:espi="{ESPI_NS}">\n'
        f"  <id>{_urn(links.feed)}</id>\n"
        "  <title>Green Button Download My Data</title>\n"
        f"  <updated>{stamp}</updated>\n"
        f'  <link rel="self" href={quoteattr(links.feed)}/>\n'
    ).encode()
    yield _entry(
        links.usage_point,
        links.usage_points,
        [links.meter_readings, links.local_time],
        info.title,
        "<espi:UsagePoint><espi:ServiceCategory><espi:kind>0</espi:kind>"
        "</espi:ServiceCategory></espi:UsagePoint>",
        stamp,
    )
    ltp = local_time_parameters(info.tz, year)
    yield _entry(
        links.local_time,
        f"{base}/LocalTimeParameters",
        [],
        f"Local time ({info.tz})",
        "<espi:LocalTimeParameters>"
        f"<espi:dstEndRule>{ltp.dst_end_rule}</espi:dstEndRule>"
        f"<espi:dstOffset>{ltp.dst_offset}</espi:dstOffset>"
        f"<espi:dstStartRule>{ltp.dst_start_rule}</espi:dstStartRule>"
        f"<espi:tzOffset>{ltp.tz_offset}</espi:tzOffset>"
        "</espi:LocalTimeParameters>",
        stamp,
    )
    received_seen = False
    for flow in (FLOW_DELIVERED, FLOW_RECEIVED):
        if flow == FLOW_RECEIVED and not received_seen:
            break
        number = 1 if flow == FLOW_DELIVERED else 2
        yield from _meter_reading_entries(links, info, number, flow, stamp)
        for chunk in chunks():
            if flow == FLOW_DELIVERED:
                received_seen = received_seen or bool((chunk.received_mwh != 0).any())
            yield from _blocks(links, info.tz, number, flow, chunk, stamp)
    yield b"</feed>\n"


class _Links:
    def __init__(self, base: str, info: UsagePointInfo) -> None:
        customer = f"{base}/RetailCustomer/{info.customer_ref}"
        self.base = base
        self.meter_id = info.meter_id
        self.feed = f"{base}/Batch/RetailCustomer/{info.customer_ref}/UsagePoint/{info.meter_id}"
        self.usage_points = f"{customer}/UsagePoint"
        self.usage_point = f"{customer}/UsagePoint/{info.meter_id}"
        self.meter_readings = f"{self.usage_point}/MeterReading"
        self.local_time = f"{base}/LocalTimeParameters/{info.meter_id}"

    def meter_reading(self, number: int) -> str:
        return f"{self.meter_readings}/{number}"

    def reading_type(self, number: int) -> str:
        return f"{self.base}/ReadingType/{self.meter_id}-{number}"


def _urn(href: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_URN, href)}"


def _entry(self_: str, up: str, related: list[str], title: str, content: str, stamp: str) -> bytes:
    link_lines = "".join(f'    <link rel="related" href={quoteattr(href)}/>\n' for href in related)
    return (
        "  <entry>\n"
        f"    <id>{_urn(self_)}</id>\n"
        f'    <link rel="self" href={quoteattr(self_)}/>\n'
        f'    <link rel="up" href={quoteattr(up)}/>\n'
        f"{link_lines}"
        f"    <title>{escape(title)}</title>\n"
        f"    <content>{content}</content>\n"
        f"    <published>{stamp}</published>\n"
        f"    <updated>{stamp}</updated>\n"
        "  </entry>\n"
    ).encode()


def _meter_reading_entries(
    links: _Links, info: UsagePointInfo, number: int, flow: int, stamp: str
) -> Iterator[bytes]:
    reading = links.meter_reading(number)
    kind = "delivered" if flow == FLOW_DELIVERED else "received"
    yield _entry(
        reading,
        links.meter_readings,
        [f"{reading}/IntervalBlock", links.reading_type(number)],
        f"Energy {kind} ({info.interval_s // 60}-minute intervals)",
        "<espi:MeterReading/>",
        stamp,
    )
    yield _entry(
        links.reading_type(number),
        f"{links.base}/ReadingType",
        [],
        f"Energy {kind}, Wh x 10^-3",
        "<espi:ReadingType>"
        "<espi:accumulationBehaviour>4</espi:accumulationBehaviour>"
        "<espi:commodity>1</espi:commodity>"
        "<espi:dataQualifier>12</espi:dataQualifier>"
        f"<espi:flowDirection>{flow}</espi:flowDirection>"
        f"<espi:intervalLength>{info.interval_s}</espi:intervalLength>"
        "<espi:kind>12</espi:kind>"
        "<espi:phase>769</espi:phase>"
        "<espi:powerOfTenMultiplier>-3</espi:powerOfTenMultiplier>"
        "<espi:timeAttribute>0</espi:timeAttribute>"
        "<espi:uom>72</espi:uom>"
        "</espi:ReadingType>",
        stamp,
    )


def _blocks(
    links: _Links, tz: str, number: int, flow: int, chunk: IntervalSeries, stamp: str
) -> Iterator[bytes]:
    """One IntervalBlock entry per local day of ``chunk``."""
    if len(chunk) == 0:
        return
    order = np.argsort(chunk.start_ts, kind="stable")
    ts = chunk.start_ts[order]
    values = (chunk.delivered_mwh if flow == FLOW_DELIVERED else chunk.received_mwh)[order]
    durations, qualities = chunk.duration_s[order], chunk.quality[order]
    days = local_days(ts, tz)
    cuts = np.flatnonzero(np.r_[True, days[1:] != days[:-1], True])
    collection = f"{links.meter_reading(number)}/IntervalBlock"
    for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        day = dt.date(1970, 1, 1) + dt.timedelta(days=int(days[lo]))
        start = local_day_start(day, tz)
        length = local_day_start(day + dt.timedelta(days=1), tz) - start
        readings = "".join(
            _reading(start_, duration, value, quality)
            for start_, duration, value, quality in zip(
                ts[lo:hi].tolist(),
                durations[lo:hi].tolist(),
                values[lo:hi].tolist(),
                qualities[lo:hi].tolist(),
                strict=True,
            )
        )
        yield _entry(
            f"{collection}/{day:%Y%m%d}",
            collection,
            [],
            day.isoformat(),
            "<espi:IntervalBlock>"
            f"<espi:interval><espi:duration>{length}</espi:duration>"
            f"<espi:start>{start}</espi:start></espi:interval>\n"
            f"{readings}      </espi:IntervalBlock>",
            stamp,
        )


_MISSING = int(ReadingQuality.MISSING)


def _reading(start: int, duration: int, value: int, quality: int) -> str:
    code = QUALITY_CODES.get(quality)
    flag = (
        f"<espi:ReadingQuality><espi:quality>{code}</espi:quality></espi:ReadingQuality>"
        if code is not None
        else ""
    )
    value_xml = "" if quality == _MISSING else f"<espi:value>{value}</espi:value>"
    return (
        f"        <espi:IntervalReading>{flag}<espi:timePeriod>"
        f"<espi:duration>{duration}</espi:duration><espi:start>{start}</espi:start>"
        f"</espi:timePeriod>{value_xml}</espi:IntervalReading>\n"
    )


__all__ = [
    "ATOM_NS",
    "DST_DISABLED",
    "ESPI_NS",
    "LocalTimeParameters",
    "QUALITY_CODES",
    "UsagePointInfo",
    "feed_chunks",
    "greenbutton_chunks",
    "local_time_parameters",
    "usage_point_info",
    "write_greenbutton",
]
