"""CSV "Download My Data": one row per stored interval, streamed a few weeks at a time.

Columns (header row first)::

    start,end,delivered_kwh,received_kwh,quality
    2026-03-08T01:45:00-05:00,2026-03-08T03:00:00-04:00,0.412000,0.000000,actual

* ``start`` / ``end``: local wall-clock time in the premise zone with its UTC
  offset (ISO 8601), so the repeated hour of a fall-back day stays unambiguous.
* ``delivered_kwh`` / ``received_kwh``: exact decimals with six places (the
  stored integer milliwatt-hours / 1,000,000), never floats.
* ``quality``: ``actual``, ``estimated`` or ``missing``.

Rows are the readings stored for local days ``first`` .. ``last`` (inclusive); a
gap in the data is a gap in the rows. The caller has already checked that the
user may see this meter over these dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import TextIO

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from customer_model import MWH_PER_KWH, ReadingQuality

from .queries import iso_local, iter_interval_chunks
from .series import IntervalSeries

HEADER = ("start", "end", "delivered_kwh", "received_kwh", "quality")
QUALITY_WORDS = {quality.value: quality.name.lower() for quality in ReadingQuality}
"""``0`` → ``actual``, ``1`` → ``estimated``, ``2`` → ``missing``."""


def kwh_text(mwh: int) -> str:
    """Exact kWh with six decimals: ``1234567`` mWh → ``"1.234567"``."""
    whole, fraction = divmod(abs(mwh), MWH_PER_KWH)
    return f"{'-' if mwh < 0 else ''}{whole}.{fraction:06d}"


def csv_chunks(
    connection: Connection | Session,
    meter_id: int,
    tz: str,
    first: dt.date,
    last: dt.date,
    days_per_chunk: int = 31,
) -> Iterator[str]:
    """The CSV text in pieces (header, then a few weeks of rows each): for streaming responses."""
    yield _format([HEADER])
    for chunk in iter_interval_chunks(connection, meter_id, tz, first, last, days_per_chunk):
        if len(chunk):
            yield _format(_rows(chunk, tz))


def write_csv(
    out: TextIO,
    connection: Connection | Session,
    meter_id: int,
    tz: str,
    first: dt.date,
    last: dt.date,
) -> int:
    """Write the CSV to ``out`` (opened with ``newline=""``); returns the characters written."""
    written = 0
    for piece in csv_chunks(connection, meter_id, tz, first, last):
        written += out.write(piece)
    return written


def _rows(series: IntervalSeries, tz: str) -> Iterator[tuple[str, ...]]:
    starts = iso_local(series.start_ts, tz)
    ends = iso_local(series.start_ts + series.duration_s, tz)
    delivered = [kwh_text(value) for value in series.delivered_mwh.tolist()]
    received = [kwh_text(value) for value in series.received_mwh.tolist()]
    quality = [QUALITY_WORDS.get(value, str(value)) for value in series.quality.tolist()]
    return zip(starts, ends, delivered, received, quality, strict=True)


def _format(rows: Iterator[tuple[str, ...]] | list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def parse_kwh(text: str) -> int:
    """Inverse of :func:`kwh_text`: ``"1.234567"`` → ``1234567`` mWh (exact)."""
    value = Decimal(text) * MWH_PER_KWH
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number of milliwatt-hours")
    return int(value)


__all__ = ["HEADER", "QUALITY_WORDS", "csv_chunks", "kwh_text", "parse_kwh", "write_csv"]
