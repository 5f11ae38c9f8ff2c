"""Parse a whole CSV file, then store it for one meter in one transaction.

A refused file (any line that cannot be read, any interval that cannot be
stored) writes nothing: everything is parsed and checked before the database
is touched, and the writes share one transaction. Importing the same file
again changes nothing (``imported`` 0, every reading a duplicate), as with the
Green Button XML path: both go through :func:`meter_data.store.store_series`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from customer_model import Meter

from ..series import IntervalSeries, InvalidSeries
from ..store import resolve_meter, store_series
from ..summary import ImportSummary
from .generic import parse_generic
from .options import UTILITY_TZ, CsvOptions
from .text import CsvImportError, decode
from .utility_layouts import detect_layout, parse_pge, parse_sce

Source = bytes | str | os.PathLike[str] | IO[bytes]
"""File contents (``bytes``), a path (``str`` or path-like) or a binary file object."""


def parse_csv(data: bytes | str, options: CsvOptions | None = None) -> IntervalSeries:
    """The readings of a CSV download (contents, not a path), checked but not stored.

    Raises :class:`CsvImportError` naming the line and column of the first problem.
    """
    options = options or CsvOptions()
    text = decode(data)
    layout = detect_layout(text) if options.layout == "auto" else options.layout
    if layout == "generic":
        series = parse_generic(text, options)
    elif layout == "sce":
        series = parse_sce(text, options.tz or UTILITY_TZ)
    else:
        series = parse_pge(text, options.tz or UTILITY_TZ)
    unique, _repeats = series.sorted_unique()
    try:
        unique.validate()
    except InvalidSeries as error:  # parsers check first; this is the last line of defence
        raise CsvImportError(str(error)) from None
    return series


def import_csv(
    bind: Engine | Connection,
    source: Source,
    meter_serial: str,
    create_meter: bool = False,
    options: CsvOptions | None = None,
) -> ImportSummary:
    """Import a CSV download into the meter ``meter_serial``; returns the summary.

    With an engine, commits on success; with a connection, works inside its
    transaction (a SAVEPOINT if one is open) and leaves committing to the caller.
    Raises :class:`CsvImportError` for a refused file and
    :class:`~meter_data.store.UnknownMeter` for an unknown serial without
    ``create_meter``; nothing is written in either case.
    """
    series = parse_csv(_read(source), options)
    tz = str(series.notes["tz"])
    with _transaction(bind) as connection:
        with Session(bind=connection, join_transaction_mode="rollback_only") as session:
            exists = session.scalar(select(Meter.id).where(Meter.serial == meter_serial))
            meter = resolve_meter(session, meter_serial, create_meter, tz)
            if exists is None:  # a new meter: describe it from the file
                meter.interval_minutes = max(1, int(series.notes["interval_s"]) // 60)
                meter.is_net_metered = bool(series.received_mwh.any())
                session.flush()
            meter_id, meter_tz = meter.id, meter.premise.timezone
        summary = store_series(connection, meter_id, meter_tz, series, meter_serial)
    summary.duplicates += int(series.notes.get("repeats", 0))
    return summary


def _read(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    return source.read()


@contextlib.contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            yield connection
    elif bind.in_transaction():
        with bind.begin_nested():
            yield bind
    else:
        with bind.begin():
            yield bind
